"""The application list as a Qt table model (sorted by the proxy on raw values)."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from peer_support.domain.fund import ApplicationRecord, Status
from peer_support.i18n import _
from peer_support.i18n.formatting import format_date, format_money
from peer_support.ui.widgets.headed_model import HeadedTableModel

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
RECORD_ROLE = Qt.ItemDataRole.UserRole + 2


def _columns():
    return [
        (_("Reference"), lambda r: r.reference, lambda r: r.reference),
        (_("Received"), lambda r: format_date(r.received_on, "short"),
         lambda r: f"{r.received_on.isoformat()} {r.reference}"),
        (_("Family"), lambda r: r.family_name, lambda r: r.family_name.lower()),
        (_("Area"), lambda r: r.area, lambda r: r.area),
        (_("Need"), lambda r: r.need.label, lambda r: r.need.label),
        (_("Requested"), lambda r: format_money(r.requested_pence), lambda r: r.requested_pence),
        (_("Approved"), lambda r: format_money(r.committed_pence) if r.committed_pence else "",
         lambda r: r.committed_pence),
        (_("Paid"), lambda r: format_money(r.paid_pence) if r.paid_pence else "", lambda r: r.paid_pence),
        (_("Status"), lambda r: r.status.label, lambda r: list(Status).index(r.status)),
    ]


MONEY_COLUMNS = {5, 6, 7}
FAMILY_COLUMN = 2
# Area and need are filters above the list and shown in the tooltip and the details: hidden in
# the list, so the money and the status always fit beside the details on a 1280 px screen.
HIDDEN_COLUMNS = (3, 4)


class ApplicationTableModel(HeadedTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._columns = _columns()
        self.headers = [column[0] for column in self._columns]
        self._rows: list[ApplicationRecord] = []

    def set_records(self, records: list[ApplicationRecord]) -> None:
        self.beginResetModel()
        self._rows = list(records)
        self.endResetModel()

    def record(self, row: int) -> ApplicationRecord:
        return self._rows[row]

    def row_of(self, reference: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.reference == reference), -1)

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        record = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._columns[index.column()][1](record)
        if role == SORT_ROLE:
            return self._columns[index.column()][2](record)
        if role == RECORD_ROLE:
            return record
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in MONEY_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [_("%(family)s · %(area)s · %(need)s") % {"family": record.family_name,
                                                               "area": record.area or "–", "need": record.need.label}]
            if record.earlier_awards:
                lines.append(_("This family already had an award from this pot: %(references)s.") % {
                    "references": ", ".join(record.earlier_awards)})
            return "\n".join(lines)
        return None
