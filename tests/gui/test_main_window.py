"""The main window: navigation, menus, settings form, undo, remembered geometry."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QPushButton

from peer_support.services.settings import get_group_settings
from peer_support.ui.main_window import MainWindow
from peer_support.ui.pages import AREAS

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot, context):
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    return window


def test_every_area_can_be_reached_with_ctrl_number(qtbot, window):
    for number, area in enumerate(AREAS, start=1):
        qtbot.keyClick(window, Qt.Key.Key_0 + number % 10, Qt.KeyboardModifier.ControlModifier)
        assert window.nav.currentRow() == number - 1
        assert window.current_page() is not None


def test_settings_are_saved_by_typing_and_undone_with_ctrl_z(qtbot, window, context):
    window.show_area("settings")
    page = window.current_page()
    name = page.findChild(QLineEdit, "group_name")
    qtbot.keyClicks(name, "Margate Parents Together")
    qtbot.keyClick(name, Qt.Key.Key_Return)
    assert get_group_settings(context).group_name == "Margate Parents Together"
    assert "Margate Parents Together" in window.windowTitle()
    window.activateWindow()
    window.nav.setFocus()  # in a text field Ctrl+Z undoes typing, as everywhere
    qtbot.waitUntil(window.nav.hasFocus)
    qtbot.keyClick(window.nav, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.undo_stack.index() == 0
    assert get_group_settings(context).group_name == ""
    assert name.text() == ""
    qtbot.keyClick(window.nav, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert get_group_settings(context).group_name == "Margate Parents Together"


def test_a_bad_web_address_is_explained_and_not_saved(qtbot, window, context, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    window.show_area("settings")
    page = window.current_page()
    page.findChild(QLineEdit, "signup_url").setText("not a url")
    qtbot.mouseClick(page.findChild(QPushButton, "save"), Qt.MouseButton.LeftButton)
    assert shown and "not a web address" in shown[0]
    assert get_group_settings(context).signup_url == ""


def test_window_geometry_is_remembered(qtbot, context):
    first = MainWindow(context)
    qtbot.addWidget(first)
    first.show()
    first.resize(700, 500)  # within the offscreen screen (800x600)
    first.close()
    second = MainWindow(context)
    qtbot.addWidget(second)
    assert (second.width(), second.height()) == (700, 500)


def test_menus_are_translated(qtbot, context):
    from peer_support import i18n

    i18n.set_language("pl")
    window = MainWindow(context)
    qtbot.addWidget(window)
    titles = [action.text() for action in window.menuBar().actions()]
    assert "&File" not in titles and len(titles) == 4


def test_about_names_the_data_folder(context):
    from peer_support.ui.about import about_text

    assert str(context.data_dir) in about_text(context)


def test_redo_keys_are_each_bound_once_and_work(qtbot, window, context):
    from peer_support.ui.main_window import redo_shortcuts

    keys = [key.toString() for key in redo_shortcuts()]
    assert "Ctrl+Y" in keys and "Ctrl+Shift+Z" in keys and len(keys) == len(set(keys))
    window.show_area("settings")
    name = window.current_page().findChild(QLineEdit, "group_name")
    qtbot.keyClicks(name, "Margate")
    save = [b for b in window.current_page().findChildren(QPushButton) if b.objectName() == "save"]
    qtbot.mouseClick(save[0], Qt.MouseButton.LeftButton)
    assert get_group_settings(context).group_name == "Margate"
    for redo in ("Ctrl+Y", "Ctrl+Shift+Z"):
        qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert get_group_settings(context).group_name == ""
        key = Qt.Key.Key_Y if redo == "Ctrl+Y" else Qt.Key.Key_Z
        modifiers = Qt.KeyboardModifier.ControlModifier | (
            Qt.KeyboardModifier.ShiftModifier if redo == "Ctrl+Shift+Z" else Qt.KeyboardModifier.NoModifier)
        qtbot.keyClick(window, key, modifiers)
        assert get_group_settings(context).group_name == "Margate", redo


def test_unsaved_edits_are_asked_about_before_another_page_or_quitting(qtbot, window, answer_boxes):
    window.show_area("meetings")
    meetings = window.current_page()
    meetings.new_item()
    meetings.details.topic_edit.setText("Half-typed topic")
    asked = answer_boxes("Cancel")
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert asked and window.current_page() is meetings and window.nav.currentRow() == 2
    assert not window.close()  # Ctrl+Q: the same question; Cancel keeps the window and the text
    assert meetings.details.topic_edit.text() == "Half-typed topic"
    answer_boxes("Discard")
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.nav.currentRow() == 1


@pytest.mark.parametrize("language", ["en", "pl"])
def test_f1_opens_help_for_the_page_on_screen_in_the_ui_language(qtbot, context, monkeypatch, language):
    from peer_support import i18n
    from peer_support.ui.help import HelpDialog

    i18n.set_language(language)
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    shown = []
    monkeypatch.setattr(HelpDialog, "exec", lambda dialog: shown.append(dialog.page.toPlainText()) or 0)
    window.show_area("packs")
    qtbot.keyClick(window, Qt.Key.Key_F1)
    expected = {"en": "Log pack deliveries", "pl": i18n._("Log pack deliveries")}[language]
    assert shown and shown[0].startswith(expected)
    if language == "pl":
        assert expected != "Log pack deliveries"
    window.show_area("meetings")
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert i18n._("Take the register at a meeting") in shown[1]
    help_menu = [a.menu() for a in window.menuBar().actions() if a.menu() and window.help_action in a.menu().actions()]
    assert help_menu and len(help_menu[0].actions()) >= 3  # help for this page, topics, about
