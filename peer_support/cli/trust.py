"""``backup``, ``restore``, ``family-export`` and ``erase``."""

from __future__ import annotations

from peer_support.cli.output import print_table
from peer_support.errors import UsageError
from peer_support.i18n import _, ngettext
from peer_support.i18n.formatting import format_datetime


def register(subparsers) -> None:
    backup = subparsers.add_parser("backup", help=_("write a consistent backup of the data"),
                                   description=_("Write a consistent backup of the data, to the "
                                                 "backups folder or to another folder (a USB stick)."))
    backup.add_argument("--to", metavar=_("DIR"), help=_("folder to write the backup to"))
    backup.set_defaults(handler=run_backup)

    restore = subparsers.add_parser(
        "restore", help=_("replace the data with a backup (a safety copy is kept)"),
        description=_("Replace the data with a backup. The current data is kept first: as a safety "
                      "copy in the backups folder, or in the 'damaged' folder when it is damaged."))
    restore.add_argument("file", nargs="?", metavar=_("FILE"), help=_("the backup file to restore"))
    restore.add_argument("--newest", action="store_true",
                         help=_("restore the newest good backup from the backups folder"))
    restore.set_defaults(handler=run_restore, no_context=True)

    export = subparsers.add_parser(
        "family-export", help=_("export everything held about one family (subject access request)"))
    export.add_argument("reference", metavar=_("REF"), help=_("the family's reference, e.g. F0001"))
    export.add_argument("-o", "--output", required=True, metavar=_("FILE.zip"), help=_("the ZIP file to write"))
    export.set_defaults(handler=run_family_export)

    erase = subparsers.add_parser(
        "erase", help=_("erase one family's personal data, keeping anonymous totals"),
        description=_("Erase one family's personal data from the database, its history and its "
                      "files. Counts and money totals stay right. This cannot be undone."))
    erase.add_argument("reference", metavar=_("REF"), help=_("the family's reference, e.g. F0001"))
    erase.add_argument("--yes", action="store_true", help=_("confirm the erasure"))
    erase.set_defaults(handler=run_erase)


def run_backup(context, args) -> int:
    from peer_support.services.backups import back_up_now

    record = back_up_now(context, args.to)
    print(_("Backup written: %(path)s") % {"path": record.path})
    return 0


def run_restore(_context, args) -> int:
    from peer_support.context import open_context
    from peer_support.services.backups import preview_backup, recover_folder, restore_backup
    from peer_support.storage.recovery import DamagedDatabaseError

    if bool(args.file) == bool(args.newest):
        raise UsageError(_("Give a backup FILE or --newest (see 'peer-support restore --help')"))
    try:
        context = open_context(args.data_dir)
    except DamagedDatabaseError:
        result = recover_folder(args.data_dir, args.file)
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
    from peer_support.services.privacy import export_family

    result = export_family(context, args.reference, args.output)
    rows = sum(result.tables.values())
    print(ngettext("Exported %(count)d record to %(path)s.", "Exported %(count)d records to %(path)s.", rows)
          % {"count": rows, "path": result.path})
    return 0


def run_erase(context, args) -> int:
    from peer_support.services.privacy import erase_family

    if not args.yes:
        raise UsageError(_("Erasing cannot be undone: add --yes to confirm."))
    result = erase_family(context, args.reference)
    print(_("The personal data of family %(reference)s was erased (%(rows)d records, %(entries)d "
            "history entries). Backups made before now still hold it until they are rotated out.")
          % {"reference": result.reference, "rows": result.rows_blanked,
             "entries": result.log_entries_blanked})
    return 0
