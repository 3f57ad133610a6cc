"""The sync folder and the group's passphrase: one form for the first start (joining
the group) and the Sync area (setting this laptop up).

The folder can be typed (Return chooses it) or picked with Choose…; the
passphrase can be asked twice, so a typing slip is caught before it becomes the
group's passphrase. Light on purpose: the first-start dialog shows it before the
data layer has loaded, so nothing here imports services.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog, QFormLayout, QHBoxLayout, QLineEdit, QPushButton, QWidget

from peer_support.errors import ValidationError
from peer_support.i18n import _
from peer_support.ui.errors import show_error
from peer_support.ui.widgets.secret import secret_edit


class SyncFolderPicker(QWidget):
    """A "Sync folder" row (line edit and Choose…) and a "Group passphrase" row.

    ``repeat`` adds a "Repeat it" field that must hold the same passphrase;
    ``set_text`` adds a button with that text under the passphrase, and then
    Return in a passphrase field or the button emits ``passphrase_entered``
    (only when the two fields agree; a difference is shown as an error).
    """

    folder_chosen = Signal(str)  # Choose… picked a folder, or Return was pressed in the folder field
    passphrase_entered = Signal(str)

    def __init__(self, passphrase_hint: str, *, repeat: bool = False, set_text: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder_edit = QLineEdit()
        self.folder_edit.setObjectName("folder")
        self.folder_edit.setAccessibleName(_("Sync folder"))  # its row holds a button too: no label buddy
        self.folder_edit.setPlaceholderText(_("USB stick or shared folder"))
        self.folder_edit.returnPressed.connect(self._on_folder_typed)
        self.browse = QPushButton(_("Choose…"))
        self.browse.setObjectName("choose_folder")
        self.browse.clicked.connect(self._on_browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.browse)

        self.passphrase_edit = secret_edit("passphrase")
        self.passphrase_edit.setPlaceholderText(passphrase_hint)
        self.repeat_edit = secret_edit("repeat_passphrase") if repeat else None
        self.set_button = QPushButton(set_text) if set_text else None

        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(_("Sync folder"), folder_row)
        form.addRow(_("Group passphrase"), self.passphrase_edit)
        if self.repeat_edit is not None:
            form.addRow(_("Repeat it"), self.repeat_edit)
        if self.set_button is not None:  # under the fields it acts on, after both are typed
            self.set_button.setObjectName("set_passphrase")
            self.set_button.clicked.connect(self._on_passphrase_entered)
            for edit in (self.passphrase_edit, self.repeat_edit):
                if edit is not None:
                    edit.returnPressed.connect(self._on_passphrase_entered)
            button_row = QHBoxLayout()
            button_row.addWidget(self.set_button)
            button_row.addStretch(1)
            form.addRow("", button_row)

    # -- values -------------------------------------------------------------------
    def folder(self) -> str:
        return self.folder_edit.text().strip()

    def set_folder(self, path: str) -> None:
        self.folder_edit.setText(path)

    def passphrase(self) -> str:
        """The passphrase typed; ValidationError when the repeated one differs."""
        passphrase = self.passphrase_edit.text()
        if self.repeat_edit is not None and self.repeat_edit.text() != passphrase:
            raise ValidationError(_("The two passphrases are not the same."), field="repeated")
        return passphrase

    def clear_passphrase(self) -> None:
        for edit in (self.passphrase_edit, self.repeat_edit):
            if edit is not None:
                edit.clear()

    # -- slots --------------------------------------------------------------------
    def _on_browse(self) -> None:
        path = QFileDialog.getExistingDirectory(self, _("Choose the sync folder"), self.folder())
        if path:
            self.set_folder(path)
            self.folder_chosen.emit(path)

    def _on_folder_typed(self) -> None:
        if self.folder():
            self.folder_chosen.emit(self.folder())

    def _on_passphrase_entered(self) -> None:
        try:
            passphrase = self.passphrase()
        except ValidationError as exc:
            show_error(self, exc)
            if self.repeat_edit is not None:
                self.repeat_edit.setFocus()
            return
        self.passphrase_entered.emit(passphrase)
