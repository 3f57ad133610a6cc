"""Record a new application for the current pot."""

from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit,
                               QPlainTextEdit, QVBoxLayout, QWidget)

from peer_support.clock import local_today
from peer_support.context import AppContext
from peer_support.domain.fund import ApplicationDraft, Channel, Need
from peer_support.errors import PeerSupportError
from peer_support.i18n import _
from peer_support.services import fund
from peer_support.ui.widgets.family_picker import attach_family_picker, picked_reference
from peer_support.ui.errors import show_error
from peer_support.ui.fund.common import date_edit, from_qdate
from peer_support.ui.widgets.money_edit import MoneyEdit
from peer_support.ui.ops import announce


class ApplicationDialog(QDialog):
    def __init__(self, context: AppContext, undo_stack, pot: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context, self._undo_stack, self._pot = context, undo_stack, pot
        self.saved_reference = ""
        self.setWindowTitle(_("New application to %(pot)s") % {"pot": pot})
        self.family = QLineEdit()
        self.family.setObjectName("family")
        self.family.setPlaceholderText(_("family reference or name, e.g. F0012"))
        attach_family_picker(self.family, context)
        self.received_on = date_edit(local_today(context.clock), "received_on")
        self.channel = QComboBox()
        self.channel.setObjectName("channel")
        for channel in Channel:
            self.channel.addItem(channel.label, channel)
        self.need = QComboBox()
        self.need.setObjectName("need")
        for need in Need:
            self.need.addItem(need.label, need)
        self.amount = MoneyEdit()
        self.amount.setObjectName("amount")
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("reason")
        self.reason.setMaximumHeight(80)
        self.reason.setTabChangesFocus(True)
        self.eligibility = QPlainTextEdit()
        self.eligibility.setObjectName("eligibility")
        self.eligibility.setMaximumHeight(60)
        self.eligibility.setTabChangesFocus(True)
        self.eligibility.setPlaceholderText(_("e.g. free school meals confirmed; referred by school"))
        form = QFormLayout()
        form.addRow(_("Family"), self.family)
        form.addRow(_("Received"), self.received_on)
        form.addRow(_("How received"), self.channel)
        form.addRow(_("Need"), self.need)
        form.addRow(_("Amount requested"), self.amount)
        form.addRow(_("Reason"), self.reason)
        form.addRow(_("Eligibility notes"), self.eligibility)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("ok")
        buttons.accepted.connect(self._on_save_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.resize(max(self.sizeHint().width(), 520), self.sizeHint().height())

    def _on_save_clicked(self) -> None:
        try:
            family = picked_reference(self._context, self.family.text())
            draft = ApplicationDraft(
                pot=self._pot, family_reference=family, received_on=from_qdate(self.received_on.date()),
                channel=self.channel.currentData(), need=self.need.currentData(),
                requested_pence=self.amount.pence(), reason=self.reason.toPlainText(),
                eligibility_notes=self.eligibility.toPlainText())
            saved = fund.create_application(self._context, draft)
        except PeerSupportError as exc:
            show_error(self, exc)
            return
        self.saved_reference = saved.record.reference
        announce(self._context, self._undo_stack, saved.changes,
                 _("Record application from %(family)s") % {"family": saved.record.family_reference})
        self.accept()
