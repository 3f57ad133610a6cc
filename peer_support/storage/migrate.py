"""Apply Alembic migrations at start-up, after taking a copy of the database.

Alembic itself is imported only when the database is behind: reading the
current revision is one query, and the known heads come from storage/revisions.py.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError

from peer_support.errors import StorageError
from peer_support.i18n import _
from peer_support.resources import package_path
from peer_support.storage.backups import copy_database
from peer_support.storage.revisions import known_heads, known_revisions

__all__ = ["alembic_config", "current_heads", "known_heads", "known_revisions", "upgrade"]


def alembic_config():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(package_path("storage", "migrations")))
    return config


def current_heads(engine: Engine) -> set[str]:
    try:
        with engine.connect() as connection:
            has_table = connection.exec_driver_sql(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").first()
            if not has_table:
                return set()
            return {row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))}
    except DatabaseError as exc:
        raise StorageError(_("The database file is damaged or is not a Peer Support database.")) from exc


def schema_revision(heads: set[str]) -> str:
    return "+".join(sorted(heads))


def upgrade(engine: Engine, database_path: Path, backup_dir: Path, now: datetime,
            key: str | None = None) -> str:
    """Bring the schema up to date; returns the schema revision.

    A copy of an existing database is taken before any migration runs.
    Raises StorageError for a database from a newer version of the app.
    """
    current = current_heads(engine)
    unknown = current - known_revisions()
    if unknown:
        raise StorageError(_("This data was saved by a newer version of Peer Support "
                             "(schema %(revision)s). Install the newer version to open it.")
                           % {"revision": schema_revision(unknown)})
    heads = known_heads()
    if current != heads:
        if current and database_path.exists():
            stamp = now.strftime("%Y%m%dT%H%M%SZ")
            copy_database(database_path, backup_dir / f"before-upgrade-{stamp}.sqlite3", key)
        from alembic import command

        config = alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "heads")
    return schema_revision(heads)
