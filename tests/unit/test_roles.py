"""Roles through the services: what a lead, a volunteer and an organiser may do, PINs, the users list."""

from __future__ import annotations

from datetime import date

import pytest

from peer_support.domain.families import FamilyDraft
from peer_support.domain.fund import ApprovalDraft
from peer_support.domain.roles import AREA_PERMISSIONS, ROLE_PERMISSIONS, Permission, PermissionDenied, Role
from peer_support.errors import ConflictError, ValidationError
from peer_support.services import access, users
from peer_support.services.families import create_family, get_family, search_families
from peer_support.services.fund import approve_application
from peer_support.services.fund_queries import list_applications
from peer_support.services.history import history_of
from peer_support.services.meetings import list_meetings
from peer_support.services.outcomes import record_keyed
from peer_support.services.packs import list_batches, list_packs
from peer_support.services.period_report import build_period_report
from peer_support.services.privacy import erase_family
from peer_support.services.register import door_matches
from peer_support.services.settings import get_group_settings, save_group_settings


@pytest.fixture
def team(sample_context):
    """A lead (with a PIN), a volunteer and an organiser on the sample data; the lead is signed in."""
    users.add_user(sample_context, "Lena Lead", pin="2468")
    access.sign_in(sample_context, "Lena Lead", "2468")
    users.add_user(sample_context, "Vic Volunteer", "volunteer")
    users.add_user(sample_context, "Olga Organiser", "organiser")
    return sample_context


def act_as(context, name: str, pin: str | None = None) -> None:
    access.sign_in(context, name, pin)


def _first_outstanding_code(context) -> str:
    batch = list_batches(context)[0].reference
    return next(p.code for p in list_packs(context, batch) if p.status == "outstanding")


# Each job: (what it is, the call, the roles that may do it).
JOBS = [
    ("read a family's details and notes", lambda c: get_family(c, "F0001"), {Role.LEAD}),
    ("search the families list", lambda c: search_families(c, "Baker"), {Role.LEAD}),
    ("add a family", lambda c: create_family(c, FamilyDraft(name="New Family")), {Role.LEAD}),
    ("see fund applications", lambda c: list_applications(c), {Role.LEAD}),
    ("see a record's history", lambda c: history_of(c, "family", "x"), {Role.LEAD}),
    ("see the audit log", lambda c: users.audit_log(c), {Role.LEAD}),
    ("change the group's settings",
     lambda c: save_group_settings(c, get_group_settings(c)), {Role.LEAD}),
    ("find a family at the door", lambda c: door_matches(c, "baker"), {Role.LEAD, Role.VOLUNTEER}),
    ("see the meetings", lambda c: list_meetings(c), {Role.LEAD, Role.VOLUNTEER, Role.ORGANISER}),
    ("build the period report", lambda c: build_period_report(c, date(2026, 1, 1), date(2026, 6, 30)),
     {Role.LEAD, Role.ORGANISER}),
    ("type in a feedback form", lambda c: record_keyed(c, "Q01", None, "41"),
     {Role.LEAD, Role.VOLUNTEER, Role.ORGANISER}),
    ("erase a family", lambda c: erase_family(c, "F0005"), {Role.LEAD}),
]
NAMES = {Role.LEAD: ("Lena Lead", "2468"), Role.VOLUNTEER: ("Vic Volunteer", None),
         Role.ORGANISER: ("Olga Organiser", None)}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_may_do_its_jobs_and_nothing_else(team, role):
    act_as(team, *NAMES[role])
    for job, call, roles in JOBS:
        if role in roles:
            call(team)  # raises if refused
        else:
            with pytest.raises(PermissionDenied) as refused:
                call(team)
            assert refused.value.exit_code == 5 and "ask a lead" in refused.value.message, job


def test_a_volunteer_logs_deliveries_but_plans_nothing(team):
    from peer_support.services.deliveries import record_scan, volunteer_id_for

    code = _first_outstanding_code(team)  # the lead hands out the pack
    act_as(team, "Vic Volunteer")
    volunteer = volunteer_id_for(team, "V002")
    record_scan(team, code, volunteer_id=volunteer)
    assert not access.allowed(team, Permission.PACKS) and access.allowed(team, Permission.DELIVERIES)


