"""The areas and schools lists: rename, merge (references move in one undoable action), archive."""

from __future__ import annotations

import pytest

from peer_support.domain.families import FamilyDraft, MemberDraft, VolunteerDraft
from peer_support.errors import ConflictError, NotFoundError, ValidationError
from peer_support.services.families import create_family, get_family, list_areas, list_schools
from peer_support.services.families_volunteers import create_volunteer, get_volunteer
from peer_support.services.history import undo_action
from peer_support.services.lists import (AREAS, SCHOOLS, list_entries, merge_entries, rename_entry,
                                         set_entry_archived)


@pytest.fixture
def families(context):
    create_family(context, FamilyDraft(name="Anna Nowak", area="Margate", schools=("Hartsdown",),
                                       members=(MemberDraft("Ola", school="Hartsdown"),)))
    create_family(context, FamilyDraft(name="Jo Baker", area="Margate Town", schools=("Hartsdown Academy",
                                                                                       "Hartsdown"),
                                       members=(MemberDraft("Sam", school="Hartsdown Academy"),)))
    create_volunteer(context, VolunteerDraft(name="Sam Green", areas=("Margate", "Margate Town")))
    create_volunteer(context, VolunteerDraft(name="Lee Hill", areas=("Margate Town",)))
    return context


def test_rename_shows_everywhere_and_refuses_a_taken_name(families):
    context = families
    summary = rename_entry(context, AREAS, "margate", "Margate Central")
    assert get_family(context, "F0001").area == "Margate Central"
    assert "Margate Central" in get_volunteer(context, "V001").areas
    with pytest.raises(ConflictError, match="Merge"):
        rename_entry(context, AREAS, "Margate Central", "margate town")
    with pytest.raises(ValidationError):
        rename_entry(context, AREAS, "Margate Central", "  ")
    with pytest.raises(NotFoundError):
        rename_entry(context, SCHOOLS, "Nowhere", "X")
    undo_action(context, summary.changes.action_id)
    assert get_family(context, "F0001").area == "Margate"


def test_merging_areas_moves_families_and_volunteers_and_undoes_as_one(families):
    context = families
    summary = merge_entries(context, AREAS, "Margate Town", "Margate")
    assert get_family(context, "F0002").area == "Margate"
    assert get_volunteer(context, "V001").areas == ("Margate",)  # linked to both: one link left
    assert get_volunteer(context, "V002").areas == ("Margate",)
    assert list_areas(context) == ["Margate"]
    entries = {entry.name: entry for entry in list_entries(context, AREAS)}
    assert entries["Margate Town"].archived and entries["Margate"].families == 2
    undo_action(context, summary.changes.action_id)
    assert get_family(context, "F0002").area == "Margate Town"
    assert get_volunteer(context, "V001").areas == ("Margate", "Margate Town")
    assert sorted(list_areas(context)) == ["Margate", "Margate Town"]


def test_merging_schools_moves_families_and_members(families):
    context = families
    merge_entries(context, SCHOOLS, "Hartsdown", "Hartsdown Academy")
    first, second = get_family(context, "F0001"), get_family(context, "F0002")
    assert first.schools == ("Hartsdown Academy",) and first.members[0].school == "Hartsdown Academy"
    assert second.schools == ("Hartsdown Academy",)
    assert list_schools(context) == ["Hartsdown Academy"]
    with pytest.raises(ValidationError):
        merge_entries(context, SCHOOLS, "Hartsdown Academy", "hartsdown academy")


def test_archive_hides_from_choices_and_restore_brings_back(families):
    context = families
    set_entry_archived(context, SCHOOLS, "Hartsdown", True)
    assert "Hartsdown" not in list_schools(context)
    assert "Hartsdown" in get_family(context, "F0001").schools  # records keep it
    set_entry_archived(context, SCHOOLS, "Hartsdown", False)
    assert "Hartsdown" in list_schools(context)
    with pytest.raises(ValidationError):
        list_entries(context, "colours")
