"""The one path of a change in the GUI: run it, push it for undo, tell the pages that show it."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QUndoStack

from peer_support.domain.changes import Kind
from peer_support.domain.families import FamilyDraft
from peer_support.services.families import save_new_family, search_families
from peer_support.ui.main_window import MainWindow
from peer_support.ui.ops import run_change
from peer_support.ui.signals import signals

pytestmark = pytest.mark.gui


def test_a_change_is_one_undo_step_and_reaches_only_pages_that_show_its_kind(qtbot, context, monkeypatch):
    window = MainWindow(context)
    qtbot.addWidget(window)
    for key in ("families", "settings"):
        window.show_area(key)
    families, settings = window._pages["families"], window._pages["settings"]
    reloaded = []
    monkeypatch.setattr(families, "reload", lambda kinds=None: reloaded.append(("families", kinds)))
    monkeypatch.setattr(settings, "reload", lambda kinds=None: reloaded.append(("settings", kinds)))
    heard = []
    signals.data_changed.connect(heard.append)
    try:
        saved = run_change(window, context, window.undo_stack,
                           lambda: save_new_family(context, FamilyDraft(name="Ann Smith")), "Add family")
    finally:
        signals.data_changed.disconnect(heard.append)
    assert saved is not None and saved.record.name == "Ann Smith"
    assert heard == [frozenset({Kind.FAMILY})]
    assert reloaded == [("families", frozenset({Kind.FAMILY}))]
    assert window.undo_stack.count() == 1 and window.undo_stack.undoText() == "Add family"
    window.undo_stack.undo()
    assert search_families(context) == []


def test_a_refused_change_is_shown_and_not_pushed(qtbot, context, message_boxes):
    stack = QUndoStack()
    assert run_change(None, context, stack, lambda: save_new_family(context, FamilyDraft(name=" ")), "Add") is None
    assert stack.count() == 0 and message_boxes
