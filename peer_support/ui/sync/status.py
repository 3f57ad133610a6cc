"""Sync in the status bar, and syncing by itself: at start, every few minutes, at quit.

``install_status_widget(main_window, context)`` adds a button to the status
bar (last sync, files waiting, open conflicts; a click opens the Sync area)
and starts the automatic sync. Automatic syncs run off the GUI thread and
stay quiet: a problem shows in the button and the Sync area, never as a
pop-up in the middle of someone's typing.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMainWindow, QToolButton, QWidget

from peer_support.context import AppContext
from peer_support.i18n import _, ngettext
from peer_support.i18n.formatting import format_time
from peer_support.services.sync import configured_folder, send_now, sync_now, sync_status
from peer_support.ui.ops import data_changed
from peer_support.ui.signals import signals

AUTO_SYNC_MS = 5 * 60 * 1000
FIRST_SYNC_MS = 3000


class SyncActivity(QObject):
    """The GUI's side of "one sync at a time": the Sync button and the timer ask here first
    (the service also holds a lock, so a second sync could never run anyway)."""

    changed = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self.running = False

    def begin(self) -> bool:
        if self.running:
            return False
        self.running = True
        self.changed.emit(True)
        return True

    def end(self) -> None:
        if self.running:
            self.running = False
            self.changed.emit(False)


_activity: SyncActivity | None = None


def sync_activity() -> SyncActivity:
    global _activity
    if _activity is None:
        _activity = SyncActivity()
    return _activity


def status_text(status) -> str:
    if not status.folder:
        return _("Sync: off")
    if not status.folder_reachable:
        return _("Sync folder not reachable")
    parts = [_("Synced %(time)s") % {"time": format_time(status.last_sync_at)} if status.last_sync_at
             else _("Not synced yet")]
    if status.files_waiting:
        parts.append(ngettext("%(count)d file waiting", "%(count)d files waiting", status.files_waiting)
                     % {"count": status.files_waiting})
    if status.open_conflicts:
        parts.append(ngettext("%(count)d conflict", "%(count)d conflicts", status.open_conflicts)
                     % {"count": status.open_conflicts})
    if status.problems or status.clocks_ahead:
        parts.append(_("problems: see Sync"))
    return " · ".join(parts)


class _Signals(QObject):
    finished = Signal(object)
    failed = Signal(object)


class _SyncRunnable(QRunnable):
    def __init__(self, context: AppContext, relay: _Signals) -> None:
        super().__init__()
        self._context, self._relay = context, relay

    def run(self) -> None:
        try:
            self._relay.finished.emit(sync_now(self._context))
        except BaseException as exc:  # shown quietly in the status bar
            self._relay.failed.emit(exc)


class SyncStatusButton(QToolButton):
    """The status-bar button; also runs the automatic syncs."""

    synced = Signal(object)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync_status")
        self.setAutoRaise(True)
        self._context = context
        self._relay = _Signals(self)
        self._relay.finished.connect(self._on_finished)
        self._relay.failed.connect(self._on_failed)
        self.clicked.connect(lambda: signals.navigate_requested.emit("sync", ""))
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.sync_in_background)
        self._timer.start(AUTO_SYNC_MS)
        QTimer.singleShot(FIRST_SYNC_MS, self.sync_in_background)
        # Bound methods, not lambdas: Qt disconnects them when this button is deleted.
        signals.data_changed.connect(self._on_data_changed)
        self.refresh()

    def _on_data_changed(self, _kinds: frozenset) -> None:
        self.refresh()

    def send_before_quit(self) -> None:
        """The last edits leave with the laptop: write them to the folder if it is there
        (after a sync still running, which the service waits for)."""
        try:
            send_now(self._context)
        except Exception:  # noqa: BLE001 - quitting must never be blocked by a missing stick
            pass

    def refresh(self) -> None:
        try:
            status = sync_status(self._context)
        except Exception:  # noqa: BLE001 - the status bar must never break the window
            self.setText(_("Sync: status unknown"))
            return
        self.setText(status_text(status))
        self.setToolTip(_("Sync folder: %(folder)s") % {"folder": status.folder} if status.folder
                        else _("Choose a sync folder in the Sync area to share data with other laptops."))

    def sync_in_background(self) -> None:
        folder = configured_folder(self._context)
        if folder is None or not folder.is_dir() or not sync_activity().begin():
            self.refresh()
            return
        self.setText(_("Syncing…"))
        QThreadPool.globalInstance().start(_SyncRunnable(self._context, self._relay))

    def _on_finished(self, report) -> None:
        sync_activity().end()
        if report.kinds:
            data_changed(report.kinds)
        self.refresh()
        self.synced.emit(report)

    def _on_failed(self, exc: BaseException) -> None:
        sync_activity().end()
        self.refresh()
        signals.status_message.emit(str(exc))


def install_status_widget(main_window: QMainWindow, context: AppContext) -> SyncStatusButton:
    """Add the sync button to ``main_window``'s status bar and start automatic syncing."""
    button = SyncStatusButton(context, main_window)
    main_window.statusBar().addPermanentWidget(button)
    app = QApplication.instance()
    if app is not None:
        app.aboutToQuit.connect(button.send_before_quit)
    return button
