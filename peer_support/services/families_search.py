"""Finding families fast: filtered, sorted pages and counts for the lazy list, and the
one family search every other place uses (``find_families``).

Typed text is matched through the trigram index ``family_search_fts``
(domain/search.py folds both sides; storage/family_search.py keeps the index in
step). Its row ids are in the list's default order, so with only text typed
(the usual search as you type) the count and the first page are each one
index query in plain SQL, well inside one frame at 50,000 families
(benchmarks/families_search.py). Other filters and sorts join the index to the
family table through SQLAlchemy.
"""

from __future__ import annotations

from datetime import date

from typing import TYPE_CHECKING, Any

from peer_support.domain.families import SORT_KEYS, FamilyQuery, FamilyRow
from peer_support.domain.search import fts_query
from peer_support.storage.conditions import is_false, is_true, live, unindexed
from peer_support.storage.family_search import ARCHIVED_OFFSET, FTS_TABLE, SEARCH_TABLE
from peer_support.domain.roles import Permission
from peer_support.services.access import internal_read, require

if TYPE_CHECKING:
    from sqlmodel import Session

    from peer_support.context import AppContext

# SQLAlchemy and the table classes are imported inside the functions that build ORM queries:
# search as you type and ``families list`` with no other filter are plain SQL and need neither.

_ROW_COLUMNS = ("f.id, f.reference, f.name, f.postcode, coalesce(a.name, ''), f.phone, f.language, "
                "f.children, f.needs_internet, f.needs_device, f.archived")


def _matching_ids(match: str):
    """Family ids whose search text matches an FTS5 expression (a SQL fragment with a bound parameter)."""
    from sqlalchemy import text

    return text(f"SELECT family_id FROM {SEARCH_TABLE} WHERE id IN "
                f"(SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :match)").bindparams(match=match)


def family_conditions(query: FamilyQuery, *, sorted_list: bool = False) -> list:
    """WHERE clauses for a query (on Family, with Area/School looked up by name).

    ``sorted_list``: for a query that sorts the families it finds (a page, an export): "not
    deleted" and "not archived", which most families meet, are kept off the small index on
    (deleted, archived, consent_date) (``unindexed``). Through it SQLite read every family out
    of order before sorting: 65-75 ms for a first page at 50,000 families, 19 ms by the table."""
    from sqlalchemy import exists, false, func
    from sqlmodel import col, select

    from peer_support.storage.tables.families import Area, Family, FamilySchool, School

    broad = sorted_list and query.archived != "archived"  # archived families are few: by the index
    conditions = [unindexed(Family.deleted) == false() if broad else live(Family)]
    if query.archived == "active":
        conditions.append(unindexed(Family.archived) == false() if broad else is_false(Family.archived))
    elif query.archived == "archived":
        conditions.append(is_true(Family.archived))
    match = fts_query(query.text)
    if match is not None:
        conditions.append(col(Family.id).in_(_matching_ids(match)))
    if query.area:
        area_ids = select(Area.id).where(func.lower(Area.name) == query.area.lower())
        conditions.append(col(Family.area_id).in_(area_ids))
    if query.school:
        conditions.append(exists().where(
            col(FamilySchool.family_id) == Family.id, live(FamilySchool),
            col(FamilySchool.school_id).in_(select(School.id).where(func.lower(School.name)
                                                               == query.school.lower()))))
    if query.language:
        conditions.append(col(Family.language) == query.language)
    if query.needs == "internet":
        conditions.append(is_true(Family.needs_internet))
    elif query.needs == "device":
        conditions.append(is_true(Family.needs_device))
    elif query.needs == "any":
        conditions.append(is_true(Family.needs_internet) | is_true(Family.needs_device))
    if query.special:
        from peer_support.services.family_lists import family_list_conditions

        conditions.extend(family_list_conditions(query.special, query.as_of or date.today()))
    return conditions


