"""Small helpers shared by the fund page and its dialogs."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QLabel, QWidget

from peer_support.context import AppContext
from peer_support.ui.signals import signals
from peer_support.ui.undo import ActionCommand

FUND_ENTITIES = {"fund_pot", "fund_application", "fund_payment", "family", "area"}


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def date_edit(value: date, name: str = "") -> QDateEdit:
    """A date field with a calendar pop-up, shown in the UI locale."""
    edit = QDateEdit(to_qdate(value))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(edit.locale().dateFormat(edit.locale().FormatType.ShortFormat)
                          .replace("yy", "yyyy").replace("yyyyyyyy", "yyyy"))
    if name:
        edit.setObjectName(name)
    return edit


def committed(context: AppContext, undo_stack, summary, text: str) -> None:
    """After a service action: make it undoable and tell every page."""
    if summary is None or not summary.rows:
        return
    if undo_stack is not None:
        undo_stack.push(ActionCommand(context, summary, text))
    signals.data_changed.emit(set(summary.entities))
    signals.status_message.emit(text)


def warning_label(parent: QWidget | None = None) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setStyleSheet("QLabel { background: #fff4d6; border: 1px solid #e0b04a; padding: 6px; }")
    label.hide()
    return label
