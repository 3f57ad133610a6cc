"""What SQL the app really sends, and how SQLite plans it: for the tests that check a query keeps
to its index. Not a test module."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event


@contextmanager
def statements_sent(engine) -> Iterator[list[tuple[str, Any]]]:
    """The (statement, parameters) the engine sends while inside, in order."""
    sent: list[tuple[str, Any]] = []

    def capture(connection, cursor, statement, parameters, context, executemany):
        sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", capture)


def query_plan(context, statement: str, parameters) -> list[str]:
    """SQLite's EXPLAIN QUERY PLAN of a statement, a step a line."""
    with context.db.plain() as connection:
        return [row[-1] for row in connection.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)]
