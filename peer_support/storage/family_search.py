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
import sqlite3
from collections.abc import Iterable

from peer_support.domain.search import family_search_text

SEARCH_TABLE = "family_search"
FTS_TABLE = "family_search_fts"
ARCHIVED_OFFSET = 1 << 50
OTHER_REFERENCES = 1 << 40  # row ids for references not of the form F + number
_USUAL_REFERENCE = re.compile(r"F(?:\d{4}|[1-9]\d{4,11})")
_CHUNK = 400  # families read per query
_OLDEST_LIMIT = 999  # parameters per statement: SQLite's limit before 3.32
_MOST_PARAMETERS = 30_000  # and at most this many, whatever the build allows (statement size)


def usual_rank(reference: str) -> int | None:
    """The reference's number when numeric order is the list's order ('F0042' -> 42), else None."""
    return int(reference[1:]) if _USUAL_REFERENCE.fullmatch(reference) else None


def _chunks(items: list, size: int = _CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def refresh_family_search(connection, family_ids: Iterable[str] | None = None) -> int:
    """Recompute the search rows of ``family_ids`` (every family when None) from their current rows.

    Runs inside the caller's transaction on a DB-API connection; does not commit.
    Returns how many families are now in the index among those asked for.

    A family whose search row already holds its text under the right row id keeps it (an
    edit of an address or a note costs the index nothing); the others' rows are deleted and
    written again, each in as few statements as the connection allows (see ``_insert``).
    """
    if family_ids is None:
        connection.execute(f"DELETE FROM {SEARCH_TABLE}")
        ids = [row[0] for row in connection.execute("SELECT id FROM family WHERE deleted = 0")]
    else:
        ids = sorted(set(family_ids))
    wanted: list[tuple[str, str, bool, str]] = []  # family id, reference, archived, text
    stale: list[int] = []  # the search rows that go (their family changed, was deleted or is gone)
    kept = 0
    for chunk in _chunks(ids):
        marks = ",".join("?" * len(chunk))
        # By id alone, the deleted ones left out here: with "deleted = 0" in the query SQLite's
        # planner chose the index on (deleted, archived, search_text) and read every family for
        # each chunk (the whole table for one edited family).
        families = [row[:-1] for row in connection.execute(
            f"SELECT id, reference, name, postcode, phone, email, archived, deleted FROM family "
            f"WHERE id IN ({marks})", chunk) if not row[-1]]
        members: dict[str, list[str]] = {}
        if families:
            for family_id, name in connection.execute(
                    f"SELECT family_id, name FROM family_member WHERE deleted = 0 AND family_id IN ({marks}) "
                    f"ORDER BY position, created_at", chunk):
                members.setdefault(family_id, []).append(name)
        current: dict[str, tuple[int, str]] = {}
        if family_ids is not None:
            current = {family_id: (row_id, text) for row_id, family_id, text in connection.execute(
                f"SELECT id, family_id, text FROM {SEARCH_TABLE} WHERE family_id IN ({marks})", chunk)}
        for family_id, reference, name, postcode, phone, email, archived in families:
            text = family_search_text(reference or "", name or "", postcode or "", phone or "", email or "",
                                      members.get(family_id, ()))
            row = current.pop(family_id, None)
            if row is not None:
                if row[1] == text and _fits(row[0], reference or "", bool(archived)):
                    kept += 1
                    continue
                stale.append(row[0])
            wanted.append((family_id, reference or "", bool(archived), text))
        stale.extend(row_id for row_id, _text in current.values())  # deleted or gone families
    for chunk in _chunks(stale, _limit(connection)):
        connection.execute(f"DELETE FROM {SEARCH_TABLE} WHERE id IN ({','.join('?' * len(chunk))})", chunk)
    rows = _with_row_ids(connection, wanted)
    _insert(connection, rows)
    return kept + len(rows)


def _fits(row_id: int, reference: str, archived: bool) -> bool:
    """Whether a search row's id is the one ``_with_row_ids`` would give the family now (or, for a
    reference of another shape, one of the range it would give it)."""
    offset = ARCHIVED_OFFSET if archived else 0
    rank = usual_rank(reference)
    if rank is not None:
        return row_id == offset + rank
    low, high = _other_range(archived)
    return low < row_id < high


def _other_range(archived: bool) -> tuple[int, int]:
    """The row ids given to references of another shape: (lowest, past the highest)."""
    if archived:
        return ARCHIVED_OFFSET + OTHER_REFERENCES, 1 << 62
    return OTHER_REFERENCES, ARCHIVED_OFFSET - 1


def _with_row_ids(connection, wanted: list[tuple[str, str, bool, str]]) -> list[tuple[int, str, str]]:
    """(row id, family id, text) for families whose search rows are written again: a usual
    reference gets its number unless a row holds it already, the others (and those) get the
    next free ids of the "other references" range (its highest in use read once)."""
    ranked = [(ARCHIVED_OFFSET if archived else 0) + rank
              for _id, reference, archived, _text in wanted if (rank := usual_rank(reference)) is not None]
    taken: set[int] = set()
    for chunk in _chunks(ranked, _limit(connection)):
        taken.update(row[0] for row in connection.execute(
            f"SELECT id FROM {SEARCH_TABLE} WHERE id IN ({','.join('?' * len(chunk))})", chunk))
    others: dict[bool, int] = {}  # the last id given in the "other references" range, per archived
    rows: list[tuple[int, str, str]] = []
    for family_id, reference, archived, text in wanted:
        offset = ARCHIVED_OFFSET if archived else 0
        rank = usual_rank(reference)
        if rank is not None and offset + rank not in taken:
            row_id = offset + rank
        else:
            if archived not in others:
                low, high = _other_range(archived)
                last = connection.execute(f"SELECT max(id) FROM {SEARCH_TABLE} WHERE id >= ? AND id < ?",
                                          (low, high)).fetchone()[0]
                # Two references of another shape (e.g. sync's provisional "F0008~3a9c") get two ids:
                # counted on from the highest in use, read once (not a scan per family).
                others[archived] = last or low
            others[archived] += 1
            row_id = others[archived]
        taken.add(row_id)
        rows.append((row_id, family_id, text))
    return rows


def _limit(connection) -> int:
    """How many parameters one statement may bind on this connection (999 when it cannot say:
    SQLite's oldest limit)."""
    getlimit = getattr(connection, "getlimit", None)
    if getlimit is None:
        return _OLDEST_LIMIT
    try:
        return max(_OLDEST_LIMIT, min(getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER), _MOST_PARAMETERS))
    except (sqlite3.Error, AttributeError):
        return _OLDEST_LIMIT


