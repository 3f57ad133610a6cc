"""Damaged data: find it before opening, keep it aside, restore a good backup.

``diagnose`` looks at a database file the way SQLite would never tell a user:
is it empty, cut short, not a database at all, some other program's database,
failing its quick check, or saved by a newer version of the app. The damaged
file is never overwritten: ``set_aside`` moves it (with its -wal and -shm
companions, which may hold the last committed changes) into ``damaged/``.

Opening a data folder looks at the file's start, schema and revision only
(``check_database_file``): SQLite's quick check reads every page, which at
50,000 families is half a second from the disk cache and many seconds from an
old laptop's disk, on every start and every command. The whole file is
checked after the window is up (``check_whole_file``, ui/trust/session.py), by
``peer-support check``, and before any backup is restored; damage found there
is remembered beside the database (DAMAGE_FOUND_FILE), so the next opening
checks the whole file and offers the restore.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from peer_support.errors import StorageError
from peer_support.i18n import _
from peer_support.storage import encryption

SQLITE_MAGIC = b"SQLite format 3\x00"
DAMAGED_DIR = "damaged"
DAMAGE_FOUND_FILE = "damage-found.txt"  # the whole-file check failed: the next opening checks it all
SYNC_STATE_FILE = ".sync.lock"  # services/sync/guard.py: written by the first sync
COMPANIONS = ("-wal", "-shm", "-journal")
_STAMP = re.compile(r"(\d{8}T\d{6}Z)")

# Problem kinds
EMPTY, TRUNCATED, NOT_DATABASE, FOREIGN, CORRUPT, NEWER, WRONG_KEY = (
    "empty", "truncated", "not-database", "foreign", "corrupt", "newer", "wrong-key")
NO_DATA, INCOMPLETE, MISSING = "no-data", "incomplete", "missing"


@dataclass(frozen=True)
class Diagnosis:
    kind: str
    detail: str  # translated, one clause

    @property
    def restorable(self) -> bool:
        return self.kind != WRONG_KEY


class DamagedDatabaseError(StorageError):
    """The database file cannot be used; a backup may be restored."""

    def __init__(self, message: str, diagnosis: Diagnosis) -> None:
        super().__init__(message)
        self.diagnosis = diagnosis


def _details() -> dict[str, str]:
    return {
        EMPTY: _("the database file is empty"),
        TRUNCATED: _("the database file is cut short"),
        NOT_DATABASE: _("the file is not a database"),
        FOREIGN: _("the file is a database of another program"),
        CORRUPT: _("the database file is damaged inside"),
        NEWER: _("the data was saved by a newer version of Peer Support"),
        WRONG_KEY: _("the passphrase is wrong, or the file is damaged"),
        NO_DATA: _("the file is an empty database with no Peer Support data in it"),
        INCOMPLETE: _("the database lacks tables every Peer Support database of its version has"),
        MISSING: _("the database file is missing, though this laptop had data"),
    }


def _problem(kind: str) -> Diagnosis:
    return Diagnosis(kind, _details()[kind])


def _header_problem(path: Path, size: int, encrypted: bool) -> Diagnosis | None:
    with open(path, "rb") as handle:
        header = handle.read(100)
    if encrypted:
        return None  # random-looking by design; the key check below tells
    if not header.startswith(SQLITE_MAGIC):
        return _problem(NOT_DATABASE)
    if len(header) < 100:
        return _problem(TRUNCATED)
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    counter_valid = header[24:28] == header[92:96]
    if page_size < 512 or size % page_size or (counter_valid and pages and size < pages * page_size):
        return _problem(TRUNCATED)
    return None


def diagnose(path: Path, key: str | None = None, known_revisions: set[str] | None = None,
             whole_file: bool = True) -> Diagnosis | None:
    """What is wrong with the database file at ``path``; None when it is usable.

    A missing file is usable (a new database). ``known_revisions``: the schema
    revisions this version knows; others mean a newer version saved it.
    ``whole_file``: run SQLite's quick check, which reads every page; without
    it only the header, the schema and the revision are read.
    """
    try:
        if not path.exists():
            return None
        size = path.stat().st_size
        if size == 0:
            return _problem(EMPTY)
        problem = _header_problem(path, size, bool(key))
        if problem:
            return problem
    except OSError as exc:
        raise StorageError(_("The database file %(path)s cannot be read (%(reason)s).")
                           % {"path": path, "reason": exc.strerror or exc}) from exc
    try:
        connection = encryption.connect(path, key)
    except sqlite3.Error as exc:
        raise StorageError(_("The database file %(path)s cannot be opened (%(reason)s).")
                           % {"path": path, "reason": exc}) from exc
    try:
        try:
            checks = [row[0] for row in connection.execute("PRAGMA quick_check")] if whole_file else ["ok"]
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except Exception as exc:  # sqlite3/sqlcipher3 DatabaseError
            text = str(exc).lower()
            if key and "not a database" in text:
                return _problem(WRONG_KEY)
            return _problem(NOT_DATABASE if "not a database" in text else CORRUPT)
        if checks != ["ok"]:
            return _problem(CORRUPT)
        if not tables:
            return None  # a new, empty database
        if "alembic_version" not in tables:
            return _problem(FOREIGN)
        revisions = {row[0] for row in connection.execute("SELECT version_num FROM alembic_version")}
        if known_revisions is not None and revisions - known_revisions:
            return _problem(NEWER)
        return None
    except Exception:  # anything odd while reading a file whose schema could be read
        return _problem(CORRUPT)
    finally:
        connection.close()


def validate_backup(path: Path, key: str | None, known_revisions: set[str]) -> Diagnosis | None:
    """What makes ``path`` unfit to restore; None when it is this app's database, whole and readable.

    Stricter than ``diagnose``: the file must exist and be an ordinary file, open
    with ``key``, pass SQLite's full ``integrity_check``, carry a schema revision
    this version knows, and hold every table its migrations created. Nothing is
    written to the file (it is opened read-only).
    """
    from peer_support.storage.revisions import expected_tables

    try:
        if not path.is_file():
            return _problem(NOT_DATABASE)
        if path.stat().st_size == 0:
            return _problem(EMPTY)
    except OSError:
        return _problem(NOT_DATABASE)
    try:
        problem = diagnose(path, key, known_revisions, whole_file=False)  # integrity_check below reads it all
    except StorageError:
        return _problem(CORRUPT)
    if problem is not None:
        return problem
    try:
        connection = encryption.connect(path, key, read_only=True)
    except Exception:  # sqlite3/sqlcipher3 errors, a missing sqlcipher3
        return _problem(CORRUPT)
    try:
        if [row[0] for row in connection.execute("PRAGMA integrity_check")] != ["ok"]:
            return _problem(CORRUPT)
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables:
            return _problem(NO_DATA)
        if "alembic_version" not in tables:
            return _problem(FOREIGN)
        revisions = {row[0] for row in connection.execute("SELECT version_num FROM alembic_version")}
        if not revisions:
            return _problem(INCOMPLETE)
        if revisions - known_revisions:
            return _problem(NEWER)
        if expected_tables(revisions) - tables:
            return _problem(INCOMPLETE)
        return None
    except Exception:  # anything odd while reading a file that passed its integrity check
        return _problem(CORRUPT)
    finally:
        connection.close()


def damaged_message(diagnosis: Diagnosis, has_backup: bool) -> str:
    if diagnosis.kind == WRONG_KEY:
        return _("The data could not be opened: %(problem)s.") % {"problem": diagnosis.detail}
    if has_backup:
        return _("The data could not be opened: %(problem)s. Restore the newest good backup "
                 "(in the app, or with 'peer-support restore --newest'); the damaged file is "
                 "kept aside.") % {"problem": diagnosis.detail}
    return _("The data could not be opened: %(problem)s. No backup was found in the backups "
             "folder; restore one from a USB stick with 'peer-support restore FILE'.") % {
                 "problem": diagnosis.detail}


def stamp_of(path: Path) -> datetime:
    """When a backup was taken: from its name, else its file time (UTC)."""
    match = _STAMP.search(path.name)
    if match:
        return datetime.strptime(match.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=timezone.utc)
    return datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)


def _backups(backups_dir: Path) -> Iterator[Path]:
    if backups_dir.is_dir():
        yield from (p for p in backups_dir.iterdir() if p.suffix == ".sqlite3" and p.is_file())


def backup_files(backups_dir: Path) -> list[Path]:
    """Backup files in ``backups_dir``, newest first."""
    return sorted(_backups(backups_dir), key=lambda p: (stamp_of(p), p.name), reverse=True)


def has_backups(backups_dir: Path) -> bool:
    """Whether ``backups_dir`` holds a backup: asked on every start, so without reading every
    backup's time from its name (and loading the parser of times) as sorting them would."""
    return next(_backups(backups_dir), None) is not None


