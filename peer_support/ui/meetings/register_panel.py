"""Taking the register at the door.

Type a few letters or scan a family card (the scanner types F0042 + Enter) in
the door box: Enter ticks the family present when only one matches; otherwise
Down moves into the matches and Enter ticks the chosen one. In the register
table, P, A and X mark present, apologies and absent, Delete clears.
"""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QPushButton, QSpinBox, QTableView, QVBoxLayout, QWidget)

from peer_support.domain.meetings import AttendanceStatus, MeetingRecord, MeetingStatus
from peer_support.errors import PeerSupportError
from peer_support.i18n import _, ngettext, pgettext
from peer_support.services.meetings import get_meeting, set_door_counts
from peer_support.services.register import add_newcomer, door_matches, mark_attendance, register_marks
from peer_support.ui.errors import show_error
from peer_support.ui.meetings.models import USER, RegisterTableModel
from peer_support.ui.ops import run_change
from peer_support.ui.signals import signals
from peer_support.ui.widgets.flow_layout import flow_row, together
from peer_support.ui.colours import muted_text

ENGLISH_KEYS = {"P": AttendanceStatus.PRESENT, "A": AttendanceStatus.APOLOGIES, "X": AttendanceStatus.ABSENT}


def status_keys() -> dict[str, AttendanceStatus]:
    """The register's one-letter keys in the UI language; the English letters also work
    where they do not mean something else in that language."""
    keys = {
        # Translators: one letter, pressed in the register to mark a family present.
        pgettext("register key", "P").upper()[:1]: AttendanceStatus.PRESENT,
        # Translators: one letter, pressed in the register to mark apologies (excused absence).
        pgettext("register key", "A").upper()[:1]: AttendanceStatus.APOLOGIES,
        # Translators: one letter, pressed in the register to mark a family absent.
        pgettext("register key", "X").upper()[:1]: AttendanceStatus.ABSENT,
    }
    for letter, status in ENGLISH_KEYS.items():
        keys.setdefault(letter, status)
    return keys


def status_keys_hint() -> str:
    letters = {status: letter for letter, status in reversed(list(status_keys().items()))}
    return _("In the list: %(present)s present, %(apologies)s apologies, %(absent)s absent, Delete clears.") % {
        "present": letters[AttendanceStatus.PRESENT], "apologies": letters[AttendanceStatus.APOLOGIES],
        "absent": letters[AttendanceStatus.ABSENT]}


class DoorLineEdit(QLineEdit):
    """Down arrow hands the focus to the list of matches."""

    down_pressed = Signal()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Down:
            self.down_pressed.emit()
            return
        super().keyPressEvent(event)


class MatchList(QListWidget):
    """Enter ticks the current match; Esc goes back to the door box."""

    chosen = Signal(str)
    escaped = Signal()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem():
            self.chosen.emit(self.currentItem().data(USER))
            return
        if event.key() == Qt.Key.Key_Escape:
            self.escaped.emit()
            return
        super().keyPressEvent(event)


class RegisterTable(QTableView):
    status_key_pressed = Signal(object)  # AttendanceStatus or None

    def keyPressEvent(self, event) -> None:
        keys = status_keys()
        letter = event.text().upper()
        plain = not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
        if plain and letter in keys:
            self.status_key_pressed.emit(keys[letter])
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.status_key_pressed.emit(None)
            return
        super().keyPressEvent(event)


