"""``sync [--folder DIR]``, ``sync status|folder|passphrase|snapshot|join`` and ``conflicts list|resolve``."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from peer_support.cli.output import StderrProgress, print_table, with_examples
from peer_support.errors import ValidationError
from peer_support.i18n import _, ngettext


def register(subparsers) -> None:
    sync = subparsers.add_parser(
        "sync",
        description=_("Apply the other laptops' changes from the sync folder (a USB stick or a shared "
                      "folder), then write this laptop's. With no command, syncs now."))
    sync.add_argument("--folder", metavar=_("DIR"), help=_("use this folder this time (default: the one "
                                                           "chosen in Settings or with 'sync folder')"))
    sync.set_defaults(handler=run_sync)
    with_examples(sync, "sync", "sync --folder E:\\PeerSupportSync", "sync status")
    commands = sync.add_subparsers(dest="sync_command", metavar=_("COMMAND"))
    status = commands.add_parser("status", help=_("show last sync, files waiting and open conflicts"))
    status.set_defaults(handler=run_status)
    with_examples(status, "sync status")
    folder = commands.add_parser("folder", help=_("choose the sync folder"))
    folder.add_argument("path", metavar=_("DIR"))
    folder.set_defaults(handler=run_folder)
    with_examples(folder, "sync folder /media/usb/PeerSupportSync")
    passphrase = commands.add_parser("passphrase", help=_("encrypt the sync files with the group's passphrase "
                                                          "(asked for, or read from standard input)"))
    passphrase.set_defaults(handler=run_passphrase)
    with_examples(passphrase, "sync passphrase")
    snapshot = commands.add_parser("snapshot", help=_("write a snapshot a new laptop can join from"))
    snapshot.set_defaults(handler=run_snapshot)
    with_examples(snapshot, "sync snapshot")
    join = commands.add_parser("join", help=_("make this new laptop a member: start from the newest "
                                              "snapshot in the folder"))
    join.add_argument("path", metavar=_("DIR"))
    join.set_defaults(handler=run_join, no_context=True)
    with_examples(join, "sync join /media/usb/PeerSupportSync")

    conflicts = subparsers.add_parser("conflicts")
    with_examples(conflicts, "conflicts list", "conflicts resolve 3f2a --keep remote")
    conflict_commands = conflicts.add_subparsers(dest="conflicts_command", metavar=_("COMMAND"), required=True)
    listing = conflict_commands.add_parser("list", help=_("list open conflicts and notices"))
    listing.add_argument("--all", action="store_true", help=_("include resolved ones"))
    listing.set_defaults(handler=run_conflicts_list)
    with_examples(listing, "conflicts list", "conflicts list --all")
    resolve = conflict_commands.add_parser("resolve", help=_("decide a conflict"))
    resolve.add_argument("id", metavar=_("ID"), help=_("the conflict's id (its first characters are enough)"))
    resolve.add_argument("--keep", required=True, metavar=_("local|remote|VALUE"),
                         help=_("keep this laptop's value, the other laptop's, or type the value to keep"))
    resolve.set_defaults(handler=run_conflicts_resolve)
    with_examples(resolve, "conflicts resolve 3f2a --keep local", "conflicts resolve 3f2a --keep \"07700 900123\"")


def _folder(context, args) -> Path | None:
    from peer_support.services.sync import configured_folder

    return Path(args.folder) if getattr(args, "folder", None) else configured_folder(context)


def run_sync(context, args) -> int:
    from peer_support.services.sync import sync_now

    report = sync_now(context, _folder(context, args), StderrProgress())
    print(ngettext("Sent %(count)d change.", "Sent %(count)d changes.", report.sent_changes)
          % {"count": report.sent_changes})
    print(ngettext("Applied %(count)d change from other laptops.", "Applied %(count)d changes from other laptops.",
                   report.changes_applied) % {"count": report.changes_applied})
    if report.new_conflicts:
        print(ngettext("%(count)d new conflict: see 'peer-support conflicts list'.",
                       "%(count)d new conflicts: see 'peer-support conflicts list'.", report.new_conflicts)
              % {"count": report.new_conflicts})
    if report.files_rewritten:
        print(ngettext("Wrote %(count)d of this laptop's files again: it was damaged or missing in the folder.",
                       "Wrote %(count)d of this laptop's files again: they were damaged or missing in the folder.",
                       report.files_rewritten) % {"count": report.files_rewritten})
    for problem in (*report.waiting, *report.problems):
        print(problem.message, file=sys.stderr)
    return 6 if report.problems else 0


def run_status(context, args) -> int:
    from peer_support.domain.sync import laptop_label
    from peer_support.i18n.formatting import format_datetime

    from peer_support.services.sync import sync_status
    from peer_support.services.sync.labels import clock_warning_text

    status = sync_status(context)
    print(_("Sync folder: %(folder)s") % {"folder": status.folder or _("not chosen")})
    if status.folder and not status.folder_reachable:
        print(_("The folder cannot be reached now (USB stick not plugged in?)."))
    print(_("Last sync: %(when)s") % {"when": format_datetime(status.last_sync_at) if status.last_sync_at
                                      else _("never")})
    print(_("Encrypted: %(answer)s") % {"answer": _("yes") if status.encrypted else _("no")})
    print(ngettext("%(count)d change not sent yet.", "%(count)d changes not sent yet.", status.unsent_changes)
          % {"count": status.unsent_changes})
    print(ngettext("%(count)d file waiting to be applied.", "%(count)d files waiting to be applied.",
                   status.files_waiting) % {"count": status.files_waiting})
    print(ngettext("%(count)d open conflict.", "%(count)d open conflicts.", status.open_conflicts)
          % {"count": status.open_conflicts})
    if status.peers:
        print()
        print_table([_("Laptop"), _("Applied up to"), _("In the folder")],
                    [[laptop_label(p.device_id, p.name), p.applied_seq, p.available_seq] for p in status.peers])
    if status.problems or status.clocks_ahead:
        print()
        print(_("Problems from the last sync:"))
        for problem in status.problems:
            print(f"- {problem.message}")
        for warning in status.clocks_ahead:
            print(f"- {clock_warning_text(warning)}")
    return 0


def run_folder(context, args) -> int:
    from peer_support.services.sync import set_sync_folder

    path = set_sync_folder(context, args.path)
    print(_("Sync folder: %(folder)s") % {"folder": path})
    return 0


def run_passphrase(context, args) -> int:
    from peer_support.services.sync import set_passphrase

    if sys.stdin.isatty():
        passphrase = getpass.getpass(_("Group passphrase: "))
    else:
        passphrase = sys.stdin.readline().rstrip("\n")
    set_passphrase(context, passphrase)
    print(_("Sync files are now encrypted with the group's passphrase."))
    return 0


def run_snapshot(context, args) -> int:
    from peer_support.services.sync import snapshot_now

    path = snapshot_now(context)
    print(_("Snapshot written: %(file)s") % {"file": path})
    return 0


def run_join(_context, args) -> int:
    from peer_support.services.sync import sync_now

    from peer_support.paths import prepare_data_dir, resolve_data_dir
    from peer_support.services.sync.snapshot import join_group

    if not Path(args.path).is_dir():  # a mistyped folder or a stick not plugged in: invalid input
        raise ValidationError(_("There is no folder %(path)s.") % {"path": args.path})
    passphrase = ""
    if (Path(args.path) / "group.json").exists():
        passphrase = getpass.getpass(_("Group passphrase: ")) if sys.stdin.isatty() else \
            sys.stdin.readline().rstrip("\n")
    context = join_group(prepare_data_dir(resolve_data_dir(args.data_dir)), Path(args.path), passphrase)
    try:
        sync_now(context, None, StderrProgress())
    finally:
        context.close()
    print(_("This laptop has joined the group."))
    return 0


def run_conflicts_list(context, args) -> int:
    from peer_support.services.sync import list_conflicts
    from peer_support.services.sync.labels import conflict_summary, kind_label

    conflicts = list_conflicts(context, include_resolved=args.all)
    rows = [[c.short_id, kind_label(c.kind), c.label, c.field_label, c.local_text, c.remote_text,
             conflict_summary(c)] for c in conflicts]
    print_table([_("Id"), _("Kind"), _("Record"), _("Field"), _("This laptop"), _("Other laptop"), _("What happened")],
                rows)
    print(ngettext("%(count)d conflict.", "%(count)d conflicts.", len(conflicts)) % {"count": len(conflicts)})
    return 0


def run_conflicts_resolve(context, args) -> int:
    from peer_support.services.sync import resolve_conflict

    keep = args.keep if args.keep in ("local", "remote") else "value"
    resolve_conflict(context, args.id, keep, args.keep if keep == "value" else None)
    print(_("Conflict resolved. The decision reaches the other laptops with the next sync."))
    return 0
