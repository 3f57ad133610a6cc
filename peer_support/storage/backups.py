"""Backups: consistent copies, their names, rotation, and putting one back.

Copies go through SQLite's backup API (never a file copy of a live database)
into a ``.partial`` name that is fsynced and renamed, so a half-written backup
never looks like a good one. Automatic backups are named ``auto-<UTC stamp>``
and rotated: the newest ``KEEP_LAST`` are kept, plus the newest of each day
for ``KEEP_DAYS`` days. Other backups in the backups folder (before an
upgrade, before a restore, made by hand) are kept for ``KEEP_DAYS`` days.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta
from pathlib import Path

from peer_support.errors import StorageError
from peer_support.i18n import _
from peer_support.storage import encryption, recovery

AUTO_PREFIX = "auto-"
MANUAL_PREFIX = "peer-support-"
BEFORE_RESTORE_PREFIX = "before-restore-"
STATE_FILE = "backup-state.json"
KEEP_LAST = 10
KEEP_DAYS = 30
STAMP_FORMAT = "%Y%m%dT%H%M%SZ"


def backup_name(prefix: str, now: datetime) -> str:
    return f"{prefix}{now.strftime(STAMP_FORMAT)}.sqlite3"


def free_path(path: Path) -> Path:
    """``path``, or the same name with -2, -3... when it is taken (two backups in one second)."""
    candidate, number = path, 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.stem}-{number}{path.suffix}")
    return candidate


def _write_error(path: Path, exc: BaseException) -> StorageError:
    text = str(exc).lower()
    if getattr(exc, "errno", None) == 28 or "disk is full" in text or "no space" in text:
        return StorageError(_("There is not enough space to write the backup to %(path)s. Your data "
                              "is unchanged.") % {"path": path.parent})
    reason = getattr(exc, "strerror", None) or exc
    return StorageError(_("The backup could not be written to %(path)s (%(reason)s). Your data is "
                          "unchanged.") % {"path": path.parent, "reason": reason})


def copy_database(source: Path, target: Path, key: str | None = None) -> Path:
    """Copy ``source`` to ``target`` page by page, consistent even while in use.

    With ``key`` both files are encrypted with it. Never overwrites an
    existing file at ``target``; raises StorageError with a clear message.
    """
    partial = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists():
            raise StorageError(_("%(path)s already exists; the backup was not written.") % {"path": target})
        partial.unlink(missing_ok=True)
        source_conn = encryption.connect(source, key)
        try:
            target_conn = encryption.connect(partial, key)
            try:
                source_conn.backup(target_conn)
            finally:
                target_conn.close()
        finally:
            source_conn.close()
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except StorageError:
        raise
    except Exception as exc:  # OSError, sqlite3.Error (disk full, read-only)
        try:
            partial.unlink(missing_ok=True)
        except OSError:
            pass
        raise _write_error(target, exc) from exc
    return target


def rotate(backups_dir: Path, now: datetime, keep_last: int = KEEP_LAST,
           keep_days: int = KEEP_DAYS) -> list[Path]:
    """Delete backups beyond the rotation rule; returns what was deleted.

    Automatic ones: the newest ``keep_last`` plus the newest of each of the
    last ``keep_days`` days. Others (by hand, before a restore or an upgrade):
    ``keep_days`` days. The newest backup of all is always kept. Old copies go
    for privacy too: an erased family's data must not live on for ever.
    """
    every = recovery.backup_files(backups_dir)
    autos = [p for p in every if p.name.startswith(AUTO_PREFIX)]
    keep = set(autos[:keep_last]) | set(every[:1])
    seen_days = set()
    oldest_day = (now - timedelta(days=keep_days)).date()
    for path in autos:  # newest first, so the first of each day is that day's newest
        day = recovery.stamp_of(path).date()
        if day >= oldest_day and day not in seen_days:
            seen_days.add(day)
            keep.add(path)
    keep |= {p for p in every if p not in autos and recovery.stamp_of(p).date() >= oldest_day}
    deleted = []
    for path in every:
        if path not in keep:
            try:
                path.unlink()
                deleted.append(path)
            except OSError:
                pass  # tried again at the next rotation
    return deleted


def read_state(backups_dir: Path) -> dict:
    try:
        return json.loads((backups_dir / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_state(backups_dir: Path, state: dict) -> None:
    partial = backups_dir / (STATE_FILE + ".partial")
    partial.write_text(json.dumps(state), encoding="utf-8")
    os.replace(partial, backups_dir / STATE_FILE)


def restore_file(source: Path, database: Path, key: str | None, known_revisions: set[str],
                 now: datetime) -> Path | None:
    """Put the backup ``source`` in place of ``database`` (whose engine must be closed).

    The current file is first kept: a healthy one is copied to
    ``backups/before-restore-<stamp>``, a damaged one moved into ``damaged/``.
    Returns that safety copy. Raises StorageError when ``source`` is not a
    good backup (``recovery.validate_backup``: nothing is changed then).
    """
    problem = recovery.validate_backup(source, key, known_revisions)
    if problem is not None:
        raise StorageError(_("%(file)s cannot be restored: %(problem)s. Nothing was changed.")
                           % {"file": source.name, "problem": problem.detail})
    current_problem = recovery.diagnose(database, key, known_revisions) if database.exists() else None
    safety: Path | None = None
    if current_problem is None and database.exists() and database.stat().st_size:
        safety = copy_database(
            database, free_path(database.parent / "backups" / backup_name(BEFORE_RESTORE_PREFIX, now)), key)
    incoming = database.with_name(database.name + ".restoring")
    incoming.unlink(missing_ok=True)
    copy_database(source, incoming, key)
    if current_problem is not None:
        safety = recovery.set_aside(database, now)
    try:
        for suffix in recovery.COMPANIONS:
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        os.replace(incoming, database)
        recovery.forget_damage(database.parent)
    except OSError as exc:
        raise _write_error(database, exc) from exc
    return safety
