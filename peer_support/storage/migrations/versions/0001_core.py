"""Core: settings, users, actions, change log, device state.

Revision ID: 0001_core
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_core"
down_revision = None
branch_labels = None
depends_on = None


def entity_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table("setting", *entity_columns(), sa.Column("value", sa.String(), nullable=False))
    op.create_table("app_user", *entity_columns(),
                    sa.Column("name", sa.String(), nullable=False),
                    sa.Column("active", sa.Boolean(), nullable=False))
    op.create_index("ix_app_user_name", "app_user", ["name"])
    op.create_table(
        "action",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("undoes", sa.String(36), nullable=True),
    )
    op.create_table(
        "change_log",
        sa.Column("change_id", sa.String(36), primary_key=True),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hlc", sa.String(), nullable=False),
        sa.Column("action_id", sa.String(36), nullable=False),
        sa.Column("entity", sa.String(), nullable=False),
        sa.Column("entity_id", sa.String(36), nullable=False),
        sa.Column("op", sa.String(), nullable=False),
        sa.Column("changes", sa.String(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("schema_rev", sa.String(), nullable=False),
    )
    for column in ("device_id", "hlc", "action_id", "entity_id"):
        op.create_index(f"ix_change_log_{column}", "change_log", [column])
    op.create_table(
        "device_state",
        sa.Column("device_id", sa.String(36), primary_key=True),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("hlc_millis", sa.Integer(), nullable=False),
        sa.Column("hlc_counter", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    for table in ("device_state", "change_log", "action", "app_user", "setting"):
        op.drop_table(table)
