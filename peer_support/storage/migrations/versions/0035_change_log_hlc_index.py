"""Change log: the index on ``hlc`` goes (every scan and tick paid for it, no query needs it).

Each change-log row costs an entry in every index of the table, in the same
durable commit as the change itself: a pack scan writes two rows. The other
indexes each serve queries that run often: ``change_id`` (unique: a change
received twice is stored once), ``device_id`` (a laptop's changes by sequence,
for its journal files), ``action_id`` (undo, the actions list) and ``entity_id``
(a record's history, erasure, subject access). The only query ordered by
``hlc`` over the whole table is the newest stamp read once when a laptop joins
a group (services/sync/snapshot.py), and a scan of the table serves that; a
record's history filters by ``entity_id`` first and sorts its few rows.
No data changes.

Revision ID: 0035_change_log_hlc_index
Revises: 0032_user_roles
"""

from alembic import op

revision = "0035_change_log_hlc_index"
down_revision = "0032_user_roles"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_change_log_hlc", table_name="change_log")


def downgrade() -> None:
    op.create_index("ix_change_log_hlc", "change_log", ["hlc"])
