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


def _families_page_hearing(qtbot, context, monkeypatch):
    """A main window on the Families page; returns it and the kinds the page was reloaded for."""
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show_area("families")
    page = window._pages["families"]
    reloaded: list[frozenset[Kind]] = []
    original = page.reload
    monkeypatch.setattr(page, "reload", lambda kinds=None: (reloaded.append(kinds), original(kinds)))
    return window, page, reloaded


def test_a_merge_in_the_families_page_is_one_undo_step_and_the_page_reloads_for_the_kinds_heard(
        qtbot, context, monkeypatch):
    from peer_support.services.families import create_family, search_families
    from peer_support.ui.families.merge_dialog import MergeDialog

    create_family(context, FamilyDraft(name="Anna Nowak", phone="07700 900001"))
    create_family(context, FamilyDraft(name="A. Nowak", email="anna@example.org"))
    window, page, reloaded = _families_page_hearing(qtbot, context, monkeypatch)
    page.reload(None)
    reloaded.clear()
    page.view.selectAll()
    assert page.selected_references() == ["F0001", "F0002"]

    def merge(dialog):
        dialog.merge_button.click()
        return dialog.result()

    monkeypatch.setattr(MergeDialog, "exec", merge)
    page.merge_selected()
    assert [f.reference for f in search_families(context)] == ["F0001"]
    assert len(reloaded) == 1 and Kind.FAMILY in reloaded[0]  # once, through the announcement
    assert page.model.rowCount() == 1
    assert window.undo_stack.count() == 1 and window.undo_stack.undoText() == "Merge family F0002 into F0001"
    window.undo_stack.undo()
    assert [f.reference for f in search_families(context)] == ["F0001", "F0002"]
    assert page.model.rowCount() == 2


def test_an_import_in_the_families_page_is_one_undo_step_and_the_page_reloads_for_the_kinds_heard(
        qtbot, context, monkeypatch, tmp_path, answer_boxes):
    from peer_support.services.families import search_families
    from peer_support.ui.families.import_dialog import ImportDialog

    path = tmp_path / "in.csv"
    path.write_text("Name;Postcode\nMette Jensen;CT9 1AB\nJo Baker;CT9 2CD\n", encoding="utf-8")
    window, page, reloaded = _families_page_hearing(qtbot, context, monkeypatch)

    def import_all(dialog):
        dialog._on_import_clicked()
        qtbot.waitUntil(lambda: dialog.saved is not None, timeout=10_000)
        return 1

    monkeypatch.setattr(ImportDialog, "exec", import_all)
    assert answer_boxes("Close") is not None
    page.import_file(str(path))
    assert len(search_families(context)) == 2
    assert len(reloaded) == 1 and Kind.FAMILY in reloaded[0]
    assert page.model.rowCount() == 2
    assert window.undo_stack.count() == 1 and window.undo_stack.undoText() == "Import families from in.csv"
    window.undo_stack.undo()
    assert search_families(context) == [] and page.model.rowCount() == 0
