"""The Volunteers tab: list, add and edit (name, phone, email, areas, active, family)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QDialog, QDialogButtonBox, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton,
                               QTableView, QVBoxLayout, QWidget)

from peer_support.context import AppContext
from peer_support.domain.families import VolunteerDraft, VolunteerRecord
from peer_support.errors import PeerSupportError, ValidationError
from peer_support.i18n import _
from peer_support.services.families import list_areas
from peer_support.services.families_volunteers import list_volunteers, save_new_volunteer, update_volunteer
from peer_support.ui.families.model import ReferenceRole, VolunteerTableModel
from peer_support.ui.ops import announce
from peer_support.ui.colours import error_text


class VolunteerDialog(QDialog):
    def __init__(self, context: AppContext, record: VolunteerRecord | None = None, parent=None) -> None:
        super().__init__(parent)
        self._context, self._record = context, record
        self.saved = None
        self.setWindowTitle(_("Edit volunteer %(reference)s") % {"reference": record.reference} if record
                            else _("New volunteer"))
        self.error_label = QLabel()
        self.error_label.setStyleSheet(f"color: {error_text().name()}; font-weight: bold;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.name, self.phone, self.email = QLineEdit(), QLineEdit(), QLineEdit()
        self.phone.setPlaceholderText("07700 900123")
        self.areas = QListWidget()
        for name in list_areas(context):
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.areas.addItem(item)
        self.areas.setFixedHeight(150)
        self.active = QCheckBox(_("Active"))
        self.active.setChecked(True)
        self.family = QLineEdit()
        self.family.setPlaceholderText(_("Reference, if also a parent in a family (F0012)"))
        form = QFormLayout()
        form.addRow(_("Name") + " *", self.name)
        form.addRow(_("Phone"), self.phone)
        form.addRow(_("Email"), self.email)
        form.addRow(_("Areas covered"), self.areas)
        form.addRow("", self.active)
        form.addRow(_("Family"), self.family)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self._on_save_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.error_label)
        layout.addLayout(form)
        layout.addWidget(buttons)
        if record:
            self.name.setText(record.name)
            self.phone.setText(record.phone)
            self.email.setText(record.email)
            self.active.setChecked(record.active)
            self.family.setText(record.family_reference)
            for row in range(self.areas.count()):
                item = self.areas.item(row)
                if item.text() in record.areas:
                    item.setCheckState(Qt.CheckState.Checked)
        self.resize(460, self.sizeHint().height())

    def draft(self) -> VolunteerDraft:
        areas = tuple(self.areas.item(r).text() for r in range(self.areas.count())
                      if self.areas.item(r).checkState() == Qt.CheckState.Checked)
        return VolunteerDraft(self.name.text(), self.phone.text(), self.email.text(), areas,
                              self.active.isChecked(), self.family.text().strip())

    def _on_save_clicked(self) -> None:
        try:
            if self._record is None:
                self.saved = save_new_volunteer(self._context, self.draft())
            else:
                self.saved = update_volunteer(self._context, self._record.reference, self.draft())
        except PeerSupportError as exc:
            self.error_label.setText(exc.message)
            self.error_label.show()
            field = exc.field if isinstance(exc, ValidationError) else "family"
            {"phone": self.phone, "email": self.email, "family": self.family}.get(field or "", self.name).setFocus()
            return
        self.accept()


class VolunteersView(QWidget):
    def __init__(self, context: AppContext, undo_stack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context, self._undo_stack = context, undo_stack
        self.model = VolunteerTableModel(self)
        self.view = QTableView()
        self.view.setObjectName("volunteers")
        self.view.setAccessibleName(_("Volunteers"))
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTabKeyNavigation(False)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.doubleClicked.connect(lambda _index: self.edit_selected())
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(QKeySequence(key), self.view, activated=self.edit_selected,
                      context=Qt.ShortcutContext.WidgetShortcut)
        new_button = QPushButton(_("New volunteer"))
        new_button.clicked.connect(self.new_item)
        edit_button = QPushButton(_("Open"))
        edit_button.clicked.connect(self.edit_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(new_button)
        buttons.addWidget(edit_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        self.model.set_rows(list_volunteers(self._context, include_inactive=True))
        self.view.resizeColumnsToContents()

    def new_item(self) -> None:
        self._run_dialog(VolunteerDialog(self._context, parent=self), _("Add volunteer"))

    def edit_selected(self) -> None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return
        reference = self.model.data(rows[0], ReferenceRole)
        record = next(v for v in self.model.rows if v.reference == reference)
        self._run_dialog(VolunteerDialog(self._context, record, parent=self),
                         _("Edit volunteer %(reference)s") % {"reference": reference})

    def _run_dialog(self, dialog: VolunteerDialog, text: str) -> None:
        if dialog.exec() and dialog.saved is not None and dialog.saved.changes.rows:
            self.reload()
            announce(self._context, self._undo_stack, dialog.saved.changes, text)
