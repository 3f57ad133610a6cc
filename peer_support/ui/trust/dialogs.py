"""Dialogs of the Data and privacy area: restore preview, passphrase, erase confirmation, user picker."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QListWidget, QTextBrowser, QVBoxLayout, QWidget)

from peer_support.domain.privacy import ErasurePlan
from peer_support.domain.trust import BackupPreview
from peer_support.i18n import _, ngettext
from peer_support.i18n.formatting import format_datetime, format_number
from peer_support.ui.widgets.secret import secret_edit

# Tables worth showing in a restore preview, with how to say their count.
_PREVIEW_ROWS = (
    ("family", lambda n: ngettext("%(count)s family", "%(count)s families", n)),
    ("volunteer", lambda n: ngettext("%(count)s volunteer", "%(count)s volunteers", n)),
    ("meeting", lambda n: ngettext("%(count)s meeting", "%(count)s meetings", n)),
    ("fund_application", lambda n: ngettext("%(count)s fund application", "%(count)s fund applications", n)),
    ("pack", lambda n: ngettext("%(count)s activity pack", "%(count)s activity packs", n)),
    ("newsletter_issue", lambda n: ngettext("%(count)s newsletter", "%(count)s newsletters", n)),
)


def preview_lines(preview: BackupPreview) -> list[str]:
    lines = [_("Taken: %(when)s") % {"when": format_datetime(preview.taken_at)}]
    if preview.last_change_at:
        lines.append(_("Last change: %(what)s (%(when)s)")
                     % {"what": preview.last_change, "when": format_datetime(preview.last_change_at)})
    for table, phrase in _PREVIEW_ROWS:
        if table in preview.row_counts:
            count = preview.row_counts[table]
            lines.append(phrase(count) % {"count": format_number(count)})
    return lines


class RestorePreviewDialog(QDialog):
    """What the backup holds, and a clear Restore / Cancel."""

    def __init__(self, preview: BackupPreview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Restore a backup"))
        layout = QVBoxLayout(self)
        title = QLabel(f"<b>{html.escape(preview.path.name)}</b>")
        title.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(title)
        if preview.restorable:
            body = "\n".join(preview_lines(preview))
            note = _("Your current data is kept as a safety copy in the backups folder first, "
                     "so this can be reversed.")
        else:
            body = _("This backup cannot be restored: %(problem)s.") % {"problem": preview.problem}
            note = ""
        details = QLabel(body)
        details.setObjectName("preview")
        details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(details)
        if note:
            hint = QLabel(note)
            hint.setWordWrap(True)
            layout.addWidget(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        if preview.restorable:
            restore = buttons.addButton(_("Restore this backup"), QDialogButtonBox.ButtonRole.AcceptRole)
            restore.setObjectName("restore")
            restore.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)


class PassphraseDialog(QDialog):
    """Ask for a passphrase, optionally twice (when choosing a new one)."""

    def __init__(self, message: str, new: bool = False, current: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Passphrase"))
        layout = QVBoxLayout(self)
        label = QLabel(message)
        label.setWordWrap(True)
        layout.addWidget(label)
        form = QFormLayout()
        self.current = secret_edit("current") if current else None
        if self.current is not None:
            form.addRow(_("Current passphrase"), self.current)
        self.passphrase = secret_edit("passphrase")
        form.addRow(_("New passphrase") if new else _("Passphrase"), self.passphrase)
        self.repeated = secret_edit("repeated") if new else None
        if self.repeated is not None:
            form.addRow(_("Repeat it"), self.repeated)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(380)


class EraseConfirmDialog(QDialog):
    """Shows what an erasure removes and keeps, and the text elsewhere that mentions the family
    (to edit by hand first); asks about the parent's volunteer record; the user types the
    reference to confirm, because it cannot be undone."""

    def __init__(self, plan: ErasurePlan, replan: Callable[[bool], ErasurePlan] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._reference = plan.reference
        self._replan = replan
        self.setWindowTitle(_("Erase a family's personal data"))
        layout = QVBoxLayout(self)
        heading = QLabel(_("<b>Erase %(name)s (%(reference)s)</b>. This cannot be undone.")
                         % {"name": html.escape(plan.name), "reference": plan.reference})
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.also_volunteer = QCheckBox()
        self.also_volunteer.setObjectName("also_volunteer")
        if plan.volunteer_reference:
            self.also_volunteer.setText(_("Also erase volunteer record %(reference)s (%(name)s)")
                                        % {"reference": plan.volunteer_reference, "name": plan.volunteer_name})
            self.also_volunteer.toggled.connect(self._on_volunteer_toggled)
            layout.addWidget(self.also_volunteer)
            note = QLabel(_("The parent also volunteers. A family and a volunteer are erased separately: "
                            "runs and deliveries to other families stay either way; an erased volunteer's "
                            "name shows as “[erased]”."))
            note.setWordWrap(True)
            layout.addWidget(note)
        else:
            self.also_volunteer.hide()
        self.summary = QTextBrowser()
        self.summary.setObjectName("summary")
        self.summary.setMinimumHeight(240)
        layout.addWidget(self.summary)
        self.mentions_label = QLabel()
        self.mentions_label.setWordWrap(True)
        layout.addWidget(self.mentions_label)
        self.mentions = QListWidget()
        self.mentions.setObjectName("mentions")
        self.mentions.setMaximumHeight(120)
        layout.addWidget(self.mentions)
        confirm_label = QLabel(_("Type %(reference)s to confirm.") % {"reference": plan.reference})
        layout.addWidget(confirm_label)
        self.confirm = QLineEdit()
        self.confirm.setObjectName("confirm")
        layout.addWidget(self.confirm)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.erase = buttons.addButton(_("Erase"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.erase.setObjectName("erase")
        self.erase.setEnabled(False)
        self.confirm.textChanged.connect(
            lambda value: self.erase.setEnabled(value.strip().upper() == self._reference))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)
        self._show(plan)

    def _show(self, plan: ErasurePlan) -> None:
        def items(lines) -> str:
            return "<ul>" + "".join(f"<li>{html.escape(line.text)}</li>" for line in lines) + "</ul>"

        self.summary.setHtml(f"<p>{html.escape(_('What goes:'))}</p>{items(plan.goes)}"
                             f"<p>{html.escape(_('What stays:'))}</p>{items(plan.stays)}")
        self.mentions.clear()
        for mention in plan.mentions:
            self.mentions.addItem(f"{mention.where}: …{mention.excerpt}…")
        if plan.mentions:
            self.mentions_label.setText(ngettext(
                "%(count)d place elsewhere mentions them. It is not changed: review and edit it by hand "
                "(before or after erasing).",
                "%(count)d places elsewhere mention them. They are not changed: review and edit them by "
                "hand (before or after erasing).", len(plan.mentions)) % {"count": len(plan.mentions)})
        else:
            self.mentions_label.setText(_("Nothing elsewhere mentions them by name."))
        self.mentions.setVisible(bool(plan.mentions))

    def _on_volunteer_toggled(self, checked: bool) -> None:
        if self._replan is not None:
            self._show(self._replan(checked))


class UserPickerDialog(QDialog):
    """Who is using the app: pick a name or type a new one."""

    def __init__(self, names: list[str], current: str = "", message: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Who is using Peer Support?"))
        layout = QVBoxLayout(self)
        label = QLabel(message or _("Choose your name, or type it if you are new. Every change you "
                                    "make is recorded under this name."))
        label.setWordWrap(True)
        layout.addWidget(label)
        self.name = QComboBox()
        self.name.setObjectName("user")
        self.name.setEditable(True)
        self.name.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.name.addItems(names)
        self.name.setCurrentText(current)
        self.name.lineEdit().setPlaceholderText(_("Your name"))
        self.name.setAccessibleName(_("Your name"))
        layout.addWidget(self.name)
        self.pin = secret_edit("pin", _("PIN"))
        self.pin.setPlaceholderText(_("PIN, if you have one"))
        layout.addWidget(self.pin)
        self.note = QLabel(_("A new name starts as a volunteer; a lead can give more roles."))
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
        self.setMinimumWidth(360)
        self.name.setFocus()
        self.name.lineEdit().selectAll()  # typing a new name replaces the pre-filled one

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.name.lineEdit().selectAll()

    def chosen(self) -> str:
        return self.name.currentText().strip()

    def chosen_pin(self) -> str:
        return self.pin.text().strip()
