"""``fund status | list | apply | decide | pay | report``."""

from __future__ import annotations

from peer_support.cli.output import print_table, with_examples
from peer_support.i18n import _, ngettext


def register(subparsers) -> None:
    from peer_support.domain.fund import Need, Status

    fund = subparsers.add_parser("fund")
    with_examples(fund, "fund apply F0001 --pot \"Digital Inclusion\" --need broadband --amount 60",
                  "fund decide A0001 --approve 60", "fund pay A0001 --amount 60 --receipt receipt.pdf")
    commands = fund.add_subparsers(dest="fund_command", metavar=_("COMMAND"), required=True,
                                   parser_class=type(fund))
    status = commands.add_parser("status", help=_("budget, committed, paid and remaining money per pot"))
    status.add_argument("--pot", metavar=_("NAME"), default="", help=_("only this pot"))
    status.set_defaults(handler=run_status)
    with_examples(status, "fund status", "fund status --pot \"Digital Inclusion\"")
    listing = commands.add_parser("list", help=_("list applications, oldest received first"))
    listing.add_argument("--pot", metavar=_("NAME"), default="", help=_("only this pot"))
    listing.add_argument("--status", choices=[str(s) for s in Status], action="append",
                         help=_("only applications with this status (may be repeated)"))
    listing.add_argument("--need", choices=[str(n) for n in Need], help=_("only this need"))
    listing.set_defaults(handler=run_list)
    with_examples(listing, "fund list --status received", "fund list --need device")
    _register_jobs(commands)
    report = commands.add_parser("report", help=_("write the funder report for a period (XLSX or PDF)"))
    report.add_argument("--from", dest="start", required=True, metavar=_("DATE"),
                        help=_("first day of the period (2026-04-01)"))
    report.add_argument("--to", dest="end", required=True, metavar=_("DATE"),
                        help=_("last day of the period (2026-06-30)"))
    report.add_argument("--pot", metavar=_("NAME"), default="", help=_("only this pot (default: all pots)"))
    report.add_argument("-o", "--output", required=True, metavar=_("FILE"),
                        help=_("file to write, ending in .xlsx or .pdf"))
    report.set_defaults(handler=run_report)
    with_examples(report, "fund report --from 2026-04-01 --to 2026-06-30 -o report.xlsx")


def run_status(context, args) -> int:
    from peer_support.i18n.formatting import format_money

    from peer_support.services.summary import pot_records  # plain SQL: answers at once

    pots = pot_records(context, args.pot) if args.pot else pot_records(context)
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
    from peer_support.domain.fund import Need, Status
    from peer_support.i18n.formatting import format_date, format_money

    from peer_support.services.fund_queries import list_applications

    records = list_applications(context, pot=args.pot, statuses=[Status(s) for s in args.status or []],
                                need=Need(args.need) if args.need else None)
    rows = [[r.reference, format_date(r.received_on), f"{r.family_name} ({r.family_reference})",
             r.pot, r.need.label, format_money(r.requested_pence),
             format_money(r.committed_pence) if r.committed_pence else "",
             format_money(r.paid_pence) if r.paid_pence else "", r.status.label] for r in records]
    print_table([_("Reference"), _("Received"), _("Family"), _("Pot"), _("Need"), _("Requested"),
                 _("Approved"), _("Paid"), _("Status")], rows)
    print(ngettext("%(count)d application", "%(count)d applications", len(records)) % {"count": len(records)})
    return 0


def run_report(context, args) -> int:
    from peer_support.i18n.formatting import parse_date

    from peer_support.services.fund_report import export_fund_report

    print(export_fund_report(context, parse_date(args.start), parse_date(args.end), args.output, args.pot).message)
    return 0


# -- applications, decisions and payments -------------------------------------------------------
def _key(text: str) -> str:
    return text.strip().lower().replace("-", "_").replace(" ", "_")


