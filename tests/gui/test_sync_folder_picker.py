"""The one sync folder and passphrase form, in the first-start dialog and the Sync area."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QFileDialog, QLineEdit, QPushButton

from peer_support.services.sync import sync_status
from peer_support.ui.widgets.sync_folder import SyncFolderPicker

pytestmark = pytest.mark.gui


def test_the_form_alone_reads_a_typed_folder_and_a_choice_from_the_folder_dialog(qtbot, tmp_path, monkeypatch):
    picker = SyncFolderPicker("hint")
    qtbot.addWidget(picker)
    assert picker.repeat_edit is None and picker.set_button is None
    assert picker.passphrase_edit.placeholderText() == "hint"
    assert picker.passphrase_edit.echoMode() == QLineEdit.EchoMode.Password
    chosen = []
    picker.folder_chosen.connect(chosen.append)
    qtbot.keyClick(picker.folder_edit, Qt.Key.Key_Return)  # nothing typed: nothing chosen
    assert chosen == []
    qtbot.keyClicks(picker.folder_edit, f"  {tmp_path}  ")
    qtbot.keyClick(picker.folder_edit, Qt.Key.Key_Return)
    assert chosen == [str(tmp_path)] and picker.folder() == str(tmp_path)
    stick = tmp_path / "stick"
    asked = []
    monkeypatch.setattr(QFileDialog, "getExistingDirectory",
                        lambda parent, title, start: asked.append(start) or str(stick))
    qtbot.mouseClick(picker.browse, Qt.MouseButton.LeftButton)
    assert asked == [str(tmp_path)]  # the dialog opens where the field points
    assert chosen[-1] == str(stick) and picker.folder_edit.text() == str(stick)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda parent, title, start: "")
    qtbot.mouseClick(picker.browse, Qt.MouseButton.LeftButton)  # cancelled: the folder stays
    assert picker.folder() == str(stick) and len(chosen) == 2
    qtbot.keyClicks(picker.passphrase_edit, "whatever I type")
    assert picker.passphrase() == "whatever I type"  # asked once: nothing to compare


def test_a_repeated_passphrase_that_differs_is_an_error_and_nothing_is_sent(qtbot, message_boxes):
    picker = SyncFolderPicker("hint", repeat=True, set_text="Encrypt")
    qtbot.addWidget(picker)
    entered = []
    picker.passphrase_entered.connect(entered.append)
    qtbot.keyClicks(picker.passphrase_edit, "correct horse battery")
    qtbot.keyClicks(picker.repeat_edit, "correct horse batery")
    qtbot.mouseClick(picker.set_button, Qt.MouseButton.LeftButton)
    assert entered == []
    assert message_boxes == [("warning", "The two passphrases are not the same.")]
    assert picker.passphrase_edit.text() == "correct horse battery"  # kept to correct
    picker.repeat_edit.clear()
    qtbot.keyClicks(picker.repeat_edit, "correct horse battery")
    qtbot.keyClick(picker.repeat_edit, Qt.Key.Key_Return)
    assert entered == ["correct horse battery"]
    picker.clear_passphrase()
    assert picker.passphrase_edit.text() == picker.repeat_edit.text() == ""


def test_the_sync_area_sets_a_typed_folder_and_a_passphrase_typed_twice(qtbot, context, tmp_path, message_boxes):
    from peer_support.ui.sync import create_page

    page = create_page(context, QUndoStack())
    qtbot.addWidget(page)
    page.show()
    shared = tmp_path / "stick"
    shared.mkdir()
    folder = page.findChild(QLineEdit, "folder")
    assert folder.text() == "" and not folder.isReadOnly()
    qtbot.keyClicks(folder, str(shared))
    qtbot.keyClick(folder, Qt.Key.Key_Return)
    assert sync_status(context).folder == str(shared)
    assert page.findChild(QLineEdit, "folder").text() == str(shared)

    passphrase = page.findChild(QLineEdit, "passphrase")
    repeat = page.findChild(QLineEdit, "repeat_passphrase")
    qtbot.keyClicks(passphrase, "seaside group 2026")
    qtbot.keyClicks(repeat, "seaside group 2062")
    qtbot.mouseClick(page.findChild(QPushButton, "set_passphrase"), Qt.MouseButton.LeftButton)
    assert message_boxes[-1] == ("warning", "The two passphrases are not the same.")
    assert not sync_status(context).encrypted
    repeat.clear()
    qtbot.keyClicks(repeat, "seaside group 2026")
    qtbot.mouseClick(page.findChild(QPushButton, "set_passphrase"), Qt.MouseButton.LeftButton)
    assert sync_status(context).encrypted
    assert passphrase.text() == repeat.text() == ""  # not left on screen
    assert "Sync files are encrypted." in page.status_label.text()
    assert len(message_boxes) == 1


def test_the_sync_area_refuses_its_own_data_folder_typed_in_and_keeps_the_saved_one(qtbot, context, tmp_path,
                                                                                  message_boxes):
    from peer_support.services.sync import set_sync_folder
    from peer_support.ui.sync import create_page

    shared = tmp_path / "stick"
    shared.mkdir()
    set_sync_folder(context, shared)
    page = create_page(context, QUndoStack())
    qtbot.addWidget(page)
    folder = page.findChild(QLineEdit, "folder")
    folder.clear()
    qtbot.keyClicks(folder, str(context.data_dir))
    qtbot.keyClick(folder, Qt.Key.Key_Return)
    assert "separate" in message_boxes[-1][1]
    assert sync_status(context).folder == str(shared) and folder.text() == str(shared)


def test_the_first_start_dialog_joins_with_the_same_form(qtbot, tmp_path, message_boxes):
    from peer_support.ui.first_run import JOIN, FirstRunDialog

    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    picker = dialog.findChild(SyncFolderPicker)
    assert picker is dialog.join_box and not picker.isEnabled()
    assert picker.repeat_edit is None and picker.set_button is None  # a wrong one is refused by the group
    dialog.join.setChecked(True)
    dialog._on_start()
    assert message_boxes == [("warning", "Choose the sync folder the other laptops use.")]
    assert dialog.result() == 0
    qtbot.keyClicks(picker.folder_edit, str(tmp_path))
    qtbot.keyClicks(picker.passphrase_edit, "seaside group 2026")
    dialog._on_start()
    assert dialog.result() == 1 and dialog.choice() == JOIN
    assert (picker.folder(), picker.passphrase()) == (str(tmp_path), "seaside group 2026")


@pytest.mark.parametrize("language", ["en", "da", "de", "pl"])
def test_the_first_start_dialog_shows_each_choice_and_the_passphrase_hint_in_full(qtbot, language):
    from peer_support import i18n
    from peer_support.ui.first_run import FirstRunDialog

    i18n.set_language(language)
    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    dialog.join.setChecked(True)
    dialog.show()
    qtbot.waitExposed(dialog)
    for button in (dialog.sample, dialog.empty, dialog.join):
        assert button.width() >= button.sizeHint().width(), button.text()
    edit = dialog.join_box.passphrase_edit
    assert edit.fontMetrics().horizontalAdvance(edit.placeholderText()) < edit.width() - 8, edit.placeholderText()
