"""Small helpers shared by the fund page and its dialogs."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from peer_support.context import AppContext
from peer_support.ui.signals import signals
from peer_support.ui.undo import ActionCommand
from peer_support.ui.widgets.date_edit import date_edit, from_qdate, to_qdate  # noqa: F401 - one date field

FUND_ENTITIES = {"fund_pot", "fund_application", "fund_payment", "family", "area"}


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
