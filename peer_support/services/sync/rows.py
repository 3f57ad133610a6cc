"""Records as plain values while a journal file is merged: the merge's hot path without the ORM.

A file of 5,000 changes would otherwise build 5,000 ORM objects, track every
attribute set and flush them one statement at a time. Instead the merge loads
the rows a file touches with one query per table (``load``), works on
``Row`` objects (column values as attributes, with the columns set since
loading), and writes them with one ``executemany`` per table and set of
changed columns (``RowWriter.write``), in the file's transaction. Values go
through the columns' own bind processors, so they are stored exactly as the
ORM stores them. Nothing here is logged: a merge is unlogged (every laptop
applies the same changes); the merge logs what it must itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pydantic_core import PydanticUndefined
from sqlalchemy import Table
from sqlmodel import Session

from peer_support.storage.bulk import execute_many, insert_sql, select_rows
from peer_support.storage.tables.base import Entity

_SEARCHED = {"family": "id", "family_member": "family_id"}  # as unit_of_work._SEARCHED


class Row:
    """One record's column values as attributes; remembers the columns set since it was loaded."""

    def __init__(self, table: str, values: dict[str, Any], new: bool) -> None:
        state = self.__dict__
        state.update(values)
        state["_table"] = table
        state["_new"] = new
        state["_changed"] = set()

    def __setattr__(self, name: str, value: Any) -> None:
        state = self.__dict__
        if name not in state or state[name] != value or type(state[name]) is not type(value):
            state[name] = value
            state["_changed"].add(name)

    def __getattr__(self, name: str) -> Any:  # only for names not set: a column this table lacks
        raise AttributeError(name)

    def __repr__(self) -> str:
        return f"Row({self._table}, {self.__dict__.get('id')})"


def defaults(model: type[Entity]) -> dict[str, Callable[[], Any] | Any]:
    """What ``model(**values)`` gives the columns left out: each field's default (or factory)."""
    found: dict[str, Any] = {}
    for name, field in model.model_fields.items():
        if name not in model.__table__.columns:
            continue
        if field.default_factory is not None:
            found[name] = field.default_factory
        else:
            found[name] = None if field.default is PydanticUndefined else field.default
    return found


def new_row(table: str, values: dict[str, Any], field_defaults: dict[str, Any]) -> Row:
    """A new record of ``table``: ``values``, and the defaults (``defaults``) of the columns left out."""
    full = {}
    for name, default in field_defaults.items():
        if name in values:
            full[name] = values[name]
        else:
            full[name] = default() if callable(default) else default
    return Row(table, full, new=True)


def load(session: Session, model: type[Entity], ids: Iterable[str]) -> dict[str, Row]:
    """The rows of ``model`` with these ids, one query per 500."""
    table: Table = model.__table__
    name, names = table.name, [c.name for c in table.columns]
    found: dict[str, Row] = {}
    for values in select_rows(session, table, "id", sorted(set(ids))):
        row = Row(name, dict(zip(names, values)), new=False)
        found[row.id] = row
    return found


class RowWriter:
    """Writes changed ``Row`` objects with plain ``executemany`` statements."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.pending: dict[tuple[str, str], Row] = {}
        self.deleted: list[tuple[Table, str]] = []

    def stage(self, row: Row) -> None:
        self.pending.setdefault((row._table, row.id), row)

    def write(self, tables: dict[str, Table], now: Any, search_stale: set[str]) -> None:
        """Everything staged since the last write, then nothing is pending; the families whose
        search rows follow go into ``search_stale``."""
        if not self.pending and not self.deleted:
            return
        self.session.flush()  # what the ORM holds goes first, as an autoflush would
        inserts: dict[str, list[Row]] = {}
        updates: dict[tuple[str, tuple[str, ...]], list[Row]] = {}
        for (name, _id), row in self.pending.items():
            if row._new:
                inserts.setdefault(name, []).append(row)
            elif row._changed:
                updates.setdefault((name, tuple(sorted(row._changed))), []).append(row)
        for name, rows in inserts.items():
            table = tables[name]
            names = [c.name for c in table.columns]
            for row in rows:
                if row.__dict__.get("created_at") is None:
                    row.__dict__["created_at"] = now
            execute_many(self.session, table, insert_sql(table, names), names, [r.__dict__ for r in rows])
        for (name, fields), rows in updates.items():
            table = tables[name]
            assignments = ", ".join(f'"{f}" = ?' for f in fields)
            sql = f'UPDATE "{name}" SET {assignments} WHERE id = ?'
            execute_many(self.session, table, sql, [*fields, "id"], [r.__dict__ for r in rows])
        for table, entity_id in self.deleted:
            execute_many(self.session, table, f'DELETE FROM "{table.name}" WHERE id = ?', ["id"], [{"id": entity_id}])
        for (name, _id), row in self.pending.items():
            attribute = _SEARCHED.get(name)
            if attribute is not None and (row._new or row._changed):
                family_id = row.__dict__.get(attribute)
                if family_id:
                    search_stale.add(family_id)
            row.__dict__["_new"] = False
            row.__dict__["_changed"] = set()
        self.pending.clear()
        self.deleted.clear()
