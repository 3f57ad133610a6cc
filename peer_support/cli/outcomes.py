"""``forms``: feedback forms on paper: list, print, type in the returned ones, results."""

from __future__ import annotations

import argparse
import sys

from peer_support.cli.output import with_examples
from peer_support.errors import PeerSupportError, UsageError, ValidationError
from peer_support.i18n import _, current_language, ngettext


def register(subparsers) -> None:
    forms = subparsers.add_parser(
        "forms",
        description=_("Short feedback forms that parents fill in on paper (or at the laptop), "
                      "and what their answers add up to."))
    with_examples(forms, "forms list", "forms print Q01 --meeting M2026-03 -o forms.pdf", "forms results Q02")
    commands = forms.add_subparsers(dest="forms_command", metavar=_("COMMAND"), required=True)

    listing = commands.add_parser("list", help=_("list the forms and which languages they still lack"))
    listing.add_argument("--all", action="store_true", help=_("include archived forms"))
    listing.set_defaults(handler=run_list)
    with_examples(listing, "forms list", "forms list --all")

    printing = commands.add_parser(
        "print", help=_("print a form as an A4 PDF"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=_("Print a form. With --meeting: one copy for each family expected at the meeting, "
                      "in the family's language and with its card code, plus one anonymous copy per "
                      "language. With --family: one copy for that family. Otherwise anonymous copies."),
        epilog=_("examples:\n  peer-support forms print Q01 --meeting M2026-12 -o tonight.pdf\n"
                 "  peer-support forms print Q02 --family F0042 -o f0042.pdf\n"
                 "  peer-support forms print Q01 --lang pl --copies 20 -o polish.pdf"))
    printing.add_argument("form", metavar=_("FORM"), help=_("the form's reference, e.g. Q01"))
    who = printing.add_mutually_exclusive_group()
    who.add_argument("--meeting", metavar=_("REF"), help=_("print tonight's stack for this meeting"))
    who.add_argument("--family", metavar=_("REF"), help=_("print one copy for this family"))
    printing.add_argument("--lang", dest="form_language", choices=("en", "da", "de", "pl"), default="en",
                          help=_("language of anonymous copies (default: en)"))
    printing.add_argument("--copies", type=int, default=1, metavar=_("N"),
                          help=_("how many anonymous copies (default: 1)"))
    printing.add_argument("-o", "--output", required=True, metavar=_("FILE"), help=_("the PDF file to write"))
    printing.set_defaults(handler=run_print)
    with_examples(printing, "forms print Q01 --meeting M2026-03 -o forms.pdf",
                  "forms print Q01 --family F0001 --lang pl -o form.pdf")

    entering = commands.add_parser(
        "enter", help=_("type in returned forms, one per line, from standard input"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=_("Read returned forms from standard input, one per line: the family code (or - for an "
                      "anonymous form), then one key per numbered question (0 for a blank one), then, after "
                      "a |, the written answers separated by |. Each line is saved on its own."),
        epilog=_("examples:\n  echo 'F0042 41 | More about exams' | peer-support forms enter Q01 --meeting M2026-11\n"
                 "  printf -- '- 52\\n- 31\\n' | peer-support forms enter Q01"))
    entering.add_argument("form", metavar=_("FORM"), help=_("the form's reference, e.g. Q01"))
    entering.add_argument("--meeting", metavar=_("REF"), help=_("the meeting the forms were handed in at"))
    entering.add_argument("--date", metavar=_("DATE"), help=_("the day the forms were filled in (default: today)"))
    entering.set_defaults(handler=run_enter)
    with_examples(entering, "forms enter Q01 --meeting M2026-03")

    results = commands.add_parser(
        "results", help=_("what the answers add up to, as a table or an XLSX file"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=_("Counts and averages per question and per Resilience Framework compartment; for a "
                      "repeated check-in, the change per family between first and latest answers. Figures "
                      "made of fewer than five answers are not shown."),
        epilog=_("example:\n  peer-support forms results Q02 --from 2026-01-01 --to 2026-12-31 -o outcomes.xlsx"))
    results.add_argument("form", metavar=_("FORM"), help=_("the form's reference, e.g. Q02"))
    results.add_argument("--from", dest="start", metavar=_("DATE"), help=_("first day of the period"))
    results.add_argument("--to", dest="end", metavar=_("DATE"), help=_("last day of the period (included)"))
    results.add_argument("--meeting", metavar=_("REF"), help=_("only the forms handed in at this meeting"))
    results.add_argument("-o", "--output", metavar=_("FILE"), help=_("write an XLSX file instead of printing"))
    results.set_defaults(handler=run_results)
    with_examples(results, "forms results Q02 --from 2026-04-01 --to 2027-03-31",
                  "forms results Q02 --meeting M2026-03 -o results.xlsx")


def _ready(context):
    from peer_support.services import outcomes

    outcomes.add_ready_made_forms(context)
    return outcomes


def run_list(context, args) -> int:
    from peer_support.i18n.formatting import format_number

    from peer_support.cli.output import print_table
    from peer_support.domain.outcomes import LANGUAGE_LABELS

    outcomes = _ready(context)
    language = current_language()
    rows = []
    for form in outcomes.list_forms(context, include_archived=args.all):
        missing = ", ".join(_(LANGUAGE_LABELS[code]) for code in form.missing_languages()) or "–"
        rows.append([form.reference, form.title(language), format_number(len(form.questions)), missing])
    print_table([_("Ref."), _("Form"), _("Questions"), _("Missing languages")], rows)
    return 0


def run_print(context, args) -> int:
    from peer_support.i18n.formatting import format_number

    outcomes = _ready(context)
    if args.meeting:
        copies = outcomes.copies_for_meeting(context, args.meeting)
    elif args.family:
        copies = [outcomes.copy_for_family(context, args.family)]
    else:
        if not 1 <= args.copies <= 500:
            raise UsageError(_("--copies must be between 1 and 500."))
        copies = [outcomes.PrintCopy(args.form_language)] * args.copies
    pages = outcomes.print_forms(context, args.form, args.output, copies)
    print(ngettext("Wrote %(path)s: %(count)s form.", "Wrote %(path)s: %(count)s forms.", pages)
          % {"path": args.output, "count": format_number(pages)})
    return 0


def _split_line(line: str) -> tuple[str, str, list[str]]:
    head, _bar, tail = line.partition("|")
    parts = head.split()
    if len(parts) != 2:
        raise ValidationError(_("Write the family code (or -) and the keys, e.g. 'F0042 4 1' is wrong, "
                                "'F0042 41' is right."))
    texts = [text.strip() for text in tail.split("|")] if _bar else []
    return parts[0], parts[1], texts


def run_enter(context, args) -> int:
    from peer_support.i18n.formatting import parse_date

    outcomes = _ready(context)
    form = outcomes.get_form(context, args.form)  # an unknown form fails before reading anything
    on = parse_date(args.date) if args.date else None
    saved = failed = 0
    for number, raw in enumerate(sys.stdin, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            code, keys, texts = _split_line(line)
            record = outcomes.record_keyed(context, form.reference, code, keys, texts,
                                           meeting_reference=args.meeting, answered_on=on).record
        except PeerSupportError as exc:
            failed += 1
            print(_("line %(number)d: not saved: %(message)s") % {"number": number, "message": exc.message},
                  file=sys.stderr)
            continue
        saved += 1
        who = record.family_reference or _("anonymous")
        print(ngettext("line %(number)d: saved for %(who)s (%(count)d answer)",
                       "line %(number)d: saved for %(who)s (%(count)d answers)", len(record.answers))
              % {"number": number, "who": who, "count": len(record.answers)})
    print(ngettext("%(count)d form saved.", "%(count)d forms saved.", saved) % {"count": saved})
    return 3 if failed else 0


def run_results(context, args) -> int:
    from peer_support.i18n.formatting import format_number, parse_date

    from peer_support.cli.output import print_table
    from peer_support.domain.outcomes import SMALL_NUMBER, compartment_label, fewer_than_text
    from peer_support.i18n.formatting import format_score

    outcomes = _ready(context)
    start = parse_date(args.start) if args.start else None
    end = parse_date(args.end) if args.end else None
    if args.output:
        results = outcomes.export_results(context, args.form, args.output, start, end, args.meeting)
        print(ngettext("Wrote %(path)s: %(count)s form returned.", "Wrote %(path)s: %(count)s forms returned.",
                       results.responses) % {"path": args.output, "count": format_number(results.responses)})
        return 0
    results = outcomes.form_results(context, args.form, start, end, args.meeting)
    language = current_language()
    print(_("%(form)s: %(count)s forms returned") % {"form": results.form.title(language),
                                                      "count": fewer_than_text() if results.suppressed
                                                      else format_number(results.responses)})
    rows = []
    for number, result in enumerate(results.questions, start=1):
        average = "" if result.average is None or result.suppressed else format_score(result.average)
        rows.append([number, result.question.text(language), compartment_label(result.question.compartment),
                     fewer_than_text() if result.suppressed else format_number(result.answered), average])
    print_table([_("No."), _("Question"), _("Compartment"), _("Answers"), _("Average")], rows)
    if results.form.repeated:
        change = results.average_change
        print(_("Families who answered at least twice: %(count)s; average change: %(change)s")
              % {"count": fewer_than_text() if len(results.changes) < SMALL_NUMBER else format_number(len(results.changes)),
                 "change": "–" if change is None else format_score(change, signed=True)})
    return 0
