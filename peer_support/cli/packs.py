"""``packs``: batches, labels, run sheets, deliveries and progress from the terminal."""

from __future__ import annotations

import sys

from peer_support.cli.output import print_table, with_examples
from peer_support.errors import UsageError
from peer_support.i18n import _, ngettext


# exports.label_sheets.SHEETS by name, written here so that --help loads no PDF library (a test checks they agree).
LABEL_SHEETS = ("L7160", "L7163")
DEFAULT_SHEET = "L7163"


def register(subparsers) -> None:
    from peer_support.domain.packs import CLI_OUTCOMES

    group = subparsers.add_parser("packs")
    commands = group.add_subparsers(dest="packs_command", metavar=_("COMMAND"),
                                    parser_class=type(group))
    group.set_defaults(handler=lambda context, args: _missing(group))

    batches = commands.add_parser("batches", help=_("list the pack batches"))
    batches.set_defaults(handler=run_batches)
    with_examples(batches, "packs batches")
    with_examples(group, "packs list B01 --run 2", "packs move ABC-DEFG --run 3", "packs deliver ABC-DEFG")
    _register_packs(commands)

    labels = commands.add_parser("labels", help=_("print QR labels for a batch or run to PDF"))
    labels.add_argument("batch", metavar=_("BATCH"), help=_("batch reference (B01) or name"))
    labels.add_argument("-o", "--output", required=True, metavar=_("FILE.pdf"), help=_("PDF to write"))
    labels.add_argument("--sheet", default=DEFAULT_SHEET, choices=LABEL_SHEETS,
                        help=_("label sheet (default: %(default)s)"))
    labels.add_argument("--run", type=int, metavar=_("NUMBER"), help=_("only this delivery run"))
    labels.add_argument("--skip", type=int, default=0, metavar=_("COUNT"),
                        help=_("leave this many labels of the first sheet free (a used sheet)"))
    labels.add_argument("--unsorted", action="store_true",
                        help=_("order by area and postcode instead of by run"))
    labels.set_defaults(handler=run_labels)
    with_examples(labels, "packs labels B01 -o labels.pdf", "packs labels B01 -o run2.pdf --run 2 --skip 3")

    runs = commands.add_parser("runs", help=_("plan delivery runs, or list them"))
    runs.add_argument("batch", metavar=_("BATCH"), help=_("batch reference (B01) or name"))
    runs.add_argument("--plan", type=int, metavar=_("COUNT"),
                      help=_("group the packs into this many runs by area and postcode"))
    runs.add_argument("--assign", nargs=2, metavar=(_("RUN"), _("VOLUNTEER")),
                      help=_("give a run to a volunteer (name or reference)"))
    runs.add_argument("--sheets", metavar=_("FILE.pdf"), help=_("write the run sheets to this PDF"))
    runs.set_defaults(handler=run_runs)
    with_examples(runs, "packs runs B01 --plan 6", "packs runs B01 --assign 2 \"Sam Green\"",
                  "packs runs B01 --sheets runs.pdf")

    deliver = commands.add_parser("deliver", help=_("record what happened to a pack"))
    deliver.add_argument("code", metavar=_("CODE"),
                         help=_("the pack code on the label, or - to read codes from standard input, "
                                "one per line (a scanner plugged into the terminal, or a list of codes)"))
    deliver.add_argument("--volunteer", metavar=_("NAME"),
                         help=_("who is delivering (name or reference); every scan needs it"))
    deliver.add_argument("--outcome", default="delivered", choices=list(CLI_OUTCOMES),
                         help=_("what happened (default: %(default)s)"))
    deliver.add_argument("--batch", metavar=_("BATCH"), help=_("refuse codes of any other batch"))
    deliver.add_argument("--note", default="", help=_("a short note"))
    deliver.set_defaults(handler=run_deliver)
    with_examples(deliver, "packs deliver ABC-DEFG --volunteer \"Sam Green\"",
                  "packs deliver ABC-DEFG --volunteer V001 --outcome not-home --note \"Call back Friday\"",
                  "packs deliver - --volunteer \"Sam Green\" < codes.txt")

    progress = commands.add_parser("progress", help=_("delivered, outstanding and problems per run"))
    progress.add_argument("batch", nargs="?", metavar=_("BATCH"), help=_("batch (default: the latest)"))
    progress.add_argument("--outstanding", metavar=_("FILE"),
                          help=_("also write the outstanding packs to a .csv or .pdf file"))
    progress.set_defaults(handler=run_progress)
    with_examples(progress, "packs progress", "packs progress B01 --outstanding outstanding.pdf")


def _missing(group) -> int:
    raise UsageError(_("Choose a packs command; see '%(prog)s --help'.") % {"prog": group.prog})


def run_batches(context, args) -> int:
    from peer_support.i18n.formatting import format_date

    from peer_support.services import packs

    rows = [(b.reference, b.name, format_date(b.packed_on) if b.packed_on else "", b.pack_count)
            for b in packs.list_batches(context)]
    if not rows:
        print(_("There are no pack batches yet."))
        return 0
    print_table([_("Batch"), _("Name"), _("Date"), _("Packs")], rows)
    return 0


def run_labels(context, args) -> int:
    from peer_support.services import packs

    pages = packs.export_labels(context, args.batch, args.output, args.sheet, args.run,
                                sort_by_run=not args.unsorted, skip=args.skip)
    print(ngettext("Wrote %(count)d sheet of labels to %(path)s.",
                   "Wrote %(count)d sheets of labels to %(path)s.", pages) % {"count": pages, "path": args.output})
    return 0


