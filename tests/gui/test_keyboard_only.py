"""Jobs done by keyboard alone, through the main window: only key presses reach the widgets (no mouse
clicks, no slots called). Keys go to whatever has the focus, as they would for a person; the one
stand-in is the system's file chooser, replaced by a function returning the chosen path (as the other
export tests do)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from peer_support.domain.families import FamilyDraft
from peer_support.domain.fund import ApplicationDraft, Channel, Need, PotDraft, Status
from peer_support.services import fund
from peer_support.services.families import create_family
from peer_support.services.fund_queries import get_application
from peer_support.ui.main_window import MainWindow

pytestmark = pytest.mark.gui
CTRL, ALT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.AltModifier


def _focus():
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard focus"
    return widget


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(_focus(), key, modifier)


def type_text(qtbot, text):
    qtbot.keyClicks(_focus(), text)


def _window(qtbot, context) -> MainWindow:
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.nav.setFocus()  # where the focus is after start-up
    qtbot.waitUntil(window.nav.hasFocus)
    return window


def back_in(qtbot, window):
    """After a dialog closes, the window is active again (the offscreen platform needs asking)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def when_dialog_opens(qtbot, steps):
    """Run steps(dialog) once the next modal dialog is up (its exec() blocks the test until closed)."""
    done: list[object] = []

    def attempt():
        dialog = QApplication.activeModalWidget()
        if dialog is None or QApplication.activeWindow() is not dialog:  # showing is not yet focusing
            QTimer.singleShot(20, attempt)
            return
        done.append(dialog)
        steps(dialog)

    QTimer.singleShot(0, attempt)
    return done


@pytest.fixture
def waiting_application(context):
    fund.create_pot(context, PotDraft(name="Winter", funder="Lions", budget_pence=1000_00,
                                      opens_on=date(2026, 10, 1)))
    family = create_family(context, FamilyDraft(name="Piotr Nowak", area="Marina"))
    return fund.create_application(context, ApplicationDraft(
        "Winter", family.reference, date(2026, 11, 2), Channel.PHONE, Need.DEVICE, 250_00)).record.reference


def test_deciding_a_fund_application_by_keyboard(qtbot, context, waiting_application):
    window = _window(qtbot, context)
    press(qtbot, Qt.Key.Key_4, CTRL)  # Go > Fund
    assert type(window.current_page()).__name__ == "FundPage"
    press(qtbot, Qt.Key.Key_F, CTRL)  # Find: the search field
    type_text(qtbot, "nowak")
    press(qtbot, Qt.Key.Key_Tab)  # into the list of applications
    assert _focus().objectName() == "applications"
    press(qtbot, Qt.Key.Key_Down)
    assert window.current_page().detail.record.reference == waiting_application

    def decide(dialog):
        assert _focus().objectName() == "amount"  # approving: the amount is what to type first
        press(qtbot, Qt.Key.Key_A, CTRL)
        type_text(qtbot, "199.50")
        press(qtbot, Qt.Key.Key_Return)  # OK is the default button

    opened = when_dialog_opens(qtbot, decide)
    press(qtbot, Qt.Key.Key_Return)  # Enter on an application: decide it
    assert opened
    record = get_application(context, waiting_application)
    assert record.status == Status.APPROVED and record.approved_pence == 199_50
    back_in(qtbot, window)
    assert _focus().objectName() == "applications"  # the focus is back where it was
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert get_application(context, waiting_application).status == Status.RECEIVED


def test_declining_by_keyboard_uses_the_mnemonic_and_tab_order(qtbot, context, waiting_application):
    window = _window(qtbot, context)
    press(qtbot, Qt.Key.Key_4, CTRL)
    press(qtbot, Qt.Key.Key_Tab)
    while _focus().objectName() != "applications":
        press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Down)
    assert window.current_page().detail.record is not None

    def decline(dialog):
        press(qtbot, Qt.Key.Key_E, ALT)  # D&ecline (a mnemonic clicks the button a moment later)
        qtbot.waitUntil(dialog.decline.isChecked)
        press(qtbot, Qt.Key.Key_Tab)
        while _focus().objectName() != "reason":
            press(qtbot, Qt.Key.Key_Tab)
        type_text(qtbot, "Lent a laptop by the school")
        press(qtbot, Qt.Key.Key_Tab)  # out of the reason; Enter in a text box is a new line
        press(qtbot, Qt.Key.Key_Return)

    opened = when_dialog_opens(qtbot, decline)
    press(qtbot, Qt.Key.Key_Return)
    assert opened
    record = get_application(context, waiting_application)
    assert record.status == Status.DECLINED and "school" in record.outcome_reason


