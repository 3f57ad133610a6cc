"""Import preview: fix the column mapping, see every row's status, then import the valid rows or nothing."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox,
                               QGridLayout, QGroupBox, QHeaderView, QLabel, QScrollArea, QTableView,
                               QVBoxLayout, QWidget)

from peer_support.context import AppContext
from peer_support.domain.changes import Saved
from peer_support.domain.families_columns import CANONICAL_HEADERS, FIELD_LABELS, guess_mapping
from peer_support.errors import PeerSupportError
from peer_support.i18n import N_, _, ngettext
from peer_support.i18n.formatting import format_number
from peer_support.services.families_import import (DUPLICATE, ERROR, READY, ImportPlan, ImportResult,
                                                   import_families, plan_import)
from peer_support.services.families_sheet import Sheet
from peer_support.ui.errors import show_error
from peer_support.ui.ops import announce
from peer_support.ui.tasks import run_task
from peer_support.ui.colours import base_colour, readable
from peer_support.ui.widgets.headed_model import HeadedTableModel

STATUS_TEXT = {READY: N_("Ready"), ERROR: N_("Error"), DUPLICATE: N_("Possible duplicate")}
STATUS_COLOUR = {READY: "#1b5e20", ERROR: "#b00020", DUPLICATE: "#8a5a00"}
PREVIEW_COLUMNS = (N_("Row"), N_("Status"), N_("Name"), N_("Postcode"), N_("Phone"), N_("Reason"))


class ImportPreviewModel(HeadedTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.plan: ImportPlan | None = None
        self.headers = [_(title) for title in PREVIEW_COLUMNS]

    def set_plan(self, plan: ImportPlan | None) -> None:
        self.beginResetModel()
        self.plan = plan
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() or self.plan is None else len(self.plan.rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.plan is None:
            return None
        row = self.plan.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            draft = row.draft
            reason = (" ".join(row.problems) if row.problems else
                      _("possible duplicate of %(family)s") % {"family": row.duplicate_of} if row.duplicate_of
                      else "")
            return (row.row_number, _(STATUS_TEXT[row.status]), draft.name if draft else "",
                    draft.postcode if draft else "", draft.phone if draft else "", reason)[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() in (1, 5):
            return QBrush(readable(STATUS_COLOUR[row.status], base_colour()))
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 5:
            return "\n".join(row.problems) or row.duplicate_of
        return None


class ImportDialog(QDialog):
    """Imports in the background on the button; the import is one undoable step on ``undo_stack``,
    announced to the pages. ``saved`` holds what the import saved."""

    def __init__(self, context: AppContext, sheet: Sheet, parent: QWidget | None = None, undo_stack=None) -> None:
        super().__init__(parent)
        self._context, self._sheet = context, sheet
        self._undo_stack = undo_stack
        self.saved: Saved[ImportResult] | None = None
        self.description = _("Import families from %(file)s") % {"file": sheet.file_name}
        self.setWindowTitle(self.description)
        info = QLabel(_("%(file)s: %(description)s. Check which field each column holds.")
                      % {"file": sheet.file_name, "description": sheet.description})
        info.setWordWrap(True)

        mapping_box = QGroupBox(_("Columns"))
        grid = QGridLayout()
        self.mapping_combos: list[QComboBox] = []
        for column, (header, field) in enumerate(zip(sheet.headers, guess_mapping(list(sheet.headers)))):
            combo = QComboBox()
            combo.setObjectName(f"mapping_{column}")
            combo.addItem(_("(ignore this column)"), None)
            for name in CANONICAL_HEADERS:
                combo.addItem(_(FIELD_LABELS[name]), name)
            combo.setCurrentIndex(max(0, combo.findData(field)))
            combo.currentIndexChanged.connect(self._replan)
            self.mapping_combos.append(combo)
            grid.addWidget(QLabel(header or _("(no header)")), column // 3, (column % 3) * 2)
            grid.addWidget(combo, column // 3, (column % 3) * 2 + 1)
        inner = QWidget()
        inner.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        scroll.setMaximumHeight(160)
        QVBoxLayout(mapping_box).addWidget(scroll)

        self.preview = ImportPreviewModel(self)
        self.table = QTableView()
        self.table.setObjectName("preview")
        self.table.setModel(self.preview)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.include_duplicates = QCheckBox(_("Also import rows that may be duplicates"))
        self.include_duplicates.setObjectName("include_duplicates")
        self.include_duplicates.toggled.connect(self._update_summary)

        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton(_("Import"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("import")
        self.import_button.setDefault(True)
        cancel = self.buttons.addButton(_("Import nothing"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setObjectName("cancel")
        self.buttons.accepted.connect(self._on_import_clicked)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(info)
        layout.addWidget(mapping_box)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.include_duplicates)
        layout.addWidget(self.buttons)
        self.resize(900, 600)
        self._replan()

    def mapping(self) -> list[str | None]:
        return [combo.currentData() for combo in self.mapping_combos]

    def _replan(self) -> None:
        mapping = self.mapping()
        if "name" not in mapping:
            self.preview.set_plan(None)
            self.summary.setText(_("Choose which column holds the family name."))
            self.import_button.setEnabled(False)
            return
        try:
            self.preview.set_plan(plan_import(self._context, self._sheet, mapping))
        except PeerSupportError as exc:
            show_error(self, exc)
            return
        self.table.resizeColumnsToContents()
        self._update_summary()

    def _to_import(self) -> int:
        plan = self.preview.plan
        return len(plan.to_import(self.include_duplicates.isChecked())) if plan else 0

    def _update_summary(self) -> None:
        plan = self.preview.plan
        if plan is None:
            return
        ready, errors, duplicates = (len(plan.with_status(s)) for s in (READY, ERROR, DUPLICATE))
        lines = [ngettext("%(count)s row is ready.", "%(count)s rows are ready.", ready) % {"count": format_number(ready)},
                 ngettext("%(count)s row has errors and will be skipped.",
                          "%(count)s rows have errors and will be skipped.", errors) % {"count": format_number(errors)},
                 ngettext("%(count)s row may be a family already kept.",
                          "%(count)s rows may be families already kept.", duplicates) % {"count": format_number(duplicates)}]
        self.summary.setText(" ".join(lines))
        count = self._to_import()
        self.import_button.setText(ngettext("Import %(count)s family", "Import %(count)s families", count)
                                   % {"count": format_number(count)})
        self.import_button.setEnabled(count > 0)
        self.include_duplicates.setEnabled(duplicates > 0)

    def _on_import_clicked(self) -> None:
        mapping, include = self.mapping(), self.include_duplicates.isChecked()
        self.import_button.setEnabled(False)

        def done(saved: Saved[ImportResult]) -> None:
            self.saved = saved
            announce(self._context, self._undo_stack, saved.changes, self.description)
            self.accept()

        def failed(exc: BaseException) -> None:
            self.import_button.setEnabled(True)
            show_error(self, exc)

        run_task(self, lambda progress: import_families(self._context, self._sheet, mapping, include,
                                                        progress=progress),
                 done, failed, label=_("Importing families…"))
