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

Kept to few statements, because on a disk with a cheap fsync a scan's cost is its
statements and the pages its commit writes: the change-log rows wait until
``finish()``, where one ``UPDATE device_state … RETURNING`` takes their sequence
numbers and clock stamps, one statement adds the action and one ``executemany``
the rows. New ids are time-ordered UUIDs (storage/ids.py), as everywhere, so a run of scans
appends to the same index pages instead of touching a random one per id.
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from peer_support.domain.changes import Changes
from peer_support.storage.change_json import changes_text
from peer_support.storage.ids import new_id
from peer_support.storage.db import is_storage_failure, storage_error
from peer_support.storage.hlc import format_stamp
from peer_support.storage.kinds import KIND_OF_TABLE

_DERIVED_FROM = {"family", "family_member"}  # their search rows are the unit of work's job
# Columns that follow from other rows (services/sync/derived.py: sync computes them again after
# every merge, undo after every undo; they have no field clocks): written, never logged, since the
# change-log row of their source (the pack's event) already says what happened.
DERIVED_COLUMNS = {"pack": frozenset({"status", "status_at", "volunteer_id", "note"})}
_COLUMNS: dict[tuple[int, str], tuple[str, ...]] = {}


_AS_IS = frozenset({str, int, float, type(None)})  # stored and logged unchanged (not bool: a subclass of int)


