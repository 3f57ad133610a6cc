"""``newsletter list | show | export | labels | mailing``."""

from __future__ import annotations

import sys

from peer_support.cli.output import StderrProgress, print_table
from peer_support.domain.newsletter import STATUS_LABELS, TEMPLATES
from peer_support.i18n import LANGUAGE_NAMES, _, ngettext
from peer_support.i18n.formatting import format_date


def register(subparsers) -> None:
    parser = subparsers.add_parser("newsletter", help=_("list and export newsletters, mailing lists "
                                                        "and address labels"))
    commands = parser.add_subparsers(dest="newsletter_command", metavar=_("COMMAND"), required=True)

    listing = commands.add_parser("list", help=_("list the issues, newest first"))
    listing.set_defaults(handler=run_list)

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

    mailing = commands.add_parser("mailing", help=_("mailing list (CSV) for an issue"),
                                  description=_("The families who consented to the newsletter, "
                                                "with the language version each gets, as CSV."))
    mailing.add_argument("number", type=int, metavar=_("ISSUE_NUMBER"))
    mailing.add_argument("-o", "--output", required=True, metavar=_("FILE.csv"))
    mailing.set_defaults(handler=run_mailing)


def _warn(warnings) -> None:
    for warning in warnings:
        print(_("Warning: %(message)s") % {"message": warning}, file=sys.stderr)


def run_list(context, args) -> int:
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