def newest_good_backup(backups_dir: Path, key: str | None, known_revisions: set[str]) -> Path | None:
    """The newest backup that passes ``validate_backup`` (safety copies before a restore included)."""
    for candidate in backup_files(backups_dir):
        if validate_backup(candidate, key, known_revisions) is None:
            return candidate
    return None


def _free_name(folder: Path, name: str) -> Path:
    target = folder / name
    number = 1
    while any(Path(f"{target}{suffix}").exists() for suffix in ("", *COMPANIONS)):
        number += 1
        stem, dot, ext = name.rpartition(".")
        target = folder / f"{stem}-{number}{dot}{ext}"
    return target


def set_aside(path: Path, now: datetime) -> Path | None:
    """Move the database and its companions into ``damaged/``; never overwrites.

    Returns the new path of the database file (None when there was none).
    """
    if not any(Path(f"{path}{suffix}").exists() for suffix in ("", *COMPANIONS)):
        return None
    folder = path.parent / DAMAGED_DIR
    try:
        folder.mkdir(exist_ok=True)
        target = _free_name(folder, f"{path.stem}-{now.strftime('%Y%m%dT%H%M%SZ')}{path.suffix}")
        for suffix in COMPANIONS:
            if Path(f"{path}{suffix}").exists():
                os.replace(f"{path}{suffix}", f"{target}{suffix}")
        if path.exists():
            os.replace(path, target)
    except OSError as exc:
        raise StorageError(_("The damaged file could not be moved aside (%(reason)s). Nothing was "
                             "changed.") % {"reason": exc.strerror or exc}) from exc
    return target


