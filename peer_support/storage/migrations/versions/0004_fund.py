"""Connectivity fund: pots, applications, payments.

Revision ID: 0004_fund
Revises: 0002_families
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_fund"
down_revision = "0002_families"
branch_labels = None
depends_on = None


def entity_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
    ]


def fk(column: str, table: str, target: str) -> sa.Column:
    return sa.Column(column, sa.String(36), sa.ForeignKey(f"{target}.id",
                     name=f"fk_{table}_{column}_{target}"), nullable=False)


def upgrade() -> None:
    op.create_table(
        "fund_pot", *entity_columns(),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("funder", sa.String(), nullable=False),
        sa.Column("budget_pence", sa.Integer(), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.String(), nullable=False),
        sa.UniqueConstraint("name", name="uq_fund_pot_name"),
    )
    op.create_table(
        "fund_application", *entity_columns(),
        sa.Column("reference", sa.String(16), nullable=False),
        fk("pot_id", "fund_application", "fund_pot"),
        fk("family_id", "fund_application", "family"),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("need", sa.String(), nullable=False),
        sa.Column("requested_pence", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("eligibility_notes", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("approved_pence", sa.Integer(), nullable=False),
        sa.Column("left_to_pay_pence", sa.Integer(), nullable=False),
        sa.Column("decided_by", sa.String(), nullable=False),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("outcome_reason", sa.String(), nullable=False),
        sa.Column("override_reason", sa.String(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.UniqueConstraint("reference", name="uq_fund_application_reference"),
    )
    for column in ("pot_id", "family_id", "received_on", "status"):
        op.create_index(f"ix_fund_application_{column}", "fund_application", [column])
    op.create_table(
        "fund_payment", *entity_columns(),
        fk("application_id", "fund_payment", "fund_application"),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("amount_pence", sa.Integer(), nullable=False),
        sa.Column("method", sa.String(), nullable=False),
        sa.Column("supplier", sa.String(), nullable=False),
        sa.Column("reference", sa.String(), nullable=False),
        sa.Column("receipt_file", sa.String(), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=False),
    )
    op.create_index("ix_fund_payment_application_id", "fund_payment", ["application_id"])


def downgrade() -> None:
    for table in ("fund_payment", "fund_application", "fund_pot"):
        op.drop_table(table)
