"""Migration 0036_family_search_columnsize: the trigram index made again without its per-row token
counts, and back.

Families (with members, an archived one, accents) are set up through the services; after the
downgrade the index has its counts table again and finds the same families, and after the upgrade
(as at start-up) it has none, finds the same families, and follows a new family and an edit.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from datetime import datetime, timezone

from peer_support.clock import FixedClock
from peer_support.context import open_context
from peer_support.domain.families import FamilyDraft, FamilyQuery, MemberDraft
from peer_support.services import families
from peer_support.services.families_search import count_families, family_page

from tests.migrations.downgrades import downgrade, earlier_schema

NOW = datetime(2026, 11, 25, 10, 30, tzinfo=timezone.utc)
REVISION = "0036_family_search_columnsize"
SEARCHES = ("", "s", "soerensen", "sorensen", "ostergaard", "07700", "ct9", "f000", "smith")


def _answers(context) -> dict[str, tuple[int, list[str], int]]:
    return {typed: (count_families(context, FamilyQuery(text=typed)),
                    [row.reference for row in family_page(context, FamilyQuery(text=typed), 0, 50)],
                    count_families(context, FamilyQuery(text=typed, archived="archived")))
            for typed in SEARCHES}


def _has_counts_table(folder) -> bool:
    database = sqlite3.connect(folder / "peer-support.sqlite3")
    try:
        return database.execute("SELECT count(*) FROM sqlite_master WHERE name = 'family_search_fts_docsize'"
                                ).fetchone()[0] == 1
    finally:
        database.close()


def test_the_index_is_made_again_without_counts_and_back(data_dir):
    clock = FixedClock(NOW)
    context = open_context(data_dir, clock)
    families.create_family(context, FamilyDraft(name="Mette Sørensen", postcode="CT9 1AB", phone="07700 900111"))
    families.create_family(context, FamilyDraft(name="Anna Müller", members=(MemberDraft(name="Jonas Østergaard"),)))
    smith = families.create_family(context, FamilyDraft(name="Sarah Smith", postcode="CT10 2XY"))
    families.set_family_archived(context, smith.reference, True)
    head = _answers(context)
    assert head["soerensen"][0] == 1 and head["ostergaard"][0] == 1 and head["smith"][2] == 1
    context.close()
    assert not _has_counts_table(data_dir)

    downgrade(data_dir, clock, earlier_schema(REVISION))
    assert _has_counts_table(data_dir)
    database = sqlite3.connect(data_dir / "peer-support.sqlite3")  # the earlier version's index answers alike
    assert database.execute("SELECT count(*) FROM family_search_fts WHERE family_search_fts MATCH "
                            "'\"ergaard\"'").fetchone() == (1,)
    database.close()

    context = open_context(data_dir, clock)  # upgrades, as at start-up
    try:
        assert not _has_counts_table(data_dir)
        assert _answers(context) == head
        made = families.create_family(context, FamilyDraft(name="Łukasz Kamiński", phone="07700 900222"))
        assert [row.reference for row in family_page(context, FamilyQuery(text="lukasz"), 0, 5)] == [made.reference]
        draft = dataclasses.replace(families.get_family(context, made.reference).draft(), name="Łukasz Nowak")
        families.update_family(context, made.reference, draft)
        assert count_families(context, FamilyQuery(text="kaminski")) == 0
        assert count_families(context, FamilyQuery(text="nowak")) == 1
    finally:
        context.close()
