"""Retention on the Data and privacy page: the period, who is due, keep (with a reason) or anonymise."""

from __future__ import annotations

from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QGroupBox, QHBoxLayout,
                               QHeaderView, QInputDialog, QLabel, QLineEdit, QListWidget, QMessageBox, QPushButton, QSpinBox,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from peer_support.context import AppContext
from peer_support.domain.changes import EVERYTHING, Saved
from peer_support.domain.privacy import RetentionApplied, RetentionCandidate
from peer_support.errors import PeerSupportError
from peer_support.i18n import _, ngettext
from peer_support.i18n.formatting import format_date
from peer_support.services import retention
from peer_support.ui.ops import data_changed, run_change
from peer_support.ui.signals import signals
from peer_support.ui.tasks import run_task


class RetentionBox(QGroupBox):
    def __init__(self, context: AppContext, undo_stack=None, parent: QWidget | None = None) -> None:
        super().__init__(_("Retention"), parent)
        self.setObjectName("retention")
        self._context, self._undo_stack = context, undo_stack
        self.due: list[RetentionCandidate] = []
        layout = QVBoxLayout(self)
        hint = QLabel(_("Anonymise families with no contact (meeting, delivery, application or edit) for a "
                        "number of years. Off when set to 0. Nothing happens without your confirmation."))
        hint.setWordWrap(True)
        layout.addWidget(hint)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Years without contact (0: off)")))
        self.years = QSpinBox()
        self.years.setObjectName("retention_years")
        self.years.setRange(0, retention.MAX_YEARS)
        row.addWidget(self.years)
        self.save_button = QPushButton(_("Save"))
        self.save_button.setObjectName("retention_save")
        self.save_button.clicked.connect(self._on_save_clicked)
        row.addWidget(self.save_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = QLabel()
        self.status.setObjectName("retention_status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("retention_due")
        self.table.setHorizontalHeaderLabels([_("Reference"), _("Name"), _("Last contact"), _("Kept on")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMaximumHeight(180)
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.keep_button = QPushButton(_("Keep the selected family…"))
        self.keep_button.setObjectName("retention_keep")
        self.keep_button.clicked.connect(self._on_keep_clicked)
        self.apply_button = QPushButton(_("Anonymise all listed…"))
        self.apply_button.setObjectName("retention_apply")
        self.apply_button.clicked.connect(self._on_apply_clicked)
        buttons.addWidget(self.keep_button)
        buttons.addWidget(self.apply_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def reload(self) -> None:
        try:
            years = retention.retention_years(self._context)
            self.due = retention.due_families(self._context)
        except PeerSupportError as exc:
            self.status.setText(exc.message)
            return
        self.years.setValue(years or 0)
        if years is None:
            self.status.setText(_("Retention is off."))
        else:
            self.status.setText(retention.due_summary(len(self.due), years))
        self.table.setRowCount(len(self.due))
        for row, candidate in enumerate(self.due):
            values = (candidate.reference, candidate.name,
                      format_date(candidate.last_contact_on) if candidate.last_contact_on else "",
                      format_date(candidate.kept_on) if candidate.kept_on else "")
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.setVisible(bool(self.due))
        self.keep_button.setEnabled(bool(self.due))
        self.apply_button.setEnabled(bool(self.due))

    def _on_save_clicked(self) -> None:
        years = self.years.value() or None
        if run_change(self, self._context, self._undo_stack,
                      lambda: retention.set_retention_years(self._context, years),
                      _("Change the retention period")) is not None:
            self.reload()

    def _on_keep_clicked(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            QMessageBox.information(self, _("Keep a family"), _("Select a family in the list first."))
            return
        candidate = self.due[rows[0].row()]
        reason, accepted = QInputDialog.getText(
            self, _("Keep a family"), _("Why is %(reference)s kept? (recorded)") % {"reference": candidate.reference},
            QLineEdit.EchoMode.Normal)
        if not accepted:
            return
        text = _("Keep family %(reference)s past the retention period") % {"reference": candidate.reference}
        if run_change(self, self._context, self._undo_stack,
                      lambda: retention.keep_family(self._context, candidate.reference, reason), text) is not None:
            self.reload()

    def _on_apply_clicked(self) -> None:
        if not self.due or RetentionConfirmDialog(self.due, self).exec() != QDialog.DialogCode.Accepted:
            return

        def done(saved: Saved[RetentionApplied]) -> None:
            result = saved.record
            signals.status_message.emit(ngettext(
                "Anonymised %(count)d family: %(references)s", "Anonymised %(count)d families: %(references)s",
                len(result.erased)) % {"count": len(result.erased), "references": ", ".join(result.erased)})
            data_changed(EVERYTHING)
            self.reload()
            if result.mentions:
                MentionsDialog(result.mentions, self).exec()

        run_task(self, lambda _p: retention.apply_retention(self._context), on_done=done,
                 label=_("Anonymising…"))


class RetentionConfirmDialog(QDialog):
    """One confirmation for all listed families; each becomes an erasure that cannot be undone."""

    def __init__(self, due: list[RetentionCandidate], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Anonymise families"))
        layout = QVBoxLayout(self)
        text = QLabel(ngettext(
            "Anonymise %(count)d family? Its name, address, contact details and notes are erased "
            "everywhere, on every laptop; counts and money totals stay. This cannot be undone.",
            "Anonymise %(count)d families? Their names, addresses, contact details and notes are erased "
            "everywhere, on every laptop; counts and money totals stay. This cannot be undone.",
            len(due)) % {"count": len(due)})
        text.setWordWrap(True)
        layout.addWidget(text)
        listing = QListWidget()
        listing.setObjectName("retention_confirm_list")
        listing.addItems([f"{c.reference}  {c.name}" for c in due])
        layout.addWidget(listing)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm = buttons.addButton(_("Anonymise"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm.setObjectName("anonymise")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)


class MentionsDialog(QDialog):
    """Text elsewhere that names an erased family: to review and edit by hand."""

    def __init__(self, mentions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Mentions to review"))
        layout = QVBoxLayout(self)
        label = QLabel(ngettext(
            "%(count)d place elsewhere mentions them. Review and edit it by hand:",
            "%(count)d places elsewhere mention them. Review and edit them by hand:",
            len(mentions)) % {"count": len(mentions)})
        label.setWordWrap(True)
        layout.addWidget(label)
        listing = QListWidget()
        listing.addItems([f"{m.where}: …{m.excerpt}…" for m in mentions])
        layout.addWidget(listing)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
