"""Qt-free progress reporting for long operations (imports, exports, demo data).

The GUI shows it in a dialog with Cancel; the CLI writes it to stderr.
"""

from __future__ import annotations

from typing import Protocol

from peer_support.errors import Cancelled
from peer_support.i18n import _


class Progress(Protocol):
    def step(self, done: int, total: int, label: str = "") -> None: ...

    @property
    def cancelled(self) -> bool: ...


class NullProgress:
    cancelled = False

    def step(self, done: int, total: int, label: str = "") -> None:
        pass


def check_cancelled(progress: Progress) -> None:
    if progress.cancelled:
        raise Cancelled(_("Stopped. Nothing was changed."))
