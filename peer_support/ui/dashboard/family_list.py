"""The families behind a dashboard card (missing consent, lapsed), one click from the card.

The families page has no filter for these two lists yet, so the dashboard
shows them itself: the same rows the card counts (services.dashboard
``dashboard_families``). Enter or a double-click opens the family on the
families page.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QDialog, QDialogButtonBox, QHeaderView, QLabel, QTableView, \
    QVBoxLayout, QWidget

from peer_support.domain.families import FamilyRow
from peer_support.i18n import _, ngettext


class FamilyRowsModel(QAbstractTableModel):
    def __init__(self, rows: list[FamilyRow], parent=None) -> None:
        super().__init__(parent)
        self._rows = rows
        self._headers = [_("Reference"), _("Name"), _("Phone"), _("Postcode"), _("Area")]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        row = self._rows[index.row()]
        return (row.reference, row.name, row.phone, row.postcode, row.area)[index.column()]

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None

    def reference(self, row: int) -> str:
        return self._rows[row].reference


class FamilyListDialog(QDialog):
    """A read-only list of families; ``family_chosen(reference)`` when one is opened."""

    family_chosen = Signal(str)

    def __init__(self, title: str, explanation: str, rows: list[FamilyRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboard_family_list")
        self.setWindowTitle(title)
        self.resize(720, 480)
        count = QLabel(ngettext("%(count)d family.", "%(count)d families.", len(rows)) % {"count": len(rows)}
                       + " " + explanation)
        count.setWordWrap(True)
        self.model = FamilyRowsModel(rows, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda index: self._choose(index.row()))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_button = buttons.addButton(_("Open family"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.open_button.setEnabled(bool(rows))
        self.open_button.clicked.connect(lambda: self._choose(self.table.currentIndex().row()))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(count)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        if rows:
            self.table.selectRow(0)
        self.table.setFocus()

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.table.currentIndex().isValid():
            self._choose(self.table.currentIndex().row())
            return
        super().keyPressEvent(event)

    def _choose(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.family_chosen.emit(self.model.reference(row))
            self.accept()