def test_only_a_lead_may_approve_more_than_the_pot_has_left(team):
    act_as(team, "Olga Organiser")
    draft = ApprovalDraft(amount_pence=10_000_000, decided_by="Olga", decided_on=date(2026, 11, 20),
                          override_reason="Urgent")
    with pytest.raises(PermissionDenied):
        approve_application(team, "A0001", draft)


def test_pins_are_scrypt_hashes_and_a_wrong_pin_is_refused(team):
    with team.db.read() as session:
        from sqlmodel import select

        from peer_support.storage.tables.core import AppUser
        stored = session.exec(select(AppUser.pin_hash).where(AppUser.name == "Lena Lead")).one()
    assert stored.startswith("scrypt$") and "2468" not in stored
    with pytest.raises(PermissionDenied, match="PIN"):
        access.sign_in(team, "Lena Lead", "1111")
    with pytest.raises(PermissionDenied, match="not on the users list"):
        access.sign_in(team, "Somebody Else", None)
    with pytest.raises(ValidationError):
        users.set_pin(team, "Lena Lead", "12")  # too short


def test_a_new_name_at_the_lock_screen_starts_as_a_volunteer(team):
    users.choose_user(team, "Newcomer Nia")
    assert access.current_session(team).roles == (Role.VOLUNTEER,)
    with pytest.raises(PermissionDenied):
        users.set_roles(team, "Newcomer Nia", "lead")  # a volunteer cannot promote themself


def test_roles_and_removal_are_a_leads_job_and_the_last_lead_stays(team):
    act_as(team, "Vic Volunteer")
    with pytest.raises(PermissionDenied):
        users.add_user(team, "Sneaky", "lead")
    act_as(team, "Lena Lead", "2468")
    users.set_roles(team, "Olga Organiser", "organiser,volunteer")
    assert {u.name: u.roles for u in users.list_users(team)}["Olga Organiser"] == (Role.VOLUNTEER, Role.ORGANISER)
    with pytest.raises(ConflictError):
        users.set_roles(team, "Lena Lead", "volunteer")
    users.remove_user(team, "Vic Volunteer")
    with pytest.raises(PermissionDenied):
        access.sign_in(team, "Vic Volunteer", None)


def test_the_audit_log_names_the_role(team):
    create_family(team, FamilyDraft(name="Logged Family"))
    entry = users.audit_log(team, limit=1)[0]
    assert entry.actor == "Lena Lead" and entry.actor_roles == "Lead"


def test_before_anyone_is_on_the_list_everything_is_allowed(context):
    assert access.allowed(context, Permission.PRIVACY)
    first = users.add_user(context, "First Person", "volunteer").record
    assert first.roles == (Role.LEAD, Role.VOLUNTEER)  # the first person leads


def test_every_permission_belongs_to_a_lead_and_every_area_to_a_permission():
    from pathlib import Path

    import peer_support

    assert ROLE_PERMISSIONS[Role.LEAD] == frozenset(Permission)
    ui = Path(peer_support.__file__).parent / "ui"
    areas = {path.parent.name for path in ui.glob("*/__init__.py")
             if "def create_page" in path.read_text(encoding="utf-8")}
    assert areas == set(AREA_PERMISSIONS)


def test_a_volunteer_sees_only_their_own_delivery_runs(team):
    from peer_support.services.packs import assign_run_volunteer, list_runs

    from peer_support.domain.families import VolunteerDraft
    from peer_support.services.families_volunteers import create_volunteer

    batch = list_batches(team)[0].reference
    every_run = list_runs(team, batch)
    create_volunteer(team, VolunteerDraft(name="Vic Volunteer"))
    assign_run_volunteer(team, batch, every_run[0].number, "Vic Volunteer")
    act_as(team, "Vic Volunteer")
    runs = list_runs(team, batch)
    assert [run.number for run in runs] == [every_run[0].number]
    packs = list_packs(team, batch)
    assert packs and {pack.run_number for pack in packs} == {every_run[0].number}
    act_as(team, "Lena Lead", "2468")
    assert len(list_runs(team, batch)) == len(every_run) > 1
