"""One sync at a time per laptop: the button, the timer, quitting and the command line.

A thread lock per data folder (the button and the timer run on worker
threads of one process) and an operating-system lock on ``.sync.lock`` in
the data folder (another process on the same folder). A sync that finds the
lock taken waits a little, then gives up with ``SyncBusy``; nothing is
applied twice because the applied position is also read and written inside
each file's transaction (apply.py).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from peer_support.errors import ConflictError
from peer_support.i18n import _
from peer_support.storage.lock import _try_lock, _unlock

SYNC_LOCK_FILE = ".sync.lock"
_locks: dict[Path, threading.Lock] = {}
_locks_guard = threading.Lock()


class SyncBusy(ConflictError):
    """Another sync of this laptop is running."""


def _thread_lock(data_dir: Path) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(data_dir, threading.Lock())


@contextmanager
def one_sync_at_a_time(data_dir: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    """Hold this laptop's sync lock. Raises SyncBusy when another sync holds it longer."""
    data_dir = Path(data_dir).resolve()
    lock = _thread_lock(data_dir)
    acquired = lock.acquire(timeout=wait_seconds) if wait_seconds > 0 else lock.acquire(blocking=False)
    if not acquired:
        raise SyncBusy(_("A sync is already running on this laptop. Wait for it to finish, then try again."))
    try:
        handle = open(data_dir / SYNC_LOCK_FILE, "a+", encoding="utf-8")  # noqa: SIM115 - held below
        try:
            deadline = time.monotonic() + wait_seconds
            while not _try_lock(handle):
                if time.monotonic() >= deadline:
                    raise SyncBusy(_("A sync is already running on this laptop. Wait for it to finish, "
                                     "then try again."))
                time.sleep(0.05)
            try:
                yield
            finally:
                _unlock(handle)
        finally:
            handle.close()
    finally:
        lock.release()
