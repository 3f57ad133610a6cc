"""Who uses the app: the users list with roles and PINs, the person at this laptop, the audit log.

The app asks who is using it at start; every change is logged under that name
(change_log.actor). Roles decide what each person may see and do
(domain/roles.py, services/access.py). The first person on the list is a lead.
"""

from __future__ import annotations

from sqlalchemy import literal_column
from sqlmodel import col, func, select

from peer_support.context import AppContext
from peer_support.domain.changes import Saved
from peer_support.domain.roles import Permission, Role, parse_roles, roles_text
from peer_support.domain.trust import AuditEntry, UserRecord
from peer_support.errors import ConflictError, NotFoundError, ValidationError
from peer_support.i18n import _
from peer_support.services.access import check_pin_format, forget_session, hash_pin, require
from peer_support.storage.conditions import is_true, live
from peer_support.storage.tables.core import Action, AppUser, ChangeLog

MAX_NAME = 60


def _clean(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationError(_("Enter the person's name."), field="name")
    if len(cleaned) > MAX_NAME:
        raise ValidationError(_("A name can be at most %(count)d characters.") % {"count": MAX_NAME},
                              field="name")
    return cleaned


def _record(user: AppUser) -> UserRecord:
    return UserRecord(id=user.id, name=user.name, active=user.active, roles=parse_roles(user.roles or "lead"),
                      has_pin=bool(user.pin_hash))


def _nobody_yet(session) -> bool:
    return not session.exec(select(AppUser.id).where(live(AppUser),
                                                     is_true(AppUser.active))).first()


def _check_lead_pin(context: AppContext, roles: tuple[Role, ...], has_pin: bool) -> None:
    """With the data encrypted, a lead (who can see and export everything) must have a PIN."""
    if context.db.key and Role.LEAD in roles and not has_pin:
        raise ValidationError(_("The data is encrypted, so a lead needs a PIN."), field="pin")


def list_users(context: AppContext, include_inactive: bool = False) -> list[UserRecord]:
    """The people who use the app, by name."""
    with context.db.read() as session:
        query = select(AppUser).where(live(AppUser))
        if not include_inactive:
            query = query.where(is_true(AppUser.active))
        return [_record(user) for user in session.exec(query.order_by(func.lower(AppUser.name)))]


def _find(session, name: str) -> AppUser | None:
    return session.exec(select(AppUser).where(func.lower(AppUser.name) == name.lower(),
                                              live(AppUser))).first()


def add_user(context: AppContext, name: str, roles: tuple[Role, ...] | str | None = None,
             pin: str | None = None) -> Saved[UserRecord]:
    """Add a person to the list (or bring back a removed one), with their roles (default volunteer;
    the very first person is a lead) and an optional PIN. Only a lead may add people once the list has
    anyone on it. Raises ValidationError, ConflictError for a name already on the list,
    PermissionDenied; commits."""
    cleaned = _clean(name)
    wanted = parse_roles(roles) if isinstance(roles, str) else roles
    pin_hash = hash_pin(check_pin_format(pin)) if pin else ""
    with context.db.transaction(_("Add user %(name)s") % {"name": cleaned}) as uow:
        first = _nobody_yet(uow.session)
        if first:
            wanted = tuple(dict.fromkeys((Role.LEAD, *(wanted or ()))))  # the first person leads
        else:
            require(context, Permission.USERS)
            wanted = wanted or (Role.VOLUNTEER,)
        _check_lead_pin(context, wanted, bool(pin_hash))
        existing = _find(uow.session, cleaned)
        if existing is not None and existing.active:
            raise ConflictError(_("%(name)s is already on the list.") % {"name": cleaned})
        user = existing if existing is not None else AppUser(name=cleaned)
        user.active = True
        user.roles = ",".join(role.value for role in wanted)
        user.pin_hash = pin_hash or user.pin_hash
        uow.session.add(user)
        uow.session.flush()
    if first and not context.local.user:
        context.local.user = user.name  # whoever set things up so far acts as that first lead
    forget_session(context)
    return Saved(_record(user), uow.changes)


def set_roles(context: AppContext, name: str, roles: tuple[Role, ...] | str) -> Saved[UserRecord]:
    """Give a person other roles. A lead's job; the last lead cannot stop being one. Commits."""
    wanted = parse_roles(roles) if isinstance(roles, str) else tuple(roles)
    require(context, Permission.USERS)
    with context.db.transaction(_("Change the roles of %(name)s") % {"name": name}) as uow:
        user = _find(uow.session, name)
        if user is None or not user.active:
            raise NotFoundError(_("%(name)s is not on the list.") % {"name": name})
        if Role.LEAD not in wanted and _is_last_lead(uow.session, user):
            raise ConflictError(_("%(name)s is the only lead: make someone else a lead first.") % {"name": user.name})
        _check_lead_pin(context, wanted, bool(user.pin_hash))
        user.roles = ",".join(role.value for role in wanted)
        uow.session.add(user)
        uow.session.flush()
        forget_session(context)
        record = _record(user)
    return Saved(record, uow.changes)


def set_pin(context: AppContext, name: str, pin: str | None) -> Saved[UserRecord]:
    """Set or clear a person's PIN: a lead for anyone, anyone for themselves. Commits."""
    if " ".join(name.split()).lower() != context.local.user.strip().lower():
        require(context, Permission.USERS)
    pin_hash = hash_pin(check_pin_format(pin)) if pin else ""
    with context.db.transaction(_("Change the PIN of %(name)s") % {"name": name}) as uow:
        user = _find(uow.session, name)
        if user is None or not user.active:
            raise NotFoundError(_("%(name)s is not on the list.") % {"name": name})
        _check_lead_pin(context, parse_roles(user.roles or "lead"), bool(pin_hash))
        user.pin_hash = pin_hash
        uow.session.add(user)
        uow.session.flush()
        record = _record(user)
    return Saved(record, uow.changes)


def _is_last_lead(session, user: AppUser) -> bool:
    leads = [u for u in session.exec(select(AppUser).where(live(AppUser), is_true(AppUser.active)))
             if Role.LEAD in parse_roles(u.roles or "lead")]
    return [u.id for u in leads] == [user.id]


def remove_user(context: AppContext, name: str) -> Saved[UserRecord]:
    """Take a person off the list on every laptop (their past changes keep their name). A lead's job;
    the last lead stays. Commits."""
    require(context, Permission.USERS)
    with context.db.transaction(_("Remove user %(name)s") % {"name": name}) as uow:
        user = _find(uow.session, name)
        if user is None or not user.active:
            raise NotFoundError(_("%(name)s is not on the list.") % {"name": name})
        if _is_last_lead(uow.session, user):
            raise ConflictError(_("%(name)s is the only lead: make someone else a lead first.") % {"name": user.name})
        forget_session(context)
        user.active = False
        uow.session.add(user)
        record = _record(user)
    return Saved(record, uow.changes)


def current_user(context: AppContext) -> str:
    return context.local.user


def choose_user(context: AppContext, name: str) -> str:
    """Who is using the app on this laptop from now on; adds them to the list when new.

    Saved in the laptop's local settings; commits when a user is added.
    A new name joins as a volunteer (the first person ever as a lead): anyone may start a
    volunteer's session without a lead. PINs are checked by ``access.sign_in``.
    """
    cleaned = _clean(name)
    with context.db.read() as session:
        known = _find(session, cleaned)
        nobody = _nobody_yet(session)
    if known is None or not known.active:
        with context.db.transaction(_("Add user %(name)s") % {"name": cleaned}) as uow:
            user = known if known is not None else AppUser(name=cleaned)
            user.active = True
            user.roles = Role.LEAD.value if nobody else Role.VOLUNTEER.value
            uow.session.add(user)
        forget_session(context)
    else:
        cleaned = known.name
    context.local.user = cleaned
    context.local.save(context.data_dir)
    forget_session(context)
    return cleaned


def audit_log(context: AppContext, limit: int = 200, actor: str | None = None) -> list[AuditEntry]:
    """Recent actions, newest first: what was done, by whom (with their roles), when, and how many
    records it changed. A lead's view."""
    require(context, Permission.HISTORY)
    with context.db.read() as session:
        counts = (select(ChangeLog.action_id, func.count().label("n"))
                  .group_by(ChangeLog.action_id).subquery())
        query = (select(Action, counts.c.n).join(counts, counts.c.action_id == Action.id, isouter=True)
                 .order_by(col(Action.at).desc(), literal_column("action.rowid").desc()).limit(limit))
        if actor:
            query = query.where(Action.actor == actor)
        roles = {user.name.lower(): roles_text(parse_roles(user.roles or "lead"))
                 for user in session.exec(select(AppUser).where(live(AppUser)))}
        return [AuditEntry(action_id=action.id, description=action.description, actor=action.actor,
                           at=action.at, changes=count or 0, actor_roles=roles.get(action.actor.lower(), ""))
                for action, count in session.exec(query)]