def sql_value(value: Any) -> Any:
    """A Python value as the tables store it (instants as naive UTC text, booleans as 0/1)."""
    if type(value) in _AS_IS:
        return value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        # = strftime("%Y-%m-%d %H:%M:%S.%f"), as SQLAlchemy stores it, at a third of the cost
        return value.astimezone(timezone.utc).replace(tzinfo=None).isoformat(" ", "microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def json_value(value: Any) -> Any:
    """As storage.types.to_json_value (kept import-light: that module loads SQLAlchemy)."""
    if type(value) in _AS_IS:
        return value
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


# One statement takes this action's sequence numbers and clock ticks (all under BEGIN IMMEDIATE's
# lock): ``n`` ticks of HybridClock.tick at one wall time give (wall, 0..n-1) when the wall clock
# is past the stored stamp, else (millis, counter+1..counter+n). SET sees the old row throughout.
_ADVANCE = ("UPDATE device_state SET last_seq = last_seq + ?1, "
            "hlc_counter = CASE WHEN ?2 > hlc_millis THEN ?1 - 1 ELSE hlc_counter + ?1 END, "
            "hlc_millis = max(hlc_millis, ?2) WHERE device_id = ?3 RETURNING last_seq, hlc_millis, hlc_counter")
_INSERT_LOG = ("INSERT INTO change_log (change_id, device_id, seq, hlc, action_id, entity, entity_id, op, changes, "
               "actor, at, schema_rev) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
_INSERT_ACTION = "INSERT INTO action (id, description, actor, device_id, at, undoes) VALUES (?, ?, ?, ?, ?, NULL)"
_DERIVED_UPDATES: dict[tuple[str, tuple[str, ...]], str] = {}
_INSERTS: dict[tuple[int, str, tuple[str, ...]], tuple[str, tuple[str, ...]]] = {}


def _insert_plan(connection, table: str, given: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """The INSERT for a table's rows given these columns (id, created_at and deleted first, then
    ``given`` in their order: the same text each time, so sqlite3 reuses the prepared statement),
    and every column in the order the change log's JSON names them (sorted). Checked once."""
    PlainWork._check(table)
    names = ("id", "created_at", "deleted", *given)
    if len(set(names)) != len(names) or set(names) != set(columns(connection, table)):
        raise ValueError(f"{table}: columns {sorted(set(columns(connection, table)) ^ set(names))} missing or unknown")
    plan = (f'INSERT INTO "{table}" ({", ".join(names)}) VALUES ({", ".join("?" * len(names))})',
            tuple(sorted(names)))
    _INSERTS[(id(connection), table, given)] = plan
    return plan


class PlainWork:
    def __init__(self, connection, *, description: str, actor: str, device_id: str, now: datetime,
                 schema_rev: str) -> None:
        self.connection = connection
        self.now = now
        self.actor = actor
        self.device_id = device_id
        self.schema_rev = schema_rev
        self.description = description
        self.changes = Changes(new_id())
        if now.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        utc = now if now.tzinfo is timezone.utc else now.astimezone(timezone.utc)
        # json_value(now) and sql_value(now), converted once: a scan writes "now" five times
        self._now_json = iso = utc.isoformat()  # 'YYYY-MM-DDTHH:MM:SS[.ffffff]+00:00'
        self._now_sql = f"{iso[:10]} {iso[11:19]}.{utc.microsecond:06d}"
        self._log_rows: list[tuple[str, str, str, str]] = []  # (table, row id, op, changes JSON)

    def _sql(self, value: Any) -> Any:
        return self._now_sql if value is self.now else sql_value(value)

    def _json(self, value: Any) -> Any:
        return self._now_json if value is self.now else json_value(value)

    def _log(self, table: str, row_id: str, op: str, changes: str) -> None:
        # Written by finish(), all at once: one statement numbers them all (see _ADVANCE).
        self._log_rows.append((table, row_id, op, changes))
        self.changes.kinds.add(KIND_OF_TABLE[table])
        self.changes.rows += 1

    @staticmethod
    def _check(table: str) -> None:
        if table in _DERIVED_FROM:
            raise ValueError(f"{table}: plain writes do not keep the search index in step; use the unit of work")

    def insert(self, table: str, values: dict[str, Any]) -> str:
        """Add a row (every column but id, created_at and deleted given); returns its id."""
        plan = _INSERTS.get((id(self.connection), table, tuple(values)))
        if plan is None:
            plan = _insert_plan(self.connection, table, tuple(values))
        sql, logged = plan
        row_id = new_id()
        now, now_sql, now_json = self.now, self._now_sql, self._now_json
        # _sql and _json, inline: a scan's event has nine columns
        self.connection.execute(sql, [row_id, now_sql, 0, *[now_sql if value is now else value if type(value) in _AS_IS
                                                           else sql_value(value) for value in values.values()]])
        row = {"id": row_id, "created_at": now, "deleted": False, **values}
        self._log(table, row_id, "insert", changes_text({
            name: [None, now_json if value is now else value if type(value) in _AS_IS else json_value(value)]
            for name, value in ((name, row[name]) for name in logged)}))
        return row_id

    def update(self, table: str, row_id: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        """Change some columns of a row; ``old`` holds their current values (for the log)."""
        self._check(table)
        changed = {name: value for name, value in new.items() if json_value(old[name]) != self._json(value)}
        if not changed:
            return
        self.connection.execute(f'UPDATE "{table}" SET {", ".join(f"{name} = ?" for name in changed)} WHERE id = ?',
                                [*(self._sql(value) for value in changed.values()), row_id])
        self._log(table, row_id, "update", changes_text({name: [json_value(old[name]), self._json(value)]
                                                    for name, value in changed.items()}))

    def set_derived(self, table: str, row_id: str, values: dict[str, Any]) -> None:
        """Bring a row's derived columns (``DERIVED_COLUMNS``) in step with what this action logged:
        written in the same transaction, without a change-log row of their own."""
        key = (table, tuple(values))
        sql = _DERIVED_UPDATES.get(key)
        if sql is None:
            allowed = DERIVED_COLUMNS.get(table, frozenset())
            if not values.keys() <= allowed:
                raise ValueError(f"{table}: {sorted(values.keys() - allowed)} are not derived columns")
            sql = _DERIVED_UPDATES[key] = f'UPDATE "{table}" SET {", ".join(f"{name} = ?" for name in values)} WHERE id = ?'
        self.connection.execute(sql, [*(self._sql(value) for value in values.values()), row_id])

    def finish(self) -> None:
        """The action row and the change-log rows, numbered and stamped (before the commit)."""
        count = len(self._log_rows)
        if not count:
            return
        connection, device_id = self.connection, self.device_id
        advance = (count, int(self.now.timestamp() * 1000), device_id)
        state = connection.execute(_ADVANCE, advance).fetchall()
        if not state:  # this laptop's first change
            connection.execute("INSERT INTO device_state (device_id, last_seq, hlc_millis, hlc_counter) "
                               "VALUES (?, 0, 0, 0)", (device_id,))
            state = connection.execute(_ADVANCE, advance).fetchall()
        last_seq, millis, counter = state[0]
        connection.execute(_INSERT_ACTION, (self.changes.action_id, self.description, self.actor, device_id,
                                            self._now_sql))
        first = count - 1
        rows = [
            (new_id(), device_id, last_seq - first + number,
             format_stamp(millis, counter - first + number, device_id), self.changes.action_id, table, row_id, op,
             changes, self.actor, self._now_sql, self.schema_rev)
            for number, (table, row_id, op, changes) in enumerate(self._log_rows)]
        if count == 1:  # a scan
            connection.execute(_INSERT_LOG, rows[0])
        else:
            connection.executemany(_INSERT_LOG, rows)


class plain_transaction:  # noqa: N801 - used like the function it was: with plain_transaction(db, text) as work
    """One user action in plain SQL: commits on success, rolls back on any exception. SQLite's
    failure to read or write the file (disk full, busy, damaged: ``db.is_storage_failure``)
    comes out as ``db.storage_error``'s StorageError.

    A class rather than a generator-based context manager: it runs for every scan and tick.
    """

    __slots__ = ("_db", "_description", "_work")

    def __init__(self, db, description: str) -> None:
        self._db = db
        self._description = description

    def __enter__(self) -> PlainWork:
        db = self._db
        try:
            connection = db.thread_connection()
            connection.execute("BEGIN IMMEDIATE")
        except Exception as exc:
            if is_storage_failure(exc):
                raise storage_error(exc) from exc
            raise
        self._work = PlainWork(connection, description=self._description, actor=db.actor(),
                               device_id=db.device_id, now=db.clock.now(), schema_rev=db.schema_rev)
        return self._work

    def __exit__(self, kind, error, _traceback) -> None:
        connection = self._work.connection
        if kind is None:
            try:
                self._work.finish()
                connection.execute("COMMIT")
            except BaseException as failure:
                self._roll_back(connection)
                if isinstance(failure, Exception) and is_storage_failure(failure):
                    raise storage_error(failure) from failure
                raise
            self._db.wrote()
            return
        self._roll_back(connection)
        if is_storage_failure(error):
            raise storage_error(error) from error
        # any other exception of the body goes on as it is

    @staticmethod
    def _roll_back(connection) -> None:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
