"""Families: a folded search column (search-as-you-type is one LIKE per word), member order.

Revision ID: 0009_families_more
Revises: 0002_families
"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0009_families_more"
down_revision = "0002_families"
branch_labels = None
depends_on = None

# A frozen copy of domain.families_rules.search_text as it was when this
# migration was written (migrations never import the live code).
_FOLDED = str.maketrans({"ø": "o", "æ": "ae", "ł": "l", "đ": "d", "ß": "ss", "œ": "oe", "ı": "i"})


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_FOLDED))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _phone_digits(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    if text.strip().startswith("+44") or (digits.startswith("44") and len(digits) == 12):
        digits = "0" + digits[2:]
    return digits


def _search_text(reference, name, postcode, phone, email) -> str:
    parts = [reference, name, postcode, re.sub(r"\s+", "", postcode), _phone_digits(phone), email]
    return _fold(" ".join(part for part in parts if part))


def upgrade() -> None:
    with op.batch_alter_table("family") as batch:
        batch.add_column(sa.Column("search_text", sa.String(), nullable=False, server_default=""))
    with op.batch_alter_table("family_member") as batch:
        batch.add_column(sa.Column("position", sa.Integer(), nullable=False, server_default="0"))
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, reference, name, postcode, phone, email FROM family")).all()
    if rows:
        connection.execute(sa.text("UPDATE family SET search_text = :text WHERE id = :id"),
                           [{"id": row[0], "text": _search_text(*row[1:])} for row in rows])


def downgrade() -> None:
    with op.batch_alter_table("family_member") as batch:
        batch.drop_column("position")
    with op.batch_alter_table("family") as batch:
        batch.drop_column("search_text")
