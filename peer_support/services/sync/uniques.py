"""Human codes used twice: two laptops both created F0531 for different families.

Of two records holding the same unique value, the one whose value has the
later stamp gives it up. The laptop that wrote that value renumbers its
record (the next free code, as a logged change that syncs, with a notice for
leads); any other laptop meanwhile shows a provisional ``F0531~ab12`` until
that renumbering arrives, so all laptops end with the same codes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from sqlalchemy import UniqueConstraint
from sqlmodel import select

from peer_support.services.sync import conflicts as conflict_log
from peer_support.storage.hlc import format_stamp
from peer_support.services.sync.rows import Row
from peer_support.storage.tables.base import Entity
from peer_support.storage.tables.core import DeviceState
from peer_support.storage.types import to_json_value

if TYPE_CHECKING:
    from peer_support.services.sync.merge import Merger

_CODE = re.compile(r"^([A-Za-z]*)(\d+)$")
# Lists picked by name (areas, schools): the same name added on two laptops is one item, not
# a renumbering. Every laptop merges the same way (the later one goes), unlogged.
MERGE_BY = {"area": "name", "school": "name"}


def unique_columns(model: type[Entity]) -> list[str]:
    names = {c.name for c in model.__table__.columns if c.unique and not c.primary_key}
    for constraint in model.__table__.constraints:
        if isinstance(constraint, UniqueConstraint) and len(constraint.columns) == 1:
            names.update(c.name for c in constraint.columns if not c.primary_key)
    return sorted(names)


def provisional(value: str, entity_id: str) -> str:
    """``value`` with the random end of the record's id (the start of a new id tells the time it was
    made: two records made the same day share it, storage/ids.py)."""
    return f"{value}~{entity_id[-4:]}"


class UniqueGuard:
    def __init__(self, merger: "Merger") -> None:
        self.merger = merger
        self._holders: dict[tuple[str, str], dict[Any, str]] = {}

    def columns(self, model: type[Entity]) -> list[str]:
        return self.merger.facts(model).unique

    def before_insert(self, model: type[Entity], row: Row, stamp: tuple) -> None:
        for field in self.columns(model):
            setattr(row, field, self.settle(model, row, field, getattr(row, field), stamp))

    def before_update(self, model: type[Entity], row: Row, field: str, value: Any, stamp: tuple) -> Any:
        if field in self.columns(model):
            return self.settle(model, row, field, value, stamp)
        return value

    def settle(self, model: type[Entity], row: Row, field: str, value: Any, stamp: tuple) -> Any:
        """The value ``row`` may hold: ``value``, or a provisional one when it loses the code."""
        if value is None:
            return value
        holders = self.holders(model, field)
        other_id = holders.get(value)
        other = self.merger.row(model, other_id) if other_id and other_id != row.id else None
        if other is None or getattr(other, field) != value:
            holders[value] = row.id
            return value
        other_clock = self.merger.clock(self.merger.name_of(model), other.id, field) or ("", "", 0)
        if MERGE_BY.get(self.merger.name_of(model)) == field:
            incoming_loses = stamp[0] > other_clock[0]
            loser, winner = (row, other) if incoming_loses else (other, row)
            self._merge(model, loser, winner, field, value)
            holders[value] = winner.id
            return provisional(str(value), row.id) if incoming_loses else value
        if stamp[0] > other_clock[0]:
            holders[provisional(str(value), row.id)] = row.id
            return provisional(str(value), row.id)
        self._give_up(model, other, field, value, other_clock)
        holders[value] = row.id
        return value

    def holders(self, model: type[Entity], field: str) -> dict[Any, str]:
        """Which record holds each value of a unique column (loaded once per file)."""
        key = (self.merger.name_of(model), field)
        if key not in self._holders:
            self.merger.flush_rows()
            column = getattr(model, field)
            self._holders[key] = {value: entity_id for entity_id, value in
                                  self.merger.session.exec(select(model.id, column))}
        return self._holders[key]

    def _merge(self, model: type[Entity], loser: Row, winner: Row, field: str, value: Any) -> None:
        """``loser`` becomes ``winner``: references move over, the loser is tombstoned."""
        merger, table = self.merger, self.merger.name_of(model)
        loser.deleted = True
        self.holders(model, field)[provisional(str(value), loser.id)] = loser.id
        if merger.is_stored(loser):
            setattr(loser, field, provisional(str(value), loser.id))
            merger.stage(loser)
            merger.touched.setdefault(table, set()).add(loser.id)  # its derived data follows
        merger.flush_rows()
        merger.add_alias(table, loser.id, winner.id)
        merger.record(conflict_log.notice("merged", table, winner.id, f"merge/{loser.id}", value, value,
                                          loser.id, merger.now, field=field))

    def _give_up(self, model: type[Entity], other: Row, field: str, value: Any, clock: tuple) -> None:
        merger, session = self.merger, self.merger.session
        entity = self.merger.name_of(model)
        if clock[1] != merger.device_id:
            self.holders(model, field)[provisional(str(value), other.id)] = other.id
            setattr(other, field, provisional(str(value), other.id))
            merger.stage(other)
            merger.touched.setdefault(entity, set()).add(other.id)  # its derived data follows
            merger.flush_rows()
            return
        new_value = self.free_value(model, field, str(value))
        self.holders(model, field)[new_value] = other.id
        merger.flush_rows()  # the other laptop's changes go in unlogged before logging our own
        # Our own renumbering is a logged change, as the unit of work logs an edit.
        old_value = getattr(other, field)
        setattr(other, field, new_value)
        merger.stage(other)
        merger.touched.setdefault(entity, set()).add(other.id)
        merger.flush_rows()
        if to_json_value(old_value) != to_json_value(new_value):
            merger.uow.log(entity, other.id, "update", {field: [to_json_value(old_value), to_json_value(new_value)]})
        session.flush()
        state = session.get(DeviceState, merger.device_id)
        assert state is not None  # the log entry above made it
        stamp = format_stamp(state.hlc_millis, state.hlc_counter, merger.device_id)
        merger.set_clock(entity, other.id, field, (stamp, merger.device_id, state.last_seq))
        merger.record(conflict_log.notice("renumbered", entity, other.id, f"{field}/{value}", value,
                                          new_value, "", merger.now, field=field))

    def free_value(self, model: type[Entity], field: str, value: str) -> str:
        self.merger.flush_rows()
        taken = {str(v) for v in self.merger.session.exec(select(getattr(model, field))) if v is not None}
        match = _CODE.match(value)
        if match:
            prefix, digits = match.groups()
            numbers = [int(m[2]) for m in map(_CODE.match, taken) if m and m[1] == prefix]
            return f"{prefix}{max(numbers, default=0) + 1:0{len(digits)}d}"
        number = 2
        while f"{value} ({number})" in taken:
            number += 1
        return f"{value} ({number})"
