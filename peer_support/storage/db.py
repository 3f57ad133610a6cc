"""The SQLite database: engine set-up, the unit-of-work transaction, plain-SQL reads.

SQLAlchemy, SQLModel and the table classes take most of a second to import on
an old laptop, and the first paint of the window needs none of them: the
engine is made on first use (``Database.engine``), and ``Database.plain()``
hands out a DB-API connection with the same PRAGMAs for the few hot paths that
are written in plain SQL (the dashboard's summary, search as you type).
``warm_up()`` loads the rest in a background thread once the window is up.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from peer_support.clock import Clock
from peer_support.errors import StorageError
from peer_support.i18n import _
from peer_support.storage import encryption
from peer_support.storage.checkpoints import AUTOCHECKPOINT_PAGES, Checkpointer
from peer_support.storage.names import DATABASE_FILE

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlmodel import Session

    from peer_support.storage.unit_of_work import UnitOfWork

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
    # Checkpoints are taken off the commit path when writes pause (storage/checkpoints.py);
    # a commit checkpoints itself only if a burst without a pause takes the log this far.
    cursor.execute(f"PRAGMA wal_autocheckpoint = {AUTOCHECKPOINT_PAGES}")
    cursor.close()


def _begin(connection) -> None:
    # Writers take the lock up front, so two writers queue on busy_timeout
    # instead of failing half-way with "database is locked".
    mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(path: Path, key: str | None = None) -> Engine:
    # With a key the engine is SQLCipher's (storage/encryption.py); the pragmas are the same.
    from sqlalchemy import event

    engine = encryption.engine_for(path, key)
    event.listen(engine, "connect", _configure_connection)
    event.listen(engine, "begin", _begin)
    return engine


def is_storage_failure(exc: BaseException) -> bool:
    """Whether SQLite could not read or write the file (disk full, busy, read-only, damaged), as
    told by sqlite3 or sqlcipher3, bare or wrapped by SQLAlchemy; not a broken rule of the data
    (IntegrityError) nor a mistake in the SQL (ProgrammingError)."""
    failure = getattr(exc, "orig", None) or exc
    # DatabaseError itself is what SQLite's "malformed" and "not a database" come out as.
    return type(failure).__name__ in ("OperationalError", "DatabaseError")


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


def plain_connection(path: Path, key: str | None = None):
    """A DB-API connection with the app's PRAGMAs, in autocommit mode (BEGIN is explicit)."""
    # Closed by Database.dispose from whichever thread; each thread still uses only its own.
    connection = encryption.connect(path, key, check_same_thread=False)
    _configure_connection(connection, None)
    return connection


class Database:
    def __init__(self, path: Path, clock: Clock, device_id: str,
                 actor: Callable[[], str] = lambda: "", key: str | None = None) -> None:
        self.path = path
        self.key = key  # the SQLCipher passphrase when the data is encrypted
        self.clock = clock
        self.device_id = device_id
        self.actor = actor
        self.schema_rev = ""
        self._engine: Engine | None = None
        self._engine_lock = threading.Lock()
        self._plain = threading.local()
        self._plain_all: list = []
        self.checkpointer = self._new_checkpointer()

    def _new_checkpointer(self) -> Checkpointer:
        return Checkpointer(lambda: plain_connection(self.path, self.key))

    def wrote(self) -> None:
        """A write transaction has committed: the log is checkpointed after the next pause."""
        self.checkpointer.wrote()

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, made (and SQLAlchemy imported) on first use."""
        if self._engine is None:
            with self._engine_lock:
                if self._engine is None:
                    self._engine = make_engine(self.path, self.key)
        return self._engine

    @property
    def _writer(self):
        return self.engine.execution_options(sqlite_begin="IMMEDIATE")

    def warm_up(self) -> None:
        """Import the data layer and make the engine (run off the GUI thread after the first paint)."""
        import peer_support.storage.tables  # noqa: F401
        import peer_support.storage.unit_of_work  # noqa: F401

        self.engine

    def thread_connection(self) -> sqlite3.Connection:
        """This thread's DB-API connection, made on first use. Raises sqlite3 errors as they are:
        ``plain()`` and ``plain_work.plain_transaction`` turn them into a StorageError."""
        connection = getattr(self._plain, "connection", None)
        if connection is None:
            connection = plain_connection(self.path, self.key)
            self._plain.connection = connection
            self._plain_all.append(connection)
        return connection

    @contextmanager
    def plain(self) -> Iterator[sqlite3.Connection]:
        """This thread's DB-API connection for plain-SQL reads (autocommit: each statement sees
        the latest commit). Do not write through it outside ``BEGIN``/``COMMIT``."""
        try:
            yield self.thread_connection()
        except Exception as exc:
            if is_storage_failure(exc):
                raise storage_error(exc) from exc
            raise

    @contextmanager
    def transaction(self, description: str, undoes: str | None = None) -> Iterator[UnitOfWork]:
        """One user action: commits on success, rolls back on any exception.

        ``undoes``: the id of the action this one takes back (history.undo_action).
        """
        from sqlalchemy.exc import DBAPIError
        from sqlmodel import Session

        from peer_support.storage.unit_of_work import UnitOfWork

        try:
            with Session(self._writer, expire_on_commit=False) as session:
                uow = UnitOfWork(session, description=description, actor=self.actor(),
                                 device_id=self.device_id, now=self.clock.now(),
                                 schema_rev=self.schema_rev, undoes=undoes)
                try:
                    yield uow
                    uow.before_commit()
                    session.commit()
                except BaseException:
                    session.rollback()
                    raise
            self.wrote()
        except DBAPIError as exc:
            if is_storage_failure(exc):
                raise storage_error(exc) from exc
            raise

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only session. Closing returns the connection to the pool, which
        rolls back anything written; loaded objects stay readable afterwards."""
        from sqlalchemy.exc import DBAPIError
        from sqlmodel import Session

        try:
            with Session(self.engine, expire_on_commit=False) as session:
                yield session
        except DBAPIError as exc:
            if is_storage_failure(exc):
                raise storage_error(exc) from exc
            raise

    def dispose(self) -> None:
        self.checkpointer.stop()  # first: its connection must not outlive the others
        self.checkpointer = self._new_checkpointer()
        for connection in self._plain_all:
            try:
                connection.close()
            except sqlite3.ProgrammingError:  # made in another thread that has ended
                pass
        self._plain_all.clear()
        self._plain = threading.local()
        if self._engine is not None:
            self._engine.dispose()


__all__ = ["Database", "DATABASE_FILE", "make_engine", "plain_connection", "storage_error"]
