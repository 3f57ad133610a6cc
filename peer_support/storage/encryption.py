"""Optional encryption of the database at rest (SQLCipher through ``sqlcipher3``).

An encrypted data folder holds a small marker file, ``encryption.json``, so the
app knows to ask for the passphrase instead of calling the file damaged (an
encrypted file looks like random bytes). The passphrase itself is never
stored. Backups of an encrypted database are encrypted with the same key,
because the SQLite backup API copies the encrypted pages as they are.

Every connection, plain or encrypted, is made here, so the rest of storage
does not care which it is.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from peer_support.errors import StorageError, ValidationError
from peer_support.i18n import _
from peer_support.storage.names import DATABASE_FILE

MARKER_FILE = "encryption.json"
ENV_PASSPHRASE = "PEER_SUPPORT_PASSPHRASE"
MIN_PASSPHRASE = 8


class PassphraseError(StorageError):
    """The data is encrypted and no passphrase, or the wrong one, was given."""


def available() -> bool:
    """Whether SQLCipher is installed on this laptop."""
    try:
        import sqlcipher3  # noqa: F401
    except ImportError:
        return False
    return True


_quietened = False


def _sqlcipher():
    global _quietened
    try:
        import sqlcipher3
    except ImportError as exc:
        raise StorageError(_("Encryption needs the sqlcipher3 package, which is not installed "
                             "on this computer.")) from exc
    if not _quietened:
        _quiet(sqlcipher3)
        _quietened = True
    return sqlcipher3


def _quiet(sqlcipher3) -> None:
    """Stop SQLCipher printing its own log lines ("ERROR CORE ... hmac check failed") to stderr.

    A wrong passphrase is expected and gets our one translated line; the
    library's lines before it only confuse. The log level is process-wide.
    """
    try:
        connection = sqlcipher3.connect(":memory:")
        try:
            connection.execute("PRAGMA cipher_log_level = NONE")
        finally:
            connection.close()
    except Exception:  # noqa: BLE001 - an older SQLCipher without the pragma logs nothing to quieten
        pass


def is_encrypted(folder: Path) -> bool:
    return (folder / MARKER_FILE).exists()


def _quote(passphrase: str) -> str:
    return "'" + passphrase.replace("'", "''") + "'"


def connect(path: Path, key: str | None = None, read_only: bool = False, check_same_thread: bool = True):
    """A DB-API connection to ``path`` (sqlite3, or sqlcipher3 with ``key``)."""
    module = _sqlcipher() if key else sqlite3
    if read_only:
        connection = module.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=check_same_thread)
    else:
        connection = module.connect(str(path), check_same_thread=check_same_thread)
    if key:
        connection.execute(f"PRAGMA key = {_quote(key)}")
    return connection


def make_url(path: Path, key: str | None):
    from sqlalchemy import URL  # SQLAlchemy loads only when the engine is first needed

    if key:
        return URL.create("sqlite+pysqlcipher", password=key, database=str(path))
    return URL.create("sqlite", database=str(path))


def engine_for(path: Path, key: str | None):
    """A bare engine (no app pragmas); db.make_engine adds those.

    Its errors never carry the statement's values (``hide_parameters``): SQLAlchemy would
    otherwise write them into the error's text (a name, a phone number), and an unexpected
    error's text goes in full to the log file (logs.py), which is plain text even when the
    database is encrypted and which an erasure does not reach."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import QueuePool

    if key:
        _sqlcipher()
        return create_engine(make_url(path, key), poolclass=QueuePool, hide_parameters=True,
                             connect_args={"check_same_thread": False})
    return create_engine(make_url(path, None), hide_parameters=True, connect_args={"check_same_thread": False})


def check_passphrase(path: Path, key: str) -> None:
    """Raise PassphraseError unless ``key`` opens ``path``."""
    connection = connect(path, key, read_only=True)
    try:
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except Exception as exc:  # sqlcipher3.DatabaseError: "file is not a database"
        raise PassphraseError(_("The passphrase is not right for this data.")) from exc
    finally:
        connection.close()


def passphrase_from_environment() -> str | None:
    return os.environ.get(ENV_PASSPHRASE) or None


def validate_new_passphrase(passphrase: str, repeated: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValidationError(_("Choose a passphrase of at least %(count)d characters.")
                              % {"count": MIN_PASSPHRASE}, field="passphrase")
    if passphrase != repeated:
        raise ValidationError(_("The two passphrases are not the same."), field="repeated")


def _export(source: Path, source_key: str | None, target: Path, target_key: str | None) -> None:
    """Copy every table of ``source`` into a new file ``target`` with another key (or none)."""
    target.unlink(missing_ok=True)
    connection = _sqlcipher().connect(str(source))
    try:
        if source_key:
            connection.execute(f"PRAGMA key = {_quote(source_key)}")
        connection.execute(f"ATTACH DATABASE ? AS converted KEY {_quote(target_key or '')}", (str(target),))
        connection.execute("SELECT sqlcipher_export('converted')")
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        connection.execute(f"PRAGMA converted.user_version = {int(version)}")
        connection.execute("DETACH DATABASE converted")
    finally:
        connection.close()


def convert_file(path: Path, old_key: str | None, new_key: str | None) -> None:
    """Rewrite the closed database ``path`` with ``new_key`` (None: plain SQLite).

    The new file is built beside the old one and swapped in with a rename, so
    a crash half-way leaves the old file untouched.
    """
    partial = path.with_name(path.name + ".converting")
    try:
        _export(path, old_key, partial, new_key)
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.replace(partial, path)
    except OSError as exc:
        raise StorageError(_("Could not rewrite %(path)s: %(reason)s")
                           % {"path": path, "reason": exc.strerror or exc}) from exc
    finally:
        partial.unlink(missing_ok=True)


def write_marker(folder: Path) -> None:
    partial = folder / (MARKER_FILE + ".partial")
    partial.write_text(json.dumps({"cipher": "sqlcipher4"}), encoding="utf-8")
    os.replace(partial, folder / MARKER_FILE)


def remove_marker(folder: Path) -> None:
    (folder / MARKER_FILE).unlink(missing_ok=True)


def folder_key(folder: Path, passphrase: str | None) -> str | None:
    """The key to open ``folder``'s database: None when it is not encrypted.

    Raises PassphraseError when it is encrypted and no passphrase was given
    (neither here nor in $PEER_SUPPORT_PASSPHRASE).
    """
    if not is_encrypted(folder):
        return None
    try:
        with open(folder / DATABASE_FILE, "rb") as handle:
            if handle.read(16) == b"SQLite format 3\x00":
                return None  # switching encryption on never finished: the file is still plain
    except OSError:
        pass
    key = passphrase or passphrase_from_environment()
    if not key:
        raise PassphraseError(_("This data is encrypted. Enter its passphrase (on the command line: "
                                "set the PEER_SUPPORT_PASSPHRASE environment variable)."))
    _sqlcipher()
    return key
