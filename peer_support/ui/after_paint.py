"""Settings of the first window that can wait until it is on screen.

PySide builds every enum of Qt's ``Qt`` namespace (hundreds of them) the first time a
program reads ``QtCore.Qt``: 20–50 ms, an eighth of start-up on an old laptop. The widgets
of the first window (the main window, the dashboard and its cards) read ``QtCore.Qt`` only
in event handlers, and hand the few settings they make with it (a focus policy, a cursor,
delete-on-close) to ``later``, which runs them once the window has been painted.
tests/gui/test_fast_start.py checks the first paint builds no ``Qt`` namespace.

Nothing waits unless ``hold`` was called (ui/app.run_gui does, before the window is
built): a window built later, or in a test, gets its settings at once.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

# How long to wait for the window system to show the window before settling anyway (a
# window opened on a hidden workspace is never exposed).
MOST_WAIT_MS = 500
POLL_MS = 5

_waiting: list[Callable[[], None]] = []
_state = {"held": False}


def hold() -> None:
    """From now until ``release``, ``later`` keeps its callbacks."""
    _state["held"] = True


def later(callback: Callable[[], None]) -> None:
    """Run ``callback`` once the first window is painted (at once when nothing is held)."""
    if _state["held"]:
        _waiting.append(callback)
    else:
        callback()


def release() -> None:
    """Run what waited, in order."""
    _state["held"] = False
    waiting = list(_waiting)
    _waiting.clear()
    for callback in waiting:
        try:
            callback()
        except RuntimeError:  # its widget was deleted meanwhile
            pass


def release_when_painted(window: QWidget) -> None:
    """``release`` at the first look, every POLL_MS, that finds ``window`` on screen: it was
    painted when the window system exposed it, so what waited never delays that paint."""

    def look(waited_ms: int) -> None:
        handle = window.windowHandle()
        if handle is None or handle.isExposed() or waited_ms >= MOST_WAIT_MS:
            release()
        else:
            QTimer.singleShot(POLL_MS, lambda: look(waited_ms + POLL_MS))

    QTimer.singleShot(POLL_MS, lambda: look(POLL_MS))