def _order(query: FamilyQuery) -> list:
    from sqlalchemy import func

    from peer_support.storage.tables.families import Area, Family

    key = query.sort if query.sort in SORT_KEYS else "reference"
    # References sort by number: F10000 after F9999.
    orders: dict[str, list[Any]] = {
        "reference": [func.length(Family.reference), Family.reference],
        "name": [func.lower(Family.name)], "postcode": [Family.postcode],
        "area": [func.coalesce(Area.sort_order, 999_999), Area.name], "phone": [Family.phone],
        "language": [Family.language], "children": [func.coalesce(Family.children, -1)]}
    columns = orders[key]
    tie_breaker: list[Any] = [func.length(Family.reference), Family.reference]
    if query.descending:
        return [column.desc() for column in columns] + [t.desc() for t in tie_breaker]
    return columns + tie_breaker


def family_select(query: FamilyQuery):
    """SELECT Family rows matching ``query`` in its order (for records and exports)."""
    from sqlmodel import col, select

    from peer_support.storage.tables.families import Area, Family

    statement = select(Family).where(*family_conditions(query, sorted_list=True))
    if query.sort == "area":
        statement = statement.outerjoin(Area, col(Area.id) == Family.area_id)
    return statement.order_by(*_order(query))


def count_matching(session: Session, query: FamilyQuery) -> int:
    from sqlalchemy import func
    from sqlmodel import select

    from peer_support.storage.tables.families import Family

    return session.exec(select(func.count()).select_from(Family).where(*family_conditions(query))).one()


def _index_only(query: FamilyQuery) -> tuple[str, int, int] | None:
    """(MATCH expression, low row id, high row id) when the index alone answers ``query``:
    text typed, current or archived families, no other filter, in reference order."""
    match = fts_query(query.text)
    sort = query.sort if query.sort in SORT_KEYS else "reference"
    if (match is None or query.area or query.school or query.language or query.needs or query.special
            or query.archived not in ("active", "archived") or sort != "reference"):
        return None
    low = ARCHIVED_OFFSET if query.archived == "archived" else 0
    return match, low, low + ARCHIVED_OFFSET


# The WHERE clauses of the unfiltered list, by which families it shows. Its count reads the small
# index on (deleted, archived, consent_date) alone. Its pages must walk the list's order index and
# stop after one page: the unary + keeps SQLite off the small index, which it would otherwise pick
# and then sort every current family (65 ms for the first page at 50,000 families, now 0.1 ms).
# Archived families are few: their page reads them by the small index and sorts them.
_PLAIN_COUNT = {"active": "f.deleted = 0 AND f.archived = 0", "archived": "f.deleted = 0 AND f.archived = 1",
                "all": "f.deleted = 0"}
_PLAIN_PAGE = {"active": "+f.deleted = 0 AND +f.archived = 0", "archived": "f.deleted = 0 AND f.archived = 1",
               "all": "+f.deleted = 0"}


def _plain_list(query: FamilyQuery, clauses: dict[str, str]) -> str | None:
    """The WHERE clause (of ``clauses``) of the unfiltered list (nothing typed, no filter, by
    reference), else None."""
    sort = query.sort if query.sort in SORT_KEYS else "reference"
    if (query.text.strip() or query.area or query.school or query.language or query.needs or query.special
            or sort != "reference"):
        return None
    return clauses.get(query.archived, clauses["all"])


def count_families(context: AppContext, query: FamilyQuery) -> int:
    """How many families match (for the list's row count)."""
    require(context, Permission.FAMILY_DETAILS)
    fast = _index_only(query)
    if fast is not None:
        with context.db.plain() as connection:
            return connection.execute(f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? "
                                      f"AND rowid >= ? AND rowid < ?", fast).fetchone()[0]
    plain = _plain_list(query, _PLAIN_COUNT)
    if plain is not None:
        with context.db.plain() as connection:
            return connection.execute(f"SELECT count(*) FROM family AS f WHERE {plain}").fetchone()[0]
    with context.db.read() as session:
        return count_matching(session, query)


