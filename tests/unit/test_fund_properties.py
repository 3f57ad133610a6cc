"""Property-based tests: whatever leads do, in any order, the money adds up.

Each example gets its own pot in one shared database (pots are independent),
which keeps hundreds of action sequences fast.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import func, select

from peer_support.clock import FixedClock
from peer_support.context import open_context
from peer_support.domain.families import FamilyDraft
from peer_support.domain.fund import (COMMITTED, ApplicationDraft, ApprovalDraft, Channel, Need,
                                      PaymentDraft, PaymentMethod, PotDraft, Status)
from peer_support.errors import ConflictError, NotFoundError, ValidationError
from peer_support.services import fund
from peer_support.services.families import create_family
from peer_support.services.fund_queries import get_pot, list_applications
from peer_support.services.fund_report import build_fund_report
from peer_support.services.history import undo_action
from peer_support.storage.conditions import live
from peer_support.storage.tables.core import ChangeLog
from peer_support.storage.tables.fund import FundApplication, FundPayment

DAY = date(2026, 3, 2)
_pot_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    context = open_context(tmp_path_factory.mktemp("fund-properties"),
                           FixedClock(datetime(2026, 11, 25, 10, tzinfo=timezone.utc)))
    families = [create_family(context, FamilyDraft(name=f"Family {n}", area=area)).reference
                for n, area in enumerate(["Old Town", "Marina", "", "Marina"])]
    yield context, families
    context.close()


amounts = st.integers(min_value=-500, max_value=60_00)
apply = st.tuples(st.just("apply"), st.integers(0, 3), st.integers(1, 60_00), st.sampled_from(list(Need)))
actions = st.lists(st.one_of(
    apply, apply,
    st.tuples(st.just("approve"), st.integers(0, 9), amounts, st.booleans()),
    # Aim at the edge: exactly what is left, a penny less or a penny more.
    st.tuples(st.just("approve"), st.integers(0, 9), st.sampled_from(["rest-1", "rest", "rest+1"]),
              st.booleans()),
    st.tuples(st.just("pay"), st.integers(0, 9), amounts),
    st.tuples(st.just("decline"), st.integers(0, 9)),
    st.tuples(st.just("withdraw"), st.integers(0, 9)),
    st.tuples(st.just("close"), st.integers(0, 9)),
    # Undo and redo as the undo stack does: latest first.
    st.tuples(st.just("undo")), st.tuples(st.just("redo")),
), min_size=6, max_size=30)


def _log_count(context) -> int:
    with context.db.read() as session:
        return session.exec(select(func.count()).select_from(ChangeLog)).one()


def _run(context, families, pot: str, references: list[str], done: list, redo: list, action):
    """Run one action and return its change summary. Refused actions must change nothing."""
    kind, *args = action
    if kind == "undo":  # Ctrl+Z: the latest action not undone yet
        if not done:
            return None
        undone = undo_action(context, done[-1].action_id).changes
        redo.append(undone)
        done.pop()
        return None
    if kind == "redo":  # Ctrl+Shift+Z: undo the latest undo
        if not redo:
            return None
        done.append(undo_action(context, redo[-1].action_id).changes)
        redo.pop()
        return None
    redo.clear()
    if kind != "apply" and not references:
        return None
    reference = references[args[0] % len(references)] if kind != "apply" else ""
    if kind == "apply":
        saved = fund.create_application(context, ApplicationDraft(
            pot=pot, family_reference=families[args[0]], received_on=DAY, channel=Channel.PHONE,
            need=args[2], requested_pence=args[1]))
        references.append(saved.record.reference)
        return saved.changes
    if kind == "approve":
        override = "Agreed by the trustees" if args[2] else ""
        amount = args[1]
        if isinstance(amount, str):
            amount = get_pot(context, pot).remaining_pence + {"rest-1": -1, "rest": 0, "rest+1": 1}[amount]
        return fund.approve_application(context, reference, ApprovalDraft(amount, "Lead", DAY, override)).changes
    if kind == "pay":
        return fund.record_payment(context, reference, PaymentDraft(DAY, args[1], PaymentMethod.VOUCHER)).changes
    if kind == "decline":
        return fund.decline_application(context, reference, "Not eligible", "Lead", DAY).changes
    if kind == "withdraw":
        return fund.withdraw_application(context, reference, "No longer needed", DAY).changes
    return fund.close_application(context, reference, DAY).changes


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(budget=st.integers(1, 150_00), first=st.lists(apply, min_size=1, max_size=4), steps=actions)
def test_no_sequence_of_actions_overspends_a_pot_or_pays_more_than_approved(shared, budget, first, steps):
    context, families = shared
    pot = f"Pot {next(_pot_numbers)}"
    fund.create_pot(context, PotDraft(name=pot, budget_pence=budget, opens_on=date(2026, 1, 1)))
    references: list[str] = []
    done: list = []
    redo: list = []
    for action in first + steps:
        before = _log_count(context)
        committed_before = get_pot(context, pot).committed_pence
        try:
            summary = _run(context, families, pot, references, done, redo, action)
        except (ValidationError, ConflictError, NotFoundError):
            assert _log_count(context) == before, "a refused action must change nothing"
            continue
        if summary is not None:
            done.append(summary)
        figures = get_pot(context, pot)
        if action[0] == "approve" and not action[3]:
            assert figures.committed_pence <= budget, "approved beyond the budget without a reason"
        if figures.committed_pence > budget and action[0] not in ("undo", "redo"):
            # Only a written override may take a pot past its budget. (Undo and redo may bring
            # back an overridden commitment: that is the same written override.)
            assert figures.committed_pence <= committed_before or action[0] == "approve" and action[3]
        records = list_applications(context, pot=pot)
        for record in records:
            assert 0 <= record.paid_pence <= record.committed_pence or record.paid_pence == 0
            if record.status in (Status.PAID, Status.CLOSED):
                assert record.paid_pence == record.approved_pence > 0
            if record.status not in COMMITTED:
                assert record.paid_pence == 0
        assert figures.paid_pence == sum(r.paid_pence for r in records)
        assert figures.committed_pence == sum(r.committed_pence for r in records)
    overrides = [r for r in list_applications(context, pot=pot) if r.override_reason]
    if not overrides:
        assert get_pot(context, pot).remaining_pence >= 0
    with context.db.read() as session:
        for row in session.exec(select(FundApplication).where(FundApplication.pot_id == get_pot(context, pot).id)):
            paid = sum(p.amount_pence for p in session.exec(select(FundPayment).where(
                FundPayment.application_id == row.id, live(FundPayment))))
            if row.status == Status.APPROVED and not row.deleted:
                assert row.left_to_pay_pence == row.approved_pence - paid

    report = build_fund_report(context, date(2026, 1, 1), date(2026, 12, 31), pot)
    for groups in (report.by_need, report.by_area):
        assert sum(g.applications for g in groups) == report.applications == len(report.lines)
        assert sum(g.approved for g in groups) == report.approved
        assert sum(g.requested_pence for g in groups) == report.requested_pence
        assert sum(g.approved_pence for g in groups) == report.approved_pence
        assert sum(g.paid_pence for g in groups) == report.paid_pence
    assert report.approved + report.declined + report.withdrawn + report.waiting == report.applications
    assert report.paid_pence == get_pot(context, pot).paid_pence
    assert report.remaining_pence == report.budget_pence - get_pot(context, pot).committed_pence
