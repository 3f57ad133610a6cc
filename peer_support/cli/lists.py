"""``areas`` and ``schools``: the configurable lists (list, rename, merge, archive, restore)."""

from __future__ import annotations

from peer_support.cli.output import print_table, with_examples
from peer_support.i18n import _, ngettext


# services.lists.AREAS and SCHOOLS, named here so that --help loads no data layer.
AREAS, SCHOOLS = "area", "school"


def register(subparsers) -> None:
    for kind, command in ((AREAS, "areas"), (SCHOOLS, "schools")):
        group = subparsers.add_parser(command)
        with_examples(group, f"{command} list", f"{command} rename \"Old name\" \"New name\"",
                      f"{command} merge \"Duplicate\" \"Keep\"")
        commands = group.add_subparsers(dest=f"{command}_command", metavar=_("COMMAND"), required=True)
        listing = commands.add_parser("list", help=_("list the entries, with how many families use each"))
        listing.set_defaults(handler=run_list, kind=kind)
        with_examples(listing, f"{command} list")
        rename = commands.add_parser("rename", help=_("give an entry a new name"))
        rename.add_argument("name", metavar=_("NAME"))
        rename.add_argument("new_name", metavar=_("NEW_NAME"))
        rename.set_defaults(handler=run_rename, kind=kind)
        with_examples(rename, f"{command} rename \"Old name\" \"New name\"")
        merge = commands.add_parser("merge", help=_("move everything from one entry to another, then "
                                                    "archive the first"))
        merge.add_argument("name", metavar=_("NAME"), help=_("the entry to empty and archive"))
        merge.add_argument("into", metavar=_("INTO"), help=_("the entry to keep"))
        merge.set_defaults(handler=run_merge, kind=kind)
        with_examples(merge, f"{command} merge \"Duplicate\" \"Keep\"")
        for name, archived, help_text in (("archive", True, _("take an entry out of the choices")),
                                          ("restore", False, _("bring an archived entry back"))):
            command_parser = commands.add_parser(name, help=help_text)
            command_parser.add_argument("name", metavar=_("NAME"))
            command_parser.set_defaults(handler=run_archive, kind=kind, archived=archived)
            with_examples(command_parser, f"{command} {name} \"Name\"")


def run_list(context, args) -> int:
    from peer_support.services.lists import list_entries

    entries = list_entries(context, args.kind)
    print_table([_("Name"), _("Families"), _("Archived")],
                [(e.name, e.families, _("yes") if e.archived else "") for e in entries])
    return 0


def run_rename(context, args) -> int:
    from peer_support.services.lists import rename_entry

    rename_entry(context, args.kind, args.name, args.new_name)
    print(_("Renamed %(old)s to %(new)s.") % {"old": args.name, "new": " ".join(args.new_name.split())})
    return 0


def run_merge(context, args) -> int:
    from peer_support.services.lists import merge_entries

    summary = merge_entries(context, args.kind, args.name, args.into)
    moved = max(summary.changes.rows - 1, 0)
    print(ngettext("Merged %(old)s into %(new)s; %(count)d record changed.",
                   "Merged %(old)s into %(new)s; %(count)d records changed.", moved)
          % {"old": args.name, "new": args.into, "count": moved})
    return 0


def run_archive(context, args) -> int:
    from peer_support.services.lists import set_entry_archived

    set_entry_archived(context, args.kind, args.name, args.archived)
    message = _("Archived %(name)s.") if args.archived else _("Restored %(name)s.")
    print(message % {"name": args.name})
    return 0
