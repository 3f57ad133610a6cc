"""Meetings, register and actions as the rest of the app sees them, and pure rules:
local (Europe/London) times to UTC instants, recurring schedules, references."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from peer_support.clock import LONDON
from peer_support.domain.meeting_status import AttendanceStatus as AttendanceStatus
from peer_support.domain.meeting_status import MeetingStatus as MeetingStatus
from peer_support.domain.meeting_status import local_to_utc as local_to_utc
from peer_support.errors import ValidationError
from peer_support.i18n import N_, _, ngettext



# The five compartments of the Resilience Framework (Hart & Blincow), in their usual order.
RESILIENCE_TAGS: dict[str, str] = {
    "basics": N_("Basics"),
    "belonging": N_("Belonging"),
    "learning": N_("Learning"),
    "coping": N_("Coping"),
    "core_self": N_("Core Self"),
}


def tag_label(key: str) -> str:
    return _(RESILIENCE_TAGS[key]) if key in RESILIENCE_TAGS else key


def parse_tags(values) -> tuple[str, ...]:
    """Tag keys or (translated or English) labels -> keys in framework order."""
    wanted: set[str] = set()
    for value in values:
        text = value.strip()
        if not text:
            continue
        key = next((k for k, label in RESILIENCE_TAGS.items()
                    if text.lower() in (k, label.lower(), _(label).lower(), k.replace("_", " "))), None)
        if key is None:
            raise ValidationError(_("'%(tag)s' is not a Resilience Framework compartment. Choose from: "
                                    "%(choices)s.") % {"tag": text, "choices": ", ".join(
                                        _(label) for label in RESILIENCE_TAGS.values())}, field="tags")
        wanted.add(key)
    return tuple(k for k in RESILIENCE_TAGS if k in wanted)


# -- local times ------------------------------------------------------------------------

def parse_clock_time(text: str) -> time:
    """'18:00', '18.00' or '6:30' -> time; ValidationError otherwise."""
    match = re.fullmatch(r"\s*(\d{1,2})[:.](\d{2})\s*", text or "")
    if match and int(match[1]) < 24 and int(match[2]) < 60:
        return time(int(match[1]), int(match[2]))
    raise ValidationError(_("'%(text)s' is not a time. Use the 24-hour form, for example 18:30.")
                          % {"text": (text or "").strip()}, field="time")


def local_span(day: date, start: time, end: time) -> tuple[datetime, datetime]:
    if end <= start:
        raise ValidationError(_("A meeting must end after it starts."), field="end")
    return local_to_utc(day, start), local_to_utc(day, end)


# -- recurring schedules ----------------------------------------------------------------

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class ScheduleRule:
    """'The second Tuesday of each month, 18:00-19:30', from ``first_on`` to ``last_on``.

    ``nth`` is 1-4 or -1 (the last); ``weekday`` 0 = Monday. With ``nth`` 0 the
    meeting is every ``interval`` weeks on that weekday.
    """

    first_on: date
    last_on: date
    weekday: int
    nth: int = 2
    start: time = time(18, 0)
    end: time = time(19, 30)
    interval: int = 1
    skip: tuple[date, ...] = ()

    def rrule_text(self) -> str:
        day = WEEKDAYS[self.weekday]
        if self.nth:
            return f"FREQ=MONTHLY;INTERVAL={self.interval};BYDAY={self.nth}{day}"
        return f"FREQ=WEEKLY;INTERVAL={self.interval};BYDAY={day}"


MAX_OCCURRENCES = 120


def schedule_dates(rule: ScheduleRule) -> list[date]:
    """The dates the rule gives, without the skipped ones. Raises ValidationError."""
    # dateutil loads here, not with the module: the dashboard's first paint uses the statuses only.
    from dateutil.rrule import MONTHLY, WEEKLY, rrule, weekday

    if rule.last_on < rule.first_on:
        raise ValidationError(_("The schedule must end on or after its first date."), field="last_on")
    if not 0 <= rule.weekday <= 6 or rule.nth not in (-1, 0, 1, 2, 3, 4) or not 1 <= rule.interval <= 12:
        raise ValidationError(_("Choose a weekday and which one of the month."), field="rule")
    if rule.end <= rule.start:
        raise ValidationError(_("A meeting must end after it starts."), field="end")
    start = datetime.combine(rule.first_on, time())
    until = datetime.combine(rule.last_on, time())
    if rule.nth:
        dates = rrule(MONTHLY, interval=rule.interval, byweekday=weekday(rule.weekday, rule.nth),
                      dtstart=start, until=until)
    else:
        dates = rrule(WEEKLY, interval=rule.interval, byweekday=rule.weekday, dtstart=start, until=until)
    skipped = set(rule.skip)
    found = [moment.date() for moment in dates if moment.date() not in skipped]
    if len(found) > MAX_OCCURRENCES:
        raise ValidationError(ngettext("That schedule makes %(count)d meeting; plan at most %(limit)d at once.",
                                       "That schedule makes %(count)d meetings; plan at most %(limit)d at once.",
                                       len(found)) % {"count": len(found), "limit": MAX_OCCURRENCES},
                              field="last_on")
    return found


def describe_rule(rule_text: str) -> str:
    """A stored RRULE back as a dateutil rule (for checks and tests)."""
    from dateutil.rrule import rrulestr

    return str(rrulestr(rule_text, dtstart=datetime(2000, 1, 1)))


def meeting_reference(day: date, taken: set[str]) -> str:
    """M2026-03; a second meeting in the same month gets M2026-03-2, and so on."""
    base = f"M{day.year:04d}-{day.month:02d}"
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


# -- records ------------------------------------------------------------------------------



@dataclass(frozen=True)
class MeetingDraft:
    """What a user enters for one meeting (local date and wall-clock times)."""

    on: date
    start: time = time(18, 0)
    end: time = time(19, 30)
    venue: str = ""
    online_link: str = ""
    topic: str = ""
    facilitator: str = ""
    agenda: str = ""
    notes: str = ""
    tags: tuple[str, ...] = ()


@dataclass(frozen=True)
class MeetingRecord:
    id: str
    reference: str
    starts_at: datetime
    ends_at: datetime
    venue: str
    online_link: str
    topic: str
    facilitator: str
    agenda: str
    notes: str
    status: MeetingStatus
    cancel_reason: str
    tags: tuple[str, ...]
    walk_in_guests: int
    creche_children: int
    present_count: int = 0
    apologies_count: int = 0
    series_id: str | None = None

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(LONDON)

    @property
    def local_end(self) -> datetime:
        return self.ends_at.astimezone(LONDON)

    @property
    def on(self) -> date:
        return self.local_start.date()

    def draft(self) -> MeetingDraft:
        return MeetingDraft(on=self.on, start=self.local_start.time().replace(tzinfo=None),
                            end=self.local_end.time().replace(tzinfo=None), venue=self.venue,
                            online_link=self.online_link, topic=self.topic,
                            facilitator=self.facilitator, agenda=self.agenda, notes=self.notes,
                            tags=self.tags)


@dataclass(frozen=True)
class RegisterEntry:
    family_reference: str
    family_name: str
    status: AttendanceStatus | None  # None: not marked yet
    phone: str = ""


@dataclass(frozen=True)
class RegisterSummary:
    meeting: MeetingRecord
    entries: tuple[RegisterEntry, ...]


@dataclass(frozen=True)
class AttendanceHistoryItem:
    meeting_reference: str
    starts_at: datetime
    topic: str
    meeting_status: MeetingStatus
    status: AttendanceStatus | None


@dataclass(frozen=True)
class AttendancePoint:
    """One held meeting on the attendance chart."""

    meeting_reference: str
    on: date
    families_present: int
    walk_in_guests: int
    creche_children: int


@dataclass(frozen=True)
class ActionDraft:
    description: str
    owner: str = ""  # a volunteer (V003 or name), a family (F0042) or "F0042/Member name"
    due_on: date | None = None


@dataclass(frozen=True)
class ActionRecord:
    id: str
    meeting_reference: str
    meeting_on: date
    description: str
    owner: str  # shown to people: "Sarah Smith (F0042)"
    owner_key: str  # what ActionDraft.owner accepts: V003, F0042, F0042/Oliver Smith
    due_on: date | None
    done: bool
    done_on: date | None
    carried_forward: bool = False  # from an earlier meeting, still open
