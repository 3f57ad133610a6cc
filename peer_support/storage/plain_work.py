"""One user action written in plain SQL, logged exactly as the unit of work logs it.

For the few writes a volunteer repeats hundreds of times in a row (a pack
scan, a tick at the door), building ORM objects and flushing them costs many
times the commit itself. ``plain_transaction`` gives the same guarantees as
``Database.transaction``: one ``BEGIN IMMEDIATE`` … ``COMMIT`` (rolled back on
any exception), an ``action`` row, and one ``change_log`` row per written row
with the same device sequence, hybrid-logical-clock stamp, JSON of old and new
values (``to_json_value``), actor and schema revision, so undo, the audit log
and sync cannot tell the difference (tests/unit/test_plain_work.py compares
the two). Rows of ``Entity`` tables only: ``id``, ``created_at`` and
``deleted`` are filled in as the ORM would.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timezone
from typing import Any

from peer_support.domain.changes import Changes
from peer_support.storage.hlc import HybridClock, format_stamp
from peer_support.storage.kinds import KIND_OF_TABLE

_DERIVED_FROM = {"family", "family_member"}  # their search rows are the unit of work's job
_COLUMNS: dict[tuple[int, str], tuple[str, ...]] = {}


def sql_value(value: Any) -> Any:
    """A Python value as the tables store it (instants as naive UTC text, booleans as 0/1)."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def json_value(value: Any) -> Any:
    """As storage.types.to_json_value (kept import-light: that module loads SQLAlchemy)."""
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def columns(connection, table: str) -> tuple[str, ...]:
    key = (id(connection), table)
    if key not in _COLUMNS:
        _COLUMNS[key] = tuple(row[1] for row in connection.execute(f'PRAGMA table_info("{table}")'))
    return _COLUMNS[key]


class PlainWork:
    def __init__(self, connection, *, description: str, actor: str, device_id: str, now: datetime,
                 schema_rev: str) -> None:
        self.connection = connection
        self.now = now
        self.actor = actor
        self.device_id = device_id
        self.schema_rev = schema_rev
        self.description = description
        self.changes = Changes(str(uuid.uuid4()))
        self._clock: HybridClock | None = None
        self._seq = 0

    def _next_stamp(self) -> tuple[int, str]:
        if self._clock is None:
            row = self.connection.execute("SELECT last_seq, hlc_millis, hlc_counter FROM device_state "
                                          "WHERE device_id = ?", (self.device_id,)).fetchone()
            if row is None:
                self.connection.execute("INSERT INTO device_state (device_id, last_seq, hlc_millis, hlc_counter) "
                                        "VALUES (?, 0, 0, 0)", (self.device_id,))
                row = (0, 0, 0)
            self._seq = row[0]
            self._clock = HybridClock(row[1], row[2])
            self.connection.execute("INSERT INTO action (id, description, actor, device_id, at, undoes) "
                                    "VALUES (?, ?, ?, ?, ?, NULL)",
                                    (self.changes.action_id, self.description, self.actor, self.device_id,
                                     sql_value(self.now)))
        millis, counter = self._clock.tick(int(self.now.timestamp() * 1000))
        self._seq += 1
        return self._seq, format_stamp(millis, counter, self.device_id)

    def _log(self, table: str, row_id: str, op: str, changes: dict[str, list[Any]]) -> None:
        seq, stamp = self._next_stamp()
        self.connection.execute(
            "INSERT INTO change_log (change_id, device_id, seq, hlc, action_id, entity, entity_id, op, changes, "
            "actor, at, schema_rev) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (str(uuid.uuid4()), self.device_id, seq, stamp, self.changes.action_id, table, row_id, op,
             json.dumps(changes, ensure_ascii=False, sort_keys=True), self.actor, sql_value(self.now),
             self.schema_rev))
        self.changes.kinds.add(KIND_OF_TABLE[table])
        self.changes.rows += 1

    @staticmethod
    def _check(table: str) -> None:
        if table in _DERIVED_FROM:
            raise ValueError(f"{table}: plain writes do not keep the search index in step; use the unit of work")

    def insert(self, table: str, values: dict[str, Any]) -> str:
        """Add a row (every column but id, created_at and deleted given); returns its id."""
        self._check(table)
        row = {"id": str(uuid.uuid4()), "created_at": self.now, "deleted": False, **values}
        names = columns(self.connection, table)
        if set(row) != set(names):
            raise ValueError(f"{table}: columns {sorted(set(names) ^ set(row))} missing or unknown")
        self.connection.execute(f'INSERT INTO "{table}" ({", ".join(names)}) VALUES ({", ".join("?" * len(names))})',
                                [sql_value(row[name]) for name in names])
        self._log(table, row["id"], "insert", {name: [None, json_value(row[name])] for name in names})
        return row["id"]

    def update(self, table: str, row_id: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        """Change some columns of a row; ``old`` holds their current values (for the log)."""
        self._check(table)
        changed = {name: value for name, value in new.items() if json_value(old[name]) != json_value(value)}
        if not changed:
            return
        self.connection.execute(f'UPDATE "{table}" SET {", ".join(f"{name} = ?" for name in changed)} WHERE id = ?',
                                [*(sql_value(value) for value in changed.values()), row_id])
        self._log(table, row_id, "update", {name: [json_value(old[name]), json_value(value)]
                                            for name, value in changed.items()})

    def finish(self) -> None:
        if self._clock is not None:
            self.connection.execute("UPDATE device_state SET last_seq = ?, hlc_millis = ?, hlc_counter = ? "
                                    "WHERE device_id = ?",
                                    (self._seq, self._clock.millis, self._clock.counter, self.device_id))


@contextmanager
def plain_transaction(db, description: str) -> Iterator[PlainWork]:
    """One user action in plain SQL: commits on success, rolls back on any exception."""
    with db.plain() as connection:
        connection.execute("BEGIN IMMEDIATE")
        try:
            work = PlainWork(connection, description=description, actor=db.actor(), device_id=db.device_id,
                             now=db.clock.now(), schema_rev=db.schema_rev)
            yield work
            work.finish()
            connection.execute("COMMIT")
        except BaseException:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
    db.wrote()
