"""Migration 0037_family_search_text_dropped: the family table's unread search text column and its
index go, and come back on a downgrade with each family's text (members aside).

Families (accents, an archived one, members) are set up through the services. At head the column
is gone and search answers from its own table; after the downgrade the column holds what the
earlier version wrote for each family; after the upgrade (as at start-up) it is gone again and
search answers alike, and follows a new family and an edit.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

from peer_support.clock import FixedClock
from peer_support.context import open_context
from peer_support.domain.families import FamilyDraft, FamilyQuery, MemberDraft
from peer_support.domain.search import family_search_text
from peer_support.services import families
from peer_support.services.families_search import count_families

from tests.migrations.downgrades import downgrade, earlier_schema
from tests.migrations.search_checks import check_search_follows_a_new_family_and_an_edit, search_answers

NOW = datetime(2026, 11, 25, 10, 30, tzinfo=timezone.utc)
REVISION = "0037_family_search_text_dropped"
SEARCHES = ("", "s", "soerensen", "sorensen", "ostergaard", "07700", "ct9", "f000", "smith", "o'neill")


def _schema(folder) -> tuple[set[str], set[str]]:
    """The family table's columns and index names."""
    database = sqlite3.connect(folder / "peer-support.sqlite3")
    try:
        columns = {row[1] for row in database.execute("PRAGMA table_info(family)")}
        indexes = {row[1] for row in database.execute("PRAGMA index_list(family)")}
        return columns, indexes
    finally:
        database.close()


def test_the_column_goes_and_comes_back_with_each_familys_text(data_dir):
    clock = FixedClock(NOW)
    context = open_context(data_dir, clock)
    families.create_family(context, FamilyDraft(name="Mette Sørensen", postcode="CT9 1AB", phone="07700 900111"))
    families.create_family(context, FamilyDraft(name="Anna Müller", email="anna@example.org",
                                                members=(MemberDraft(name="Jonas Østergaard"),)))
    families.create_family(context, FamilyDraft(name="Siobhan O'Neill", phone="+44 1843 000000"))
    smith = families.create_family(context, FamilyDraft(name="Sarah Smith", postcode="CT10 2XY"))
    families.set_family_archived(context, smith.reference, True)
    head = search_answers(context, SEARCHES)
    assert head["soerensen"][0] == 1 and head["ostergaard"][0] == 1 and head["smith"][2] == 1
    details = {f.reference: (f.reference, f.name, f.postcode, f.phone, f.email)
               for f in (families.get_family(context, r) for r in ("F0001", "F0002", "F0003", "F0004"))}
    context.close()
    columns, indexes = _schema(data_dir)
    assert "search_text" not in columns and "ix_family_search" not in indexes and "ix_family_live" in indexes

    downgrade(data_dir, clock, earlier_schema(REVISION))
    columns, indexes = _schema(data_dir)
    assert "search_text" in columns and "ix_family_search" in indexes and "ix_family_live" not in indexes
    database = sqlite3.connect(data_dir / "peer-support.sqlite3")
    texts = dict(database.execute("SELECT reference, search_text FROM family"))
    database.close()
    # As the earlier version kept it: the family's own details folded, its members aside.
    assert texts == {reference: family_search_text(*fields) for reference, fields in details.items()}
    assert "jonas" not in texts["F0002"] and "soerensen" in texts["F0001"]

    context = open_context(data_dir, clock)  # upgrades, as at start-up
    try:
        columns, indexes = _schema(data_dir)
        assert "search_text" not in columns and "ix_family_live" in indexes
        assert search_answers(context, SEARCHES) == head
        check_search_follows_a_new_family_and_an_edit(context)
    finally:
        context.close()


def test_an_sqlite_too_old_to_drop_a_column_empties_it_instead(data_dir):
    """SQLite before 3.35 cannot drop a column in place: the column stays, with no personal
    data left in it, and the app works as usual (nothing writes or reads it). The old version
    is told by every new connection's sqlite_version(), which a function of that name overrides."""
    from sqlalchemy import event
    from sqlalchemy.pool import Pool

    def old_sqlite(connection, _record) -> None:
        connection.create_function("sqlite_version", 0, lambda: "3.34.1")

    clock = FixedClock(NOW)
    context = open_context(data_dir, clock)
    families.create_family(context, FamilyDraft(name="Mette Sørensen", phone="07700 900111"))
    context.close()
    downgrade(data_dir, clock, earlier_schema(REVISION))
    database = sqlite3.connect(data_dir / "peer-support.sqlite3")
    assert database.execute("SELECT search_text FROM family").fetchone()[0] != ""
    database.close()
    event.listen(Pool, "connect", old_sqlite)
    try:
        context = open_context(data_dir, clock)  # upgrades, as at start-up
    finally:
        event.remove(Pool, "connect", old_sqlite)
    try:
        columns, indexes = _schema(data_dir)
        assert "search_text" in columns and "ix_family_search" not in indexes and "ix_family_live" in indexes
        made = families.create_family(context, FamilyDraft(name="Łukasz Kamiński"))
        assert count_families(context, FamilyQuery(text="sorensen")) == 1
        assert count_families(context, FamilyQuery(text="kaminski")) == 1
    finally:
        context.close()
    database = sqlite3.connect(data_dir / "peer-support.sqlite3")
    assert {text for (text,) in database.execute("SELECT search_text FROM family")} == {""}
    database.close()
    assert made.reference == "F0002"
