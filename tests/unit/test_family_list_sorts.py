"""The families list in every order: pages hold exactly the families the view shows, each once,
in the order asked for, whichever way SQLite reads them (the plain path by reference, the ORM
path for the other orders, whose broad conditions are kept off the small index: storage/
conditions.unindexed). Set up through the services: an archived family and a merged one
(tombstoned) must never appear where they do not belong."""

from __future__ import annotations

import pytest

from peer_support.domain.families import FamilyDraft, FamilyQuery
from peer_support.services import families
from peer_support.services.families_merge import merge_families
from peer_support.services.families_search import SORT_KEYS, count_families, family_page

from tests.query_plans import query_plan, statements_sent

PAGE = 3  # small pages, so a list of nine spans several


@pytest.fixture
def listed(context):
    drafts = [FamilyDraft(name="Zofia Nowak", postcode="CT9 1AA", phone="07700 900003", language="pl", children=2),
              FamilyDraft(name="anna Sørensen", postcode="CT10 2BB", phone="07700 900001", language="da"),
              FamilyDraft(name="Bernd Müller", postcode="CT9 3CC", phone="07700 900009", language="de", children=1),
              FamilyDraft(name="Chloe Smith", postcode="CT11 4DD", phone="07700 900005", children=3),
              FamilyDraft(name="Dawid Kowalski", postcode="CT9 1AA", phone="07700 900002", language="pl"),
              FamilyDraft(name="Emma Jones", postcode="CT12 5EE", phone="07700 900007"),
              FamilyDraft(name="Freja Jensen", postcode="CT9 6FF", phone="07700 900004", language="da", children=0),
              FamilyDraft(name="Gabi Schmidt", postcode="CT10 7GG", phone="07700 900008", language="de"),
              FamilyDraft(name="Hana Wójcik", postcode="CT9 8HH", phone="07700 900006", language="pl")]
    references = [families.create_family(context, draft).reference for draft in drafts]
    families.set_family_archived(context, references[3], True)  # Chloe Smith
    merge_families(context, references[4], references[1])  # anna Sørensen goes into Dawid Kowalski
    return {"archived": {"Chloe Smith"}, "gone": {"anna Sørensen"},
            "names": {draft.name for draft in drafts}}


def _all_pages(context, query: FamilyQuery):
    rows, offset = [], 0
    while True:
        page = family_page(context, query, offset, PAGE)
        rows += page
        if len(page) < PAGE:
            return rows
        offset += PAGE


def _key(row, sort: str):
    return {"reference": (len(row.reference), row.reference), "name": row.name.lower(), "postcode": row.postcode,
            "phone": row.phone, "language": row.language,
            "children": -1 if row.children is None else row.children}.get(sort)


@pytest.mark.parametrize("sort", SORT_KEYS)
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("archived", ["active", "archived", "all"])
def test_every_order_lists_each_family_of_the_view_once_in_order(context, listed, sort, descending, archived):
    query = FamilyQuery(sort=sort, descending=descending, archived=archived)
    rows = _all_pages(context, query)
    names = [row.name for row in rows]
    current = listed["names"] - listed["gone"] - listed["archived"]
    expected = {"active": current, "archived": listed["archived"], "all": current | listed["archived"]}[archived]
    assert sorted(names) == sorted(expected)  # each once: nothing deleted, nothing archived out of place
    assert len(rows) == count_families(context, query)
    keys = [_key(row, sort) for row in rows]
    if sort != "area":  # no family has an area here: the order is the tie-breaker's alone
        assert keys == sorted(keys, reverse=descending)


@pytest.mark.parametrize("descending", [False, True])
def test_a_page_by_name_walks_the_name_order_index(context, listed, descending):
    """Sorted by name, a page reads the families in order from ix_family_name_order (migration
    0038) instead of sorting every current family: the ORDER BY must stay the index's key."""
    with statements_sent(context.db.engine) as statements:
        family_page(context, FamilyQuery(sort="name", descending=descending), 3, PAGE)
    plan = query_plan(context, *statements[-1])
    assert any("USING INDEX ix_family_name_order" in step or "USING COVERING INDEX ix_family_name_order" in step
               for step in plan), plan
    assert not any(step.startswith("SCAN family") and "INDEX" not in step for step in plan), plan
