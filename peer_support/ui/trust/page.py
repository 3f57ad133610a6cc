"""The Data and privacy page: backups and restore, a family's data (export, erase),
who uses the app and what they changed, encryption and the automatic lock."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog,
                               QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMessageBox,
                               QPushButton, QScrollArea, QSpinBox, QTableView, QVBoxLayout, QWidget)

from peer_support.context import AppContext
from peer_support.domain.changes import EVERYTHING, Kind, Saved
from peer_support.domain.privacy import ErasureResult
from peer_support.domain.roles import Role, roles_text
from peer_support.errors import PeerSupportError
from peer_support.i18n import _, ngettext
from peer_support.i18n.formatting import format_datetime, format_number
from peer_support.services import backups as backup_service
from peer_support.services import encryption as encryption_service
from peer_support.services import privacy, subject_access, users
from peer_support.services.families import get_family
from peer_support.ui.errors import show_error
from peer_support.ui.ops import data_changed, run_change
from peer_support.ui.signals import signals
from peer_support.ui.tasks import run_task
from peer_support.ui.trust import settings as trust_settings
from peer_support.ui.trust.dialogs import EraseConfirmDialog, PassphraseDialog, RestorePreviewDialog
from peer_support.ui.trust.retention import RetentionBox
from peer_support.ui.widgets.secret import secret_edit
from peer_support.ui.widgets.headed_model import HeadedTableModel


class RowsModel(HeadedTableModel):
    """Read-only rows of text; ``keys`` holds one value per row for the caller."""

    def __init__(self, headers: list[str], parent=None) -> None:
        super().__init__(parent)
        self.headers = headers
        self.rows: list[tuple[str, ...]] = []
        self.keys: list[object] = []

    def set_rows(self, rows: list[tuple[str, ...]], keys: list[object]) -> None:
        self.beginResetModel()
        self.rows, self.keys = rows, keys
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and index.isValid():
            return self.rows[index.row()][index.column()]
        return None


def _table(model: RowsModel, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    view.setMinimumHeight(160)
    return view


def _button(text: str, name: str, slot) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.clicked.connect(slot)
    return button


def _size(size_bytes: int) -> str:
    return _("%(size)s MB") % {"size": format_number(round(size_bytes / 1_000_000, 1))}


def _kind(name: str) -> str:
    if name.startswith("auto-"):
        return _("automatic")
    if name.startswith("before-restore-"):
        return _("safety copy before a restore")
    if name.startswith("before-upgrade-"):
        return _("before an upgrade")
    return _("by hand")


class TrustPage(QWidget):
    def __init__(self, context: AppContext, undo_stack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._undo_stack = undo_stack
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self._backups_box())
        layout.addWidget(self._family_box())
        self.retention_box = RetentionBox(context, undo_stack)
        layout.addWidget(self.retention_box)
        layout.addWidget(self._users_box())
        layout.addWidget(self._security_box())
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        self._scroll = scroll
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.reload(set())

    def show_item(self, item: str) -> None:
        """The dashboard's retention card opens the page at the families due."""
        if item == "retention":
            self.retention_box.reload()
            self._scroll.ensureWidgetVisible(self.retention_box)

    # -- sections -----------------------------------------------------------------
    def _backups_box(self) -> QGroupBox:
        box = QGroupBox(_("Backups"))
        layout = QVBoxLayout(box)
        hint = QLabel(_("Peer Support backs up the data when it starts and every few minutes while "
                        "you work, and keeps the last ten plus one a day for 30 days. Keep a copy on "
                        "a USB stick too."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.backups_model = RowsModel([_("Taken"), _("Kind"), _("Size"), _("File")], self)
        self.backups_view = _table(self.backups_model, "backups")
        layout.addWidget(self.backups_view)
        row = QHBoxLayout()
        row.addWidget(_button(_("Back up now"), "back_up_now", self._on_back_up_clicked))
        row.addWidget(_button(_("Back up to a folder…"), "back_up_to", self._on_back_up_to_clicked))
        row.addWidget(_button(_("Restore the selected backup…"), "restore_selected",
                              self._on_restore_selected_clicked))
        row.addWidget(_button(_("Restore from a file…"), "restore_file", self._on_restore_file_clicked))
        row.addStretch(1)
        layout.addLayout(row)
        return box

    def _family_box(self) -> QGroupBox:
        box = QGroupBox(_("A family's data"))
        layout = QGridLayout(box)
        hint = QLabel(_("For a subject access request, export everything held about a family. When a "
                        "family asks to be forgotten, erase its personal data: counts and money "
                        "totals stay right."))
        hint.setWordWrap(True)
        layout.addWidget(hint, 0, 0, 1, 4)
        layout.addWidget(QLabel(_("Family reference")), 1, 0)
        self.reference_edit = QLineEdit()
        self.reference_edit.setObjectName("reference")
        self.reference_edit.setPlaceholderText("F0001")
        self.reference_edit.setMaximumWidth(140)
        layout.addWidget(self.reference_edit, 1, 1)
        layout.addWidget(_button(_("Export everything…"), "export_family", self._on_export_clicked), 1, 2)
        layout.addWidget(_button(_("Erase personal data…"), "erase_family", self._on_erase_clicked), 1, 3)
        layout.setColumnStretch(4, 1)
        return box

    def _users_box(self) -> QGroupBox:
        box = QGroupBox(_("Who uses Peer Support"))
        layout = QVBoxLayout(box)
        self.current_user_label = QLabel()
        layout.addWidget(self.current_user_label)
        row = QHBoxLayout()
        self.new_user_edit = QLineEdit()
        self.new_user_edit.setObjectName("new_user")
        self.new_user_edit.setPlaceholderText(_("Name of a new user"))
        self.new_user_edit.returnPressed.connect(self._on_add_user_clicked)
        row.addWidget(self.new_user_edit, 1)
        self.new_user_role = QComboBox()
        self.new_user_role.setObjectName("new_user_role")
        self.new_user_role.setAccessibleName(_("Role of the new user"))
        for role in (Role.VOLUNTEER, Role.ORGANISER, Role.LEAD):
            self.new_user_role.addItem(role.label, role.value)
        row.addWidget(self.new_user_role)
        row.addWidget(_button(_("Add"), "add_user", self._on_add_user_clicked))
        layout.addLayout(row)
        actions = QHBoxLayout()
        actions.addWidget(_button(_("Roles…"), "user_roles", self._on_roles_clicked))
        actions.addWidget(_button(_("PIN…"), "user_pin", self._on_pin_clicked))
        actions.addWidget(_button(_("Remove selected"), "remove_user", self._on_remove_user_clicked))
        actions.addStretch(1)
        layout.addLayout(actions)
        self.users_model = RowsModel([_("Name"), _("Roles"), _("PIN")], self)
        self.users_view = _table(self.users_model, "users")
        self.users_view.setMinimumHeight(90)
        self.users_view.setMaximumHeight(130)
        layout.addWidget(self.users_view)
        layout.addWidget(QLabel(_("Recent changes (the audit log)")))
        self.audit_model = RowsModel([_("When"), _("Who"), _("What"), _("Records")], self)
        self.audit_view = _table(self.audit_model, "audit")
        self.audit_view.horizontalHeader().setStretchLastSection(False)
        self.audit_view.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.audit_view)
        return box

    def _security_box(self) -> QGroupBox:
        box = QGroupBox(_("Encryption and lock"))
        layout = QGridLayout(box)
        self.encryption_label = QLabel()
        self.encryption_label.setWordWrap(True)
        layout.addWidget(self.encryption_label, 0, 0, 1, 3)
        self.encrypt_button = _button(_("Encrypt with a passphrase…"), "encrypt", self._on_encrypt_clicked)
        self.change_button = _button(_("Change passphrase…"), "change_passphrase", self._on_change_clicked)
        self.decrypt_button = _button(_("Turn encryption off…"), "decrypt", self._on_decrypt_clicked)
        layout.addWidget(self.encrypt_button, 1, 0)
        layout.addWidget(self.change_button, 1, 1)
        layout.addWidget(self.decrypt_button, 1, 2)
        layout.addWidget(QLabel(_("Lock after this many idle minutes (0: never)")), 2, 0, 1, 2)
        self.lock_minutes = QSpinBox()
        self.lock_minutes.setObjectName("lock_minutes")
        self.lock_minutes.setRange(0, 240)
        self.lock_minutes.setValue(trust_settings.lock_minutes(self._context))
        self.lock_minutes.valueChanged.connect(
            lambda value: trust_settings.set_lock_minutes(self._context, value))
        layout.addWidget(self.lock_minutes, 2, 2)
        layout.setColumnStretch(3, 1)
        return box

    # -- reload -------------------------------------------------------------------
    def reload(self, _kinds: frozenset[Kind]) -> None:
        try:
            records = backup_service.list_backups(self._context)
            self.backups_model.set_rows(
                [(format_datetime(r.taken_at), _kind(r.path.name), _size(r.size_bytes), r.path.name)
                 for r in records], [r.path for r in records])
            people = users.list_users(self._context)
            selected = self._selected_user()
            self.users_model.set_rows([(u.name, roles_text(u.roles), _("yes") if u.has_pin else "")
                                       for u in people], [u.name for u in people])
            if selected in self.users_model.keys:  # the same person stays chosen after a change
                self.users_view.selectRow(self.users_model.keys.index(selected))
            entries = users.audit_log(self._context, limit=100)
            self.audit_model.set_rows([(format_datetime(e.at), _actor_text(e), e.description,
                                        format_number(e.changes)) for e in entries], [e.action_id for e in entries])
        except PeerSupportError as exc:
            show_error(self, exc)
        self.retention_box.reload()
        who = self._context.actor()
        self.current_user_label.setText(_("Using Peer Support now: %(name)s") % {"name": who})
        encrypted = encryption_service.is_encrypted(self._context)
        self.encryption_label.setText(
            _("The data and its backups are encrypted. The passphrase is needed to open them; if it "
              "is lost, the data cannot be recovered.") if encrypted else
            _("The data is not encrypted. Anyone with this laptop's files can read it. Encrypt it if "
              "the laptop could be lost or shared."))
        self.encrypt_button.setVisible(not encrypted)
        self.change_button.setVisible(encrypted)
        self.decrypt_button.setVisible(encrypted)

    def _reload_everything(self) -> None:
        self._undo_stack.clear()  # undo entries refer to actions the restored data may not have
        data_changed(EVERYTHING)
        self.reload(set())

    # -- backups ------------------------------------------------------------------
    def _on_back_up_clicked(self, folder: str | None = None) -> None:
        def done(record) -> None:
            signals.status_message.emit(_("Backup written: %(path)s") % {"path": record.path})
            self.reload(set())

        run_task(self, lambda _p: backup_service.back_up_now(self._context, folder or None),
                 on_done=done, label=_("Backing up…"))

    def _on_back_up_to_clicked(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, _("Choose a folder for the backup"))
        if folder:
            self._on_back_up_clicked(folder)

    def _on_restore_selected_clicked(self) -> None:
        rows = self.backups_view.selectionModel().selectedRows()
        if not rows:
            QMessageBox.information(self, _("Restore a backup"), _("Select a backup in the list first."))
            return
        self.restore(self.backups_model.keys[rows[0].row()])

    def _on_restore_file_clicked(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, _("Choose a backup"), "",
                                                    _("Peer Support backups (*.sqlite3)"))
        if path:
            self.restore(Path(path))

    def restore(self, path: Path) -> None:
        try:
            preview = backup_service.preview_backup(self._context, path)
        except PeerSupportError as exc:
            show_error(self, exc)
            return
        if RestorePreviewDialog(preview, self).exec() != QDialog.DialogCode.Accepted:
            return

        def done(result) -> None:
            signals.status_message.emit(_("Backup restored. The data as it was is kept in %(path)s.")
                                        % {"path": result.safety_copy})
            self._reload_everything()
            if result.erasures_reapplied:  # not only in the status bar: it changes what they restored
                QMessageBox.information(self, _("Backup restored"), result.erased_again())

        run_task(self, lambda _p: backup_service.restore_backup(self._context, path), on_done=done,
                 label=_("Restoring…"))

    # -- a family's data ----------------------------------------------------------
    def _family(self):
        reference = self.reference_edit.text().strip().upper()
        try:
            return get_family(self._context, reference)
        except PeerSupportError as exc:
            show_error(self, exc)
            return None

    def _on_export_clicked(self) -> None:
        family = self._family()
        if family is None:
            return
        path, _filter = QFileDialog.getSaveFileName(self, _("Export a family's data"),
                                                    f"{family.reference}.zip", _("ZIP files (*.zip)"))
        if path:
            self.export_family(family.reference, Path(path))

    def export_family(self, reference: str, path: Path) -> None:
        def done(result) -> None:
            rows = sum(result.tables.values())
            signals.status_message.emit(
                ngettext("Exported %(count)d record to %(path)s.", "Exported %(count)d records to %(path)s.",
                         rows) % {"count": rows, "path": result.path})

        run_task(self, lambda _p: subject_access.export_family(self._context, reference, path), on_done=done,
                 label=_("Exporting…"))

    def _on_erase_clicked(self) -> None:
        family = self._family()
        if family is None:
            return
        try:
            plan = privacy.plan_erasure(self._context, family.reference)
        except PeerSupportError as exc:
            show_error(self, exc)
            return
        dialog = EraseConfirmDialog(
            plan, lambda also: privacy.plan_erasure(self._context, family.reference, also), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        also_volunteer = dialog.also_volunteer.isChecked()

        def done(saved: Saved[ErasureResult]) -> None:
            signals.status_message.emit(_("The personal data of family %(reference)s was erased.")
                                        % {"reference": saved.record.reference})
            self._reload_everything()  # cannot be undone: history was blanked, so every page reloads

        run_task(self, lambda _p: privacy.erase_family(self._context, family.reference, also_volunteer),
                 on_done=done, label=_("Erasing…"))

    # -- users --------------------------------------------------------------------
    def _selected_user(self) -> str | None:
        rows = self.users_view.selectionModel().selectedRows()
        return self.users_model.keys[rows[0].row()] if rows else None

    def _on_roles_clicked(self) -> None:
        name = self._selected_user()
        if name is None:
            return
        current = next((u.roles for u in users.list_users(self._context) if u.name == name), ())
        dialog = RolesDialog(name, current, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        roles = dialog.roles()
        self._change_user(lambda: users.set_roles(self._context, name, roles),
                          _("Change the roles of %(name)s") % {"name": name})

    def _on_pin_clicked(self) -> None:
        name = self._selected_user()
        if name is None:
            return
        dialog = PinDialog(name, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        pin = dialog.pin.text() or None
        self._change_user(lambda: users.set_pin(self._context, name, pin),
                          _("Change the PIN of %(name)s") % {"name": name})

    def _change_user(self, call, text: str) -> bool:
        """Run a change of the users list as one undoable, announced step; show this page's lists
        afresh (also when the page stands alone, without a main window to hear the announcement)."""
        saved = run_change(self, self._context, self._undo_stack, call, text)
        if saved is None:
            return False
        self.reload(frozenset(saved.changes.kinds))
        return True

    def _on_add_user_clicked(self) -> None:
        name, role = " ".join(self.new_user_edit.text().split()), Role(self.new_user_role.currentData())
        if self._change_user(lambda: users.add_user(self._context, name, (role,)),
                             _("Add user %(name)s") % {"name": name}):
            self.new_user_edit.clear()

    def _on_remove_user_clicked(self) -> None:
        name = self._selected_user()
        if name is None:
            return
        self._change_user(lambda: users.remove_user(self._context, name), _("Remove user %(name)s") % {"name": name})

    # -- encryption ---------------------------------------------------------------
    def _run_encryption(self, fn, message: str) -> None:
        def done(_rewritten) -> None:
            signals.status_message.emit(message)
            self.reload(set())

        run_task(self, lambda _p: fn(), on_done=done, label=_("Rewriting the data…"))

    def _on_encrypt_clicked(self) -> None:
        dialog = PassphraseDialog(_("Choose a passphrase of at least 8 characters. Write it down and keep "
                                    "it safe: without it nobody, not even you, can open the data."),
                                  new=True, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            passphrase, repeated = dialog.passphrase.text(), dialog.repeated.text()
            self._run_encryption(lambda: encryption_service.enable_encryption(self._context, passphrase, repeated),
                                 _("The data and its backups are now encrypted."))

    def _on_change_clicked(self) -> None:
        dialog = PassphraseDialog(_("Enter the current passphrase and choose a new one."), new=True,
                                  current=True, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            current, new, repeated = dialog.current.text(), dialog.passphrase.text(), dialog.repeated.text()
            self._run_encryption(
                lambda: encryption_service.change_passphrase(self._context, current, new, repeated),
                _("The passphrase was changed."))

    def _on_decrypt_clicked(self) -> None:
        dialog = PassphraseDialog(_("Enter the passphrase to store the data unencrypted again."), parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            current = dialog.passphrase.text()
            self._run_encryption(lambda: encryption_service.disable_encryption(self._context, current),
                                 _("The data is no longer encrypted."))


def _actor_text(entry) -> str:
    """Who did it, with their roles: "Lena (Lead)"."""
    return _("%(name)s (%(roles)s)") % {"name": entry.actor, "roles": entry.actor_roles} if entry.actor_roles \
        else entry.actor


class RolesDialog(QDialog):
    """Tick the roles a person has."""

    def __init__(self, name: str, current, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Roles of %(name)s") % {"name": name})
        layout = QVBoxLayout(self)
        self.boxes = {}
        for role in Role:
            box = QCheckBox(role.label)
            box.setChecked(role in current)
            layout.addWidget(box)
            self.boxes[role] = box
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def roles(self) -> tuple:
        return tuple(role for role, box in self.boxes.items() if box.isChecked())


class PinDialog(QDialog):
    """A new PIN for a person (empty: no PIN)."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("PIN of %(name)s") % {"name": name})
        layout = QVBoxLayout(self)
        label = QLabel(_("4 to 12 digits. Leave it empty for no PIN."))
        label.setWordWrap(True)
        layout.addWidget(label)
        self.pin = secret_edit(accessible_name=_("PIN"))
        layout.addWidget(self.pin)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
