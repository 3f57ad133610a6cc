"""The one path of a change in the GUI: run it, push it for undo, tell the pages that show it."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtGui import QUndoStack

from peer_support.domain.changes import Kind
from peer_support.domain.families import FamilyDraft
from peer_support.services.families import save_new_family
from peer_support.services.settings import get_group_settings, save_group_settings
from peer_support.ui.main_window import MainWindow
from peer_support.ui.ops import run_change
from peer_support.ui.signals import signals

pytestmark = pytest.mark.gui


def test_a_change_is_one_undo_step_and_reaches_only_pages_that_show_its_kind(qtbot, context, monkeypatch):
    window = MainWindow(context)
    qtbot.addWidget(window)
    for key in ("families", "settings"):
        window.show_area(key)
    reloaded = []
    for key in ("families", "settings"):
        monkeypatch.setattr(window._pages[key], "reload", lambda kinds=None, key=key: reloaded.append((key, kinds)))
    heard = []
    signals.data_changed.connect(heard.append)
    try:
        wanted = replace(get_group_settings(context), group_name="Margate Parents Together")
        saved = run_change(window, context, window.undo_stack, lambda: save_group_settings(context, wanted),
                           "Change group settings")
    finally:
        signals.data_changed.disconnect(heard.append)
    assert saved is not None and saved.record.group_name == "Margate Parents Together"
    assert heard == [frozenset({Kind.SETTINGS})]
    assert reloaded == [("settings", frozenset({Kind.SETTINGS}))]  # the families page does not show settings
    assert window.undo_stack.count() == 1 and window.undo_stack.undoText() == "Change group settings"
    window.undo_stack.undo()
    assert get_group_settings(context).group_name == ""


def test_a_refused_change_is_shown_and_not_pushed(qtbot, context, message_boxes):
    stack = QUndoStack()
    assert run_change(None, context, stack, lambda: save_new_family(context, FamilyDraft(name=" ")), "Add") is None
    assert stack.count() == 0 and message_boxes
