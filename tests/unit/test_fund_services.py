"""Fund services: pots, applications, decisions, payments, receipts, fairness, history."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import func, select

from peer_support.domain.families import FamilyDraft
from peer_support.domain.fund import (ApplicationDraft, ApprovalDraft, Channel, Need, PaymentDraft,
                                      PaymentMethod, PotDraft, Status)
from peer_support.errors import NotFoundError, ValidationError
from peer_support.services import fund
from peer_support.services.families import create_family
from peer_support.services.fund_queries import (application_history, application_queue, fairness_warnings,
                                                get_application, get_pot, list_applications, list_pots)
from peer_support.storage.tables.core import ChangeLog

DAY = date(2026, 3, 2)


def _log_count(context) -> int:
    with context.db.read() as session:
        return session.exec(select(func.count()).select_from(ChangeLog)).one()


@pytest.fixture
def pot(context):
    return fund.create_pot(context, PotDraft(name="Round One", funder="Lions", budget_pence=100_00,
                                             opens_on=date(2026, 1, 1))).record


@pytest.fixture
def families(context):
    return [create_family(context, FamilyDraft(name=name, area=area))
            for name, area in (("Ann Smith", "Old Town"), ("Piotr Nowak", "Marina"), ("Mette Hansen", ""))]


def _apply(context, family, pence=40_00, on=DAY, need=Need.BROADBAND, pot="Round One"):
    return fund.create_application(context, ApplicationDraft(
        pot=pot, family_reference=family.reference, received_on=on, channel=Channel.PHONE, need=need,
        requested_pence=pence, reason="No internet at home")).record


def _approve(context, application, pence, override=""):
    fund.approve_application(context, application.reference, ApprovalDraft(pence, "Claire", DAY, override))


def test_a_pot_needs_a_name_a_budget_and_sensible_dates(context):
    with pytest.raises(ValidationError):
        fund.create_pot(context, PotDraft(name=" ", budget_pence=100, opens_on=DAY))
    with pytest.raises(ValidationError):
        fund.create_pot(context, PotDraft(name="X", budget_pence=0, opens_on=DAY))
    with pytest.raises(ValidationError, match="close before it opens"):
        fund.create_pot(context, PotDraft(name="X", budget_pence=100, opens_on=DAY, closes_on=date(2026, 1, 1)))
    assert _log_count(context) == 0


def test_several_pots_with_unique_names(context, pot):
    fund.create_pot(context, PotDraft(name="Round Two", budget_pence=50_00, opens_on=DAY))
    with pytest.raises(ValidationError, match="already"):
        fund.create_pot(context, PotDraft(name="round one", budget_pence=50_00, opens_on=DAY))
    assert {p.name for p in list_pots(context)} == {"Round One", "Round Two"}


def test_applications_get_references_and_start_received(context, pot, families):
    first = _apply(context, families[0])
    second = _apply(context, families[1])
    assert (first.reference, second.reference) == ("A0001", "A0002")
    assert first.status == Status.RECEIVED and first.area == "Old Town"
    assert first.family_name == "Ann Smith"


@pytest.mark.parametrize("change, message", [
    ({"requested_pence": 0}, "more than zero"),
    ({"received_on": date(2027, 1, 1)}, "future"),
])
def test_bad_applications_are_refused_and_change_nothing(context, pot, families, change, message):
    before = _log_count(context)
    draft = ApplicationDraft(pot="Round One", family_reference=families[0].reference, received_on=DAY,
                             channel=Channel.PAPER, need=Need.DEVICE, requested_pence=100)
    with pytest.raises(ValidationError, match=message):
        fund.create_application(context, draft.__class__(**{**draft.__dict__, **change}))
    assert _log_count(context) == before


def test_unknown_pot_family_or_application(context, pot, families):
    with pytest.raises(NotFoundError):
        _apply(context, families[0], pot="Nope")
    with pytest.raises(NotFoundError):
        fund.create_application(context, ApplicationDraft("Round One", "F9999", DAY, Channel.PHONE,
                                                          Need.OTHER, 100))
    with pytest.raises(NotFoundError):
        get_application(context, "A0404")


def test_approval_cannot_overspend_without_a_kept_written_reason(context, pot, families):
    first, second = _apply(context, families[0], 70_00), _apply(context, families[1], 40_00)
    _approve(context, first, 70_00)
    before = _log_count(context)
    with pytest.raises(ValidationError, match=r"only £30\.00 is left"):
        _approve(context, second, 40_00)
    assert _log_count(context) == before
    _approve(context, second, 40_00, override="Eviction notice; agreed by two leads")
    record = get_application(context, second.reference)
    assert record.status == Status.APPROVED
    assert record.override_reason == "Eviction notice; agreed by two leads"
    assert get_pot(context, "Round One").remaining_pence == -10_00


def test_an_override_reason_is_not_kept_when_it_was_not_needed(context, pot, families):
    application = _apply(context, families[0])
    _approve(context, application, 10_00, override="just because")
    assert get_application(context, application.reference).override_reason == ""


def test_withdrawing_frees_the_commitment_and_declining_needs_a_reason(context, pot, families):
    first, second = _apply(context, families[0], 90_00), _apply(context, families[1])
    _approve(context, first, 90_00)
    assert get_pot(context, "Round One").remaining_pence == 10_00
    fund.withdraw_application(context, first.reference, "Moved away", DAY)
    assert get_pot(context, "Round One").remaining_pence == 100_00
    with pytest.raises(ValidationError, match="reason"):
        fund.decline_application(context, second.reference, " ", "Claire", DAY)
    fund.decline_application(context, second.reference, "Has broadband already", "Claire", DAY)
    record = get_application(context, second.reference)
    assert record.status == Status.DECLINED and record.outcome_reason == "Has broadband already"
    with pytest.raises(ValidationError, match="cannot be changed"):
        _approve(context, second, 10_00)


def test_payments_up_to_the_approved_amount_then_closed(context, pot, families, tmp_path):
    application = _apply(context, families[0], 60_00)
    with pytest.raises(ValidationError, match="not been decided"):
        fund.record_payment(context, application.reference, PaymentDraft(DAY, 10_00, PaymentMethod.VOUCHER))
    _approve(context, application, 60_00)
    receipt = tmp_path / "Receipt.PDF"
    receipt.write_bytes(b"%PDF-1.4 receipt")
    fund.record_payment(context, application.reference, PaymentDraft(
        DAY, 25_00, PaymentMethod.TOP_UP, supplier="EE", reference="X1", receipt_path=str(receipt)))
    with pytest.raises(ValidationError, match=r"£35\.00 is left"):
        fund.record_payment(context, application.reference, PaymentDraft(DAY, 35_01, PaymentMethod.TOP_UP))
    with pytest.raises(ValidationError, match="paid in full"):
        fund.close_application(context, application.reference, DAY)
    fund.record_payment(context, application.reference, PaymentDraft(DAY, 35_00, PaymentMethod.PURCHASE))
    record = get_application(context, application.reference)
    assert record.status == Status.PAID and record.paid_pence == 60_00 and len(record.payments) == 2
    stored = fund.receipt_path(context, record.payments[0].receipt_file)
    assert stored.read_bytes() == b"%PDF-1.4 receipt" and not stored.is_symlink()
    assert stored.parent == context.files_dir("receipts")
    receipt.unlink()
    assert stored.exists()  # a copy, not a link
    fund.close_application(context, application.reference, DAY)
    assert get_application(context, application.reference).status == Status.CLOSED
    assert get_pot(context, "Round One").paid_pence == 60_00


def test_a_missing_receipt_is_refused_and_a_refused_payment_leaves_no_copy(context, pot, families, tmp_path):
    application = _apply(context, families[0], 20_00)
    _approve(context, application, 20_00)
    with pytest.raises(ValidationError, match="cannot be found"):
        fund.record_payment(context, application.reference, PaymentDraft(
            DAY, 5_00, PaymentMethod.VOUCHER, receipt_path=str(tmp_path / "nope.jpg")))
    receipt = tmp_path / "r.jpg"
    receipt.write_bytes(b"jpeg")
    with pytest.raises(ValidationError):
        fund.record_payment(context, application.reference, PaymentDraft(
            DAY, 50_00, PaymentMethod.VOUCHER, receipt_path=str(receipt)))
    assert list(context.files_dir("receipts").iterdir()) == []


def test_payments_cannot_predate_the_approval(context, pot, families):
    application = _apply(context, families[0], 20_00)
    _approve(context, application, 20_00)
    with pytest.raises(ValidationError, match="before the approval"):
        fund.record_payment(context, application.reference, PaymentDraft(date(2026, 3, 1), 5_00,
                                                                         PaymentMethod.VOUCHER))


def test_fairness_warning_and_oldest_first_queue(context, pot, families):
    late = _apply(context, families[0], 10_00, on=date(2026, 3, 1))
    early = _apply(context, families[1], 10_00, on=date(2026, 2, 1))
    _approve(context, late, 10_00)
    again = _apply(context, families[0], 10_00, on=date(2026, 3, 1))
    assert fairness_warnings(get_application(context, early.reference)) == []
    warnings = fairness_warnings(get_application(context, again.reference))
    assert len(warnings) == 1 and late.reference in warnings[0]
    assert [a.reference for a in application_queue(context, "Round One")] == [early.reference, again.reference]


def test_filters(context, pot, families):
    _apply(context, families[0], need=Need.DEVICE)
    second = _apply(context, families[1], need=Need.MOBILE_DATA)
    _approve(context, second, 10_00)
    assert [a.reference for a in list_applications(context, need=Need.MOBILE_DATA)] == [second.reference]
    assert [a.reference for a in list_applications(context, statuses=[Status.APPROVED])] == [second.reference]
    assert [a.family_name for a in list_applications(context, area="Old Town")] == ["Ann Smith"]
    assert [a.family_name for a in list_applications(context, text="nowak")] == ["Piotr Nowak"]


def test_history_says_who_changed_what(context, pot, families):
    application = _apply(context, families[0], 30_00)
    _approve(context, application, 30_00)
    fund.record_payment(context, application.reference, PaymentDraft(DAY, 30_00, PaymentMethod.VOUCHER))
    history = application_history(context, application.reference)
    assert [entry.description for entry in history] == [
        "Record application from F0001", "Approve application A0001", "Record payment for A0001"]
    assert all(entry.actor == context.actor() for entry in history)
    assert "Status: Received → Approved" in history[1].details
    assert "Amount approved: £0.00 → £30.00" in history[1].details
    assert "Status: Approved → Paid" in history[2].details


def test_budget_cannot_drop_below_commitments(context, pot, families):
    application = _apply(context, families[0], 80_00)
    _approve(context, application, 80_00)
    with pytest.raises(ValidationError, match="already approved"):
        fund.update_pot(context, "Round One", PotDraft(name="Round One", budget_pence=79_99, opens_on=DAY))
    updated = fund.update_pot(context, "Round One", PotDraft(name="Round 1", budget_pence=80_00,
                                                            opens_on=DAY)).record
    assert updated.name == "Round 1" and updated.remaining_pence == 0


def test_undo_of_a_payment_restores_the_status(context, pot, families):
    from peer_support.services.history import undo_action

    application = _apply(context, families[0], 30_00)
    _approve(context, application, 30_00)
    summary = fund.record_payment(context, application.reference,
                                  PaymentDraft(DAY, 30_00, PaymentMethod.VOUCHER))
    undo_action(context, summary.changes.action_id)
    record = get_application(context, application.reference)
    assert record.status == Status.APPROVED and record.paid_pence == 0 and record.payments == ()


def test_sample_data_has_a_covid_pot_with_applications_in_every_state(sample_context):
    pots = {pot.name: pot for pot in list_pots(sample_context)}
    covid = pots["Covid-19 Connectivity Fund"]
    assert covid.budget_pence == 25_000_00 and 100 <= covid.applications <= 140
    assert 0 <= covid.committed_pence <= covid.budget_pence and covid.paid_pence <= covid.committed_pence
    statuses = {a.status for a in list_applications(sample_context, pot=covid.name)}
    assert statuses == set(Status)
    assert len(pots) >= 2


def test_decisions_and_payments_cannot_be_dated_in_the_future(context, pot, families):
    application = _apply(context, families[0], 20_00)
    tomorrow = date(2026, 11, 26)  # the clock says 25 Nov 2026
    with pytest.raises(ValidationError, match="future"):
        fund.approve_application(context, application.reference, ApprovalDraft(20_00, "Claire", tomorrow))
    with pytest.raises(ValidationError, match="future"):
        fund.decline_application(context, application.reference, "No", "Claire", tomorrow)
    _approve(context, application, 20_00)
    with pytest.raises(ValidationError, match="future"):
        fund.record_payment(context, application.reference, PaymentDraft(tomorrow, 5_00, PaymentMethod.VOUCHER))


def test_an_approval_with_payments_after_it_cannot_be_undone(context, pot, families):
    from peer_support.errors import ConflictError
    from peer_support.services.history import undo_action

    application = _apply(context, families[0], 30_00)
    approval = fund.approve_application(context, application.reference,
                                        ApprovalDraft(30_00, "Claire", DAY))
    fund.record_payment(context, application.reference, PaymentDraft(DAY, 10_00, PaymentMethod.VOUCHER))
    with pytest.raises(ConflictError):
        undo_action(context, approval.changes.action_id)
    record = get_application(context, application.reference)
    assert record.status == Status.APPROVED and record.paid_pence == 10_00
