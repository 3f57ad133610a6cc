"""Families: a trigram full-text index for search in one frame, with members' names and
ø→oe/å→aa spellings (derived data, rebuilt from the families; see storage/family_search.py).

Revision ID: 0011_family_search_fts
Revises: 0010_family_search_index
"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0011_family_search_fts"
down_revision = "0010_family_search_index"
branch_labels = None
depends_on = None

# A frozen copy of domain.search.family_search_text and storage.family_search's row ids as
# they were when this migration was written (migrations never import the live code).
_TRANSLITERATED = str.maketrans({"ø": "o", "æ": "ae", "ł": "l", "đ": "d", "ß": "ss", "œ": "oe", "ı": "i",
                                 "ð": "d", "þ": "th", "ŧ": "t", "ħ": "h"})
_ALTERNATIVE = str.maketrans({"ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "ue"})
_JOINERS = re.compile(r"[-'’.]")
_USUAL_REFERENCE = re.compile(r"F(?:\d{4}|[1-9]\d{4,11})")
ARCHIVED_OFFSET = 1 << 50
OTHER_REFERENCES = 1 << 40


def _fold(text):
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_TRANSLITERATED))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _variants(word):
    first = _fold(word)
    composed = unicodedata.normalize("NFC", word.casefold())
    second = _fold(composed.translate(_ALTERNATIVE))
    return [first] if second == first else [first, second]


def _phone_digits(text):
    digits = re.sub(r"\D", "", text)
    if text.strip().startswith("+44") or (digits.startswith("44") and len(digits) == 12):
        digits = "0" + digits[2:]
    return digits


def _text(reference, name, postcode, phone, email, members):
    words = []
    for part in (reference, name, *members, postcode, re.sub(r"\s+", "", postcode), _phone_digits(phone), email):
        split = part.split()
        split += [p for w in split if _JOINERS.search(w) for p in _JOINERS.split(w) if p]
        for word in split:
            for variant in _variants(word):
                if variant and variant not in words:
                    words.append(variant)
    return "  " + "  ".join(words) + "  " if words else ""


def upgrade() -> None:
    op.create_table(
        "family_search",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("family_id", sa.String(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_family_search"),
        sa.UniqueConstraint("family_id", name="uq_family_search_family_id"),
    )
    op.execute("CREATE VIRTUAL TABLE family_search_fts USING fts5("
               "text, content='family_search', content_rowid='id', tokenize='trigram')")
    op.execute("CREATE TRIGGER family_search_ai AFTER INSERT ON family_search BEGIN "
               "INSERT INTO family_search_fts(rowid, text) VALUES (new.id, new.text); END")
    op.execute("CREATE TRIGGER family_search_ad AFTER DELETE ON family_search BEGIN "
               "INSERT INTO family_search_fts(family_search_fts, rowid, text) VALUES ('delete', old.id, old.text); END")
    op.execute("CREATE TRIGGER family_search_au AFTER UPDATE ON family_search BEGIN "
               "INSERT INTO family_search_fts(family_search_fts, rowid, text) VALUES ('delete', old.id, old.text); "
               "INSERT INTO family_search_fts(rowid, text) VALUES (new.id, new.text); END")
    connection = op.get_bind()
    families = connection.execute(sa.text(
        "SELECT id, reference, name, postcode, phone, email, archived FROM family WHERE deleted = 0")).all()
    members: dict[str, list[str]] = {}
    for family_id, name in connection.execute(sa.text(
            "SELECT family_id, name FROM family_member WHERE deleted = 0 ORDER BY position, created_at")):
        members.setdefault(family_id, []).append(name)
    taken, others = set(), {False: OTHER_REFERENCES, True: ARCHIVED_OFFSET + OTHER_REFERENCES}
    rows = []
    for family_id, reference, name, postcode, phone, email, archived in families:
        archived = bool(archived)
        offset = ARCHIVED_OFFSET if archived else 0
        row_id = offset + int(reference[1:]) if _USUAL_REFERENCE.fullmatch(reference or "") else None
        if row_id is None or row_id in taken:
            others[archived] += 1
            row_id = others[archived]
        taken.add(row_id)
        rows.append({"id": row_id, "family_id": family_id,
                     "text": _text(reference or "", name or "", postcode or "", phone or "", email or "",
                                   members.get(family_id, ()))})
    if rows:
        connection.execute(sa.text("INSERT INTO family_search (id, family_id, text) VALUES (:id, :family_id, :text)"),
                           rows)


def downgrade() -> None:
    for trigger in ("family_search_ai", "family_search_ad", "family_search_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS family_search_fts")
    op.drop_table("family_search")