def _insert(connection, rows: list[tuple[int, str, str]]) -> None:
    """Search rows in as few statements as the parameter limit allows, not one statement a row.

    Each statement that writes the FTS5 index through the insert trigger opens a statement
    savepoint, and FTS5 writes its pending terms out as a new segment at every savepoint
    (to be merged again later): one row a statement cost a segment per family, four to five
    times the work of the index itself (benchmarks/sync_apply.py).
    """
    per_statement = _limit(connection) // 3
    for start in range(0, len(rows), per_statement):
        part = rows[start:start + per_statement]
        marks = ", ".join(["(?, ?, ?)"] * len(part))
        connection.execute(f"INSERT INTO {SEARCH_TABLE} (id, family_id, text) VALUES {marks}",
                           [value for row in part for value in row])


def drop_deleted_postings(connection) -> None:
    """Merge the index's segments into one that holds only the current rows.

    FTS5 takes a row out of the index by adding a deletion to a newer segment: the row's
    postings (each trigram of its text, with its position, from which the text can be read
    back) stay in the older segments until FTS5 happens to merge them. After an erasure the
    erased family's name, phone and email must not stay there (services/privacy.py); 'optimize'
    rewrites the index without them. Runs in the caller's transaction; does not commit."""
    connection.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")


def driver_connection(session):
    """The DB-API connection under a SQLAlchemy session, in the session's transaction."""
    return session.connection().connection.driver_connection
