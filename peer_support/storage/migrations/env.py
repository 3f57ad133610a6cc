"""Alembic environment: runs on the connection handed over by storage/migrate.py.

Migrations never import the current models; each version file spells out its
own tables, so old migrations keep working when models change.
"""

from alembic import context

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=None, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
