"""Upgrading keeps the data: a database left by an earlier schema, holding the
sample data, is opened the way the app starts; it is copied before anything
changes and every row comes through the upgrade.

How a database at an earlier revision gets its data: the sample data is made
at head through the services (``peer_support.sample`` plus a few service calls
for what the sample leaves empty: people with roles and a PIN, a final issue's
snapshot, an erasure, a family kept past retention, a sync), then Alembic's
downgrade removes the revision under test and what follows it on its branch.
Every downgrade is checked to give exactly the schema that upgrading an empty
database to the same revisions gives, so the old database is one an earlier
version of the app wrote, holding the data that fits its schema. No row is
written by hand.

``test_every_earlier_revision_upgrades_to_what_head_holds`` does this for EACH
revision but the first (nothing comes before 0001_core; an empty database
upgraded to head is test_migrations.py's): open it the way the app starts,
then compare every row of every table with the head database: kept tables and
columns hold exactly what they held at head; a column the upgrade adds holds
what UPGRADE_GIVES says (a default, or the same value as at head when the
migration works it out from the data); a table the upgrade creates is empty,
or equal to head's when it is derived from the data (the search index). What
``info`` counts and what a family search finds are compared through the
services too.
"""

from __future__ import annotations

import dataclasses
import shutil
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from peer_support.context import open_context
from peer_support.domain.families import FamilyQuery
from peer_support.services.info import app_info, check_database
from peer_support.storage import migrate
from peer_support.services.families_search import count_families
from peer_support.storage.revisions import known_heads, known_revisions, revision_graph

from tests.migrations.downgrades import downgrade, earlier_schema

# 0009_families_more adds columns to the family tables and fills the new
# search column from every family's details: an upgrade that reads and writes
# the register's data. The schema from before it (and whatever followed it on
# its branch) is one an earlier version of the app wrote.
FIRST_MISSING = "0009_families_more"


def snapshot(path: Path) -> dict[str, dict[tuple, dict]]:
    """Every row of every table, keyed by primary key, as column -> value."""
    db = sqlite3.connect(path)
    db.row_factory = sqlite3.Row
    tables = [row[0] for row in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    result = {}
    for table in tables:
        key = [row["name"] for row in db.execute(f'PRAGMA table_info("{table}")') if row["pk"]]
        rows = [dict(row) for row in db.execute(f'SELECT * FROM "{table}"')]
        result[table] = {tuple(row[column] for column in key) if key else tuple(row.values()): row
                         for row in rows}
    db.close()
    return result


def test_an_upgrade_takes_a_backup_first_and_keeps_every_row(sample_dir, clock):
    context = open_context(sample_dir, clock)
    counts = app_info(context).row_counts
    context.close()
    downgrade(sample_dir, clock, earlier_schema(FIRST_MISSING))
    database = sample_dir / "peer-support.sqlite3"
    before = snapshot(database)
    assert "position" not in next(iter(before["family_member"].values()))  # the earlier schema
    assert len(before["family"]) >= 500 and before["meeting"] and before["fund_payment"]
    assert not list((sample_dir / "backups").glob("before-upgrade-*.sqlite3"))

    context = open_context(sample_dir, clock)  # what the app does at start-up
    try:
        assert migrate.current_heads(context.db.engine) == migrate.known_heads()
        assert check_database(context) == []
        assert app_info(context).row_counts == counts  # what `info` shows, as before
    finally:
        context.close()

    # The copy was taken before the upgrade: it is the earlier database, whole.
    backups = list((sample_dir / "backups").glob("before-upgrade-*.sqlite3"))
    assert len(backups) == 1
    assert snapshot(backups[0]) == before

    # Nothing lost: every row is still there with every value it had.
    after = snapshot(database)
    for table, rows in before.items():
        if table == "alembic_version":
            continue
        assert table in after, f"table {table} disappeared"
        assert after[table].keys() == rows.keys(), f"rows of {table} changed"
        for key, row in rows.items():
            upgraded = after[table][key]
            assert {column: upgraded[column] for column in row} == row, (table, key)


# -- every earlier revision --------------------------------------------------------------
FIXED_NOW = datetime(2026, 11, 25, 10, 30, tzinfo=timezone.utc)  # as tests/conftest.py (the sample's clock)
SAME_AS_HEAD = object()  # the migration works the value out from the data: it must equal head's

# What an upgrade puts in each column it adds to a table that holds data. A new migration that
# adds a column to such a table says here what the upgrade gives it (the test fails until then).
UPGRADE_GIVES = {
    ("family_member", "position"): 0,             # 0009: members keep the order they were added in
    ("newsletter_issue", "snapshot"): "",         # 0031: an earlier final issue shows today's figures
    ("app_user", "roles"): "lead",                # 0032: everyone already on the list is a lead
    ("app_user", "pin_hash"): "",                 # 0032: ... with no PIN
}
# Tables an upgrade creates and fills from the data already there (the others start empty),
# with the table they are worked out from.
DERIVED_TABLES = {"family_search": "family"}
# The full-text index's own storage is compared through the search service, not byte by byte.
FTS_PREFIX = "family_search_fts"
SEARCHES = ("", "smith", "ct9", "07", "example.org", "ann", "f000")


def target_without(revision: str) -> str:
    """The downgrade target that removes ``revision`` and what follows it on its branch; a
    revision other branches rest on (0002_families) goes back to the one before it."""
    graph = revision_graph()
    if sum(revision in parents for parents in graph.values()) > 1:
        [parent] = graph[revision]
        return parent
    return earlier_schema(revision)


def schema(path: Path) -> dict[str, tuple]:
    """Each table's columns, indexes and foreign keys, and each trigger, as SQLite reports them."""
    db = sqlite3.connect(path)
    result = {}
    for kind, name in db.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
                                 "AND type IN ('table', 'trigger') ORDER BY name"):
        if kind == "trigger":
            result[name] = ("trigger",)
            continue
        columns = tuple(db.execute(f'PRAGMA table_info("{name}")').fetchall())
        # (SQLite numbers UNIQUE constraints' indexes and foreign keys in the order the table declares
        # them, which Alembic's batch mode does not keep: those are compared without their numbers.)
        indexes = tuple(sorted(("" if row[1].startswith("sqlite_autoindex_") else row[1], row[2],
                                tuple(c[2] for c in db.execute(f'PRAGMA index_info("{row[1]}")')))
                               for row in db.execute(f'PRAGMA index_list("{name}")')))
        keys = tuple(sorted(row[2:] for row in db.execute(f'PRAGMA foreign_key_list("{name}")')))  # no numbers
        result[name] = (columns, indexes, keys)
    db.close()
    return result


