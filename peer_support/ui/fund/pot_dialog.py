"""Add or change a fund pot: name, funder, budget, open and close dates, notes."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLineEdit,
                               QPlainTextEdit, QVBoxLayout, QWidget)

from peer_support.clock import local_today
from peer_support.context import AppContext
from peer_support.domain.fund import PotDraft, PotRecord
from peer_support.errors import PeerSupportError
from peer_support.i18n import _
from peer_support.services import fund
from peer_support.ui.errors import show_error
from peer_support.ui.fund.common import date_edit, from_qdate, to_qdate
from peer_support.ui.widgets.money_edit import MoneyEdit
from peer_support.ui.ops import announce


class PotDialog(QDialog):
    def __init__(self, context: AppContext, undo_stack, pot: PotRecord | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context, self._undo_stack, self._pot = context, undo_stack, pot
        self.saved_name = ""
        self.setWindowTitle(_("Change fund pot") if pot else _("New fund pot"))
        today = local_today(context.clock)
        self.name = QLineEdit(pot.name if pot else "")
        self.name.setObjectName("name")
        self.funder = QLineEdit(pot.funder if pot else "")
        self.funder.setObjectName("funder")
        self.budget = MoneyEdit(pot.budget_pence if pot else None)
        self.budget.setObjectName("budget")
        self.opens_on = date_edit(pot.opens_on if pot else today, "opens_on")
        self.has_close = QCheckBox(_("Closes on"))
        self.closes_on = date_edit((pot.closes_on if pot and pot.closes_on else today + timedelta(days=180)),
                                   "closes_on")
        self.has_close.setChecked(bool(pot and pot.closes_on) or pot is None)
        self.closes_on.setEnabled(self.has_close.isChecked())
        self.has_close.toggled.connect(self.closes_on.setEnabled)
        close_row = QHBoxLayout()
        close_row.addWidget(self.has_close)
        close_row.addWidget(self.closes_on, 1)
        self.notes = QPlainTextEdit(pot.notes if pot else "")
        self.notes.setObjectName("notes")
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(90)
        form = QFormLayout()
        form.addRow(_("Name"), self.name)
        form.addRow(_("Funder"), self.funder)
        form.addRow(_("Budget"), self.budget)
        form.addRow(_("Opens on"), self.opens_on)
        form.addRow("", close_row)
        form.addRow(_("Notes"), self.notes)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setObjectName("ok")
        buttons.accepted.connect(self._on_save_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        if pot is not None:
            self.closes_on.setDate(to_qdate(pot.closes_on or today))

    def _on_save_clicked(self) -> None:
        try:
            draft = PotDraft(name=self.name.text(), funder=self.funder.text(), budget_pence=self.budget.pence(),
                             opens_on=from_qdate(self.opens_on.date()),
                             closes_on=from_qdate(self.closes_on.date()) if self.has_close.isChecked() else None,
                             notes=self.notes.toPlainText())
            if self._pot is None:
                saved = fund.create_pot(self._context, draft)
                text = _("Add fund pot %(name)s") % {"name": saved.record.name}
            else:
                saved = fund.update_pot(self._context, self._pot.name, draft)
                text = _("Change fund pot %(name)s") % {"name": self._pot.name}
        except PeerSupportError as exc:
            show_error(self, exc)
            return
        self.saved_name = saved.record.name
        announce(self._context, self._undo_stack, saved.changes, text)
        self.accept()
