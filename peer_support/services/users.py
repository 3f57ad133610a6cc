"""Who uses the app: a simple user list, the person at this laptop, and the audit log.

No passwords: the app asks who is using it at start, and every change is
logged under that name (change_log.actor). Encryption, when on, is the lock.
"""

from __future__ import annotations

from sqlalchemy import literal_column
from sqlmodel import func, select

from peer_support.context import AppContext
from peer_support.domain.trust import AuditEntry, UserRecord
from peer_support.errors import ConflictError, NotFoundError, ValidationError
from peer_support.i18n import _
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
    return UserRecord(id=user.id, name=user.name, active=user.active)


def list_users(context: AppContext, include_inactive: bool = False) -> list[UserRecord]:
    """The people who use the app, by name."""
    with context.db.read() as session:
        query = select(AppUser).where(AppUser.deleted == False)  # noqa: E712
        if not include_inactive:
            query = query.where(AppUser.active == True)  # noqa: E712
        return [_record(user) for user in session.exec(query.order_by(func.lower(AppUser.name)))]


def _find(session, name: str) -> AppUser | None:
    return session.exec(select(AppUser).where(func.lower(AppUser.name) == name.lower(),
                                              AppUser.deleted == False)).first()  # noqa: E712


def add_user(context: AppContext, name: str) -> UserRecord:
    """Add a person to the list (or bring back a removed one). Raises ValidationError,
    ConflictError for a name already on the list; commits."""
    cleaned = _clean(name)
    with context.db.transaction(_("Add user %(name)s") % {"name": cleaned}) as uow:
        existing = _find(uow.session, cleaned)
        if existing is not None and existing.active:
            raise ConflictError(_("%(name)s is already on the list.") % {"name": cleaned})
        if existing is not None:
            existing.active = True
            uow.session.add(existing)
            return _record(existing)
        user = AppUser(name=cleaned)
        uow.session.add(user)
        uow.session.flush()
        return _record(user)


def remove_user(context: AppContext, name: str) -> UserRecord:
    """Take a person off the list (their past changes keep their name). Commits."""
    with context.db.transaction(_("Remove user %(name)s") % {"name": name}) as uow:
        user = _find(uow.session, name)
        if user is None or not user.active:
            raise NotFoundError(_("%(name)s is not on the list.") % {"name": name})
        user.active = False
        uow.session.add(user)
        return _record(user)


def current_user(context: AppContext) -> str:
    return context.local.user


def choose_user(context: AppContext, name: str) -> str:
    """Who is using the app on this laptop from now on; adds them to the list when new.

    Saved in the laptop's local settings; commits when a user is added.
    """
    cleaned = _clean(name)
    with context.db.read() as session:
        known = _find(session, cleaned)
    if known is None or not known.active:
        cleaned = add_user(context, cleaned).name
    else:
        cleaned = known.name
    context.local.user = cleaned
    context.local.save(context.data_dir)
    return cleaned


def audit_log(context: AppContext, limit: int = 200, actor: str | None = None) -> list[AuditEntry]:
    """Recent actions, newest first: what was done, by whom, when, and how many records it changed."""
    with context.db.read() as session:
        counts = (select(ChangeLog.action_id, func.count().label("n"))
                  .group_by(ChangeLog.action_id).subquery())
        query = (select(Action, counts.c.n).join(counts, counts.c.action_id == Action.id, isouter=True)
                 .order_by(Action.at.desc(), literal_column("action.rowid").desc()).limit(limit))
        if actor:
            query = query.where(Action.actor == actor)
        return [AuditEntry(action_id=action.id, description=action.description, actor=action.actor,
                           at=action.at, changes=count or 0) for action, count in session.exec(query)]