class NewcomerDialog(QDialog):
    """The minimum to know a new family at the door; the rest can wait."""

    def __init__(self, name: str = "", parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("New family at the door"))
        self.name_edit, self.phone_edit, self.postcode_edit = QLineEdit(name), QLineEdit(), QLineEdit()
        self.name_edit.setObjectName("newcomer_name")
        self.consent_box = QCheckBox(_("Happy for the group to contact them"))
        form = QFormLayout(self)
        form.addRow(_("Name"), self.name_edit)
        form.addRow(_("Phone"), self.phone_edit)
        form.addRow(_("Postcode"), self.postcode_edit)
        form.addRow("", self.consent_box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Add and tick present"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setMinimumWidth(380)


class RegisterPanel(QWidget):
    def __init__(self, context, undo_stack, parent=None) -> None:
        super().__init__(parent)
        self._context, self._undo_stack = context, undo_stack
        self._reference = ""
        self._meeting: MeetingRecord | None = None
        self._marks: dict[str, AttendanceStatus] = {}  # family reference -> mark: the marked few

        self.door_edit = DoorLineEdit()
        self.door_edit.setObjectName("door")
        self.door_edit.setPlaceholderText(_("Type a name or scan a family card, then press Enter"))
        self.door_edit.setClearButtonEnabled(True)
        self.door_edit.textChanged.connect(self._on_door_text_changed)
        self.door_edit.returnPressed.connect(self._on_door_enter)
        self.door_edit.down_pressed.connect(self._focus_matches)
        self.matches = MatchList()
        self.matches.setObjectName("door_matches")
        self.matches.setMaximumHeight(130)
        self.matches.chosen.connect(self._tick_present)
        self.matches.itemActivated.connect(lambda item: self._tick_present(item.data(USER)))
        self.matches.escaped.connect(self.door_edit.setFocus)
        self.newcomer_button = QPushButton(_("New family…"))
        self.newcomer_button.setObjectName("newcomer")
        self.newcomer_button.clicked.connect(self._on_newcomer_clicked)
        self.feedback = QLabel()
        self.feedback.setObjectName("door_feedback")
        self.feedback.setWordWrap(True)

        self.model = RegisterTableModel(context, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = RegisterTable()
        self.table.setObjectName("register_table")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.status_key_pressed.connect(self._on_status_key)
        self.marked_only = QCheckBox(_("Only families marked"))
        self.marked_only.setObjectName("marked_only")
        self.marked_only.toggled.connect(lambda _on: self._fill())
        self.counts_label = QLabel()
        self.counts_label.setObjectName("register_counts")

        self.guests_spin, self.creche_spin = QSpinBox(), QSpinBox()
        for spin in (self.guests_spin, self.creche_spin):
            spin.setRange(0, 1000)
            spin.editingFinished.connect(self._on_counts_edited)
        self.guests_spin.setObjectName("walk_in_guests")
        self.creche_spin.setObjectName("creche_children")

        door_row = QHBoxLayout()
        door_row.addWidget(self.door_edit, 1)
        door_row.addWidget(self.newcomer_button)
        # A wrapping row, labels tied to their boxes (screen readers name the boxes by them):
        # one row of four in German is wider than a 1280 px screen beside the list.
        counts_row = flow_row()
        for text, spin in ((_("Walk-in guests"), self.guests_spin), (_("Children in the crèche"), self.creche_spin)):
            label = QLabel(text)
            label.setBuddy(spin)
            spin.setAccessibleName(text)
            counts_row.addWidget(together(label, spin))
        counts_row.addWidget(self.marked_only)
        self.counts_label.setWordWrap(True)
        self.door_edit.setAccessibleName(_("Family at the door"))
        self.matches.setAccessibleName(_("Families matching what was typed"))
        self.table.setAccessibleName(_("Register"))
        self.table.setAccessibleDescription(status_keys_hint())
        hint = QLabel(status_keys_hint())
        hint.setWordWrap(True)
        hint.setStyleSheet(f"color: {muted_text().name()};")  # palette(mid) text did not read
        layout = QVBoxLayout(self)
        layout.addLayout(door_row)
        layout.addWidget(self.matches)
        layout.addWidget(self.feedback)
        layout.addLayout(counts_row)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        self.setTabOrder(self.door_edit, self.matches)
        self.setTabOrder(self.matches, self.newcomer_button)
        self.setTabOrder(self.newcomer_button, self.guests_spin)
        self.setTabOrder(self.guests_spin, self.creche_spin)
        self.setTabOrder(self.creche_spin, self.marked_only)
        self.setTabOrder(self.marked_only, self.table)

    # -- loading ------------------------------------------------------------------------
    def show_meeting(self, reference: str) -> None:
        if reference != self._reference:  # what was said at the door was about the other meeting
            self.feedback.clear()
            self.door_edit.clear()
        self._reference = reference
        self.reload()

    def reload(self) -> None:
        if not self._reference:
            self._meeting, self._marks = None, {}
            self.model.show_register("")
            return
        try:
            self._meeting = get_meeting(self._context, self._reference)
            self._marks = register_marks(self._context, self._reference)
        except PeerSupportError as exc:
            show_error(self, exc)
            return
        meeting = self._meeting
        self.guests_spin.setValue(meeting.walk_in_guests)
        self.creche_spin.setValue(meeting.creche_children)
        open_for_marks = meeting.status is not MeetingStatus.CANCELLED
        for widget in (self.door_edit, self.newcomer_button, self.guests_spin, self.creche_spin):
            widget.setEnabled(open_for_marks)
        self._fill()

    def _fill(self) -> None:
        if self._meeting is None:
            return
        selected = self._selected_reference()
        try:
            self.model.show_register(self._reference, self.marked_only.isChecked())
        except PeerSupportError as exc:
            show_error(self, exc)
            return
        marked = list(self._marks.values())
        present = marked.count(AttendanceStatus.PRESENT)
        self.counts_label.setText(ngettext(
            "%(count)d family present · apologies: %(apologies)d · absent: %(absent)d",
            "%(count)d families present · apologies: %(apologies)d · absent: %(absent)d", present)
            % {"count": present, "apologies": marked.count(AttendanceStatus.APOLOGIES),
               "absent": marked.count(AttendanceStatus.ABSENT)})
        if selected:
            self._select(selected)

    # -- the door -----------------------------------------------------------------------
    def _on_door_text_changed(self, text: str) -> None:
        self.matches.clear()
        for match in door_matches(self._context, text):
            status = self._marks.get(match.family_reference)
            label = f"{match.family_name}  ({match.family_reference})"
            if status is not None:
                label = _("%(family)s – %(status)s") % {"family": label, "status": status.label}
            item = QListWidgetItem(label)
            item.setData(USER, match.family_reference)
            self.matches.addItem(item)
        if self.matches.count():
            self.matches.setCurrentRow(0)

    def _focus_matches(self) -> None:
        if self.matches.count():
            self.matches.setFocus()  # the first match is current; Down/Up move from there

    def _on_door_enter(self) -> None:
        text = self.door_edit.text().strip()
        if not text:
            return
        if self.matches.count() == 1:
            self._tick_present(self.matches.item(0).data(USER))
        elif self.matches.count() == 0:
            self.feedback.setText(_("No family matches '%(text)s'. Check the spelling, or add them with "
                                    "New family.") % {"text": text})
        else:
            self.feedback.setText(_("Several families match: press Down to choose one, or type more."))

    def _tick_present(self, family_reference: str) -> None:
        self._mark(family_reference, AttendanceStatus.PRESENT)
        self.door_edit.clear()
        self.door_edit.setFocus()

    def _mark(self, family_reference: str, status: AttendanceStatus | None) -> None:
        reference = self._reference
        saved = run_change(self, self._context, self._undo_stack,
                           lambda: mark_attendance(self._context, reference, family_reference, status),
                           _("Register %(family)s at %(meeting)s") % {"family": family_reference,
                                                                       "meeting": reference})
        if saved is not None:
            entry = saved.record
            message = (_("%(family)s (%(reference)s): %(status)s") % {
                "family": entry.family_name, "reference": entry.family_reference, "status": status.label}
                if status else _("%(family)s cleared from the register.") % {"family": entry.family_name})
            self.feedback.setText(message)
            signals.status_message.emit(message)
            self._select(family_reference)

    # -- keyboard in the table ----------------------------------------------------------
    def _selected_reference(self) -> str:
        index = self.table.currentIndex()
        return self.proxy.data(index, USER) if index.isValid() else ""

    def _select(self, family_reference: str) -> None:
        try:
            row = self.model.row_of(family_reference)
        except PeerSupportError:
            return  # the meeting went meanwhile: nothing to select
        if row is None:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)

    def _on_status_key(self, status: AttendanceStatus | None) -> None:
        family_reference = self._selected_reference()
        if family_reference and self.door_edit.isEnabled():
            self._mark(family_reference, status)

    def _on_counts_edited(self) -> None:
        if self._meeting is None:
            return
        meeting = self._meeting
        guests, creche = self.guests_spin.value(), self.creche_spin.value()
        if (guests, creche) == (meeting.walk_in_guests, meeting.creche_children):
            return
        reference = self._reference
        run_change(self, self._context, self._undo_stack,
                   lambda: set_door_counts(self._context, reference, guests, creche),
                   _("Count guests at %(reference)s") % {"reference": reference})

    def _on_newcomer_clicked(self) -> None:
        text = self.door_edit.text().strip()
        dialog = NewcomerDialog("" if text.upper().startswith("F0") else text, self)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            reference = self._reference
            saved = run_change(self, self._context, self._undo_stack,
                               lambda: add_newcomer(self._context, reference, dialog.name_edit.text(),
                                                    dialog.phone_edit.text(), dialog.postcode_edit.text(),
                                                    dialog.consent_box.isChecked()),
                               _("Add newcomer %(name)s at %(meeting)s") % {"name": dialog.name_edit.text().strip(),
                                                                           "meeting": reference})
            if saved is not None:
                entry = saved.record
                self.feedback.setText(_("Welcome, %(family)s! Added as %(reference)s and ticked present.")
                                      % {"family": entry.family_name, "reference": entry.family_reference})
                self.door_edit.clear()
                self.door_edit.setFocus()
                return  # on an error the dialog opens again with what was typed

