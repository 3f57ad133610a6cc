"""``users list | add`` and ``encryption on | off | change``."""

from __future__ import annotations

import sys

from peer_support.cli.output import print_table, read_secret, with_examples
from peer_support.i18n import _, ngettext


def register(subparsers) -> None:
    users = subparsers.add_parser("users", help=_("the people who use the app"),
                                  description=_("The people who use the app. Every change is logged under "
                                                "the name of this laptop's user."))
    with_examples(users, "users list", "users add \"Sam Green\"")
    commands = users.add_subparsers(dest="users_command", metavar=_("COMMAND"), required=True)
    listing = commands.add_parser("list", help=_("list the users"))
    listing.add_argument("--all", action="store_true", help=_("include people taken off the list"))
    listing.set_defaults(handler=run_users)
    with_examples(listing, "users list --all")
    add = commands.add_parser("add", help=_("add a person to the list"))
    add.add_argument("name", metavar=_("NAME"))
    add.set_defaults(handler=run_add_user)
    with_examples(add, "users add \"Sam Green\"")

    encryption = subparsers.add_parser(
        "encryption", help=_("encrypt the data with a passphrase, or stop"),
        description=_("Encrypt the database and its backups with a passphrase, change it, or store the "
                      "data unencrypted again. The passphrase is asked for without showing it; when "
                      "standard input is not a terminal, one line is read for each question. The current "
                      "passphrase may also come from $PEER_SUPPORT_PASSPHRASE."))
    with_examples(encryption, "encryption on", "printf 'old secret\\n' | peer-support encryption off")
    modes = encryption.add_subparsers(dest="encryption_command", metavar=_("COMMAND"), required=True)
    for name, text, examples in (
            ("on", _("encrypt the data (asks for a new passphrase twice)"),
             ("encryption on", "printf 'a long secret\\na long secret\\n' | peer-support encryption on")),
            ("off", _("store the data unencrypted again (asks for the passphrase)"), ("encryption off",)),
            ("change", _("choose a new passphrase (asks for the current one, then the new one twice)"),
             ("encryption change",))):
        mode = modes.add_parser(name, help=text)
        mode.set_defaults(handler=run_encryption, no_context=True, mode=name)
        with_examples(mode, *examples)


def run_users(context, args) -> int:
    from peer_support.services.users import current_user, list_users

    me = current_user(context)
    rows = [(user.name, _("yes") if user.active else _("no"), "*" if user.name == me else "")
            for user in list_users(context, include_inactive=args.all)]
    print_table([_("Name"), _("Active"), _("This laptop")], rows)
    return 0


def run_add_user(context, args) -> int:
    from peer_support.services.users import add_user

    user = add_user(context, args.name)
    print(_("Added user %(name)s.") % {"name": user.name})
    return 0


def _new_passphrase(from_environment: bool = False) -> tuple[str, str]:
    """The new passphrase twice: asked at the terminal, else read from standard input
    (a script may give it once), else (switching on) from $PEER_SUPPORT_PASSPHRASE."""
    from peer_support.storage.encryption import passphrase_from_environment

    passphrase = read_secret(_("New passphrase: "))
    if sys.stdin is not None and sys.stdin.isatty():
        return passphrase, read_secret(_("Repeat the new passphrase: "))
    if not passphrase and from_environment and passphrase_from_environment():
        passphrase = passphrase_from_environment() or ""
        return passphrase, passphrase
    repeated = sys.stdin.readline().rstrip("\r\n") if sys.stdin is not None else ""
    return passphrase, repeated or passphrase


def _current_passphrase() -> str:
    from peer_support.storage.encryption import passphrase_from_environment

    return passphrase_from_environment() or read_secret(_("Passphrase: "))


def run_encryption(_context, args) -> int:
    from peer_support.context import open_context
    from peer_support.errors import ConflictError
    from peer_support.services import encryption as service
    from peer_support.storage import encryption as storage

    if args.mode == "on":
        from peer_support.paths import resolve_data_dir

        if storage.is_encrypted(resolve_data_dir(args.data_dir)):
            raise ConflictError(_("The data is already encrypted."))
        passphrase, repeated = _new_passphrase(from_environment=True)
        storage.validate_new_passphrase(passphrase, repeated)  # before taking the folder
        context = open_context(args.data_dir)
        try:
            rewritten = service.enable_encryption(context, passphrase, repeated)
        finally:
            context.close()
        print(ngettext("The data is now encrypted; %(count)d backup was rewritten too. Keep the "
                       "passphrase safe: without it the data cannot be read.",
                       "The data is now encrypted; %(count)d backups were rewritten too. Keep the "
                       "passphrase safe: without it the data cannot be read.", rewritten) % {"count": rewritten})
        return 0
    current = _current_passphrase()
    context = open_context(args.data_dir, passphrase=current or None)
    try:
        if args.mode == "off":
            rewritten = service.disable_encryption(context, current)
            message = ngettext("The data is no longer encrypted; %(count)d backup was rewritten too.",
                               "The data is no longer encrypted; %(count)d backups were rewritten too.",
                               rewritten)
        else:
            passphrase, repeated = _new_passphrase()
            rewritten = service.change_passphrase(context, current, passphrase, repeated)
            message = ngettext("The passphrase was changed; %(count)d backup was rewritten too.",
                               "The passphrase was changed; %(count)d backups were rewritten too.", rewritten)
    finally:
        context.close()
    print(message % {"count": rewritten})
    return 0
