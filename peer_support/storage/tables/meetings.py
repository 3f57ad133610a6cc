"""Monthly meetings, their register (attendance) and the actions agreed at them."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field

from peer_support.storage.ownership import FAMILY, VOLUNTEER, NotPersonal, Owned
from peer_support.storage.tables.base import Entity
from peer_support.storage.types import UTCDateTime


class MeetingSeries(Entity, table=True):
    """The rule a run of meetings was created from (kept so the plan can be explained later).

    Meetings made from it are independent rows: editing one never changes the others.
    """

    __tablename__ = "meeting_series"
    __owner__ = NotPersonal("the plan of the group's meetings")

    rule: str  # an RFC 5545 RRULE, e.g. FREQ=MONTHLY;BYDAY=2TU
    first_on: date
    last_on: date
    start_time: str = Field(max_length=5)  # "18:00", Europe/London wall-clock time
    end_time: str = Field(max_length=5)
    skipped: str = Field(default="")  # ISO dates separated by commas


class Meeting(Entity, table=True):
    __owner__ = NotPersonal("a group meeting (who came is in attendance)",
                            free_text=("topic", "facilitator", "agenda", "notes", "cancel_reason"))

    reference: str = Field(unique=True, max_length=16)  # M2026-03
    # Instants in UTC; the local (Europe/London) date and times are derived from them.
    starts_at: datetime = Field(sa_type=UTCDateTime, index=True)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    venue: str = Field(default="")
    online_link: str = Field(default="")
    topic: str = Field(default="")
    facilitator: str = Field(default="")
    agenda: str = Field(default="")
    notes: str = Field(default="")
    status: str = Field(default="planned", max_length=16)  # planned | held | cancelled
    cancel_reason: str = Field(default="")
    tags: str = Field(default="")  # resilience compartments, comma-separated keys
    walk_in_guests: int = Field(default=0)
    creche_children: int = Field(default=0)
    series_id: str | None = Field(default=None, foreign_key="meeting_series.id")


class Attendance(Entity, table=True):
    """One family's line on a meeting's register."""

    __owner__ = Owned(FAMILY, via=("family_id",))

    meeting_id: str = Field(foreign_key="meeting.id", index=True)
    family_id: str = Field(foreign_key="family.id", index=True)
    status: str = Field(max_length=16)  # present | apologies | absent
    marked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class MeetingAction(Entity, table=True):
    """Something agreed at a meeting, followed up until done."""

    __tablename__ = "meeting_action"
    # An action a family (or one of its members) owns is about that family; one a volunteer
    # owns is the group's task: only the volunteer's name, shown beside it, is theirs.
    __owner__ = (Owned(FAMILY, via=("owner_family_id",), personal=("description",),
                       free_text=("description",)),
                 Owned(FAMILY, via=("owner_member_id", "family_id"), personal=("description",)),
                 Owned(VOLUNTEER, via=("owner_volunteer_id",)))

    meeting_id: str = Field(foreign_key="meeting.id", index=True)
    description: str
    # The owner is a volunteer, or a family (optionally one named member of it).
    owner_volunteer_id: str | None = Field(default=None, foreign_key="volunteer.id")
    owner_family_id: str | None = Field(default=None, foreign_key="family.id")
    owner_member_id: str | None = Field(default=None, foreign_key="family_member.id")
    due_on: date | None = Field(default=None)
    done: bool = Field(default=False, index=True)
    done_on: date | None = Field(default=None)
