"""The funder report: what happened to the applications received in a period.

Scope, stated on the report itself: applications received between the two
dates (inclusive), with their decisions and every payment made to them so far;
the pots' budget, commitments and remaining money as they stand today.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

from peer_support.clock import local_today
from peer_support.context import AppContext
from peer_support.domain.documents import Written
from peer_support.domain.fund import ApplicationRecord, Need, Status
from peer_support.domain.fund_report import FundReport, ReportGroup, ReportLine
from peer_support.errors import ValidationError
from peer_support.i18n import _, ngettext
from peer_support.services.fund_queries import get_pot, list_applications, list_pots
from peer_support.domain.roles import Permission
from peer_support.services.access import require


def _group(label: str, records: list[ApplicationRecord]) -> ReportGroup:
    return ReportGroup(label=label, applications=len(records),
                       approved=sum(r.committed for r in records),
                       requested_pence=sum(r.requested_pence for r in records),
                       approved_pence=sum(r.committed_pence for r in records),
                       paid_pence=sum(r.paid_pence for r in records))


def build_fund_report(context: AppContext, start: date, end: date, pot: str = "") -> FundReport:
    """Gather the report. Raises ValidationError for a backwards period, NotFoundError for a pot."""
    require(context, Permission.FUND)
    if end < start:
        raise ValidationError(_("The period ends before it starts."))
    pots = (get_pot(context, pot),) if pot else tuple(list_pots(context))
    records = [r for r in list_applications(context, pot=pot) if start <= r.received_on <= end]
    by_need = [_group(need.label, [r for r in records if r.need == need]) for need in Need]
    areas: dict[str, list[ApplicationRecord]] = defaultdict(list)
    for record in records:
        areas[record.area].append(record)
    by_area = [_group(name or _("No area recorded"), areas[name])
               for name in sorted(areas, key=lambda n: (not n, n.lower()))]
    lines = tuple(ReportLine(reference=r.reference, received_on=r.received_on, area=r.area,
                             need=r.need.label, status=r.status.label, requested_pence=r.requested_pence,
                             approved_pence=r.committed_pence, paid_pence=r.paid_pence) for r in records)
    return FundReport(
        start=start, end=end, made_on=local_today(context.clock), pots=pots, lines=lines,
        by_need=tuple(by_need), by_area=tuple(by_area), applications=len(records),
        approved=sum(r.committed for r in records),
        declined=sum(r.status == Status.DECLINED for r in records),
        withdrawn=sum(r.status == Status.WITHDRAWN for r in records),
        waiting=sum(r.status == Status.RECEIVED for r in records),
        families_helped=len({r.family_reference for r in records if r.committed}))


def export_fund_report(context: AppContext, start: date, end: date, path: str | Path,
                       pot: str = "") -> Written[FundReport]:
    """The funder report (``build_fund_report``) written to ``path`` as .xlsx or .pdf by its name, whole
    or not at all: what the Fund page's report dialog and ``fund report`` both call. Raises
    BadRequestError for another file name (before any work), ValidationError, NotFoundError,
    ExportError. Reads only."""
    from peer_support.exports.files import output_format
    from peer_support.exports.fund_report import FORMATS, write_fund_report  # spreadsheet libraries load when used

    output_format(path, FORMATS)
    report = build_fund_report(context, start, end, pot)
    written = write_fund_report(report, path)
    return Written(written, report, ngettext("Wrote %(path)s (%(count)d application).",
                                             "Wrote %(path)s (%(count)d applications).", report.applications)
                   % {"path": written, "count": report.applications})
