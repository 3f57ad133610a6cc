"""Sync between laptops: ledger, field clocks, knowledge, pending changes, conflicts.

Revision ID: 0008_sync
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op

revision = "0008_sync"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("sync_state",
                    sa.Column("key", sa.String(), primary_key=True),
                    sa.Column("value", sa.String(), nullable=False))
    op.create_table("sync_peer",
                    sa.Column("device_id", sa.String(36), primary_key=True),
                    sa.Column("applied_seq", sa.Integer(), nullable=False),
                    sa.Column("applied_at", sa.DateTime(), nullable=True))
    op.create_table("sync_applied_file",
                    sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("device_id", sa.String(36), nullable=False),
                    sa.Column("first_seq", sa.Integer(), nullable=False),
                    sa.Column("last_seq", sa.Integer(), nullable=False),
                    sa.Column("file_name", sa.String(), nullable=False),
                    sa.Column("sha256", sa.String(), nullable=False),
                    sa.Column("applied_at", sa.DateTime(), nullable=False),
                    sa.Column("local_seq", sa.Integer(), nullable=False))
    op.create_index("ix_sync_applied_file_device_id", "sync_applied_file", ["device_id"])
    op.create_table("sync_knowledge",
                    sa.Column("device_id", sa.String(36), primary_key=True),
                    sa.Column("from_seq", sa.Integer(), primary_key=True),
                    sa.Column("seen", sa.String(), nullable=False))
    op.create_table("sync_field_clock",
                    sa.Column("entity", sa.String(), primary_key=True),
                    sa.Column("entity_id", sa.String(36), primary_key=True),
                    sa.Column("field", sa.String(), primary_key=True),
                    sa.Column("hlc", sa.String(), nullable=False),
                    sa.Column("device_id", sa.String(36), nullable=False),
                    sa.Column("seq", sa.Integer(), nullable=False))
    op.create_table("sync_pending",
                    sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("entity_id", sa.String(36), nullable=False),
                    sa.Column("waits_for", sa.String(36), nullable=False),
                    sa.Column("change", sa.String(), nullable=False))
    op.create_index("ix_sync_pending_entity_id", "sync_pending", ["entity_id"])
    op.create_index("ix_sync_pending_waits_for", "sync_pending", ["waits_for"])
    op.create_table("sync_conflict",
                    sa.Column("id", sa.String(36), primary_key=True),
                    sa.Column("kind", sa.String(), nullable=False),
                    sa.Column("entity", sa.String(), nullable=False),
                    sa.Column("entity_id", sa.String(36), nullable=False),
                    sa.Column("field", sa.String(), nullable=False),
                    sa.Column("base_value", sa.String(), nullable=False),
                    sa.Column("local_value", sa.String(), nullable=False),
                    sa.Column("remote_value", sa.String(), nullable=False),
                    sa.Column("local_hlc", sa.String(), nullable=False),
                    sa.Column("remote_hlc", sa.String(), nullable=False),
                    sa.Column("local_device", sa.String(), nullable=False),
                    sa.Column("local_seq", sa.Integer(), nullable=False),
                    sa.Column("remote_device", sa.String(), nullable=False),
                    sa.Column("remote_seq", sa.Integer(), nullable=False),
                    sa.Column("winner", sa.String(), nullable=False),
                    sa.Column("note", sa.String(), nullable=False),
                    sa.Column("detected_at", sa.DateTime(), nullable=False),
                    sa.Column("resolved", sa.Boolean(), nullable=False),
                    sa.Column("resolution", sa.String(), nullable=False),
                    sa.Column("resolved_by", sa.String(), nullable=False),
                    sa.Column("resolved_at", sa.DateTime(), nullable=True))
    op.create_index("ix_sync_conflict_entity_id", "sync_conflict", ["entity_id"])
    op.create_index("ix_sync_conflict_resolved", "sync_conflict", ["resolved"])
    op.create_table("sync_resolution",
                    sa.Column("id", sa.String(36), primary_key=True),
                    sa.Column("created_at", sa.DateTime(), nullable=False),
                    sa.Column("deleted", sa.Boolean(), nullable=False),
                    sa.Column("target_entity", sa.String(), nullable=False),
                    sa.Column("target_id", sa.String(36), nullable=False),
                    sa.Column("target_field", sa.String(), nullable=False),
                    sa.Column("choice", sa.String(), nullable=False),
                    sa.Column("value", sa.String(), nullable=False),
                    sa.Column("seen", sa.String(), nullable=False))
    op.create_index("ix_sync_resolution_target_id", "sync_resolution", ["target_id"])


def downgrade() -> None:
    for table in ("sync_resolution", "sync_conflict", "sync_pending", "sync_field_clock",
                  "sync_knowledge", "sync_applied_file", "sync_peer", "sync_state"):
        op.drop_table(table)
