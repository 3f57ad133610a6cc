"""The ``peer-support`` command: the GUI with no sub-command, else a headless job.

Every area adds its sub-commands in its own module here, through a
``register(subparsers)`` function; a sub-command's handler takes
``(context, args)`` and returns an exit code. ``COMMANDS`` names each
command's module and its line in ``--help``: only the module of the command
being run is imported and its parser built (``peer-support --help`` builds one
line per command and imports none of them). Errors print one translated line
to stderr and exit with the error's code; a traceback goes only to the log.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from peer_support import __version__, i18n
from peer_support.cli import argparse_i18n
from peer_support.errors import PeerSupportError, UsageError
from peer_support.i18n import N_, _

# Every command, in --help order: the module of this package whose register() adds it, and its
# line in --help (the command modules leave ``help`` out: it is filled in from here).
COMMANDS: dict[str, tuple[str, str]] = {
    "demo": ("core", N_("fill the database with realistic sample data")),
    "info": ("core", N_("show version, data folder, schema and row counts")),
    "check": ("core", N_("check the database; exit non-zero on any problem")),
    "families": ("families", N_("add, edit, list, import, export and merge families")),
    "volunteers": ("families", N_("list, add, edit and archive volunteers")),
    "fund": ("fund", N_("connectivity fund: applications, decisions, payments, pot status and the funder report")),
    "areas": ("lists", N_("the areas list: rename, merge two, archive")),
    "schools": ("lists", N_("the schools list: rename, merge two, archive")),
    "meetings": ("meetings", N_("plan meetings, take the register, list and export")),
    "cards": ("meetings", N_("print family cards with QR codes to a PDF")),
    "newsletter": ("newsletter", N_("list and export newsletters, mailing lists and address labels")),
    "forms": ("outcomes", N_("feedback forms: list, print, enter answers, results")),
    "packs": ("packs", N_("activity packs: batches, labels, runs and deliveries")),
    "report": ("report", N_("write the period report for funders (PDF or XLSX)")),
    "sync": ("sync", N_("exchange changes with the group's other laptops through the sync folder")),
    "conflicts": ("sync", N_("list or resolve what two laptops changed differently")),
    "backup": ("trust", N_("write a consistent backup of the data")),
    "restore": ("trust", N_("replace the data with a backup (a safety copy is kept)")),
    "family-export": ("trust", N_("export everything held about one family (subject access request)")),
    "erase": ("trust", N_("erase one family's personal data, keeping anonymous totals")),
    "retention": ("trust", N_("families with no contact for the retention period")),
    "undo": ("undo", N_("undo the last change made by this laptop's user")),
    "redo": ("undo", N_("do again what the last undo took back")),
    "users": ("users", N_("the people who use the app")),
    "encryption": ("users", N_("encrypt the data with a passphrase, or stop")),
}
ALL_COMMANDS = "*"


class OneLineArgumentParser(argparse.ArgumentParser):
    """Usage errors as one clear line, not argparse's usage dump."""

    def error(self, message: str):  # type: ignore[override]
        raise UsageError(_("%(message)s (see '%(prog)s --help')") % {"message": message, "prog": self.prog})


def _global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data-dir", metavar=_("DIR"),
                        help=_("folder holding the data (default: the user data folder, "
                               "or $PEER_SUPPORT_DATA_DIR)"))
    parser.add_argument("--lang", metavar=_("CODE"),
                        help=_("language: en, da, de or pl (default: from Settings or the system)"))
    parser.add_argument("--user", metavar=_("NAME"),
                        help=_("who is doing this (default: this laptop's user); a PIN is asked for, or "
                               "read from $PEER_SUPPORT_PIN or the first line of standard input"))


class _Commands:
    """The sub-commands action as a command module sees it: each command's --help line comes from COMMANDS."""

    def __init__(self, action) -> None:
        self._action = action

    def add_parser(self, name: str, **kwargs):
        kwargs.setdefault("help", _(COMMANDS[name][1]))
        return self._action.add_parser(name, **kwargs)


def build_parser(command: str = ALL_COMMANDS) -> argparse.ArgumentParser:
    """The whole parser, or (``command``) the one command's in full and one --help line for each other.

    Only the modules of the commands built in full are imported.
    """
    parser = OneLineArgumentParser(
        prog="peer-support",
        description=_("Peer Support: families, meetings, connectivity fund, activity packs and "
                      "newsletters for a parent peer-support group. With no command, opens the app."))
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}",
                        help=_("show the version and exit"))
    _global_options(parser)
    subparsers = parser.add_subparsers(dest="command", metavar=_("COMMAND"),
                                       parser_class=OneLineArgumentParser)
    modules = dict.fromkeys(module for module, _help in COMMANDS.values())  # in --help order
    if command != ALL_COMMANDS:
        modules = {COMMANDS[command][0]: None} if command in COMMANDS else {}
    registered = set()
    for name, (module, text) in COMMANDS.items():
        if module in modules and module not in registered:
            importlib.import_module(f"{__name__}.{module}").register(_Commands(subparsers))
            registered.add(module)
        elif name not in subparsers.choices:  # listed in --help, parsed only when it is the command
            subparsers.add_parser(name, help=_(text), add_help=False)
    return parser


