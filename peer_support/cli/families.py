"""``families list | add | edit | show | archive | restore | import | export | merge`` and
``volunteers [list | add | edit | archive]``."""

from __future__ import annotations

import sys

import argparse
from dataclasses import replace

from typing import TYPE_CHECKING

from peer_support.cli.output import StderrProgress, print_table, with_examples
from peer_support.errors import UsageError, ValidationError
from peer_support.i18n import N_, _, ngettext

if TYPE_CHECKING:  # names used in annotations only
    from peer_support.domain.families import FamilyDraft, FamilyQuery, VolunteerDraft
    from peer_support.services.families_import import ImportResult


def register(subparsers) -> None:
    families = subparsers.add_parser("families")
    with_examples(families, "families add --name \"Anna Nowak\" --postcode \"CT9 1AB\"",
                  "families edit F0001 --phone \"07700 900123\"", "families list --search nowak")
    commands = families.add_subparsers(dest="families_command", metavar=_("COMMAND"), required=True)
    _register_editing(commands)

    listing = commands.add_parser("list", help=_("list families (not archived ones unless asked)"))
    listing.add_argument("--search", default="", metavar=_("TEXT"),
                         help=_("only families whose name, reference, postcode or phone contain TEXT"))
    listing.add_argument("--archived", action="store_true", help=_("include archived families"))
    listing.set_defaults(handler=run_list)
    with_examples(listing, "families list", "families list --search \"nowak\" --archived")

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
    with_examples(importing, "families import families.xlsx --dry-run", "families import families.csv")

    exporting = commands.add_parser("export", help=_("write families to a .csv or .xlsx file"))
    exporting.add_argument("file", metavar=_("FILE"))
    exporting.add_argument("--search", default="", metavar=_("TEXT"), help=_("only matching families"))
    exporting.add_argument("--archived", action="store_true", help=_("include archived families"))
    exporting.set_defaults(handler=run_export)
    with_examples(exporting, "families export families.xlsx", "families export margate.csv --search Margate")

    merging = commands.add_parser("merge", help=_("merge a duplicate family record into another"))
    merging.add_argument("keep", metavar=_("KEEP"), help=_("reference of the family to keep"))
    merging.add_argument("merge", metavar=_("DUPLICATE"), help=_("reference of the duplicate to merge into it"))
    merging.set_defaults(handler=run_merge)
    with_examples(merging, "families merge F0012 F0345")

    _register_volunteers(subparsers)


def _query(args) -> FamilyQuery:
    from peer_support.domain.families import FamilyQuery

    return FamilyQuery(text=args.search, archived="all" if args.archived else "active")


def run_list(context, args) -> int:
    from peer_support.i18n.formatting import format_number
    from peer_support.services.families_search import count_families, family_page

    query = _query(args)
    total = count_families(context, query)
    rows = family_page(context, query, 0, max(total, 1))
    print_table([_("Reference"), _("Name"), _("Postcode"), _("Area"), _("Phone")],
                [(r.reference, r.name, r.postcode, r.area, r.phone) for r in rows])
    print(ngettext("%(count)s family", "%(count)s families", total) % {"count": format_number(total)})
    return 0


def _print_skipped(result: ImportResult) -> None:
    from peer_support.services.families_import import DUPLICATE

    for row in result.skipped:
        if row.status == DUPLICATE:
            reason = _("possible duplicate of %(family)s") % {"family": row.duplicate_of}
        else:
            reason = " ".join(row.problems)
        print(_("Row %(row)d: %(reason)s") % {"row": row.row_number, "reason": reason}, file=sys.stderr)


def run_import(context, args) -> int:
    from peer_support.i18n.formatting import format_number
    from peer_support.services.families_import import import_file

    from peer_support.services.families_import import ERROR
    from peer_support.services.families_sheet import read_sheet

    sheet = read_sheet(args.file)  # refuse an unreadable file before any output; read it once
    if args.all_or_nothing:
        preview = import_file(context, sheet, dry_run=True, include_duplicates=args.include_duplicates).record
        errors = preview.plan.with_status(ERROR)
        if errors:
            _print_skipped(preview)
            raise ValidationError(ngettext("%(count)s row has errors; nothing was imported.",
                                           "%(count)s rows have errors; nothing was imported.", len(errors))
                                  % {"count": format_number(len(errors))})
    result = import_file(context, sheet, dry_run=args.dry_run,
                         include_duplicates=args.include_duplicates, progress=StderrProgress()).record
    _print_skipped(result)
    skipped = len(result.skipped)
    if args.dry_run:
        print(_("Dry run: nothing was changed."))
        print(ngettext("%(count)s family would be imported.", "%(count)s families would be imported.",
                       result.imported) % {"count": format_number(result.imported)})
        print(ngettext("%(count)s row would be skipped.", "%(count)s rows would be skipped.", skipped)
              % {"count": format_number(skipped)})
    else:
        print(ngettext("%(count)s family imported.", "%(count)s families imported.", result.imported)
              % {"count": format_number(result.imported)})
        print(ngettext("%(count)s row skipped.", "%(count)s rows skipped.", skipped) % {"count": format_number(skipped)})
    return 0


