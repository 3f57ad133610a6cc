"""The period report from the dashboard: choose two dates, then where to save the PDF or XLSX.

The same report as ``peer-support report``; built and written off the GUI
thread (ui.tasks.run_task), whole or not at all.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QLabel, QWidget

from peer_support.clock import local_today
from peer_support.context import AppContext
from peer_support.domain.dashboard import add_months
from peer_support.errors import ValidationError
from peer_support.domain.documents import Written
from peer_support.i18n import _
from peer_support.services.period_report import check_period, export_period_report
from peer_support.ui.errors import show_error
from peer_support.ui.signals import signals
from peer_support.ui.tasks import run_task
from peer_support.ui.widgets.date_edit import date_edit

PDF_FILTER = "PDF (*.pdf)"


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


class PeriodReportDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("period_report")
        self.setWindowTitle(_("Period report"))
        self._context = context
        today = local_today(context.clock)
        self.start_edit = self._date_edit("report_from", add_months(today, -12) + timedelta(days=1))
        self.end_edit = self._date_edit("report_to", today)
        explanation = QLabel(_("Families reached, meetings held, attendance, fund and packs figures and the "
                               "Resilience Framework themes covered, as a PDF or a spreadsheet."))
        explanation.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(explanation)
        form.addRow(_("From"), self.start_edit)
        form.addRow(_("To (included)"), self.end_edit)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.addButton(_("Save report…"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setDefault(True)
        buttons.accepted.connect(self._on_save)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _date_edit(self, name: str, day: date) -> QDateEdit:
        return date_edit(day, name)

    def period(self) -> tuple[date, date]:
        return _pydate(self.start_edit.date()), _pydate(self.end_edit.date())

    def _on_save(self) -> None:
        start, end = self.period()
        try:
            check_period(start, end)
        except ValidationError as exc:
            show_error(self, exc)
            return
        suggested = Path.home() / f"peer-support-report-{start.isoformat()}-{end.isoformat()}.pdf"
        path, chosen = QFileDialog.getSaveFileName(self, _("Save period report"), str(suggested),
                                                   f"{PDF_FILTER};;{_('Excel workbook (*.xlsx)')}")
        if not path:
            return
        if not Path(path).suffix:
            path += ".xlsx" if "xlsx" in chosen else ".pdf"
        context = self._context
        self.save_button.setEnabled(False)

        def work(_progress):
            return export_period_report(context, start, end, path)

        def done(written: Written) -> None:
            signals.status_message.emit(written.message)
            self.accept()

        def failed(exc: BaseException) -> None:
            self.save_button.setEnabled(True)
            show_error(self, exc)

        run_task(self, work, done, failed, label=_("Writing the report…"))
