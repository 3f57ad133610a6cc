"""Privacy: the record of each erasure, and families kept past the retention period.

Revision ID: 0011_privacy
Revises: 0002_families
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_privacy"
down_revision = "0002_families"
branch_labels = None
depends_on = None


def _entity_columns():
    return [sa.Column("id", sa.String(36), primary_key=True),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("deleted", sa.Boolean(), nullable=False)]


def upgrade() -> None:
    op.create_table(
        "erasure", *_entity_columns(),
        sa.Column("subject", sa.String(length=16), nullable=False),
        sa.Column("subject_id", sa.String(length=36), nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("erased_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=16), nullable=False),
        sa.Column("rows", sa.String(), nullable=False))
    op.create_index("ix_erasure_subject_id", "erasure", ["subject_id"])
    op.create_table(
        "retention_keep", *_entity_columns(),
        sa.Column("family_id", sa.String(length=36), nullable=False),
        sa.Column("kept_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("decided_by", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["family_id"], ["family.id"], name="fk_retention_keep_family_id_family"))
    op.create_index("ix_retention_keep_family_id", "retention_keep", ["family_id"])


def downgrade() -> None:
    op.drop_index("ix_retention_keep_family_id", "retention_keep")
    op.drop_table("retention_keep")
    op.drop_index("ix_erasure_subject_id", "erasure")
    op.drop_table("erasure")
