"""Families: a covering index for search-as-you-type counts.

Revision ID: 0010_family_search_index
Revises: 0009_families_more
"""

from alembic import op

revision = "0010_family_search_index"
down_revision = "0009_families_more"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_family_search", "family", ["deleted", "archived", "search_text"])


def downgrade() -> None:
    op.drop_index("ix_family_search", table_name="family")
