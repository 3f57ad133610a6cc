"""The Meetings page: taking a register by keyboard only, newcomers, actions, schedule, undo."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox

from peer_support.domain.families import FamilyDraft
from peer_support.domain.meetings import AttendanceStatus, MeetingDraft
from peer_support.services.actions import actions_for_meeting
from peer_support.services.families import create_family
from peer_support.services.meetings import create_meeting, get_meeting, list_meetings
from peer_support.services.register import get_register
from peer_support.ui.meetings import create_page
from peer_support.ui.signals import signals

pytestmark = pytest.mark.gui

NAMES = ["Sarah Smith", "Claire Smithson", "Małgorzata Nowak", "Søren Jensen", "Jürgen Weiß"]


@pytest.fixture
def page(qtbot, context):
    for name in NAMES:
        create_family(context, FamilyDraft(name=name))
    create_meeting(context, MeetingDraft(on=date(2026, 12, 8), topic="Winter get-together"))
    undo_stack = QUndoStack()
    widget = create_page(context, undo_stack)
    widget.undo_stack = undo_stack
    qtbot.addWidget(widget)
    signals.data_changed.connect(widget.reload)  # as the main window does for every page
    widget.resize(1200, 800)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    signals.data_changed.disconnect(widget.reload)


def marks(context, reference="M2026-12"):
    return {e.family_name: e.status for e in get_register(context, reference).entries if e.status}


def test_register_taken_by_keyboard_only(qtbot, page, context):
    assert page.model.rowCount() == 1
    page.focus_search()  # Ctrl+F in the main window
    door = page.register_panel.door_edit
    assert QApplication.focusWidget() is door
    qtbot.keyClicks(door, "F0004")  # what a USB scanner types for a card's QR code
    qtbot.keyClick(door, Qt.Key.Key_Return)
    assert marks(context) == {"Søren Jensen": AttendanceStatus.PRESENT}
    assert door.text() == "" and QApplication.focusWidget() is door

    qtbot.keyClicks(door, "nowak")  # a few letters, one match
    qtbot.keyClick(door, Qt.Key.Key_Return)
    qtbot.keyClicks(door, "smi")  # two matches: Enter explains, Down then Enter chooses
    qtbot.keyClick(door, Qt.Key.Key_Return)
    assert "Several" in page.register_panel.feedback.text()
    qtbot.keyClick(door, Qt.Key.Key_Down)
    matches = page.register_panel.matches
    assert QApplication.focusWidget() is matches
    qtbot.keyClick(matches, Qt.Key.Key_Down)
    qtbot.keyClick(matches, Qt.Key.Key_Return)
    assert marks(context) == {"Søren Jensen": AttendanceStatus.PRESENT,
                              "Małgorzata Nowak": AttendanceStatus.PRESENT,
                              "Sarah Smith": AttendanceStatus.PRESENT}

    # Tab through to the table; P/A/X/Delete mark the selected family.
    table = page.register_panel.table
    for _ in range(10):
        if QApplication.focusWidget() is table:
            break
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is table
    qtbot.keyClick(table, Qt.Key.Key_Home, Qt.KeyboardModifier.ControlModifier)
    first = page.register_panel.proxy.index(table.currentIndex().row(), 1).data()
    assert first == "Claire Smithson"
    qtbot.keyClick(table, Qt.Key.Key_A)
    assert marks(context)["Claire Smithson"] is AttendanceStatus.APOLOGIES
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_X)
    assert marks(context)["Jürgen Weiß"] is AttendanceStatus.ABSENT
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert "Jürgen Weiß" not in marks(context)
    assert "3 families present" in page.register_panel.counts_label.text()

    # Walk-in guests and crèche children by keyboard.
    guests = page.register_panel.guests_spin
    guests.setFocus()
    guests.selectAll()
    qtbot.keyClicks(guests, "4")
    qtbot.keyClick(guests, Qt.Key.Key_Tab)
    assert get_meeting(context, "M2026-12").walk_in_guests == 4

    # Undo reverses the last action through the change log.
    page.undo_stack.undo()
    assert get_meeting(context, "M2026-12").walk_in_guests == 0


def test_unknown_text_at_the_door_changes_nothing(qtbot, page, context):
    page.focus_search()
    door = page.register_panel.door_edit
    qtbot.keyClicks(door, "zzzz")
    qtbot.keyClick(door, Qt.Key.Key_Return)
    assert "No family matches" in page.register_panel.feedback.text()
    assert marks(context) == {}


def test_newcomer_added_at_the_door_with_a_minimal_form(qtbot, page, context, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    page.focus_search()
    qtbot.keyClicks(page.register_panel.door_edit, "Mette Hansen")

    def fill_dialog():
        dialog = QApplication.activeModalWidget()
        name = dialog.findChild(QLineEdit, "newcomer_name")
        assert name.text() == "Mette Hansen"
        qtbot.keyClick(name, Qt.Key.Key_Return)

    QTimer.singleShot(0, fill_dialog)
    qtbot.keyClick(page.register_panel.newcomer_button, Qt.Key.Key_Space)
    assert marks(context) == {"Mette Hansen": AttendanceStatus.PRESENT}
    assert "F0006" in page.register_panel.feedback.text() and not shown


def test_actions_added_and_ticked_done_by_keyboard(qtbot, page, context):
    page.meeting_tabs.setCurrentWidget(page.actions_panel)
    panel = page.actions_panel
    panel.description_edit.setFocus()
    qtbot.keyClicks(panel.description_edit, "Book the hall for January")
    qtbot.keyClick(panel.description_edit, Qt.Key.Key_Return)
    (action,) = actions_for_meeting(context, "M2026-12")
    assert action.description == "Book the hall for January" and not action.done
    assert panel.model.rowCount() == 1
    panel.table.setFocus()
    panel.table.selectRow(0)
    qtbot.keyClick(panel.table, Qt.Key.Key_Space)
    assert actions_for_meeting(context, "M2026-12")[0].done
    # Enter on an action loads it for editing; the owner can be a family by reference.
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)
    assert panel.description_edit.text() == "Book the hall for January"
    panel.owner_combo.setEditText("F0003")
    qtbot.keyClick(panel.description_edit, Qt.Key.Key_Return)
    (edited,) = actions_for_meeting(context, "M2026-12")
    assert edited.owner == "Małgorzata Nowak (F0003)" and edited.done


def test_empty_action_is_refused_with_a_message(qtbot, page, context, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    page.meeting_tabs.setCurrentWidget(page.actions_panel)
    qtbot.keyClick(page.actions_panel.description_edit, Qt.Key.Key_Return)
    assert shown == ["Describe the action."] and actions_for_meeting(context, "M2026-12") == []


def test_plan_a_year_from_the_dialog(qtbot, page, context):
    from peer_support.ui.meetings.schedule_dialog import ScheduleDialog
    from peer_support.ui.meetings.common import to_qdate

    dialog = ScheduleDialog(context, page.undo_stack, page)
    qtbot.addWidget(dialog)
    assert dialog.weekday_combo.currentData() == 1 and dialog.which_combo.currentData() == 2  # 2nd Tuesday
    dialog.first_edit.setDate(to_qdate(date(2027, 1, 1)))
    dialog.last_edit.setDate(to_qdate(date(2027, 12, 31)))
    assert dialog.preview.count() == 12
    dialog.preview.item(7).setCheckState(Qt.CheckState.Unchecked)  # August: summer holidays
    assert "11 meetings" in dialog.preview_label.text()
    dialog._on_accept()
    planned = [m for m in list_meetings(context) if m.on.year == 2027]
    assert len(planned) == 11 and all(m.local_start.hour == 18 for m in planned)
    assert all(m.on.weekday() == 1 and 8 <= m.on.day <= 14 for m in planned)
    assert date(2027, 8, 10) not in [m.on for m in planned]


def test_editing_one_meeting_from_the_form(qtbot, page, context, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    details = page.details
    details.link_edit.setText("not a link")
    qtbot.mouseClick(details.save_button, Qt.MouseButton.LeftButton)
    assert shown and get_meeting(context, "M2026-12").online_link == ""
    details.link_edit.setText("https://meet.example.org/winter")
    details.tag_boxes["belonging"].setChecked(True)
    qtbot.mouseClick(details.save_button, Qt.MouseButton.LeftButton)
    meeting = get_meeting(context, "M2026-12")
    assert meeting.online_link == "https://meet.example.org/winter" and meeting.tags == ("belonging",)


def test_unsaved_meeting_details_are_kept_saved_or_discarded_on_purpose(qtbot, page, context, answer_boxes):
    create_meeting(context, MeetingDraft(on=date(2027, 1, 12), topic="New year"))
    page.reload()
    page.view_combo.setCurrentIndex(page.view_combo.findData("all"))
    rows = {page.model.item(row).reference: row for row in range(page.model.rowCount())}
    page.list_view.selectRow(rows["M2026-12"])
    page.details.topic_edit.setText("Winter party")
    asked = answer_boxes("Cancel")
    page.list_view.selectRow(rows["M2027-01"])
    assert asked and "M2026-12" in asked[0]
    assert page.details.topic_edit.text() == "Winter party" and page._current == "M2026-12"
    assert not page.can_close()  # Ctrl+Q or another page: the same question, and Cancel stays
    answer_boxes("Discard")
    page.list_view.selectRow(rows["M2027-01"])
    assert page.details.topic_edit.text() == "New year"
    page.list_view.selectRow(rows["M2026-12"])
    assert page.details.topic_edit.text() == "Winter get-together"
    page.details.topic_edit.setText("Winter party")
    answer_boxes("Save")
    page.list_view.selectRow(page._row_of("M2027-01"))
    assert get_meeting(context, "M2026-12").topic == "Winter party"
    assert page.details.topic_edit.text() == "New year" and page._current == "M2027-01"


def test_register_keys_follow_the_ui_language():
    from peer_support import i18n
    from peer_support.ui.meetings.register_panel import status_keys, status_keys_hint

    i18n.set_language("de")
    keys = status_keys()
    assert keys["A"] is AttendanceStatus.PRESENT and keys["E"] is AttendanceStatus.APOLOGIES
    assert keys["X"] is AttendanceStatus.ABSENT and keys["P"] is AttendanceStatus.PRESENT  # English P still works
    assert "A anwesend" in status_keys_hint()


def test_taking_the_register_marks_the_meeting_held_and_it_can_be_reopened(qtbot, page, context):
    from peer_support.domain.meetings import MeetingStatus

    door = page.register_panel.door_edit
    page.focus_search()
    qtbot.keyClicks(door, "F0001")
    qtbot.keyClick(door, Qt.Key.Key_Return)
    assert get_meeting(context, "M2026-12").status is MeetingStatus.HELD
    qtbot.waitUntil(lambda: page.details.planned_button.isVisibleTo(page.details))
    assert not page.details.held_button.isVisibleTo(page.details)
    page.details.planned_button.click()
    assert get_meeting(context, "M2026-12").status is MeetingStatus.PLANNED
    assert marks(context) == {"Sarah Smith": AttendanceStatus.PRESENT}  # the register stays


def test_door_feedback_does_not_follow_to_another_meeting(qtbot, page, context):
    create_meeting(context, MeetingDraft(on=date(2027, 1, 12), topic="New year"))
    page.reload()
    page.view_combo.setCurrentIndex(page.view_combo.findData("all"))
    page.list_view.selectRow(page._row_of("M2026-12"))
    panel = page.register_panel
    qtbot.keyClicks(panel.door_edit, "zzzz")
    qtbot.keyClick(panel.door_edit, Qt.Key.Key_Return)
    assert "zzzz" in panel.feedback.text()
    page.list_view.selectRow(page._row_of("M2027-01"))
    assert panel.feedback.text() == "" and panel.door_edit.text() == ""


def test_register_is_read_a_page_at_a_time(qtbot, page, context, monkeypatch):
    """With 50,000 families the register holds a few pages, not every family: with pages of two
    lines, ticking the family on the last page selects its line and the table shows every name."""
    from peer_support.ui.meetings.models import RegisterTableModel

    monkeypatch.setattr(RegisterTableModel, "PAGE_SIZE", 2)
    monkeypatch.setattr(RegisterTableModel, "MAX_CACHED_PAGES", 1)
    panel = page.register_panel
    panel.reload()
    door = panel.door_edit
    qtbot.keyClicks(door, "F0004")  # Søren Jensen: the last line by name
    qtbot.keyClick(door, Qt.Key.Key_Return)
    table, model = panel.table, panel.model
    assert model.rowCount() == 5
    assert table.currentIndex().row() == 4
    assert panel.proxy.index(4, 1).data() == "Søren Jensen"
    assert panel.proxy.index(4, 2).data() == AttendanceStatus.PRESENT.label
    names = [panel.proxy.index(row, 1).data() for row in range(model.rowCount())]
    assert names == ["Claire Smithson", "Jürgen Weiß", "Małgorzata Nowak", "Sarah Smith", "Søren Jensen"]
    assert len(model._pages) == 1  # the older pages were let go
    assert "1 family present" in panel.counts_label.text()
    panel.marked_only.setChecked(True)
    assert model.rowCount() == 1 and panel.proxy.index(0, 1).data() == "Søren Jensen"
    assert table.currentIndex().row() == 0  # the selected line stays selected


def test_every_meetings_table_shows_its_own_headers(qtbot, page):
    """The meetings list, the actions and the paged register share one header rule: each view shows
    its own column titles across the top, nothing down the side, and a column past the last (asked
    by a proxy or an accessibility client) is no title rather than an error inside Qt."""
    page.list_view.selectRow(0)  # a meeting chosen: its register and actions are filled
    expected = {
        page.list_view: ["Ref.", "Date", "Time", "Topic", "Status", "Present"],
        page.register_panel.table: ["Ref.", "Family", "Status"],
        page.actions_panel.table: ["Done", "Action", "Owner", "Due", "From"],
    }
    for view, titles in expected.items():
        model = view.model()
        shown = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
        assert shown == titles
        header = view.horizontalHeader()
        assert header.count() == len(titles)
        assert [header.model().headerData(c, Qt.Orientation.Horizontal) for c in range(header.count())] == titles
        source = getattr(model, "sourceModel", lambda: model)()
        assert source.headerData(len(titles), Qt.Orientation.Horizontal) is None
        assert source.headerData(0, Qt.Orientation.Vertical) is None
        assert source.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) is None
        if source.rowCount():
            assert source.columnCount(source.index(0, 0)) == 0  # a flat table: no columns under a row
    assert page.register_panel.model.rowCount() == len(NAMES)
