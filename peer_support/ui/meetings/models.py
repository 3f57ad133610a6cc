"""Table models for meetings, a register and actions."""

from __future__ import annotations

from collections import OrderedDict
from datetime import date

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush

from peer_support.domain.meetings import (ActionRecord, AttendanceStatus, MeetingRecord, MeetingStatus,
                                          RegisterEntry, tag_label)
from peer_support.i18n import _
from peer_support.services.actions import overdue
from peer_support.services.register import register_count, register_page, register_position
from peer_support.i18n.formatting import format_date, format_number, format_time
from peer_support.ui.colours import base_colour, muted_on_base, readable, row_tint
from peer_support.ui.widgets.headed_model import HeadedTableModel

DISPLAY = Qt.ItemDataRole.DisplayRole
USER = Qt.ItemDataRole.UserRole


class _ListModel(HeadedTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list = []

    def set_rows(self, rows: list) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def item(self, row: int):
        return self.rows[row] if 0 <= row < len(self.rows) else None


class MeetingTableModel(_ListModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.headers = [_("Ref."), _("Date"), _("Time"), _("Topic"), _("Status"), _("Present")]

    def data(self, index, role=DISPLAY):
        meeting: MeetingRecord = self.rows[index.row()]
        if role == USER:
            return meeting.reference
        if role == Qt.ItemDataRole.ForegroundRole and meeting.status is MeetingStatus.CANCELLED:
            return QBrush(muted_on_base())
        if role == Qt.ItemDataRole.ToolTipRole and meeting.tags:
            return ", ".join(tag_label(t) for t in meeting.tags)
        if role != DISPLAY:
            return None
        column = index.column()
        if column == 0:
            return meeting.reference
        if column == 1:
            return format_date(meeting.on)
        if column == 2:
            return f"{format_time(meeting.starts_at)}–{format_time(meeting.ends_at)}"
        if column == 3:
            return meeting.topic
        if column == 4:
            return meeting.status.label
        return format_number(meeting.present_count) if meeting.status is MeetingStatus.HELD else ""


STATUS_COLOURS = {AttendanceStatus.PRESENT: "#d7f0d8", AttendanceStatus.APOLOGIES: "#fff1c9",
                  AttendanceStatus.ABSENT: "#f6d5d5"}


class RegisterTableModel(HeadedTableModel):
    """A meeting's register, fetched a page at a time: with 50,000 families the model holds a row
    count and the few pages on screen, not every family (like the Families list's model)."""

    PAGE_SIZE = 200
    MAX_CACHED_PAGES = 10

    def __init__(self, context, parent=None) -> None:
        super().__init__(parent)
        self._context = context
        self.headers = [_("Ref."), _("Family"), _("Status")]
        self.reference = ""
        self.marked_only = False
        self._count = 0
        self._pages: OrderedDict[int, list[RegisterEntry]] = OrderedDict()

    def show_register(self, reference: str, marked_only: bool = False) -> None:
        """Show a meeting's register ("" for none); reads the row count again."""
        self.beginResetModel()
        self.reference, self.marked_only = reference, marked_only
        self._pages.clear()
        self._count = register_count(self._context, reference, marked_only) if reference else 0
        self.endResetModel()

    def row_at(self, row: int) -> RegisterEntry | None:
        if not 0 <= row < self._count:
            return None
        number = row // self.PAGE_SIZE
        page = self._pages.get(number)
        if page is None:
            page = register_page(self._context, self.reference, number * self.PAGE_SIZE, self.PAGE_SIZE,
                                 self.marked_only)
            self._pages[number] = page
            while len(self._pages) > self.MAX_CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        offset = row - number * self.PAGE_SIZE
        return page[offset] if offset < len(page) else None

    def row_of(self, family_reference: str) -> int | None:
        """The row of a family's line, or None when it is not on this register."""
        if not self.reference:
            return None
        return register_position(self._context, self.reference, family_reference, self.marked_only)

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    def data(self, index, role=DISPLAY):
        entry = self.row_at(index.row()) if index.isValid() else None
        if entry is None:
            return None
        if role == USER:
            return entry.family_reference
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole) and entry.status is not None:
            tint, text = row_tint(STATUS_COLOURS[entry.status])  # follows the palette: dark rows on a dark list
            return QBrush(tint if role == Qt.ItemDataRole.BackgroundRole else text)
        if role != DISPLAY:
            return None
        return (entry.family_reference, entry.family_name,
                entry.status.label if entry.status else "")[index.column()]


class ActionTableModel(_ListModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.headers = [_("Done"), _("Action"), _("Owner"), _("Due"), _("From")]
        self.today: date | None = None  # set by the panel; overdue actions show in red

    def data(self, index, role=DISPLAY):
        action: ActionRecord = self.rows[index.row()]
        column = index.column()
        if role == USER:
            return action.id
        if role == Qt.ItemDataRole.CheckStateRole and column == 0:
            return Qt.CheckState.Checked if action.done else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ForegroundRole and self.today and overdue(action, self.today):
            return QBrush(readable("#b00020", base_colour()))
        if role == Qt.ItemDataRole.ToolTipRole and action.carried_forward:
            return _("Carried forward from %(meeting)s") % {"meeting": action.meeting_reference}
        if role == Qt.ItemDataRole.FontRole and action.carried_forward:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setItalic(True)
            return font
        if role != DISPLAY:
            return None
        if column == 0:
            return ""
        if column == 1:
            return action.description
        if column == 2:
            return action.owner
        if column == 3:
            return format_date(action.due_on) if action.due_on else ""
        return action.meeting_reference
