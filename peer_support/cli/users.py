"""``users list | add | role | pin | remove`` and ``encryption on | off | change``."""

from __future__ import annotations

import sys

from peer_support.cli.output import print_table, read_secret, with_examples
from peer_support.i18n import _, ngettext


def register(subparsers) -> None:
    users = subparsers.add_parser("users",
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
    add.add_argument("--role", default="", metavar=_("ROLES"),
                     help=_("lead, volunteer or organiser, several with commas (default: volunteer; "
                            "the first person is a lead)"))
    add.add_argument("--pin", action="store_true", help=_("ask for a PIN for this person"))
    add.set_defaults(handler=run_add_user)
    with_examples(add, "users add \"Sam Green\"", "users add \"Ana Lead\" --role lead --pin")
    role = commands.add_parser("role", help=_("give a person other roles (a lead's job)"))
    role.add_argument("name", metavar=_("NAME"))
    role.add_argument("roles", metavar=_("ROLES"), help=_("lead, volunteer or organiser, several with commas"))
    role.set_defaults(handler=run_set_roles)
    with_examples(role, "users role \"Sam Green\" volunteer,organiser")
    pin = commands.add_parser("pin", help=_("set or clear a person's PIN"))
    pin.add_argument("name", metavar=_("NAME"))
    pin.add_argument("--clear", action="store_true", help=_("remove the PIN"))
    pin.set_defaults(handler=run_set_pin)
    with_examples(pin, "users pin \"Sam Green\"", "printf '4821\\n' | peer-support --user \"Ana Lead\" users pin \"Sam Green\"")
    remove = commands.add_parser("remove", help=_("take a person off the list on every laptop (a lead's job)"))
    remove.add_argument("name", metavar=_("NAME"))
    remove.set_defaults(handler=run_remove_user)
    with_examples(remove, "users remove \"Sam Green\"")

    encryption = subparsers.add_parser(
        "encryption",
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
    rows = [(user.name, _roles(user), _("yes") if user.has_pin else "", _("yes") if user.active else _("no"),
             "*" if user.name == me else "") for user in list_users(context, include_inactive=args.all)]
    print_table([_("Name"), _("Roles"), _("PIN"), _("Active"), _("This laptop")], rows)
    return 0


def run_add_user(context, args) -> int:
    from peer_support.services.users import add_user

    pin = read_secret(_("PIN for %(name)s: ") % {"name": args.name}) if args.pin else None
    user = add_user(context, args.name, args.role or None, pin).record
    print(_("Added user %(name)s (%(roles)s).") % {"name": user.name, "roles": _roles(user)})
    return 0


def _roles(user) -> str:
    from peer_support.domain.roles import roles_text

    return roles_text(user.roles)


def run_set_roles(context, args) -> int:
    from peer_support.services.users import set_roles

    user = set_roles(context, args.name, args.roles).record
    print(_("%(name)s is now: %(roles)s.") % {"name": user.name, "roles": _roles(user)})
    return 0


def run_set_pin(context, args) -> int:
    from peer_support.services.users import set_pin

    pin = None if args.clear else read_secret(_("New PIN for %(name)s: ") % {"name": args.name})
    user = set_pin(context, args.name, pin).record
    print(_("The PIN of %(name)s is set.") % {"name": user.name} if user.has_pin
          else _("%(name)s has no PIN now.") % {"name": user.name})
    return 0


def run_remove_user(context, args) -> int:
    from peer_support.services.users import remove_user

    user = remove_user(context, args.name).record
    print(_("%(name)s is off the list on every laptop after the next sync.") % {"name": user.name})
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
    from peer_support.cli import sign_in_from_args
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
            sign_in_from_args(context, args)
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
        sign_in_from_args(context, args)
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
