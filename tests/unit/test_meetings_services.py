"""Meetings: local times and DST, schedules, status, register, actions, bad input."""

from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest

from peer_support.domain.families import FamilyDraft
from peer_support.domain.meetings import (ActionDraft, AttendanceStatus, MeetingDraft, MeetingStatus,
                                          ScheduleRule, local_to_utc, meeting_reference, parse_clock_time,
                                          parse_tags, schedule_dates)
from peer_support.errors import NotFoundError, ValidationError
from peer_support.services.actions import actions_for_meeting, add_action, set_action_done, update_action
from peer_support.services.families import create_family, set_family_archived
from peer_support.services.meetings import (create_meeting, get_meeting, list_meetings, set_door_counts,
                                            set_meeting_status, update_meeting)
from peer_support.services.meetings_schedule import create_schedule
from peer_support.services.register import (add_newcomer, check_in, door_matches, family_attendance_history,
                                            get_register, mark_attendance, register_count, register_marks,
                                            register_page, register_position)
from peer_support.storage.tables.meetings import Meeting

TUESDAY = 1


def rule(**changes) -> ScheduleRule:
    values = dict(first_on=date(2027, 1, 1), last_on=date(2027, 12, 31), weekday=TUESDAY, nth=2,
                  start=time(18, 0), end=time(19, 30))
    values.update(changes)
    return ScheduleRule(**values)


def test_local_times_follow_british_summer_time():
    assert local_to_utc(date(2027, 3, 9), time(18)) == datetime(2027, 3, 9, 18, tzinfo=timezone.utc)
    assert local_to_utc(date(2027, 4, 13), time(18)) == datetime(2027, 4, 13, 17, tzinfo=timezone.utc)
    # 01:30 on the day the clocks go forward does not exist
    with pytest.raises(ValidationError):
        local_to_utc(date(2027, 3, 28), time(1, 30))


def test_second_tuesday_rule_skips_chosen_dates():
    dates = schedule_dates(rule(skip=(date(2027, 8, 10),)))
    assert len(dates) == 11 and date(2027, 8, 10) not in dates
    assert all(d.weekday() == TUESDAY and 8 <= d.day <= 14 for d in dates)
    assert rule().rrule_text() == "FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU"
    assert schedule_dates(rule(nth=-1, first_on=date(2027, 1, 1), last_on=date(2027, 1, 31))) == [date(2027, 1, 26)]


@pytest.mark.parametrize("bad", [
    dict(last_on=date(2026, 1, 1)), dict(end=time(17, 0)), dict(nth=7), dict(weekday=9),
    dict(nth=0, last_on=date(2035, 1, 1)),  # weekly for eight years: too many
])
def test_bad_rules_are_refused(bad):
    with pytest.raises(ValidationError):
        schedule_dates(rule(**bad))


@pytest.mark.parametrize("text", ["25:00", "18", "six", "", "18:7"])
def test_bad_times_are_refused(text):
    with pytest.raises(ValidationError):
        parse_clock_time(text)


def test_tags_accept_keys_and_labels_and_refuse_others():
    assert parse_tags(["Core Self", "basics", " "]) == ("basics", "core_self")
    with pytest.raises(ValidationError, match="Resilience"):
        parse_tags(["Fun"])


def test_references_are_per_month():
    assert meeting_reference(date(2027, 3, 9), set()) == "M2027-03"
    assert meeting_reference(date(2027, 3, 23), {"M2027-03"}) == "M2027-03-2"


def test_schedule_makes_independent_meetings_at_the_right_instants(context):
    made = create_schedule(context, rule(skip=(date(2027, 8, 10),)), MeetingDraft(on=date(2027, 1, 1),
                           venue="Church hall", topic="Monthly meeting", tags=("belonging",))).record
    assert [m.reference for m in made][:3] == ["M2027-01", "M2027-02", "M2027-03"]
    april = next(m for m in made if m.reference == "M2027-04")
    assert april.starts_at == datetime(2027, 4, 13, 17, tzinfo=timezone.utc)
    assert april.local_start.hour == 18 and april.local_end.strftime("%H:%M") == "19:30"
    update_meeting(context, "M2027-04", MeetingDraft(on=date(2027, 4, 20), start=time(10), end=time(12),
                                                     topic="Easter special", venue="Library"))
    others = [m for m in list_meetings(context) if m.reference != "M2027-04"]
    assert all(m.topic == "Monthly meeting" and m.local_start.hour == 18 for m in others)
    assert get_meeting(context, "m2027-04").topic == "Easter special"


