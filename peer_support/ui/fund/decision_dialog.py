"""Decide an application: approve (amount, who, when, override reason if needed), decline or withdraw."""

from __future__ import annotations

from PySide6.QtWidgets import (QButtonGroup, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QPlainTextEdit, QRadioButton, QVBoxLayout, QWidget)

from peer_support.clock import local_today
from peer_support.context import AppContext
from peer_support.domain.fund import ApplicationRecord, ApprovalDraft, PotRecord, Status, over_budget
from peer_support.errors import PeerSupportError, ValidationError
from peer_support.i18n import _
from peer_support.i18n.formatting import format_money
from peer_support.services import fund
from peer_support.services.fund_queries import fairness_warnings
from peer_support.ui.errors import show_error
from peer_support.ui.fund.common import date_edit, from_qdate, warning_label
from peer_support.ui.widgets.money_edit import MoneyEdit
from peer_support.ui.ops import announce
from peer_support.ui.colours import error_text


class DecisionDialog(QDialog):
    def __init__(self, context: AppContext, undo_stack, record: ApplicationRecord, pot: PotRecord,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context, self._undo_stack, self._record, self._pot = context, undo_stack, record, pot
        self.setWindowTitle(_("Decide application %(reference)s") % {"reference": record.reference})
        intro = QLabel(_("%(family)s asks for %(amount)s for %(need)s.") % {
            "family": record.family_name, "amount": format_money(record.requested_pence),
            "need": record.need.label})
        intro.setWordWrap(True)
        self.fairness = warning_label()
        self.fairness.setObjectName("fairness_warning")
        warnings = fairness_warnings(record)
        self.fairness.setText("\n".join(warnings))
        self.fairness.setVisible(bool(warnings))

        self.approve = QRadioButton(_("&Approve"))
        self.decline = QRadioButton(_("D&ecline"))
        self.withdraw = QRadioButton(_("&Withdrawn by the family"))
        self.choice = QButtonGroup(self)
        for name, button in (("approve", self.approve), ("decline", self.decline), ("withdraw", self.withdraw)):
            button.setObjectName(name)
            self.choice.addButton(button)
        received = record.status == Status.RECEIVED
        self.approve.setEnabled(received)
        self.decline.setEnabled(received)
        (self.approve if received else self.withdraw).setChecked(True)

        self.amount = MoneyEdit(record.requested_pence)
        self.amount.setObjectName("amount")
        self.decided_by = QLineEdit(context.actor())
        self.decided_by.setObjectName("decided_by")
        self.decided_on = date_edit(local_today(context.clock), "decided_on")
        self.remaining = QLabel()
        self.override = QPlainTextEdit()
        self.override.setObjectName("override_reason")
        self.override.setPlaceholderText(_("Only a lead may approve more than the pot has left. "
                                           "Write why; the reason is kept."))
        self.override.setMaximumHeight(70)
        self.override.setTabChangesFocus(True)  # Tab moves on: keyboard users are never trapped
        self.override_label = QLabel(_("Override reason"))
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("reason")
        self.reason.setMaximumHeight(70)
        self.reason.setTabChangesFocus(True)
        self.reason_label = QLabel(_("Reason"))

        form = QFormLayout()
        self.amount_label = QLabel(_("Amount approved"))
        form.addRow(self.amount_label, self.amount)
        form.addRow("", self.remaining)
        form.addRow(self.override_label, self.override)
        form.addRow(self.reason_label, self.reason)
        form.addRow(_("Decided by"), self.decided_by)
        form.addRow(_("Date"), self.decided_on)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("ok")
        buttons.accepted.connect(self._on_save_clicked)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.fairness)
        for button in (self.approve, self.decline, self.withdraw):
            layout.addWidget(button)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.choice.buttonToggled.connect(lambda *_args: self._update())
        self.amount.amount_changed.connect(lambda _pence: self._update())
        # Tab follows the form as seen (the widgets were made in another order); approving starts
        # in the amount, the one thing to type.
        order = [self.approve, self.decline, self.withdraw, self.amount, self.override, self.reason,
                 self.decided_by, self.decided_on, buttons]
        for first, second in zip(order, order[1:]):
            QWidget.setTabOrder(first, second)
        (self.amount if received else self.reason).setFocus()
        self._update()
        self.resize(max(self.sizeHint().width(), 480), self.sizeHint().height())

    def _update(self) -> None:
        approving = self.approve.isChecked()
        for widget in (self.amount, self.remaining):
            widget.setVisible(approving)
        self.amount_label.setVisible(approving)
        over = approving and self._over_budget()
        self.remaining.setText(_("The pot has %(remaining)s left.") % {
            "remaining": format_money(self._pot.remaining_pence)})
        self.remaining.setStyleSheet(f"color: {error_text().name()}; font-weight: bold;" if over else "")
        self.override.setVisible(over)
        self.override_label.setVisible(over)
        self.reason.setVisible(not approving)
        self.reason_label.setVisible(not approving)

    def _over_budget(self) -> bool:
        return over_budget(self.amount.pence_or_none() or 0, self._pot.remaining_pence)

    def _on_save_clicked(self) -> None:
        reference = self._record.reference
        on = from_qdate(self.decided_on.date())
        try:
            if self.approve.isChecked():
                saved = fund.approve_application(self._context, reference, ApprovalDraft(
                    amount_pence=self.amount.pence(), decided_by=self.decided_by.text(), decided_on=on,
                    # A hidden reason (typed, then the amount lowered) is not sent: it is not needed.
                    override_reason=self.override.toPlainText() if self._over_budget() else ""))
                text = _("Approve application %(reference)s") % {"reference": reference}
            elif self.decline.isChecked():
                saved = fund.decline_application(self._context, reference, self.reason.toPlainText(),
                                                   self.decided_by.text(), on)
                text = _("Decline application %(reference)s") % {"reference": reference}
            elif self.withdraw.isChecked():
                saved = fund.withdraw_application(self._context, reference, self.reason.toPlainText(), on)
                text = _("Withdraw application %(reference)s") % {"reference": reference}
            else:
                raise ValidationError(_("Choose what was decided."))
        except PeerSupportError as exc:
            show_error(self, exc)
            return
        announce(self._context, self._undo_stack, saved.changes, text)
        self.accept()
