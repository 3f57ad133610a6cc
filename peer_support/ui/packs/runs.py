"""Delivery runs: plan them, give each to a volunteer, print labels and run sheets."""

from __future__ import annotations

from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog,
                               QFormLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QSpinBox,
                               QTableView, QVBoxLayout, QWidget)

from peer_support.context import AppContext
from peer_support.domain.packs import BatchRecord
from peer_support.errors import PeerSupportError
from peer_support.exports.label_sheets import DEFAULT_SHEET, SHEETS
from peer_support.i18n import _, ngettext
from peer_support.i18n.formatting import format_number
from peer_support.services import packs
from peer_support.services.families import list_volunteers
from peer_support.ui.errors import show_error
from peer_support.ui.ops import announce, run_change
from peer_support.ui.packs.models import RecordTableModel
from peer_support.ui.signals import signals
from peer_support.ui.tasks import run_task
from peer_support.ui.widgets.flow_layout import flow_row, together


class RunsView(QWidget):
    def __init__(self, context: AppContext, undo_stack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._undo_stack = undo_stack
        self._batch: BatchRecord | None = None
        self.model = RecordTableModel([
            (_("Run"), lambda r: str(r.number)), (_("Name"), lambda r: r.name),
            (_("Volunteer"), lambda r: r.volunteer or _("not assigned yet")),
            (_("Packs"), lambda r: format_number(r.pack_count))], self)
        self.view = QTableView()
        self.view.setObjectName("runs_table")
        self.view.setAccessibleName(_("Runs"))
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)

        self.run_count = QSpinBox()
        self.run_count.setAccessibleName(_("Number of runs"))
        self.run_count.setRange(1, packs.MAX_RUNS)
        self.run_count.setValue(20)
        plan_button = QPushButton(_("Plan runs"))
        plan_button.setObjectName("plan_runs")
        plan_button.clicked.connect(self.plan)
        self.volunteer_combo = QComboBox()
        self.volunteer_combo.setObjectName("run_volunteer")
        assign_button = QPushButton(_("Give selected run to this volunteer"))
        assign_button.setObjectName("assign_run")
        assign_button.clicked.connect(self.assign)
        self.sheet_combo = QComboBox()
        for code, sheet in SHEETS.items():
            self.sheet_combo.addItem(ngettext("%(code)s (%(count)d per sheet)", "%(code)s (%(count)d per sheet)",
                                              sheet.per_sheet) % {"code": code, "count": sheet.per_sheet}, code)
        self.sheet_combo.setCurrentIndex(self.sheet_combo.findData(DEFAULT_SHEET))
        self.only_run = QCheckBox(_("Selected run only"))
        labels_button = QPushButton(_("Print labels…"))
        labels_button.clicked.connect(self._on_labels_clicked)
        sheets_button = QPushButton(_("Print run sheets…"))
        sheets_button.clicked.connect(self._on_sheets_clicked)
        move_button = QPushButton(_("Move a pack to another run…"))
        move_button.setObjectName("move_pack")
        move_button.clicked.connect(self._on_move_clicked)

        # Rows that wrap: long German/Polish labels and a large system font still fit 1280 px.
        plan_row = flow_row(together(QLabel(_("Number of runs")), self.run_count), plan_button, move_button,
                            together(self.volunteer_combo, assign_button))
        print_row = flow_row(together(QLabel(_("Label sheet")), self.sheet_combo), self.only_run, labels_button,
                             sheets_button)
        layout = QVBoxLayout(self)
        layout.addLayout(plan_row)
        layout.addWidget(self.view, 1)
        layout.addLayout(print_row)
        self._load_volunteers()

    def _load_volunteers(self) -> None:
        self.volunteer_combo.clear()
        self.volunteer_combo.addItem(_("Nobody yet"), "")
        for volunteer in list_volunteers(self._context):
            self.volunteer_combo.addItem(f"{volunteer.name} ({volunteer.reference})", volunteer.reference)

    def set_batch(self, batch: BatchRecord | None) -> None:
        self._batch = batch
        self.refresh()

    def refresh(self) -> None:
        selected = self.selected_run()
        runs = packs.list_runs(self._context, self._batch.reference) if self._batch else []
        self.model.set_rows(runs)
        numbers = [r.number for r in runs]
        if selected in numbers:
            self.view.selectRow(numbers.index(selected))

    def selected_run(self) -> int | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()].number if rows else None

    def plan(self) -> None:
        if self._batch is None:
            return
        count, batch = self.run_count.value(), self._batch.reference
        run_change(self, self._context, self._undo_stack, lambda: packs.plan_runs(self._context, batch, count),
                   ngettext("Plan %(count)d delivery run", "Plan %(count)d delivery runs", count) % {"count": count})

    def move_pack(self, code: str, run_number: int) -> bool:
        """Move one pack to another run of this batch (undoable); False when refused."""
        from peer_support.domain.packs import format_code
        from peer_support.services.pack_moves import move_pack

        try:
            saved = move_pack(self._context, code, run_number)
        except PeerSupportError as exc:
            show_error(self, exc)
            return False
        announce(self._context, self._undo_stack, saved.changes, _("Move pack %(code)s to run %(run)d")
                 % {"code": format_code(saved.record.code), "run": run_number})
        return True

    def _on_move_clicked(self) -> None:
        if self._batch is None or not self.model.rows:
            signals.status_message.emit(_("Plan the runs first."))
            return
        dialog = MovePackDialog(self.model.rows, self.selected_run(), self)
        if dialog.exec():
            self.move_pack(dialog.code_edit.text(), dialog.run_combo.currentData())

    def assign(self) -> None:
        number = self.selected_run()
        if self._batch is None or number is None:
            signals.status_message.emit(_("Select a run first."))
            return
        batch, volunteer = self._batch.reference, self.volunteer_combo.currentData() or None
        run_change(self, self._context, self._undo_stack,
                   lambda: packs.assign_run_volunteer(self._context, batch, number, volunteer),
                   _("Assign a volunteer to run %(number)d") % {"number": number})

    def export_labels_to(self, path: str) -> None:
        batch, sheet = self._batch, self.sheet_combo.currentData()
        run = self.selected_run() if self.only_run.isChecked() else None
        run_task(self, lambda _p: packs.export_labels(self._context, batch.reference, path, sheet, run),
                 lambda pages: signals.status_message.emit(
                     ngettext("Wrote %(count)d sheet of labels to %(path)s.",
                              "Wrote %(count)d sheets of labels to %(path)s.", pages)
                     % {"count": pages, "path": path}))

    def export_run_sheets_to(self, path: str) -> None:
        batch = self._batch
        run = self.selected_run() if self.only_run.isChecked() else None
        run_task(self, lambda _p: packs.export_run_sheets(self._context, batch.reference, path, run),
                 lambda count: signals.status_message.emit(
                     ngettext("Wrote %(count)d run sheet to %(path)s.", "Wrote %(count)d run sheets to %(path)s.",
                              count) % {"count": count, "path": path}))

    def _ask_path(self, title: str, name: str) -> str:
        path, _filter = QFileDialog.getSaveFileName(self, title, name, "PDF (*.pdf)")
        return path

    def _on_labels_clicked(self) -> None:
        if self._batch and (path := self._ask_path(_("Print labels"), f"{self._batch.name} – {_('labels')}.pdf")):
            self.export_labels_to(path)

    def _on_sheets_clicked(self) -> None:
        if self._batch and (path := self._ask_path(_("Print run sheets"),
                                                   f"{self._batch.name} – {_('run sheets')}.pdf")):
            self.export_run_sheets_to(path)


class MovePackDialog(QDialog):
    """Which pack (its code, typed or scanned) goes to which run."""

    def __init__(self, runs, current: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Move a pack to another run"))
        self.code_edit = QLineEdit()
        self.code_edit.setObjectName("move_code")
        self.code_edit.setPlaceholderText(_("Type or scan the code on the label"))
        self.run_combo = QComboBox()
        self.run_combo.setObjectName("move_run")
        for run in runs:
            self.run_combo.addItem(_("Run %(number)d: %(name)s") % {"number": run.number, "name": run.name},
                                   run.number)
        if current is not None:
            self.run_combo.setCurrentIndex(max(self.run_combo.findData(current), 0))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Move"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(_("Pack code"), self.code_edit)
        form.addRow(_("Move to"), self.run_combo)
        form.addRow(buttons)
