"""``demo``, ``info`` and ``check``."""

from __future__ import annotations

from peer_support.cli.output import StderrProgress, print_table, with_examples
from peer_support.i18n import _, ngettext


def register(subparsers) -> None:
    demo = subparsers.add_parser("demo",
                                 description=_("Fill the database with realistic sample data. "
                                               "Running it again adds nothing twice."))
    demo.set_defaults(handler=run_demo)
    with_examples(demo, "demo", "--data-dir /tmp/try-it demo")
    info = subparsers.add_parser("info")
    info.set_defaults(handler=run_info)
    with_examples(info, "info", "--lang pl info")
    check = subparsers.add_parser("check")
    check.set_defaults(handler=run_check)
    with_examples(check, "check")


def run_demo(context, args) -> int:
    from peer_support.sample import load_sample_data

    seeded = load_sample_data(context, StderrProgress())
    if seeded:
        print(_("Sample data loaded: %(areas)s.") % {"areas": ", ".join(seeded)})
    else:
        print(_("Sample data was already loaded; nothing was added."))
    return 0


def run_info(context, args) -> int:
    from peer_support.services.info import app_info

    info = app_info(context)
    print(_("Version: %(version)s") % {"version": info.version})
    print(_("Data folder: %(path)s") % {"path": info.data_dir})
    print(_("Database: %(path)s") % {"path": info.database_path})
    print(_("Schema revision: %(revision)s") % {"revision": info.schema_revision})
    print(_("Device: %(device)s") % {"device": info.device_id})
    print()
    print_table([_("Table"), _("Rows")], sorted(info.row_counts.items()))
    return 0


def run_check(context, args) -> int:
    from peer_support.services.info import check_database

    problems = check_database(context)
    for problem in problems:
        print(problem)
    if problems:
        print(ngettext("%(count)d problem found.", "%(count)d problems found.", len(problems))
              % {"count": len(problems)})
        return 6
    print(_("The database is healthy."))
    return 0
