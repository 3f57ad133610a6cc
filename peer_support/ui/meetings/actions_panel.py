"""Actions agreed at a meeting, and open ones carried forward from earlier meetings.

Space (or a click on the box) ticks the selected action done.
"""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QFormLayout, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPushButton, QTableView, QVBoxLayout, QWidget)

from peer_support.clock import local_today
from peer_support.domain.meetings import ActionDraft, MeetingRecord
from peer_support.errors import PeerSupportError
from peer_support.i18n import _
from peer_support.services.actions import (actions_for_meeting, add_action, owner_choices, set_action_done,
                                           update_action)
from peer_support.ui.errors import show_error
from peer_support.ui.meetings.common import date_edit, from_qdate, to_qdate
from peer_support.ui.meetings.models import ActionTableModel
from peer_support.ui.ops import run_change


class ActionTable(QTableView):
    toggle_requested = Signal()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Space:
            self.toggle_requested.emit()
            return
        super().keyPressEvent(event)


class ActionsPanel(QWidget):
    def __init__(self, context, undo_stack, parent=None) -> None:
        super().__init__(parent)
        self._context, self._undo_stack = context, undo_stack
        self._meeting: MeetingRecord | None = None

        self.model = ActionTableModel(self)
        self.table = ActionTable()
        self.table.setObjectName("actions_table")
        self.table.setAccessibleName(_("Actions from this meeting"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column in (0, 2, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.toggle_requested.connect(self._toggle_selected)
        self.table.activated.connect(self._on_action_activated)  # Enter or double-click: edit
        self.table.clicked.connect(lambda index: index.column() == 0 and self._toggle_selected())
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setMinimumWidth(200)  # wraps instead of widening the page

        self.description_edit = QLineEdit()
        self.description_edit.setObjectName("action_description")
        self.description_edit.setPlaceholderText(_("What needs doing?"))
        self.description_edit.returnPressed.connect(self._on_add_clicked)
        self.owner_combo = QComboBox()
        self.owner_combo.setObjectName("action_owner")
        self.owner_combo.setEditable(True)
        # Long names elide rather than widen the page beyond a small screen.
        self.owner_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.owner_combo.setMinimumContentsLength(20)
        self.owner_combo.lineEdit().setPlaceholderText(_("Volunteer, or family reference such as F0042"))
        self.due_box = QCheckBox(_("Due by"))
        self.due_edit = date_edit()
        self.due_edit.setEnabled(False)
        self.due_edit.setAccessibleName(_("Due by"))
        self.owner_combo.setAccessibleName(_("Who does it"))
        self.owner_combo.lineEdit().setAccessibleName(_("Who does it"))
        self.due_box.toggled.connect(self.due_edit.setEnabled)
        self.add_button = QPushButton(_("Add action"))
        self.add_button.setObjectName("add_action")
        self.add_button.clicked.connect(self._on_add_clicked)
        self.new_button = QPushButton(_("New action"))
        self.new_button.clicked.connect(self._stop_editing)
        self.new_button.hide()
        self._editing_id = ""
        due_row = QHBoxLayout()
        due_row.addWidget(self.due_box)
        due_row.addWidget(self.due_edit)
        due_row.addStretch(1)
        due_row.addWidget(self.new_button)
        due_row.addWidget(self.add_button)
        form = QFormLayout()
        form.addRow(_("Action"), self.description_edit)
        form.addRow(_("Owner"), self.owner_combo)
        form.addRow("", due_row)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)

    def show_meeting(self, meeting: MeetingRecord | None) -> None:
        self._meeting = meeting
        if meeting is not None:
            self.due_edit.setDate(to_qdate(meeting.on + timedelta(days=28)))
        self.reload()

    def reload(self) -> None:
        self.setEnabled(self._meeting is not None)
        if self._meeting is None:
            self.model.set_rows([])
            return
        current = self.owner_combo.currentText()
        self.owner_combo.clear()
        self.owner_combo.addItem("", "")
        for label, key in owner_choices(self._context):
            self.owner_combo.addItem(label, key)
        self.owner_combo.setEditText(current)
        try:
            actions = actions_for_meeting(self._context, self._meeting.reference)
        except PeerSupportError as exc:
            show_error(self, exc)
            return
        self.model.today = local_today(self._context.clock)
        self.model.set_rows(actions)
        carried = sum(1 for a in actions if a.carried_forward)
        self.summary_label.setText(_("Actions from this meeting, then open actions carried forward (in italics): "
                                     "%(carried)d.") % {"carried": carried})

    def _owner_key(self) -> str:
        index = self.owner_combo.findText(self.owner_combo.currentText())
        if index > 0:
            return self.owner_combo.itemData(index)
        return self.owner_combo.currentText().strip()

    def _on_add_clicked(self) -> None:
        if self._meeting is None:
            return
        draft = ActionDraft(description=self.description_edit.text(), owner=self._owner_key(),
                            due_on=from_qdate(self.due_edit.date()) if self.due_box.isChecked() else None)
        reference, action_id = self._meeting.reference, self._editing_id
        if action_id:
            saved = run_change(self, self._context, self._undo_stack,
                               lambda: update_action(self._context, action_id, draft), _("Edit action"))
        else:
            saved = run_change(self, self._context, self._undo_stack,
                               lambda: add_action(self._context, reference, draft),
                               _("Add action at %(meeting)s") % {"meeting": reference})
        if saved is not None:
            self._stop_editing()

    def _on_action_activated(self, index) -> None:
        action = self.model.item(index.row())
        if action is None:
            return
        self._editing_id = action.id
        self.description_edit.setText(action.description)
        self.owner_combo.setEditText(action.owner_key)
        self.due_box.setChecked(action.due_on is not None)
        if action.due_on:
            self.due_edit.setDate(to_qdate(action.due_on))
        self.add_button.setText(_("Save action"))
        self.new_button.show()
        self.description_edit.setFocus()

    def _stop_editing(self) -> None:
        self._editing_id = ""
        self.description_edit.clear()
        self.owner_combo.setEditText("")
        self.due_box.setChecked(False)
        self.add_button.setText(_("Add action"))
        self.new_button.hide()
        self.description_edit.setFocus()

    def _toggle_selected(self) -> None:
        action = self.model.item(self.table.currentIndex().row())
        if action is None:
            return
        row = self.table.currentIndex().row()
        run_change(self, self._context, self._undo_stack,
                   lambda: set_action_done(self._context, action.id, not action.done),
                   _("Mark action done") if not action.done else _("Reopen action"))
        self.table.selectRow(min(row, self.model.rowCount() - 1))