def _register_jobs(commands) -> None:
    from peer_support.domain.fund import Channel, Need, PaymentMethod

    apply = commands.add_parser("apply", help=_("record an application from a family"))
    apply.add_argument("family", metavar=_("FAMILY"), help=_("the family's reference or name"))
    apply.add_argument("--pot", required=True, metavar=_("NAME"), help=_("the fund pot"))
    apply.add_argument("--need", required=True, type=_key, choices=[str(n) for n in Need],
                       help=_("what the money is for"))
    apply.add_argument("--amount", required=True, metavar=_("AMOUNT"), help=_("the amount asked for, e.g. 60 or 59.99"))
    apply.add_argument("--received", metavar=_("DATE"), help=_("when it was received (default: today)"))
    apply.add_argument("--channel", type=_key, choices=[str(c) for c in Channel], default=str(Channel.PHONE),
                       help=_("how it came in (default: %(default)s)"))
    apply.add_argument("--reason", default="", metavar=_("TEXT"), help=_("what the family said they need"))
    apply.set_defaults(handler=run_apply)
    with_examples(apply, "fund apply F0001 --pot \"Digital Inclusion\" --need mobile_data --amount 25",
                  "fund apply \"Anna Nowak\" --pot \"Digital Inclusion\" --need device --amount 120 --channel paper")

    decide = commands.add_parser("decide", help=_("approve or refuse an application"))
    decide.add_argument("application", metavar=_("APP"), help=_("the application's reference, e.g. A0001"))
    choice = decide.add_mutually_exclusive_group(required=True)
    choice.add_argument("--approve", metavar=_("AMOUNT"), help=_("approve this amount"))
    choice.add_argument("--refuse", action="store_true", help=_("decline the application (give --reason)"))
    decide.add_argument("--reason", default="", metavar=_("TEXT"),
                        help=_("why it was refused, or why approving more than the pot has left"))
    decide.add_argument("--by", metavar=_("NAME"), help=_("who decided (default: this laptop's user)"))
    decide.add_argument("--on", metavar=_("DATE"), help=_("when it was decided (default: today)"))
    decide.set_defaults(handler=run_decide)
    with_examples(decide, "fund decide A0001 --approve 60",
                  "fund decide A0002 --refuse --reason \"Already helped this year\"")

    pay = commands.add_parser("pay", help=_("record a payment on an approved application"))
    pay.add_argument("application", metavar=_("APP"), help=_("the application's reference, e.g. A0001"))
    pay.add_argument("--amount", required=True, metavar=_("AMOUNT"), help=_("the amount paid"))
    pay.add_argument("--receipt", metavar=_("FILE"), help=_("a receipt to copy into the data folder"))
    pay.add_argument("--method", type=_key, choices=[str(m) for m in PaymentMethod],
                     default=str(PaymentMethod.VOUCHER), help=_("how it was paid (default: %(default)s)"))
    pay.add_argument("--on", metavar=_("DATE"), help=_("when it was paid (default: today)"))
    pay.add_argument("--supplier", default="", metavar=_("TEXT"), help=_("who supplied it"))
    pay.add_argument("--reference", default="", metavar=_("TEXT"), help=_("an order or voucher number"))
    pay.set_defaults(handler=run_pay)
    with_examples(pay, "fund pay A0001 --amount 60 --receipt receipt.pdf",
                  "fund pay A0001 --amount 20 --method top_up --on 2026-03-02")

    withdraw = commands.add_parser("withdraw", help=_("withdraw an application (frees what it was promised)"))
    withdraw.add_argument("application", metavar=_("APP"), help=_("the application's reference, e.g. A0001"))
    withdraw.add_argument("--reason", required=True, metavar=_("TEXT"), help=_("why it is withdrawn"))
    withdraw.add_argument("--on", metavar=_("DATE"), help=_("when (default: today)"))
    withdraw.set_defaults(handler=run_withdraw)
    with_examples(withdraw, "fund withdraw A0003 --reason \"The family found a cheaper contract\"")

    close = commands.add_parser("close", help=_("close a fully paid application"))
    close.add_argument("application", metavar=_("APP"), help=_("the application's reference, e.g. A0001"))
    close.add_argument("--on", metavar=_("DATE"), help=_("when (default: today)"))
    close.set_defaults(handler=run_close)
    with_examples(close, "fund close A0001")


def _day(context, text):
    from peer_support.i18n.formatting import parse_date

    from peer_support.clock import local_today

    return parse_date(text) if text else local_today(context.clock)


def _application_line(context, reference: str) -> str:
    from peer_support.i18n.formatting import format_money

    from peer_support.services.fund_queries import get_application

    record = get_application(context, reference)
    return _("%(reference)s for %(family)s (%(family_reference)s): %(status)s, requested %(requested)s, "
             "approved %(approved)s, paid %(paid)s") % {
        "reference": record.reference, "family": record.family_name, "family_reference": record.family_reference,
        "status": record.status.label, "requested": format_money(record.requested_pence),
        "approved": format_money(record.approved_pence), "paid": format_money(record.paid_pence)}


def run_apply(context, args) -> int:
    from peer_support.domain.fund import Channel, Need

    from peer_support.domain.fund import ApplicationDraft
    from peer_support.i18n.formatting import parse_money
    from peer_support.services.family_lookup import find_family
    from peer_support.services.fund import create_application

    family = find_family(context, args.family)
    draft = ApplicationDraft(pot=args.pot, family_reference=family.reference, received_on=_day(context, args.received),
                             channel=Channel(args.channel), need=Need(args.need),
                             requested_pence=parse_money(args.amount), reason=args.reason)
    record = create_application(context, draft).record
    print(_("Recorded application %(line)s.") % {"line": _application_line(context, record.reference)})
    return 0


def run_decide(context, args) -> int:
    from peer_support.domain.fund import ApprovalDraft
    from peer_support.i18n.formatting import parse_money
    from peer_support.services.fund import approve_application, decline_application

    decided_by = args.by or context.actor()
    on = _day(context, args.on)
    if args.approve is not None:
        approve_application(context, args.application, ApprovalDraft(
            amount_pence=parse_money(args.approve), decided_by=decided_by, decided_on=on,
            override_reason=args.reason))
    else:
        decline_application(context, args.application, args.reason, decided_by, on)
    print(_("Decided: %(line)s.") % {"line": _application_line(context, args.application)})
    return 0


def run_pay(context, args) -> int:
    from peer_support.domain.fund import PaymentMethod

    from peer_support.domain.fund import PaymentDraft
    from peer_support.i18n.formatting import parse_money
    from peer_support.services.fund import record_payment

    record_payment(context, args.application, PaymentDraft(
        paid_on=_day(context, args.on), amount_pence=parse_money(args.amount), method=PaymentMethod(args.method),
        supplier=args.supplier, reference=args.reference, receipt_path=args.receipt or ""))
    print(_("Paid: %(line)s.") % {"line": _application_line(context, args.application)})
    return 0


def run_withdraw(context, args) -> int:
    from peer_support.services.fund import withdraw_application

    withdraw_application(context, args.application, args.reason, _day(context, args.on))
    print(_("Withdrawn: %(line)s.") % {"line": _application_line(context, args.application)})
    return 0


def run_close(context, args) -> int:
    from peer_support.services.fund import close_application

    close_application(context, args.application, _day(context, args.on))
    print(_("Closed: %(line)s.") % {"line": _application_line(context, args.application)})
    return 0
