"""Retention: off by default, lists families without contact for N years, keeps with a reason, erases."""

from __future__ import annotations

import pytest

from peer_support.domain.changes import Kind
from peer_support.domain.families import FamilyDraft
from peer_support.errors import ConflictError, ValidationError
from peer_support.services.families import create_family, get_family, update_family
from peer_support.services.history import undo_action
from peer_support.services.retention import (apply_retention, due_families, keep_family, retention_years,
                                             set_retention_years)


def _families(context):
    quiet = create_family(context, FamilyDraft(name="Quiet Family", phone="07700 900111"))
    kept = create_family(context, FamilyDraft(name="Kept Family"))
    lively = create_family(context, FamilyDraft(name="Lively Family"))
    return quiet, kept, lively


def test_retention_is_off_by_default_and_lists_nobody(context):
    _families(context)
    context.clock.advance(days=365 * 10)
    assert retention_years(context) is None and due_families(context) == []
    with pytest.raises(ValidationError):
        apply_retention(context)


def test_families_without_contact_are_due_kept_or_erased(context):
    quiet, kept, lively = _families(context)
    assert set_retention_years(context, 2).record == 2
    assert due_families(context) == []
    context.clock.advance(days=365 * 2 + 30)
    update_family(context, lively.reference, FamilyDraft(name="Lively Family", notes="came to the fun day"))
    assert [c.reference for c in due_families(context)] == [quiet.reference, kept.reference]
    with pytest.raises(ValidationError):
        keep_family(context, kept.reference, "  ")
    saved = keep_family(context, kept.reference, "Open safeguarding case")
    assert (saved.record.reference, saved.record.reason) == (kept.reference, "Open safeguarding case")
    assert saved.changes.kinds and saved.changes.rows == 1
    [due] = due_families(context)
    assert (due.reference, due.name) == (quiet.reference, "Quiet Family")
    saved = apply_retention(context)
    assert saved.record.erased == [quiet.reference] and Kind.FAMILY in saved.changes.kinds
    with pytest.raises(ConflictError):  # an erasure, like any other: it cannot be undone
        undo_action(context, saved.changes.action_id)
    erased = get_family(context, quiet.reference)
    assert (erased.name, erased.phone, erased.archived) == ("", "", True)
    assert get_family(context, kept.reference).name == "Kept Family"
    assert due_families(context) == []
    # A keep lasts one retention period from the decision.
    context.clock.advance(days=365 * 2 + 30)
    assert [c.reference for c in due_families(context)] == [kept.reference, lively.reference]


def test_the_period_must_be_sensible(context):
    with pytest.raises(ValidationError):
        set_retention_years(context, -1)
    saved = set_retention_years(context, 6)
    assert retention_years(context) == 6 and saved.record == 6
    undo_action(context, saved.changes.action_id)  # an ordinary change: undoable
    assert retention_years(context) is None
    set_retention_years(context, 6)
    assert set_retention_years(context, None).record is None
    assert retention_years(context) is None