def family_page(context: AppContext, query: FamilyQuery, offset: int, limit: int) -> list[FamilyRow]:
    """One page of list rows, read in one query (no per-row look-ups)."""
    require(context, Permission.FAMILY_DETAILS)
    fast = _index_only(query)
    if fast is not None:
        direction = "DESC" if query.descending else "ASC"
        with context.db.plain() as connection:
            rows = connection.execute(
                f"SELECT {_ROW_COLUMNS} FROM (SELECT rowid AS rank FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? "
                f"AND rowid >= ? AND rowid < ? ORDER BY rowid {direction} LIMIT ? OFFSET ?) AS hit "
                f"JOIN {SEARCH_TABLE} AS s ON s.id = hit.rank JOIN family AS f ON f.id = s.family_id "
                f"LEFT JOIN area AS a ON a.id = f.area_id ORDER BY hit.rank {direction}",
                (*fast, limit, offset)).fetchall()
        return [_row(row) for row in rows]
    plain = _plain_list(query, _PLAIN_PAGE)
    if plain is not None:
        direction = "DESC" if query.descending else "ASC"
        with context.db.plain() as connection:
            rows = connection.execute(
                f"SELECT {_ROW_COLUMNS} FROM family AS f LEFT JOIN area AS a ON a.id = f.area_id WHERE {plain} "
                f"ORDER BY length(f.reference) {direction}, f.reference {direction} LIMIT ? OFFSET ?",
                (limit, offset)).fetchall()
        return [_row(row) for row in rows]
    from sqlalchemy import ColumnClause, func, literal, literal_column
    from sqlmodel import col, select

    from peer_support.storage.tables.families import Area, Family

    # The page's rows are found first by row id alone (the rows it skips are counted in the
    # order's index, when the order has one, without reading them or their area), then read.
    row_id: ColumnClause[int] = literal_column("family.rowid")
    finding = select(row_id.label("row_id")).select_from(Family)
    if query.sort == "area":
        finding = finding.outerjoin(Area, col(Area.id) == Family.area_id)
    page = (finding.where(*family_conditions(query, sorted_list=True)).order_by(*_order(query))
            .offset(offset).limit(limit).subquery("page"))
    with context.db.read() as session:
        # sqlmodel's select() is typed for up to 4 entities
        statement = (select(Family.id, Family.reference, Family.name, Family.postcode,  # type: ignore[call-overload]
                            func.coalesce(Area.name, literal("")), Family.phone, Family.language,
                            Family.children, Family.needs_internet, Family.needs_device, Family.archived)
                     .select_from(page).join(Family, row_id == page.c.row_id)
                     .outerjoin(Area, Area.id == Family.area_id).order_by(*_order(query)))
        return [FamilyRow(*row) for row in session.exec(statement)]


def _row(row) -> FamilyRow:
    (family_id, reference, name, postcode, area, phone, language, children, needs_internet, needs_device,
     archived) = row
    return FamilyRow(family_id, reference, name, postcode, area, phone, language, children,
                     bool(needs_internet), bool(needs_device), bool(archived))


def find_families(context: AppContext, typed: str, limit: int = 20,
                  include_archived: bool = False) -> list[FamilyRow]:
    """The families typed text finds, in reference order: the one search behind the register at
    the door, attendance history, the fund and packs pickers and ``families list --search``.

    Folding (accents, ø/oe, ł, ß...), reference, name, members, postcode, phone digits and email
    as in domain/search.py. Reads only. A picker's job: anyone who may see families' names may use it.
    """
    require(context, Permission.FAMILY_NAMES)
    if not typed.strip():
        return []
    with internal_read(context):
        rows = family_page(context, FamilyQuery(text=typed), 0, limit)
        if include_archived and len(rows) < limit:
            rows += family_page(context, FamilyQuery(text=typed, archived="archived"), 0, limit - len(rows))
    return rows

