"""One way to find a family: folding, the trigram index kept in step, every caller agrees."""

from __future__ import annotations

from datetime import date

import pytest

from peer_support.domain.families import FamilyDraft, FamilyQuery, MemberDraft
from peer_support.domain.meetings import MeetingDraft
from peer_support.domain.search import fold, fold_variants, fts_query, matches, search_terms
from peer_support.errors import NotFoundError
from peer_support.services.families import create_family, save_new_family, update_family, set_family_archived
from peer_support.services.families_search import count_families, family_page, find_families
from peer_support.services.history import undo_action
from peer_support.services.meetings import create_meeting
from peer_support.services.privacy import erase_family
from peer_support.services.register import check_in, door_matches
from peer_support.storage.family_search import refresh_family_search


def test_folding_drops_accents_and_transliterates():
    assert fold("Łukasz Kamiński") == "lukasz kaminski"
    assert fold("Sørensen Æbelø Straße") == "sorensen aebelo strasse"
    assert fold_variants("Sørensen") == ("sorensen", "soerensen")
    assert fold_variants("Åse") == ("ase", "aase")
    assert fold_variants("Müller") == ("muller", "mueller")
    assert fold_variants("Smith") == ("smith",)
    assert search_terms("07700 900 123") == ["07700900123"]


def test_short_words_match_the_start_of_a_word_longer_ones_anywhere():
    text = "  sarah  smith-jones  smith  jones  "
    assert matches("sm", text) and matches("jo", text) and matches("arah", text)
    assert not matches("ar", text)
    assert fts_query('say "hi"') == '"say" AND """hi"""'


def test_query_syntax_typed_by_someone_is_only_text(context):
    create_family(context, FamilyDraft(name="Anne O'Neill"))
    for typed in ('"', "*", "AND", "( OR", "NEAR(a b)", "o'neill", "-"):
        find_families(context, typed)  # no FTS5 syntax error reaches anyone
    assert [row.name for row in find_families(context, "o'neill")] == ["Anne O'Neill"]
    assert [row.name for row in find_families(context, "neill")] == ["Anne O'Neill"]


@pytest.fixture
def people(context):
    made = {
        "sorensen": create_family(context, FamilyDraft(name="Mette Sørensen", postcode="CT9 1AB",
                                                       phone="07700 900111")),
        "kaminski": create_family(context, FamilyDraft(name="Łukasz Kamiński", phone="+44 7700 900222")),
        "muller": create_family(context, FamilyDraft(name="Anna Müller", members=(
            MemberDraft(name="Jonas Østergaard", relationship="son"),))),
        "smith": create_family(context, FamilyDraft(name="Sarah Smith", postcode="CT10 2XY")),
    }
    return {key: record.reference for key, record in made.items()}


@pytest.mark.parametrize("typed, who", [
    ("sorensen", "sorensen"), ("soerensen", "sorensen"), ("Sørensen", "sorensen"), ("SØRENSEN", "sorensen"),
    ("kaminski", "kaminski"), ("lukasz", "kaminski"), ("Kamiń", "kaminski"),
    ("mueller", "muller"), ("muller", "muller"),
    ("ostergaard", "muller"), ("oestergaard", "muller"),  # a member's name
    ("07700900222", "kaminski"), ("07700 900 222", "kaminski"), ("900111", "sorensen"),
    ("ct91ab", "sorensen"), ("CT9 1AB", "sorensen"), ("ct10", "smith"),
])
def test_every_spelling_finds_the_family(context, people, typed, who):
    assert [row.reference for row in find_families(context, typed)] == [people[who]]
    assert count_families(context, FamilyQuery(text=typed)) == 1
    assert [entry.family_reference for entry in door_matches(context, typed)] == [people[who]]


def test_reference_and_word_starts(context, people):
    assert [row.reference for row in find_families(context, people["smith"])] == [people["smith"]]
    assert {row.reference for row in find_families(context, "s")} == {people["sorensen"], people["smith"]}
    assert find_families(context, "zz") == []


def test_the_index_follows_edits_archiving_undo_and_erasure(context, people):
    reference = people["smith"]
    saved = update_family(context, reference, FamilyDraft(name="Sarah Jørgensen", postcode="CT10 2XY"))
    assert find_families(context, "smith") == []
    assert [row.reference for row in find_families(context, "joergensen")] == [reference]
    undo_action(context, saved.changes.action_id)
    assert [row.reference for row in find_families(context, "smith")] == [reference]

    set_family_archived(context, reference, True)
    assert find_families(context, "smith") == []
    assert count_families(context, FamilyQuery(text="smith", archived="archived")) == 1
    assert count_families(context, FamilyQuery(text="smith", archived="all")) == 1
    assert [row.reference for row in find_families(context, "smith", include_archived=True)] == [reference]
    set_family_archived(context, reference, False)

    erase_family(context, people["kaminski"])
    assert find_families(context, "kaminski", include_archived=True) == []


def test_new_family_with_members_is_found_at_once(context):
    saved = save_new_family(context, FamilyDraft(name="Jane Doe", members=(MemberDraft(name="Zoë Doe"),)))
    assert [row.reference for row in find_families(context, "zoe")] == [saved.record.reference]


def test_rebuilding_the_whole_index_gives_the_same_answers(context, people):
    before = [row.reference for row in family_page(context, FamilyQuery(text="s"), 0, 50)]
    with context.db.plain() as connection:  # storage's own rebuild of the index is the subject
        connection.execute("BEGIN IMMEDIATE")
        refresh_family_search(connection)
        connection.execute("COMMIT")
    assert [row.reference for row in family_page(context, FamilyQuery(text="s"), 0, 50)] == before


def test_other_filters_and_sorts_agree_with_the_index(context, people):
    by_name = family_page(context, FamilyQuery(text="s", sort="name"), 0, 50)
    assert [row.name for row in by_name] == ["Mette Sørensen", "Sarah Smith"]
    assert count_families(context, FamilyQuery(text="s", needs="any")) == 0


def test_the_register_ticks_a_family_typed_without_its_letters(context, people):
    meeting = create_meeting(context, MeetingDraft(on=date(2030, 1, 8))).record.reference
    assert check_in(context, meeting, "kaminski").record.family_reference == people["kaminski"]
    with pytest.raises(NotFoundError):
        check_in(context, meeting, "nobody-like-this")


def test_a_batch_larger_than_one_statement_is_indexed_whole(context, monkeypatch):
    """An import of 700 families writes their search rows in several statements (333 rows each
    where SQLite allows only 999 parameters, as SQLCipher's build): every family is found, the
    first, one on a statement's edge and the last."""
    from peer_support.services.families_import import import_families
    from peer_support.services.families_sheet import Sheet
    from peer_support.storage import family_search

    monkeypatch.setattr(family_search, "_MOST_PARAMETERS", 999)

    rows = tuple((line, (f"F{line - 1:04d}", f"Kowalczyk {line - 1}")) for line in range(2, 702))
    assert import_families(context, Sheet("families.csv", ("Reference", "Name"), rows, "CSV")).record.imported == 700
    assert count_families(context, FamilyQuery(text="kowalczyk")) == 700
    for number in (1, 333, 334, 700):
        assert [row.reference for row in find_families(context, f"kowalczyk {number}")
                if row.name == f"Kowalczyk {number}"] == [f"F{number:04d}"]
    assert [row.reference for row in family_page(context, FamilyQuery(text="kowalczyk"), 0, 3)] == [
        "F0001", "F0002", "F0003"]
