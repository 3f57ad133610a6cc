"""The fast paths of sync apply keep what they replace: a received insert that lacks columns
(a file from an older laptop) gets the columns' defaults and a clock per field it carried; a
received change is logged under the text its own laptop logged (sorted keys, letters as they
are); a family's search text built in one pass for plain ASCII details has the words the
word-by-word rule gives.

Set up through the services and a journal file written with the journal's own encoder; stored
rows are read only to compare them.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from datetime import timedelta

import pytest

from peer_support.domain.families import FamilyDraft, MemberDraft
from peer_support.domain.search import WORD_SEPARATOR, family_search_text
from peer_support.services import families
from peer_support.services.sync import sync_now
from peer_support.services.sync.journal import encode, file_name, list_journal
from peer_support.storage.hlc import format_stamp
from peer_support.storage.tables.sync import ROW_CLOCK

from tests.conftest import FIXED_NOW


@pytest.fixture
def laptops(open_laptops):
    return open_laptops(timedelta(0), timedelta(minutes=1))


def _rows(context, sql: str, *params) -> list[tuple]:
    database = sqlite3.connect(context.database_path)
    try:
        return database.execute(sql, params).fetchall()
    finally:
        database.close()


def test_a_received_change_is_logged_as_its_laptop_logged_it(laptops):
    a, b = laptops
    made = families.create_family(a, FamilyDraft(
        name="Søren Łukasiewicz-Müller", postcode="CT9 1AB", phone="+44 7700 900123", notes='say "hej" ✓',
        members=(MemberDraft(name="Zoë Ærø", relationship="daughter"),)))
    draft = dataclasses.replace(families.get_family(a, made.reference).draft(), name="Søren Müller")
    families.update_family(a, made.reference, draft)
    sync_now(a)
    assert sync_now(b).changes_applied > 0
    sent = {change_id: text for change_id, text in _rows(a, "SELECT change_id, changes FROM change_log")}
    received = {change_id: text for change_id, text in _rows(
        b, "SELECT change_id, changes FROM change_log WHERE device_id = ?", a.local.device_id)}
    assert received and received == sent
    for text in received.values():
        assert text == json.dumps(json.loads(text), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    assert any('"Søren Müller"' in text for text in received.values())  # letters as they are
    assert any('say \\"hej\\" ✓' in text for text in received.values())


def test_an_insert_without_some_columns_gets_their_defaults_and_clocks_of_its_own(laptops):
    """As an older laptop sends a family: some columns missing, and the search text column it
    still has (gone here since migration 0037), which is skipped like any derived value."""
    a, b = laptops
    families.create_family(a, FamilyDraft(name="Nowak"))
    sync_now(a)
    sync_now(b)
    [real] = list_journal(a.data_dir.parent / "shared" / "journal" / a.local.device_id)
    seq = real.last_seq + 1
    stamp = format_stamp(int(FIXED_NOW.timestamp() * 1000), 0, a.local.device_id)
    changes = {"id": [None, "older-laptop-family"], "reference": [None, "F0999"], "name": [None, "Kowalska"],
               "created_at": [None, "2026-11-25T10:30:00+00:00"], "deleted": [None, False],
               "search_text": [None, "  f0999  stale  "]}
    payload = {"device_id": a.local.device_id, "schema_rev": "", "actions": {}, "changes": [{
        "change_id": "older-1", "seq": seq, "hlc": stamp, "action_id": "older-action", "entity": "family",
        "entity_id": "older-laptop-family", "op": "insert", "seen": {}, "changes": changes,
        "actor": "", "at": "2026-11-25T10:30:00+00:00"}]}
    path = real.path.with_name(file_name(seq, seq))
    path.write_bytes(encode(payload, a.local.device_id, seq, seq, None))
    assert sync_now(b).changes_applied == 1
    [(reference, name, language, notes, needs_internet, archived)] = _rows(
        b, "SELECT reference, name, language, notes, needs_internet, archived FROM family "
        "WHERE id = 'older-laptop-family'")
    assert (reference, name, language, notes, needs_internet, archived) == ("F0999", "Kowalska", "en", "", 0, 0)
    [(text,)] = _rows(b, "SELECT text FROM family_search WHERE family_id = 'older-laptop-family'")
    assert text == family_search_text("F0999", "Kowalska")
    clocks = {field for (field,) in _rows(b, "SELECT field FROM sync_field_clock WHERE entity_id = ?",
                                           "older-laptop-family")}
    assert clocks == set(changes) - {"search_text"} and ROW_CLOCK not in clocks


@pytest.mark.parametrize(("parts", "words"), [
    (("F0042", "Smith  Jones\tSMITH", "CT9 1AA", "+44 1843 000 000", ""),
     ["f0042", "smith", "jones", "ct9", "1aa", "ct91aa", "01843000000"]),
    (("F0042", "O'Neill", "", "", "ann.o@example.org"),
     ["f0042", "o'neill", "o", "neill", "ann.o@example.org", "ann", "o@example", "org"]),
    (("F0001", "", "", "", ""), ["f0001"]),
    (("", "", "", "", ""), []),
])
def test_search_text_words_in_order(parts, words):
    text = family_search_text(*parts)
    assert text == (WORD_SEPARATOR + WORD_SEPARATOR.join(words) + WORD_SEPARATOR if words else "")


def test_a_rule_that_renames_a_received_family_still_gets_its_search_text_recomputed(laptops):
    """The merge marks the families it writes for their search rows; a rule that renames a
    received family through the ORM after that marks it too, so it is found by its new name."""
    from peer_support.services.families_search import count_families
    from peer_support.domain.families import FamilyQuery
    from peer_support.services.sync.rules import register_rule, unregister_rule
    from peer_support.storage.tables.families import Family

    def rename(merger, table: str, ids: set[str]) -> None:
        for family_id in ids:
            family = merger.session.get(Family, family_id)
            if family is not None and not family.name.endswith(" Quokka"):
                family.name += " Quokka"
                merger.session.add(family)

    a, b = laptops
    made = families.create_family(a, FamilyDraft(name="Nowak", postcode="CT9 1AB"))
    sync_now(a)
    register_rule("family", rename)
    try:
        assert sync_now(b).changes_applied > 0
    finally:
        unregister_rule("family", rename)
    [(name, text)] = _rows(b, "SELECT f.name, s.text FROM family AS f JOIN family_search AS s ON s.family_id = f.id "
                              "WHERE f.reference = ?", made.reference)
    assert name == "Nowak Quokka"
    assert text == family_search_text(made.reference, "Nowak Quokka", "CT9 1AB")
    assert count_families(b, FamilyQuery(text="quokka")) == 1
