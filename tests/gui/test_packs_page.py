"""The Packs page driven through real widgets: scan mode feedback, focus, undo, progress, exports."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack

from peer_support.domain.changes import Kind
from peer_support.domain.packs import format_code
from peer_support.services import packs
from peer_support.ui.packs import create_page

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot, sample_context):
    stack = QUndoStack()
    widget = create_page(sample_context, stack)
    widget.undo_stack = stack
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _scan(qtbot, view, text):
    view.code_edit.setFocus()
    qtbot.keyClicks(view.code_edit, text)
    qtbot.keyClick(view.code_edit, Qt.Key.Key_Return)


def test_scan_delivers_then_refuses_duplicate_and_unknown_keeping_focus(qtbot, page, sample_context):
    view = page.scan_view
    code = next(p.code for p in packs.list_packs(sample_context, "B01") if p.status == "outstanding")
    _scan(qtbot, view, code)
    assert view.state == "warn" and "Choose who is delivering" in view.feedback.text()
    view.volunteer_combo.setCurrentIndex(1)
    before = view.progress_bar.value()
    _scan(qtbot, view, format_code(code).lower())
    assert view.state == "ok" and "DELIVERED" in view.feedback.text()
    assert view.progress_bar.value() == before + 1 and view.code_edit.text() == ""
    assert view.code_edit.hasFocus()
    _scan(qtbot, view, code)
    assert view.state == "warn" and "ALREADY DELIVERED" in view.feedback.text()
    assert view.progress_bar.value() == before + 1
    _scan(qtbot, view, "22222222")
    assert view.state == "error"
    assert view.recent_model.rowCount() <= 15 and view.code_edit.hasFocus()


def test_other_outcome_applies_once_and_undo_last(qtbot, page, sample_context):
    view = page.scan_view
    view.volunteer_combo.setCurrentIndex(1)
    codes = [p.code for p in packs.list_packs(sample_context, "B01") if p.status == "outstanding"][:2]
    qtbot.keyClick(view.code_edit, Qt.Key.Key_F2)
    assert view.outcome_group.checkedId() == 1
    _scan(qtbot, view, codes[0])
    assert view.outcome_group.checkedId() == 0  # back to "delivered"
    status = {p.code: p.status for p in packs.list_packs(sample_context, "B01")}
    assert status[codes[0]] == "not_home"
    _scan(qtbot, view, codes[1])
    view.undo_button.click()
    status = {p.code: p.status for p in packs.list_packs(sample_context, "B01")}
    assert status[codes[1]] == "outstanding" and status[codes[0]] == "not_home"
    assert "Undone" in view.feedback.text() and view.code_edit.hasFocus()


def test_progress_lists_outstanding_per_run_and_exports(qtbot, page, sample_context, tmp_path):
    page.tabs.setCurrentWidget(page.progress_view)
    progress = page.progress_view
    assert progress.runs_model.rowCount() == 20
    progress.runs_view.selectRow(18)
    expected = len(packs.list_packs(sample_context, "B01", 19, outstanding_only=True))
    assert progress.outstanding_model.rowCount() == expected > 0
    target = tmp_path / "out.csv"
    progress.export_outstanding_to(str(target))
    qtbot.waitUntil(target.exists, timeout=10_000)
    assert len(target.read_text("utf-8-sig").splitlines()) == expected + 1


def test_runs_assign_and_print_labels(qtbot, page, sample_context, tmp_path):
    runs = page.runs_view
    runs.view.selectRow(19)
    runs.volunteer_combo.setCurrentIndex(3)
    runs.assign.__call__()
    assert packs.list_runs(sample_context, "B01")[19].volunteer
    page.undo_stack.undo()
    assert not packs.list_runs(sample_context, "B01")[19].volunteer
    runs.only_run.setChecked(True)
    target = tmp_path / "labels.pdf"
    runs.export_labels_to(str(target))
    qtbot.waitUntil(target.exists, timeout=10_000)


def test_planning_runs_and_moving_a_pack_are_undoable(qtbot, page, sample_context, monkeypatch):
    from peer_support.ui.packs import runs as runs_module

    view = page.runs_view
    page.tabs.setCurrentWidget(view)  # hidden tabs reload when shown, not on every change
    before = [(r.number, r.pack_count) for r in packs.list_runs(sample_context, "B01")]
    view.run_count.setValue(10)
    view.plan()
    page.reload(frozenset({Kind.PACK}))  # what the main window does on data_changed
    assert len(packs.list_runs(sample_context, "B01")) == 10 and view.model.rowCount() == 10
    page.undo_stack.undo()
    assert [(r.number, r.pack_count) for r in packs.list_runs(sample_context, "B01")] == before
    page.undo_stack.redo()
    assert len(packs.list_runs(sample_context, "B01")) == 10

    pack = next(p for p in packs.list_packs(sample_context, "B01") if p.run_number == 1)
    view.view.selectRow(1)
    monkeypatch.setattr(runs_module.MovePackDialog, "exec", lambda dialog: (
        dialog.code_edit.setText(format_code(pack.code).lower()), True)[1])
    view._on_move_clicked()
    assert pack.code in [p.code for p in packs.list_packs(sample_context, "B01", run_number=2)]
    page.undo_stack.undo()
    assert pack.code in [p.code for p in packs.list_packs(sample_context, "B01", run_number=1)]


def test_a_scanner_burst_is_recorded_whatever_has_the_focus(qtbot, page, sample_context):
    view = page.scan_view
    view.volunteer_combo.setCurrentIndex(1)
    codes = [p.code for p in packs.list_packs(sample_context, "B01") if p.status == "outstanding"][:2]
    view.note_edit.setFocus()
    assert view.note_edit.hasFocus()
    qtbot.keyClicks(view.note_edit, codes[0])  # the scanner types fast...
    qtbot.keyClick(view.note_edit, Qt.Key.Key_Return)  # ...and presses Enter
    assert {p.code: p.status for p in packs.list_packs(sample_context, "B01")}[codes[0]] == "delivered"
    assert view.note_edit.text() == "" and view.state == "ok" and view.code_edit.hasFocus()
    # After a button the focus is back in the code field, and a burst into a list is still a scan.
    qtbot.mouseClick(view.outcome_group.button(1), Qt.MouseButton.LeftButton)
    assert view.code_edit.hasFocus()
    view.volunteer_combo.setFocus()
    qtbot.keyClicks(view.volunteer_combo, codes[1])
    qtbot.keyClick(view.volunteer_combo, Qt.Key.Key_Return)
    assert {p.code: p.status for p in packs.list_packs(sample_context, "B01")}[codes[1]] == "not_home"
    assert view.volunteer_combo.currentIndex() == 1  # the burst did not pick another volunteer


def test_a_note_typed_by_a_person_stays_in_the_note(qtbot, page):
    view = page.scan_view
    view.note_edit.setFocus()
    qtbot.keyClicks(view.note_edit, "card left", delay=120)  # people type slower than scanners
    qtbot.waitUntil(lambda: view.note_edit.text() == "card left", timeout=5000)
    qtbot.keyClick(view.note_edit, Qt.Key.Key_Return)
    assert view.code_edit.hasFocus() and view.state == "idle"


def test_scan_feedback_has_words_an_icon_and_a_sound_that_can_be_turned_off(qtbot, page, sample_context):
    view = page.scan_view
    view.volunteer_combo.setCurrentIndex(1)
    codes = [p.code for p in packs.list_packs(sample_context, "B01") if p.status == "outstanding"][:2]
    _scan(qtbot, view, codes[0])
    assert view.state == "ok" and view.sounds.requested == ["ok"] and not view.feedback_icon.pixmap().isNull()
    _scan(qtbot, view, "22222222")
    assert view.state == "error" and view.sounds.requested == ["ok", "problem"]
    _scan(qtbot, view, codes[0])  # already delivered: a warning has the problem sound too
    assert view.state == "warn" and view.sounds.requested == ["ok", "problem", "problem"]
    view.sound_box.setChecked(False)
    _scan(qtbot, view, codes[1])
    assert view.state == "ok" and view.sounds.requested == ["ok", "problem", "problem"]  # none when off
    assert "This laptop: 2 delivered" in view.session_label.text()
    view.undo_button.click()  # the laptop's tally follows undo (F8 or Ctrl+Z) and redo
    assert "This laptop: 1 delivered" in view.session_label.text()
    page.undo_stack.undo()
    page.reload(frozenset({Kind.PACK}))
    assert "This laptop: 0 delivered" in view.session_label.text()
    page.undo_stack.redo()
    page.reload(frozenset({Kind.PACK}))
    assert "This laptop: 1 delivered" in view.session_label.text()


def test_hidden_tabs_reload_when_shown_not_on_every_scan(qtbot, page, sample_context):
    view = page.scan_view
    view.volunteer_combo.setCurrentIndex(1)
    before = page.progress_view.outstanding_model.rowCount()
    code = next(p.code for p in packs.list_packs(sample_context, "B01") if p.status == "outstanding")
    _scan(qtbot, view, code)
    page.reload({"pack", "pack_event"})  # what the main window does on data_changed
    assert view.state == "ok" and page.progress_view in page._stale_views
    assert page.progress_view.outstanding_model.rowCount() == before
    page.tabs.setCurrentWidget(page.progress_view)
    assert page.progress_view not in page._stale_views


def test_latest_scans_show_the_date_for_earlier_days():
    from datetime import date, datetime, timezone

    from peer_support.domain.packs import EventRecord
    from peer_support.ui.packs.models import RecentScansModel

    model = RecentScansModel()
    model.today = date(2026, 11, 25)
    today = EventRecord(id="1", code="ABC", family_name="", area="", outcome="delivered",
                        at=datetime(2026, 11, 25, 9, 30, tzinfo=timezone.utc), volunteer="", note="", undone=False)
    earlier = EventRecord(id="2", code="ABD", family_name="", area="", outcome="delivered",
                          at=datetime(2026, 11, 23, 9, 30, tzinfo=timezone.utc), volunteer="", note="", undone=False)
    model.set_rows([today, earlier])
    assert model.index(0, 0).data() == "09:30:00"
    assert "23/11/2026" in model.index(1, 0).data()


def test_a_new_batch_with_its_runs_is_one_undo_step_that_tells_the_pages(qtbot, page, sample_context, monkeypatch):
    from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

    from peer_support.ui.packs.batch_dialog import BatchDialog
    from peer_support.ui.signals import signals

    before = packs.list_batches(sample_context)
    dialog = BatchDialog(sample_context, page.undo_stack, page)
    qtbot.addWidget(dialog)
    dialog.show()
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)  # no name: refused, nothing written
    assert shown and packs.list_batches(sample_context) == before and page.undo_stack.count() == 0
    qtbot.keyClicks(dialog.name_edit, "Spring pack")
    dialog.runs.setValue(12)
    heard = []
    signals.data_changed.connect(heard.append)
    try:
        with qtbot.waitSignal(dialog.accepted, timeout=10_000):
            qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    finally:
        signals.data_changed.disconnect(heard.append)
    assert dialog.created.name == "Spring pack" and len(packs.list_runs(sample_context, dialog.created.reference)) == 12
    assert page.undo_stack.count() == 1 and page.undo_stack.undoText() == "Create pack batch Spring pack"
    assert heard and {Kind.PACK_BATCH, Kind.PACK} <= heard[0]
    page.undo_stack.undo()
    assert packs.list_batches(sample_context) == before
