"""Families: the search text column goes; the search rows (``family_search``) hold it.

``family.search_text`` (0009) was searched with LIKE until the trigram index
(0011, 0033) took over; since then it was written by every change of a family
and read by nothing: a second folded copy of names, phone numbers and emails
for erasure to blank and every write to index. Its index goes with it, and a
small index on (deleted, archived, consent_date) keeps counting the list's
current families, and the dashboard's without consent, off the wide table.
Dropped in place (SQLite 3.35 and later): no copy of the table. An older SQLite
cannot drop a column in place; there it stays, emptied (nothing writes or reads
it again; new rows get its default, '').

The downgrade adds the column back with each family's text (without members, as
the earlier version kept it), computed from a frozen copy of its rule, and its index.

Revision ID: 0037_family_search_text_dropped
Revises: 0036_family_search_columnsize
"""

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0037_family_search_text_dropped"
down_revision = "0036_family_search_columnsize"
branch_labels = None
depends_on = None


def _sqlite_version() -> tuple[int, ...]:
    text = op.get_bind().exec_driver_sql("SELECT sqlite_version()").scalar()
    return tuple(int(part) for part in str(text).split("."))


def _has_search_text() -> bool:
    columns = op.get_bind().exec_driver_sql("PRAGMA table_info(family)").fetchall()
    return any(column[1] == "search_text" for column in columns)


def upgrade() -> None:
    op.drop_index("ix_family_search", table_name="family")
    if _sqlite_version() >= (3, 35):
        op.execute("ALTER TABLE family DROP COLUMN search_text")
    else:  # no copy of names, phones and emails left behind for erasure to miss
        op.execute("UPDATE family SET search_text = ''")
    op.create_index("ix_family_live", "family", ["deleted", "archived", "consent_date"])


# A frozen copy of domain.search.family_search_text (members aside) as the column held it when
# this migration was written (migrations never import the live code).
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


def _text(reference, name, postcode, phone, email):
    words = {}
    for part in (reference, name, postcode, re.sub(r"\s+", "", postcode), _phone_digits(phone), email):
        split = part.split()
        split += [p for w in split if _JOINERS.search(w) for p in _JOINERS.split(w) if p]
        for word in split:
            for variant in _variants(word):
                if variant:
                    words[variant] = None
    return _SEPARATOR + _SEPARATOR.join(words) + _SEPARATOR if words else ""


def downgrade() -> None:
    op.drop_index("ix_family_live", table_name="family")
    if not _has_search_text():
        op.execute("ALTER TABLE family ADD COLUMN search_text VARCHAR DEFAULT '' NOT NULL")
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, reference, name, postcode, phone, email FROM family")).all()
    if rows:
        connection.execute(sa.text("UPDATE family SET search_text = :text WHERE id = :id"),
                           [{"id": row[0], "text": _text(*(value or "" for value in row[1:]))} for row in rows])
    op.create_index("ix_family_search", "family", ["deleted", "archived", "search_text"])