def test_cancelling_needs_a_reason_and_bad_input_changes_nothing(context):
    create_meeting(context, MeetingDraft(on=date(2027, 2, 9), topic="Sleep"))
    with pytest.raises(ValidationError):
        set_meeting_status(context, "M2027-02", MeetingStatus.CANCELLED, "  ")
    with pytest.raises(ValidationError):
        update_meeting(context, "M2027-02", MeetingDraft(on=date(2027, 2, 9), online_link="zoom meeting"))
    with pytest.raises(ValidationError):
        set_door_counts(context, "M2027-02", -1, 3)
    with pytest.raises(NotFoundError):
        set_meeting_status(context, "M1999-01", MeetingStatus.HELD)
    meeting = get_meeting(context, "M2027-02")
    assert meeting.status is MeetingStatus.PLANNED and meeting.online_link == "" and meeting.walk_in_guests == 0
    _families(context, "Mette Jensen")
    cancelled = set_meeting_status(context, "M2027-02", "cancelled", "Snow").record
    assert cancelled.cancel_reason == "Snow"
    with pytest.raises(ValidationError):
        check_in(context, "M2027-02", "F0001")


def _families(context, *names):
    return [create_family(context, FamilyDraft(name=name, phone=f"07700 900{i:03d}")) for i, name in enumerate(names)]


def test_register_by_scan_letters_newcomer_and_history(context):
    create_meeting(context, MeetingDraft(on=date(2026, 11, 10)))
    kasia, sarah, sara = _families(context, "Katarzyna Nowak", "Sarah Smith", "Sara Smithson")
    assert check_in(context, "M2026-11", "f1").record.family_reference == kasia.reference  # scanned/typed ref
    assert check_in(context, "M2026-11", "nowak").record.family_name == "Katarzyna Nowak"  # idempotent
    with pytest.raises(ValidationError, match="Several"):
        check_in(context, "M2026-11", "smith")
    with pytest.raises(NotFoundError):
        check_in(context, "M2026-11", "zzz")
    assert [m.family_name for m in door_matches(context, "sar")][0] == "Sara Smithson"
    mark_attendance(context, "M2026-11", sarah.reference, AttendanceStatus.APOLOGIES)
    newcomer = add_newcomer(context, "M2026-11", "Jens Hansen", phone="07123 456789").record
    assert newcomer.status is AttendanceStatus.PRESENT and newcomer.family_reference == "F0004"
    register = {e.family_name: e.status for e in get_register(context, "M2026-11").entries}
    assert register == {"Katarzyna Nowak": AttendanceStatus.PRESENT, "Sarah Smith": AttendanceStatus.APOLOGIES,
                        "Sara Smithson": None, "Jens Hansen": AttendanceStatus.PRESENT}
    meeting = get_meeting(context, "M2026-11")
    assert (meeting.present_count, meeting.apologies_count) == (2, 1)
    mark_attendance(context, "M2026-11", kasia.reference, None)
    mark_attendance(context, "M2026-11", kasia.reference, "absent")  # revives the same line
    history = family_attendance_history(context, kasia.reference)
    assert [(h.meeting_reference, h.status) for h in history] == [("M2026-11", AttendanceStatus.ABSENT)]
    with pytest.raises(ValidationError):
        mark_attendance(context, "M2026-11", kasia.reference, "late")
    with pytest.raises(ValidationError):
        add_newcomer(context, "M2026-11", "   ")
    with context.db.read() as session:
        from sqlmodel import select

        from peer_support.storage.tables.meetings import Attendance
        assert len(session.exec(select(Attendance)).all()) == 3  # one line per family, never duplicated


def test_a_scanned_card_names_what_is_missing_and_writes_nothing(context):
    """A card's reference goes straight to the tick (one lookup); the errors are still those of a
    search first, then of the meeting: no family has the card, no such meeting, a cancelled one."""
    from sqlmodel import select

    from peer_support.storage.tables.core import Action

    create_meeting(context, MeetingDraft(on=date(2026, 11, 10)))
    (kasia,) = _families(context, "Katarzyna Nowak")
    with context.db.read() as session:
        actions = len(session.exec(select(Action)).all())
    with pytest.raises(NotFoundError, match="No family matches 'F0999'"):
        check_in(context, "M2026-11", "F0999")
    with pytest.raises(NotFoundError, match="No family matches 'F0999'"):  # also when the meeting is unknown
        check_in(context, "M1999-01", "F0999")
    with pytest.raises(NotFoundError, match="No meeting has the reference M1999-01"):
        check_in(context, "M1999-01", kasia.reference)
    with context.db.read() as session:
        assert len(session.exec(select(Action)).all()) == actions
    set_meeting_status(context, "M2026-11", "cancelled", "Snow")
    with context.db.read() as session:
        actions = len(session.exec(select(Action)).all())
    with pytest.raises(ValidationError, match="cancelled"):
        check_in(context, "M2026-11", "f1")
    with context.db.read() as session:
        assert len(session.exec(select(Action)).all()) == actions
    assert register_marks(context, "M2026-11") == {}


