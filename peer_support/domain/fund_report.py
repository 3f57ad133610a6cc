"""The funder report as plain data, so the XLSX and the PDF show the same figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from peer_support.domain.fund import PotRecord


@dataclass(frozen=True)
class ReportLine:
    """One application as the funder sees it: no names, only the area."""

    reference: str
    received_on: date
    area: str
    need: str  # translated label
    status: str  # translated label
    requested_pence: int
    approved_pence: int  # committed: 0 when declined, withdrawn or waiting
    paid_pence: int


@dataclass(frozen=True)
class ReportGroup:
    """Totals for one need type or one area."""

    label: str
    applications: int
    approved: int
    requested_pence: int
    approved_pence: int
    paid_pence: int


@dataclass(frozen=True)
class FundReport:
    start: date
    end: date
    made_on: date
    pots: tuple[PotRecord, ...]
    lines: tuple[ReportLine, ...]
    by_need: tuple[ReportGroup, ...]
    by_area: tuple[ReportGroup, ...]
    applications: int
    approved: int
    declined: int
    withdrawn: int
    waiting: int
    families_helped: int

    @property
    def requested_pence(self) -> int:
        return sum(line.requested_pence for line in self.lines)

    @property
    def approved_pence(self) -> int:
        return sum(line.approved_pence for line in self.lines)

    @property
    def paid_pence(self) -> int:
        return sum(line.paid_pence for line in self.lines)

    @property
    def budget_pence(self) -> int:
        return sum(pot.budget_pence for pot in self.pots)

    @property
    def remaining_pence(self) -> int:
        return sum(pot.remaining_pence for pot in self.pots)
