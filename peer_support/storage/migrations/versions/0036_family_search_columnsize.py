"""Families: the trigram index keeps no token counts per row (FTS5 ``columnsize=0``).

FTS5 keeps, for every row it indexes, the row's number of tokens in a shadow
table (``family_search_fts_docsize``), for ranking matches by relevance (bm25).
Search here orders matches by row id (the list's order, storage/family_search.py)
and never asks for a rank, so those counts were only ever written: one more
shadow-table row for every family added or edited, about a third of what the
index costs when a sync applies thousands of families (benchmarks/sync_apply.py).
The index is made again without them and rebuilt from ``family_search``
(derived data: the search rows themselves and everything else stay as they are).
The downgrade makes it again with the counts, rebuilt the same way.

Revision ID: 0036_family_search_columnsize
Revises: 0033_family_search_text
"""

from alembic import op

revision = "0036_family_search_columnsize"
down_revision = "0033_family_search_text"
branch_labels = None
depends_on = None

# As 0011_family_search_fts made it; the triggers on family_search stay and write to the new table.
_CREATE = ("CREATE VIRTUAL TABLE family_search_fts USING fts5("
           "text, content='family_search', content_rowid='id', tokenize='trigram'{options})")


def _make_again(options: str) -> None:
    op.execute("DROP TABLE family_search_fts")
    op.execute(_CREATE.format(options=options))
    op.execute("INSERT INTO family_search_fts(family_search_fts) VALUES ('rebuild')")


def upgrade() -> None:
    _make_again(", columnsize=0")


def downgrade() -> None:
    _make_again("")