def run_export(context, args) -> int:
    from peer_support.i18n.formatting import format_number
    from peer_support.services.families_export import export_families

    count = export_families(context, args.file, _query(args), StderrProgress())
    print(ngettext("%(count)s family written to %(file)s.", "%(count)s families written to %(file)s.", count)
          % {"count": format_number(count), "file": args.file})
    return 0


def run_merge(context, args) -> int:
    from peer_support.i18n.formatting import format_number
    from peer_support.services.families_merge import merge_families

    result = merge_families(context, args.keep, args.merge).record
    print(ngettext("Merged %(merged)s into %(kept)s; %(count)s record moved.",
                   "Merged %(merged)s into %(kept)s; %(count)s records moved.", result.moved)
          % {"merged": args.merge.upper(), "kept": result.kept.reference, "count": format_number(result.moved)})
    return 0


def run_volunteers(context, args) -> int:
    from peer_support.services.families_volunteers import list_volunteers

    rows = list_volunteers(context, include_inactive=args.all)
    print_table([_("Reference"), _("Name"), _("Phone"), _("Areas"), _("Family")],
                [(v.reference, v.name, v.phone, ", ".join(v.areas), v.family_reference) for v in rows])
    return 0


# -- adding and editing ----------------------------------------------------------------------
_TEXT_FIELDS = (("phone", N_("phone number")), ("email", N_("email address")),
                ("postcode", N_("postcode, e.g. CT9 1AB")), ("address", N_("street address")),
                ("area", N_("area (from the areas list; a new name adds it)")),
                ("language", N_("language the family prefers: en, pl, da or de")),
                ("notes", N_("notes")))
_FLAGS = (("needs_internet", N_("the family needs internet access")),
          ("needs_device", N_("the family needs a device")),
          ("consent_contact", N_("consent to be contacted")),
          ("consent_newsletter", N_("consent to get the newsletter")),
          ("consent_photos", N_("consent to photos")))


def _family_options(parser, adding: bool) -> None:
    parser.add_argument("--name", required=adding, metavar=_("NAME"), help=_("the family's name"))
    for field, text in _TEXT_FIELDS:
        parser.add_argument("--" + field.replace("_", "-"), dest=field, metavar=_("TEXT"), help=_(text))
    parser.add_argument("--children", type=int, metavar=_("COUNT"), help=_("number of children"))
    parser.add_argument("--school", action="append", dest="schools", metavar=_("NAME"),
                        help=_("a school the children go to (repeat for several; replaces the list)"))
    for field, text in _FLAGS:
        parser.add_argument("--" + field.replace("_", "-"), dest=field, action=argparse.BooleanOptionalAction,
                            default=None, help=_(text))
    parser.add_argument("--consent-date", metavar=_("DATE"),
                        help=_("when consent was given (default: today when a consent is switched on)"))


def _register_editing(commands) -> None:
    add = commands.add_parser("add", help=_("add a family"),
                              description=_("Add a family with the next free reference."))
    _family_options(add, adding=True)
    add.set_defaults(handler=run_add)
    with_examples(add, "families add --name \"Anna Nowak\" --phone \"07700 900123\" --postcode \"CT9 1AB\" "
                       "--area Margate --language pl --consent-contact")

    edit = commands.add_parser("edit", help=_("change a family's details"),
                               description=_("Change only the details given; the rest stays as it is."))
    edit.add_argument("reference", metavar=_("REF"), help=_("the family's reference (F0001) or name"))
    _family_options(edit, adding=False)
    edit.set_defaults(handler=run_edit)
    with_examples(edit, "families edit F0001 --name \"Anna Nowak-Smith\"",
                  "families edit F0001 --no-consent-photos --notes \"Prefers texts\"")

    show = commands.add_parser("show", help=_("show everything about one family"))
    show.add_argument("reference", metavar=_("REF"), help=_("the family's reference or name"))
    show.set_defaults(handler=run_show)
    with_examples(show, "families show F0001", "families show \"Anna Nowak\"")

    for name, archived, text in (("archive", True, N_("archive a family (hidden from lists, nothing is lost)")),
                                 ("restore", False, N_("bring an archived family back into the lists"))):
        command = commands.add_parser(name, help=_(text))
        command.add_argument("reference", metavar=_("REF"), help=_("the family's reference (F0001) or name"))
        command.set_defaults(handler=run_archive, archived=archived)
        with_examples(command, f"families {name} F0001")


