"""Start-up and the running session: passphrase, recovery offer, who is using the app,
automatic backups every few minutes, and the lock after idle time."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow, QMessageBox, QWidget

from peer_support.context import AppContext, open_context
from peer_support.domain.changes import Kind
from peer_support.errors import PeerSupportError
from peer_support.i18n import _
from peer_support.services import backups as backup_service
from peer_support.services import encryption as encryption_service
from peer_support.services import access, users
from peer_support.storage.encryption import PassphraseError
from peer_support.storage.recovery import DamagedDatabaseError
from peer_support.ui.ops import data_changed
from peer_support.ui.signals import signals
from peer_support.ui.trust import settings as trust_settings
from peer_support.ui.trust.dialogs import PassphraseDialog, UserPickerDialog

log = logging.getLogger(__name__)


def _offer_recovery(exc: DamagedDatabaseError, parent: QWidget | None):
    """'newest', a chosen file path, or None to give up."""
    from PySide6.QtWidgets import QFileDialog

    box = QMessageBox(QMessageBox.Icon.Warning, _("Peer Support"), exc.message, parent=parent)
    newest = box.addButton(_("Restore the newest backup"), QMessageBox.ButtonRole.AcceptRole)
    choose = box.addButton(_("Choose a backup file…"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(_("Quit"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(newest)
    box.exec()
    if box.clickedButton() is newest:
        return "newest"
    if box.clickedButton() is choose:
        path, _filter = QFileDialog.getOpenFileName(parent, _("Choose a backup"), "",
                                                    _("Peer Support backups (*.sqlite3)"))
        return path or None
    return None


def open_with_recovery(data_dir, parent: QWidget | None = None) -> AppContext | None:
    """Open the data folder, asking for the passphrase and offering to restore damaged data.

    Returns None when the user gives up (every problem has been shown).
    """
    passphrase = None
    while True:
        try:
            return open_context(data_dir, passphrase=passphrase)
        except PassphraseError as exc:
            dialog = PassphraseDialog(exc.message, parent=parent)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            passphrase = dialog.passphrase.text()
        except DamagedDatabaseError as exc:
            choice = _offer_recovery(exc, parent)
            if choice is None:
                return None
            try:
                result = backup_service.recover_folder(data_dir, None if choice == "newest" else choice,
                                                       passphrase)
            except PeerSupportError as error:
                QMessageBox.critical(parent, _("Peer Support"), error.message)
                return None
            message = (_("The backup %(file)s was restored. The damaged file is kept in %(path)s.")
                       % {"file": result.restored.name, "path": result.safety_copy})
            if result.erasures_reapplied:
                message += "\n\n" + result.erased_again()
            QMessageBox.information(parent, _("Peer Support"), message)
        except PeerSupportError as exc:
            QMessageBox.critical(parent, _("Peer Support"), exc.message)
            return None


def ask_user(context: AppContext, parent: QWidget | None = None, message: str = "") -> None:
    """Ask who is using the app and remember it on this laptop."""
    while True:
        dialog = UserPickerDialog([u.name for u in users.list_users(context)], context.local.user,
                                  message, parent)
        dialog.exec()
        name = dialog.chosen() or context.actor()
        try:
            if any(u.name.lower() == name.lower() for u in users.list_users(context)):
                access.sign_in(context, name, dialog.chosen_pin(), remember=True)
            else:  # a new person starts as a volunteer (the very first as a lead)
                users.choose_user(context, name)
            data_changed({Kind.USER})
            return
        except PeerSupportError as exc:
            QMessageBox.warning(parent, _("Peer Support"), exc.message)
            message = exc.message


class AutoBackup(QObject):
    """A backup at start-up and every few minutes while the data changes.

    It copies in a thread: at 50,000 families the file is hundreds of megabytes, seconds in
    which the window would not answer. Failures show in the status bar, never as a dialog in
    the middle of typing.
    """

    finished = Signal(str)  # what to say in the status bar ("" when nothing changed)

    def __init__(self, context: AppContext, parent: QObject | None = None,
                 minutes: int = backup_service.AUTO_INTERVAL_MINUTES) -> None:
        super().__init__(parent)
        self._context = context
        self.thread: threading.Thread | None = None
        self.finished.connect(self._report)  # queued: emitted from the copying thread
        self.timer = QTimer(self)
        self.timer.setInterval(minutes * 60_000)
        self.timer.timeout.connect(self.run)
        self.timer.start()

    def run(self) -> None:
        if self.thread is not None and self.thread.is_alive():
            return  # the last one is still copying
        self.thread = threading.Thread(target=self._back_up, name="peer-support-backup", daemon=True)
        self.thread.start()

    def _back_up(self) -> None:
        try:
            record = backup_service.auto_backup(self._context)
            message = _("Backed up automatically.") if record is not None else ""
        except PeerSupportError as exc:
            message = _("Automatic backup failed: %(reason)s") % {"reason": exc.message}
        except Exception:  # e.g. the data closed under it as the app quits
            log.exception("automatic backup")
            message = _("Automatic backup failed: %(reason)s") % {"reason": _("see the log file")}
        try:
            self.finished.emit(message)
        except RuntimeError:  # the window closed meanwhile
            pass

    def _report(self, message: str) -> None:
        if message:
            signals.status_message.emit(message)


class WholeFileCheck(QObject):
    """SQLite's check of every page of the data file, in a thread once the window is up: opening
    the folder read only the file's start (storage/recovery.py), as at 50,000 families the whole
    file takes seconds from an old laptop's disk. Damage found is shown; the next start offers
    to restore the newest backup."""

    damaged = Signal()

    def __init__(self, context: AppContext, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self.damaged.connect(self._tell)  # queued: emitted from the checking thread
        self.thread = threading.Thread(target=self._run, args=(context,), name="peer-support-file-check",
                                       daemon=True)
        self.thread.start()

    def _run(self, context: AppContext) -> None:
        try:
            whole = backup_service.file_is_whole(context)
        except PeerSupportError:  # the file went away or cannot be read: the next opening says so
            return
        if not whole:
            try:
                self.damaged.emit()
            except RuntimeError:  # the window closed meanwhile; the next opening still knows
                pass

    def _tell(self) -> None:
        QMessageBox.warning(self._window, _("Peer Support"),
                            _("The data file is damaged inside. Close Peer Support and open it again: it will "
                              "keep the damaged file aside and offer to restore the newest backup."))


_INPUT_EVENTS = {QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove,
                 QEvent.Type.Wheel, QEvent.Type.TouchBegin}


class IdleLock(QObject):
    """Hide the data after idle minutes; unlock with the passphrase (encrypted) or by saying who you are."""

    def __init__(self, window: QMainWindow, context: AppContext) -> None:
        super().__init__(window)
        self._window = window
        self._context = context
        self.locked = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.lock)
        self.minutes = trust_settings.lock_minutes(context)
        listener = self.set_minutes
        trust_settings.lock_minutes_changed.append(listener)
        self.destroyed.connect(lambda: trust_settings.lock_minutes_changed.remove(listener))
        QApplication.instance().installEventFilter(self)
        self.restart()

    def set_minutes(self, minutes: int) -> None:
        self.minutes = minutes
        self.restart()

    def restart(self) -> None:
        if self.minutes <= 0:
            self.timer.stop()
            return
        self.timer.start(self.minutes * 60_000)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt API
        # Every key press and mouse move passes here: keep it cheap.
        if not self.locked and self.minutes > 0 and event.type() in _INPUT_EVENTS:
            self.timer.start()
        return False

    def lock(self) -> None:
        if self.locked:
            return
        self.locked = True
        central = self._window.centralWidget()
        central.setVisible(False)
        self._window.menuBar().setEnabled(False)
        try:
            self._unlock()
        finally:
            central.setVisible(True)
            self._window.menuBar().setEnabled(True)
            self.locked = False
            self.restart()

    def _unlock(self) -> None:
        message = _("Peer Support was locked because nobody used it for a while.")
        while encryption_service.is_encrypted(self._context):
            dialog = PassphraseDialog(message + " " + _("Enter the passphrase to go on."), parent=self._window)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                QApplication.instance().quit()  # everything is saved already
                return
            if encryption_service.unlock_check(self._context, dialog.passphrase.text()):
                return
            message = _("The passphrase is not right for this data.")
        ask_user(self._context, self._window, message + " " + _("Who is using it now?"))
        data_changed({Kind.USER})


def start_session(window: QMainWindow, context: AppContext, ask: bool = True) -> None:
    """After the window shows: who is using it, the start-up backup, the timers."""
    if ask:
        ask_user(context, window)
    window._trust_backup = AutoBackup(context, window)  # kept alive by the window
    window._trust_backup.run()
    window._file_check = WholeFileCheck(context, window)
    window._trust_lock = IdleLock(window, context)
