"""The Meetings page: upcoming and past meetings on the left; the chosen meeting's
details, register and actions on the right; attendance charts in a second tab."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QMenu,
                               QPushButton, QSplitter, QTableView, QTabWidget, QToolButton, QVBoxLayout, QWidget)

from peer_support.domain.changes import Kind
from peer_support.errors import PeerSupportError
from peer_support.i18n import _, ngettext
from peer_support.services.meeting_exports import export_family_cards, export_register, export_schedule_ics
from peer_support.services.meetings import list_meetings
from peer_support.ui.errors import show_error
from peer_support.ui.meetings.actions_panel import ActionsPanel
from peer_support.ui.meetings.attendance import AttendanceView
from peer_support.ui.meetings.details import MeetingDetailsForm
from peer_support.ui.meetings.models import MeetingTableModel
from peer_support.ui.meetings.register_panel import RegisterPanel
from peer_support.ui.meetings.schedule_dialog import ScheduleDialog
from peer_support.ui.signals import signals
from peer_support.ui.tasks import run_task
from peer_support.domain.roles import Permission
from peer_support.services import access

UPCOMING, PAST, ALL = "upcoming", "past", "all"


class MeetingsPage(QTabWidget):
    SHOWS = frozenset({Kind.MEETING, Kind.ATTENDANCE, Kind.MEETING_ACTION, Kind.FAMILY, Kind.VOLUNTEER})

    def __init__(self, context, undo_stack, parent=None) -> None:
        super().__init__(parent)
        self._context, self._undo_stack = context, undo_stack
        self._current = ""

        self.view_combo = QComboBox()
        self.view_combo.setObjectName("meeting_view")
        self.view_combo.addItem(_("Upcoming meetings"), UPCOMING)
        self.view_combo.addItem(_("Past meetings"), PAST)
        self.view_combo.addItem(_("All meetings"), ALL)
        self.view_combo.currentIndexChanged.connect(lambda _i: self._load_list())
        self.model = MeetingTableModel(self)
        self.list_view = QTableView()
        self.list_view.setObjectName("meetings_list")
        self.list_view.setAccessibleName(_("Meetings"))
        self.list_view.setModel(self.model)
        self.list_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list_view.verticalHeader().hide()
        header = self.list_view.horizontalHeader()
        for column in (0, 1, 2, 4, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(48)
        # The topic is what people look for: keep room for it on a small screen.
        self.list_view.setMinimumWidth(440)
        self.list_view.setWordWrap(False)
        self.list_view.selectionModel().currentRowChanged.connect(self._on_meeting_chosen)
        new_button = QPushButton(_("New meeting"))
        new_button.clicked.connect(self.new_item)
        schedule_button = QPushButton(_("Plan a year…"))
        schedule_button.setObjectName("plan_schedule")
        schedule_button.clicked.connect(self._on_schedule_clicked)
        export_button = QToolButton()
        export_button.setText(_("Export"))
        export_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(export_button)
        menu.addAction(_("Schedule to calendar (.ics)…"), self._on_export_ics)
        menu.addAction(_("Register as sign-in sheet (PDF)…"), lambda: self._on_export_register("pdf"))
        menu.addAction(_("Register as spreadsheet (CSV)…"), lambda: self._on_export_register("csv"))
        menu.addAction(_("Family cards with QR codes (PDF)…"), self._on_export_cards)
        export_button.setMenu(menu)
        buttons = QHBoxLayout()
        buttons.addWidget(new_button)
        buttons.addWidget(schedule_button)
        buttons.addWidget(export_button)
        buttons.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.view_combo)
        left_layout.addWidget(self.list_view, 1)
        left_layout.addLayout(buttons)

        self.details = MeetingDetailsForm(context, undo_stack)
        self.details.meeting_saved.connect(self._on_meeting_saved)
        self.register_panel = RegisterPanel(context, undo_stack)
        self.actions_panel = ActionsPanel(context, undo_stack)
        self.meeting_tabs = QTabWidget()
        self.meeting_tabs.setObjectName("meeting_tabs")
        self.meeting_tabs.addTab(self.details, _("Details"))
        self.meeting_tabs.addTab(self.register_panel, _("Register"))
        self.meeting_tabs.addTab(self.actions_panel, _("Actions"))

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.meeting_tabs)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([520, 760])
        self.attendance = AttendanceView(context)
        self.addTab(splitter, _("Meetings"))
        self.addTab(self.attendance, _("Attendance"))
        self._attendance_stale = False
        self.currentChanged.connect(lambda _index: self.currentWidget() is self.attendance
                                    and self._refresh_attendance())
        # A volunteer at the door sees the list and the register only: no notes, actions or history.
        self.door_only = not access.allowed(context, Permission.MEETINGS)
        if self.door_only:
            for panel in (self.details, self.actions_panel):
                self.meeting_tabs.removeTab(self.meeting_tabs.indexOf(panel))
            self.removeTab(self.indexOf(self.attendance))
            for widget in (new_button, schedule_button, export_button):
                widget.hide()
        self._load_list()

    # -- main window hooks ----------------------------------------------------------------
    def new_item(self) -> None:
        if self.door_only or not self.details.settle():
            return
        self.setCurrentIndex(0)
        self.list_view.clearSelection()
        self._current = ""
        self.details.show_meeting(None)
        self.register_panel.show_meeting("")
        self.actions_panel.show_meeting(None)
        self.meeting_tabs.setCurrentWidget(self.details)
        self.details.topic_edit.setFocus()

    def focus_search(self) -> None:
        self.setCurrentIndex(0)
        self.meeting_tabs.setCurrentWidget(self.register_panel)
        self.register_panel.door_edit.setFocus()

    def print_current(self) -> None:
        self._on_export_register("pdf")

    def show_item(self, reference: str) -> None:
        self.view_combo.setCurrentIndex(self.view_combo.findData(ALL))
        self._select(reference.upper())

    def reload(self, _kinds: frozenset[Kind] | None = None) -> None:
        self._load_list()
        # The chart is rebuilt only when seen: not after every tick at the door.
        self._attendance_stale = True
        if self.currentWidget() is self.attendance:
            self._refresh_attendance()

    def _refresh_attendance(self) -> None:
        if self._attendance_stale:
            self._attendance_stale = False
            self.attendance.reload()

    # -- the list -------------------------------------------------------------------------
    def _load_list(self) -> None:
        mode = self.view_combo.currentData()
        upcoming = {UPCOMING: True, PAST: False, ALL: None}[mode]
        try:
            meetings = list_meetings(self._context, upcoming=upcoming)
        except PeerSupportError as exc:
            show_error(self, exc)
            return
        current = self._current
        self.model.set_rows(meetings)
        if current and self._select(current):
            return
        if meetings:
            self.list_view.selectRow(0)

    def _select(self, reference: str) -> bool:
        for row in range(self.model.rowCount()):
            if self.model.item(row).reference == reference:
                if self.list_view.currentIndex().row() == row:
                    self._on_meeting_chosen(self.model.index(row, 0))
                else:
                    self.list_view.selectRow(row)  # currentRowChanged shows it
                return True
        return False

    def can_close(self) -> bool:
        """Before another page or quitting: unsaved meeting details are saved or discarded on purpose."""
        return self.details.settle()

    def _on_meeting_chosen(self, index, previous=None) -> None:
        meeting = self.model.item(index.row())
        if meeting is None:
            return
        if meeting.reference != self._current and self.details.is_dirty():
            wanted = meeting.reference
            if not self.details.settle():
                # Stay on the meeting being edited: put the selection back without re-entering here.
                self._quietly_select(self._row_of(self._current))
                return
            # Saving reloads the list: choose the wanted meeting again in the new rows.
            row = self._row_of(wanted)
            if row is None:
                return
            meeting = self.model.item(row)
            self._quietly_select(row)
        self._current = meeting.reference
        # A register mark also reloads the list: keep edits typed in the form unless
        # the meeting's own details changed.
        if not self.details.shows(meeting):
            self.details.show_meeting(meeting)
        self.register_panel.show_meeting(meeting.reference)
        if not self.door_only:
            self.actions_panel.show_meeting(meeting)

    def _quietly_select(self, row: int | None) -> None:
        selection = self.list_view.selectionModel()
        selection.blockSignals(True)
        if row is None:
            self.list_view.clearSelection()
        else:
            self.list_view.selectRow(row)
        selection.blockSignals(False)

    def _row_of(self, reference: str) -> int | None:
        for row in range(self.model.rowCount()):
            if self.model.item(row).reference == reference:
                return row
        return None

    def _on_meeting_saved(self, reference: str) -> None:
        self._current = reference
        if not self._select(reference):
            self.view_combo.setCurrentIndex(self.view_combo.findData(ALL))
            self._select(reference)

    def _on_schedule_clicked(self) -> None:
        dialog = ScheduleDialog(self._context, self._undo_stack, self)
        if dialog.exec() and dialog.created:
            signals.status_message.emit(ngettext("%(count)d meeting planned.", "%(count)d meetings planned.",
                                                 len(dialog.created)) % {"count": len(dialog.created)})
            self._current = dialog.created[0].reference
            self.view_combo.setCurrentIndex(self.view_combo.findData(ALL))
            self._select(self._current)

    # -- exports (off the GUI thread) -----------------------------------------------------
    def _ask_path(self, title: str, name: str, pattern: str) -> str:
        path, _filter = QFileDialog.getSaveFileName(self, title, str(Path.home() / name), pattern)
        return path

    def _run_export(self, work, done_message: str) -> None:
        run_task(self, work, lambda _result: signals.status_message.emit(done_message),
                 label=_("Exporting…"))

    def _on_export_ics(self) -> None:
        path = self._ask_path(_("Export the schedule"), "meetings.ics", _("Calendar files (*.ics)"))
        if path:
            self._run_export(lambda _progress: export_schedule_ics(self._context, path),
                             _("Schedule saved to %(path)s.") % {"path": path})

    def _on_export_register(self, kind: str) -> None:
        reference = self._current
        if not reference:
            return
        pattern = _("PDF files (*.pdf)") if kind == "pdf" else _("CSV files (*.csv)")
        path = self._ask_path(_("Export the register"), f"register-{reference}.{kind}", pattern)
        if path:
            self._run_export(lambda _progress: export_register(self._context, reference, path),
                             _("Register saved to %(path)s.") % {"path": path})

    def _on_export_cards(self) -> None:
        path = self._ask_path(_("Print family cards"), "family-cards.pdf", _("PDF files (*.pdf)"))
        if path:
            self._run_export(lambda progress: export_family_cards(self._context, path, progress=progress),
                             _("Family cards saved to %(path)s.") % {"path": path})

