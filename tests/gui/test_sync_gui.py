"""The Sync area and the status-bar button, driven like a lead would."""

from __future__ import annotations

from datetime import datetime as _datetime, timezone as _timezone

import dataclasses
import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLineEdit, QMainWindow, QPushButton

from peer_support.clock import FixedClock
from peer_support.context import open_context
from peer_support.domain.families import FamilyDraft
from peer_support.services import families
from peer_support.services.sync import set_sync_folder, sync_now
from peer_support.storage.tables.families import Family
from peer_support.ui.sync import create_page, install_status_widget

FIXED_NOW = _datetime(2026, 11, 25, 10, 30, tzinfo=_timezone.utc)  # as tests/conftest.py

pytestmark = pytest.mark.gui


@pytest.fixture
def two_laptops(tmp_path, empty_template):
    contexts = []
    shared = tmp_path / "stick"
    shared.mkdir()
    for number in range(2):
        folder = tmp_path / f"laptop{number}"
        shutil.copytree(empty_template, folder)
        (folder / "local.json").unlink(missing_ok=True)
        context = open_context(folder, FixedClock(FIXED_NOW))
        set_sync_folder(context, shared)
        contexts.append(context)
    yield contexts
    for context in contexts:
        context.close()


def _family(context, family_id=None, **values):
    """Add the Nowak family (F0001), or edit it, through the families service."""
    if family_id is None:
        return families.create_family(context, FamilyDraft(name="Nowak", **values)).id
    draft = dataclasses.replace(families.get_family(context, "F0001").draft(), **values)
    return families.update_family(context, "F0001", draft).record.id


def _make_conflict(a, b):
    family_id = _family(a)
    sync_now(a)
    sync_now(b)
    a.clock.advance(minutes=1)
    _family(a, family_id, phone="01843 111111")
    _family(b, family_id, phone="01843 222222")
    sync_now(a)
    return family_id


