"""Newsletter issues, language versions, sections and their texts.

Revision ID: 0006_newsletter
Revises: 0002_families
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_newsletter"
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
        "newsletter_issue", *entity_columns(),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("template", sa.String(32), nullable=False),
        sa.Column("automatic", sa.String(), nullable=False),
        sa.Column("tip_compartment", sa.String(16), nullable=False),
        sa.UniqueConstraint("number", name="uq_newsletter_issue_number"),
    )
    op.create_table(
        "newsletter_version", *entity_columns(),
        fk("issue_id", "newsletter_version", "newsletter_issue"),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("tip_text", sa.String(), nullable=False),
    )
    op.create_table(
        "newsletter_section", *entity_columns(),
        fk("issue_id", "newsletter_section", "newsletter_issue"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("image_file", sa.String(), nullable=False),
    )
    op.create_table(
        "newsletter_section_text", *entity_columns(),
        fk("section_id", "newsletter_section_text", "newsletter_section"),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("heading", sa.String(), nullable=False),
        sa.Column("body", sa.String(), nullable=False),
        sa.Column("caption", sa.String(), nullable=False),
    )
    for table, column in (("newsletter_version", "issue_id"), ("newsletter_section", "issue_id"),
                          ("newsletter_section_text", "section_id")):
        op.create_index(f"ix_{table}_{column}", table, [column])


def downgrade() -> None:
    for table in ("newsletter_section_text", "newsletter_section", "newsletter_version",
                  "newsletter_issue"):
        op.drop_table(table)