def _changes(args) -> dict:
    from peer_support.i18n.formatting import parse_date

    changes = {}
    if args.name is not None:
        changes["name"] = args.name
    for field, _text in _TEXT_FIELDS:
        if getattr(args, field) is not None:
            changes[field] = getattr(args, field)
    if args.children is not None:
        changes["children"] = args.children
    if args.schools is not None:
        changes["schools"] = tuple(args.schools)
    for field, _text in _FLAGS:
        if getattr(args, field) is not None:
            changes[field] = getattr(args, field)
    if args.consent_date is not None:
        changes["consent_date"] = parse_date(args.consent_date) if args.consent_date.strip() else None
    return changes


def _with_changes(context, draft: FamilyDraft, args) -> FamilyDraft:
    from peer_support.clock import local_today

    draft = replace(draft, **_changes(args))
    consenting = any(getattr(args, field) for field in ("consent_contact", "consent_newsletter", "consent_photos"))
    if consenting and draft.consent_date is None:
        draft = replace(draft, consent_date=local_today(context.clock))
    return draft


def run_add(context, args) -> int:
    from peer_support.domain.families import FamilyDraft

    from peer_support.services.families import save_new_family

    record = save_new_family(context, _with_changes(context, FamilyDraft(name=""), args)).record
    print(_("Added family %(reference)s %(name)s.") % {"reference": record.reference, "name": record.name})
    return 0


def run_edit(context, args) -> int:
    from peer_support.services.families import get_family, update_family

    changes = _changes(args)
    if not changes:
        raise UsageError(_("Say what to change, for example --phone or --name (see '%(prog)s --help')")
                         % {"prog": "peer-support families edit"})
    from peer_support.services.family_lookup import find_family

    current = get_family(context, find_family(context, args.reference, include_archived=True).reference)
    record = update_family(context, current.reference, _with_changes(context, current.draft(), args)).record
    print(_("Saved family %(reference)s %(name)s.") % {"reference": record.reference, "name": record.name})
    return 0


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def run_show(context, args) -> int:
    from peer_support.i18n.formatting import format_date

    from peer_support.services.families import get_family
    from peer_support.services.family_lookup import find_family
    from peer_support.services.register import family_attendance_history, summarise_history

    record = get_family(context, find_family(context, args.reference, include_archived=True).reference)
    lines = [(_("Reference"), record.reference), (_("Name"), record.name),
             (_("Address"), record.address.replace("\n", ", ")), (_("Postcode"), record.postcode),
             (_("Area"), record.area), (_("Phone"), record.phone), (_("Email"), record.email),
             (_("Language"), record.language),
             (_("Children"), "" if record.children is None else record.children),
             (_("Schools"), ", ".join(record.schools)),
             (_("Needs internet"), _yes_no(record.needs_internet)),
             (_("Needs a device"), _yes_no(record.needs_device)),
             (_("Consent given on"), format_date(record.consent_date) if record.consent_date else ""),
             (_("Consent to contact"), _yes_no(record.consent_contact)),
             (_("Consent to newsletter"), _yes_no(record.consent_newsletter)),
             (_("Consent to photos"), _yes_no(record.consent_photos)),
             (_("Notes"), record.notes.replace("\n", " ")),
             (_("Archived"), _yes_no(record.archived))]
    width = max(len(label) for label, _value in lines)
    for label, value in lines:
        print(f"{label.ljust(width)}  {value}".rstrip())
    for member in record.members:
        details = ", ".join(part for part in (member.relationship, member.school,
                                              "" if member.school_year is None else
                                              _("year %(year)d") % {"year": member.school_year}) if part)
        print(_("Member: %(name)s") % {"name": member.name} + (f" ({details})" if details else ""))
    print(summarise_history(family_attendance_history(context, record.reference)))
    return 0


