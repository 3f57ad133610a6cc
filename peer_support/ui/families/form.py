"""The family form: add or edit one household, with its members.

Keyboard: fields in reading order with Tab, Enter in a one-line field (or
Ctrl+Enter anywhere) saves, Esc cancels. A rule broken shows its message at the
top and puts the cursor in the field concerned; nothing is saved.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog,
                               QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton,
                               QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from peer_support.clock import local_today
from peer_support.context import AppContext
from peer_support.domain.families import SUPPORTED_FAMILY_LANGUAGES, FamilyDraft, FamilyRecord, MemberDraft
from peer_support.errors import PeerSupportError, ValidationError
from peer_support.i18n import LANGUAGE_NAMES, _
from peer_support.services.families import FamilySaved, list_areas, list_schools, save_new_family, update_family
from peer_support.ui.ask import settle_unsaved
from peer_support.ui.errors import show_error
from peer_support.ui.widgets.date_edit import date_edit
from peer_support.ui.colours import error_text

MEMBER_COLUMNS = 4  # name, relationship, school year, school
MemberIdRole = Qt.ItemDataRole.UserRole + 1


def _multi_line(height: int) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)  # Tab leaves the box, as in every other field
    edit.setFixedHeight(height)
    return edit


class FamilyDialog(QDialog):
    def __init__(self, context: AppContext, record: FamilyRecord | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._context = context
        self._record = record
        self.saved: FamilySaved | None = None
        self.setWindowTitle(_("Edit family %(reference)s") % {"reference": record.reference} if record
                            else _("New family"))
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {error_text().name()}; font-weight: bold;")
        self.error_label.hide()

        self.name = QLineEdit()
        self.name.setPlaceholderText(_("Lead parent or carer"))
        self.address = _multi_line(56)
        self.postcode = QLineEdit()
        self.postcode.setPlaceholderText("CT9 1AB")
        self.area = QComboBox()
        self.area.addItem(_("Not known"), "")
        for name in list_areas(context):
            self.area.addItem(name, name)
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("07700 900123")
        self.email = QLineEdit()
        self.language = QComboBox()
        for code in SUPPORTED_FAMILY_LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.children = QSpinBox()
        self.children.setRange(-1, 20)
        self.children.setSpecialValueText(_("Not known"))
        self.children.setValue(-1)

        household = QGroupBox(_("Household"))
        form = QFormLayout(household)
        form.addRow(_("Name") + " *", self.name)
        form.addRow(_("Address"), self.address)
        form.addRow(_("Postcode"), self.postcode)
        form.addRow(_("Area"), self.area)
        form.addRow(_("Phone"), self.phone)
        form.addRow(_("Email"), self.email)
        form.addRow(_("Language"), self.language)
        form.addRow(_("Children"), self.children)

        self.schools = QListWidget()
        self.schools.setObjectName("schools")
        for name in list_schools(context):
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.schools.addItem(item)
        # At most six rows show (the list scrolls): with its title bar the dialog fits a 720 px screen.
        self.schools.setFixedHeight(min(6, max(3, self.schools.count())) * 20 + 8)
        self.needs_internet = QCheckBox(_("No home internet"))
        self.needs_device = QCheckBox(_("No suitable device"))
        self.consent_given = QCheckBox(_("Consent given on"))
        self.consent_date = date_edit(local_today(context.clock))
        self.consent_date.setAccessibleName(_("Consent given on"))
        self.consent_date.setEnabled(False)
        self.consent_given.toggled.connect(self.consent_date.setEnabled)
        self.consent_contact = QCheckBox(_("Contact"))
        self.consent_newsletter = QCheckBox(_("Newsletter"))
        self.consent_photos = QCheckBox(_("Photos"))

        schools_box = QGroupBox(_("Schools and needs"))
        schools_layout = QVBoxLayout(schools_box)
        schools_layout.addWidget(self.schools)
        schools_layout.addWidget(self.needs_internet)
        schools_layout.addWidget(self.needs_device)
        consent_box = QGroupBox(_("Consent"))
        consent_layout = QVBoxLayout(consent_box)
        consent_row = QHBoxLayout()
        consent_row.addWidget(self.consent_given)
        consent_row.addWidget(self.consent_date, 1)
        consent_layout.addLayout(consent_row)
        what = QHBoxLayout()
        what.addWidget(QLabel(_("For:")))
        for box in (self.consent_contact, self.consent_newsletter, self.consent_photos):
            what.addWidget(box)
        what.addStretch(1)
        consent_layout.addLayout(what)
        right = QVBoxLayout()
        right.addWidget(schools_box)
        right.addWidget(consent_box)
        right.addStretch(1)

        top = QHBoxLayout()
        top.addWidget(household, 3)
        top.addLayout(right, 2)

        self.members = QTableWidget(0, MEMBER_COLUMNS)
        self.members.setObjectName("members")
        self.members.setHorizontalHeaderLabels([_("Name"), _("Relationship"), _("School year"), _("School")])
        self.members.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.members.verticalHeader().hide()
        self.members.setTabKeyNavigation(False)  # Tab moves on to the next field, arrows move in the table
        self.members.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.members.setFixedHeight(96)
        self.add_member_button = QPushButton(_("Add member"))
        self.add_member_button.setAutoDefault(False)
        self.add_member_button.clicked.connect(lambda: self._add_member_row(MemberDraft(""), edit=True))
        self.remove_member_button = QPushButton(_("Remove member"))
        self.remove_member_button.setAutoDefault(False)
        self.remove_member_button.clicked.connect(self._remove_member_row)
        members_box = QGroupBox(_("Other members"))
        members_layout = QVBoxLayout(members_box)
        members_layout.addWidget(self.members)
        member_buttons = QHBoxLayout()
        member_buttons.addWidget(self.add_member_button)
        member_buttons.addWidget(self.remove_member_button)
        member_buttons.addStretch(1)
        members_layout.addLayout(member_buttons)

        self.notes = _multi_line(60)
        notes_box = QGroupBox(_("Notes"))
        QVBoxLayout(notes_box).addWidget(self.notes)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(_("Save"))
        self.save_button.setObjectName("save")
        self.save_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, activated=self._on_save_clicked)

        # The error sits beside the buttons: shown, it adds no height (the dialog fits 720 px).
        bottom = QHBoxLayout()
        bottom.addWidget(self.error_label, 1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(members_box)
        layout.addWidget(notes_box)
        layout.addLayout(bottom)
        if record is not None:
            self._fill(record)
        self.name.setFocus()
        self.resize(820, self.sizeHint().height())
        self._baseline = self.draft()

    def is_dirty(self) -> bool:
        return self.saved is None and self.draft() != self._baseline

    def reject(self) -> None:
        """Cancel, Esc or closing: typed changes are saved or discarded on purpose (ui/ask.py)."""
        what = self._record.reference if self._record else _("the new family")
        if settle_unsaved(self, self.is_dirty(),
                          _("%(family)s has changes that are not saved. Save them?") % {"family": what},
                          self._save_for_settle):
            if self.saved is None:
                super().reject()

    def _save_for_settle(self) -> bool:
        self._on_save_clicked()  # accepts the dialog when saved; shows the error otherwise
        return self.saved is not None

    # -- filling and reading ---------------------------------------------------------------------
    def _fill(self, record: FamilyRecord) -> None:
        self.name.setText(record.name)
        self.address.setPlainText(record.address)
        self.postcode.setText(record.postcode)
        if record.area and self.area.findData(record.area) < 0:
            self.area.addItem(record.area, record.area)
        self.area.setCurrentIndex(max(0, self.area.findData(record.area)))
        self.phone.setText(record.phone)
        self.email.setText(record.email)
        self.language.setCurrentIndex(max(0, self.language.findData(record.language)))
        self.children.setValue(-1 if record.children is None else record.children)
        for row in range(self.schools.count()):
            item = self.schools.item(row)
            item.setCheckState(Qt.CheckState.Checked if item.text() in record.schools else Qt.CheckState.Unchecked)
        self.needs_internet.setChecked(record.needs_internet)
        self.needs_device.setChecked(record.needs_device)
        self.consent_given.setChecked(record.consent_date is not None)
        if record.consent_date:
            self.consent_date.setDate(QDate(record.consent_date.year, record.consent_date.month,
                                            record.consent_date.day))
        self.consent_contact.setChecked(record.consent_contact)
        self.consent_newsletter.setChecked(record.consent_newsletter)
        self.consent_photos.setChecked(record.consent_photos)
        for member in record.members:
            self._add_member_row(MemberDraft(member.name, member.relationship, member.school_year,
                                             member.school, member.id))
        self.notes.setPlainText(record.notes)

    def _add_member_row(self, member: MemberDraft, edit: bool = False) -> None:
        row = self.members.rowCount()
        self.members.insertRow(row)
        year = "" if member.school_year is None else str(member.school_year)
        for column, text in enumerate((member.name, member.relationship, year, member.school)):
            item = QTableWidgetItem(text)
            item.setData(MemberIdRole, member.id)
            self.members.setItem(row, column, item)
        if edit:
            self.members.setCurrentCell(row, 0)
            self.members.setFocus()
            self.members.editItem(self.members.item(row, 0))

    def _remove_member_row(self) -> None:
        row = self.members.currentRow()
        if row >= 0:
            self.members.removeRow(row)

    def _member_drafts(self) -> tuple[MemberDraft, ...]:
        members = []
        for row in range(self.members.rowCount()):
            texts = [(self.members.item(row, c).text() if self.members.item(row, c) else "").strip()
                     for c in range(MEMBER_COLUMNS)]
            if not texts[0]:
                continue
            if texts[2] and not texts[2].isdigit():
                raise ValidationError(_("%(name)s: school year must be a number, for example 9.")
                                      % {"name": texts[0]}, field="members")
            member_id = self.members.item(row, 0).data(MemberIdRole) or ""
            members.append(MemberDraft(texts[0], texts[1], int(texts[2]) if texts[2] else None, texts[3],
                                       member_id))
        return tuple(members)

    def draft(self) -> FamilyDraft:
        consent = self.consent_date.date() if self.consent_given.isChecked() else None
        return FamilyDraft(
            name=self.name.text(), address=self.address.toPlainText(), postcode=self.postcode.text(),
            area=self.area.currentData() or "", phone=self.phone.text(), email=self.email.text(),
            language=self.language.currentData(),
            children=None if self.children.value() < 0 else self.children.value(),
            schools=tuple(self.schools.item(r).text() for r in range(self.schools.count())
                          if self.schools.item(r).checkState() == Qt.CheckState.Checked),
            needs_internet=self.needs_internet.isChecked(), needs_device=self.needs_device.isChecked(),
            consent_date=date(consent.year(), consent.month(), consent.day()) if consent else None,
            consent_contact=self.consent_contact.isChecked(),
            consent_newsletter=self.consent_newsletter.isChecked(),
            consent_photos=self.consent_photos.isChecked(), notes=self.notes.toPlainText(),
            members=self._member_drafts())

    # -- saving ----------------------------------------------------------------------------------
    def _field_widget(self, field: str | None) -> QWidget:
        return {"name": self.name, "postcode": self.postcode, "phone": self.phone, "email": self.email,
                "language": self.language, "children": self.children,
                "members": self.members}.get(field or "", self.name)

    def _watch_for_correction(self, widget: QWidget) -> None:
        """The error stays only while it is true: editing the field it is about hides it."""
        signal = getattr(widget, "textChanged", None) or getattr(widget, "currentIndexChanged", None)
        if signal is not None:
            signal.connect(self._hide_error)

    def _hide_error(self, *_args) -> None:
        self.error_label.hide()
        self.error_label.clear()

    def _on_save_clicked(self) -> None:
        try:
            draft = self.draft()
            if self._record is None:
                self.saved = save_new_family(self._context, draft)
            else:
                self.saved = update_family(self._context, self._record.reference, draft)
        except ValidationError as exc:
            self.error_label.setText("⚠ " + exc.message)  # a sign as well as a colour
            self.error_label.show()
            widget = self._field_widget(exc.field)
            self._watch_for_correction(widget)
            widget.setFocus()
            if isinstance(widget, QLineEdit):
                widget.selectAll()
            return
        except PeerSupportError as exc:
            show_error(self, exc)
            return
        self.accept()