def test_sync_now_applies_the_other_laptops_changes(qtbot, two_laptops):
    a, b = two_laptops
    family_id = _family(a)
    sync_now(a)
    page = create_page(b, QUndoStack())
    qtbot.addWidget(page)
    page.show()
    assert page.findChild(QLineEdit, "folder").text().endswith("stick")
    qtbot.mouseClick(page.findChild(QPushButton, "sync_now"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.sync_button.isEnabled(), timeout=20000)
    with b.db.read() as session:
        assert session.get(Family, family_id).name == "Nowak"
    assert "Last sync" in page.status_label.text()


def test_a_conflict_is_shown_side_by_side_and_resolved_with_a_click(qtbot, two_laptops):
    a, b = two_laptops
    family_id = _family(a)
    sync_now(a)
    sync_now(b)
    a.clock.advance(minutes=1)
    _family(a, family_id, phone="01843 111111")
    _family(b, family_id, phone="01843 222222")
    sync_now(a)
    sync_now(b)
    undo_stack = QUndoStack()
    page = create_page(b, undo_stack)
    qtbot.addWidget(page)
    page.show()
    assert page.tabs.tabText(1) == "Conflicts (1)"
    view = page.conflicts
    assert (view.base_label.text(), view.local_label.text(), view.remote_label.text()) == ("(empty)", "01843 222222", "01843 111111")
    qtbot.mouseClick(view.keep_local, Qt.MouseButton.LeftButton)
    with b.db.read() as session:
        assert session.get(Family, family_id).phone == "01843 222222"
    assert page.tabs.tabText(1) == "Conflicts"
    assert undo_stack.count() == 1


def test_typing_a_value_and_a_bad_folder(qtbot, two_laptops, monkeypatch):
    a, b = two_laptops
    family_id = _family(a)
    sync_now(a)
    sync_now(b)
    a.clock.advance(minutes=1)
    _family(a, family_id, children=2)
    _family(b, family_id, children=3)
    sync_now(a)
    sync_now(b)
    page = create_page(b, QUndoStack())
    qtbot.addWidget(page)
    errors = []
    monkeypatch.setattr("peer_support.ui.sync.conflicts.show_error", lambda parent, exc: errors.append(exc))
    monkeypatch.setattr("peer_support.ui.sync.page.show_error", lambda parent, exc: errors.append(exc))
    view = page.conflicts
    qtbot.keyClicks(view.value_edit, "lots")
    qtbot.keyClick(view.value_edit, Qt.Key.Key_Return)
    assert "does not fit" in str(errors[-1])
    view.value_edit.setText("5")
    qtbot.mouseClick(view.keep_value, Qt.MouseButton.LeftButton)
    with b.db.read() as session:
        assert session.get(Family, family_id).children == 5
    page.choose_folder(str(b.data_dir))
    assert "separate" in str(errors[-1])


def test_the_status_bar_button_shows_conflicts_and_syncs_by_itself(qtbot, two_laptops):
    a, b = two_laptops
    _make_conflict(a, b)
    window = QMainWindow()
    qtbot.addWidget(window)
    button = install_status_widget(window, b)
    window.show()
    assert "1 file waiting" in button.text()
    with qtbot.waitSignal(button.synced, timeout=20000):
        button.sync_in_background()
    assert "1 conflict" in button.text() and "Synced" in button.text()


def test_the_button_in_the_main_window_opens_the_sync_area(qtbot, context):
    from peer_support.ui.main_window import MainWindow
    from peer_support.ui.sync.page import SyncPage

    window = MainWindow(context)
    qtbot.addWidget(window)
    button = install_status_widget(window, context)
    window.show()
    assert button.text() == "Sync: off"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert isinstance(window.current_page(), SyncPage)


def test_the_first_start_offers_joining_and_joins_like_sync_join(qtbot, tmp_path, empty_template,
                                                                   two_laptops, monkeypatch):
    from peer_support.services import users
    from peer_support.services.sync import snapshot_now
    from peer_support.services.families_search import count_families
    from peer_support.domain.families import FamilyQuery
    from peer_support.ui import first_run

    member, _other = two_laptops
    from peer_support.domain.families import FamilyDraft as _Draft
    from peer_support.services.families import create_family

    create_family(member, _Draft(name="Nowak"))
    sync_now(member)
    snapshot_now(member)
    newcomer_dir = tmp_path / "newcomer"
    shutil.copytree(empty_template, newcomer_dir)
    (newcomer_dir / "local.json").unlink(missing_ok=True)
    newcomer = open_context(newcomer_dir, FixedClock(FIXED_NOW))
    users.choose_user(newcomer, "Anna")  # "who is using" answered first: still a first start
    assert first_run.is_first_run(newcomer)

    def answer(dialog):
        qtbot.addWidget(dialog)
        assert {b.objectName() for b in (dialog.sample, dialog.empty, dialog.join)} == {
            "choose_sample", "choose_empty", "choose_join"}
        assert not dialog.join_box.isEnabled()
        dialog.join.setChecked(True)
        assert dialog.join_box.isEnabled()
        dialog.join_box.folder_edit.setText(str(tmp_path / "stick"))
        dialog._on_start()
        return dialog.result()

    monkeypatch.setattr(first_run.FirstRunDialog, "exec", answer)
    joined, choice = first_run.first_start(newcomer)
    try:
        assert choice == first_run.JOIN
        sync_now(joined)
        assert count_families(joined, FamilyQuery(text="Nowak")) == 1
        assert not first_run.is_first_run(joined)
    finally:
        joined.close()


def test_the_first_start_dialog_offers_sample_data_by_default(qtbot):
    from peer_support.ui.first_run import SAMPLE, FirstRunDialog

    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    assert dialog.choice() == SAMPLE
    dialog.empty.setChecked(True)
    assert dialog.choice() == "empty"
    dialog.show()
    dialog.grab().save("/tmp/first_run.png")


def test_one_sync_at_a_time_in_the_window(qtbot, two_laptops):
    from peer_support.ui.sync.status import sync_activity

    context, _other = two_laptops
    page = create_page(context, QUndoStack())
    qtbot.addWidget(page)
    assert page.sync_button.isEnabled()
    assert sync_activity().begin()  # the timer's sync is running
    try:
        assert not page.sync_button.isEnabled()
        assert not sync_activity().begin()
        page.sync_now()  # refused quietly: nothing starts
        assert sync_activity().running
    finally:
        sync_activity().end()
    assert page.sync_button.isEnabled()


def test_the_sync_area_names_refused_files_and_a_clock_ahead(qtbot, two_laptops, tmp_path):
    from peer_support.domain.families import FamilyDraft as _Draft
    from peer_support.services.families import create_family
    from peer_support.services.sync import set_passphrase
    from peer_support.services.sync.journal import encode, file_name

    a, b = two_laptops
    for context in (a, b):
        set_passphrase(context, "correct horse battery")
    a.clock.advance(days=330)
    create_family(a, _Draft(name="Nowak"))
    sync_now(a)
    folder = tmp_path / "stick" / "journal" / a.local.device_id
    payload = {"device_id": a.local.device_id, "schema_rev": "", "actions": {}, "changes": [{
        "change_id": "x", "seq": 99, "hlc": "1", "action_id": "y", "entity": "family", "entity_id": "z",
        "op": "update", "seen": {}, "changes": {"name": ["", "Forged"]}}]}
    (folder / file_name(99, 99)).write_bytes(encode(payload, a.local.device_id, 99, 99, None))
    sync_now(b)
    page = create_page(b, QUndoStack())
    qtbot.addWidget(page)
    page.resize(1000, 640)
    page.show()
    texts = [page.problems.item(i).text() for i in range(page.problems.count())]
    assert any("not from this group" in t for t in texts)
    assert any("is 11 months ahead" in t for t in texts)
    page.grab().save("/tmp/sync_page.png")


def test_who_is_using_selects_the_prefilled_name(qtbot):
    from peer_support.ui.trust.dialogs import UserPickerDialog

    dialog = UserPickerDialog(["Anna", "Ben"], "Anna")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.name.lineEdit().selectedText() == "Anna"
    qtbot.keyClicks(dialog.name.lineEdit(), "Carla")
    assert dialog.chosen() == "Carla"
