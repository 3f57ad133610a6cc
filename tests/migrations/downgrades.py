"""Taking a data folder back to an earlier schema with Alembic's downgrade, for the tests that check
an upgrade keeps (or rewrites) what an earlier version of the app wrote. Not a test module."""

from __future__ import annotations

from pathlib import Path

from peer_support.context import open_context
from peer_support.storage import migrate
from peer_support.storage.revisions import known_heads, revision_graph


def earlier_schema(first_missing: str) -> str:
    """Alembic's downgrade target that removes first_missing and what follows it on its branch."""
    graph = revision_graph()
    for head in known_heads():
        steps, current = 0, head
        while current != first_missing and len(graph[current]) == 1:
            current, steps = graph[current][0], steps + 1
        if current == first_missing:
            return f"{head}@-{steps + 1}"
    raise AssertionError(f"{first_missing} is on no branch of the migrations")


def downgrade(data_dir: Path, clock, target: str) -> None:
    """Open the folder as the app does (so it is at head first), then downgrade it to target."""
    from alembic import command

    context = open_context(data_dir, clock)
    config = migrate.alembic_config()
    with context.db.engine.connect() as connection:
        # Dropping a column rebuilds the table, which SQLite refuses while
        # other tables' rows refer to it and foreign keys are enforced.
        # (On the driver's connection, before SQLAlchemy's BEGIN: the pragma
        # does nothing inside a transaction.)
        connection.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")
        config.attributes["connection"] = connection
        command.downgrade(config, target)
        connection.commit()
    context.close()
