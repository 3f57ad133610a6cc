"""The dashboard's cards as plain data: what the first page at start-up shows.

Kept apart from the charts and the period report (domain/dashboard.py, which
re-exports these names): the window's first paint loads only this.
Every figure carries where it leads (``Link``): the area key of the main
window and an item reference that the area's page understands through
``show_item``.

The figures are NamedTuples, not frozen dataclasses: this module loads before the window's
first paint, and a NamedTuple class is made in a sixth of the time (about 0.16 ms against
1 ms each on an old laptop).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

# How long without coming to a meeting before a family that used to come counts as lapsed.
LAPSED_AFTER_DAYS = 183  # six months

# Item references for lists rather than one item: the families page shows the
# matching families when asked for one of these (see services/dashboard.py for
# the exact rule of each).
FAMILIES_MISSING_CONSENT = "filter:missing-consent"
FAMILIES_LAPSED = "filter:lapsed"


def lapsed_cutoff(today: date) -> date:
    """Families with no attendance on or after this day are lapsed."""
    return today - timedelta(days=LAPSED_AFTER_DAYS)


class Link(NamedTuple):
    """Where a dashboard figure leads: ``navigate_requested.emit(area, item)``."""

    area: str
    item: str = ""


class NextMeeting(NamedTuple):
    reference: str
    starts_at: datetime
    topic: str
    venue: str
    open_actions: int  # not done yet: the meeting's own and those carried forward to it
    link: Link


class PotFigures(NamedTuple):
    name: str
    budget_pence: int
    committed_pence: int
    paid_pence: int
    waiting: int  # applications waiting for a decision
    link: Link

    @property
    def headroom_pence(self) -> int:
        """What can still be approved without an override."""
        return self.budget_pence - self.committed_pence


class FundFigures(NamedTuple):
    pots: tuple[PotFigures, ...]  # open pots, newest first
    waiting: int  # applications waiting for a decision, in every pot
    link: Link

    @property
    def headroom_pence(self) -> int:
        return sum(pot.headroom_pence for pot in self.pots)


class BatchFigures(NamedTuple):
    reference: str
    name: str
    total: int
    delivered: int
    outstanding: int
    problems: int
    link: Link

    @property
    def fraction_delivered(self) -> float:
        return self.delivered / self.total if self.total else 0.0


@dataclass(frozen=True)  # not a NamedTuple: its `count` would hide tuple.count
class FamilyFigure:
    count: int
    link: Link


class DashboardSummary(NamedTuple):
    today: date
    next_meeting: NextMeeting | None
    open_actions: int  # every action not done yet, whatever its meeting
    fund: FundFigures
    batch: BatchFigures | None  # the batch being delivered, else the latest one
    missing_consent: FamilyFigure
    lapsed: FamilyFigure
    active_families: int
