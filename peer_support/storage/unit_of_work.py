"""One user action = one transaction = one group of change-log rows.

``UnitOfWork`` wraps a SQLAlchemy session. A ``before_flush`` hook records
every insert, update and delete of an ``Entity`` row in ``change_log`` with
the device id, a per-device sequence number, a hybrid-logical-clock stamp, the
action id, the old and new value of each changed field, who, when and the
schema revision. Because the hook sits on the session, no service can write a
tracked row without it being logged.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import event, inspect
from sqlmodel import Session

from peer_support.storage.hlc import HybridClock, format_stamp
from peer_support.storage.tables.base import Entity
from peer_support.storage.tables.core import Action, ChangeLog, DeviceState
from peer_support.storage.types import new_id, to_json_value


@dataclass
class ChangeSummary:
    """What a committed action touched, for views to decide what to reload."""

    action_id: str
    entities: set[str] = field(default_factory=set)
    rows: int = 0


class UnitOfWork:
    def __init__(self, session: Session, *, description: str, actor: str, device_id: str,
                 now: datetime, schema_rev: str, action_id: str | None = None,
                 undoes: str | None = None) -> None:
        self.session = session
        self.now = now
        self.actor = actor
        self.device_id = device_id
        self.schema_rev = schema_rev
        self.summary = ChangeSummary(action_id or new_id())
        self._action = Action(id=self.summary.action_id, description=description, actor=actor,
                              device_id=device_id, at=now, undoes=undoes)
        self._state: DeviceState | None = None
        self._clock: HybridClock | None = None
        # Off while sync applies changes from other laptops: those are logged by sync itself.
        self.logging = True
        session.info["uow"] = self

    # -- change capture -------------------------------------------------------------
    def _device_state(self) -> DeviceState:
        if self._state is None:
            state = self.session.get(DeviceState, self.device_id)
            if state is None:
                state = DeviceState(device_id=self.device_id)
                self.session.add(state)
            self._state = state
            self._clock = HybridClock(state.hlc_millis, state.hlc_counter)
            self.session.add(self._action)
        return self._state

    def next_stamp(self) -> tuple[int, str]:
        """The next (sequence number, HLC stamp) of this device."""
        state = self._device_state()
        assert self._clock is not None
        millis, counter = self._clock.tick(int(self.now.timestamp() * 1000))
        state.last_seq += 1
        state.hlc_millis, state.hlc_counter = millis, counter
        return state.last_seq, format_stamp(millis, counter, self.device_id)

    def log(self, entity: str, entity_id: str, op: str, changes: dict[str, list[Any]]) -> None:
        seq, stamp = self.next_stamp()
        self.session.add(ChangeLog(
            change_id=new_id(), device_id=self.device_id, seq=seq, hlc=stamp,
            action_id=self.summary.action_id, entity=entity, entity_id=entity_id, op=op,
            changes=json.dumps(changes, ensure_ascii=False, sort_keys=True),
            actor=self.actor, at=self.now, schema_rev=self.schema_rev))
        self.summary.entities.add(entity)
        self.summary.rows += 1


def _column_changes(obj: Entity, include_unchanged: bool) -> dict[str, list[Any]]:
    state = inspect(obj)
    changes: dict[str, list[Any]] = {}
    for column_attr in state.mapper.column_attrs:
        key = column_attr.key
        history = state.attrs[key].history
        if include_unchanged:
            changes[key] = [None, to_json_value(getattr(obj, key))]
        elif history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            if to_json_value(old) != to_json_value(new):
                changes[key] = [to_json_value(old), to_json_value(new)]
    return changes


@event.listens_for(Session, "before_flush")
def _record_changes(session: Session, flush_context, instances) -> None:
    uow: UnitOfWork | None = session.info.get("uow")
    if uow is None:
        if any(isinstance(o, Entity) for o in (*session.new, *session.dirty, *session.deleted)):
            raise RuntimeError("tracked rows may only be written inside Database.transaction()")
        return
    for obj in list(session.new):
        if isinstance(obj, Entity):
            if obj.created_at is None:
                obj.created_at = uow.now
            if uow.logging:
                uow.log(obj.__tablename__, obj.id, "insert", _column_changes(obj, True))
    for obj in list(session.dirty):
        if isinstance(obj, Entity) and session.is_modified(obj) and uow.logging:
            changes = _column_changes(obj, False)
            if changes:
                uow.log(obj.__tablename__, obj.id, "update", changes)
    for obj in list(session.deleted):
        if isinstance(obj, Entity) and uow.logging:
            uow.log(obj.__tablename__, obj.id, "delete", {})
