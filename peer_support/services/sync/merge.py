"""Merging one change from another laptop into this laptop's database.

Per field, the change with the later hybrid-logical-clock stamp wins (the
device id inside the stamp breaks ties), whatever order files arrive in, so
every laptop converges. ``sync_field_clock`` keeps the winning stamp of each
field; a record created by one insert that carried all its columns keeps a single
``ROW`` clock for all of them instead, and its fields get clocks of their own only
when they are set again (see ``Merger.clock``). When the losing value was written without having seen the winning
one (a concurrent edit, decided with the "seen" vectors of the journal), it
is kept as a conflict for a lead. A record archived (or tombstoned) on one
laptop while edited on another keeps the edit and raises a conflict.
Changes that need a record not received yet wait in ``sync_pending``.
Derived columns (derived.py) are not merged at all: they are computed again
after each file, so they never conflict.

An erasure (services/privacy.py) wins over any edit of the rows it covers,
whatever the edit's stamp: an edit made on a laptop that had not received the
erasure yet arrives with its personal values blanked (and a notice for leads),
and an edit that arrived first is blanked when the erasure arrives, so the
erased data comes back on no laptop, in any order the files arrive.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from collections.abc import Callable
from typing import Any, cast

from sqlalchemy import delete, select as sa_select, text, update
from sqlmodel import Session, col, select

from peer_support.domain.sync import covered
from peer_support.services.sync import conflicts as conflict_log
from peer_support.services.sync.derived import DERIVED_FIELDS
from peer_support.services.sync.rows import Row, RowWriter, defaults, load
from peer_support.services.sync.state import CAUGHT_UP, Knowledge, get_value, plain_rows, set_value
from peer_support.services.sync.uniques import UniqueGuard, unique_columns
from peer_support.storage.bulk import execute_rows, insert_sql
from peer_support.storage.change_json import read_json
from peer_support.storage.family_search import driver_connection
from peer_support.storage.tables import column_type, entity_classes
from peer_support.storage.tables.base import Entity, table_of
from peer_support.storage.tables.core import ChangeLog
from peer_support.storage.tables.sync import ROW_CLOCK, SyncConflict, SyncFieldClock, SyncPending
from peer_support.storage.types import from_json_value, to_json_value
from peer_support.storage.unit_of_work import UnitOfWork

ALIASES = "merged_aliases"  # sync_state: JSON {table: {merged-away id: id it became}}
MARKS = "rule_marks"  # sync_state: JSON {table: {id: {field: logged value}}}: what rules changed (rules.py)
ERASED = "__erased__"  # field-clock marker: the record was erased; later edits of it are dropped
# Field-clock marker: the insert that created the record with all its columns. It is the clock of every
# field that has no clock of its own (migration 0034_sync_row_clocks: before, an insert wrote one clock
# per field; a record of 20 columns now costs one clock row until its fields are edited).
ROW = ROW_CLOCK
ARCHIVE_FIELDS = ("deleted", "archived")
NOT_EDITS = {"id", "created_at", ERASED, ROW, *ARCHIVE_FIELDS}
QUIET_FIELDS = {"id", "created_at"}  # two laptops creating the same keyed row (a setting) is no conflict
Clock = tuple[str, str, int]  # hlc, device, seq
_CLOCK = table_of(SyncFieldClock)
_CLOCK_NAMES = ["entity", "entity_id", "field", "hlc", "device_id", "seq"]
_UPSERT_CLOCK = insert_sql(_CLOCK, _CLOCK_NAMES, "ON CONFLICT (entity, entity_id, field) DO UPDATE SET "
                           "hlc = excluded.hlc, device_id = excluded.device_id, seq = excluded.seq")
_DROP_FIELD_CLOCKS = (f'DELETE FROM "{_CLOCK.name}" WHERE entity = ? AND entity_id = ? '
                      f"AND field NOT IN ('{ERASED}', '{ROW}')")
_SELECT_CLOCKS = f'SELECT entity_id, field, hlc, device_id, seq FROM "{_CLOCK.name}" WHERE entity = ?'
_OWN_CHANGES = (f'SELECT entity, entity_id, op, changes, hlc, seq FROM "{table_of(ChangeLog).name}" '
                "WHERE device_id = ? AND seq > ? ORDER BY seq")
_CLOCK_COLUMNS = sa_select(_CLOCK.c.entity_id, _CLOCK.c.field, _CLOCK.c.hlc, _CLOCK.c.device_id, _CLOCK.c.seq)


_NOT_LOADED = object()  # Merger._rows holds no entry (None there means: no such record)


class UnknownTable(Exception):
    """A change to a table this version does not have: the file needs a newer app."""


# A column's value from its JSON form, as storage.types.from_json_value gives it for a value not None.
_READERS: dict[type | None, Callable[[Any], Any]] = {datetime: datetime.fromisoformat, date: date.fromisoformat,
                                                     bool: bool}


@dataclass(frozen=True)
class TableFacts:
    """A table's shape as the merge asks for it again and again (SQLModel's ``__tablename__`` and
    ``__table__`` are slow to reach): one object per table and file instead of a cache per question."""

    name: str
    columns: frozenset[str]
    derived: frozenset[str]  # computed after each file, never merged (derived.py)
    merged: frozenset[str]  # the others
    types: dict[str, type | None]  # each column's Python type
    # The columns whose JSON form is not their value (instants, dates, flags), with what reads a
    # non-null JSON form (as from_json_value does).
    readers: dict[str, Callable[[Any], Any]]
    links: list[tuple[str, str]]  # (column, table it points at) of each foreign key
    defaults: dict[str, Any]  # what ``model(**values)`` gives the columns left out (rows.defaults)
    unique: list[str]  # single-column unique values, such as references (uniques.py)
    archive: tuple[str, ...]  # the table's ARCHIVE_FIELDS (``Merger._check_archive``)

    @classmethod
    def of(cls, name: str, model: type[Entity]) -> "TableFacts":
        table = model.__table__
        columns = frozenset(c.name for c in table.columns)
        derived = DERIVED_FIELDS.get(name, frozenset())
        types = {c: column_type(model, c) for c in columns}
        return cls(name=name, columns=columns, derived=derived, merged=columns - derived, types=types,
                   readers={c: _READERS[t] for c, t in types.items() if t in _READERS},
                   links=[(c.name, next(iter(c.foreign_keys)).column.table.name)
                          for c in table.columns if c.foreign_keys],
                   defaults=defaults(model), unique=unique_columns(model),
                   archive=tuple(f for f in ARCHIVE_FIELDS if f in columns))


class Merger:
    def __init__(self, uow: UnitOfWork, device_id: str, now: datetime) -> None:
        self.uow = uow
        self.session: Session = uow.session
        self.device_id = device_id
        self.now = now
        self.models = entity_classes()
        self.knowledge = Knowledge(self.session)
        self.uniques = UniqueGuard(self)
        self._clocks: dict[tuple[str, str], dict[str, Clock]] = {}
        self._dirty: set[tuple[str, str, str]] = set()
        self.touched: dict[str, set[str]] = {}
        self.own_touched: dict[str, set[str]] = {}  # this laptop's own changes since the last merge
        self.new_conflicts = 0
        self.applied_changes = 0
        # Caches for one file, so most changes cost no query at all. Records are plain ``Row``
        # objects written in bulk (rows.py), not ORM objects.
        self._rows: dict[tuple[str, str], Row | None] = {}
        self.writer = RowWriter(self.session)
        self._tables = {name: model.__table__ for name, model in self.models.items()}
        self._facts: dict[str, TableFacts] = {}
        self._ids: dict[str, set[str]] = {}
        self._names = {model: name for name, model in self.models.items()}
        self._waiting = set(self.session.execute(sa_select(col(SyncPending.waits_for))).scalars())
        self.aliases: dict[str, dict[str, str]] = json.loads(get_value(self.session, ALIASES, "{}") or "{}")
        self._aliases_changed = False
        self.marks: dict[str, dict[str, dict[str, Any]]] = json.loads(get_value(self.session, MARKS, "{}") or "{}")
        self.marks_changed = False
        from peer_support.services.privacy import erased_rows

        self.erased: dict[tuple[str, str], dict[str, Any]] = erased_rows(self.session)

    def release(self) -> None:
        """Drop the caches of the file just merged (every row and clock it touched)."""
        self._rows.clear()
        self._clocks.clear()
        self._ids.clear()

    # -- merged list items (uniques.MERGE_BY) ------------------------------------------
    def add_alias(self, table: str, loser_id: str, winner_id: str) -> None:
        """From now on ``loser_id`` of ``table`` means ``winner_id``; existing references move."""
        self.aliases.setdefault(table, {})[loser_id] = winner_id
        self._aliases_changed = True
        self.flush_rows()
        for model in self.models.values():
            for column in model.__table__.columns:
                if any(fk.column.table.name == table for fk in column.foreign_keys):
                    self.session.execute(update(model.__table__).where(column == loser_id)
                                         .values({column.name: winner_id}))
                    for (entity, _id), row in self._rows.items():  # the cached copies follow
                        if entity == model.__tablename__ and row is not None \
                                and row.__dict__.get(column.name) == loser_id:
                            row.__dict__[column.name] = winner_id
        self.session.expire_all()  # rows cached above were changed behind the ORM's back

    def _follow_aliases(self, facts: TableFacts, entry: dict[str, Any]) -> None:
        for name, target in facts.links:
            pair = entry["changes"].get(name)
            if pair is not None and pair[1] in self.aliases.get(target, {}):
                entry["changes"][name] = [pair[0], self.aliases[target][pair[1]]]

    def save_aliases(self) -> None:
        if self._aliases_changed:
            set_value(self.session, ALIASES, json.dumps(self.aliases, sort_keys=True))
        if self.marks_changed:
            set_value(self.session, MARKS, json.dumps({t: m for t, m in self.marks.items() if m}, sort_keys=True))

    def note_logged(self, entity: str, entity_id: str, field: str, value: Any) -> None:
        """A logged change set ``field``: a rule's mark on it now gives way to that value."""
        mark = self.marks.get(entity, {}).get(entity_id)
        if mark is not None and field in mark:
            mark[field] = value
            self.marks_changed = True

    # -- caches ---------------------------------------------------------------------
    def prefetch(self, entries: list[dict[str, Any]]) -> None:
        """Load the rows and field clocks a file's changes touch, two queries per table and 500 ids."""
        wanted: dict[str, set[str]] = {}
        for entry in entries:
            if entry["entity"] in self.models:
                wanted.setdefault(entry["entity"], set()).add(entry["entity_id"])
        self.session.flush()
        connection = driver_connection(self.session)
        for entity, ids in wanted.items():
            model, ordered = self.models[entity], sorted(ids)
            for key in ordered:
                self._clocks.setdefault((entity, key), {})
                self._rows.setdefault((entity, key), None)
            for start in range(0, len(ordered), 500):
                chunk = ordered[start:start + 500]
                for entity_id, field, hlc, device, seq in connection.execute(
                        f"{_SELECT_CLOCKS} AND entity_id IN ({','.join('?' * len(chunk))})", [entity, *chunk]):
                    self._clocks[(entity, entity_id)][field] = (hlc, device, seq)
            for entity_id, row in load(self.session, model, ordered).items():
                self._rows[(entity, entity_id)] = row

    def name_of(self, model: type[Entity]) -> str:
        """``model.__tablename__``, which SQLModel computes again on every access (a hot path here)."""
        name = self._names.get(model)
        if name is None:
            name = self._names[model] = model.__tablename__
        return name

    def facts(self, model: type[Entity]) -> TableFacts:
        """What the merge needs to know of ``model``'s table, worked out once per file."""
        name = self.name_of(model)
        found = self._facts.get(name)
        if found is None:
            found = self._facts[name] = TableFacts.of(name, model)
        return found

    def row(self, model: type[Entity], entity_id: str) -> Row | None:
        key = (self.name_of(model), entity_id)
        if key not in self._rows:
            self._rows[key] = load(self.session, model, [entity_id]).get(entity_id)
        return self._rows[key]

    def is_stored(self, row: Row) -> bool:
        """The record is this file's copy of a row (in the database or about to be written)."""
        return self._rows.get((row._table, row.id)) is row

    def stage(self, row: Row) -> None:
        """``row`` changed: it is written at the next ``flush_rows``."""
        self.writer.stage(row)

    def flush_rows(self) -> None:
        """Write the changed rows (before any query that must see them, and after the file)."""
        self.writer.write(self._tables, self.now, self.uow.search_stale)

    def exists(self, table: str, entity_id: str) -> bool:
        if self._rows.get((table, entity_id)) is not None:
            return True
        if table not in self._ids:
            self.flush_rows()
            self._ids[table] = set(self.session.execute(text(f'SELECT id FROM "{table}"')).scalars())
        return entity_id in self._ids[table]

    # -- field clocks -------------------------------------------------------------
    def clocks(self, entity: str, entity_id: str) -> dict[str, Clock]:
        key = (entity, entity_id)
        if key not in self._clocks:
            rows = self.session.execute(_CLOCK_COLUMNS.where(
                _CLOCK.c.entity == entity, _CLOCK.c.entity_id == entity_id)).all()
            self._clocks[key] = {field: (hlc, device, seq) for _id, field, hlc, device, seq in rows}
        return self._clocks[key]

    def clock(self, entity: str, entity_id: str, field: str) -> Clock | None:
        """The stamp of the change that set ``field``: its own clock, else the record's insert (``ROW``)."""
        clocks = self.clocks(entity, entity_id)
        return clocks.get(field) or clocks.get(ROW)

    def covers_row(self, model: type[Entity], fields: Any) -> bool:
        """An insert carrying ``fields`` set every merged column of ``model``: one ``ROW`` clock will do."""
        return self.facts(model).merged <= fields

    def set_clock(self, entity: str, entity_id: str, field: str, clock: Clock) -> None:
        self.clocks(entity, entity_id)[field] = clock
        self._dirty.add((entity, entity_id, field))

    def flush_clocks(self) -> None:
        clocks = self._clocks
        rows = []
        for entity, entity_id, field in self._dirty:
            hlc, device, seq = clocks[(entity, entity_id)][field]
            rows.append((entity, entity_id, field, hlc, device, seq))
        execute_rows(self.session, _UPSERT_CLOCK, rows)
        self._dirty.clear()

    def _upsert_clocks(self, clocks: dict[tuple[str, str, str], Clock]) -> None:
        execute_rows(self.session, _UPSERT_CLOCK, [(e, i, f, *c) for (e, i, f), c in clocks.items()])

    def catch_up_local(self) -> None:
        """Own changes since the last run into the field clocks (they always win: later stamps)."""
        start = int(get_value(self.session, CAUGHT_UP, "0"))
        latest: dict[tuple[str, str, str], Clock] = {}
        inserted: list[tuple[str, str]] = []  # records our own insert set wholly: one ROW clock each
        last = start
        for entity, entity_id, op, logged, hlc, seq in plain_rows(self.session, _OWN_CHANGES, (self.device_id, start)):
            fields: dict[str, Any] = {ERASED: None} if op == "delete" else read_json(logged)
            self.own_touched.setdefault(entity, set()).add(entity_id)
            if entity in self.marks and op != "delete":
                for field, pair in fields.items():
                    self.note_logged(entity, entity_id, field, pair[1])
            derived = DERIVED_FIELDS.get(entity, ())
            clock = (hlc, self.device_id, seq)
            model = self.models.get(entity)
            if op == "insert" and model is not None and self.covers_row(model, fields.keys()):
                inserted.append((entity, entity_id))
                latest[(entity, entity_id, ROW)] = clock
                last = seq
                continue
            for field in fields:
                if field in derived:
                    continue
                latest[(entity, entity_id, field)] = clock
            last = seq
        if last == start:
            return
        # The insert set every field: clocks of its own an id had before (none, for a new id) give way.
        execute_rows(self.session, _DROP_FIELD_CLOCKS, inserted)
        for key in inserted:
            cached = self._clocks.get(key)
            if cached is not None:
                for field in [f for f in cached if f != ERASED]:
                    del cached[field]
        for (entity, entity_id, field), clock in latest.items():
            cached = self._clocks.get((entity, entity_id))
            if cached is not None:
                cached[field] = clock
        self._upsert_clocks(latest)
        set_value(self.session, CAUGHT_UP, str(last))

    # -- applying -----------------------------------------------------------------
    def apply(self, entry: dict[str, Any]) -> None:
        entity, entity_id, op = entry["entity"], entry["entity_id"], entry["op"]
        model = self.models.get(entity)
        if model is None:
            raise UnknownTable(entity)
        if op == "redacted":  # compacted after an erasure: nothing left to apply
            return
        if op == "delete":
            self._erase(model, entry)
            return
        key = (entity, entity_id)
        clocks = self._clocks.get(key)
        if clocks is None:
            clocks = self.clocks(entity, entity_id)
        if ERASED in clocks:
            return
        if key in self.erased:
            discarded = self.blank_erased(entry)
            if discarded and op == "update":
                self._erased_notice(entity, entity_id, entry["hlc"], discarded)
        facts = self._facts.get(entity) or self.facts(model)
        if self.aliases:
            self._follow_aliases(facts, entry)
        changes: dict[str, list[Any]] = entry["changes"]
        parent = self._missing_parent(facts, changes) if facts.links else None
        cached = self._rows.get(key, _NOT_LOADED)
        row = self.row(model, entity_id) if cached is _NOT_LOADED else cast(Row | None, cached)
        if row is None and op != "insert":
            parent = entity_id
        if parent:
            self.session.add(SyncPending(entity_id=entity_id, waits_for=parent, change=json.dumps(entry)))
            self._waiting.add(parent)
            return
        stamp: Clock = (entry["hlc"], entry["device_id"], entry["seq"])
        touched = self.touched.get(entity)
        if touched is None:
            touched = self.touched[entity] = set()
        touched.add(entity_id)
        if row is None:
            self._insert(model, facts, entity_id, changes, stamp, clocks)
            return
        if op == "update" and facts.archive:
            self._check_archive(facts, row, entry, stamp, clocks)
        columns, derived = facts.columns, facts.derived
        for field, (old, new) in changes.items():
            if field in columns and field != "id" and field not in derived:
                self._merge_field(model, facts, row, field, old, new, entry, stamp, clocks)

    def _insert(self, model: type[Entity], facts: TableFacts, entity_id: str, changes: dict[str, list[Any]],
                stamp: Clock, clocks: dict[str, Clock]) -> None:
        """A record this laptop does not have: made from the change's values (and its columns'
        defaults for those it lacks), with one ``ROW`` clock when it carries every merged column."""
        entity, readers, present = facts.name, facts.readers, []
        values: dict[str, Any] = {}
        for name, default in facts.defaults.items():  # every column, in the table's order (rows.new_row)
            pair = changes.get(name)
            if pair is None:
                values[name] = default() if callable(default) else default
                continue
            present.append(name)
            value = pair[1]
            if value is not None:
                read = readers.get(name)
                if read is not None:
                    value = read(value)
            values[name] = value
        row = Row(entity, values, new=True)
        if facts.unique:
            self.uniques.before_insert(model, row, stamp)
        self.writer.stage(row)
        self._rows[(entity, entity_id)] = row
        if entity in self._ids:
            self._ids[entity].add(entity_id)
        dirty = self._dirty
        if not clocks and facts.merged.issubset(present):
            clocks[ROW] = stamp
            dirty.add((entity, entity_id, ROW))
        else:
            derived = facts.derived
            for field in present:
                if field not in derived:
                    clocks[field] = stamp
                    dirty.add((entity, entity_id, field))
        if entity_id in self._waiting:
            self._release_pending(entity_id)

    def _merge_field(self, model: type[Entity], facts: TableFacts, row: Row, field: str, old: Any, new: Any,
                     entry: dict[str, Any], stamp: Clock, clocks: dict[str, Clock]) -> None:
        """``clocks``: the record's field clocks (``self.clocks``)."""
        entity = facts.name
        clock = clocks.get(field) or clocks.get(ROW)
        current = to_json_value(getattr(row, field))
        quiet = field in QUIET_FIELDS
        if clock is None or stamp[0] > clock[0]:
            if clock is not None and not quiet and current != new and not covered(
                    entry["seen"], stamp[1], stamp[2], clock[1], clock[2]):
                self.record(conflict_log.field_conflict(entity, row.id, field, old, current, new, clock,
                                                        stamp, "remote", self.now))
            if self.marks:
                self.note_logged(entity, row.id, field, new)
            if current != new:
                value = from_json_value(facts.types.get(field), new)
                if field in facts.unique:
                    value = self.uniques.before_update(model, row, field, value, stamp)
                setattr(row, field, value)
                self.stage(row)
            clocks[field] = stamp
            self._dirty.add((entity, row.id, field))
        elif stamp[0] < clock[0]:
            winner_seen = self.knowledge.seen_by(clock[1], clock[2])
            if not quiet and current != new and not covered(winner_seen, clock[1], clock[2], stamp[1], stamp[2]):
                self.record(conflict_log.field_conflict(entity, row.id, field, old, current, new, clock,
                                                        stamp, "local", self.now))

    def _check_archive(self, facts: TableFacts, row: Row, entry: dict[str, Any], stamp: Clock,
                       clocks: dict[str, Clock]) -> None:
        """An archive here and an edit there (or the other way round), made without seeing each other.
        ``clocks``: the record's field clocks (``self.clocks``)."""
        if facts.columns.isdisjoint(ARCHIVE_FIELDS):
            return
        entity, seen = facts.name, entry["seen"]
        unseen = {f: c for f, c in clocks.items() if not covered(seen, stamp[1], stamp[2], c[1], c[2])}
        if not unseen:
            return  # the change was made having seen every value here: no archive raced an edit
        derived = facts.derived
        changes = {f: v for f, v in entry["changes"].items() if f not in derived}
        inserted = unseen.pop(ROW, None)
        if inserted is not None:  # the insert not seen: every field without a clock of its own
            for name in facts.merged:
                if name not in clocks:
                    unseen[name] = inserted
        for field in ARCHIVE_FIELDS:
            if field not in facts.columns:
                continue
            if changes.get(field, [None, None])[1] is True:
                edits = sorted(f for f in unseen if f not in NOT_EDITS)
                if edits and getattr(row, field) is not True:
                    self.record(conflict_log.archive_conflict(
                        entity, row.id, field, False, True, unseen[edits[0]], stamp, edits, self.now))
            elif field in unseen and getattr(row, field) is True and set(changes) - NOT_EDITS:
                edits = sorted(set(changes) - NOT_EDITS)
                self.record(conflict_log.archive_conflict(
                    entity, row.id, field, True, False, unseen[field], stamp, edits, self.now))

    def _missing_parent(self, facts: TableFacts, changes: dict[str, list[Any]]) -> str | None:
        """The id of a record this change points at that has not arrived yet, if any."""
        for name, table in facts.links:
            pair = changes.get(name)
            target = pair[1] if pair is not None else None
            if target is not None and not self.exists(table, target):
                return target
        return None

    def _release_pending(self, entity_id: str) -> None:
        self.session.flush()
        self._waiting.discard(entity_id)
        waiting = self.session.exec(select(SyncPending).where(SyncPending.waits_for == entity_id)
                                    .order_by(col(SyncPending.id))).all()
        for pending in waiting:
            self.session.delete(pending)
        for pending in waiting:
            self.apply(json.loads(pending.change))

    def _erase(self, model: type[Entity], entry: dict[str, Any]) -> None:
        """An erasure: the record goes, with its conflicts; later edits of it are dropped."""
        entity, entity_id = entry["entity"], entry["entity_id"]
        row = self.row(model, entity_id)
        self.flush_rows()
        if row is not None:
            self.writer.deleted.append((model.__table__, entity_id))
            attribute = {"family": "id", "family_member": "family_id"}.get(entity)
            if attribute and row.__dict__.get(attribute):
                self.uow.search_stale.add(row.__dict__[attribute])
            self.flush_rows()
        self._rows[(entity, entity_id)] = None
        self._ids.get(entity, set()).discard(entity_id)
        for field in list(self.clocks(entity, entity_id)):
            self._dirty.discard((entity, entity_id, field))
        self.session.execute(delete(SyncFieldClock).where(SyncFieldClock.entity == entity,
                                                          SyncFieldClock.entity_id == entity_id))
        self._clocks[(entity, entity_id)] = {}
        self.set_clock(entity, entity_id, ERASED, (entry["hlc"], entry["device_id"], entry["seq"]))
        self.session.execute(delete(SyncPending).where(SyncPending.entity_id == entity_id))
        self.session.execute(delete(SyncConflict).where(SyncConflict.entity_id == entity_id))
        self.touched.setdefault(entity, set()).add(entity_id)

    # -- erasures win -----------------------------------------------------------------
    def blank_erased(self, entry: dict[str, Any]) -> list[str]:
        """Blank the erased columns an entry for an erased row carries (old and new value, as the
        erasure blanks history); returns the typed fields whose new value is thrown away."""
        blanks = self.erased.get((entry["entity"], entry["entity_id"]))
        if not blanks:
            return []
        derived = DERIVED_FIELDS.get(entry["entity"], ())
        discarded = []
        for field, (old, new) in list(entry["changes"].items()):
            if field not in blanks:
                continue
            blank = to_json_value(blanks[field])
            if new != blank and field not in derived:
                discarded.append(field)
            entry["changes"][field] = [None if old is None else blank, blank]
        return sorted(discarded)

    def _erased_notice(self, entity: str, entity_id: str, stamp: str, fields: list[str]) -> None:
        self.record(conflict_log.notice("erased_edit", entity, entity_id, f"edit/{stamp}", None, None,
                                        ",".join(fields), self.now))

    def enforce_erasures(self, entries: list[dict[str, Any]]) -> None:
        """After a file's rules: erased rows this file (or this laptop since) touched, and every row
        of an erasure that just arrived, hold their erased values again, unlogged (every laptop
        does the same); an edit that had won over the erasure is listed as discarded. The file's
        entries lose the erased values too, before they go into this laptop's change log."""
        from peer_support.services.privacy import erased_rows

        check: set[tuple[str, str]] = set()
        if "erasure" in self.touched:
            before = self.erased
            self.erased = erased_rows(self.session)
            check.update(key for key in self.erased if self.erased[key] != before.get(key))
        if not self.erased:
            return
        for source in (self.touched, self.own_touched):
            for table, ids in source.items():
                check.update((table, i) for i in ids if (table, i) in self.erased)
        for table, entity_id in sorted(check):
            model = self.models.get(table)
            row = self.session.get(model, entity_id) if model is not None else None
            if row is None:
                continue
            derived = DERIVED_FIELDS.get(table, ())
            changed = sorted(f for f, blank in self.erased[(table, entity_id)].items()
                             if f not in derived and getattr(row, f) != blank)
            if not changed:
                continue
            for field in changed:
                setattr(row, field, self.erased[(table, entity_id)][field])
            self.session.add(row)
            self.touched.setdefault(table, set()).add(entity_id)
            stamps = [self.clock(table, entity_id, f) for f in changed]
            stamp = max((c[0] for c in stamps if c is not None), default="")
            self._erased_notice(table, entity_id, stamp, changed)
        for entry in entries:
            if (entry["entity"], entry["entity_id"]) in self.erased:
                self.blank_erased(entry)

    def record(self, conflict: SyncConflict) -> None:
        if conflict_log.store(self.session, conflict):
            self.new_conflicts += 1
