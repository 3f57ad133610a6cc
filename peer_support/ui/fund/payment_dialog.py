"""Record a payment on an approved application, with an optional receipt file."""

from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget)

from peer_support.clock import local_today
from peer_support.context import AppContext
from peer_support.domain.fund import ApplicationRecord, PaymentDraft, PaymentMethod
from peer_support.errors import PeerSupportError
from peer_support.i18n import _
from peer_support.i18n.formatting import format_money
from peer_support.services import fund
from peer_support.ui.errors import show_error
from peer_support.ui.fund.common import date_edit, from_qdate
from peer_support.ui.widgets.money_edit import MoneyEdit
from peer_support.ui.ops import announce
from peer_support.ui.colours import muted_text


class PaymentDialog(QDialog):
    def __init__(self, context: AppContext, undo_stack, record: ApplicationRecord,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context, self._undo_stack, self._record = context, undo_stack, record
        self.setWindowTitle(_("Record payment for %(reference)s") % {"reference": record.reference})
        left = record.approved_pence - record.paid_pence
        intro = QLabel(_("Approved %(approved)s, paid so far %(paid)s: %(left)s left to pay.") % {
            "approved": format_money(record.approved_pence), "paid": format_money(record.paid_pence),
            "left": format_money(left)})
        intro.setWordWrap(True)
        self.paid_on = date_edit(local_today(context.clock), "paid_on")
        self.amount = MoneyEdit(left)
        self.amount.setObjectName("amount")
        self.method = QComboBox()
        self.method.setObjectName("method")
        for method in PaymentMethod:
            self.method.addItem(method.label, method)
        self.supplier = QLineEdit()
        self.supplier.setObjectName("supplier")
        self.supplier.setPlaceholderText(_("e.g. EE, Currys, BT"))
        self.reference = QLineEdit()
        self.reference.setObjectName("reference")
        self.reference.setPlaceholderText(_("voucher code, transfer or order number"))
        self.receipt = QLineEdit()
        self.receipt.setObjectName("receipt")
        self.receipt.setPlaceholderText(_("optional: a scan or photo of the receipt"))
        browse = QPushButton(_("&Browse…"))
        browse.clicked.connect(self._on_browse_clicked)
        receipt_row = QHBoxLayout()
        receipt_row.addWidget(self.receipt, 1)
        receipt_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(_("Date"), self.paid_on)
        form.addRow(_("Amount"), self.amount)
        form.addRow(_("Method"), self.method)
        form.addRow(_("Supplier"), self.supplier)
        form.addRow(_("Reference"), self.reference)
        form.addRow(_("Receipt"), receipt_row)
        note = QLabel(_("The receipt is copied into the data folder, so it stays with the record."))
        note.setWordWrap(True)
        note.setStyleSheet(f"color: {muted_text().name()};")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("ok")
        buttons.accepted.connect(self._on_save_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(max(self.sizeHint().width(), 480), self.sizeHint().height())

    def _on_browse_clicked(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choose the receipt"), "", _("Receipts (*.pdf *.jpg *.jpeg *.png *.heic);;All files (*)"))
        if path:
            self.receipt.setText(path)

    def _on_save_clicked(self) -> None:
        reference = self._record.reference
        try:
            draft = PaymentDraft(paid_on=from_qdate(self.paid_on.date()), amount_pence=self.amount.pence(),
                                 method=self.method.currentData(), supplier=self.supplier.text(),
                                 reference=self.reference.text(), receipt_path=self.receipt.text().strip())
            saved = fund.record_payment(self._context, reference, draft)
        except PeerSupportError as exc:
            show_error(self, exc)
            return
        announce(self._context, self._undo_stack, saved.changes,
                 _("Record payment for %(reference)s") % {"reference": reference})
        self.accept()
