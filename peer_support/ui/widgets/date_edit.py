"""The one date field of the app: shown in the UI language's own short format
(dd/MM/yyyy in English, dd.MM.yyyy in Danish, German and Polish), whatever the
system's locale, with a calendar pop-up in the same language."""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import QDateEdit

from peer_support.i18n.formatting import babel_locale


def qt_date_format(language: str | None = None) -> str:
    """Babel's short date pattern for the language as a Qt format, always with a four-digit year."""
    pattern = babel_locale(language).date_formats["short"].pattern
    pattern = re.sub(r"d+", "dd", pattern)
    pattern = re.sub(r"M+", "MM", pattern)
    return re.sub(r"y+", "yyyy", pattern)


def to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def date_edit(value: date | None = None, name: str = "") -> QDateEdit:
    edit = QDateEdit(calendarPopup=True)
    edit.setLocale(QLocale(str(babel_locale())))
    edit.setDisplayFormat(qt_date_format())
    edit.setMaximumWidth(170)
    if value is not None:
        edit.setDate(to_qdate(value))
    if name:
        edit.setObjectName(name)
    return edit
