"""The Data and privacy page and the start-up/session hooks, driven through real widgets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QMessageBox, QPushButton, QTableView

from peer_support.context import open_context
from peer_support.domain.families import FamilyDraft
from peer_support.services.backups import auto_backup, list_backups
from peer_support.services.families import create_family, get_family, search_families
from peer_support.services.users import list_users
from peer_support.ui.main_window import MainWindow
from peer_support.ui.signals import signals
from peer_support.ui.trust import create_page, dialogs, session
from peer_support.ui.trust import settings as trust_settings
from peer_support.storage.recovery import DamagedDatabaseError

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot, context):
    create_family(context, FamilyDraft(name="Maja Kowalska", phone="07700 900123"))
    widget = create_page(context, _UndoStack())
    qtbot.addWidget(widget)
    widget.show()
    return widget


class _UndoStack(QUndoStack):
    cleared = False

    def clear(self):
        self.cleared = True
        super().clear()


def test_back_up_now_adds_a_backup_to_the_list(qtbot, page, context):
    view = page.findChild(QTableView, "backups")
    before = view.model().rowCount()
    qtbot.mouseClick(page.findChild(QPushButton, "back_up_now"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.model().rowCount() == before + 1, timeout=10_000)
    assert len(list_backups(context)) == before + 1


def test_restore_shows_a_preview_then_restores(qtbot, page, context, monkeypatch):
    backup = auto_backup(context, force=True).path
    create_family(context, FamilyDraft(name="Added Later"))
    page.reload(set())
    seen = {}

    def accept(dialog):
        seen["text"] = dialog.findChild(QLabel, "preview").text()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs.RestorePreviewDialog, "exec", accept)
    view = page.findChild(QTableView, "backups")
    row = page.backups_model.keys.index(backup)
    view.selectRow(row)
    qtbot.mouseClick(page.findChild(QPushButton, "restore_selected"), Qt.MouseButton.LeftButton)
    assert "1 family" in seen["text"]
    qtbot.waitUntil(lambda: any(p.name.startswith("before-restore-") for p in page.backups_model.keys),
                    timeout=10_000)
    assert [f.name for f in search_families(context)] == ["Maja Kowalska"]
    assert page._undo_stack.cleared


def test_restoring_a_backup_from_before_an_erasure_says_it_erased_again(qtbot, page, context, monkeypatch):
    from peer_support.services.privacy import erase_family

    backup = auto_backup(context, force=True).path
    reference = search_families(context)[0].reference
    erase_family(context, reference)
    page.reload(set())
    told = {}
    monkeypatch.setattr(dialogs.RestorePreviewDialog, "exec", lambda dialog: QDialog.DialogCode.Accepted)
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: told.update(text=text))
    page.findChild(QTableView, "backups").selectRow(page.backups_model.keys.index(backup))
    qtbot.mouseClick(page.findChild(QPushButton, "restore_selected"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "text" in told, timeout=10_000)
    assert reference in told["text"] and "erased again" in told["text"].lower()
    family = get_family(context, reference)
    assert (family.name, family.phone) == ("", "")


def test_erase_needs_the_reference_typed(qtbot, page, context, monkeypatch):
    reference = search_families(context)[0].reference
    qtbot.keyClicks(page.findChild(QLineEdit, "reference"), reference.lower())
    checked = {}

    def confirm(dialog):
        assert not dialog.erase.isEnabled()
        qtbot.keyClicks(dialog.findChild(QLineEdit, "confirm"), reference)
        checked["enabled"] = dialog.erase.isEnabled()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs.EraseConfirmDialog, "exec", confirm)
    qtbot.mouseClick(page.findChild(QPushButton, "erase_family"), Qt.MouseButton.LeftButton)
    assert checked["enabled"]
    qtbot.waitUntil(lambda: get_family(context, reference).name == "", timeout=10_000)
    assert get_family(context, reference).phone == ""


def test_erasing_a_volunteering_parent_asks_and_lists_mentions(qtbot, sample_context, monkeypatch):
    from PySide6.QtWidgets import QCheckBox, QListWidget, QTextBrowser

    from peer_support.services.families_volunteers import list_volunteers

    context = sample_context
    other = create_family(context, FamilyDraft(name="Noor Haddad", notes="Lift with Lisa Baker on Tuesdays"))
    page = create_page(context, _UndoStack())
    qtbot.addWidget(page)
    page.show()
    qtbot.keyClicks(page.findChild(QLineEdit, "reference"), "F0001")
    seen = {}

    def confirm(dialog):
        dialog.show()
        box = dialog.findChild(QCheckBox, "also_volunteer")
        assert box.isVisible() and "V001" in box.text()
        mentions = dialog.findChild(QListWidget, "mentions")
        seen["mentions"] = [mentions.item(i).text() for i in range(mentions.count())]
        summary = dialog.findChild(QTextBrowser, "summary")
        assert "V001" not in summary.toPlainText().split("What stays")[0]
        box.setChecked(True)  # the preview follows the choice
        assert "V001" in summary.toPlainText().split("What stays")[0]
        assert "cannot be undone" in dialog.findChild(QLabel).text()
        dialog.grab().save(str(context.data_dir / "erase-dialog.png"))
        qtbot.keyClicks(dialog.findChild(QLineEdit, "confirm"), "F0001")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs.EraseConfirmDialog, "exec", confirm)
    qtbot.mouseClick(page.findChild(QPushButton, "erase_family"), Qt.MouseButton.LeftButton)
    assert len(seen["mentions"]) == 1 and other.reference in seen["mentions"][0]
    qtbot.waitUntil(lambda: get_family(context, "F0001").name == "", timeout=20_000)
    qtbot.waitUntil(lambda: [v.name for v in list_volunteers(context, include_inactive=True)
                             if v.reference == "V001"] == ["[erased]"], timeout=20_000)
    assert get_family(context, other.reference).notes == "Lift with Lisa Baker on Tuesdays"


def test_users_are_added_by_typing_and_enter(qtbot, page, context):
    edit = page.findChild(QLineEdit, "new_user")
    qtbot.keyClicks(edit, "Helen Carter")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert [u.name for u in list_users(context)] == ["Helen Carter"]
    assert page.users_model.rowCount() == 1
    assert page.audit_model.rowCount() >= 2  # adding the family and the user
    assert page._undo_stack.count() == 1 and page._undo_stack.undoText() == "Add user Helen Carter"


def test_idle_lock_hides_the_data_and_asks_who_is_there(qtbot, context, monkeypatch):
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    trust_settings.set_lock_minutes(context, 5)
    lock = session.IdleLock(window, context)
    assert lock.timer.isActive() and lock.timer.interval() == 5 * 60_000
    seen = {}

    def pick(dialog):
        seen["hidden"] = not window.centralWidget().isVisible()
        dialog.name.setCurrentText("Night Volunteer")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs.UserPickerDialog, "exec", pick)
    lock.lock()
    assert seen["hidden"] and window.centralWidget().isVisible()
    assert context.local.user == "Night Volunteer"
    assert [u.name for u in list_users(context)] == ["Night Volunteer"]


def test_damaged_data_at_start_is_offered_a_restore(qtbot, data_dir, clock, monkeypatch):
    context = open_context(data_dir, clock)
    create_family(context, FamilyDraft(name="Safe In Backup"))
    auto_backup(context, force=True)
    context.close()
    (data_dir / "peer-support.sqlite3").write_bytes(b"not a database at all" * 100)
    offered = {}

    def offer(exc, parent):
        offered["message"] = exc.message
        return "newest"

    monkeypatch.setattr(session, "_offer_recovery", offer)
    monkeypatch.setattr(QMessageBox, "information", lambda *args: None)
    reopened = session.open_with_recovery(data_dir)
    try:
        assert "not a database" in offered["message"]
        assert [f.name for f in search_families(reopened)] == ["Safe In Backup"]
        assert list((data_dir / "damaged").iterdir())
    finally:
        reopened.close()


def test_changing_the_lock_time_reaches_the_running_lock(qtbot, page, context):
    window = MainWindow(context)
    qtbot.addWidget(window)
    lock = session.IdleLock(window, context)
    spin = page.lock_minutes
    spin.setValue(0)
    assert not lock.timer.isActive()
    spin.setValue(3)
    assert lock.timer.isActive() and lock.timer.interval() == 3 * 60_000
    assert trust_settings.lock_minutes(context) == 3


def test_encrypting_from_the_page(qtbot, page, context, monkeypatch):
    def fill(dialog):
        dialog.passphrase.setText("seaside-lanterns-42")
        dialog.repeated.setText("seaside-lanterns-42")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs.PassphraseDialog, "exec", fill)
    button = page.findChild(QPushButton, "encrypt")
    assert button.isVisibleTo(page)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.findChild(QPushButton, "decrypt").isVisibleTo(page), timeout=20_000)
    assert context.db.key == "seaside-lanterns-42"
    assert not context.database_path.read_bytes().startswith(b"SQLite format 3")
    assert [f.name for f in search_families(context)] == ["Maja Kowalska"]


def test_damage_inside_the_file_is_found_after_start_up_and_told(qtbot, damaged_inside, clock, monkeypatch):
    context = open_context(damaged_inside, clock)  # opening reads only the file's start
    told = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: told.append(text))
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    try:
        session.start_session(window, context, ask=False)  # the start-up backup fails quietly: damaged
        qtbot.waitUntil(lambda: bool(told), timeout=10_000)
        assert "damaged" in told[0] and "restore" in told[0]
        # the dashboard's figures could not be read: it says so, in words, instead of failing
        assert "damaged" in window.current_page().problem.text()
    finally:
        context.close()
    with pytest.raises(DamagedDatabaseError):  # the next start offers the restore
        open_context(damaged_inside, clock)


def test_a_whole_file_says_nothing(qtbot, context, monkeypatch):
    told = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: told.append(text))
    window = MainWindow(context)
    qtbot.addWidget(window)
    check = session.WholeFileCheck(context, window)
    check.thread.join(10)
    qtbot.wait(50)  # a queued warning would be delivered here
    assert not check.thread.is_alive() and told == []


def test_the_automatic_backup_copies_in_a_thread_and_says_so_in_the_status_bar(qtbot, context, monkeypatch):
    import threading

    from peer_support.services import backups as backup_service

    create_family(context, FamilyDraft(name="Backed Up Family"))
    before = len(list_backups(context))
    copied_in = []
    real_backup = backup_service.auto_backup

    def watched(*args, **kwargs):
        copied_in.append(threading.current_thread() is threading.main_thread())
        return real_backup(*args, **kwargs)

    monkeypatch.setattr(backup_service, "auto_backup", watched)
    said = []
    signals.status_message.connect(said.append)
    window = MainWindow(context)
    qtbot.addWidget(window)
    try:
        backup = session.AutoBackup(context, window)
        backup.run()
        backup.run()  # while the first still copies: no second copy beside it
        qtbot.waitUntil(lambda: said == ["Backed up automatically."], timeout=10_000)
        assert len(list_backups(context)) == before + 1
        assert copied_in == [False]  # the window's thread never waits for the copy
        backup.run()  # nothing changed since: nothing to copy, nothing said
        backup.thread.join(10)
        qtbot.wait(50)
        assert said == ["Backed up automatically."] and len(list_backups(context)) == before + 1
    finally:
        signals.status_message.disconnect(said.append)


def test_an_automatic_backup_that_cannot_be_written_says_so(qtbot, context):
    import shutil

    create_family(context, FamilyDraft(name="Unsaved Family"))
    shutil.rmtree(context.backups_dir, ignore_errors=True)
    context.backups_dir.write_text("a file where the backups folder should be")
    said = []
    signals.status_message.connect(said.append)
    window = MainWindow(context)
    qtbot.addWidget(window)
    try:
        session.AutoBackup(context, window).run()
        qtbot.waitUntil(lambda: bool(said), timeout=10_000)
        assert said[0].startswith("Automatic backup failed")
    finally:
        signals.status_message.disconnect(said.append)
