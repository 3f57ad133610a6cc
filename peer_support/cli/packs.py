"""``packs``: batches, labels, run sheets, deliveries and progress from the terminal."""

from __future__ import annotations

from peer_support.cli.output import print_table
from peer_support.domain.packs import CLI_OUTCOMES, format_code, status_label
from peer_support.errors import UsageError
from peer_support.exports.labels import DEFAULT_SHEET, SHEETS
from peer_support.exports.packs_pdf import progress_line
from peer_support.i18n import _, ngettext
from peer_support.i18n.formatting import format_date, format_percent
from peer_support.services import deliveries, packs


def register(subparsers) -> None:
    group = subparsers.add_parser("packs", help=_("activity packs: batches, labels, runs and deliveries"))
    commands = group.add_subparsers(dest="packs_command", metavar=_("COMMAND"),
                                    parser_class=type(group))
    group.set_defaults(handler=lambda context, args: _missing(group))

    batches = commands.add_parser("batches", help=_("list the pack batches"))
    batches.set_defaults(handler=run_batches)

    labels = commands.add_parser("labels", help=_("print QR labels for a batch or run to PDF"))
    labels.add_argument("batch", metavar=_("BATCH"), help=_("batch reference (B01) or name"))
    labels.add_argument("-o", "--output", required=True, metavar=_("FILE.pdf"), help=_("PDF to write"))
    labels.add_argument("--sheet", default=DEFAULT_SHEET, choices=sorted(SHEETS),
                        help=_("label sheet (default: %(default)s)"))
    labels.add_argument("--run", type=int, metavar=_("NUMBER"), help=_("only this delivery run"))
    labels.add_argument("--skip", type=int, default=0, metavar=_("COUNT"),
                        help=_("leave this many labels of the first sheet free (a used sheet)"))
    labels.add_argument("--unsorted", action="store_true",
                        help=_("order by area and postcode instead of by run"))
    labels.set_defaults(handler=run_labels)

    runs = commands.add_parser("runs", help=_("plan delivery runs, or list them"))
    runs.add_argument("batch", metavar=_("BATCH"), help=_("batch reference (B01) or name"))
    runs.add_argument("--plan", type=int, metavar=_("COUNT"),
                      help=_("group the packs into this many runs by area and postcode"))
    runs.add_argument("--assign", nargs=2, metavar=(_("RUN"), _("VOLUNTEER")),
                      help=_("give a run to a volunteer (name or reference)"))
    runs.add_argument("--sheets", metavar=_("FILE.pdf"), help=_("write the run sheets to this PDF"))
    runs.set_defaults(handler=run_runs)

    deliver = commands.add_parser("deliver", help=_("record what happened to a pack"))
    deliver.add_argument("code", metavar=_("CODE"), help=_("the pack code on the label"))
    deliver.add_argument("--volunteer", metavar=_("NAME"), help=_("who delivered it (name or reference)"))
    deliver.add_argument("--outcome", default="delivered", choices=list(CLI_OUTCOMES),
                         help=_("what happened (default: %(default)s)"))
    deliver.add_argument("--batch", metavar=_("BATCH"), help=_("refuse codes of any other batch"))
    deliver.add_argument("--note", default="", help=_("a short note"))
    deliver.set_defaults(handler=run_deliver)

    progress = commands.add_parser("progress", help=_("delivered, outstanding and problems per run"))
    progress.add_argument("batch", nargs="?", metavar=_("BATCH"), help=_("batch (default: the latest)"))
    progress.add_argument("--outstanding", metavar=_("FILE"),
                          help=_("also write the outstanding packs to a .csv or .pdf file"))
    progress.set_defaults(handler=run_progress)


def _missing(group) -> int:
    raise UsageError(_("Choose a packs command; see '%(prog)s --help'.") % {"prog": group.prog})


def run_batches(context, args) -> int:
    rows = [(b.reference, b.name, format_date(b.packed_on) if b.packed_on else "", b.pack_count)
            for b in packs.list_batches(context)]
    if not rows:
        print(_("There are no pack batches yet."))
        return 0
    print_table([_("Batch"), _("Name"), _("Date"), _("Packs")], rows)
    return 0


def run_labels(context, args) -> int:
    pages = packs.export_labels(context, args.batch, args.output, args.sheet, args.run,
                                sort_by_run=not args.unsorted, skip=args.skip)
    print(ngettext("Wrote %(count)d sheet of labels to %(path)s.",
                   "Wrote %(count)d sheets of labels to %(path)s.", pages) % {"count": pages, "path": args.output})
    return 0


def run_runs(context, args) -> int:
    if args.plan is not None:
        packs.plan_runs(context, args.batch, args.plan)
    if args.assign:
        number, volunteer = args.assign
        if not number.isdigit():
            raise UsageError(_("'%(run)s' is not a run number.") % {"run": number})
        packs.assign_run_volunteer(context, args.batch, int(number), volunteer)
    if args.sheets:
        count = packs.export_run_sheets(context, args.batch, args.sheets)
        print(ngettext("Wrote %(count)d run sheet to %(path)s.", "Wrote %(count)d run sheets to %(path)s.",
                       count) % {"count": count, "path": args.sheets})
    rows = [(r.number, r.name, r.volunteer or "–", r.pack_count) for r in packs.list_runs(context, args.batch)]
    if not rows:
        print(_("No runs are planned yet; use --plan COUNT."))
        return 0
    print_table([_("Run"), _("Name"), _("Volunteer"), _("Packs")], rows)
    return 0


def run_deliver(context, args) -> int:
    volunteer_id = deliveries.volunteer_id_for(context, args.volunteer) if args.volunteer else None
    batch_id = packs.get_batch(context, args.batch).id if args.batch else None
    receipt = deliveries.record_scan(context, args.code, batch_id=batch_id, volunteer_id=volunteer_id,
                                     outcome=CLI_OUTCOMES[args.outcome], note=args.note)
    print(_("%(code)s: %(outcome)s · %(family)s, %(area)s")
          % {"code": format_code(receipt.pack.code), "outcome": status_label(receipt.event.outcome),
             "family": receipt.pack.family_name, "area": receipt.pack.area})
    return 0


def run_progress(context, args) -> int:
    key = args.batch
    if key is None:
        batches = packs.list_batches(context)
        if not batches:
            print(_("There are no pack batches yet."))
            return 0
        key = batches[-1].reference
    batch = packs.get_batch(context, key)
    overall, by_run = packs.batch_progress(context, key)
    print(f"{batch.reference} {batch.name}")
    print(progress_line(overall))
    if overall.duplicates:
        print(ngettext("%(count)d duplicate scan was refused.", "%(count)d duplicate scans were refused.",
                       overall.duplicates) % {"count": overall.duplicates})
    if by_run:
        print()
        print_table([_("Run"), _("Name"), _("Volunteer"), _("Delivered"), _("Outstanding"), _("Not at home"),
                     _("Refused"), _("Returned"), _("Done")],
                    [(r.run.number, r.run.name, r.run.volunteer or "–", r.progress.delivered,
                      r.progress.outstanding, r.progress.not_home, r.progress.refused, r.progress.returned,
                      format_percent(r.progress.fraction_delivered)) for r in by_run])
    if args.outstanding:
        count = packs.export_outstanding(context, key, args.outstanding)
        print(ngettext("Wrote %(count)d outstanding pack to %(path)s.",
                       "Wrote %(count)d outstanding packs to %(path)s.", count)
              % {"count": count, "path": args.outstanding})
    return 0
