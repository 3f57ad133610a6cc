"""Feedback forms: questionnaires, questions, returned forms and their answers.

Revision ID: 0030_outcomes
Revises: 0003_meetings
"""

import sqlalchemy as sa
from alembic import op

revision = "0030_outcomes"
down_revision = "0003_meetings"
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


def in_languages(name: str) -> list[sa.Column]:
    return [sa.Column(f"{name}_{language}", sa.String(), nullable=False)
            for language in ("en", "da", "de", "pl")]


def upgrade() -> None:
    op.create_table(
        "questionnaire", *entity_columns(),
        sa.Column("reference", sa.String(16), nullable=False),
        sa.Column("builtin", sa.String(32), nullable=False),
        *in_languages("title"),
        sa.Column("repeated", sa.Boolean(), nullable=False),
        sa.Column("archived", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("reference", name="uq_questionnaire_reference"))
    op.create_table(
        "questionnaire_question", *entity_columns(),
        fk("questionnaire_id", "questionnaire_question", "questionnaire"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("compartment", sa.String(16), nullable=False),
        *in_languages("text"),
        *in_languages("choices"))
    op.create_index("ix_questionnaire_question_questionnaire_id", "questionnaire_question", ["questionnaire_id"])
    op.create_table(
        "form_response", *entity_columns(),
        fk("questionnaire_id", "form_response", "questionnaire"),
        fk("family_id", "form_response", "family", nullable=True),
        fk("meeting_id", "form_response", "meeting", nullable=True),
        sa.Column("answered_on", sa.Date(), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("channel", sa.String(8), nullable=False))
    for column in ("questionnaire_id", "family_id", "meeting_id", "answered_on"):
        op.create_index(f"ix_form_response_{column}", "form_response", [column])
    op.create_table(
        "form_answer", *entity_columns(),
        fk("response_id", "form_answer", "form_response"),
        fk("question_id", "form_answer", "questionnaire_question"),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("text", sa.String(), nullable=False))
    op.create_index("ix_form_answer_response_id", "form_answer", ["response_id"])


def downgrade() -> None:
    for table in ("form_answer", "form_response", "questionnaire_question", "questionnaire"):
        op.drop_table(table)
