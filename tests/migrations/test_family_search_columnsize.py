"""Migration 0036_family_search_columnsize: the trigram index made again without its per-row token
counts, and back.

Families (with members, an archived one, accents) are set up through the services; after the
downgrade the index has its counts table again and finds the same families, and after the upgrade
(as at start-up) it has none, finds the same families, and follows a new family and an edit.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

from peer_support.clock import FixedClock
from peer_support.context import open_context
from peer_support.domain.families import FamilyDraft, MemberDraft
from peer_support.services import families

from tests.migrations.downgrades import downgrade, earlier_schema
from tests.migrations.search_checks import check_search_follows_a_new_family_and_an_edit, search_answers

NOW = datetime(2026, 11, 25, 10, 30, tzinfo=timezone.utc)
REVISION = "0036_family_search_columnsize"
SEARCHES = ("", "s", "soerensen", "sorensen", "ostergaard", "07700", "ct9", "f000", "smith")


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
    head = search_answers(context, SEARCHES)
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
        assert search_answers(context, SEARCHES) == head
        check_search_follows_a_new_family_and_an_edit(context)
    finally:
        context.close()
