"""The Sync area: choose the shared folder, the passphrase, sync now, and the conflicts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QListView, QListWidget, QPushButton, QTabWidget,
                               QVBoxLayout, QWidget)

from peer_support.context import AppContext
from peer_support.domain.changes import Kind
from peer_support.i18n import _, ngettext
from peer_support.i18n.formatting import format_datetime, format_number
from peer_support.services.sync import (set_passphrase, set_sync_folder, snapshot_now, sync_now,
                                        sync_status)
from peer_support.ui.errors import show_error
from peer_support.ui.ops import data_changed
from peer_support.ui.signals import signals
from peer_support.services.sync.labels import clock_warning_text
from peer_support.ui.sync.conflicts import ConflictsView
from peer_support.ui.sync.status import sync_activity
from peer_support.ui.tasks import run_task
from peer_support.ui.widgets.sync_folder import SyncFolderPicker


class SyncPage(QWidget):
    def __init__(self, context: AppContext, undo_stack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context

        intro = QLabel(_("Laptops share their changes through a folder: a USB stick passed between "
                         "them, or a folder kept in step by Syncthing, OneDrive, Dropbox or a network "
                         "share. Each laptop keeps its own database; only change files go in the folder."))
        intro.setWordWrap(True)

        self.picker = SyncFolderPicker(_("the same on every laptop of the group"), repeat=True,
                                       set_text=_("Encrypt with this passphrase"))
        self.picker.folder_chosen.connect(self.choose_folder)
        self.picker.passphrase_entered.connect(self._on_passphrase_entered)

        self.sync_button = QPushButton(_("Sync now"))
        self.sync_button.setObjectName("sync_now")
        self.sync_button.setDefault(True)
        self.sync_button.clicked.connect(self.sync_now)
        snapshot = QPushButton(_("Write a snapshot for a new laptop"))
        snapshot.setObjectName("write_snapshot")
        snapshot.clicked.connect(self._on_snapshot_clicked)
        actions = QHBoxLayout()
        actions.addWidget(self.sync_button)
        actions.addWidget(snapshot)
        actions.addStretch(1)

        self.status_label = QLabel()
        self.status_label.setObjectName("status")
        self.status_label.setWordWrap(True)
        self.problems = QListWidget()
        self.problems.setObjectName("problems")
        self.problems.setAccessibleName(_("Problems from the last sync"))
        self.problems.setWordWrap(True)  # long sentences, in every language: wrapped, never cut
        self.problems.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.problems.setResizeMode(QListView.ResizeMode.Adjust)
        self.problems.setSpacing(2)

        overview = QWidget()
        layout = QVBoxLayout(overview)
        layout.addWidget(intro)
        layout.addWidget(self.picker)
        layout.addSpacing(6)
        layout.addLayout(actions)
        layout.addWidget(self.status_label)
        layout.addWidget(QLabel(_("Problems from the last sync:")))
        layout.addWidget(self.problems, 1)

        self.conflicts = ConflictsView(context, undo_stack)
        self.tabs = QTabWidget()
        self.tabs.addTab(overview, _("Sync"))
        self.tabs.addTab(self.conflicts, _("Conflicts"))
        self.conflicts.conflicts_changed.connect(self._on_conflicts_changed)
        QVBoxLayout(self).addWidget(self.tabs)
        sync_activity().changed.connect(self._on_activity_changed)
        self.sync_button.setEnabled(not sync_activity().running)
        self.reload(set())

    # -- page protocol ------------------------------------------------------------
    def reload(self, _kinds: frozenset[Kind]) -> None:
        status = sync_status(self._context)
        self.picker.set_folder(status.folder)
        lines = [_("Last sync: %(when)s") % {"when": format_datetime(status.last_sync_at)
                                             if status.last_sync_at else _("never")}]
        if status.folder and not status.folder_reachable:
            lines.append(_("The folder cannot be reached now. Is the USB stick plugged in?"))
        lines.append(ngettext("%(count)s change not sent yet.", "%(count)s changes not sent yet.",
                              status.unsent_changes) % {"count": format_number(status.unsent_changes)})
        lines.append(ngettext("%(count)s file waiting to be applied.", "%(count)s files waiting to be applied.",
                              status.files_waiting) % {"count": format_number(status.files_waiting)})
        lines.append(_("Sync files are encrypted.") if status.encrypted else _("Sync files are not encrypted."))
        self.status_label.setText("\n".join(lines))
        self.problems.clear()
        self.problems.addItems([p.message for p in status.problems]
                               + [clock_warning_text(w) for w in status.clocks_ahead] or [_("None.")])
        self.conflicts.reload()

    def show_item(self, ref: str) -> None:
        self.tabs.setCurrentWidget(self.conflicts)

    # -- actions ------------------------------------------------------------------
    def sync_now(self) -> None:
        if not sync_activity().begin():
            signals.status_message.emit(_("A sync is already running on this laptop. Wait for it to finish, "
                                          "then try again."))
            return
        run_task(self, lambda progress: sync_now(self._context, None, progress), self._on_synced,
                 on_error=self._on_sync_failed, label=_("Syncing with the other laptops…"))

    def _on_synced(self, report) -> None:
        sync_activity().end()
        data_changed(report.kinds | {Kind.SYNC})
        self.reload(set())
        signals.status_message.emit(
            ngettext("Sync done: %(count)s change received.", "Sync done: %(count)s changes received.",
                     report.changes_applied) % {"count": format_number(report.changes_applied)})

    def _on_sync_failed(self, exc: BaseException) -> None:
        sync_activity().end()
        show_error(self, exc)
        self.reload(set())

    def _on_activity_changed(self, running: bool) -> None:
        self.sync_button.setEnabled(not running)

    def choose_folder(self, path: str) -> None:
        try:
            set_sync_folder(self._context, path)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            show_error(self, exc)
        self.reload(set())

    def _on_passphrase_entered(self, passphrase: str) -> None:
        try:
            set_passphrase(self._context, passphrase)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            show_error(self, exc)
            return
        self.picker.clear_passphrase()
        self.reload(set())

    def _on_snapshot_clicked(self) -> None:
        run_task(self, lambda progress: snapshot_now(self._context),
                 lambda path: signals.status_message.emit(_("Snapshot written: %(file)s") % {"file": path}),
                 label=_("Writing a snapshot…"))

    def _on_conflicts_changed(self, count: int) -> None:
        self.tabs.setTabText(1, _("Conflicts (%(count)s)") % {"count": format_number(count)} if count else _("Conflicts"))
