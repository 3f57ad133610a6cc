"""Small helpers shared by the meetings widgets."""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import QTime

from peer_support.ui.widgets.date_edit import date_edit, from_qdate, to_qdate  # noqa: F401 - one date field


def to_qtime(value: time) -> QTime:
    return QTime(value.hour, value.minute)


def from_qtime(value: QTime) -> time:
    return time(value.hour(), value.minute())

