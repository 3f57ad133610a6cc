"""``newsletter list | new | final | export | labels | mailing``."""

from __future__ import annotations

import sys

from peer_support.cli.output import StderrProgress, print_table, with_examples
from peer_support.i18n import LANGUAGE_NAMES, _, ngettext


def register(subparsers) -> None:
    from peer_support.domain.newsletter import TEMPLATES

    parser = subparsers.add_parser("newsletter")
    commands = parser.add_subparsers(dest="newsletter_command", metavar=_("COMMAND"), required=True)

    listing = commands.add_parser("list", help=_("list the issues, newest first"))
    listing.set_defaults(handler=run_list)
    with_examples(listing, "newsletter list")
    with_examples(parser, "newsletter new --title \"Spring news\"", "newsletter final 3",
                  "newsletter export 3 -o spring.pdf")

    new = commands.add_parser("new", help=_("start a new draft issue"),
                              description=_("Start a new draft issue with the next number; write its "
                                            "articles in the app."))
    new.add_argument("--title", metavar=_("TEXT"), help=_("the issue's title"))
    new.add_argument("--date", metavar=_("DATE"), help=_("the issue's date (default: today)"))
    new.add_argument("--language", default="en", metavar=_("CODE"),
                     help=_("the main language: en, da, de or pl (default: %(default)s)"))
    new.add_argument("--template", choices=TEMPLATES, help=_("layout (default: two columns)"))
    new.set_defaults(handler=run_new)
    with_examples(new, "newsletter new --title \"Spring news\" --date 2026-03-01")

    final = commands.add_parser("final", help=_("make an issue final (its figures are kept as printed)"),
                                description=_("Make an issue final: its automatic sections keep the figures "
                                              "of this moment. --draft sets it back to draft."))
    final.add_argument("number", type=int, metavar=_("ISSUE_NUMBER"))
    final.add_argument("--draft", action="store_true", help=_("set it back to draft instead"))
    final.set_defaults(handler=run_final)
    with_examples(final, "newsletter final 3", "newsletter final 3 --draft")

    export = commands.add_parser("export", help=_("write an issue as PDF or HTML"),
                                 description=_("Write an issue as an A4 PDF or a self-contained HTML "
                                               "file; the file name's ending chooses."))
    export.add_argument("number", type=int, metavar=_("ISSUE_NUMBER"))
    export.add_argument("-o", "--output", required=True, metavar=_("FILE"),
                        help=_("FILE.pdf or FILE.html"))
    export.add_argument("--template", choices=TEMPLATES, help=_("layout (default: the issue's own)"))
    export.add_argument("--lang", dest="version", metavar=_("CODE"),
                        help=_("language version to write (default: the main language)"))
    export.set_defaults(handler=run_export)
    with_examples(export, "newsletter export 3 -o spring.pdf", "newsletter export 3 -o spring-pl.html --lang pl")

    labels = commands.add_parser("labels", help=_("address labels for the families who get an issue"),
                                 description=_("Address labels on A4 label sheets for families who "
                                               "consented to the newsletter, grouped by language "
                                               "version."))
    labels.add_argument("number", type=int, metavar=_("ISSUE_NUMBER"))
    labels.add_argument("-o", "--output", required=True, metavar=_("FILE.pdf"))
    labels.add_argument("--sheet", default="L7163", help=_("label sheet: L7163 (14) or L7160 (21)"))
    labels.add_argument("--skip", type=int, default=0,
                        help=_("labels already used on the first sheet"))
    labels.set_defaults(handler=run_labels)
    with_examples(labels, "newsletter labels 3 -o labels.pdf --sheet L7160")

    mailing = commands.add_parser("mailing", help=_("mailing list (CSV) for an issue"),
                                  description=_("The families who consented to the newsletter, "
                                                "with the language version each gets, as CSV."))
    mailing.add_argument("number", type=int, metavar=_("ISSUE_NUMBER"))
    mailing.add_argument("-o", "--output", required=True, metavar=_("FILE.csv"))
    mailing.set_defaults(handler=run_mailing)
    with_examples(mailing, "newsletter mailing 3 -o mailing.csv")


def _warn(warnings) -> None:
    for warning in warnings:
        print(_("Warning: %(message)s") % {"message": warning}, file=sys.stderr)


def run_list(context, args) -> int:
    from peer_support.domain.newsletter import STATUS_LABELS
    from peer_support.i18n.formatting import format_date

    from peer_support.services.newsletter import list_issues

    issues = list_issues(context)
    if not issues:
        print(_("There are no newsletter issues yet."))
        return 0
    print_table([_("No."), _("Date"), _("Title"), _("Status"), _("Languages"), _("Sections")],
                [(i.number, format_date(i.issued_on), i.title, _(STATUS_LABELS.get(i.status, i.status)),
                  ", ".join(LANGUAGE_NAMES.get(code, code) for code in i.languages), i.sections)
                 for i in issues])
    return 0


def run_new(context, args) -> int:
    from peer_support.clock import local_today
    from peer_support.domain.newsletter import TWO_COLUMN, IssueDraft, VersionRecord
    from peer_support.i18n.formatting import parse_date
    from peer_support.services.newsletter import create_issue

    title = args.title if args.title is not None else _("New issue")
    draft = IssueDraft(issued_on=parse_date(args.date) if args.date else local_today(context.clock),
                       language=args.language.strip().lower(), template=args.template or TWO_COLUMN,
                       versions=(VersionRecord(args.language.strip().lower(), title),))
    record = create_issue(context, draft).record
    print(_("Started newsletter issue %(number)d “%(title)s” (draft).") % {"number": record.number,
                                                                          "title": record.title})
    return 0


def run_final(context, args) -> int:
    from dataclasses import replace

    from peer_support.domain.newsletter import DRAFT, FINAL
    from peer_support.services.newsletter import get_issue, save_issue

    issue = get_issue(context, args.number)
    wanted = DRAFT if args.draft else FINAL
    if issue.status != wanted:
        issue = save_issue(context, args.number, replace(issue.as_draft(), status=wanted)).record
    message = _("Newsletter issue %(number)d is a draft again.") if args.draft else \
        _("Newsletter issue %(number)d is final.")
    print(message % {"number": issue.number})
    return 0


def run_export(context, args) -> int:
    from peer_support.services.newsletter_export import export_issue

    result = export_issue(context, args.number, args.output, template=args.template,
                          language=args.version, progress=StderrProgress())
    _warn(result.warnings)
    print(_("Wrote %(path)s.") % {"path": result.path})
    return 0


def run_labels(context, args) -> int:
    from peer_support.services.newsletter_mailing import export_mailing_labels, mailing_counts

    result = export_mailing_labels(context, args.number, args.output, sheet=args.sheet, skip=args.skip)
    _warn(result.warnings)
    _print_counts(mailing_counts(context, args.number))
    print(_("Wrote %(path)s.") % {"path": result.path})
    return 0


def run_mailing(context, args) -> int:
    from peer_support.services.newsletter_mailing import export_mailing_csv, mailing_counts

    result = export_mailing_csv(context, args.number, args.output)
    _print_counts(mailing_counts(context, args.number))
    print(_("Wrote %(path)s.") % {"path": result.path})
    return 0


def _print_counts(counts: dict[str, int]) -> None:
    for code, count in counts.items():
        print(ngettext("%(language)s: %(count)d family", "%(language)s: %(count)d families", count)
              % {"language": LANGUAGE_NAMES.get(code, code), "count": count})