def check_database_file(path: Path, key: str | None, backups_dir: Path, has_history: bool = False) -> None:
    """Raise DamagedDatabaseError (or PassphraseError) unless ``path`` can be opened.

    A missing or zero-byte file is a new database only on a laptop with no
    history: when ``has_history`` (its local.json or sync state was already
    there) or a backup exists, the data was lost, not never made, and a restore
    must be offered rather than starting again empty.
    """
    from peer_support.storage.revisions import known_revisions

    has_backup = has_backups(backups_dir)
    if not path.exists():
        if has_history or has_backup:
            missing = _problem(MISSING)
            raise DamagedDatabaseError(damaged_message(missing, has_backup), missing)
        return
    damage_found = path.parent / DAMAGE_FOUND_FILE
    whole_file = damage_found.exists()
    problem = diagnose(path, key, known_revisions(), whole_file=whole_file)
    if problem is None:
        if whole_file:
            damage_found.unlink(missing_ok=True)  # checked whole again and found good: nothing to recall
        return
    if problem.kind == EMPTY and not has_backup and not has_history:
        return
    if problem.kind == WRONG_KEY:
        raise encryption.PassphraseError(_("The passphrase is not right for this data."))
    raise DamagedDatabaseError(damaged_message(problem, has_backup), problem)


def check_whole_file(path: Path, key: str | None) -> Diagnosis | None:
    """SQLite's quick check of every page of the database at ``path`` (read only, safe beside
    the open app); damage found is remembered for the next opening (DAMAGE_FOUND_FILE)."""
    from peer_support.storage.revisions import known_revisions

    problem = diagnose(path, key, known_revisions())
    if problem is not None:
        remember_damage(path.parent, problem)
    return problem


def remember_damage(folder: Path, problem: Diagnosis) -> None:
    """The next opening of ``folder`` checks the whole file, so it finds ``problem`` and offers
    the restore. A folder that cannot be written keeps nothing (the check's message still says it)."""
    try:
        (folder / DAMAGE_FOUND_FILE).write_text(f"{problem.kind}\n", encoding="utf-8")
    except OSError:
        pass


def forget_damage(folder: Path) -> None:
    """A good file is in place again (restored from a backup)."""
    (folder / DAMAGE_FOUND_FILE).unlink(missing_ok=True)


def folder_has_history(folder: Path) -> bool:
    """Whether this data folder was used before: this laptop's identity, sync or damage records.

    Call it before anything is created in the folder (opening writes local.json).
    """
    from peer_support.local_config import LOCAL_CONFIG_FILE

    return any((folder / name).exists() for name in (LOCAL_CONFIG_FILE, SYNC_STATE_FILE, DAMAGED_DIR,
                                                     encryption.MARKER_FILE))
