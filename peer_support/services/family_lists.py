"""The two lists of families the dashboard counts and the families list can show:
families missing consent, and lapsed families. Pure query conditions, shared so
the dashboard's figure and the families page's filtered list always agree."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import func, select
from sqlmodel import col

from peer_support.domain.dashboard import FAMILIES_LAPSED, FAMILIES_MISSING_CONSENT, lapsed_cutoff
from peer_support.domain.meetings import AttendanceStatus, MeetingStatus, local_to_utc
from peer_support.errors import ValidationError
from peer_support.i18n import _
from peer_support.storage.conditions import live
from peer_support.storage.tables.families import Family
from peer_support.storage.tables.meetings import Attendance, Meeting

FAMILY_LISTS = (FAMILIES_MISSING_CONSENT, FAMILIES_LAPSED)


def _last_present_subquery():
    """Each family's latest meeting marked present (cancelled and removed meetings aside)."""
    return (select(Attendance.family_id.label("family_id"),
                   func.max(Meeting.starts_at).label("last_at"))
            .join(Meeting, Meeting.id == Attendance.meeting_id)
            .where(live(Attendance), live(Meeting),
                   Attendance.status == AttendanceStatus.PRESENT.value,
                   Meeting.status != MeetingStatus.CANCELLED.value)
            .group_by(Attendance.family_id).subquery())


def family_list_conditions(name: str, today: date) -> list:
    """WHERE clauses on Family for one of the lists.

    missing consent: no date of consent recorded (so nobody may contact them yet);
    lapsed: came to at least one meeting, but to none in the last six months.
    Raises ValidationError for an unknown list name.
    """
    if name == FAMILIES_MISSING_CONSENT:
        return [col(Family.consent_date).is_(None)]
    if name == FAMILIES_LAPSED:
        last = _last_present_subquery()
        cutoff = local_to_utc(lapsed_cutoff(today), time(0, 0))
        return [col(Family.id).in_(select(last.c.family_id).where(last.c.last_at < cutoff))]
    raise ValidationError(_("There is no list of families called '%(name)s'.") % {"name": name})


def family_list_title(name: str) -> str:
    """What the families page says it is showing."""
    if name == FAMILIES_MISSING_CONSENT:
        return _("Families missing consent")
    if name == FAMILIES_LAPSED:
        return _("Lapsed families")
    return name