def schema_from_empty(path: Path, heads: set[str]) -> dict[str, tuple]:
    """The schema an earlier app wrote: an empty database upgraded to ``heads`` only."""
    from alembic import command

    config = migrate.alembic_config()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        for head in sorted(heads):
            command.upgrade(config, head)
    engine.dispose()
    return schema(path)


@pytest.fixture(scope="module")
def head_dir(tmp_path_factory, sample_template) -> Path:
    """The sample data at head, plus what the sample leaves empty, all through the services."""
    from peer_support.clock import FixedClock
    from peer_support.domain.newsletter import FINAL
    from peer_support.services import newsletter, privacy, retention, users
    from peer_support.services.sync import set_sync_folder, sync_now

    folder = tmp_path_factory.mktemp("head") / "data"
    shutil.copytree(sample_template, folder)
    context = open_context(folder, FixedClock(FIXED_NOW))
    try:
        users.choose_user(context, "Lena Lead")  # the first person is a lead
        users.add_user(context, "Vic Volunteer", "volunteer", pin="2468")
        draft = [issue for issue in newsletter.list_issues(context) if issue.status != FINAL][0]
        newsletter.save_issue(context, draft.number,
                              dataclasses.replace(newsletter.get_issue(context, draft.number).as_draft(),
                                                  status=FINAL))
        retention.keep_family(context, "F0002", "Still in touch by phone")
        privacy.erase_family(context, "F0003")
        stick = folder.parent / "stick"
        stick.mkdir()
        set_sync_folder(context, stick)
        sync_now(context)
    finally:
        context.close()
    return folder


@pytest.fixture(scope="module")
def head_rows(head_dir):
    return snapshot(head_dir / "peer-support.sqlite3")


def _counts_and_searches(context) -> tuple[dict, dict]:
    searches = {text: count_families(context, FamilyQuery(text=text, archived="all")) for text in SEARCHES}
    return app_info(context).row_counts, searches


@pytest.fixture(scope="module")
def head_view(head_dir, tmp_path_factory):
    from peer_support.clock import FixedClock

    folder = tmp_path_factory.mktemp("head-view") / "data"
    shutil.copytree(head_dir, folder)
    context = open_context(folder, FixedClock(FIXED_NOW))
    try:
        return _counts_and_searches(context)
    finally:
        context.close()


@pytest.mark.parametrize("revision", sorted(known_revisions() - {"0001_core"}))
def test_every_earlier_revision_upgrades_to_what_head_holds(revision, head_dir, head_rows, head_view,
                                                            tmp_path, clock):
    folder = tmp_path / "old"
    shutil.copytree(head_dir, folder)
    database = folder / "peer-support.sqlite3"
    downgrade(folder, clock, target_without(revision))
    old_heads = {row[0] for row in sqlite3.connect(database).execute("SELECT version_num FROM alembic_version")}
    assert revision not in old_heads and old_heads != known_heads()
    # The downgrade gave the schema an earlier app wrote, not something of its own.
    assert schema(database) == schema_from_empty(tmp_path / "empty.sqlite3", old_heads)
    old_schema = schema(database)

    context = open_context(folder, clock)  # what the app does at start-up
    try:
        assert migrate.current_heads(context.db.engine) == known_heads()
        assert check_database(context) == []
        counts, searches = _counts_and_searches(context)
    finally:
        context.close()

    after = snapshot(database)
    assert after.keys() == head_rows.keys()
    for table, rows in head_rows.items():
        if table.startswith(FTS_PREFIX):
            continue
        if table not in old_schema:  # created by the upgrade
            expected = rows if DERIVED_TABLES.get(table) in old_schema else {}
            assert after[table] == expected, f"{table} after upgrading from before {revision}"
            continue
        old_columns = {column[1] for column in old_schema[table][0]}
        assert after[table].keys() == rows.keys(), f"rows of {table} changed"
        for column in next(iter(rows.values()), {}):
            if column in old_columns or (table, column) not in UPGRADE_GIVES:
                assert column in old_columns, f"{table}.{column}: add it to UPGRADE_GIVES"
                wanted = {key: row[column] for key, row in rows.items()}
            elif UPGRADE_GIVES[table, column] is SAME_AS_HEAD:
                wanted = {key: row[column] for key, row in rows.items()}
            else:
                wanted = {key: UPGRADE_GIVES[table, column] for key in rows}
            got = {key: row[column] for key, row in after[table].items()}
            assert got == wanted, f"{table}.{column} after upgrading from before {revision}"
    # Through the services: what `info` counts (tables that held data then) and what search finds.
    head_counts, head_searches = head_view
    kept = {table: count for table, count in head_counts.items() if table in old_schema}
    assert {table: counts[table] for table in kept} == kept
    if "family" in old_schema:
        assert searches == head_searches
