"""``report``: the period report (families reached, meetings, fund, packs, themes) as PDF or XLSX."""

from __future__ import annotations

from peer_support.cli.output import with_examples
from peer_support.i18n import _


def register(subparsers) -> None:
    report = subparsers.add_parser(
        "report",
        description=_("Write the period report: families reached, meetings held, attendance, fund and "
                      "packs figures and the Resilience Framework themes covered between two dates."))
    report.add_argument("--from", dest="start", required=True, metavar=_("DATE"),
                        help=_("first day of the period, e.g. 2026-04-01"))
    report.add_argument("--to", dest="end", required=True, metavar=_("DATE"),
                        help=_("last day of the period (included)"))
    report.add_argument("-o", "--output", required=True, metavar=_("FILE"),
                        help=_("the file to write: its name ends in .pdf or .xlsx"))
    report.set_defaults(handler=run_report)
    with_examples(report, "report --from 2026-04-01 --to 2027-03-31 -o year.pdf",
                  "report --from 2026-04-01 --to 2026-06-30 -o quarter.xlsx")


def run_report(context, args) -> int:
    from peer_support.i18n.formatting import parse_date

    from peer_support.services.period_report import export_period_report

    print(export_period_report(context, parse_date(args.start), parse_date(args.end), args.output).message)
    return 0