def run_archive(context, args) -> int:
    from peer_support.services.families import set_family_archived
    from peer_support.services.family_lookup import find_family

    reference = find_family(context, args.reference, include_archived=True).reference
    record = set_family_archived(context, reference, args.archived).record
    message = _("Archived family %(reference)s %(name)s.") if args.archived else \
        _("Restored family %(reference)s %(name)s.")
    print(message % {"reference": record.reference, "name": record.name})
    return 0


# -- volunteers ----------------------------------------------------------------------------
def _volunteer_options(parser, adding: bool) -> None:
    parser.add_argument("--name", required=adding, metavar=_("NAME"), help=_("the volunteer's name"))
    parser.add_argument("--phone", metavar=_("TEXT"), help=_("phone number"))
    parser.add_argument("--email", metavar=_("TEXT"), help=_("email address"))
    parser.add_argument("--area", action="append", dest="areas", metavar=_("NAME"),
                        help=_("an area the volunteer covers (repeat for several; replaces the list)"))
    parser.add_argument("--family", metavar=_("REF"),
                        help=_("the volunteer's own family, if they are a parent of the group"))


def _register_volunteers(subparsers) -> None:
    volunteers = subparsers.add_parser("volunteers")
    volunteers.add_argument("--all", action="store_true", help=_("include volunteers who are not active"))
    volunteers.set_defaults(handler=run_volunteers)
    with_examples(volunteers, "volunteers", "volunteers add --name \"Sam Green\" --area Margate",
                  "volunteers archive V002")
    commands = volunteers.add_subparsers(dest="volunteers_command", metavar=_("COMMAND"))
    listing = commands.add_parser("list", help=_("list volunteers"))
    listing.add_argument("--all", action="store_true", help=_("include volunteers who are not active"))
    listing.set_defaults(handler=run_volunteers)
    with_examples(listing, "volunteers list --all")
    add = commands.add_parser("add", help=_("add a volunteer"))
    _volunteer_options(add, adding=True)
    add.set_defaults(handler=run_volunteer_add)
    with_examples(add, "volunteers add --name \"Sam Green\" --phone \"07700 900555\" --area Margate")
    edit = commands.add_parser("edit", help=_("change a volunteer's details"))
    edit.add_argument("reference", metavar=_("REF"), help=_("the volunteer's reference or name"))
    _volunteer_options(edit, adding=False)
    edit.add_argument("--active", action=argparse.BooleanOptionalAction, default=None,
                      help=_("whether the volunteer is active"))
    edit.set_defaults(handler=run_volunteer_edit)
    with_examples(edit, "volunteers edit V002 --phone \"07700 900556\"", "volunteers edit V002 --active")
    archive = commands.add_parser("archive", help=_("mark a volunteer as no longer active"))
    archive.add_argument("reference", metavar=_("REF"), help=_("the volunteer's reference or name"))
    archive.set_defaults(handler=run_volunteer_archive)
    with_examples(archive, "volunteers archive V002")


def _volunteer_draft(draft: VolunteerDraft, args) -> VolunteerDraft:
    changes = {key: getattr(args, key) for key in ("name", "phone", "email") if getattr(args, key) is not None}
    if args.areas is not None:
        changes["areas"] = tuple(args.areas)
    if args.family is not None:
        changes["family_reference"] = args.family
    if getattr(args, "active", None) is not None:
        changes["active"] = args.active
    return replace(draft, **changes)


def run_volunteer_add(context, args) -> int:
    from peer_support.domain.families import VolunteerDraft

    from peer_support.services.families_volunteers import save_new_volunteer

    record = save_new_volunteer(context, _volunteer_draft(VolunteerDraft(name=""), args)).record
    print(_("Added volunteer %(reference)s %(name)s.") % {"reference": record.reference, "name": record.name})
    return 0


def run_volunteer_edit(context, args) -> int:
    from peer_support.services.families_volunteers import get_volunteer, update_volunteer

    current = get_volunteer(context, args.reference)
    record = update_volunteer(context, current.reference, _volunteer_draft(current.draft(), args)).record
    print(_("Saved volunteer %(reference)s %(name)s.") % {"reference": record.reference, "name": record.name})
    return 0


def run_volunteer_archive(context, args) -> int:
    from peer_support.services.families_volunteers import get_volunteer, update_volunteer

    current = get_volunteer(context, args.reference)
    if not current.active:
        print(_("Volunteer %(reference)s %(name)s is already not active.")
              % {"reference": current.reference, "name": current.name})
        return 0
    record = update_volunteer(context, current.reference, replace(current.draft(), active=False)).record
    print(_("Volunteer %(reference)s %(name)s is no longer active.")
          % {"reference": record.reference, "name": record.name})
    return 0
