"""One writer per data folder: an operating-system lock on a file in the folder.

A second copy of the app (or the command line) on the same folder is refused
with a clear message instead of both writing at once. The operating system
drops the lock when the process ends, even when it is killed or the laptop
loses power, so a crash never leaves a stale lock behind.

Within one process the lock is shared (counted), so tests and the CLI can
open the same folder twice; SQLite keeps those connections consistent.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from peer_support.errors import StorageError
from peer_support.i18n import _

LOCK_FILE = ".peer-support.lock"


class FolderInUseError(StorageError):
    """Another program has this data folder open."""


def _try_lock(handle) -> bool:
    """Lock the first byte of ``handle`` without waiting; False when someone else has it."""
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as exc:
        # Some network and USB file systems cannot lock at all: carry on
        # rather than refuse to open the data, but say so in the log.
        import logging  # rare: not loaded for every start

        logging.getLogger(__name__).warning("cannot lock %s: %s", handle.name, exc)
    return True


def _host_name() -> str:
    """This computer's name (what socket.gethostname() says, without loading socket on POSIX)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket  # pragma: no cover - Windows

    return socket.gethostname()


def _unlock(handle) -> None:
    if sys.platform == "win32":  # pragma: no cover
        import msvcrt

        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        except OSError:
            pass
        return
    import fcntl

    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@dataclass
class _Held:
    handle: IO[str]
    count: int = 0


@dataclass
class FolderLock:
    """A held lock; release() it when the folder is closed (idempotent)."""

    folder: Path
    released: bool = field(default=False)

    def release(self) -> None:
        if self.released:
            return
        self.released = True
        with _guard:
            held = _held.get(self.folder)
            if held is None:
                return
            held.count -= 1
            if held.count <= 0:
                _unlock(held.handle)
                held.handle.close()
                del _held[self.folder]


_guard = threading.Lock()
_held: dict[Path, _Held] = {}


def _holder_description(path: Path) -> str:
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        return _("%(user)s on %(computer)s") % {"user": info.get("user") or "?",
                                                "computer": info.get("host") or "?"}
    except (OSError, ValueError, AttributeError):
        return ""


def acquire_folder_lock(folder: Path, user: str = "") -> FolderLock:
    """Take the writer lock on ``folder``.

    Raises FolderInUseError when another process holds it, StorageError when
    the lock file cannot be created.
    """
    folder = folder.resolve()
    path = folder / LOCK_FILE
    with _guard:
        held = _held.get(folder)
        if held is None:
            try:
                handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - kept open while held
            except OSError as exc:
                raise StorageError(_("The data folder %(path)s cannot be written to (%(reason)s).")
                                   % {"path": folder, "reason": exc.strerror or exc}) from exc
            if not _try_lock(handle):
                handle.close()
                who = _holder_description(path)
                if who:
                    raise FolderInUseError(
                        _("Peer Support is already open on this data folder (%(who)s). Close the "
                          "other window or program first, then try again. Nothing was changed.")
                        % {"who": who})
                raise FolderInUseError(
                    _("Peer Support is already open on this data folder in another window or program. "
                      "Close it first, then try again. Nothing was changed."))
            try:
                handle.seek(0)
                handle.truncate()
                handle.write(json.dumps({"pid": os.getpid(), "host": _host_name(), "user": user}))
                handle.flush()
            except OSError:
                pass  # who holds it is only a courtesy for the message above
            held = _held[folder] = _Held(handle)
        held.count += 1
    return FolderLock(folder)
