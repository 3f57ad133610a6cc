"""Table models of the Packs area. Each holds at most what one screen shows
(the recent-scan model is bounded), so hours of scanning never grow them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from peer_support.domain.packs import EventRecord, Outcome, PackRecord, RunProgress, format_code, status_label
from peer_support.i18n import _
from peer_support.i18n.formatting import format_datetime, format_percent, format_time, to_local
from peer_support.ui.colours import row_tint
from peer_support.ui.widgets.headed_model import HeadedTableModel

GREEN, RED, AMBER, GREY = QColor("#d7f0dc"), QColor("#f8d4d8"), QColor("#ffe9b3"), QColor("#e6e6e6")
PROGRESS_ROLE = Qt.ItemDataRole.UserRole + 1


class RecordTableModel(HeadedTableModel):
    """Rows of frozen records with (header, value function) columns."""

    def __init__(self, columns: Sequence[tuple[str, Callable[[Any], str]]], parent=None) -> None:
        super().__init__(parent)
        self._columns = list(columns)
        self.headers = [header for header, _value in self._columns]
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._columns[index.column()][1](row)  # the tooltip shows an elided cell in full
        if role in (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole):
            mark = self.mark(row)
            if mark is None:
                return None
            tint, text = row_tint(mark)  # follows the palette: dark rows on a dark list, readable text
            return QBrush(tint if role == Qt.ItemDataRole.BackgroundRole else text)
        return None

    def mark(self, row: Any) -> QColor | None:
        """The row's status colour (its light tint), or None for an unmarked row."""
        return None


class RecentScansModel(RecordTableModel):
    """The latest scans: events from the database and codes that were refused."""

    def __init__(self, parent=None) -> None:
        super().__init__([
            (_("Time"), self._when),
            (_("Code"), lambda r: format_code(r.code)),
            (_("Family"), lambda r: r.family_name),
            (_("Area"), lambda r: r.area),
            (_("Result"), lambda r: (_("Undone: %(outcome)s") % {"outcome": status_label(r.outcome)})
             if r.undone else status_label(r.outcome) if r.outcome in {o.value for o in Outcome} else r.outcome),
            (_("Volunteer"), lambda r: r.volunteer),
            (_("Note"), lambda r: r.note),
        ], parent)

        self.today: date | None = None  # set by the view from the app's clock

    def _when(self, row: EventRecord) -> str:
        """Today's scans by time; earlier days' with their date."""
        if self.today is None or to_local(row.at).date() == self.today:
            return format_time(row.at, "medium")
        return format_datetime(row.at, "short")

    def mark(self, row: EventRecord) -> QColor | None:
        if row.undone:
            return GREY
        if row.outcome == Outcome.DELIVERED.value:
            return GREEN
        if row.outcome in (Outcome.NOT_HOME.value, Outcome.REFUSED.value, Outcome.RETURNED.value,
                           Outcome.DUPLICATE.value):
            return AMBER
        return RED  # refused codes (unknown, other batch, typo)


class RunProgressModel(RecordTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__([
            (_("Run"), lambda r: str(r.run.number)),
            (_("Name"), lambda r: r.run.name),
            (_("Volunteer"), lambda r: r.run.volunteer or "–"),
            (_("Progress"), lambda r: format_percent(r.progress.fraction_delivered)),
            (_("Delivered"), lambda r: str(r.progress.delivered)),
            (_("Outstanding"), lambda r: str(r.progress.outstanding)),
            (_("Problems"), lambda r: str(r.progress.problems)),
        ], parent)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == PROGRESS_ROLE and index.isValid():
            row: RunProgress = self.rows[index.row()]
            return row.progress.delivered, row.progress.total
        return super().data(index, role)


class PackTableModel(RecordTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__([
            (_("Run"), lambda p: str(p.run_number or "")),
            (_("Stop"), lambda p: str(p.run_position or "")),
            (_("Family"), lambda p: p.family_name),
            (_("Address"), lambda p: p.address.replace("\n", ", ")),
            (_("Postcode"), lambda p: p.postcode),
            (_("Code"), lambda p: format_code(p.code)),
            (_("Status"), lambda p: status_label(p.status)),
            (_("Last change"), lambda p: format_datetime(p.status_at, "short") if p.status_at else ""),
            (_("Note"), lambda p: p.note),
        ], parent)

    def mark(self, row: PackRecord) -> QColor | None:
        return AMBER if row.status != "outstanding" else None
