"""Derived search data: rebuilt from the families and their members, never synced or logged.

``family_search`` holds each current family's folded search text
(domain.search.family_search_text); ``family_search_fts`` (an FTS5 trigram
index over it, created by migration 0011 with its triggers) finds matches by
substring in well under a millisecond at 50,000 families. The row id is chosen
so that its order is the families list's default order (references by number,
archived families after current ones): the first page of a search is the first
matching row ids, with no sort. See storage/family_search.py.
"""

from __future__ import annotations

from sqlalchemy import Column, Integer, String, Table
from sqlmodel import SQLModel

family_search = Table(
    "family_search", SQLModel.metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("family_id", String, nullable=False, unique=True),
    Column("text", String, nullable=False),
)
