"""AppContext: everything a service needs, built once by the CLI or the GUI."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from peer_support.clock import Clock, SystemClock
from peer_support.local_config import LocalConfig
from peer_support.paths import prepare_data_dir, resolve_data_dir
from peer_support.storage import encryption, migrate
from peer_support.storage.db import DATABASE_FILE, Database
from peer_support.storage.lock import FolderLock, acquire_folder_lock

BACKUPS_DIR = "backups"


@dataclass
class AppContext:
    data_dir: Path
    db: Database
    clock: Clock
    local: LocalConfig
    lock: FolderLock | None = None  # one writer per data folder (storage/lock.py)

    @property
    def database_path(self) -> Path:
        return self.data_dir / DATABASE_FILE

    @property
    def backups_dir(self) -> Path:
        return self.data_dir / BACKUPS_DIR

    def files_dir(self, area: str) -> Path:
        """Where an area keeps files it copied in (receipts, newsletter images)."""
        path = self.data_dir / "files" / area
        path.mkdir(parents=True, exist_ok=True)
        return path

    def actor(self) -> str:
        return self.local.user or _login_name()

    def close(self) -> None:
        self.db.dispose()
        if self.lock is not None:
            self.lock.release()


@functools.cache  # read once: every action names its actor, and getpwuid reads /etc/passwd each time
def _login_name() -> str:
    try:
        import getpass

        return getpass.getuser()
    except (OSError, KeyError):
        return ""


def open_context(data_dir: str | Path | None = None, clock: Clock | None = None,
                 passphrase: str | None = None) -> AppContext:
    """Open (creating and migrating if needed) the data folder.

    Takes the folder's writer lock and checks the database file first.
    Raises StorageError for an unusable folder; FolderInUseError when another
    program has it open; DamagedDatabaseError (storage/recovery.py) for a
    damaged database or one from a newer version; PassphraseError for
    encrypted data without the right passphrase (``passphrase``, else
    $PEER_SUPPORT_PASSPHRASE).
    """
    from peer_support.storage.recovery import check_database_file, folder_has_history

    folder = prepare_data_dir(resolve_data_dir(data_dir))
    clock = clock or SystemClock()
    has_history = folder_has_history(folder)  # before LocalConfig.load writes local.json
    local = LocalConfig.load(folder)
    context = AppContext(data_dir=folder, db=None, clock=clock, local=local)  # type: ignore[arg-type]
    context.lock = acquire_folder_lock(folder, user=context.actor())
    try:
        key = encryption.folder_key(folder, passphrase)
        check_database_file(folder / DATABASE_FILE, key, context.backups_dir, has_history)
        context.db = Database(folder / DATABASE_FILE, clock, local.device_id, actor=context.actor, key=key)
        try:
            context.db.schema_rev = migrate.upgrade(context.db, context.database_path,
                                                    context.backups_dir, clock.now(), key)
        except BaseException:
            context.db.dispose()
            raise
    except BaseException:
        context.lock.release()
        raise
    return context
