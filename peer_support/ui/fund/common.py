"""Small helpers shared by the fund page and its dialogs."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from peer_support.ui.widgets.date_edit import date_edit, from_qdate, to_qdate  # noqa: F401 - one date field


def warning_label(parent: QWidget | None = None) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setStyleSheet("QLabel { background: #fff4d6; color: #1d1d1d; border: 1px solid #e0b04a; padding: 6px; }")
    label.hide()
    return label
