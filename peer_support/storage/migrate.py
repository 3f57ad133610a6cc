"""Apply Alembic migrations at start-up, after taking a copy of the database.

Alembic itself is imported only when the database is behind: reading the
current revision is one query, and the known heads come from storage/revisions.py.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path


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


def current_heads(engine) -> set[str]:
    """The revisions the database is at, read through an engine or a Database (plain SQL, no engine)."""
    damaged = StorageError(_("The database file is damaged or is not a Peer Support database."))
    if hasattr(engine, "plain"):
        try:
            with engine.plain() as connection:
                return _heads(connection)
        except Exception as exc:  # sqlite3's or sqlcipher3's DatabaseError: not a database
            if isinstance(exc, StorageError) or type(exc).__name__ in ("DatabaseError", "OperationalError"):
                raise damaged from exc
            raise
    from sqlalchemy.exc import DatabaseError

    try:
        with engine.connect() as connection:
            return _heads(connection.connection.driver_connection)
    except DatabaseError as exc:
        raise damaged from exc


def _heads(connection) -> set[str]:
    has_table = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").fetchone()
    if not has_table:
        return set()
    return {row[0] for row in connection.execute("SELECT version_num FROM alembic_version")}


def schema_revision(heads: set[str]) -> str:
    return "+".join(sorted(heads))


def upgrade(engine, database_path: Path, backup_dir: Path, now: datetime,
            key: str | None = None) -> str:
    """Bring the schema up to date; returns the schema revision.

    ``engine`` is an engine or a Database; with a Database up to date, no engine
    is made (SQLAlchemy is not even imported). A copy of an existing database is
    taken before any migration runs. Raises StorageError for a database from a
    newer version of the app.
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
        engine = getattr(engine, "engine", engine)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "heads")
    return schema_revision(heads)
