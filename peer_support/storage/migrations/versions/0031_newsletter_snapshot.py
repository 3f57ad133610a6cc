"""Newsletter: a final issue keeps the automatic sections it printed (a JSON snapshot).

Revision ID: 0031_newsletter_snapshot
Revises: 0006_newsletter
"""

import sqlalchemy as sa
from alembic import op

revision = "0031_newsletter_snapshot"
down_revision = "0006_newsletter"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("newsletter_issue") as batch:
        batch.add_column(sa.Column("snapshot", sa.String(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("newsletter_issue") as batch:
        batch.drop_column("snapshot")
