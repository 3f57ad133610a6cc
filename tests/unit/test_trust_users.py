"""The user list, who is using the app, and the audit log of who changed what."""

from __future__ import annotations

import pytest

from peer_support.context import open_context
from peer_support.domain.families import FamilyDraft
from peer_support.domain.roles import Role
from peer_support.errors import ConflictError, NotFoundError, ValidationError
from peer_support.services.access import sign_in
from peer_support.services.families import create_family
from peer_support.services.history import history_of
from peer_support.services.users import (add_user, audit_log, choose_user, list_users,
                                         remove_user)


def test_users_are_added_listed_and_removed(context):
    add_user(context, "  Helen   Carter ")  # the first person is a lead
    sign_in(context, "helen carter", None)
    add_user(context, "amir khan", "lead")
    assert [u.name for u in list_users(context)] == ["amir khan", "Helen Carter"]
    with pytest.raises(ConflictError):
        add_user(context, "HELEN CARTER")
    sign_in(context, "amir khan", None)
    remove_user(context, "Helen Carter")
    assert [u.name for u in list_users(context)] == ["amir khan"]
    assert [u.name for u in list_users(context, include_inactive=True)] == ["amir khan", "Helen Carter"]
    with pytest.raises(NotFoundError):
        remove_user(context, "Helen Carter")
    with pytest.raises(ConflictError, match="only lead"):
        remove_user(context, "amir khan")
    add_user(context, "Helen Carter")  # comes back, as a volunteer now
    assert [u.roles for u in list_users(context)] == [(Role.LEAD,), (Role.VOLUNTEER,)]


@pytest.mark.parametrize("name", ["", "   ", "x" * 61])
def test_bad_names_are_refused(context, name):
    with pytest.raises(ValidationError):
        add_user(context, name)
    assert list_users(context) == []


def test_changes_are_logged_under_the_chosen_user(context, data_dir, clock):
    choose_user(context, "Helen Carter")
    family = create_family(context, FamilyDraft(name="Audit Family"))
    entries = audit_log(context)
    assert entries[0].actor == "Helen Carter" and entries[0].description == "Add family Audit Family"
    assert entries[0].changes >= 1
    assert {entry.actor for entry in history_of(context, "family", family.id)} == {"Helen Carter"}
    assert [e.description for e in audit_log(context, actor="nobody")] == []
    # The choice belongs to this laptop and survives a restart.
    context.close()
    reopened = open_context(data_dir, clock)
    try:
        assert reopened.actor() == "Helen Carter"
    finally:
        reopened.close()
