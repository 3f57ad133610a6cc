"""A volunteer's window shows what their job needs: no fund, no families' notes, no history."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from peer_support.services import access, users
from peer_support.ui.main_window import MainWindow
from peer_support.ui.pages import AREAS
from peer_support.ui.signals import signals
from peer_support.ui.trust import session
from peer_support.ui.trust.dialogs import UserPickerDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def team(sample_context):
    users.add_user(sample_context, "Lena Lead", pin="2468")
    access.sign_in(sample_context, "Lena Lead", "2468")
    users.add_user(sample_context, "Vic Volunteer", "volunteer")
    users.add_user(sample_context, "Olga Organiser", "organiser")
    return sample_context


def _window(qtbot, context) -> MainWindow:
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    return window


def _visible_areas(window) -> set[str]:
    return {area.key for row, area in enumerate(AREAS) if not window.nav.item(row).isHidden()}


def test_a_volunteers_window_has_the_door_and_the_deliveries_only(qtbot, team):
    access.sign_in(team, "Vic Volunteer", None)
    window = _window(qtbot, team)
    assert _visible_areas(window) == {"meetings", "packs", "outcomes", "sync"}
    window.show_area("fund")
    assert window.current_page() is None or type(window.current_page()).__name__ != "FundPage"
    window.show_area("meetings")
    page = window.current_page()
    titles = [page.meeting_tabs.tabText(i) for i in range(page.meeting_tabs.count())]
    assert titles == ["Register"] and page.count() == 1  # no details (notes), actions or attendance history
    window.show_area("packs")
    assert window.current_page() is not None


def test_the_lead_sees_everything_and_a_change_of_person_rebuilds_the_window(qtbot, team):
    window = _window(qtbot, team)
    assert _visible_areas(window) == {area.key for area in AREAS}
    window.show_area("fund")
    assert type(window.current_page()).__name__ == "FundPage"
    access.sign_in(team, "Olga Organiser", None)
    signals.data_changed.emit({"app_user"})
    assert _visible_areas(window) == {"dashboard", "newsletter", "outcomes", "sync"}
    assert type(window.current_page()).__name__ != "FundPage"


def test_the_lock_screen_asks_the_leads_pin_and_lets_a_volunteer_in_without_it(qtbot, team, monkeypatch):
    answers = iter([("Lena Lead", "1111"), ("Lena Lead", "2468")])
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warnings.append(args[2]))

    def fake_exec(dialog):
        name, pin = next(answers)
        dialog.name.setCurrentText(name)
        dialog.pin.setText(pin)
        return 1

    monkeypatch.setattr(UserPickerDialog, "exec", fake_exec)
    session.ask_user(team, None)
    assert warnings == ["That PIN is not right for Lena Lead."]
    assert access.current_session(team).name == "Lena Lead"
    answers = iter([("Vic Volunteer", "")])
    session.ask_user(team, None)
    assert access.current_session(team).name == "Vic Volunteer"
