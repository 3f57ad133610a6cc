"""What sync apply derives as it writes: a received family is found by search at once (every
spelling, its members, its new phone and not its old one), its search text is the one its own
laptop computed, and a file that fails half-way leaves no rows, no search rows and no change log.

Set up through the services on two laptops; the search side is read through the families
search service (the one every page uses), the stored rows only to show nothing is left over.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import timedelta

import pytest

from peer_support.domain.families import FamilyDraft, FamilyQuery, MemberDraft
from peer_support.services import families
from peer_support.services.families_search import count_families, find_families
from peer_support.services.privacy import erase_family
from peer_support.services.sync import sync_now
from peer_support.services.sync.check import canonical_dump
from peer_support.storage import family_search


@pytest.fixture
def laptops(open_laptops):
    return open_laptops(timedelta(0), timedelta(minutes=1))


def _found(context, text: str) -> list[str]:
    return [row.reference for row in find_families(context, text, include_archived=True)]


def _edit(context, reference: str, **values) -> None:
    draft = dataclasses.replace(families.get_family(context, reference).draft(), **values)
    families.update_family(context, reference, draft)


def _search_rows(context) -> dict[str, tuple[int, str]]:
    database = sqlite3.connect(context.database_path)
    try:
        return {family_id: (row_id, text) for row_id, family_id, text in
                database.execute("SELECT id, family_id, text FROM family_search")}
    finally:
        database.close()


def test_a_received_family_is_found_at_once_by_every_spelling(laptops):
    a, b = laptops
    made = families.create_family(a, FamilyDraft(
        name="Søren Łukasiewicz-Müller", postcode="CT9 1AB", phone="+44 7700 900123",
        members=(MemberDraft(name="Zoë Ærø", relationship="daughter"),)))
    sync_now(a)
    assert sync_now(b).changes_applied > 0
    for typed in ("soren", "soeren", "Søren", "lukasiewicz", "mueller", "muller", "zoe", "aero",
                  "07700900123", "ct91ab", made.reference):
        assert _found(b, typed) == [made.reference], typed
    assert count_families(b, FamilyQuery(text="mueller")) == 1
    # Derived data: b computed the same search text (column and search row) from the same details.
    assert canonical_dump(a) == canonical_dump(b)
    assert _search_rows(a) == _search_rows(b)


def test_a_received_edit_is_found_by_its_new_values_only(laptops):
    a, b = laptops
    made = families.create_family(a, FamilyDraft(name="Kowalska", phone="01843 111111",
                                                 members=(MemberDraft(name="Oskar"),)))
    sync_now(a)
    sync_now(b)
    _edit(a, made.reference, phone="07700 900999", members=(MemberDraft(name="Bartłomiej"),))
    sync_now(a)
    sync_now(b)
    assert _found(b, "07700900999") == [made.reference]
    assert _found(b, "01843111111") == []
    assert _found(b, "bartlomiej") == [made.reference]
    assert _found(b, "oskar") == []
    assert _search_rows(a) == _search_rows(b)


def test_an_edit_that_changes_no_search_word_keeps_the_search_row(laptops):
    a, b = laptops
    made = families.create_family(a, FamilyDraft(name="Jensen", phone="01843 222222"))
    sync_now(a)
    sync_now(b)
    before = _search_rows(b)
    _edit(a, made.reference, address="2 Harbour Street", notes="Prefers mornings")
    sync_now(a)
    sync_now(b)
    assert families.get_family(b, made.reference).draft().notes == "Prefers mornings"
    assert _search_rows(b) == before
    assert _found(b, "jensen") == [made.reference]
    # Archived on a: the same text moves to the archived rows on b, and the active list loses it.
    families.set_family_archived(a, made.reference, True)
    sync_now(a)
    sync_now(b)
    assert count_families(b, FamilyQuery(text="jensen")) == 0
    assert count_families(b, FamilyQuery(text="jensen", archived="archived")) == 1
    assert _search_rows(b)[made.id][0] >= family_search.ARCHIVED_OFFSET


def test_an_erasure_received_leaves_only_the_reference_searchable(laptops):
    a, b = laptops
    made = families.create_family(a, FamilyDraft(name="Nowak", phone="01843 333333"))
    sync_now(a)
    sync_now(b)
    erase_family(a, made.reference)
    sync_now(a)
    sync_now(b)
    assert _found(b, "nowak") == [] and _found(b, "01843333333") == []
    assert "nowak" not in _search_rows(b)[made.id][1]  # the erased family keeps its reference only
    assert _search_rows(a) == _search_rows(b)


def test_a_file_that_fails_half_way_leaves_nothing(laptops, monkeypatch):
    a, b = laptops
    made = [families.create_family(a, FamilyDraft(name=f"Østergaard {number}")) for number in range(3)]
    sync_now(a)
    written = family_search._insert

    def insert_then_fail(connection, rows):
        written(connection, rows)  # the search rows are in: the failure comes after them
        raise RuntimeError("power cut")

    monkeypatch.setattr(family_search, "_insert", insert_then_fail)
    with pytest.raises(RuntimeError):
        sync_now(b)
    database = sqlite3.connect(b.database_path)
    try:
        assert database.execute("SELECT count(*) FROM family").fetchone() == (0,)
        assert database.execute("SELECT count(*) FROM family_search").fetchone() == (0,)
        assert database.execute("SELECT count(*) FROM change_log WHERE device_id = ?",
                                (a.local.device_id,)).fetchone() == (0,)
        assert database.execute("SELECT count(*) FROM sync_field_clock").fetchone() == (0,)
        assert database.execute("SELECT count(*) FROM sync_peer").fetchone() == (0,)
    finally:
        database.close()
    assert _found(b, "ostergaard") == []
    monkeypatch.undo()
    assert sync_now(b).changes_applied > 0
    assert sorted(_found(b, "oestergaard")) == sorted(record.reference for record in made)


def test_the_larger_page_cache_of_a_file_is_given_back(laptops, monkeypatch):
    """A file is applied with a 16 MiB page cache; the connection goes back to the pool with its
    own size again, after a file applied and after one that failed."""
    from peer_support.services.sync import apply

    a, b = laptops
    families.create_family(a, FamilyDraft(name="Nowak"))
    sync_now(a)
    used = []
    real = apply.driver_connection

    def remembered(session):
        connection = real(session)
        used.append((connection, connection.execute("PRAGMA cache_size").fetchone()[0]))
        return connection

    monkeypatch.setattr(apply, "driver_connection", remembered)
    written = family_search._insert

    def failing(connection, rows):
        written(connection, rows)
        raise RuntimeError("power cut")

    monkeypatch.setattr(family_search, "_insert", failing)
    with pytest.raises(RuntimeError):
        sync_now(b)
    monkeypatch.setattr(family_search, "_insert", written)
    assert sync_now(b).changes_applied > 0
    assert len(used) == 2
    for connection, before in used:
        assert before > -apply.FILE_CACHE_KIB  # it was smaller than a file's
        assert connection.execute("PRAGMA cache_size").fetchone()[0] == before
