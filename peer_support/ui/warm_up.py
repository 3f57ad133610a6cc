"""Load the data layer off the GUI thread once the window is on screen.

SQLAlchemy, SQLModel and the table classes take most of a second to import on
an old laptop, and the first paint needs none of them (the dashboard's cards
are read in plain SQL). ``start(context)`` imports them in a background
thread right after the window is shown; ``when_ready(callback)`` runs a
callback on the GUI thread once they are loaded (at once when no warm-up is
running, as in tests and the command line).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

log = logging.getLogger(__name__)


class _Notifier(QObject):
    finished = Signal()


_state: dict = {"running": False, "waiting": [], "notifier": None}


def hold() -> None:
    """From now until ``start`` has finished, ``when_ready`` callbacks wait (call before the
    window is first shown, so nothing slow runs before its first paint)."""
    _state["running"] = True


def start(context) -> None:
    """Import the data layer and make the engine in a background thread."""
    if _state["notifier"] is not None:
        return
    notifier = _Notifier()
    notifier.finished.connect(_on_finished)  # queued: emitted from the worker thread
    _state.update(running=True, notifier=notifier)

    def work() -> None:
        try:
            context.db.warm_up()
        except Exception:  # the GUI thread will import (and report) it again when it needs it
            log.exception("loading the data layer in the background failed")
        notifier.finished.emit()

    threading.Thread(target=work, name="peer-support-warm-up", daemon=True).start()


def _on_finished() -> None:
    waiting, _state["waiting"] = _state["waiting"], []
    _state.update(running=False, notifier=None)
    for callback in waiting:
        try:
            callback()
        except RuntimeError:  # its widget was closed while the data layer loaded
            log.debug("a widget went away before the data layer loaded", exc_info=True)


def loading() -> bool:
    """Whether the data layer is still loading (callbacks given to ``when_ready`` wait)."""
    return bool(_state["running"])


def when_ready(callback: Callable[[], None]) -> None:
    """Run ``callback`` on the GUI thread once the data layer has loaded."""
    if _state["running"]:
        _state["waiting"].append(callback)
    else:
        QTimer.singleShot(0, callback)