def run_runs(context, args) -> int:
    from peer_support.services import packs

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
    """One code, or with ``-`` every code read from standard input: one line printed per code
    (errors on stderr, the others carry on), all in this one process."""
    from peer_support.domain.packs import CLI_OUTCOMES, check_volunteer, format_code, status_label
    from peer_support.errors import PeerSupportError

    from peer_support.services import deliveries, packs

    # Refused once, before any code is read (the service refuses each scan the same way).
    volunteer_id = check_volunteer(deliveries.volunteer_id_for(context, args.volunteer) if args.volunteer else None)
    batch_id = packs.get_batch(context, args.batch).id if args.batch else None
    codes = _codes_from_stdin() if args.code == "-" else iter([args.code])
    worst = 0
    for code in codes:
        try:
            receipt = deliveries.record_scan(context, code, batch_id=batch_id, volunteer_id=volunteer_id,
                                             outcome=CLI_OUTCOMES[args.outcome], note=args.note).record
        except PeerSupportError as exc:
            if args.code != "-":
                raise
            print(_("%(code)s: %(message)s") % {"code": code, "message": exc.message}, file=sys.stderr, flush=True)
            worst = worst or exc.exit_code
            continue
        print(_("%(code)s: %(outcome)s · %(family)s, %(area)s")
              % {"code": format_code(receipt.pack.code), "outcome": status_label(receipt.event.outcome),
                 "family": receipt.pack.family_name, "area": receipt.pack.area}, flush=True)
    return worst


def _codes_from_stdin():
    """Codes as they arrive (a scanner types one per line and Enter), blank lines skipped."""
    for line in sys.stdin:
        if line.strip():
            yield line.strip()


def run_progress(context, args) -> int:
    from peer_support.domain.packs import progress_line
    from peer_support.i18n.formatting import format_percent
    from peer_support.services.summary import batch_progress, batch_records  # plain SQL: answers at once

    key = args.batch
    if key is None:
        batches = batch_records(context)
        if not batches:
            print(_("There are no pack batches yet."))
            return 0
        key = batches[-1].reference
    batch, overall, by_run = batch_progress(context, key)
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
        from peer_support.services import packs

        count = packs.export_outstanding(context, key, args.outstanding)
        print(ngettext("Wrote %(count)d outstanding pack to %(path)s.",
                       "Wrote %(count)d outstanding packs to %(path)s.", count)
              % {"count": count, "path": args.outstanding})
    return 0


# -- one pack ----------------------------------------------------------------------------------
def _register_packs(commands) -> None:
    listing = commands.add_parser("list", help=_("list a batch's packs with their codes, in run order"))
    listing.add_argument("batch", metavar=_("BATCH"), help=_("batch reference (B01) or name"))
    listing.add_argument("--run", type=int, metavar=_("NUMBER"), help=_("only this delivery run"))
    listing.add_argument("--outstanding", action="store_true", help=_("only packs not delivered yet"))
    listing.set_defaults(handler=run_list)
    with_examples(listing, "packs list B01", "packs list B01 --run 2 --outstanding")

    move = commands.add_parser("move", help=_("move a pack to another delivery run of its batch"))
    move.add_argument("code", metavar=_("CODE"), help=_("the code on the pack's label"))
    move.add_argument("--run", required=True, type=int, metavar=_("NUMBER"), help=_("the run to move it to"))
    move.set_defaults(handler=run_move)
    with_examples(move, "packs move ABC-DEFG --run 3")

    show = commands.add_parser("show", help=_("a pack's family, run, status and history"))
    show.add_argument("code", metavar=_("CODE"), help=_("the code on the pack's label"))
    show.set_defaults(handler=run_show)
    with_examples(show, "packs show ABC-DEFG")


def run_list(context, args) -> int:
    from peer_support.domain.packs import format_code, status_label

    from peer_support.services import packs

    records = packs.list_packs(context, args.batch, args.run, outstanding_only=args.outstanding)
    print_table([_("Code"), _("Run"), _("Family"), _("Postcode"), _("Area"), _("Status")],
                [(format_code(r.code), r.run_number or "–", f"{r.family_name} ({r.family_reference})", r.postcode,
                  r.area, status_label(r.status)) for r in records])
    print(ngettext("%(count)d pack", "%(count)d packs", len(records)) % {"count": len(records)})
    return 0


def run_move(context, args) -> int:
    from peer_support.domain.packs import format_code

    from peer_support.services.pack_moves import move_pack

    record = move_pack(context, args.code, args.run).record
    print(_("Pack %(code)s for %(family)s is now on run %(run)d.")
          % {"code": format_code(record.code), "family": record.family_name, "run": record.run_number})
    return 0


def run_show(context, args) -> int:
    from peer_support.domain.packs import format_code, status_label
    from peer_support.i18n.formatting import format_datetime

    from peer_support.services.pack_moves import get_pack, pack_events

    record = get_pack(context, args.code)
    lines = [(_("Code"), format_code(record.code)), (_("Batch"), record.batch_reference),
             (_("Family"), f"{record.family_name} ({record.family_reference})"),
             (_("Address"), ", ".join(part for part in (record.address.replace("\n", ", "), record.postcode) if part)),
             (_("Area"), record.area), (_("Run"), record.run_number or "–"),
             (_("Status"), status_label(record.status)),
             (_("When"), format_datetime(record.status_at, "short") if record.status_at else ""),
             (_("Who"), record.volunteer), (_("Note"), record.note)]
    width = max(len(label) for label, _value in lines)
    for label, value in lines:
        print(f"{label.ljust(width)}  {value}".rstrip())
    events = pack_events(context, args.code)
    if events:
        print()
        print_table([_("When"), _("What happened"), _("Who"), _("Note")],
                    [(format_datetime(e.at, "short"),
                      status_label(e.outcome) + (" " + _("(undone)") if e.undone else ""), e.volunteer, e.note)
                     for e in events])
    return 0
