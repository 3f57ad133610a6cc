"""Activity packs: batches, runs, packs and delivery events.

Revision ID: 0005_packs
Revises: 0002_families
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_packs"
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
        "pack_batch", *entity_columns(),
        sa.Column("reference", sa.String(16), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("contents", sa.String(), nullable=False),
        sa.Column("packed_on", sa.Date(), nullable=True),
        sa.Column("target", sa.String(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("reference", name="uq_pack_batch_reference"),
    )
    op.create_table(
        "pack_run", *entity_columns(),
        fk("batch_id", "pack_run", "pack_batch"),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        fk("volunteer_id", "pack_run", "volunteer", nullable=True),
    )
    op.create_index("ix_pack_run_batch_id", "pack_run", ["batch_id"])
    op.create_table(
        "pack", *entity_columns(),
        fk("batch_id", "pack", "pack_batch"),
        fk("family_id", "pack", "family"),
        sa.Column("code", sa.String(8), nullable=False),
        fk("run_id", "pack", "pack_run", nullable=True),
        sa.Column("run_position", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("status_at", sa.DateTime(), nullable=True),
        fk("volunteer_id", "pack", "volunteer", nullable=True),
        sa.Column("note", sa.String(), nullable=False),
        sa.UniqueConstraint("code", name="uq_pack_code"),
    )
    for column in ("batch_id", "family_id", "run_id"):
        op.create_index(f"ix_pack_{column}", "pack", [column])
    op.create_table(
        "pack_event", *entity_columns(),
        fk("pack_id", "pack_event", "pack"),
        fk("batch_id", "pack_event", "pack_batch"),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        fk("volunteer_id", "pack_event", "volunteer", nullable=True),
        sa.Column("note", sa.String(), nullable=False),
    )
    for column in ("pack_id", "batch_id"):
        op.create_index(f"ix_pack_event_{column}", "pack_event", [column])


def downgrade() -> None:
    for table in ("pack_event", "pack", "pack_run", "pack_batch"):
        op.drop_table(table)
