"""Meetings, meeting series, attendance and meeting actions.

Revision ID: 0003_meetings
Revises: 0002_families
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_meetings"
down_revision = "0002_families"
branch_labels = None
depends_on = None


def entity_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
    ]


def fk(column: str, table: str, target: str, nullable: bool = False) -> sa.Column:
    return sa.Column(column, sa.String(36), sa.ForeignKey(f"{target}.id",
                     name=f"fk_{table}_{column}_{target}"), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "meeting_series", *entity_columns(),
        sa.Column("rule", sa.String(), nullable=False),
        sa.Column("first_on", sa.Date(), nullable=False),
        sa.Column("last_on", sa.Date(), nullable=False),
        sa.Column("start_time", sa.String(5), nullable=False),
        sa.Column("end_time", sa.String(5), nullable=False),
        sa.Column("skipped", sa.String(), nullable=False))
    op.create_table(
        "meeting", *entity_columns(),
        sa.Column("reference", sa.String(16), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("venue", sa.String(), nullable=False),
        sa.Column("online_link", sa.String(), nullable=False),
        sa.Column("topic", sa.String(), nullable=False),
        sa.Column("facilitator", sa.String(), nullable=False),
        sa.Column("agenda", sa.String(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("cancel_reason", sa.String(), nullable=False),
        sa.Column("tags", sa.String(), nullable=False),
        sa.Column("walk_in_guests", sa.Integer(), nullable=False),
        sa.Column("creche_children", sa.Integer(), nullable=False),
        fk("series_id", "meeting", "meeting_series", nullable=True),
        sa.UniqueConstraint("reference", name="uq_meeting_reference"))
    op.create_index("ix_meeting_starts_at", "meeting", ["starts_at"])
    op.create_table(
        "attendance", *entity_columns(),
        fk("meeting_id", "attendance", "meeting"),
        fk("family_id", "attendance", "family"),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("marked_at", sa.DateTime(), nullable=True))
    op.create_index("ix_attendance_meeting_id", "attendance", ["meeting_id"])
    op.create_index("ix_attendance_family_id", "attendance", ["family_id"])
    op.create_table(
        "meeting_action", *entity_columns(),
        fk("meeting_id", "meeting_action", "meeting"),
        sa.Column("description", sa.String(), nullable=False),
        fk("owner_volunteer_id", "meeting_action", "volunteer", nullable=True),
        fk("owner_family_id", "meeting_action", "family", nullable=True),
        fk("owner_member_id", "meeting_action", "family_member", nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=True))
    op.create_index("ix_meeting_action_meeting_id", "meeting_action", ["meeting_id"])
    op.create_index("ix_meeting_action_done", "meeting_action", ["done"])


def downgrade() -> None:
    for table in ("meeting_action", "attendance", "meeting", "meeting_series"):
        op.drop_table(table)
