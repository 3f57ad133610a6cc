"""``backup``, ``restore``, ``family-export``, ``erase`` and ``retention``."""

from __future__ import annotations

from peer_support.cli.output import print_table, with_examples
from peer_support.errors import UsageError
from peer_support.i18n import _, ngettext


def register(subparsers) -> None:
    backup = subparsers.add_parser("backup",
                                   description=_("Write a consistent backup of the data, to the "
                                                 "backups folder or to another folder (a USB stick)."))
    backup.add_argument("--to", metavar=_("DIR"), help=_("folder to write the backup to"))
    backup.set_defaults(handler=run_backup)
    with_examples(backup, "backup", "backup --to /media/usb/PeerSupportBackups")

    restore = subparsers.add_parser(
        "restore",
        description=_("Replace the data with a backup. The current data is kept first: as a safety "
                      "copy in the backups folder, or in the 'damaged' folder when it is damaged."))
    restore.add_argument("file", nargs="?", metavar=_("FILE"), help=_("the backup file to restore"))
    restore.add_argument("--newest", action="store_true",
                         help=_("restore the newest good backup from the backups folder"))
    restore.set_defaults(handler=run_restore, no_context=True)
    with_examples(restore, "restore --newest", "restore backups/peer-support-20260301T100000Z.sqlite3")

    export = subparsers.add_parser("family-export")
    export.add_argument("reference", metavar=_("REF"), help=_("the family's reference, e.g. F0001"))
    export.add_argument("-o", "--output", required=True, metavar=_("FILE.zip"), help=_("the ZIP file to write"))
    export.set_defaults(handler=run_family_export)
    with_examples(export, "family-export F0001 -o F0001.zip")

    erase = subparsers.add_parser(
        "erase",
        description=_("Erase one family's personal data from the database, its history and its "
                      "files. Counts and money totals stay right. Without --yes, shows what would "
                      "go and what stays. This cannot be undone."))
    erase.add_argument("reference", metavar=_("REF"), help=_("the family's reference, e.g. F0001"))
    erase.add_argument("--yes", action="store_true", help=_("confirm the erasure"))
    erase.add_argument("--also-volunteer", action="store_true",
                       help=_("also erase the volunteer record of the family's parent"))
    erase.set_defaults(handler=run_erase)
    with_examples(erase, "erase F0001", "erase F0001 --yes")

    retention = subparsers.add_parser(
        "retention",
        description=_("List or anonymise the families with no contact (meeting, delivery, "
                      "application or edit) for the retention period set in the app."))
    with_examples(retention, "retention list", "retention years 6", "retention keep F0001 --reason \"Asked us to\"")
    actions = retention.add_subparsers(dest="retention_command", metavar=_("COMMAND"))
    listing = actions.add_parser("list", help=_("list the families due for anonymising"))
    listing.set_defaults(handler=run_retention_list)
    with_examples(listing, "retention list")
    apply = actions.add_parser("apply", help=_("anonymise every family due (cannot be undone)"))
    apply.add_argument("--yes", action="store_true", help=_("confirm the anonymising"))
    apply.set_defaults(handler=run_retention_apply)
    with_examples(apply, "retention apply --yes")
    keep = actions.add_parser("keep", help=_("keep a family past the retention period, with a reason"))
    keep.add_argument("reference", metavar=_("REF"), help=_("the family's reference, e.g. F0001"))
    keep.add_argument("--reason", required=True, help=_("why the family is kept"))
    keep.set_defaults(handler=run_retention_keep)
    with_examples(keep, "retention keep F0001 --reason \"Still in touch by phone\"")
    period = actions.add_parser("years", help=_("set the retention period in years (0: off)"))
    period.add_argument("years", type=int, metavar=_("YEARS"), help=_("years without contact; 0 turns it off"))
    period.set_defaults(handler=run_retention_years)
    with_examples(period, "retention years 6", "retention years 0")
    retention.set_defaults(handler=run_retention_list)


def run_backup(context, args) -> int:
    from peer_support.services.backups import back_up_now

    record = back_up_now(context, args.to)
    print(_("Backup written: %(path)s") % {"path": record.path})
    return 0


def run_restore(_context, args) -> int:
    from peer_support.i18n.formatting import format_datetime

    from peer_support.context import open_context
    from peer_support.services.backups import preview_backup, recover_folder, restore_backup
    from peer_support.storage.recovery import DamagedDatabaseError

    if bool(args.file) == bool(args.newest):
        raise UsageError(_("Give a backup FILE or --newest (see 'peer-support restore --help')"))
    try:
        context = open_context(args.data_dir)
    except DamagedDatabaseError:
        result = recover_folder(args.data_dir, args.file)
        if result.safety_copy:
            print(_("The damaged data was kept aside in %(path)s.") % {"path": result.safety_copy})
        context = open_context(args.data_dir)
    else:
        try:
            source = args.file or _newest(context)
            result = restore_backup(context, source)
        except BaseException:
            context.close()
            raise
        if result.safety_copy:
            print(_("The data as it was is kept in %(path)s.") % {"path": result.safety_copy})
    try:
        preview = preview_backup(context, result.restored)
        print(_("Restored %(file)s, taken %(when)s.")
              % {"file": result.restored.name, "when": format_datetime(preview.taken_at)})
        if result.erasures_reapplied:
            print(result.erased_again())
        print_table([_("Table"), _("Rows")], sorted(preview.row_counts.items()))
    finally:
        context.close()
    return 0


