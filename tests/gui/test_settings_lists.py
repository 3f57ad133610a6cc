"""The areas and schools editor on the Settings page, driven through its widgets."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QInputDialog, QMessageBox

from peer_support.domain.families import FamilyDraft
from peer_support.services.families import create_family, get_family, list_areas
from peer_support.ui.settings.page import SettingsPage

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot, context):
    create_family(context, FamilyDraft(name="Anna Nowak", area="Margate", schools=("Hartsdown",)))
    create_family(context, FamilyDraft(name="Jo Baker", area="Margate Town"))
    stack = QUndoStack()
    widget = SettingsPage(context, stack)
    widget.undo_stack = stack
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_rename_merge_and_archive_areas_with_undo(qtbot, page, context, monkeypatch):
    areas = page.lists.areas
    assert areas.names() == ["Margate", "Margate Town"]
    assert "1 family" in areas.list.item(0).text()
    areas.select("Margate")
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: ("Margate Central", True))
    areas.rename_button.click()
    assert get_family(context, "F0001").area == "Margate Central" and areas.current_name() == "Margate Central"

    areas.select("Margate Town")
    monkeypatch.setattr(QInputDialog, "getItem", lambda *args, **kwargs: ("Margate Central", True))
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Yes)
    areas.merge_button.click()
    assert get_family(context, "F0002").area == "Margate Central"
    assert list_areas(context) == ["Margate Central"] and "archived" in areas.list.item(1).text()
    page.undo_stack.undo()
    assert get_family(context, "F0002").area == "Margate Town"
    areas.reload()

    areas.select("Margate Town")
    assert areas.archive_button.text() == "Archive"
    areas.archive_button.click()
    assert list_areas(context) == ["Margate Central"]
    areas.select("Margate Town")
    assert areas.archive_button.text() == "Restore"
    areas.archive_button.click()
    assert list_areas(context) == ["Margate Central", "Margate Town"]


def test_renaming_to_a_taken_name_is_refused_with_a_message(qtbot, page, context, monkeypatch):
    shown = []
    monkeypatch.setattr("peer_support.ui.ops.show_error", lambda parent, exc: shown.append(exc))
    assert not page.lists.areas.rename("Margate", "margate town")
    assert shown and "Merge" in shown[0].message
    assert page.lists.schools.names() == ["Hartsdown"] and page.undo_stack.count() == 0