def test_open_actions_carry_forward_until_done(context):
    for day in (date(2026, 10, 13), date(2026, 11, 10), date(2026, 12, 8)):
        create_meeting(context, MeetingDraft(on=day))
    (family,) = _families(context, "Anja Müller")
    first = add_action(context, "M2026-10", ActionDraft("Book the hall", owner=family.reference,
                                                        due_on=date(2026, 11, 1))).record
    add_action(context, "M2026-10", ActionDraft("Thank the speaker"))
    done = add_action(context, "M2026-10", ActionDraft("Print leaflets")).record
    set_action_done(context, done.id)
    add_action(context, "M2026-11", ActionDraft("Ask the library"))
    december = actions_for_meeting(context, "M2026-12")
    assert [a.description for a in december] == ["Book the hall", "Thank the speaker", "Ask the library"]
    assert all(a.carried_forward for a in december) and december[0].owner == "Anja Müller (F0001)"
    set_action_done(context, first.id)
    assert "Book the hall" not in [a.description for a in actions_for_meeting(context, "M2026-12")]
    october = actions_for_meeting(context, "M2026-10")
    assert len(october) == 3 and not any(a.carried_forward for a in october)
    with pytest.raises(ValidationError):
        add_action(context, "M2026-10", ActionDraft("   "))
    with pytest.raises(NotFoundError):
        add_action(context, "M2026-10", ActionDraft("Call", owner="Nobody Known"))
    with pytest.raises(NotFoundError):
        update_action(context, first.id, ActionDraft("Call", owner=f"{family.reference}/Nobody"))
    assert actions_for_meeting(context, "M2026-10")[0].description == "Book the hall"


def test_sample_year_of_meetings(sample_context):
    meetings = list_meetings(sample_context)
    held = [m for m in meetings if m.status is MeetingStatus.HELD]
    planned = [m for m in list_meetings(sample_context, upcoming=True)]
    assert len(held) == 12 and len(planned) == 6
    assert all(30 <= m.present_count <= 70 and m.notes for m in held)
    assert all(m.status is MeetingStatus.PLANNED for m in planned)
    assert actions_for_meeting(sample_context, planned[0].reference)
    with sample_context.db.read() as session:
        from sqlmodel import select
        assert len(session.exec(select(Meeting)).all()) == 18


def test_register_pages_agree_with_the_whole_register(context):
    """The Meetings page reads the register a page at a time: the pages, the count, a family's
    position and the marks say what the whole register says (archived families only once marked)."""
    create_meeting(context, MeetingDraft(on=date(2026, 11, 10)))
    names = ["Zofia Kowalska", "Anna Berg", "Ewa Nowak", "Anna Berg", "Jens Hansen", "Mette Lund"]
    families = _families(context, *names)
    set_family_archived(context, families[4].reference, True)  # Jens: archived, not on the register
    set_family_archived(context, families[5].reference, True)
    mark_attendance(context, "M2026-11", families[5].reference, AttendanceStatus.APOLOGIES)  # Mette: marked
    mark_attendance(context, "M2026-11", families[2].reference, AttendanceStatus.PRESENT)
    mark_attendance(context, "M2026-11", families[0].reference, AttendanceStatus.ABSENT)
    mark_attendance(context, "M2026-11", families[0].reference, None)  # cleared again
    whole = list(get_register(context, "M2026-11").entries)
    assert [e.family_name for e in whole] == ["Anna Berg", "Anna Berg", "Ewa Nowak", "Mette Lund", "Zofia Kowalska"]
    assert register_count(context, "M2026-11") == 5
    assert register_page(context, "M2026-11", 0, 2) + register_page(context, "M2026-11", 2, 10) == whole
    for row, entry in enumerate(whole):
        assert register_position(context, "M2026-11", entry.family_reference) == row
    assert register_position(context, "M2026-11", families[4].reference) is None
    marked = [e for e in whole if e.status is not None]
    assert register_count(context, "M2026-11", marked_only=True) == 2
    assert register_page(context, "M2026-11", 0, 10, marked_only=True) == marked
    assert register_position(context, "M2026-11", families[5].reference, marked_only=True) == 1
    assert register_position(context, "M2026-11", families[1].reference, marked_only=True) is None
    assert register_marks(context, "M2026-11") == {families[2].reference: AttendanceStatus.PRESENT,
                                                   families[5].reference: AttendanceStatus.APOLOGIES}
    with pytest.raises(NotFoundError):
        register_page(context, "M2030-01", 0, 10)
