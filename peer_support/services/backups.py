"""Backups of the data: automatic and by hand, preview, restore, recovery at start-up.

Automatic backups go into the data folder's ``backups/`` (start-up, then every
few minutes while the data changes) and are rotated (storage/backups.py). "Back
up now" may write to any folder, such as a USB stick. Restoring first keeps the
current data (a safety copy), then swaps the backup in and upgrades its schema
if it came from an older version.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import text

from peer_support.clock import Clock, SystemClock
from peer_support.context import AppContext, open_context
from peer_support.domain.trust import BackupPreview, BackupRecord, RestoreResult
from peer_support.errors import NotFoundError, StorageError, ValidationError
from peer_support.i18n import _
from peer_support.paths import prepare_data_dir, resolve_data_dir
from peer_support.storage import backups as store
from peer_support.storage import encryption, migrate, recovery
from peer_support.services.privacy import known_erasures, reapply_erasures
from peer_support.services.sync.restored import continue_numbering, published_clock, state_before_restore
from peer_support.storage.db import DATABASE_FILE, Database
from peer_support.storage.erasure_ledger import read_ledger
from peer_support.storage.lock import acquire_folder_lock
from peer_support.storage.tables import entity_classes
from peer_support.domain.roles import Permission
from peer_support.services.access import require

AUTO_INTERVAL_MINUTES = 10


def _record(path: Path) -> BackupRecord:
    return BackupRecord(path=path, taken_at=recovery.stamp_of(path), size_bytes=path.stat().st_size,
                        automatic=path.name.startswith(store.AUTO_PREFIX))


def back_up_now(context: AppContext, folder: str | Path | None = None) -> BackupRecord:
    """Write a consistent backup to ``folder`` (default: the backups folder).

    The data is not changed. Raises StorageError when the folder is missing
    (never created: a mistyped path or a USB stick not plugged in) or cannot be
    written (full, read-only).
    """
    require(context, Permission.PRIVACY)
    target_dir = Path(folder) if folder else context.backups_dir
    if target_dir.exists() and not target_dir.is_dir():
        raise StorageError(_("%(path)s is a file, not a folder. Choose a folder for the backup.")
                           % {"path": target_dir})
    if folder and not target_dir.exists():  # never made silently: a mistyped path, a stick not plugged in
        raise StorageError(_("The folder %(path)s does not exist. Plug in the USB stick or choose another "
                             "folder. Your data is unchanged.") % {"path": target_dir})
    name = store.backup_name(store.MANUAL_PREFIX, context.clock.now())
    path = store.copy_database(context.database_path, store.free_path(target_dir / name), context.db.key)
    return _record(path)


def _fingerprint(context: AppContext) -> str:
    """Changes whenever anything is saved: the number of actions and the device sequences."""
    with context.db.read() as session:
        actions = session.execute(text("SELECT count(*) FROM action")).scalar_one()
        seqs = session.execute(text("SELECT coalesce(sum(last_seq), 0) FROM device_state")).scalar_one()
    return f"{actions}:{seqs}:{context.db.schema_rev}"


def auto_backup(context: AppContext, force: bool = False) -> BackupRecord | None:
    """An automatic backup if anything changed since the last one (or ``force``), then rotation.

    Returns None when nothing changed. Raises StorageError when it cannot be
    written; the data is never changed.
    """
    fingerprint = _fingerprint(context)
    state = store.read_state(context.backups_dir)
    now = context.clock.now()
    if not force and state.get("fingerprint") == fingerprint:
        return None
    name = store.backup_name(store.AUTO_PREFIX, now)
    if (context.backups_dir / name).exists():
        return None  # one a second is plenty
    path = store.copy_database(context.database_path, context.backups_dir / name, context.db.key)
    store.write_state(context.backups_dir, {"fingerprint": fingerprint, "at": now.isoformat()})
    store.rotate(context.backups_dir, now)
    return _record(path)


def file_is_whole(context: AppContext) -> bool:
    """Whether every page of the data file passes SQLite's quick check (read only, beside the open
    app). Damage found is remembered, so the next opening finds it too and offers the restore
    (storage/recovery.py: opening reads only the file's start)."""
    return recovery.check_whole_file(context.database_path, context.db.key) is None


def list_backups(context: AppContext) -> list[BackupRecord]:
    """Backups in the backups folder, newest first."""
    require(context, Permission.PRIVACY)
    return [_record(path) for path in recovery.backup_files(context.backups_dir)]


def preview_backup(context: AppContext, path: str | Path, key: str | None = None) -> BackupPreview:
    """What the backup at ``path`` holds (row counts, last change), read without changing anything."""
    require(context, Permission.PRIVACY)
    return read_preview(Path(path), key if key is not None else context.db.key)


def read_preview(path: Path, key: str | None) -> BackupPreview:
    _check_source(path)
    problem = recovery.validate_backup(path, key, migrate.known_revisions())
    taken_at = recovery.stamp_of(path)
    if problem is not None:
        return BackupPreview(path=path, taken_at=taken_at, schema_revision="", problem=problem.detail)
    connection = encryption.connect(path, key, read_only=True)
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        counts = {}
        for table in sorted(set(entity_classes()) & tables):
            counts[table] = connection.execute(f'SELECT count(*) FROM "{table}" WHERE deleted = 0').fetchone()[0]
        revision = "+".join(sorted(row[0] for row in connection.execute("SELECT version_num FROM alembic_version")))
        last = connection.execute("SELECT at, description FROM action ORDER BY at DESC LIMIT 1").fetchone() \
            if "action" in tables else None
    finally:
        connection.close()
    last_at = datetime.fromisoformat(str(last[0])).replace(tzinfo=taken_at.tzinfo) if last else None
    return BackupPreview(path=path, taken_at=taken_at, schema_revision=revision, problem="",
                         row_counts=counts, last_change_at=last_at, last_change=last[1] if last else "")


def _check_source(path: Path) -> None:
    """A backup named by the user must be there: a missing file is invalid input (exit 3)."""
    if not path.exists():
        raise ValidationError(_("There is no file called %(path)s.") % {"path": path})
    if not path.is_file():
        raise ValidationError(_("%(path)s is not a backup file.") % {"path": path})


def restore_backup(context: AppContext, path: str | Path) -> RestoreResult:
    """Replace the current data with the backup at ``path``.

    A safety copy of the current data is written to the backups folder first.
    The context is reopened on the restored data (its schema upgraded if it is
    older). Families and volunteers erased since the backup was taken are erased
    again (``RestoreResult.erasures_reapplied``): an erasure is final. The changes
    this laptop published since come back at its next sync, and its new changes
    are numbered after them (services/sync/restored.py). Raises ValidationError
    for a missing file and StorageError for a file that is not a whole, readable
    database of this app at a known revision (``recovery.validate_backup``);
    nothing changes then.
    """
    require(context, Permission.PRIVACY)
    source = Path(path)
    _check_source(source)
    old = context.db
    problem = recovery.validate_backup(source, old.key, migrate.known_revisions())
    if problem is not None:
        raise StorageError(_("%(file)s cannot be restored: %(problem)s. Nothing was changed.")
                           % {"file": source.name, "problem": problem.detail})
    erasures = known_erasures(context)  # before the backup replaces the data that knows them
    published, clock = state_before_restore(context)
    old.dispose()
    try:
        safety = store.restore_file(source, context.database_path, old.key, migrate.known_revisions(),
                                    context.clock.now())
    finally:
        context.db = Database(old.path, old.clock, old.device_id, actor=old.actor, key=old.key)
        context.db.schema_rev = migrate.upgrade(context.db, context.database_path,
                                                context.backups_dir, context.clock.now(), old.key)
    continue_numbering(context, published, clock)
    return RestoreResult(restored=source, safety_copy=safety,
                         erasures_reapplied=reapply_erasures(context, erasures).record)


def recover_folder(data_dir: str | Path | None, source: str | Path | None = None,
                   passphrase: str | None = None, clock: Clock | None = None) -> RestoreResult:
    """Restore a data folder that cannot be opened (damaged or too new).

    ``source``: the backup to restore; None: the newest good one in the
    backups folder. The damaged file is moved into ``damaged/``, never
    overwritten. Erasures made since the backup, as listed beside the database
    (storage/erasure_ledger.py), are made again, and new changes are numbered
    after those this laptop already published (services/sync/restored.py).
    Raises NotFoundError when there is no good backup.
    """
    folder = prepare_data_dir(resolve_data_dir(data_dir))
    clock = clock or SystemClock()
    lock = acquire_folder_lock(folder)
    try:
        key = encryption.folder_key(folder, passphrase)
        known = migrate.known_revisions()
        if source is None:
            chosen = recovery.newest_good_backup(folder / "backups", key, known)
            if chosen is None:
                raise NotFoundError(_("No good backup was found in %(path)s.") % {"path": folder / "backups"})
        else:
            chosen = Path(source)
            _check_source(chosen)
        safety = store.restore_file(chosen, folder / DATABASE_FILE, key, known, clock.now())
    finally:
        lock.release()
    return RestoreResult(restored=chosen, safety_copy=safety,
                         erasures_reapplied=_after_recovery(folder, clock, passphrase))


def _after_recovery(folder: Path, clock: Clock, passphrase: str | None) -> tuple[str, ...]:
    """After a recovery: new changes are numbered after those already published, and the listed
    erasures the restored data has back are made again (returned)."""
    context = open_context(folder, clock, passphrase)
    try:
        continue_numbering(context, context.local.published_seq, published_clock(context))
        return reapply_erasures(context, read_ledger(folder)).record
    finally:
        context.close()
