"""People who use the app get roles (lead, volunteer, organiser) and an optional PIN.

Everyone already on the list becomes a lead: before roles, everyone could do everything,
and nobody should be locked out by an upgrade.

Revision ID: 0032_user_roles
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op

revision = "0032_user_roles"
down_revision = "0001_core"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.add_column(sa.Column("roles", sa.String(), nullable=False, server_default="lead"))
        batch.add_column(sa.Column("pin_hash", sa.String(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("pin_hash")
        batch.drop_column("roles")
