"""Families: indexes for search as you type (the count, and the first page in list order).

Revision ID: 0010_family_search_index
Revises: 0009_families_more
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_family_search_index"
down_revision = "0009_families_more"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_family_search", "family", ["deleted", "archived", "search_text"])
    op.create_index("ix_family_reference_order", "family", [sa.text("length(reference)"), "reference"])


def downgrade() -> None:
    op.drop_index("ix_family_reference_order", table_name="family")
    op.drop_index("ix_family_search", table_name="family")
