"""Change log: one laptop's changes after a number are found by (device_id, seq), not read through.

Every sync asks for this laptop's changes numbered after the last one it
published (services/sync/journal.write_journal) and after the last one it
merged (services/sync/merge.catch_up_local); so do undo and compaction. The
index held the device id alone, so each of those read all of the laptop's
change log to keep the few it wanted: 96 ms a query at 50,000 families (200,000
changes), growing with the history. The index on (device_id, seq) finds them
directly (0.2 ms) and still serves the queries by device id alone; it replaces
the old one, so a change costs no more to log.

The downgrade puts the index on device_id alone back.

Revision ID: 0039_change_log_device_seq
Revises: 0038_family_name_order
"""

from alembic import op

revision = "0039_change_log_device_seq"
down_revision = "0038_family_name_order"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_change_log_device_id", table_name="change_log")
    op.create_index("ix_change_log_device_seq", "change_log", ["device_id", "seq"])


def downgrade() -> None:
    op.drop_index("ix_change_log_device_seq", table_name="change_log")
    op.create_index("ix_change_log_device_id", "change_log", ["device_id"])
