"""Meetings: plan, edit, hold or cancel one meeting; list and find them.

Recurring schedules are in meetings_schedule.py, the register in register.py,
actions in actions.py.
"""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlparse

from sqlmodel import Session, col, func, select

from peer_support.context import AppContext
from peer_support.domain.changes import Saved
from peer_support.domain.meetings import (AttendancePoint, AttendanceStatus, MeetingDraft, MeetingRecord,
                                          MeetingStatus, local_span, meeting_reference, parse_tags)
from peer_support.errors import NotFoundError, ValidationError
from peer_support.i18n import _
from peer_support.storage.conditions import live
from peer_support.storage.tables.meetings import Attendance, Meeting
from peer_support.domain.roles import Permission
from peer_support.services.access import require

MAX_TEXT = 20_000
MAX_COUNT = 1000


def find_meeting_row(session: Session, reference: str) -> Meeting:
    meeting = session.exec(select(Meeting).where(Meeting.reference == reference.strip().upper(),
                                                 live(Meeting))).first()
    if meeting is None:
        raise NotFoundError(_("No meeting has the reference %(reference)s.") % {"reference": reference.strip()})
    return meeting


def meeting_records(session: Session, meetings: list[Meeting]) -> list[MeetingRecord]:
    """Rows to records, with present/apologies counts from one query."""
    ids = [meeting.id for meeting in meetings]
    counts: Counter = Counter()
    if ids:
        rows = session.exec(select(Attendance.meeting_id, Attendance.status, func.count())
                            .where(col(Attendance.meeting_id).in_(ids), live(Attendance))
                            .group_by(Attendance.meeting_id, Attendance.status))
        for meeting_id, status, count in rows:
            counts[(meeting_id, status)] = count
    return [MeetingRecord(
        id=m.id, reference=m.reference, starts_at=m.starts_at, ends_at=m.ends_at, venue=m.venue,
        online_link=m.online_link, topic=m.topic, facilitator=m.facilitator, agenda=m.agenda,
        notes=m.notes, status=MeetingStatus(m.status), cancel_reason=m.cancel_reason,
        tags=tuple(t for t in m.tags.split(",") if t), walk_in_guests=m.walk_in_guests,
        creche_children=m.creche_children,
        present_count=counts[(m.id, AttendanceStatus.PRESENT.value)],
        apologies_count=counts[(m.id, AttendanceStatus.APOLOGIES.value)], series_id=m.series_id)
        for m in meetings]


def meeting_record(session: Session, meeting: Meeting) -> MeetingRecord:
    return meeting_records(session, [meeting])[0]


def _check_text(draft: MeetingDraft) -> None:
    for value in (draft.venue, draft.topic, draft.facilitator, draft.agenda, draft.notes):
        if len(value) > MAX_TEXT:
            raise ValidationError(_("That text is too long (at most %(limit)d characters).")
                                  % {"limit": MAX_TEXT})
    link = draft.online_link.strip()
    if link:
        parsed = urlparse(link)
        if parsed.scheme not in ("http", "https") or not parsed.netloc or " " in link:
            raise ValidationError(_("'%(link)s' is not a web address. It should start with https://.")
                                  % {"link": link}, field="online_link")


def apply_draft(meeting: Meeting, draft: MeetingDraft) -> None:
    """Copy a validated draft onto a row (local times converted to UTC instants)."""
    _check_text(draft)
    meeting.starts_at, meeting.ends_at = local_span(draft.on, draft.start, draft.end)
    meeting.venue = draft.venue.strip()
    meeting.online_link = draft.online_link.strip()
    meeting.topic = draft.topic.strip()
    meeting.facilitator = draft.facilitator.strip()
    meeting.agenda = draft.agenda.strip()
    meeting.notes = draft.notes.strip()
    meeting.tags = ",".join(parse_tags(draft.tags))


def taken_references(session: Session) -> set[str]:
    return set(session.exec(select(Meeting.reference)))


def add_meeting(session: Session, draft: MeetingDraft, series_id: str | None = None,
                taken: set[str] | None = None) -> Meeting:
    """Write a new planned meeting inside an open unit of work."""
    taken = taken_references(session) if taken is None else taken
    # Table models are not validated on creation: apply_draft fills the required fields.
    meeting = Meeting(series_id=series_id)  # type: ignore[call-arg]
    apply_draft(meeting, draft)
    meeting.reference = meeting_reference(draft.on, taken)
    taken.add(meeting.reference)
    session.add(meeting)
    # Without ORM relationships SQLAlchemy does not order inserts by foreign key: flush now,
    # so the series before it and the register lines after it find their rows.
    session.flush()
    return meeting


