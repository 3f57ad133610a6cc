"""Undo and redo of whole actions through the change log."""

import dataclasses

import pytest
from sqlmodel import select

from peer_support.domain.families import FamilyDraft
from peer_support.errors import ConflictError, NotFoundError
from peer_support.services.families import create_family, get_family, search_families, update_family
from peer_support.services.history import history_of, undo_action


def _rename(context, reference, name):
    draft = dataclasses.replace(get_family(context, reference).draft(), name=name)
    return update_family(context, reference, draft).changes


def test_undo_and_redo_an_edit(context):
    family = create_family(context, FamilyDraft(name="Ann"))
    edit = _rename(context, family.reference, "Anne")
    undone = undo_action(context, edit.action_id).changes
    assert get_family(context, family.reference).name == "Ann"
    undo_action(context, undone.action_id)  # redo
    assert get_family(context, family.reference).name == "Anne"


def test_undo_of_a_create_tombstones_the_row(context):
    create_family(context, FamilyDraft(name="Ann"))
    with context.db.read() as session:
        from peer_support.storage.tables.core import Action
        action_id = session.exec(select(Action.id)).one()
    undo_action(context, action_id)
    assert search_families(context) == []
    with pytest.raises(ConflictError):
        undo_action(context, action_id)  # a second undo of the same action changes nothing


def test_undo_refuses_to_lose_a_later_edit(context):
    family = create_family(context, FamilyDraft(name="Ann"))
    first = _rename(context, family.reference, "Anne")
    _rename(context, family.reference, "Annie")
    with pytest.raises(ConflictError):
        undo_action(context, first.action_id)
    assert get_family(context, family.reference).name == "Annie"


def test_unknown_action(context):
    with pytest.raises(NotFoundError):
        undo_action(context, "nope")


def test_history_lists_who_changed_what(context):
    family = create_family(context, FamilyDraft(name="Ann"))
    _rename(context, family.reference, "Anne")
    entries = history_of(context, "family", family.id)
    assert [e.op for e in entries] == ["insert", "update"]
    # The form's edit changes the name and nothing else (the search row is derived, not logged).
    assert entries[1].changes["name"] == ["Ann", "Anne"] and set(entries[1].changes) == {"name"}
    assert entries[1].actor == context.actor()
