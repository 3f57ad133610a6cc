"""One user action = one transaction = one group of change-log rows.

``UnitOfWork`` wraps a SQLAlchemy session. A ``before_flush`` hook records
every insert, update and delete of an ``Entity`` row in ``change_log`` with
the device id, a per-device sequence number, a hybrid-logical-clock stamp, the
action id, the old and new value of each changed field, who, when and the
schema revision. Because the hook sits on the session, no service can write a
tracked row without it being logged.

This module is the only writer of the change log: rows added in bulk with
Core ``INSERT``s are logged with ``log_rows`` (families_bulk.py), the changes
received from another laptop with ``record_received`` (sync apply), and an
undo is a transaction opened with ``undoes=`` (history.py).

A change that overwrites a field whose current value came from a laptop with
a clock far ahead (its stamp is beyond what this laptop's clock adopts, see
hlc.py) gets a stamp just past that value's, so the later edit still wins
on every laptop without this laptop's clock jumping ahead.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col

from peer_support.domain.changes import Changes
from peer_support.storage.bulk import execute_rows, insert_sql, processors
from peer_support.storage.change_json import changes_text
from peer_support.storage.hlc import HybridClock, format_stamp, parse_stamp
from peer_support.storage.kinds import KIND_OF_TABLE
from peer_support.storage.tables.base import Entity, table_of
from peer_support.storage.tables.core import Action, ChangeLog, DeviceState
from peer_support.storage.tables.sync import ROW_CLOCK, SyncFieldClock, SyncState
from peer_support.storage.ids import new_id
from peer_support.storage.types import from_json_value, to_json_value

# The columns record_received writes, in the order it builds its rows (a change_log column missing
# here gets its default, or the insert fails: tests/unit/test_change_log_writers.py replays every row).
_RECEIVED_NAMES = ["change_id", "device_id", "seq", "hlc", "action_id", "entity", "entity_id", "op", "changes",
                   "actor", "at", "schema_rev"]
_INSERT_RECEIVED = insert_sql(table_of(ChangeLog), _RECEIVED_NAMES, "ON CONFLICT DO NOTHING")


CLOCKS_AHEAD_KEY = "clocks_ahead"  # sync_state: laptops whose stamps run far ahead (services/sync/state.py)


class UnitOfWork:
    def __init__(self, session: Session, *, description: str, actor: str, device_id: str,
                 now: datetime, schema_rev: str, action_id: str | None = None,
                 undoes: str | None = None) -> None:
        """``undoes``: the action this one takes back (undo), kept with the action."""
        self.session = session
        self.now = now
        self.actor = actor
        self.device_id = device_id
        self.schema_rev = schema_rev
        self.changes = Changes(action_id or new_id())
        self._action = Action(id=self.changes.action_id, description=description, actor=actor,
                              device_id=device_id, at=now, undoes=undoes)
        self._state: DeviceState | None = None
        self._clock: HybridClock | None = None
        self._clocks_ahead: bool | None = None
        # Off while sync applies changes from other laptops: those are logged by sync itself.
        self.logging = True
        # Families whose row or members this action touched: their search rows are
        # recomputed just before the commit (derived data, storage/family_search.py).
        self.search_stale: set[str] = set()
        session.info["uow"] = self

    def before_commit(self) -> None:
        """Bring derived data in step with what this action wrote (same transaction)."""
        self.session.flush()  # the before_flush hook marks the families this action touched
        while self.search_stale:
            stale, self.search_stale = self.search_stale, set()
            from peer_support.storage.family_search import driver_connection, refresh_family_search

            refresh_family_search(driver_connection(self.session), stale)
            self.session.flush()

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
        if op == "update" and self._any_clock_ahead():
            stamp = self._past_future_values(entity, entity_id, list(changes), seq, stamp)
        self.session.add(ChangeLog(
            change_id=new_id(), device_id=self.device_id, seq=seq, hlc=stamp,
            action_id=self.changes.action_id, entity=entity, entity_id=entity_id, op=op,
            changes=changes_text(changes),
            actor=self.actor, at=self.now, schema_rev=self.schema_rev))
        self.counted(entity, 1)

    def counted(self, entity: str, rows: int) -> None:
        """Note ``rows`` logged changes of table ``entity`` in this action's changes."""
        self.changes.kinds.add(KIND_OF_TABLE[entity])
        self.changes.rows += rows

    def log_rows(self, entity: str, rows: list[dict[str, Any]]) -> None:
        """Log rows this action inserted with a Core ``INSERT`` (all columns as [None, value])."""
        if not self.logging or not rows:
            return
        entries = []
        for row in rows:
            seq, stamp = self.next_stamp()
            changes = {key: [None, to_json_value(value)] for key, value in row.items()}
            entries.append({"change_id": new_id(), "device_id": self.device_id, "seq": seq, "hlc": stamp,
                            "action_id": self.changes.action_id, "entity": entity, "entity_id": row["id"],
                            "op": "insert", "changes": changes_text(changes),
                            "actor": self.actor, "at": self.now, "schema_rev": self.schema_rev})
        self.session.execute(insert(ChangeLog), entries)
        self.counted(entity, len(entries))

    def record_received(self, device_id: str, actions: dict[str, dict[str, Any]],
                        entries: list[dict[str, Any]]) -> None:
        """Another laptop's changes (already merged) into this laptop's change log and actions,
        under that laptop's device id and numbers: the audit trail and undo see them."""
        if not entries:
            return
        action_rows = [{"id": action_id, "description": a.get("description", ""), "actor": a.get("actor", ""),
                        "device_id": a.get("device_id", device_id),
                        "at": from_json_value(datetime, a.get("at")), "undoes": a.get("undoes")}
                       for action_id, a in actions.items()]
        if action_rows:
            self.session.execute(sqlite_insert(table_of(Action)).on_conflict_do_nothing(), action_rows)
        # Rows as the statement's tuples, each value through its column's bind processor, as
        # execute_many would, without a dict per row; the entries of one action share their
        # instant, converted once.
        convert = [processors(self.session, table_of(ChangeLog))[name] for name in _RECEIVED_NAMES]
        at = _RECEIVED_NAMES.index("at")
        process_at = convert[at]
        instants: dict[str, Any] = {}

        def instant(text: str) -> Any:
            if text not in instants:
                value = from_json_value(datetime, text)
                instants[text] = value if process_at is None else process_at(value)
            return instants[text]

        rows = [(c["change_id"], device_id, c["seq"], c["hlc"], c["action_id"], c["entity"], c["entity_id"], c["op"],
                 changes_text(c["changes"]), c.get("actor", ""), instant(c["at"]),
                 c.get("schema_rev", "")) for c in entries]
        for index, process in enumerate(convert):  # none but ``at`` today: the others are text and numbers
            if process is not None and index != at:
                rows = [(*row[:index], process(row[index]), *row[index + 1:]) for row in rows]
        self.session.flush()
        execute_rows(self.session, _INSERT_RECEIVED, rows)

    # -- clocks far ahead -------------------------------------------------------------
    def _any_clock_ahead(self) -> bool:
        if self._clocks_ahead is None:
            with self.session.no_autoflush:
                row = self.session.get(SyncState, CLOCKS_AHEAD_KEY)
            self._clocks_ahead = bool(row is not None and row.value)
        return self._clocks_ahead

    def _past_future_values(self, entity: str, entity_id: str, fields: list[str], seq: int, stamp: str) -> str:
        with self.session.no_autoflush:
            stamps = self.session.execute(select(col(SyncFieldClock.hlc)).where(
                col(SyncFieldClock.entity) == entity, col(SyncFieldClock.entity_id) == entity_id,
                col(SyncFieldClock.field).in_([*fields, ROW_CLOCK]))).scalars().all()
        top = max(stamps, default="")
        if top <= stamp:
            return stamp
        millis, counter, _device = parse_stamp(top)
        stamp = format_stamp(millis, counter + 1, self.device_id)
        statement = sqlite_insert(table_of(SyncFieldClock))
        self.session.execute(statement.on_conflict_do_update(
            index_elements=["entity", "entity_id", "field"],
            set_={"hlc": statement.excluded.hlc, "device_id": statement.excluded.device_id,
                  "seq": statement.excluded.seq}),
            [{"entity": entity, "entity_id": entity_id, "field": f, "hlc": stamp, "device_id": self.device_id,
              "seq": seq} for f in fields])
        return stamp


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
    _mark_search_stale(uow, session)
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


_SEARCHED = {"family": "id", "family_member": "family_id"}


def _mark_search_stale(uow: UnitOfWork, session: Session) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        attribute = _SEARCHED.get(getattr(obj, "__tablename__", ""))
        if attribute is not None:
            family_id = getattr(obj, attribute, None)
            if family_id:
                uow.search_stale.add(family_id)