def _choose_language(argv: Sequence[str]) -> None:
    """Pick the language before building the parser, so --help is translated."""
    early = OneLineArgumentParser(add_help=False)
    _global_options(early)
    # Stop at the sub-command: its own options (newsletter export --lang) are not the UI's.
    early.add_argument("rest", nargs=argparse.REMAINDER)
    known, _rest = early.parse_known_args(argv)
    language = i18n.normalise_language(known.lang)
    if not language and known.lang is None:
        language = _language_from_local_config(known.data_dir)
    i18n.set_language(language or i18n.system_language())


def _language_from_local_config(data_dir: str | None) -> str | None:
    from peer_support.paths import LOCAL_CONFIG_FILE, resolve_data_dir

    try:
        import json

        raw = json.loads((resolve_data_dir(data_dir) / LOCAL_CONFIG_FILE).read_text("utf-8"))
        return i18n.normalise_language(raw.get("language"))
    except (OSError, ValueError, AttributeError):
        return None


def _early_parse(argv: Sequence[str]) -> tuple[argparse.Namespace | None, str]:
    """(the global options when ``argv`` names no command and asks for no help, else None; the
    command ``argv`` names, or ""): the app opens, or ``--version`` answers, without building any
    command's parser, and a command builds only its own."""
    early = OneLineArgumentParser(add_help=False)
    _global_options(early)
    early.add_argument("--version", action="store_true")
    early.add_argument("rest", nargs=argparse.REMAINDER)
    try:
        known, unknown = early.parse_known_args(list(argv))
    except UsageError:
        return None, ""
    command = known.rest[0] if known.rest else ""
    if known.rest or unknown:
        return None, command
    known.command = None
    return known, command


def main(argv: Sequence[str]) -> int:
    argparse_i18n.install()
    try:
        _choose_language(argv)
        args, command = _early_parse(argv)
        if args is not None and args.version:
            print(f"peer-support {__version__}")
            return 0
        if args is None:
            # Only the named command's module is imported; each imports its services inside its
            # handlers, so building the parser (and --help) loads no data layer.
            args = build_parser(command).parse_args(list(argv))
        if args.lang is not None and i18n.normalise_language(args.lang) is None:
            raise UsageError(_("Unknown language '%(code)s'. Choose one of: %(choices)s.")
                             % {"code": args.lang, "choices": ", ".join(i18n.SUPPORTED_LANGUAGES)})
        if args.command is None:
            from peer_support.ui import launch

            return launch.run(args)
        return _run_command(args)
    except PeerSupportError as exc:
        print(_("peer-support: %(message)s") % {"message": exc.message}, file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


def _run_command(args: argparse.Namespace) -> int:
    from peer_support.cli.output import open_context_asking

    context = None
    try:
        if getattr(args, "no_context", False):
            return args.handler(None, args)
        context = open_context_asking(args.data_dir)  # asks for a passphrase at a terminal
        sign_in_from_args(context, args)
        return args.handler(context, args)
    except (PeerSupportError, BrokenPipeError):
        raise
    except Exception as exc:  # a bug (or no memory left): log it in full, tell the user one line
        log_path = _log_unexpected(context.data_dir if context is not None else _folder_for_log(args.data_dir))
        reason = _("there was not enough memory") if isinstance(exc, MemoryError) else (
            str(exc).splitlines()[0] if str(exc).strip() else type(exc).__name__)
        print(_("peer-support: unexpected error: %(error)s. Details are in %(log)s.")
              % {"error": reason, "log": log_path}, file=sys.stderr)
        return 1
    finally:
        if context is not None:
            context.close()


def _folder_for_log(data_dir):
    from pathlib import Path

    from peer_support.paths import resolve_data_dir

    try:
        folder = resolve_data_dir(data_dir)
        return folder if folder.is_dir() else Path.cwd()
    except Exception:  # noqa: BLE001 - the log must not fail the error report
        return Path.cwd()


def sign_in_from_args(context, args: argparse.Namespace) -> None:
    """Act as ``--user`` (or this laptop's user), after their PIN when they have one."""
    from peer_support.cli.output import read_secret
    from peer_support.services.access import needs_pin, sign_in

    name = getattr(args, "user", None) or context.local.user
    if not name:
        return  # nobody chosen: services refuse what needs a person, once the users list has anyone
    pin = None
    if needs_pin(context, name):
        pin = os.environ.get("PEER_SUPPORT_PIN") or read_secret(_("PIN for %(name)s: ") % {"name": name})
    sign_in(context, name, pin)


def _log_unexpected(data_dir) -> str:
    from peer_support.logs import log_exception

    return str(log_exception(data_dir))
