"""Upgrading keeps the data: a database left by an earlier schema, holding the
sample data, is opened the way the app starts; it is copied before anything
changes and every row comes through the upgrade.

(The upgrade from every earlier revision is tests/migrations' other concern;
this file is about the backup and the data of one realistic upgrade.)
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from peer_support.context import open_context
from peer_support.services.info import app_info, check_database
from peer_support.storage import migrate
from peer_support.storage.revisions import known_heads, revision_graph

# 0009_families_more adds columns to the family tables and fills the new
# search column from every family's details: an upgrade that reads and writes
# the register's data. The schema from before it (and whatever followed it on
# its branch) is one an earlier version of the app wrote.
FIRST_MISSING = "0009_families_more"


def earlier_schema(first_missing: str) -> str:
    """Alembic's downgrade target that removes first_missing and what follows it on its branch."""
    graph = revision_graph()
    for head in known_heads():
        steps, current = 0, head
        while current != first_missing and len(graph[current]) == 1:
            current, steps = graph[current][0], steps + 1
        if current == first_missing:
            return f"{head}@-{steps + 1}"
    raise AssertionError(f"{first_missing} is on no branch of the migrations")


def downgrade(data_dir: Path, clock, target: str) -> None:
    from alembic import command

    context = open_context(data_dir, clock)
    config = migrate.alembic_config()
    with context.db.engine.connect() as connection:
        # Dropping a column rebuilds the table, which SQLite refuses while
        # other tables' rows refer to it and foreign keys are enforced.
        # (On the driver's connection, before SQLAlchemy's BEGIN: the pragma
        # does nothing inside a transaction.)
        connection.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")
        config.attributes["connection"] = connection
        command.downgrade(config, target)
        connection.commit()
    context.close()


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
    assert "search_text" not in next(iter(before["family"].values()))  # the earlier schema
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
