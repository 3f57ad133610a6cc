"""First start: sample data, an empty start, or joining the group's other laptops.

Shown when the database holds nothing yet, whatever "who is using" already
did (choosing a name adds a user, which does not count as data). Joining
does what ``peer-support sync join`` does: this laptop's database becomes
the newest snapshot in the group's sync folder, then it syncs.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QButtonGroup, QDialog, QDialogButtonBox, QLabel, QMessageBox, QRadioButton, QVBoxLayout,
                               QWidget)

from peer_support.context import AppContext, open_context
from peer_support.errors import PeerSupportError
from peer_support.i18n import _
# Whether to ask is a plain-SQL question (ui/app.py asks it without loading this module's dialogs).
from peer_support.services.summary import NOT_DATA, is_first_run  # noqa: F401 - re-exported
from peer_support.ui.widgets.sync_folder import SyncFolderPicker

SAMPLE, EMPTY, JOIN = "sample", "empty", "join"


class FirstRunDialog(QDialog):
    """Three ways to start; joining asks for the sync folder and the group's passphrase."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("first_run")
        self.setWindowTitle(_("Welcome to Peer Support"))
        intro = QLabel(_("There is no data on this laptop yet. How would you like to start?"))
        intro.setWordWrap(True)
        self.sample = QRadioButton(_("Try the app with sample data (530 made-up families)"))
        self.sample.setObjectName("choose_sample")
        self.empty = QRadioButton(_("Start with an empty list"))
        self.empty.setObjectName("choose_empty")
        self.join = QRadioButton(_("Join my group's laptops (their data comes from the sync folder)"))
        self.join.setObjectName("choose_join")
        self._group = QButtonGroup(self)
        for button in (self.sample, self.empty, self.join):
            self._group.addButton(button)
        self.sample.setChecked(True)

        self.join_box = SyncFolderPicker(_("only if the group encrypts its sync files"))
        self.join_box.setContentsMargins(24, 0, 0, 0)
        self.join.toggled.connect(self.join_box.setEnabled)
        self.join_box.setEnabled(False)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Start"))
        buttons.accepted.connect(self._on_start)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        for widget in (self.sample, self.empty, self.join, self.join_box):
            layout.addWidget(widget)
        layout.addWidget(buttons)
        self.setMinimumWidth(600)  # the longest choice and hint (German) in full

    def choice(self) -> str:
        return JOIN if self.join.isChecked() else EMPTY if self.empty.isChecked() else SAMPLE

    def _on_start(self) -> None:
        if self.choice() == JOIN and not self.join_box.folder():
            QMessageBox.warning(self, _("Peer Support"), _("Choose the sync folder the other laptops use."))
            return
        self.accept()


def join_group_from_gui(context: AppContext, folder: str, passphrase: str) -> AppContext:
    """Close ``context``, make this laptop a member from the folder's snapshot; returns the new
    context. On failure the data folder is opened again as it was and the error raised."""
    from peer_support.services.sync.snapshot import join_group

    data_dir, clock = context.data_dir, context.clock
    context.close()
    try:
        return join_group(data_dir, Path(folder.strip()).expanduser(), passphrase, clock=clock)
    except Exception as exc:  # noqa: BLE001 - reported by the caller, the data folder reopened
        raise JoinFailed(open_context(data_dir, clock), exc) from exc


class JoinFailed(Exception):
    """Joining failed: ``context`` is the data folder opened again, ``reason`` why."""

    def __init__(self, context: AppContext, reason: Exception) -> None:
        super().__init__(str(reason))
        self.context, self.reason = context, reason


def first_start(context: AppContext, parent: QWidget | None = None) -> tuple[AppContext, str]:
    """Ask how to start until it works; returns the (maybe new) context and the choice."""
    while True:
        dialog = FirstRunDialog(parent)
        dialog.exec()
        choice = dialog.choice()
        if choice != JOIN:
            return context, choice
        try:
            return join_group_from_gui(context, dialog.join_box.folder(), dialog.join_box.passphrase()), JOIN
        except JoinFailed as failed:
            context, reason = failed.context, failed.reason
            message = reason.message if isinstance(reason, PeerSupportError) else str(reason)
            QMessageBox.warning(parent, _("Peer Support"),
                                _("This laptop could not join the group: %(reason)s") % {"reason": message})
