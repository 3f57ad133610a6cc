"""Finding families fast: filtered, sorted pages and counts for the lazy list.

Search-as-you-type looks in ``family.search_text`` (folded reference, name,
postcode, phone digits and email): one LIKE per typed word on one column,
which stays well under 100 ms with 50,000 families (benchmarks/families_search.py).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, func, literal
from sqlmodel import Session, select

from peer_support.context import AppContext
from peer_support.domain.families import SORT_KEYS, FamilyQuery, FamilyRow
from peer_support.domain.families_rules import search_terms
from peer_support.storage.tables.families import Area, Family, FamilySchool, School


def _like_escape(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def family_conditions(query: FamilyQuery) -> list:
    """WHERE clauses for a query (on Family, with Area/School looked up by name)."""
    conditions = [Family.deleted == False]  # noqa: E712
    if query.archived == "active":
        conditions.append(Family.archived == False)  # noqa: E712
    elif query.archived == "archived":
        conditions.append(Family.archived == True)  # noqa: E712
    for term in search_terms(query.text):
        conditions.append(Family.search_text.like(f"%{_like_escape(term)}%", escape="\\"))
    if query.area:
        area_ids = select(Area.id).where(func.lower(Area.name) == query.area.lower())
        conditions.append(Family.area_id.in_(area_ids))
    if query.school:
        conditions.append(exists().where(
            FamilySchool.family_id == Family.id, FamilySchool.deleted == False,  # noqa: E712
            FamilySchool.school_id.in_(select(School.id).where(func.lower(School.name)
                                                               == query.school.lower()))))
    if query.language:
        conditions.append(Family.language == query.language)
    if query.needs == "internet":
        conditions.append(Family.needs_internet == True)  # noqa: E712
    elif query.needs == "device":
        conditions.append(Family.needs_device == True)  # noqa: E712
    elif query.needs == "any":
        conditions.append((Family.needs_internet == True) | (Family.needs_device == True))  # noqa: E712
    if query.special:
        from peer_support.services.family_lists import family_list_conditions

        conditions.extend(family_list_conditions(query.special, query.as_of or date.today()))
    return conditions


def _order(query: FamilyQuery) -> list:
    key = query.sort if query.sort in SORT_KEYS else "reference"
    # References sort by number: F10000 after F9999.
    columns = {"reference": [func.length(Family.reference), Family.reference],
               "name": [func.lower(Family.name)], "postcode": [Family.postcode],
               "area": [func.coalesce(Area.sort_order, 999_999), Area.name], "phone": [Family.phone],
               "language": [Family.language], "children": [func.coalesce(Family.children, -1)]}[key]
    tie_breaker = [func.length(Family.reference), Family.reference]
    if query.descending:
        return [column.desc() for column in columns] + [t.desc() for t in tie_breaker]
    return columns + tie_breaker


def family_select(query: FamilyQuery):
    """SELECT Family rows matching ``query`` in its order (for records and exports)."""
    statement = select(Family).where(*family_conditions(query))
    if query.sort == "area":
        statement = statement.outerjoin(Area, Area.id == Family.area_id)
    return statement.order_by(*_order(query))


def count_matching(session: Session, query: FamilyQuery) -> int:
    return session.exec(select(func.count()).select_from(Family).where(*family_conditions(query))).one()


def count_families(context: AppContext, query: FamilyQuery) -> int:
    """How many families match (for the list's row count)."""
    with context.db.read() as session:
        return count_matching(session, query)


def family_page(context: AppContext, query: FamilyQuery, offset: int, limit: int) -> list[FamilyRow]:
    """One page of list rows, read in one query (no per-row look-ups)."""
    with context.db.read() as session:
        statement = (select(Family.id, Family.reference, Family.name, Family.postcode,
                            func.coalesce(Area.name, literal("")), Family.phone, Family.language,
                            Family.children, Family.needs_internet, Family.needs_device, Family.archived)
                     .outerjoin(Area, Area.id == Family.area_id)
                     .where(*family_conditions(query)).order_by(*_order(query))
                     .offset(offset).limit(limit))
        return [FamilyRow(*row) for row in session.exec(statement)]


def family_position(context: AppContext, query: FamilyQuery, reference: str) -> int | None:
    """Where a family sits in the list (to select it after saving), or None if filtered out."""
    with context.db.read() as session:
        ids = session.exec(select(Family.reference).outerjoin(Area, Area.id == Family.area_id)
                           .where(*family_conditions(query)).order_by(*_order(query))).all()
    try:
        return ids.index(reference)
    except ValueError:
        return None
