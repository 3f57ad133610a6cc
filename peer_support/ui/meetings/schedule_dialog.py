"""Plan a run of meetings from a rule, e.g. the second Tuesday of each month, 18:00-19:30,
leaving out chosen dates (school and bank holidays). The dates are previewed live."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QListWidget, QListWidgetItem, QTimeEdit, QVBoxLayout)

from babel.dates import get_day_names

from peer_support.clock import local_today
from peer_support.domain.meetings import MeetingDraft, ScheduleRule, schedule_dates
from peer_support.errors import ValidationError
from peer_support.i18n import _, ngettext
from peer_support.i18n.formatting import babel_locale, format_date
from peer_support.services.meetings_schedule import create_schedule
from peer_support.ui.meetings.common import date_edit, from_qdate, from_qtime, to_qdate
from peer_support.ui.ops import run_change


def _which_choices() -> list[tuple[str, int]]:
    # Whole labels rather than "on the [second] [Tuesday]", which cannot be made
    # grammatical in Polish or German by gluing words. The n-th week of the month is
    # days 7n-6..7n, so "Second week" + Tuesday is the second Tuesday.
    return [(_("First week (days 1–7)"), 1), (_("Second week (days 8–14)"), 2),
            (_("Third week (days 15–21)"), 3), (_("Fourth week (days 22–28)"), 4),
            (_("Last week of the month"), -1), (_("Every week"), 0)]


class ScheduleDialog(QDialog):
    def __init__(self, context, undo_stack, parent=None) -> None:
        super().__init__(parent)
        self._context, self._undo_stack = context, undo_stack
        self.created: list = []
        self.setWindowTitle(_("Plan a year of meetings"))
        today = local_today(context.clock)
        self.which_combo = QComboBox()
        for label, value in _which_choices():
            self.which_combo.addItem(label, value)
        self.which_combo.setCurrentIndex(1)
        self.weekday_combo = QComboBox()
        names = get_day_names("wide", locale=babel_locale())
        for number in range(7):  # Monday first, whatever order the locale's dict has
            self.weekday_combo.addItem(names[number], number)
        self.weekday_combo.setCurrentIndex(1)  # Tuesday
        self.first_edit, self.last_edit = date_edit(), date_edit()
        self.first_edit.setDate(to_qdate(today))
        self.last_edit.setDate(to_qdate(date(today.year + 1, today.month, 1)))
        self.start_edit, self.end_edit = QTimeEdit(), QTimeEdit()
        for edit, (hour, minute) in ((self.start_edit, (18, 0)), (self.end_edit, (19, 30))):
            edit.setDisplayFormat("HH:mm")
            edit.setTime(edit.time().fromString(f"{hour:02d}:{minute:02d}", "HH:mm"))
        times = QHBoxLayout()
        times.addWidget(self.start_edit)
        times.addWidget(QLabel("–"))
        times.addWidget(self.end_edit)
        times.addStretch(1)
        self.topic_edit, self.venue_edit = QLineEdit(), QLineEdit()
        self.preview = QListWidget()
        self.preview.setObjectName("schedule_preview")
        self.preview_label = QLabel()
        form = QFormLayout()
        form.addRow(_("Week of the month"), self.which_combo)
        form.addRow(_("Day"), self.weekday_combo)
        form.addRow(_("From"), self.first_edit)
        form.addRow(_("Until"), self.last_edit)
        form.addRow(_("Time"), times)
        form.addRow(_("Venue"), self.venue_edit)
        form.addRow(_("Topic"), self.topic_edit)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(_("Untick dates to skip (holidays, bank holidays):")))
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.preview_label)
        layout.addWidget(self.buttons)
        for signal in (self.which_combo.currentIndexChanged, self.weekday_combo.currentIndexChanged,
                       self.first_edit.dateChanged, self.last_edit.dateChanged,
                       self.start_edit.timeChanged, self.end_edit.timeChanged):
            signal.connect(self._refresh)
        self.preview.itemChanged.connect(self._update_count)
        self.resize(520, 600)
        self._refresh()

    def _rule(self, skip: tuple[date, ...] = ()) -> ScheduleRule:
        return ScheduleRule(first_on=from_qdate(self.first_edit.date()), last_on=from_qdate(self.last_edit.date()),
                            weekday=self.weekday_combo.currentData(), nth=self.which_combo.currentData(),
                            start=from_qtime(self.start_edit.time()), end=from_qtime(self.end_edit.time()),
                            skip=skip)

    def _skipped(self) -> tuple[date, ...]:
        return tuple(self.preview.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.preview.count())
                     if self.preview.item(i).checkState() != Qt.CheckState.Checked)

    def _refresh(self) -> None:
        skipped = set(self._skipped())
        self.preview.blockSignals(True)
        self.preview.clear()
        try:
            dates = schedule_dates(self._rule())
            problem = ""
        except ValidationError as exc:
            dates, problem = [], exc.message
        for day in dates:
            item = QListWidgetItem(format_date(day, "full"))
            item.setData(Qt.ItemDataRole.UserRole, day)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked if day in skipped else Qt.CheckState.Checked)
            self.preview.addItem(item)
        self.preview.blockSignals(False)
        self._update_count(problem=problem)

    def _update_count(self, _item=None, problem: str = "") -> None:
        count = self.preview.count() - len(self._skipped())
        self.preview_label.setText(problem or ngettext("%(count)d meeting will be planned.",
                                                       "%(count)d meetings will be planned.", count)
                                   % {"count": count})
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem and count > 0)

    def _on_accept(self) -> None:
        rule = self._rule(self._skipped())
        template = MeetingDraft(on=rule.first_on, venue=self.venue_edit.text(), topic=self.topic_edit.text())
        created = run_change(self, self._context, self._undo_stack,
                             lambda: create_schedule(self._context, rule, template), _("Plan a year of meetings"))
        if created is not None:
            self.created = created.record
            self.accept()
