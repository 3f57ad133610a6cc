"""The fund's pure rules: the status state machine and the money checks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from peer_support import i18n
from peer_support.domain.fund import (TRANSITIONS, Status, check_approval, check_payment,
                                      check_transition, status_after_payment)
from peer_support.errors import ValidationError
from peer_support.i18n.formatting import format_money

LEGAL = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}


@pytest.mark.parametrize("current", list(Status))
@pytest.mark.parametrize("target", list(Status))
def test_only_the_drawn_transitions_are_allowed(current, target):
    if (current, target) in LEGAL:
        check_transition(current, target)
    else:
        with pytest.raises(ValidationError) as raised:
            check_transition(current, target)
        assert raised.value.message.strip()


def test_the_workflow_reads_as_in_the_issue():
    assert TRANSITIONS[Status.RECEIVED] == {Status.APPROVED, Status.DECLINED, Status.WITHDRAWN}
    assert TRANSITIONS[Status.APPROVED] == {Status.PAID, Status.WITHDRAWN}
    assert TRANSITIONS[Status.PAID] == {Status.CLOSED}
    assert not TRANSITIONS[Status.CLOSED] and not TRANSITIONS[Status.DECLINED]


def test_refusals_explain_why():
    with pytest.raises(ValidationError, match="paid in full"):
        check_transition(Status.APPROVED, Status.CLOSED)
    with pytest.raises(ValidationError, match="not been decided"):
        check_transition(Status.RECEIVED, Status.PAID)
    with pytest.raises(ValidationError, match="cannot be changed any more"):
        check_transition(Status.DECLINED, Status.APPROVED)
    with pytest.raises(ValidationError, match="already been paid"):
        check_transition(Status.APPROVED, Status.WITHDRAWN, paid_pence=100)


def test_refusals_are_translated():
    i18n.set_language("de")
    with pytest.raises(ValidationError) as raised:
        check_transition(Status.APPROVED, Status.CLOSED)
    assert "paid in full" not in raised.value.message


def test_approval_needs_a_written_reason_to_overspend():
    check_approval(5000, 5000, "", format_money)
    with pytest.raises(ValidationError, match=r"only £49\.99 is left"):
        check_approval(5000, 4999, "", format_money)
    with pytest.raises(ValidationError):
        check_approval(5000, 4999, "   ", format_money)
    check_approval(5000, 4999, "Family in crisis; trustees agreed by phone", format_money)
    with pytest.raises(ValidationError):
        check_approval(0, 10000, "", format_money)


@given(approved=st.integers(1, 100_000), attempts=st.lists(st.integers(-100, 60_000), max_size=30))
def test_accepted_payments_never_exceed_the_approved_amount(approved, attempts):
    paid = 0
    for amount in attempts:
        try:
            check_payment(amount, approved, paid, format_money)
        except ValidationError:
            continue
        paid += amount
        assert paid <= approved
    assert status_after_payment(approved, paid) == (Status.PAID if paid == approved else Status.APPROVED)
