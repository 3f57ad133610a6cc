"""Choose the period and the file for the funder report; written off the GUI thread."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QLabel,
                               QVBoxLayout, QWidget)

from peer_support.clock import local_today
from peer_support.context import AppContext
from peer_support.errors import PeerSupportError
from peer_support.domain.documents import Written
from peer_support.i18n import _
from peer_support.services.fund_report import export_fund_report
from peer_support.ui.errors import show_error
from peer_support.ui.fund.common import date_edit, from_qdate
from peer_support.ui.signals import signals
from peer_support.ui.tasks import run_task


class ReportDialog(QDialog):
    def __init__(self, context: AppContext, pot: str, opens_on: date | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.setWindowTitle(_("Funder report"))
        today = local_today(context.clock)
        self.start = date_edit(opens_on or date(today.year, 1, 1), "start")
        self.end = date_edit(today, "end")
        self.scope = QComboBox()
        self.scope.setObjectName("scope")
        if pot:
            self.scope.addItem(_("Only %(pot)s") % {"pot": pot}, pot)
        self.scope.addItem(_("All pots"), "")
        explain = QLabel(_("The report counts the applications received in the period, with their "
                           "decisions and payments. The spreadsheet keeps its formulas, so the funder "
                           "can check every total."))
        explain.setWordWrap(True)
        form = QFormLayout()
        form.addRow(_("From"), self.start)
        form.addRow(_("To"), self.end)
        form.addRow(_("Pots"), self.scope)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        xlsx = buttons.addButton(_("Save as &spreadsheet…"), QDialogButtonBox.ButtonRole.AcceptRole)
        xlsx.setObjectName("save_xlsx")
        pdf = buttons.addButton(_("Save as P&DF…"), QDialogButtonBox.ButtonRole.AcceptRole)
        pdf.setObjectName("save_pdf")
        xlsx.clicked.connect(lambda: self._on_save_clicked("xlsx"))
        pdf.clicked.connect(lambda: self._on_save_clicked("pdf"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explain)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(max(self.sizeHint().width(), 460), self.sizeHint().height())

    def choose_path(self, kind: str) -> str:
        suggested = str(Path.home() / f"fund-report-{from_qdate(self.end.date()).isoformat()}.{kind}")
        filters = _("Spreadsheet (*.xlsx)") if kind == "xlsx" else _("PDF document (*.pdf)")
        path, _filter = QFileDialog.getSaveFileName(self, _("Save the funder report"), suggested, filters)
        if path and not path.lower().endswith(f".{kind}"):
            path += f".{kind}"
        return path

    def _on_save_clicked(self, kind: str) -> None:
        path = self.choose_path(kind)
        if not path:
            return
        start, end, pot = from_qdate(self.start.date()), from_qdate(self.end.date()), self.scope.currentData()

        def done(written: Written) -> None:
            signals.status_message.emit(written.message)
            self.accept()

        def failed(exc: BaseException) -> None:
            show_error(self, exc)

        try:
            run_task(self, lambda _progress: export_fund_report(self._context, start, end, path, pot),
                     on_done=done, on_error=failed, label=_("Writing the funder report…"))
        except PeerSupportError as exc:
            show_error(self, exc)