def _newest(context):
    from peer_support.errors import NotFoundError
    from peer_support.storage import migrate, recovery

    chosen = recovery.newest_good_backup(context.backups_dir, context.db.key, migrate.known_revisions())
    if chosen is None:
        raise NotFoundError(_("No good backup was found in %(path)s.") % {"path": context.backups_dir})
    return chosen


def run_family_export(context, args) -> int:
    from peer_support.services.subject_access import export_family

    result = export_family(context, args.reference, args.output)
    rows = sum(result.tables.values())
    print(ngettext("Exported %(count)d record to %(path)s.", "Exported %(count)d records to %(path)s.", rows)
          % {"count": rows, "path": result.path})
    return 0


def _print_mentions(mentions) -> None:
    if not mentions:
        return
    print(ngettext("%(count)d place elsewhere mentions them. Review and edit it by hand:",
                   "%(count)d places elsewhere mention them. Review and edit them by hand:",
                   len(mentions)) % {"count": len(mentions)})
    for mention in mentions:
        print(f"  {mention.where}: …{mention.excerpt}…")


def run_erase(context, args) -> int:
    from peer_support.services.privacy import erase_family, plan_erasure

    if not args.yes:
        plan = plan_erasure(context, args.reference, args.also_volunteer)
        print(_("Erasing %(reference)s (%(name)s) removes:") % {"reference": plan.reference, "name": plan.name})
        for line in plan.goes:
            print(f"  - {line.text}")
        print(_("It keeps:"))
        for line in plan.stays:
            print(f"  - {line.text}")
        _print_mentions(plan.mentions)
        if plan.volunteer_reference and not plan.also_volunteer:
            print(_("Add --also-volunteer to erase volunteer record %(reference)s as well.")
                  % {"reference": plan.volunteer_reference})
        raise UsageError(_("Erasing cannot be undone: add --yes to confirm."))
    result = erase_family(context, args.reference, args.also_volunteer).record
    print(_("The personal data of family %(reference)s was erased (%(rows)d records, %(entries)d "
            "history entries). Backups made before now still hold it until they are rotated out.")
          % {"reference": result.reference, "rows": result.rows_blanked,
             "entries": result.log_entries_blanked})
    if result.volunteer_reference:
        print(_("Volunteer %(reference)s was erased too.") % {"reference": result.volunteer_reference})
    _print_mentions(result.mentions)
    return 0


def run_retention_list(context, args) -> int:
    from peer_support.i18n.formatting import format_date
    from peer_support.services.retention import due_families, due_summary, retention_years

    years = retention_years(context)
    if years is None:
        print(_("Retention is off. Turn it on with 'peer-support retention years N'."))
        return 0
    due = due_families(context)
    print(due_summary(len(due), years))
    if due:
        print_table([_("Reference"), _("Name"), _("Last contact"), _("Kept on")],
                    [(c.reference, c.name, format_date(c.last_contact_on) if c.last_contact_on else "",
                      format_date(c.kept_on) if c.kept_on else "") for c in due])
    return 0


def run_retention_apply(context, args) -> int:
    from peer_support.services.retention import apply_retention

    if not args.yes:
        raise UsageError(_("Anonymising cannot be undone: add --yes to confirm."))
    result = apply_retention(context).record
    print(ngettext("Anonymised %(count)d family: %(references)s", "Anonymised %(count)d families: %(references)s",
                   len(result.erased)) % {"count": len(result.erased), "references": ", ".join(result.erased)})
    _print_mentions(result.mentions)
    return 0


def run_retention_keep(context, args) -> int:
    from peer_support.services.retention import keep_family

    kept = keep_family(context, args.reference, args.reason).record
    print(_("Family %(reference)s is kept, with your reason recorded.") % {"reference": kept.reference})
    return 0


def run_retention_years(context, args) -> int:
    from peer_support.services.retention import set_retention_years

    years = set_retention_years(context, args.years or None).record
    if years:
        print(ngettext("Retention: families with no contact for %(years)d year are due for anonymising.",
                       "Retention: families with no contact for %(years)d years are due for anonymising.",
                       years) % {"years": years})
    else:
        print(_("Retention is off."))
    return 0
