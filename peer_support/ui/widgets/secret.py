"""The one kind of field for a secret: a passphrase or a PIN, shown as dots."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit


def secret_edit(name: str = "", accessible_name: str = "") -> QLineEdit:
    """A line edit that hides what is typed; ``name`` is its object name (for tests)."""
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    if name:
        edit.setObjectName(name)
    if accessible_name:
        edit.setAccessibleName(accessible_name)
    return edit
