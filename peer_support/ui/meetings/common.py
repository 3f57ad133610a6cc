"""Small helpers shared by the meetings widgets."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from typing import Any

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QWidget

from peer_support.errors import PeerSupportError
from peer_support.ui.errors import show_error
from peer_support.ui.signals import signals
from peer_support.ui.undo import ActionCommand
from peer_support.ui.widgets.date_edit import date_edit, from_qdate, to_qdate  # noqa: F401 - one date field


def perform(parent: QWidget, context, undo_stack, call: Callable[[], Any], text: str) -> Any | None:
    """Run a service call that returns Saved; push it for undo and tell pages to reload.

    Returns the saved record, or None after showing the error (nothing was changed).
    """
    try:
        saved = call()
    except PeerSupportError as exc:
        show_error(parent, exc)
        return None
    if saved.summary.rows:
        undo_stack.push(ActionCommand(context, saved.summary, text))
        signals.data_changed.emit(set(saved.summary.entities))
    return saved.record


def to_qtime(value: time) -> QTime:
    return QTime(value.hour, value.minute)


def from_qtime(value: QTime) -> time:
    return time(value.hour(), value.minute())


MEETING_ENTITIES = {"meeting", "attendance", "meeting_action", "meeting_series", "family", "volunteer"}
