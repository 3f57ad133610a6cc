"""A meeting's and an attendance's status, and local (Europe/London) times as UTC instants.

Apart from the records (domain/meetings.py, which re-exports these names) because the
dashboard's first paint needs only this.
"""

from __future__ import annotations

from datetime import date, datetime, time, timezone
from enum import Enum

from peer_support.clock import LONDON
from peer_support.errors import ValidationError
from peer_support.i18n import _, pgettext


class MeetingStatus(str, Enum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return {"planned": pgettext("meeting status", "Planned"),
                "held": pgettext("meeting status", "Held"),
                "cancelled": pgettext("meeting status", "Cancelled")}[self.value]


class AttendanceStatus(str, Enum):
    PRESENT = "present"
    APOLOGIES = "apologies"
    ABSENT = "absent"

    @property
    def label(self) -> str:
        return {"present": pgettext("attendance", "Present"),
                "apologies": pgettext("attendance", "Apologies"),
                "absent": pgettext("attendance", "Absent")}[self.value]


def local_to_utc(day: date, at: time) -> datetime:
    """A Europe/London wall-clock time on ``day`` as an aware UTC instant.

    Times that do not exist (the hour skipped when clocks go forward) are refused;
    a time that happens twice (clocks going back) means the first one.
    """
    local = datetime.combine(day, at, tzinfo=LONDON)
    instant = local.astimezone(timezone.utc)
    if instant.astimezone(LONDON).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise ValidationError(_("%(time)s does not exist on %(date)s: the clocks go forward then.")
                              % {"time": at.strftime("%H:%M"), "date": day.isoformat()}, field="time")
    return instant
