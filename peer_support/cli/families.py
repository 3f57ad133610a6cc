"""``families list | import | export | merge`` and ``volunteers``."""

from __future__ import annotations

import sys

from peer_support.cli.output import StderrProgress, print_table
from peer_support.domain.families import FamilyQuery
from peer_support.errors import ValidationError
from peer_support.i18n import _, ngettext
from peer_support.services.families_export import export_families
from peer_support.services.families_import import DUPLICATE, ImportResult, import_file
from peer_support.services.families_merge import merge_families
from peer_support.services.families_search import count_families, family_page
from peer_support.services.families_volunteers import list_volunteers


def register(subparsers) -> None:
    families = subparsers.add_parser("families", help=_("list, import, export and merge families"))
    commands = families.add_subparsers(dest="families_command", metavar=_("COMMAND"), required=True)

    listing = commands.add_parser("list", help=_("list families (not archived ones unless asked)"))
    listing.add_argument("--search", default="", metavar=_("TEXT"),
                         help=_("only families whose name, reference, postcode or phone contain TEXT"))
    listing.add_argument("--archived", action="store_true", help=_("include archived families"))
    listing.set_defaults(handler=run_list)

    importing = commands.add_parser("import", help=_("add families from a CSV or XLSX file"),
                                    description=_("Add families from a CSV or XLSX file. Rows with errors "
                                                  "and possible duplicates are skipped and listed; the rest "
                                                  "is added in one step."))
    importing.add_argument("file", metavar=_("FILE"))
    importing.add_argument("--dry-run", action="store_true",
                           help=_("check the file and show what would happen; change nothing"))
    importing.add_argument("--include-duplicates", action="store_true",
                           help=_("also add rows that look like families already kept"))
    importing.add_argument("--all-or-nothing", action="store_true",
                           help=_("add nothing at all if any row has an error"))
    importing.set_defaults(handler=run_import)

    exporting = commands.add_parser("export", help=_("write families to a .csv or .xlsx file"))
    exporting.add_argument("file", metavar=_("FILE"))
    exporting.add_argument("--search", default="", metavar=_("TEXT"), help=_("only matching families"))
    exporting.add_argument("--archived", action="store_true", help=_("include archived families"))
    exporting.set_defaults(handler=run_export)

    merging = commands.add_parser("merge", help=_("merge a duplicate family record into another"))
    merging.add_argument("keep", metavar=_("KEEP"), help=_("reference of the family to keep"))
    merging.add_argument("merge", metavar=_("DUPLICATE"), help=_("reference of the duplicate to merge into it"))
    merging.set_defaults(handler=run_merge)

    volunteers = subparsers.add_parser("volunteers", help=_("list volunteers"))
    volunteers.add_argument("--all", action="store_true", help=_("include volunteers who are not active"))
    volunteers.set_defaults(handler=run_volunteers)


def _query(args) -> FamilyQuery:
    return FamilyQuery(text=args.search, archived="all" if args.archived else "active")


def run_list(context, args) -> int:
    query = _query(args)
    total = count_families(context, query)
    rows = family_page(context, query, 0, max(total, 1))
    print_table([_("Reference"), _("Name"), _("Postcode"), _("Area"), _("Phone")],
                [(r.reference, r.name, r.postcode, r.area, r.phone) for r in rows])
    print(ngettext("%(count)d family", "%(count)d families", total) % {"count": total})
    return 0


def _print_skipped(result: ImportResult) -> None:
    for row in result.skipped:
        if row.status == DUPLICATE:
            reason = _("possible duplicate of %(family)s") % {"family": row.duplicate_of}
        else:
            reason = " ".join(row.problems)
        print(_("Row %(row)d: %(reason)s") % {"row": row.row_number, "reason": reason}, file=sys.stderr)


def run_import(context, args) -> int:
    from peer_support.services.families_import import ERROR
    from peer_support.services.families_sheet import read_sheet

    if args.all_or_nothing:
        preview = import_file(context, args.file, dry_run=True, include_duplicates=args.include_duplicates)
        errors = preview.plan.with_status(ERROR)
        if errors:
            _print_skipped(preview)
            raise ValidationError(ngettext("%(count)d row has errors; nothing was imported.",
                                           "%(count)d rows have errors; nothing was imported.", len(errors))
                                  % {"count": len(errors)})
    read_sheet(args.file)  # refuse an unreadable file before any output
    result = import_file(context, args.file, dry_run=args.dry_run,
                         include_duplicates=args.include_duplicates, progress=StderrProgress())
    _print_skipped(result)
    skipped = len(result.skipped)
    if args.dry_run:
        print(_("Dry run: nothing was changed."))
        print(ngettext("%(count)d family would be imported.", "%(count)d families would be imported.",
                       result.imported) % {"count": result.imported})
        print(ngettext("%(count)d row would be skipped.", "%(count)d rows would be skipped.", skipped)
              % {"count": skipped})
    else:
        print(ngettext("%(count)d family imported.", "%(count)d families imported.", result.imported)
              % {"count": result.imported})
        print(ngettext("%(count)d row skipped.", "%(count)d rows skipped.", skipped) % {"count": skipped})
    return 0


def run_export(context, args) -> int:
    count = export_families(context, args.file, _query(args), StderrProgress())
    print(ngettext("%(count)d family written to %(file)s.", "%(count)d families written to %(file)s.", count)
          % {"count": count, "file": args.file})
    return 0


def run_merge(context, args) -> int:
    result = merge_families(context, args.keep, args.merge)
    print(ngettext("Merged %(merged)s into %(kept)s; %(count)d record moved.",
                   "Merged %(merged)s into %(kept)s; %(count)d records moved.", result.moved)
          % {"merged": args.merge.upper(), "kept": result.kept.reference, "count": result.moved})
    return 0


def run_volunteers(context, args) -> int:
    rows = list_volunteers(context, include_inactive=args.all)
    print_table([_("Reference"), _("Name"), _("Phone"), _("Areas"), _("Family")],
                [(v.reference, v.name, v.phone, ", ".join(v.areas), v.family_reference) for v in rows])
    return 0
