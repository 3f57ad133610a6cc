"""The Conflicts view: a list, and the chosen conflict with base / this laptop / other
laptop side by side, with buttons to keep one or type the value to keep."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView,
                               QLabel, QLineEdit, QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget)

from peer_support.context import AppContext
from peer_support.domain.sync import ConflictRecord
from peer_support.i18n import _
from peer_support.i18n.formatting import format_datetime
from peer_support.services.sync import list_conflicts, resolve_conflict
from peer_support.services.sync.labels import conflict_summary, kind_label
from peer_support.ui.errors import show_error
from peer_support.ui.ops import announce
from peer_support.ui.widgets.headed_model import HeadedTableModel


class ConflictTableModel(HeadedTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list[ConflictRecord] = []
        self.headers = [_("What"), _("Record"), _("Field"), _("This laptop"), _("Other laptop"), _("Found")]

    def set_rows(self, rows: list[ConflictRecord]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        c = self.rows[index.row()]
        return [kind_label(c.kind) + ("" if not c.resolved else " ✓"), c.label, c.field_label,
                c.local_text, c.remote_text,
                format_datetime(c.detected_at, "short")][index.column()]


def _value_box(title: str) -> tuple[QGroupBox, QLabel]:
    box = QGroupBox(title)
    label = QLabel()
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setMinimumWidth(140)
    QVBoxLayout(box).addWidget(label)
    return box, label


class ConflictsView(QWidget):
    conflicts_changed = Signal(int)  # open conflicts left

    def __init__(self, context: AppContext, undo_stack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context, self._undo_stack = context, undo_stack
        self.model = ConflictTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("conflicts_table")
        self.table.setAccessibleName(_("Changes two laptops made differently"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        self.show_resolved = QCheckBox(_("Show resolved"))
        self.show_resolved.toggled.connect(lambda _on: self.reload())

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        base_box, self.base_label = _value_box(_("Before (last agreed)"))
        local_box, self.local_label = _value_box(_("This laptop"))
        remote_box, self.remote_label = _value_box(_("Other laptop"))
        sides = QHBoxLayout()
        for box in (base_box, local_box, remote_box):
            sides.addWidget(box, 1)
        self.keep_local = QPushButton(_("Keep this laptop's"))
        self.keep_local.setObjectName("keep_local")
        self.keep_remote = QPushButton(_("Keep the other laptop's"))
        self.keep_remote.setObjectName("keep_remote")
        self.value_edit = QLineEdit()
        self.value_edit.setObjectName("value")
        self.value_edit.setAccessibleName(_("Value to keep"))
        self.value_edit.setPlaceholderText(_("or type the value to keep"))
        self.keep_value = QPushButton(_("Use this value"))
        self.keep_value.setObjectName("keep_value")
        self.acknowledge = QPushButton(_("Seen, close it"))
        self.acknowledge.setObjectName("acknowledge")
        self.keep_local.clicked.connect(lambda: self._resolve("local"))
        self.keep_remote.clicked.connect(lambda: self._resolve("remote"))
        self.keep_value.clicked.connect(lambda: self._resolve("value"))
        self.value_edit.returnPressed.connect(lambda: self._resolve("value"))
        self.acknowledge.clicked.connect(lambda: self._resolve("local"))
        buttons = QGridLayout()
        buttons.addWidget(self.keep_local, 0, 0)
        buttons.addWidget(self.keep_remote, 0, 1)
        buttons.addWidget(self.acknowledge, 0, 2)
        buttons.addWidget(self.value_edit, 1, 0, 1, 2)
        buttons.addWidget(self.keep_value, 1, 2)

        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.addWidget(self.summary)
        detail_layout.addLayout(sides)
        detail_layout.addLayout(buttons)
        detail_layout.addStretch(1)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.table)
        top_layout.addWidget(self.show_resolved)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        QVBoxLayout(self).addWidget(splitter)
        self.reload()

    def current(self) -> ConflictRecord | None:
        row = self.table.currentIndex().row()
        return self.model.rows[row] if 0 <= row < len(self.model.rows) else None

    def reload(self) -> None:
        chosen = self.current()
        rows = list_conflicts(self._context, include_resolved=self.show_resolved.isChecked())
        self.model.set_rows(rows)
        ids = [c.id for c in rows]
        if rows:
            self.table.selectRow(ids.index(chosen.id) if chosen and chosen.id in ids else 0)
        self._show_current()
        self.conflicts_changed.emit(sum(1 for c in rows if not c.resolved))

    def _show_current(self) -> None:
        conflict = self.current()
        decides = conflict is not None and conflict.needs_decision
        for widget in (self.keep_local, self.keep_remote, self.value_edit, self.keep_value):
            widget.setEnabled(decides)
        self.acknowledge.setEnabled(conflict is not None and not conflict.resolved and not decides)
        if conflict is None:
            self.summary.setText(_("No conflicts. When two laptops change the same thing differently, "
                                   "it shows here for a lead to decide."))
            for label in (self.base_label, self.local_label, self.remote_label):
                label.clear()
            return
        self.summary.setText(f"<b>{html.escape(conflict.label)}</b> — {html.escape(conflict_summary(conflict))}")
        self.base_label.setText(conflict.base_text)
        self.local_label.setText(conflict.local_text)
        self.remote_label.setText(conflict.remote_text)
        self.value_edit.clear()

    def _resolve(self, keep: str) -> None:
        conflict = self.current()
        if conflict is None or conflict.resolved:
            return
        try:
            saved = resolve_conflict(self._context, conflict.id, keep,
                                     self.value_edit.text() if keep == "value" else None)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            show_error(self, exc)
            return
        self.reload()
        announce(self._context, self._undo_stack, saved.changes, _("Resolve a sync conflict"))
