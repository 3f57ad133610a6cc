"""A flat table model whose columns are its translated ``headers``."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt


class HeadedTableModel(QAbstractTableModel):
    """The one column count and header text of the app's flat tables; a section past the last
    column has no title (Qt may ask while a model resets) rather than an error inside Qt."""

    headers: list[str] = []

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 - Qt API
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self.headers)):
            return self.headers[section]
        return None
