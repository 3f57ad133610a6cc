"""The dashboard and the period report as plain data, so the page, the PDF and
the spreadsheet show exactly the same figures.

Every figure carries where it leads (``Link``): the area key of the main
window and an item reference that the area's page understands through
``show_item``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

# The cards' figures (the first paint loads only that module).
from peer_support.domain.dashboard_figures import (FAMILIES_LAPSED, FAMILIES_MISSING_CONSENT,  # noqa: F401
                                                   LAPSED_AFTER_DAYS, BatchFigures, DashboardSummary,
                                                   FamilyFigure, FundFigures, Link, NextMeeting, PotFigures,
                                                   lapsed_cutoff)

if TYPE_CHECKING:  # the period report's parts; the dashboard's figures (first paint) need neither
    from peer_support.domain.fund_report import ReportGroup
    from peer_support.domain.outcomes import FormResults


# -- charts -------------------------------------------------------------------------

@dataclass(frozen=True)
class MeetingAttendance:
    reference: str
    on: date
    families_present: int
    walk_in_guests: int


@dataclass(frozen=True)
class MonthCount:
    month: date  # the first of the month
    count: int


@dataclass(frozen=True)
class NeedSpend:
    need: str  # domain.fund.Need value
    label: str  # translated
    paid_pence: int


@dataclass(frozen=True)
class DayCount:
    on: date
    count: int


@dataclass(frozen=True)
class ChartData:
    attendance: tuple[MeetingAttendance, ...]  # held meetings of the last 12 months, oldest first
    new_families: tuple[MonthCount, ...]  # the last 12 months, oldest first, empty months included
    fund_spend: tuple[NeedSpend, ...]  # every need type, in the fund's order
    batch_reference: str  # the batch of ``deliveries``, "" when there is none
    deliveries: tuple[DayCount, ...]  # delivered per day of that batch, oldest first


def month_starts(today: date, months: int = 12) -> list[date]:
    """The first days of the last ``months`` months, this one included, oldest first."""
    firsts = []
    year, month = today.year, today.month
    for _ in range(months):
        firsts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return firsts[::-1]


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), clamped to the month's end."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


# -- period report --------------------------------------------------------------------

@dataclass(frozen=True)
class MeetingLine:
    reference: str
    on: date
    topic: str
    families_present: int
    walk_in_guests: int
    creche_children: int
    themes: tuple[str, ...]  # translated Resilience Framework labels


@dataclass(frozen=True)
class BatchLine:
    reference: str
    name: str
    delivered: int  # packs delivered within the period
    families: int  # different families who got one


@dataclass(frozen=True)
class ThemeLine:
    key: str
    label: str
    meetings: int


@dataclass(frozen=True)
class PeriodReport:
    start: date
    end: date
    made_on: date
    group_name: str
    families_reached: int  # different families met, helped by the fund or sent a pack
    families_at_meetings: int
    families_helped_by_fund: int
    families_with_packs: int
    new_families: int
    meetings: tuple[MeetingLine, ...]
    fund_by_need: tuple[ReportGroup, ...]  # the funder report's totals per need type
    fund_paid_in_period_pence: int  # payments dated within the period, whatever their application
    batches: tuple[BatchLine, ...]
    themes: tuple[ThemeLine, ...] = field(default=())
    # What families told us on feedback forms in the period (figures of fewer than 5 answers hidden).
    outcomes: tuple[FormResults, ...] = field(default=())

    @property
    def meetings_held(self) -> int:
        return len(self.meetings)

    @property
    def families_present(self) -> int:
        return sum(line.families_present for line in self.meetings)

    @property
    def walk_in_guests(self) -> int:
        return sum(line.walk_in_guests for line in self.meetings)

    @property
    def creche_children(self) -> int:
        return sum(line.creche_children for line in self.meetings)

    @property
    def total_attendance(self) -> int:
        """Families present plus walk-in guests (crèche children are counted apart)."""
        return self.families_present + self.walk_in_guests

    @property
    def applications(self) -> int:
        return sum(line.applications for line in self.fund_by_need)

    @property
    def approved(self) -> int:
        return sum(line.approved for line in self.fund_by_need)

    @property
    def requested_pence(self) -> int:
        return sum(line.requested_pence for line in self.fund_by_need)

    @property
    def approved_pence(self) -> int:
        return sum(line.approved_pence for line in self.fund_by_need)

    @property
    def paid_pence(self) -> int:
        return sum(line.paid_pence for line in self.fund_by_need)

    @property
    def packs_delivered(self) -> int:
        return sum(line.delivered for line in self.batches)

    @property
    def themes_covered(self) -> tuple[ThemeLine, ...]:
        return tuple(theme for theme in self.themes if theme.meetings)
