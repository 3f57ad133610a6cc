"""Plan a run of meetings from a rule ("second Tuesday of each month, 18:00-19:30").

Each date becomes its own meeting row; the series row only records the rule, so
editing or cancelling one occurrence never changes the others.
"""

from __future__ import annotations

from dataclasses import replace

from peer_support.context import AppContext
from peer_support.domain.changes import Saved
from peer_support.domain.meetings import MeetingDraft, MeetingRecord, ScheduleRule, schedule_dates
from peer_support.errors import ValidationError
from peer_support.i18n import _, ngettext
from peer_support.services.meetings import add_meeting, meeting_records, taken_references
from peer_support.storage.tables.meetings import MeetingSeries
from peer_support.domain.roles import Permission
from peer_support.services.access import require


def preview_schedule(rule: ScheduleRule) -> list:
    """The dates a rule would give (nothing is written). Raises ValidationError."""
    return schedule_dates(rule)


def create_schedule(context: AppContext, rule: ScheduleRule,
                    template: MeetingDraft) -> Saved[list[MeetingRecord]]:
    """Plan one meeting per date of ``rule``, each a copy of ``template`` at the rule's times.

    Raises ValidationError (bad rule, no dates, bad details); all meetings or none. Commits.
    """
    require(context, Permission.MEETINGS)
    dates = schedule_dates(rule)
    if not dates:
        raise ValidationError(_("That rule gives no dates between the first and last day."), field="rule")
    with context.db.transaction(ngettext("Plan %(count)d meeting", "Plan %(count)d meetings", len(dates))
                                % {"count": len(dates)}) as uow:
        session = uow.session
        series = MeetingSeries(rule=rule.rrule_text(), first_on=rule.first_on, last_on=rule.last_on,
                               start_time=rule.start.strftime("%H:%M"), end_time=rule.end.strftime("%H:%M"),
                               skipped=",".join(day.isoformat() for day in sorted(rule.skip)))
        session.add(series)
        taken = taken_references(session)
        meetings = [add_meeting(session, replace(template, on=day, start=rule.start, end=rule.end),
                                series_id=series.id, taken=taken) for day in dates]
        session.flush()
        return Saved(meeting_records(session, meetings), uow.changes)
