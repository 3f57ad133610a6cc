"""The fund's rules have one home (domain/fund.py): "committed" and "over budget" give the same answer
in the records, the ORM and plain-SQL queries, the report, the sync overspend rule and the service."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from peer_support.domain.families import FamilyDraft
from peer_support.domain.fund import (COMMITTED, ApplicationDraft, ApprovalDraft, Channel, Need, PotDraft,
                                      Status, committed_amount, committed_sql, is_committed, over_budget)
from peer_support.errors import ValidationError
from peer_support.services import fund
from peer_support.services.families import create_family
from peer_support.services.fund_queries import get_application, get_pot, list_applications, list_pots
from peer_support.services.fund_report import build_fund_report

DAY = date(2026, 3, 2)


def test_committed_is_approved_paid_or_closed_and_the_sql_says_the_same():
    assert COMMITTED == {Status.APPROVED, Status.PAID, Status.CLOSED}
    connection = sqlite3.connect(":memory:")
    for status in Status:
        in_sql = connection.execute(f"SELECT {committed_sql('s')} FROM (SELECT ? AS s)", (str(status),)).fetchone()[0]
        assert bool(in_sql) == is_committed(status) == is_committed(str(status)) == (status in COMMITTED)
        assert committed_amount(status, 12_00) == (12_00 if status in COMMITTED else 0)
    assert committed_amount(Status.APPROVED, None) == 0


def test_every_query_of_committed_money_agrees_on_the_sample_pots(sample_context):
    records = list_applications(sample_context)
    assert {r.status for r in records} == set(Status)  # every status is there to be counted or not
    with sample_context.db.read() as session:
        for pot in list_pots(sample_context):  # plain SQL (services/summary.py)
            mine = [r for r in records if r.pot == pot.name]
            assert pot.committed_pence == sum(r.committed_pence for r in mine)  # the records' rule
            assert pot.committed_pence == fund.committed_pence(session, pot.id)  # the ORM query
    report = build_fund_report(sample_context, date(2000, 1, 1), date(2026, 11, 25))
    assert report.approved == sum(r.status in COMMITTED for r in records)
    assert sum(line.approved_pence for line in report.lines) == sum(p.committed_pence for p in list_pots(sample_context))


def test_the_sync_overspend_rule_counts_the_committed_statuses():
    from types import SimpleNamespace

    from peer_support.services.sync.rules import committed_row

    for status in Status:
        assert committed_row(SimpleNamespace(status=str(status))) == is_committed(status)


# -- over budget -------------------------------------------------------------------------------------------

def test_over_budget_is_more_than_what_is_left():
    assert not over_budget(50_00, 50_00) and over_budget(50_01, 50_00) and over_budget(1, 0)
    assert over_budget(1, -5_00)  # a pot already overspent by an earlier override


@pytest.fixture
def applications(context):
    fund.create_pot(context, PotDraft(name="Round One", budget_pence=100_00, opens_on=date(2026, 1, 1)))
    refs = []
    for name in ("Ann Smith", "Piotr Nowak"):
        family = create_family(context, FamilyDraft(name=name))
        refs.append(fund.create_application(context, ApplicationDraft(
            "Round One", family.reference, DAY, Channel.PHONE, Need.DEVICE, 100_00)).record.reference)
    return refs


def test_the_service_approves_up_to_what_is_left_and_refuses_a_penny_more(context, applications):
    first, second = applications
    fund.approve_application(context, first, ApprovalDraft(60_00, "Claire", DAY))
    left = get_pot(context, "Round One").remaining_pence
    assert left == 40_00 and over_budget(left + 1, left)
    with pytest.raises(ValidationError, match="overspend"):
        fund.approve_application(context, second, ApprovalDraft(left + 1, "Claire", DAY))
    assert get_application(context, second).status == Status.RECEIVED
    saved = fund.approve_application(context, second, ApprovalDraft(left, "Claire", DAY, "not needed")).record
    assert saved.status == Status.APPROVED and saved.override_reason == ""  # fits: no override kept


def test_the_service_decides_on_the_live_figures_not_the_callers_snapshot(context, applications):
    first, second = applications
    snapshot = get_pot(context, "Round One")  # what a dialog opened now would show: £100 left
    assert not over_budget(70_00, snapshot.remaining_pence)
    fund.approve_application(context, first, ApprovalDraft(50_00, "Claire", DAY))  # another laptop, meanwhile
    with pytest.raises(ValidationError, match="overspend"):
        fund.approve_application(context, second, ApprovalDraft(70_00, "Claire", DAY))
