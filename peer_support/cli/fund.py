"""``fund status`` and ``fund report``."""

from __future__ import annotations

from peer_support.cli.output import print_table
from peer_support.exports.fund_report import write_fund_report
from peer_support.i18n import _, ngettext
from peer_support.i18n.formatting import format_money, parse_date
from peer_support.domain.fund import Need, Status
from peer_support.i18n.formatting import format_date
from peer_support.services.fund_queries import get_pot, list_applications, list_pots
from peer_support.services.fund_report import build_fund_report


def register(subparsers) -> None:
    fund = subparsers.add_parser("fund", help=_("connectivity fund: pot status and the funder report"))
    commands = fund.add_subparsers(dest="fund_command", metavar=_("COMMAND"), required=True,
                                   parser_class=type(fund))
    status = commands.add_parser("status", help=_("budget, committed, paid and remaining money per pot"))
    status.add_argument("--pot", metavar=_("NAME"), default="", help=_("only this pot"))
    status.set_defaults(handler=run_status)
    listing = commands.add_parser("list", help=_("list applications, oldest received first"))
    listing.add_argument("--pot", metavar=_("NAME"), default="", help=_("only this pot"))
    listing.add_argument("--status", choices=[str(s) for s in Status], action="append",
                         help=_("only applications with this status (may be repeated)"))
    listing.add_argument("--need", choices=[str(n) for n in Need], help=_("only this need"))
    listing.set_defaults(handler=run_list)
    report = commands.add_parser("report", help=_("write the funder report for a period (XLSX or PDF)"))
    report.add_argument("--from", dest="start", required=True, metavar=_("DATE"),
                        help=_("first day of the period (2026-04-01)"))
    report.add_argument("--to", dest="end", required=True, metavar=_("DATE"),
                        help=_("last day of the period (2026-06-30)"))
    report.add_argument("--pot", metavar=_("NAME"), default="", help=_("only this pot (default: all pots)"))
    report.add_argument("-o", "--output", required=True, metavar=_("FILE"),
                        help=_("file to write, ending in .xlsx or .pdf"))
    report.set_defaults(handler=run_report)


def run_status(context, args) -> int:
    pots = [get_pot(context, args.pot)] if args.pot else list_pots(context)
    if not pots:
        print(_("There are no fund pots yet."))
        return 0
    rows = [[p.name, format_money(p.budget_pence), format_money(p.committed_pence),
             format_money(p.paid_pence), format_money(p.remaining_pence), p.waiting] for p in pots]
    if len(pots) > 1:
        rows.append([_("Total"), format_money(sum(p.budget_pence for p in pots)),
                     format_money(sum(p.committed_pence for p in pots)),
                     format_money(sum(p.paid_pence for p in pots)),
                     format_money(sum(p.remaining_pence for p in pots)), sum(p.waiting for p in pots)])
    print_table([_("Pot"), _("Budget"), _("Committed"), _("Paid"), _("Remaining"), _("Waiting")], rows)
    return 0


def run_list(context, args) -> int:
    records = list_applications(context, pot=args.pot, statuses=[Status(s) for s in args.status or []],
                                need=Need(args.need) if args.need else None)
    rows = [[r.reference, format_date(r.received_on, "short"), f"{r.family_name} ({r.family_reference})",
             r.pot, r.need.label, format_money(r.requested_pence),
             format_money(r.committed_pence) if r.committed_pence else "",
             format_money(r.paid_pence) if r.paid_pence else "", r.status.label] for r in records]
    print_table([_("Reference"), _("Received"), _("Family"), _("Pot"), _("Need"), _("Requested"),
                 _("Approved"), _("Paid"), _("Status")], rows)
    print(ngettext("%(count)d application", "%(count)d applications", len(records)) % {"count": len(records)})
    return 0


def run_report(context, args) -> int:
    report = build_fund_report(context, parse_date(args.start), parse_date(args.end), args.pot)
    path = write_fund_report(report, args.output)
    print(ngettext("Wrote %(path)s (%(count)d application).", "Wrote %(path)s (%(count)d applications).",
                   report.applications) % {"path": path, "count": report.applications})
    return 0
