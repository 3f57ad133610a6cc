"""Migrations: from empty to head, the result matches the models, safety checks."""

from __future__ import annotations

import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

import peer_support.storage.tables  # noqa: F401 - all tables on the metadata
from peer_support.context import open_context
from peer_support.errors import StorageError
from peer_support.storage import migrate


def test_upgrade_from_empty_reaches_every_head(context):
    assert migrate.current_heads(context.db.engine) == migrate.known_heads()


def _not_the_full_text_index(obj, name, type_, reflected, compare_to) -> bool:
    # An FTS5 virtual table and its shadow tables have no SQLAlchemy model (storage/tables/search.py).
    return not (type_ == "table" and name.startswith("family_search_fts"))


def test_migrated_schema_matches_the_models(context):
    with context.db.engine.connect() as connection:
        migration_context = MigrationContext.configure(connection,
                                                       opts={"include_object": _not_the_full_text_index})
        differences = compare_metadata(migration_context, SQLModel.metadata)
    assert differences == []


def test_the_full_text_index_and_its_triggers_exist(context):
    with context.db.plain() as connection:
        names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert {"family_search_fts", "family_search_ai", "family_search_ad", "family_search_au"} <= names


def test_a_copy_is_taken_before_migrating(tmp_path, clock):
    from alembic import command

    engine_folder = tmp_path / "old"
    context = open_context(engine_folder, clock)
    config = migrate.alembic_config()
    with context.db.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0001_core")
    context.close()
    reopened = open_context(engine_folder, clock)
    reopened.close()
    backups = list((engine_folder / "backups").glob("before-upgrade-*.sqlite3"))
    assert len(backups) == 1
    tables = {r[0] for r in sqlite3.connect(backups[0]).execute("select name from sqlite_master")}
    assert "change_log" in tables and "family" not in tables


def test_a_database_from_a_newer_version_is_refused(data_dir, clock):
    db = sqlite3.connect(data_dir / "peer-support.sqlite3")  # raw on purpose: a newer app's schema stamp
    db.execute("DELETE FROM alembic_version")
    db.execute("INSERT INTO alembic_version VALUES ('9999_future')")
    db.commit()
    db.close()
    with pytest.raises(StorageError, match="newer version"):
        open_context(data_dir, clock)


def test_a_file_that_is_not_a_database_is_refused(tmp_path, clock):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "peer-support.sqlite3").write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StorageError):
        open_context(folder, clock)


def test_cheap_head_reading_agrees_with_alembic():
    from alembic.script import ScriptDirectory

    from peer_support.storage import revisions

    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    assert revisions.known_heads() == set(scripts.get_heads())
    assert revisions.known_revisions() == {s.revision for s in scripts.walk_revisions()}


def test_expression_indexes_exist_after_migrating(context):
    """Alembic cannot compare expression indexes on SQLite, so check them by name."""
    expected = {index.name for table in SQLModel.metadata.tables.values() for index in table.indexes
                if any(not hasattr(expr, "name") for expr in index.expressions)}
    assert "ix_family_reference_order" in expected
    with context.db.engine.connect() as connection:
        present = {row[0] for row in connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert expected <= present
