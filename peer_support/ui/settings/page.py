"""The Settings page: group name, contacts, website and sign-up URL, the areas and schools
lists, language."""

from __future__ import annotations

from dataclasses import fields

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QComboBox, QDialogButtonBox, QFormLayout, QGroupBox, QLabel,
                               QLineEdit, QVBoxLayout, QWidget)

from peer_support import i18n
from peer_support.context import AppContext
from peer_support.domain.changes import Kind
from peer_support.domain.settings import GroupSettings
from peer_support.i18n import _
from peer_support.services.settings import get_group_settings, save_group_settings
from peer_support.ui.ops import run_change
from peer_support.ui.signals import signals


def _labels() -> dict[str, str]:
    return {
        "group_name": _("Group name"),
        "contact_name": _("Contact person"),
        "contact_phone": _("Contact phone"),
        "contact_email": _("Contact email"),
        "website": _("Website"),
        "signup_url": _("Sign-up web address"),
    }


class SettingsPage(QWidget):
    SHOWS = frozenset({Kind.SETTINGS, Kind.PLACE, Kind.FAMILY, Kind.VOLUNTEER})

    language_changed = Signal(str)

    def __init__(self, context: AppContext, undo_stack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._undo_stack = undo_stack
        self._edits: dict[str, QLineEdit] = {}

        group_box = QGroupBox(_("Group"))
        form = QFormLayout(group_box)
        for key, label in _labels().items():
            edit = QLineEdit()
            edit.setObjectName(key)
            edit.returnPressed.connect(self._on_save_clicked)
            self._edits[key] = edit
            form.addRow(label, edit)
        self._edits["signup_url"].setPlaceholderText("https://")
        buttons = QDialogButtonBox()
        save = buttons.addButton(_("Save"), QDialogButtonBox.ButtonRole.AcceptRole)
        save.setObjectName("save")
        save.clicked.connect(self._on_save_clicked)
        form.addRow(buttons)

        language_box = QGroupBox(_("This laptop"))
        language_form = QFormLayout(language_box)
        self.language_combo = QComboBox()
        self.language_combo.setObjectName("language")
        self.language_combo.addItem(_("As the system"), "")
        for code in i18n.SUPPORTED_LANGUAGES:
            self.language_combo.addItem(i18n.LANGUAGE_NAMES[code], code)
        self.language_combo.setCurrentIndex(max(0, self.language_combo.findData(context.local.language)))
        self.language_combo.activated.connect(self._on_language_chosen)
        language_form.addRow(_("Language"), self.language_combo)
        language_form.addRow("", QLabel(_("A new language is used after a restart.")))

        from peer_support.ui.settings.lists import ListsBox

        self.lists = ListsBox(context, undo_stack)
        layout = QVBoxLayout(self)
        layout.addWidget(group_box)
        layout.addWidget(self.lists, 1)
        layout.addWidget(language_box)
        layout.addStretch(1)
        self.reload()

    def reload(self, kinds: frozenset[Kind] | None = None) -> None:
        if kinds is None or not kinds.isdisjoint({Kind.PLACE, Kind.FAMILY, Kind.VOLUNTEER}):
            self.lists.reload()
        settings = get_group_settings(self._context)
        for key, edit in self._edits.items():
            edit.setText(getattr(settings, key))

    def _on_save_clicked(self) -> None:
        values = {f.name: self._edits[f.name].text() for f in fields(GroupSettings)}
        if run_change(self, self._context, self._undo_stack,
                      lambda: save_group_settings(self._context, GroupSettings(**values)),
                      _("Change group settings")) is None:
            return
        signals.status_message.emit(_("Settings saved."))

    def _on_language_chosen(self, _index: int) -> None:
        code = self.language_combo.currentData()
        if code == self._context.local.language:
            return
        self._context.local.language = code
        self._context.local.save(self._context.data_dir)
        self.language_changed.emit(code)