def create_meeting(context: AppContext, draft: MeetingDraft) -> Saved[MeetingRecord]:
    """Plan one meeting. Raises ValidationError; commits."""
    require(context, Permission.MEETINGS)
    with context.db.transaction(_("Plan meeting on %(date)s") % {"date": draft.on.isoformat()}) as uow:
        meeting = add_meeting(uow.session, draft)
        uow.session.flush()
        return Saved(meeting_record(uow.session, meeting), uow.changes)


def update_meeting(context: AppContext, reference: str, draft: MeetingDraft) -> Saved[MeetingRecord]:
    """Change one meeting's details (never its siblings in a series); the reference stays.

    Raises NotFoundError or ValidationError; commits.
    """
    require(context, Permission.MEETINGS)
    with context.db.transaction(_("Edit meeting %(reference)s") % {"reference": reference}) as uow:
        meeting = find_meeting_row(uow.session, reference)
        apply_draft(meeting, draft)
        uow.session.add(meeting)
        uow.session.flush()
        return Saved(meeting_record(uow.session, meeting), uow.changes)


def set_meeting_status(context: AppContext, reference: str, status: MeetingStatus | str,
                       reason: str = "") -> Saved[MeetingRecord]:
    """Mark a meeting planned, held or cancelled (a cancellation needs a reason).

    Raises NotFoundError or ValidationError; commits.
    """
    require(context, Permission.MEETINGS)
    try:
        status = MeetingStatus(status)
    except ValueError:
        raise ValidationError(_("'%(status)s' is not a meeting status.") % {"status": status}) from None
    reason = reason.strip()
    if status is MeetingStatus.CANCELLED and not reason:
        raise ValidationError(_("Say why the meeting is cancelled."), field="cancel_reason")
    with context.db.transaction(_("Mark meeting %(reference)s as %(status)s")
                                % {"reference": reference, "status": status.label}) as uow:
        meeting = find_meeting_row(uow.session, reference)
        meeting.status = status.value
        meeting.cancel_reason = reason if status is MeetingStatus.CANCELLED else ""
        uow.session.add(meeting)
        uow.session.flush()
        return Saved(meeting_record(uow.session, meeting), uow.changes)


def set_door_counts(context: AppContext, reference: str, walk_in_guests: int,
                    creche_children: int) -> Saved[MeetingRecord]:
    """Set the anonymous walk-in guests and crèche children counts. Raises ValidationError; commits."""
    require(context, Permission.REGISTER)
    for value in (walk_in_guests, creche_children):
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_COUNT:
            raise ValidationError(_("A count must be a whole number from 0 to %(limit)d.")
                                  % {"limit": MAX_COUNT}, field="count")
    with context.db.transaction(_("Count guests at %(reference)s") % {"reference": reference}) as uow:
        meeting = find_meeting_row(uow.session, reference)
        meeting.walk_in_guests, meeting.creche_children = walk_in_guests, creche_children
        uow.session.add(meeting)
        uow.session.flush()
        return Saved(meeting_record(uow.session, meeting), uow.changes)


def get_meeting(context: AppContext, reference: str) -> MeetingRecord:
    with context.db.read() as session:
        return meeting_record(session, find_meeting_row(session, reference))


def list_meetings(context: AppContext, upcoming: bool | None = None) -> list[MeetingRecord]:
    """All meetings by start; ``upcoming`` True: from today on (soonest first),
    False: before now (latest first)."""
    now = context.clock.now()
    with context.db.read() as session:
        query = select(Meeting).where(live(Meeting))
        if upcoming is True:
            query = query.where(Meeting.ends_at >= now).order_by(col(Meeting.starts_at))
        elif upcoming is False:
            query = query.where(Meeting.ends_at < now).order_by(col(Meeting.starts_at).desc())
        else:
            query = query.order_by(col(Meeting.starts_at))
        return meeting_records(session, list(session.exec(query)))


def attendance_over_time(context: AppContext) -> list[AttendancePoint]:
    """Families present, guests and crèche children at each held meeting, oldest first."""
    held = [m for m in list_meetings(context) if m.status is MeetingStatus.HELD]
    return [AttendancePoint(meeting_reference=m.reference, on=m.on, families_present=m.present_count,
                            walk_in_guests=m.walk_in_guests, creche_children=m.creche_children)
            for m in held]


def tag_coverage(context: AppContext) -> Counter:
    """How many held meetings covered each Resilience Framework compartment."""
    counts: Counter = Counter()
    for meeting in list_meetings(context):
        if meeting.status is MeetingStatus.HELD:
            counts.update(meeting.tags)
    return counts