def test_exporting_a_newsletter_as_pdf_by_keyboard(qtbot, sample_context, tmp_path, monkeypatch):
    target = tmp_path / "newsletter.pdf"
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args, **kwargs: asked.append(args) or (str(target), "PDF files (*.pdf)"))
    window = _window(qtbot, sample_context)
    press(qtbot, Qt.Key.Key_6, CTRL)  # Go > Newsletter
    page = window.current_page()
    press(qtbot, Qt.Key.Key_Tab)
    assert _focus() is page.table  # the first stop on the page is the list of issues
    press(qtbot, Qt.Key.Key_Home, CTRL)
    press(qtbot, Qt.Key.Key_Down)
    chosen = page._number
    assert chosen == page.model.issues[1].number
    press(qtbot, Qt.Key.Key_P, ALT)  # Export &PDF…
    qtbot.waitUntil(lambda: bool(asked))
    qtbot.waitUntil(target.exists, timeout=20_000)
    assert target.read_bytes().startswith(b"%PDF")


def test_taking_the_register_by_keyboard(qtbot, context):
    from peer_support.domain.meetings import AttendanceStatus, MeetingDraft
    from peer_support.services.meetings import create_meeting, get_meeting
    from peer_support.services.register import get_register

    for name in ("Sarah Smith", "Claire Smithson", "Søren Jensen"):
        create_family(context, FamilyDraft(name=name))
    create_meeting(context, MeetingDraft(on=date(2026, 12, 8), topic="Winter get-together"))

    def marks():
        return {e.family_name: e.status for e in get_register(context, "M2026-12").entries if e.status}

    window = _window(qtbot, context)
    press(qtbot, Qt.Key.Key_3, CTRL)  # Go > Meetings
    page = window.current_page()
    press(qtbot, Qt.Key.Key_F, CTRL)  # Find: the name or card field at the door
    assert _focus() is page.register_panel.door_edit
    type_text(qtbot, "soeren")  # plain letters find Søren
    press(qtbot, Qt.Key.Key_Return)
    assert marks() == {"Søren Jensen": AttendanceStatus.PRESENT}, page.register_panel.feedback.text()
    type_text(qtbot, "smith")  # two matches: Down into the list, Enter chooses
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_Down)
    assert _focus() is page.register_panel.matches
    press(qtbot, Qt.Key.Key_Return)
    assert len(marks()) == 2
    for _ in range(12):  # Tab on to the walk-in guests
        if _focus() is page.register_panel.guests_spin or _focus().parent() is page.register_panel.guests_spin:
            break
        press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_A, CTRL)
    type_text(qtbot, "3")
    press(qtbot, Qt.Key.Key_Tab)
    assert get_meeting(context, "M2026-12").walk_in_guests == 3


def test_scanning_packs_by_keyboard(qtbot, sample_context):
    from peer_support.services import packs

    window = _window(qtbot, sample_context)
    press(qtbot, Qt.Key.Key_5, CTRL)  # Go > Packs: scan mode, the code field has the focus
    view = window.current_page().scan_view
    qtbot.waitUntil(view.code_edit.hasFocus)
    batch = window.current_page().current_batch().reference
    codes = [p.code for p in packs.list_packs(sample_context, batch) if p.status == "outstanding"][:2]
    press(qtbot, Qt.Key.Key_Backtab)  # back to "Delivered by"
    while _focus() is not view.volunteer_combo:
        press(qtbot, Qt.Key.Key_Backtab)
    press(qtbot, Qt.Key.Key_Down)  # choosing someone returns to the code field
    assert view.volunteer_combo.currentData() is not None and view.code_edit.hasFocus()
    type_text(qtbot, codes[0])
    press(qtbot, Qt.Key.Key_Return)
    press(qtbot, Qt.Key.Key_F2)  # the next one: not at home
    type_text(qtbot, codes[1])
    press(qtbot, Qt.Key.Key_Return)
    status = {p.code: p.status for p in packs.list_packs(sample_context, batch)}
    assert (status[codes[0]], status[codes[1]]) == ("delivered", "not_home")
    press(qtbot, Qt.Key.Key_F8)  # undo the last scan
    assert {p.code: p.status for p in packs.list_packs(sample_context, batch)}[codes[1]] == "outstanding"
    assert view.code_edit.hasFocus()
