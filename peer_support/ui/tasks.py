"""Run long work off the GUI thread, with a progress dialog and Cancel.

``run_task(parent, fn, on_done)`` calls ``fn(progress)`` on a QThreadPool
thread. ``progress`` is Qt-free (the services' Progress protocol). The
result or the exception comes back on the GUI thread. The dialog appears only
if the work takes longer than half a second.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressBar, QProgressDialog, QWidget
from shiboken6 import isValid

from peer_support.i18n import _
from peer_support.ui.errors import show_error

SHOW_AFTER_MS = 500


class _TaskSignals(QObject):
    finished = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int, str)


class _ThreadProgress:
    """What the worker sees: reports steps, reads the Cancel flag."""

    def __init__(self, signals: _TaskSignals) -> None:
        self._signals = signals
        self.cancelled = False

    def step(self, done: int, total: int, label: str = "") -> None:
        self._signals.progress.emit(done, total, label)


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[Any], Any], signals: _TaskSignals, progress: _ThreadProgress):
        super().__init__()
        self._fn, self._signals, self._progress = fn, signals, progress

    def run(self) -> None:
        try:
            result = self._fn(self._progress)
        except BaseException as exc:  # handed to the GUI thread, shown there
            self._signals.failed.emit(exc)
        else:
            self._signals.finished.emit(result)


_running: set[_TaskSignals] = set()


def run_task(parent: QWidget | None, fn: Callable[[Any], Any], on_done: Callable[[Any], None],
             on_error: Callable[[BaseException], None] | None = None, label: str = "") -> QProgressDialog:
    """Start ``fn(progress)`` on the thread pool; returns its progress dialog,
    whose Cancel button asks the work to stop."""
    signals = _TaskSignals()
    progress = _ThreadProgress(signals)
    dialog = QProgressDialog(label or _("Working…"), _("Cancel"), 0, 0, parent)
    # Steps go to the bar itself: QProgressDialog.setValue on a shown modal dialog runs the
    # event loop inside the call, and a window closed in there leaves Qt on a deleted dialog.
    bar = QProgressBar(dialog)
    bar.setRange(0, 0)
    dialog.setBar(bar)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(SHOW_AFTER_MS)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.canceled.connect(lambda: setattr(progress, "cancelled", True))
    timer = QTimer(dialog)
    timer.setSingleShot(True)
    timer.timeout.connect(dialog.show)
    timer.start(SHOW_AFTER_MS)

    def on_progress(done: int, total: int, text: str) -> None:
        if not isValid(dialog):  # gone with its parent window; the work finishes unseen
            return
        bar.setMaximum(total)
        bar.setValue(done)
        if text:
            dialog.setLabelText(text)

    def finish() -> None:
        _running.discard(signals)
        if isValid(dialog):  # gone with its parent if that window closed meanwhile
            timer.stop()
            dialog.close()
            dialog.deleteLater()

    def done(result: Any) -> None:
        finish()
        if parent is None or isValid(parent):  # a closed window has nothing left to update
            on_done(result)

    def failed(exc: BaseException) -> None:
        finish()
        if on_error is not None:
            on_error(exc)
        else:  # the window that started the work may have closed meanwhile
            show_error(parent if parent is not None and isValid(parent) else None, exc)

    signals.progress.connect(on_progress)
    signals.finished.connect(done)
    signals.failed.connect(failed)
    _running.add(signals)  # keep the signal object alive until the task ends
    QThreadPool.globalInstance().start(_Runnable(fn, signals, progress))
    return dialog
