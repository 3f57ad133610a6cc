"""Lazy table models: the list asks the service for counts and pages, never all rows.

With 50,000 families the view holds a row count and a few cached pages of 50
rows; scrolling fetches the page it needs (one indexed query, a few ms).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush

from peer_support.context import AppContext
from peer_support.domain.families import FamilyQuery, FamilyRow, VolunteerRecord
from peer_support.i18n import LANGUAGE_NAMES, N_, _
from peer_support.services.families_search import count_families, family_page
from peer_support.ui.colours import muted_on_base
from peer_support.ui.widgets.headed_model import HeadedTableModel

# A page is a screenful or two: the first page after a keystroke is read inside one frame even
# on a busy laptop (200 rows joined to their families cost 5-20x as much as 50 at 50,000 families:
# benchmarks/families_search.py).
PAGE_SIZE = 50
MAX_CACHED_PAGES = 60
ReferenceRole = Qt.ItemDataRole.UserRole + 1

FAMILY_COLUMNS = (("reference", N_("Reference")), ("name", N_("Name")), ("postcode", N_("Postcode")),
                  ("area", N_("Area")), ("phone", N_("Phone")), ("language", N_("Language")),
                  ("children", N_("Children")), ("needs", N_("Needs")))


def needs_text(row) -> str:
    needs = [text for flag, text in ((row.needs_internet, _("internet")), (row.needs_device, _("device")))
             if flag]
    return ", ".join(needs)


class FamilyTableModel(HeadedTableModel):
    def __init__(self, context: AppContext, parent=None) -> None:
        super().__init__(parent)
        self.headers = [_(title) for _key, title in FAMILY_COLUMNS]
        self._context = context
        self.query = FamilyQuery()
        self._count = 0
        self._pages: OrderedDict[int, list[FamilyRow]] = OrderedDict()
        self.pages_fetched = 0  # for tests: proves the model fetches pages, not everything
        self.refresh()

    # -- data from the service -----------------------------------------------------------------
    def set_query(self, query: FamilyQuery) -> None:
        self.query = query
        self.refresh()

    def refresh(self) -> None:
        self.beginResetModel()
        self._pages.clear()
        self._count = count_families(self._context, self.query)
        self.endResetModel()

    def row_at(self, row: int) -> FamilyRow | None:
        if not 0 <= row < self._count:
            return None
        number = row // PAGE_SIZE
        page = self._pages.get(number)
        if page is None:
            page = family_page(self._context, self.query, number * PAGE_SIZE, PAGE_SIZE)
            self.pages_fetched += 1
            self._pages[number] = page
            while len(self._pages) > MAX_CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        offset = row - number * PAGE_SIZE
        return page[offset] if offset < len(page) else None

    def row_of(self, reference: str) -> int | None:
        """The row of a family among the pages already fetched (the usual case after an edit)."""
        for number, page in self._pages.items():
            for offset, row in enumerate(page):
                if row.reference == reference:
                    return number * PAGE_SIZE + offset
        return None

    # -- Qt model ------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._count

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.row_at(index.row())
        if row is None:
            return None
        key = FAMILY_COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "language":
                return LANGUAGE_NAMES.get(row.language, row.language)
            if key == "needs":
                return needs_text(row)
            if key == "children":
                return "" if row.children is None else str(row.children)
            return getattr(row, key)
        if role == ReferenceRole:
            return row.reference
        if role == Qt.ItemDataRole.ForegroundRole and row.archived:
            return QBrush(muted_on_base())
        if role == Qt.ItemDataRole.ToolTipRole and row.archived:
            return _("Archived")
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "children":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = FAMILY_COLUMNS[column][0]
        if key == "needs":
            key = "reference"
        self.set_query(replace(self.query, sort=key, descending=order == Qt.SortOrder.DescendingOrder))


VOLUNTEER_COLUMNS = (("reference", N_("Reference")), ("name", N_("Name")), ("phone", N_("Phone")),
                     ("email", N_("Email")), ("areas", N_("Areas")), ("family_reference", N_("Family")),
                     ("active", N_("Active")))


class VolunteerTableModel(HeadedTableModel):
    """The volunteers (a few dozen): loaded whole."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.headers = [_(title) for _key, title in VOLUNTEER_COLUMNS]
        self.rows: list[VolunteerRecord] = []

    def set_rows(self, rows: list[VolunteerRecord]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        volunteer = self.rows[index.row()]
        key = VOLUNTEER_COLUMNS[index.column()][0]
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "areas":
                return ", ".join(volunteer.areas)
            if key == "active":
                return _("yes") if volunteer.active else _("no")
            return getattr(volunteer, key)
        if role == ReferenceRole:
            return volunteer.reference
        if role == Qt.ItemDataRole.ForegroundRole and not volunteer.active:
            return QBrush(muted_on_base())
        return None
