"""App-wide signals, so pages reload when another page changed shared data."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class AppSignals(QObject):
    # Table names touched by a committed action (ChangeSummary.entities).
    data_changed = Signal(set)
    # Ask the main window to show an area, optionally with an item selected.
    navigate_requested = Signal(str, str)
    status_message = Signal(str)


signals = AppSignals()
