"""Progress of a batch: a bar for the batch and one per run, and the outstanding list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QFileDialog, QHBoxLayout, QHeaderView,
                               QLabel, QProgressBar, QPushButton, QSplitter, QStyle, QStyledItemDelegate,
                               QStyleOptionProgressBar, QTableView, QVBoxLayout, QWidget)

from peer_support.context import AppContext
from peer_support.domain.packs import BatchRecord
from peer_support.domain.packs import progress_line
from peer_support.i18n import _, ngettext
from peer_support.services import packs
from peer_support.ui.packs.models import PROGRESS_ROLE, PackTableModel, RunProgressModel
from peer_support.ui.signals import signals
from peer_support.ui.tasks import run_task

PROGRESS_COLUMN = 3


class ProgressBarDelegate(QStyledItemDelegate):
    """Draws a cell as a progress bar (delivered of total)."""

    def paint(self, painter, option, index) -> None:
        value = index.data(PROGRESS_ROLE)
        if value is None:
            super().paint(painter, option, index)
            return
        delivered, total = value
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(2, 3, -2, -3)
        bar.minimum, bar.maximum, bar.progress = 0, max(total, 1), delivered
        bar.text = index.data()
        bar.textVisible = True
        bar.state = option.state | QStyle.StateFlag.State_Enabled
        QApplication.style().drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter)


def _table(model) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setStretchLastSection(True)
    return view


class ProgressView(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._batch: BatchRecord | None = None
        self.summary_label = QLabel()
        self.summary_label.setObjectName("progress_summary")
        self.summary_label.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setObjectName("batch_progress")
        self.bar.setMinimumHeight(28)
        self.runs_model = RunProgressModel(self)
        self.runs_view = _table(self.runs_model)
        self.runs_view.setAccessibleName(_("Progress of each run"))
        self.runs_view.setItemDelegateForColumn(PROGRESS_COLUMN, ProgressBarDelegate(self.runs_view))
        self.runs_view.horizontalHeader().setSectionResizeMode(PROGRESS_COLUMN, QHeaderView.ResizeMode.Fixed)
        self.runs_view.setColumnWidth(PROGRESS_COLUMN, 160)
        self.runs_view.selectionModel().selectionChanged.connect(self._load_outstanding)
        self.outstanding_model = PackTableModel(self)
        self.outstanding_view = _table(self.outstanding_model)
        # Family, address and note take what is left and elide (full text in the tooltip): the list never
        # scrolls sideways on a 1280 px screen.
        for column in (2, 3, 8):
            self.outstanding_view.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.outstanding_view.setWordWrap(False)
        self.outstanding_view.setAccessibleName(_("Packs still to deliver in the chosen run"))
        self.outstanding_label = QLabel()
        csv_button = QPushButton(_("Export outstanding as CSV…"))
        csv_button.clicked.connect(lambda: self._export("csv"))
        pdf_button = QPushButton(_("Export outstanding as PDF…"))
        pdf_button.clicked.connect(lambda: self._export("pdf"))

        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        buttons.addWidget(self.outstanding_label, 1)
        buttons.addWidget(csv_button)
        buttons.addWidget(pdf_button)
        lower_layout.addLayout(buttons)
        lower_layout.addWidget(self.outstanding_view)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.runs_view)
        splitter.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.addWidget(self.bar)
        layout.addWidget(self.summary_label)
        layout.addWidget(splitter, 1)

    def set_batch(self, batch: BatchRecord | None) -> None:
        self._batch = batch
        self.refresh()

    def selected_run(self) -> int | None:
        rows = self.runs_view.selectionModel().selectedRows()
        return self.runs_model.rows[rows[0].row()].run.number if rows else None

    def refresh(self) -> None:
        if self._batch is None:
            self.runs_model.set_rows([])
            self.outstanding_model.set_rows([])
            self.summary_label.setText(_("Create a batch to see its progress."))
            return
        selected = self.selected_run()
        overall, runs = packs.batch_progress(self._context, self._batch.reference)
        self.bar.setRange(0, max(overall.total, 1))
        self.bar.setValue(overall.delivered)
        self.bar.setFormat(_("%(delivered)d of %(total)d delivered") % {"delivered": overall.delivered,
                                                                          "total": overall.total})
        text = progress_line(overall)
        if overall.duplicates:
            text += "\n" + ngettext("%(count)d duplicate scan was refused.", "%(count)d duplicate scans were refused.",
                                    overall.duplicates) % {"count": overall.duplicates}
        self.summary_label.setText(text)
        self.runs_model.set_rows(runs)
        numbers = [r.run.number for r in runs]
        if selected in numbers:
            self.runs_view.selectRow(numbers.index(selected))
        self._load_outstanding()

    def _load_outstanding(self, *_args) -> None:
        if self._batch is None:
            return
        run = self.selected_run()
        rows = packs.list_packs(self._context, self._batch.reference, run, outstanding_only=True)
        self.outstanding_model.set_rows(rows)
        if run is None:
            text = ngettext("%(count)d pack not delivered in this batch.", "%(count)d packs not delivered in this batch.",
                            len(rows))
        else:
            text = ngettext("%(count)d pack not delivered in run %(run)d.", "%(count)d packs not delivered in run %(run)d.",
                            len(rows))
        self.outstanding_label.setText(text % {"count": len(rows), "run": run or 0})

    def export_outstanding_to(self, path: str) -> None:
        batch, run = self._batch, self.selected_run()
        run_task(self, lambda _progress: packs.export_outstanding(self._context, batch.reference, path, run),
                 lambda count: signals.status_message.emit(
                     ngettext("Wrote %(count)d outstanding pack to %(path)s.",
                              "Wrote %(count)d outstanding packs to %(path)s.", count)
                     % {"count": count, "path": path}))

    def _export(self, kind: str) -> None:
        if self._batch is None:
            return
        name = f"{self._batch.name} – {_('outstanding')}.{kind}"
        path, _filter = QFileDialog.getSaveFileName(self, _("Export outstanding packs"), name,
                                                    "CSV (*.csv)" if kind == "csv" else "PDF (*.pdf)")
        if path:
            self.export_outstanding_to(path)
