"""App-wide signals, so pages reload when another page changed shared data."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class AppSignals(QObject):
    # The kinds of data (domain.changes.Kind) a committed action touched: a frozenset.
    data_changed = Signal(frozenset)
    # Ask the main window to show an area, optionally with an item selected.
    navigate_requested = Signal(str, str)
    status_message = Signal(str)


signals = AppSignals()
