"""Who is using the app, and whether they may do a job (the rules are in domain/roles.py).

The acting person is this laptop's user (local.json), or the one named with the
command line's ``--user``. Until anybody is on the users list, everything is
allowed: the first person added is a lead and sets the rules from then on.
PINs are kept as scrypt hashes in the synced users list, so a PIN works on
every laptop of the group.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from peer_support.context import AppContext
from peer_support.domain.roles import (Permission, PermissionDenied, Role, denied_message, parse_roles,
                                       permissions_of)
from peer_support.errors import ValidationError
from peer_support.i18n import _

# scrypt cost: about 50 ms on an old laptop, so guessing PINs is slow while signing in is not.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 14, 8, 1
PIN_LENGTHS = (4, 12)


@dataclass(frozen=True)
class Session:
    name: str  # "" while nobody is on the users list
    roles: tuple[Role, ...]
    permissions: frozenset[Permission]


def hash_pin(pin: str) -> str:
    import hashlib  # here, not at the top: only a PIN needs them, and every command imports this module
    import secrets

    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def pin_matches(stored: str, pin: str) -> bool:
    import hashlib
    import hmac

    try:
        _kind, n, r, p, salt, digest = stored.split("$")
        found = hashlib.scrypt(pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                               dklen=len(bytes.fromhex(digest)))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(found.hex(), digest)


def check_pin_format(pin: str) -> str:
    pin = pin.strip()
    low, high = PIN_LENGTHS
    if not (pin.isdigit() and low <= len(pin) <= high):
        raise ValidationError(_("A PIN is %(low)d to %(high)d digits.") % {"low": low, "high": high}, field="pin")
    return pin


@dataclass(frozen=True)
class _User:
    name: str
    roles: str
    pin_hash: str


# Plain SQL: every command checks the person first, and read commands must not wait for the ORM.
def _active_users(context: AppContext) -> list[_User]:
    with context.db.plain() as connection:
        rows = connection.execute("SELECT name, roles, pin_hash FROM app_user WHERE deleted = 0 AND active = 1")
        return [_User(*row) for row in rows]


def _find_user(context: AppContext, name: str) -> _User | None:
    wanted = " ".join(name.split()).lower()
    return next((user for user in _active_users(context) if user.name.lower() == wanted), None)


def current_session(context: AppContext) -> Session:
    """The person acting now, with their roles. Raises PermissionDenied when the name is not on the list."""
    name = context.local.user.strip()
    cached = getattr(context, "_access_session", None)
    if cached is not None and cached.name == name:
        return cached
    everyone = _active_users(context)
    if not everyone:
        found = Session("", tuple(Role), permissions_of(tuple(Role)))
    else:
        user = _find_user(context, name) if name else None
        if user is None:
            raise PermissionDenied(_("Say who is using the app: %(name)s is not on the users list.")
                                   % {"name": name} if name else
                                   _("Say who is using the app (the command line's --user NAME)."))
        roles = parse_roles(user.roles or Role.LEAD.value)
        found = Session(user.name, roles, permissions_of(roles))
    context._access_session = found  # type: ignore[attr-defined]
    return found


def forget_session(context: AppContext) -> None:
    """Read roles afresh (after the users list changed)."""
    context._access_session = None  # type: ignore[attr-defined]


def allowed(context: AppContext, permission: Permission) -> bool:
    try:
        return permission in current_session(context).permissions
    except PermissionDenied:
        return False


@contextmanager
def internal_read(context: AppContext):
    """Let a service read another area's rows for a narrower answer than the rows themselves: totals
    (the newsletter's fund figures, the period report's fund section) or one family's name and
    reference (a lookup at the door). The person never sees the rows."""
    context._access_internal = getattr(context, "_access_internal", 0) + 1  # type: ignore[attr-defined]
    try:
        yield
    finally:
        context._access_internal -= 1  # type: ignore[attr-defined]


def require(context: AppContext, permission: Permission) -> None:
    """Raise PermissionDenied (exit code 5) unless the acting person may do this job."""
    if getattr(context, "_access_internal", 0):
        return
    session = current_session(context)
    if permission not in session.permissions:
        raise PermissionDenied(denied_message(permission, session.name))


def sign_in(context: AppContext, name: str, pin: str | None, remember: bool = False) -> Session:
    """Act as ``name`` from now on, after checking their PIN if they have one.

    ``remember``: also this laptop's user for the next start (the GUI's "who is using").
    Raises PermissionDenied for an unknown name or a wrong PIN.
    """
    if not _active_users(context):
        user = None
    else:
        user = _find_user(context, name)
        if user is None:
            raise PermissionDenied(_("%(name)s is not on the users list: ask a lead to add them.")
                                   % {"name": name.strip()})
        if user.pin_hash and not pin_matches(user.pin_hash, pin or ""):
            raise PermissionDenied(_("That PIN is not right for %(name)s.") % {"name": user.name})
    context.local.user = user.name if user is not None else " ".join(name.split())
    if remember:
        context.local.save(context.data_dir)
    forget_session(context)
    return current_session(context)


def needs_pin(context: AppContext, name: str) -> bool:
    user = _find_user(context, name)
    return bool(user and user.pin_hash)


def leads_without_pin(context: AppContext) -> list[str]:
    return sorted(user.name for user in _active_users(context)
                  if Role.LEAD in parse_roles(user.roles or Role.LEAD.value) and not user.pin_hash)


def own_runs_only(context: AppContext) -> str | None:
    """The acting volunteer's name when they may see only their own delivery runs (a person who
    cannot plan runs); None when every run may be seen."""
    if getattr(context, "_access_internal", 0) or allowed(context, Permission.PACKS):
        return None
    return current_session(context).name
