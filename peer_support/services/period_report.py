"""The period report funders ask for: who the group reached between two dates.

Scope (printed on the report too): meetings held between the two dates
(inclusive, Europe/London dates); fund figures are the fund's own funder report
for the same period (applications received in it, with their decisions and
payments so far), plus every payment dated within it; packs delivered within
it; families added within it. "Families reached" counts each family once,
whether they came to a meeting, had fund applications approved or got a pack.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, time, timedelta
from pathlib import Path

from sqlmodel import col, select

from peer_support.clock import local_today
from peer_support.context import AppContext
from peer_support.domain.dashboard import BatchLine, MeetingLine, PeriodReport, ThemeLine
from peer_support.domain.documents import Written
from peer_support.domain.fund import committed_condition
from peer_support.domain.meetings import (RESILIENCE_TAGS, AttendanceStatus, MeetingStatus, local_to_utc,
                                          tag_label)
from peer_support.domain.packs import Outcome
from peer_support.errors import ValidationError
from peer_support.i18n import _
from peer_support.services.fund_report import build_fund_report
from peer_support.services.meetings import list_meetings
from peer_support.services.outcomes import period_outcomes
from peer_support.services.settings import get_group_settings
from peer_support.storage.conditions import live
from peer_support.storage.tables.families import Family
from peer_support.storage.tables.fund import FundApplication, FundPayment
from peer_support.storage.tables.meetings import Attendance
from peer_support.storage.tables.packs import Pack, PackBatch, PackEvent
from peer_support.domain.roles import Permission
from peer_support.services.access import internal_read, require

# Beyond this a report is almost certainly a typing mistake (and would be slow to build).
MAX_PERIOD_DAYS = 366 * 20


def check_period(start: date, end: date) -> None:
    if end < start:
        raise ValidationError(_("The period ends before it starts."))
    if (end - start).days > MAX_PERIOD_DAYS:
        raise ValidationError(_("That period is longer than 20 years; check the dates."))


def _instant_bounds(start: date, end: date):
    """[start 00:00, day after end 00:00) in Europe/London, as UTC instants."""
    return local_to_utc(start, time(0, 0)), local_to_utc(end + timedelta(days=1), time(0, 0))


def _meetings(context: AppContext, start: date, end: date) -> list:
    return [m for m in list_meetings(context) if m.status is MeetingStatus.HELD and start <= m.on <= end]


def _meeting_families(context: AppContext, meeting_ids: list[str]) -> set[str]:
    if not meeting_ids:
        return set()
    with context.db.read() as session:
        return set(session.exec(select(Attendance.family_id).where(
            col(Attendance.meeting_id).in_(meeting_ids), live(Attendance),
            Attendance.status == AttendanceStatus.PRESENT.value)))


def _fund_families(context: AppContext, start: date, end: date) -> set[str]:
    """Families whose application received in the period was approved (the fund report's rule)."""
    with context.db.read() as session:
        return set(session.exec(select(FundApplication.family_id).where(
            live(FundApplication),
            FundApplication.received_on >= start, FundApplication.received_on <= end,
            committed_condition(FundApplication.status))))


def _paid_in_period(context: AppContext, start: date, end: date) -> int:
    with context.db.read() as session:
        amounts = session.exec(select(FundPayment.amount_pence)
                               .join(FundApplication, col(FundApplication.id) == FundPayment.application_id)
                               .where(live(FundPayment), live(FundApplication),
                                      FundPayment.paid_on >= start, FundPayment.paid_on <= end)).all()
    return sum(amounts)


def _pack_deliveries(context: AppContext, start: date, end: date) -> tuple[list[BatchLine], set[str]]:
    since, until = _instant_bounds(start, end)
    with context.db.read() as session:
        rows = session.exec(select(PackBatch.reference, PackBatch.name, Pack.family_id)
                            .select_from(PackEvent)
                            .join(Pack, col(Pack.id) == PackEvent.pack_id)
                            .join(PackBatch, col(PackBatch.id) == PackEvent.batch_id)
                            .where(live(PackEvent), live(Pack),
                                   PackEvent.outcome == Outcome.DELIVERED.value,
                                   PackEvent.at >= since, PackEvent.at < until)).all()
    delivered: Counter = Counter()
    families: dict[tuple[str, str], set[str]] = defaultdict(set)
    for reference, name, family_id in rows:
        delivered[(reference, name)] += 1
        families[(reference, name)].add(family_id)
    lines = [BatchLine(reference, name, delivered[(reference, name)], len(families[(reference, name)]))
             for reference, name in sorted(delivered, key=lambda k: (len(k[0]), k[0]))]
    return lines, {family for group in families.values() for family in group}


def _new_families(context: AppContext, start: date, end: date) -> int:
    since, until = _instant_bounds(start, end)
    with context.db.read() as session:
        return len(session.exec(select(Family.id).where(
            live(Family), Family.created_at >= since, Family.created_at < until)).all())


def build_period_report(context: AppContext, start: date, end: date) -> PeriodReport:
    """Gather the period report. Raises ValidationError for a backwards or absurd period. Reads only."""
    require(context, Permission.REPORTS)
    check_period(start, end)
    meetings = _meetings(context, start, end)
    lines = tuple(MeetingLine(reference=m.reference, on=m.on, topic=m.topic, families_present=m.present_count,
                              walk_in_guests=m.walk_in_guests, creche_children=m.creche_children,
                              themes=tuple(tag_label(t) for t in m.tags)) for m in meetings)
    theme_counts = Counter(tag for m in meetings for tag in m.tags)
    themes = tuple(ThemeLine(key, tag_label(key), theme_counts[key]) for key in RESILIENCE_TAGS)
    at_meetings = _meeting_families(context, [m.id for m in meetings])
    with internal_read(context):  # the report shows the fund's totals, not its applications
        fund = build_fund_report(context, start, end)
    fund_families = _fund_families(context, start, end)
    batches, pack_families = _pack_deliveries(context, start, end)
    return PeriodReport(
        start=start, end=end, made_on=local_today(context.clock),
        group_name=get_group_settings(context).group_name,
        families_reached=len(at_meetings | fund_families | pack_families),
        families_at_meetings=len(at_meetings), families_helped_by_fund=len(fund_families),
        families_with_packs=len(pack_families), new_families=_new_families(context, start, end),
        meetings=lines, fund_by_need=fund.by_need, fund_paid_in_period_pence=_paid_in_period(context, start, end),
        batches=tuple(batches), themes=themes, outcomes=period_outcomes(context, start, end))


def export_period_report(context: AppContext, start: date, end: date,
                         path: str | Path) -> Written[PeriodReport]:
    """The period report (``build_period_report``) written to ``path`` as .pdf or .xlsx by its name,
    whole or not at all: what the dashboard's report dialog and ``report`` both call. Raises
    BadRequestError for another file name (before any work), ValidationError, ExportError. Reads only."""
    from peer_support.exports.files import output_format
    from peer_support.exports.period_report import FORMATS, write_period_report  # PDF/XLSX libraries load when used
    from peer_support.i18n.formatting import format_number

    output_format(path, FORMATS)
    report = build_period_report(context, start, end)
    written = write_period_report(report, path)
    return Written(written, report, _("Wrote %(path)s: %(families)s families reached, %(meetings)s meetings held.")
                   % {"path": written, "families": format_number(report.families_reached),
                      "meetings": format_number(report.meetings_held)})
