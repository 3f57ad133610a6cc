"""Undo and redo of whole user actions, and the audit trail, from the change log.

Undoing an action is itself a new action (so it is audited and syncs to other
laptops): inserted rows are tombstoned, changed fields get their old values
back, and derived columns (a pack's status) are computed again from what is left.
Redo is the undo of an undo.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select

from peer_support.context import AppContext
from peer_support.errors import ConflictError, NotFoundError
from peer_support.i18n import _
from peer_support.storage.change_json import read_json
from peer_support.storage.tables import column_type, entity_classes
from peer_support.storage.tables.core import Action, ChangeLog
from peer_support.storage.types import from_json_value, to_json_value
from peer_support.domain.changes import Kind, Saved
from peer_support.domain.roles import Permission
from peer_support.services.access import forget_session, require
from peer_support.services.pack_derived import recompute_pack_status


@dataclass(frozen=True)
class HistoryEntry:
    action_id: str
    description: str
    actor: str
    at: datetime
    entity: str
    entity_id: str
    op: str
    changes: dict


def undo_action(context: AppContext, action_id: str) -> Saved[str]:
    """Reverse every change of ``action_id`` in one new action; the record is the
    description of the action undone (``undo_action`` of an undo is a redo).

    Raises NotFoundError for an unknown action and ConflictError when a row
    has been changed again since (undoing would silently lose that edit).
    """
    models = entity_classes()
    with context.db.read() as session:
        action = session.get(Action, action_id)
        if action is None:
            raise NotFoundError(_("There is nothing to undo."))
        description = action.description
    with context.db.transaction(_("Undo: %(action)s") % {"action": description}, undoes=action_id) as uow:
        changes = uow.session.exec(select(ChangeLog).where(ChangeLog.action_id == action_id)
                                   .order_by(col(ChangeLog.seq).desc())).all()
        if any(change.entity == "erasure" for change in changes):
            raise ConflictError(_("An erasure cannot be undone."))
        for change in changes:
            model = models[change.entity]
            row = uow.session.get(model, change.entity_id)
            if row is None or change.op == "delete":
                raise ConflictError(_("This can no longer be undone: the record was erased."))
            if change.op == "insert":
                if row.deleted:
                    raise ConflictError(_("This has already been undone."))
                row.deleted = True
                uow.session.add(row)
                continue
            for field, (old, new) in read_json(change.changes).items():
                if to_json_value(getattr(row, field)) != new:
                    raise ConflictError(_("This can no longer be undone: it was changed again since."))
                setattr(row, field, from_json_value(column_type(model, field), old))
            uow.session.add(row)
        # Derived columns follow what is left: a pack's status from its live events (a scan logs
        # only its event, deliveries.record_scan), computed as every laptop's sync computes it.
        events = {change.entity_id for change in changes if change.entity == "pack_event"}
        if events:
            recompute_pack_status(uow.session, events)
    if Kind.USER in uow.changes.kinds:
        forget_session(context)  # someone's roles or PIN came back: read them afresh
    return Saved(description, uow.changes)


def history_of(context: AppContext, entity: str, entity_id: str) -> list[HistoryEntry]:
    """Who changed what and when for one record, oldest first."""
    require(context, Permission.HISTORY)
    with context.db.read() as session:
        rows = session.exec(
            select(ChangeLog, Action).join(Action, col(Action.id) == ChangeLog.action_id)
            .where(ChangeLog.entity == entity, ChangeLog.entity_id == entity_id)
            .order_by(ChangeLog.hlc)).all()
    return [HistoryEntry(action_id=action.id, description=action.description, actor=change.actor,
                         at=change.at, entity=change.entity, entity_id=change.entity_id,
                         op=change.op, changes=read_json(change.changes)) for change, action in rows]
