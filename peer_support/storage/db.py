"""The SQLite database: engine set-up and the unit-of-work transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlmodel import Session

from peer_support.clock import Clock
from peer_support.errors import StorageError
from peer_support.i18n import _
from peer_support.storage import encryption
from peer_support.storage.unit_of_work import ChangeSummary, UnitOfWork

DATABASE_FILE = "peer-support.sqlite3"
BUSY_TIMEOUT_MS = 10_000


def _configure_connection(dbapi_connection: sqlite3.Connection, _record) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (see below).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    # FULL: a confirmed change survives a power cut, not only a crash.
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _begin(connection) -> None:
    # Writers take the lock up front, so two writers queue on busy_timeout
    # instead of failing half-way with "database is locked".
    mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(path: Path, key: str | None = None) -> Engine:
    # With a key the engine is SQLCipher's (storage/encryption.py); the pragmas are the same.
    engine = encryption.engine_for(path, key)
    event.listen(engine, "connect", _configure_connection)
    event.listen(engine, "begin", _begin)
    return engine


def storage_error(exc: Exception) -> StorageError:
    """A clear, translated message for what SQLite reported, on one line."""
    # SQLAlchemy's text adds the SQL statement and a web link: keep SQLite's own words.
    reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
    text = reason.lower()
    if "disk is full" in text or "database or disk is full" in text:
        return StorageError(_("The disk is full. Nothing was saved; free some space and try again."))
    if "readonly" in text or "read-only" in text:
        return StorageError(_("The data folder cannot be written to. Nothing was saved."))
    if "locked" in text or "busy" in text:
        return StorageError(_("The data is busy in another window or program. Try again in a moment."))
    if "not a database" in text or "malformed" in text:
        return StorageError(_("The database file is damaged. Restore it from a backup."))
    return StorageError(_("The data could not be saved or read: %(reason)s") % {"reason": reason})


class Database:
    def __init__(self, path: Path, clock: Clock, device_id: str,
                 actor: Callable[[], str] = lambda: "", key: str | None = None) -> None:
        self.path = path
        self.key = key  # the SQLCipher passphrase when the data is encrypted
        self.clock = clock
        self.device_id = device_id
        self.actor = actor
        self.schema_rev = ""
        self.engine = make_engine(path, key)
        self._writer = self.engine.execution_options(sqlite_begin="IMMEDIATE")

    @contextmanager
    def transaction(self, description: str, undoes: str | None = None) -> Iterator[UnitOfWork]:
        """One user action: commits on success, rolls back on any exception.

        ``undoes``: the id of the action this one takes back (history.undo_action).
        """
        try:
            with Session(self._writer, expire_on_commit=False) as session:
                uow = UnitOfWork(session, description=description, actor=self.actor(),
                                 device_id=self.device_id, now=self.clock.now(),
                                 schema_rev=self.schema_rev, undoes=undoes)
                try:
                    yield uow
                    session.commit()
                except BaseException:
                    session.rollback()
                    raise
        except OperationalError as exc:
            raise storage_error(exc) from exc

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session. Closing returns the connection to the pool, which
        rolls back anything written; loaded objects stay readable afterwards."""
        try:
            with Session(self.engine, expire_on_commit=False) as session:
                yield session
        except OperationalError as exc:
            raise storage_error(exc) from exc

    def dispose(self) -> None:
        self.engine.dispose()


__all__ = ["ChangeSummary", "Database", "DATABASE_FILE", "SQLAlchemyError", "make_engine", "storage_error"]
