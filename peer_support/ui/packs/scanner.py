"""A USB scanner's burst of keys plus Enter is a scan, whatever has the focus.

A barcode scanner "types" its code a few milliseconds a key and presses Enter.
While scan mode is on screen, an application-wide event filter holds keys typed
outside the code field for a moment: a fast burst ending in Enter is handed to
scan mode as a code (so a code never lands in the note field or in a list's
type-ahead), while ordinary typing is replayed to its widget unchanged, a
fraction of a second later.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid

# Scanners send a key every 2-20 ms; people rarely type four keys under 50 ms apart.
BURST_GAP_S = 0.05
MIN_BURST_KEYS = 4
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class ScannerBurstFilter(QObject):
    """Installed on the QApplication while `view` is shown; `on_scan(text)` gets each burst."""

    def __init__(self, view: QWidget, code_edit: QWidget, on_scan: Callable[[str], None]) -> None:
        super().__init__(view)
        self._view, self._code_edit, self._on_scan = view, code_edit, on_scan
        self._held: list[tuple[QWidget, QKeyEvent]] = []
        self._last_at = 0.0
        self._replaying = False
        self._installed = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._replay)

    def install(self) -> None:
        if not self._installed:
            QApplication.instance().installEventFilter(self)
            self._installed = True

    def remove(self) -> None:
        if self._installed:
            self._replay()
            QApplication.instance().removeEventFilter(self)
            self._installed = False

    def _watching(self, target: QObject) -> bool:
        focus = QApplication.focusWidget()
        if target is not focus or focus is None or focus is self._code_edit:
            return False
        if QApplication.activeModalWidget() is not None or not self._view.isVisible():
            return False
        return focus.window() is self._view.window()

    def eventFilter(self, target: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if self._replaying or event.type() != QEvent.Type.KeyPress or not self._watching(target):
            return False
        key_event: QKeyEvent = event  # type: ignore[assignment]
        now = time.monotonic()
        fast = bool(self._held) and now - self._last_at <= BURST_GAP_S
        if key_event.key() in _ENTER:
            if fast and len(self._held) >= MIN_BURST_KEYS:
                text = "".join(held.text() for _widget, held in self._held)
                self._held.clear()
                self._timer.stop()
                self._on_scan(text)
                return True
            self._replay()
            return False
        text = key_event.text()
        plain = not key_event.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier
                                               | Qt.KeyboardModifier.KeypadModifier)
        if not (text and text.isprintable() and plain):
            self._replay()
            return False
        if self._held and not fast:
            self._replay()  # a pause: what was held was typed by a person
        self._held.append((target, QKeyEvent(key_event.type(), key_event.key(), key_event.modifiers(), text)))
        self._last_at = now
        self._timer.start(int(BURST_GAP_S * 2000))
        return True

    def _replay(self) -> None:
        """Give held keys to the widgets they were typed into, in order."""
        self._timer.stop()
        held, self._held = self._held, []
        self._replaying = True
        try:
            for widget, event in held:
                if isValid(widget):
                    QApplication.sendEvent(widget, event)
        finally:
            self._replaying = False
