"""A volunteer's window shows what their job needs: no fund, no families' notes, no history."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from peer_support.domain.changes import Kind
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
    packs_page = window.current_page()
    assert [packs_page.tabs.tabText(i) for i in range(packs_page.tabs.count())] == ["Scan deliveries", "Progress"]


def test_the_lead_sees_everything_and_a_change_of_person_rebuilds_the_window(qtbot, team):
    window = _window(qtbot, team)
    assert _visible_areas(window) == {area.key for area in AREAS}
    window.show_area("fund")
    assert type(window.current_page()).__name__ == "FundPage"
    access.sign_in(team, "Olga Organiser", None)
    signals.data_changed.emit(frozenset({Kind.USER}))
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


def test_a_lead_gives_roles_and_a_pin_on_the_privacy_page(qtbot, team, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from peer_support.domain.roles import Role
    from peer_support.ui.trust.page import PinDialog, RolesDialog, TrustPage

    from PySide6.QtGui import QUndoStack

    page = TrustPage(team, QUndoStack())
    qtbot.addWidget(page)
    page.new_user_edit.setText("Owen Organiser")
    page.new_user_role.setCurrentIndex(page.new_user_role.findData(Role.ORGANISER.value))
    page._on_add_user_clicked()
    names = page.users_model.keys
    page.users_view.selectRow(names.index("Vic Volunteer"))

    def tick_organiser(dialog):
        dialog.boxes[Role.ORGANISER].setChecked(True)
        return QDialog.DialogCode.Accepted

    def type_pin(dialog):
        dialog.pin.setText("5150")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(RolesDialog, "exec", tick_organiser)
    page._on_roles_clicked()
    monkeypatch.setattr(PinDialog, "exec", type_pin)
    page._on_pin_clicked()
    people = {u.name: u for u in users.list_users(team)}
    assert people["Owen Organiser"].roles == (Role.ORGANISER,)
    assert people["Vic Volunteer"].roles == (Role.VOLUNTEER, Role.ORGANISER) and people["Vic Volunteer"].has_pin
    assert access.needs_pin(team, "Vic Volunteer")


def test_changes_to_the_users_list_are_announced_undo_steps(qtbot, team, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from peer_support.domain.roles import Role
    from peer_support.ui.trust.page import RolesDialog

    window = _window(qtbot, team)
    window.show_area("trust")
    page = window._pages["trust"]
    heard: list[frozenset[Kind]] = []
    signals.data_changed.connect(heard.append)
    try:
        page.new_user_edit.setText("Owen  Organiser")
        page.new_user_role.setCurrentIndex(page.new_user_role.findData(Role.ORGANISER.value))
        page._on_add_user_clicked()
        page.users_view.selectRow(page.users_model.keys.index("Vic Volunteer"))

        def make_lead(dialog):
            dialog.boxes[Role.LEAD].setChecked(True)
            return QDialog.DialogCode.Accepted

        monkeypatch.setattr(RolesDialog, "exec", make_lead)
        page._on_roles_clicked()
    finally:
        signals.data_changed.disconnect(heard.append)
    assert heard == [frozenset({Kind.USER})] * 2
    stack = window.undo_stack
    assert [stack.text(i) for i in range(stack.count())] == ["Add user Owen Organiser",
                                                             "Change the roles of Vic Volunteer"]
    assert "Owen Organiser" in page.users_model.keys
    stack.undo()
    assert {u.name: u.roles for u in users.list_users(team)}["Vic Volunteer"] == (Role.VOLUNTEER,)
    stack.undo()
    assert "Owen Organiser" not in [u.name for u in users.list_users(team)]
    assert "Owen Organiser" not in page.users_model.keys  # the page heard the undo too
