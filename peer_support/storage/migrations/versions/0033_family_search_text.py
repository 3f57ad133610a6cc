"""Families: ``family.search_text`` written again in today's format.

0009_families_more filled the column in the format of its time ("f0001 ann smith");
the app has since written it with two-space word boundaries and ø→oe/å→aa spellings
("  f0001  ann  smith  "), so a database upgraded from before 0009 kept the old text
until each family was next edited (found by tests/migrations/test_upgrade_keeps_data.py).
Derived data: worked out again from each family's details; nothing else changes.

Revision ID: 0033_family_search_text
Revises: 0011_family_search_fts
"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0033_family_search_text"
down_revision = "0011_family_search_fts"
branch_labels = None
depends_on = None

# A frozen copy of domain.search.family_search_text (without members, as
# domain.families_rules.search_text calls it) as it was when this migration was
# written (migrations never import the live code).
_TRANSLITERATED = str.maketrans({"ø": "o", "æ": "ae", "ł": "l", "đ": "d", "ß": "ss", "œ": "oe", "ı": "i",
                                 "ð": "d", "þ": "th", "ŧ": "t", "ħ": "h"})
_ALTERNATIVE = str.maketrans({"ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "ue"})
_JOINERS = re.compile(r"[-'’.]")
_SEPARATOR = "  "


def _fold(text):
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_TRANSLITERATED))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _variants(word):
    first = _fold(word)
    second = _fold(unicodedata.normalize("NFC", word.casefold()).translate(_ALTERNATIVE))
    return [first] if second == first else [first, second]


def _phone_digits(text):
    digits = re.sub(r"\D", "", text)
    if text.strip().startswith("+44") or (digits.startswith("44") and len(digits) == 12):
        digits = "0" + digits[2:]
    return digits


def _search_text(reference, name, postcode, phone, email):
    words = {}
    for part in (reference, name, postcode, re.sub(r"\s+", "", postcode), _phone_digits(phone), email):
        split = part.split()
        split += [p for w in split if _JOINERS.search(w) for p in _JOINERS.split(w) if p]
        for word in split:
            for variant in _variants(word):
                if variant:
                    words[variant] = None
    return _SEPARATOR + _SEPARATOR.join(words) + _SEPARATOR if words else ""


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, reference, name, postcode, phone, email, search_text "
                                      "FROM family")).all()
    changed = []
    for family_id, reference, name, postcode, phone, email, old in rows:
        text = _search_text(reference or "", name or "", postcode or "", phone or "", email or "")
        if text != old:
            changed.append({"id": family_id, "text": text})
    if changed:
        connection.execute(sa.text("UPDATE family SET search_text = :text WHERE id = :id"), changed)


def downgrade() -> None:
    pass  # the text in today's format is as good a search text for the schema before
