"""The meeting schedule as an iCalendar file (RFC 5545) for Google Calendar,
Outlook and Thunderbird.

Times carry TZID=Europe/London with a VTIMEZONE, so a 18:00 meeting stays at
18:00 on both sides of the clock change. Each event's UID is derived from the
meeting's id, so importing a newer file updates events instead of duplicating them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

from peer_support.clock import LONDON
from peer_support.domain.meetings import MeetingRecord, MeetingStatus, tag_label
from peer_support.exports.files import atomic_output
from peer_support.i18n import _

PRODID = "-//Peer Support//Meetings//EN"
UID_DOMAIN = "peer-support.invalid"


def meeting_uid(meeting: MeetingRecord) -> str:
    return f"meeting-{meeting.id}@{UID_DOMAIN}"


def _summary(meeting: MeetingRecord, group_name: str) -> str:
    title = meeting.topic or _("Peer support meeting")
    return f"{group_name}: {title}" if group_name else title


def _description(meeting: MeetingRecord) -> str:
    parts = []
    if meeting.status is MeetingStatus.CANCELLED:
        parts.append(_("Cancelled: %(reason)s") % {"reason": meeting.cancel_reason})
    if meeting.facilitator:
        parts.append(_("Facilitator: %(name)s") % {"name": meeting.facilitator})
    if meeting.tags:
        parts.append(_("Themes: %(tags)s") % {"tags": ", ".join(tag_label(t) for t in meeting.tags)})
    if meeting.agenda:
        parts.append(meeting.agenda)
    if meeting.online_link:
        parts.append(_("Join online: %(link)s") % {"link": meeting.online_link})
    return "\n\n".join(parts)


def build_calendar(meetings: list[MeetingRecord], group_name: str, stamp: datetime) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", group_name or _("Peer support meetings"))
    calendar.add("x-wr-timezone", "Europe/London")
    calendar.add_component(london_timezone())  # before the events, as Outlook expects
    for meeting in meetings:
        event = Event()
        event.add("uid", meeting_uid(meeting))
        event.add("dtstamp", stamp)
        event.add("dtstart", meeting.starts_at.astimezone(LONDON))
        event.add("dtend", meeting.ends_at.astimezone(LONDON))
        event.add("summary", _summary(meeting, group_name))
        if meeting.venue:
            event.add("location", meeting.venue)
        if meeting.online_link:
            event.add("url", meeting.online_link)
        description = _description(meeting)
        if description:
            event.add("description", description)
        event.add("status", "CANCELLED" if meeting.status is MeetingStatus.CANCELLED else "CONFIRMED")
        if meeting.tags:
            event.add("categories", [tag_label(t) for t in meeting.tags])
        calendar.add_component(event)
    return calendar


def london_timezone() -> Timezone:
    """Europe/London as the UK has kept it since 1996 (last Sunday of March/October, 01:00 UTC).

    A compact rule, as Outlook and Thunderbird write it, instead of a list of every
    past change (which icalendar generates and which stops in 2038).
    """
    zone = Timezone()
    zone.add("tzid", "Europe/London")
    for kind, name, month, hour, offset_from, offset_to in (
            (TimezoneDaylight, "BST", 3, 1, timedelta(0), timedelta(hours=1)),
            (TimezoneStandard, "GMT", 10, 2, timedelta(hours=1), timedelta(0))):
        part = kind()
        part.add("tzname", name)
        part.add("tzoffsetfrom", offset_from)
        part.add("tzoffsetto", offset_to)
        part.add("dtstart", datetime(1970, month, 29 if month == 3 else 25, hour, 0))
        part.add("rrule", {"freq": "yearly", "bymonth": month, "byday": "-1SU"})
        zone.add_component(part)
    return zone


def write_ics(meetings: list[MeetingRecord], path: str | Path, group_name: str, stamp: datetime) -> Path:
    """Write the calendar whole or not at all; raises ExportError."""
    data = build_calendar(meetings, group_name, stamp).to_ical()
    with atomic_output(path) as partial:
        partial.write_bytes(data)
    return Path(path)
