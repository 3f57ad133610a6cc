"""Families, members, volunteers, areas and schools.

Revision ID: 0002_families
Revises: 0001_core
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_families"
down_revision = "0001_core"
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
    for table in ("area", "school"):
        op.create_table(table, *entity_columns(),
                        sa.Column("name", sa.String(), nullable=False),
                        sa.Column("sort_order", sa.Integer(), nullable=False),
                        sa.Column("archived", sa.Boolean(), nullable=False),
                        sa.UniqueConstraint("name", name=f"uq_{table}_name"))
    op.create_table(
        "family", *entity_columns(),
        sa.Column("reference", sa.String(16), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("address", sa.String(), nullable=False),
        sa.Column("postcode", sa.String(), nullable=False),
        fk("area_id", "family", "area", nullable=True),
        sa.Column("phone", sa.String(), nullable=False),
        sa.Column("email", sa.String(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("children", sa.Integer(), nullable=True),
        sa.Column("needs_internet", sa.Boolean(), nullable=False),
        sa.Column("needs_device", sa.Boolean(), nullable=False),
        sa.Column("consent_date", sa.Date(), nullable=True),
        sa.Column("consent_contact", sa.Boolean(), nullable=False),
        sa.Column("consent_newsletter", sa.Boolean(), nullable=False),
        sa.Column("consent_photos", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.String(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("reference", name="uq_family_reference"),
    )
    for column in ("name", "postcode", "area_id", "phone", "archived"):
        op.create_index(f"ix_family_{column}", "family", [column])
    op.create_table("family_school", *entity_columns(),
                    fk("family_id", "family_school", "family"),
                    fk("school_id", "family_school", "school"))
    op.create_table("family_member", *entity_columns(),
                    fk("family_id", "family_member", "family"),
                    sa.Column("name", sa.String(), nullable=False),
                    sa.Column("relationship", sa.String(), nullable=False),
                    sa.Column("school_year", sa.Integer(), nullable=True),
                    fk("school_id", "family_member", "school", nullable=True))
    op.create_table(
        "volunteer", *entity_columns(),
        sa.Column("reference", sa.String(16), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("phone", sa.String(), nullable=False),
        sa.Column("email", sa.String(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        fk("family_id", "volunteer", "family", nullable=True),
        sa.UniqueConstraint("reference", name="uq_volunteer_reference"),
    )
    op.create_index("ix_volunteer_name", "volunteer", ["name"])
    op.create_table("volunteer_area", *entity_columns(),
                    fk("volunteer_id", "volunteer_area", "volunteer"),
                    fk("area_id", "volunteer_area", "area"))
    for table, column in (("family_school", "family_id"), ("family_school", "school_id"),
                          ("family_member", "family_id"), ("volunteer_area", "volunteer_id"),
                          ("volunteer_area", "area_id")):
        op.create_index(f"ix_{table}_{column}", table, [column])


def downgrade() -> None:
    for table in ("volunteer_area", "volunteer", "family_member", "family_school", "family",
                  "school", "area"):
        op.drop_table(table)
