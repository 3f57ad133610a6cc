"""What the migration tests of the family search ask of search after an upgrade: the same answers
as before it, and a family added and renamed afterwards is found by its new name only. Not a
test module."""

from __future__ import annotations

import dataclasses

from peer_support.domain.families import FamilyDraft, FamilyQuery
from peer_support.services import families
from peer_support.services.families_search import count_families, family_page


def search_answers(context, searches: tuple[str, ...]) -> dict[str, tuple[int, list[str], int]]:
    """Per typed text: how many current families match, the first page's references, and how
    many archived families match."""
    return {typed: (count_families(context, FamilyQuery(text=typed)),
                    [row.reference for row in family_page(context, FamilyQuery(text=typed), 0, 50)],
                    count_families(context, FamilyQuery(text=typed, archived="archived")))
            for typed in searches}


def check_search_follows_a_new_family_and_an_edit(context) -> None:
    made = families.create_family(context, FamilyDraft(name="Łukasz Kamiński", phone="07700 900222"))
    assert [row.reference for row in family_page(context, FamilyQuery(text="lukasz"), 0, 5)] == [made.reference]
    draft = dataclasses.replace(families.get_family(context, made.reference).draft(), name="Łukasz Nowak")
    families.update_family(context, made.reference, draft)
    assert count_families(context, FamilyQuery(text="kaminski")) == 0
    assert count_families(context, FamilyQuery(text="nowak")) == 1
