"""The details of one meeting: when, where, topic, themes, agenda, notes and status."""

from __future__ import annotations

from datetime import date, time

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QCheckBox, QFormLayout, QGridLayout, QHBoxLayout, QInputDialog, QLabel,
                               QLineEdit, QPlainTextEdit, QPushButton, QTimeEdit, QVBoxLayout, QWidget)

from peer_support.clock import local_today
from peer_support.domain.meetings import RESILIENCE_TAGS, MeetingDraft, MeetingRecord, MeetingStatus
from peer_support.i18n import _
from peer_support.services.meetings import create_meeting, set_meeting_status, update_meeting
from peer_support.ui.ask import settle_unsaved
from peer_support.ui.meetings.common import date_edit, from_qdate, from_qtime, to_qdate, to_qtime
from peer_support.ui.ops import run_change


class MeetingDetailsForm(QWidget):
    """Edits one meeting (or a new one); saving never touches other meetings of the series."""

    meeting_saved = Signal(str)  # reference

    def __init__(self, context, undo_stack, parent=None) -> None:
        super().__init__(parent)
        self._context, self._undo_stack = context, undo_stack
        self._meeting: MeetingRecord | None = None

        self.status_label = QLabel()
        self.status_label.setObjectName("meeting_status")
        self.status_label.setWordWrap(True)
        self.date_edit = date_edit()
        self.date_edit.setObjectName("meeting_date")
        self.start_edit, self.end_edit = QTimeEdit(), QTimeEdit()
        for edit in (self.start_edit, self.end_edit):
            edit.setDisplayFormat("HH:mm")
        self.start_edit.setAccessibleName(_("Starts at"))
        self.end_edit.setAccessibleName(_("Ends at"))
        times = QHBoxLayout()
        times.addWidget(self.start_edit)
        times.addWidget(QLabel("–"))
        times.addWidget(self.end_edit)
        times.addStretch(1)
        self.venue_edit, self.link_edit = QLineEdit(), QLineEdit()
        self.link_edit.setPlaceholderText("https://")
        self.topic_edit, self.facilitator_edit = QLineEdit(), QLineEdit()
        self.topic_edit.setObjectName("topic")
        self.agenda_edit, self.notes_edit = QPlainTextEdit(), QPlainTextEdit()
        for edit in (self.agenda_edit, self.notes_edit):
            edit.setTabChangesFocus(True)
            edit.setMinimumHeight(70)
        self.tag_boxes: dict[str, QCheckBox] = {}
        tags = QGridLayout()  # three a row: five in one row do not fit a small screen in Polish
        for index, (key, label) in enumerate(RESILIENCE_TAGS.items()):
            box = QCheckBox(_(label))
            box.setObjectName(f"tag_{key}")
            self.tag_boxes[key] = box
            tags.addWidget(box, index // 3, index % 3)
        tags.setColumnStretch(3, 1)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(_("Date"), self.date_edit)
        form.addRow(_("Time"), times)
        form.addRow(_("Topic"), self.topic_edit)
        form.addRow(_("Venue"), self.venue_edit)
        form.addRow(_("Online link"), self.link_edit)
        form.addRow(_("Facilitator"), self.facilitator_edit)
        form.addRow(_("Themes"), tags)
        form.addRow(_("Agenda"), self.agenda_edit)
        form.addRow(_("Notes"), self.notes_edit)

        self.save_button = QPushButton(_("Save"))
        self.save_button.setObjectName("save_meeting")
        self.save_button.clicked.connect(self._on_save_clicked)
        self.held_button = QPushButton(_("Mark as held"))
        self.held_button.clicked.connect(lambda: self._set_status(MeetingStatus.HELD))
        self.cancel_button = QPushButton(_("Cancel meeting…"))
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.planned_button = QPushButton(_("Back to planned"))
        self.planned_button.clicked.connect(lambda: self._set_status(MeetingStatus.PLANNED))
        buttons = QHBoxLayout()
        for button in (self.save_button, self.held_button, self.cancel_button, self.planned_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.status_label)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self.show_meeting(None)

    def shows(self, meeting: MeetingRecord) -> bool:
        """True when the form already shows this meeting's current details."""
        shown = self._meeting
        return shown is not None and (shown.id, shown.draft(), shown.status, shown.cancel_reason) == (
            meeting.id, meeting.draft(), meeting.status, meeting.cancel_reason)

    def show_meeting(self, meeting: MeetingRecord | None, new_on: date | None = None) -> None:
        self._meeting = meeting
        draft = meeting.draft() if meeting else MeetingDraft(on=new_on or local_today(self._context.clock), start=time(18),
                                                             end=time(19, 30))
        self.date_edit.setDate(to_qdate(draft.on))
        self.start_edit.setTime(to_qtime(draft.start))
        self.end_edit.setTime(to_qtime(draft.end))
        self.venue_edit.setText(draft.venue)
        self.link_edit.setText(draft.online_link)
        self.topic_edit.setText(draft.topic)
        self.facilitator_edit.setText(draft.facilitator)
        self.agenda_edit.setPlainText(draft.agenda)
        self.notes_edit.setPlainText(draft.notes)
        for key, box in self.tag_boxes.items():
            box.setChecked(key in draft.tags)
        if meeting is None:
            self.status_label.setText(_("New meeting"))
        elif meeting.status is MeetingStatus.CANCELLED:
            self.status_label.setText(_("%(reference)s · Cancelled: %(reason)s")
                                      % {"reference": meeting.reference, "reason": meeting.cancel_reason})
        else:
            self.status_label.setText(_("%(reference)s · %(status)s")
                                      % {"reference": meeting.reference, "status": meeting.status.label})
        status = meeting.status if meeting else None
        self.held_button.setVisible(status is MeetingStatus.PLANNED)
        self.cancel_button.setVisible(status is MeetingStatus.PLANNED)
        self.planned_button.setVisible(status in (MeetingStatus.HELD, MeetingStatus.CANCELLED))
        self._baseline = self.draft()

    def is_dirty(self) -> bool:
        """True when the form holds typed changes that are not saved."""
        return self.draft() != self._baseline

    def save(self) -> bool:
        """Save the form; False (after showing why) when it could not be saved."""
        self._on_save_clicked()
        return not self.is_dirty()

    def settle(self) -> bool:
        """The one unsaved-edits question before the form shows something else. True: go on."""
        what = self._meeting.reference if self._meeting else _("the new meeting")
        return settle_unsaved(self, self.is_dirty(),
                              _("The details of %(meeting)s have changes that are not saved. Save them?")
                              % {"meeting": what}, self.save)

    def draft(self) -> MeetingDraft:
        return MeetingDraft(
            on=from_qdate(self.date_edit.date()), start=from_qtime(self.start_edit.time()),
            end=from_qtime(self.end_edit.time()), venue=self.venue_edit.text(),
            online_link=self.link_edit.text(), topic=self.topic_edit.text(),
            facilitator=self.facilitator_edit.text(), agenda=self.agenda_edit.toPlainText(),
            notes=self.notes_edit.toPlainText(),
            tags=tuple(key for key, box in self.tag_boxes.items() if box.isChecked()))

    def _on_save_clicked(self) -> None:
        draft = self.draft()
        if self._meeting is None:
            saved = run_change(self, self._context, self._undo_stack, lambda: create_meeting(self._context, draft),
                               _("Plan meeting"))
        else:
            reference = self._meeting.reference
            saved = run_change(self, self._context, self._undo_stack,
                               lambda: update_meeting(self._context, reference, draft),
                               _("Edit meeting %(reference)s") % {"reference": reference})
        if saved is not None:
            self.show_meeting(saved.record)
            self.meeting_saved.emit(saved.record.reference)

    def _set_status(self, status: MeetingStatus, reason: str = "") -> None:
        if self._meeting is None:
            return
        reference = self._meeting.reference
        saved = run_change(self, self._context, self._undo_stack,
                           lambda: set_meeting_status(self._context, reference, status, reason),
                           _("Mark meeting %(reference)s as %(status)s") % {"reference": reference,
                                                                            "status": status.label})
        if saved is not None:
            self.show_meeting(saved.record)
            self.meeting_saved.emit(saved.record.reference)

    def _on_cancel_clicked(self) -> None:
        reason, accepted = QInputDialog.getText(self, _("Cancel meeting"), _("Why is the meeting cancelled?"))
        if accepted:
            self._set_status(MeetingStatus.CANCELLED, reason)

