"""Small helpers shared by the meetings widgets."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from typing import Any

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import QDateEdit, QWidget

from peer_support.errors import PeerSupportError
from peer_support.i18n import current_language
from peer_support.ui.errors import show_error
from peer_support.ui.signals import signals
from peer_support.ui.undo import ActionCommand


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


# Qt's own date formats follow the system locale; these follow the app's language.
_DATE_FORMATS = {"en": "dd/MM/yyyy", "da": "dd-MM-yyyy", "de": "dd.MM.yyyy", "pl": "dd.MM.yyyy"}


def date_edit(value: date | None = None) -> QDateEdit:
    edit = QDateEdit(calendarPopup=True)
    edit.setDisplayFormat(_DATE_FORMATS.get(current_language(), "yyyy-MM-dd"))
    edit.setMaximumWidth(160)
    if value is not None:
        edit.setDate(to_qdate(value))
    return edit


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def to_qtime(value: time) -> QTime:
    return QTime(value.hour, value.minute)


def from_qtime(value: QTime) -> time:
    return time(value.hour(), value.minute())


MEETING_ENTITIES = {"meeting", "attendance", "meeting_action", "meeting_series", "family", "volunteer"}
