"""Keeping the family search index in step: ``refresh_family_search`` is the one way to do it.

Search text is derived data (STYLE.md, "Derived data is rebuilt"): it is
computed from a family's current row and its members' names after every
change, never written by hand and never merged by sync. The unit of work calls
``refresh_family_search`` for every family whose row or members an action
touched, in the same transaction; sync calls it for the families a journal
file changed. It takes a DB-API connection (sqlite3 or sqlcipher3) so the
plain-SQL paths can use it without SQLAlchemy.

Row ids (see storage/tables/search.py): a reference of the usual shape
(``F0042``, ``F10000``) gets its number, so row-id order is the list's order
by reference; any other reference gets a number after all of those. Archived
families are offset by ``ARCHIVED_OFFSET``; deleted ones have no row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Set as AbstractSet

from peer_support.domain.search import family_search_text

SEARCH_TABLE = "family_search"
FTS_TABLE = "family_search_fts"
ARCHIVED_OFFSET = 1 << 50
OTHER_REFERENCES = 1 << 40  # row ids for references not of the form F + number
_USUAL_REFERENCE = re.compile(r"F(?:\d{4}|[1-9]\d{4,11})")
_CHUNK = 400
_PER_STATEMENT = 300  # rows per INSERT: 900 parameters, under SQLite's oldest limit of 999


def usual_rank(reference: str) -> int | None:
    """The reference's number when numeric order is the list's order ('F0042' -> 42), else None."""
    return int(reference[1:]) if _USUAL_REFERENCE.fullmatch(reference) else None


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def refresh_family_search(connection, family_ids: Iterable[str] | None = None) -> int:
    """Recompute the search rows of ``family_ids`` (every family when None) from their current rows.

    Runs inside the caller's transaction on a DB-API connection; does not commit.
    Returns how many families are now in the index among those asked for.
    """
    if family_ids is None:
        connection.execute(f"DELETE FROM {SEARCH_TABLE}")
        ids = [row[0] for row in connection.execute("SELECT id FROM family WHERE deleted = 0")]
    else:
        ids = sorted(set(family_ids))
        for chunk in _chunks(ids):
            marks = ",".join("?" * len(chunk))
            connection.execute(f"DELETE FROM {SEARCH_TABLE} WHERE family_id IN ({marks})", chunk)
    written = 0
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        families = connection.execute(
            f"SELECT id, reference, name, postcode, phone, email, archived FROM family "
            f"WHERE deleted = 0 AND id IN ({marks})", chunk).fetchall()
        members: dict[str, list[str]] = {}
        for family_id, name in connection.execute(
                f"SELECT family_id, name FROM family_member WHERE deleted = 0 AND family_id IN ({marks}) "
                f"ORDER BY position, created_at", chunk):
            members.setdefault(family_id, []).append(name)
        rows: list[tuple[int, str, str]] = []
        taken: set[int] = set()  # ids given in this chunk, not inserted yet
        others: dict[bool, int] = {}  # the last id given in the "other references" range, per archived
        for family_id, reference, name, postcode, phone, email, archived in families:
            text = family_search_text(reference or "", name or "", postcode or "", phone or "", email or "",
                                      members.get(family_id, ()))
            row_id = _row_id(connection, reference or "", bool(archived), taken, others)
            taken.add(row_id)
            rows.append((row_id, family_id, text))
        _insert(connection, rows)
        written += len(rows)
    return written


def _insert(connection, rows: list[tuple[int, str, str]]) -> None:
    """Search rows in statements of up to ``_PER_STATEMENT`` rows each, not one statement a row.

    Each statement that writes the FTS5 index through the insert trigger opens a statement
    savepoint, and FTS5 writes its pending terms out as a new segment at every savepoint
    (to be merged again later): one row a statement cost a segment per family, four to five
    times the work of the index itself (benchmarks/sync_apply.py).
    """
    for start in range(0, len(rows), _PER_STATEMENT):
        part = rows[start:start + _PER_STATEMENT]
        marks = ", ".join(["(?, ?, ?)"] * len(part))
        connection.execute(f"INSERT INTO {SEARCH_TABLE} (id, family_id, text) VALUES {marks}",
                           [value for row in part for value in row])


def _row_id(connection, reference: str, archived: bool, taken: AbstractSet[int] = frozenset(),
            others: dict[bool, int] | None = None) -> int:
    offset = ARCHIVED_OFFSET if archived else 0
    rank = usual_rank(reference)
    if rank is not None:
        wanted = offset + rank
        if wanted not in taken and connection.execute(
                f"SELECT 1 FROM {SEARCH_TABLE} WHERE id = ?", (wanted,)).fetchone() is None:
            return wanted
    others = {} if others is None else others
    if archived not in others:
        low, high = offset + OTHER_REFERENCES, offset + ARCHIVED_OFFSET - 1 if not archived else (1 << 62)
        last = connection.execute(f"SELECT max(id) FROM {SEARCH_TABLE} WHERE id >= ? AND id < ?",
                                  (low, high)).fetchone()[0]
        # Two references of another shape in one chunk (e.g. sync's provisional "F0008~3a9c") get two
        # ids: counted on from the highest in use, once per chunk (not a scan per family).
        others[archived] = max([last or low, *(i for i in taken if low <= i < high)])
    others[archived] += 1
    return others[archived]


def driver_connection(session):
    """The DB-API connection under a SQLAlchemy session, in the session's transaction."""
    return session.connection().connection.driver_connection
