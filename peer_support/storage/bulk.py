"""Many rows in one ``executemany`` on the session's own connection, without SQLAlchemy's
per-row parameter handling (the hot paths of sync apply).

Values go through each column's bind processor, so they are stored exactly as
the ORM or a Core ``INSERT`` stores them. Nothing here is logged in the change
log: callers log what must be logged (unit_of_work.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from operator import itemgetter
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

Processor = Callable[[Any], Any] | None
_processors: dict[tuple[str, str], dict[str, Processor]] = {}
_results: dict[tuple[str, str], list[tuple[int, Callable[[Any], Any]]]] = {}


def processors(session: Session, table: Table) -> dict[str, Processor]:
    """Each column's bind processor for this session's dialect (cached)."""
    dialect = session.get_bind().dialect
    key = (dialect.name, table.name)
    if key not in _processors:
        _processors[key] = {c.name: c.type.dialect_impl(dialect).bind_processor(dialect) for c in table.columns}
    return _processors[key]


def result_processors(session: Session, table: Table) -> list[tuple[int, Callable[[Any], Any]]]:
    """(position, result processor) of each column of ``table`` (in its order) that has one for
    this session's dialect: what turns a stored value back into the ORM's (cached)."""
    dialect = session.get_bind().dialect
    key = (dialect.name, table.name)
    if key not in _results:
        found: list[tuple[int, Callable[[Any], Any]]] = []
        for index, column in enumerate(table.columns):
            process = column.type.dialect_impl(dialect).result_processor(dialect, None)
            if process is not None:
                found.append((index, process))
        _results[key] = found
    return _results[key]


def select_rows(session: Session, table: Table, column: str, keys: list[Any]) -> Iterator[tuple[Any, ...]]:
    """Every column of the rows of ``table`` whose ``column`` is one of ``keys`` (one query per 500),
    as the ORM would give them (through the columns' result processors), on the session's own
    connection after a flush; without SQLAlchemy's per-row result handling."""
    session.flush()
    driver = session.connection().connection.driver_connection
    assert driver is not None
    converting = result_processors(session, table)
    names = ", ".join(f'"{c.name}"' for c in table.columns)
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        rows = driver.execute(f'SELECT {names} FROM "{table.name}" WHERE "{column}" IN '
                              f'({",".join("?" * len(chunk))})', chunk)
        if not converting:
            yield from rows
            continue
        yield from _converted_rows(rows, converting)


def execute_many(session: Session, table: Table, sql: str, names: list[str],
                 rows: Iterable[Mapping[str, Any]]) -> None:
    """Run ``sql`` (``?`` placeholders for ``names``, in order) once per row."""
    table_processors = processors(session, table)
    params = list(map(itemgetter(*names), rows)) if len(names) > 1 else [(row[names[0]],) for row in rows]
    converting: list[tuple[int, Callable[[Any], Any]]] = []
    for index, name in enumerate(names):
        process = table_processors[name]
        if process is not None:
            converting.append((index, process))
    if converting:
        params = list(_converted_rows(params, converting))
    execute_rows(session, sql, params)


def _converted_rows(rows: Iterable[tuple], converting: list[tuple[int, Callable[[Any], Any]]]) -> Iterator[tuple]:
    """Each row with the values at the given positions through their processors.

    A processor is a pure function of the value (a flag to 0/1, an instant to its stored text and
    back), and the values of one batch repeat (flags, the instant of one action), so each column
    remembers what it gave for a value; a value that cannot be a key (none of today's types) is
    processed every time."""
    memos: list[dict[Any, Any]] = [{} for _ in converting]
    for row in rows:
        values = list(row)
        for (index, process), memo in zip(converting, memos):
            value = values[index]
            try:
                values[index] = memo[value]
            except KeyError:
                values[index] = memo[value] = process(value)
            except TypeError:
                values[index] = process(value)
        yield tuple(values)


def execute_rows(session: Session, sql: str, params: list[tuple]) -> None:
    """Run ``sql`` once per tuple of ready values, on the session's connection and transaction."""
    if params:
        driver = session.connection().connection.driver_connection
        assert driver is not None
        driver.executemany(sql, params)


def insert_sql(table: Table, names: list[str], tail: str = "") -> str:
    """``INSERT INTO table (names) VALUES (?, ...)`` plus ``tail`` (an ON CONFLICT clause)."""
    columns = ", ".join(f'"{n}"' for n in names)
    return f'INSERT INTO "{table.name}" ({columns}) VALUES ({", ".join("?" for _ in names)}) {tail}'.rstrip()
