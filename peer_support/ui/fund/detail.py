"""One application: its details, fairness warnings, payments and history."""

from __future__ import annotations

import html

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QFormLayout, QGridLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout,
                               QWidget)

from peer_support.context import AppContext
from peer_support.domain.fund import ApplicationRecord, Status
from peer_support.i18n import _
from peer_support.i18n.formatting import format_date, format_datetime, format_money
from peer_support.errors import PeerSupportError
from peer_support.services.fund_queries import application_history, fairness_warnings, find_receipt
from peer_support.ui.errors import show_error
from peer_support.ui.fund.common import warning_label
from peer_support.ui.colours import muted_text


def _date(value) -> str:
    return format_date(value) if value else "–"


class ApplicationDetail(QWidget):
    decide_requested = Signal()
    notes_requested = Signal()
    pay_requested = Signal()
    close_requested = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.record: ApplicationRecord | None = None
        self.heading = QLabel(_("Choose an application in the list."))
        self.heading.setObjectName("detail_heading")
        self.heading.setStyleSheet("font-weight: bold; font-size: 13pt;")
        self.heading.setWordWrap(True)
        self.warnings = warning_label()
        self.warnings.setObjectName("fairness_warning")
        self.form = QFormLayout()
        self.values: dict[str, QLabel] = {}
        for key, label in (("family", _("Family")), ("received", _("Received")), ("need", _("Need")),
                           ("requested", _("Amount requested")), ("approved", _("Amount approved")),
                           ("paid", _("Paid")), ("decided", _("Decided by")), ("reason", _("Reason")),
                           ("eligibility", _("Eligibility notes")), ("override", _("Override reason")),
                           ("outcome", _("Outcome"))):
            value = QLabel()
            value.setWordWrap(True)
            value.setObjectName(f"detail_{key}")
            self.values[key] = value
            self.form.addRow(label, value)
        self.decide_button = QPushButton(_("&Decide…"))
        self.decide_button.setObjectName("decide")
        self.pay_button = QPushButton(_("Record &payment…"))
        self.pay_button.setObjectName("pay")
        self.close_button = QPushButton(_("C&lose application"))
        self.close_button.setObjectName("close_application")
        self.decide_button.clicked.connect(self.decide_requested)
        self.pay_button.clicked.connect(self.pay_requested)
        self.close_button.clicked.connect(self.close_requested)
        buttons = QGridLayout()
        self.notes_button = QPushButton(_("Edit &notes…"))
        self.notes_button.setObjectName("edit_notes")
        self.notes_button.clicked.connect(self.notes_requested)
        # Two rows, so long German or Polish labels do not force the panel wide.
        for number, button in enumerate((self.decide_button, self.pay_button, self.close_button,
                                         self.notes_button)):
            buttons.addWidget(button, number // 2, number % 2)
        buttons.setColumnStretch(2, 1)
        self.history = QTextBrowser()
        self.history.setObjectName("history")
        self.history.setAccessibleName(_("History of the application"))
        self.history.setOpenLinks(False)
        self.history.setMinimumHeight(160)
        self.history.anchorClicked.connect(self._on_link_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.warnings)
        layout.addLayout(self.form)
        layout.addLayout(buttons)
        layout.addWidget(QLabel(_("Payments and history")))
        layout.addWidget(self.history, 1)
        self.show_record(None)

    def show_record(self, record: ApplicationRecord | None) -> None:
        self.record = record
        for button in (self.decide_button, self.pay_button, self.close_button, self.notes_button):
            button.setEnabled(False)
        if record is None:
            self.heading.setText(_("Choose an application in the list."))
            self.warnings.hide()
            for value in self.values.values():
                value.setText("")
            self.history.clear()
            return
        self.heading.setText(_("%(reference)s · %(status)s · %(pot)s") % {
            "reference": record.reference, "status": record.status.label, "pot": record.pot})
        warnings = fairness_warnings(record)
        self.warnings.setText("\n".join(warnings))
        self.warnings.setVisible(bool(warnings))
        v = self.values
        v["family"].setText(_("%(name)s (%(reference)s), %(area)s") % {
            "name": record.family_name, "reference": record.family_reference, "area": record.area or "–"})
        v["received"].setText(_("%(date)s (%(channel)s)") % {"date": format_date(record.received_on),
                                                             "channel": record.channel.label})
        v["need"].setText(record.need.label)
        v["requested"].setText(format_money(record.requested_pence))
        v["approved"].setText(format_money(record.approved_pence) if record.approved_pence else "–")
        v["paid"].setText(format_money(record.paid_pence))
        v["decided"].setText(_("%(name)s on %(date)s") % {"name": record.decided_by,
                                                         "date": _date(record.decided_on)}
                             if record.decided_by else "–")
        v["reason"].setText(record.reason or "–")
        v["eligibility"].setText(record.eligibility_notes or "–")
        v["override"].setText(record.override_reason or "–")
        v["outcome"].setText(record.outcome_reason or "–")
        self.decide_button.setEnabled(record.status in (Status.RECEIVED, Status.APPROVED)
                                      and not (record.status == Status.APPROVED and record.paid_pence))
        self.pay_button.setEnabled(record.status == Status.APPROVED)
        self.close_button.setEnabled(record.status == Status.PAID)
        self.notes_button.setEnabled(True)
        self.history.setHtml(self._history_html(record))

    def _history_html(self, record: ApplicationRecord) -> str:
        parts = []
        if record.payments:
            heading = html.escape(_("Payments"))
            parts.append(f"<b>{heading}</b><ul>")
            for p in record.payments:
                values = {"date": format_date(p.paid_on), "amount": format_money(p.amount_pence),
                          "method": p.method.label, "supplier": p.supplier or "–"}
                if p.receipt_file:
                    line = html.escape(_("%(date)s: %(amount)s, %(method)s, %(supplier)s") % values)
                    link = html.escape(_("open receipt"))
                    parts.append(f"<li>{line} · <a href='receipt:{p.id}'>{link}</a></li>")
                else:
                    line = _("%(date)s: %(amount)s, %(method)s, %(supplier)s") % values
                    parts.append(f"<li>{html.escape(line)}</li>")
            parts.append("</ul>")
        heading = html.escape(_("History"))
        parts.append(f"<b>{heading}</b>")
        muted = muted_text().name()
        for entry in reversed(application_history(self._context, record.reference)):
            who = html.escape(_("%(when)s · %(who)s") % {"when": format_datetime(entry.at, "short"),
                                                          "who": entry.actor or "–"})
            details = "".join(f"<br>&nbsp;&nbsp;{html.escape(d)}" for d in entry.details)
            parts.append(f"<p><span style='color:{muted}'>{who}</span><br><b>{html.escape(entry.description)}"
                         f"</b>{details}</p>")
        return "".join(parts)

    def _on_link_clicked(self, url: QUrl) -> None:
        """Open a payment's copied receipt with the system's viewer."""
        if url.scheme() != "receipt" or self.record is None:
            return
        try:
            path = find_receipt(self._context, self.record.reference, url.path())
        except PeerSupportError as exc:
            show_error(self, exc)
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
