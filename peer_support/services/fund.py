"""Connectivity fund: pots, applications, decisions and payments.

Every money rule is checked inside the writing transaction (which SQLite runs
one at a time: BEGIN IMMEDIATE), so two laptops' windows cannot both spend the
last pound of a pot. Reads and the report live in services/fund_queries.py and
services/fund_report.py.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from sqlmodel import Session, func, select

from peer_support.clock import local_today
from peer_support.context import AppContext
from peer_support.domain.changes import Saved
from peer_support.domain.families import format_reference, reference_number
from peer_support.domain.fund import (ApplicationDraft, ApplicationRecord, ApprovalDraft,
                                      PaymentDraft, PotDraft, PotRecord, Status, check_approval,
                                      check_payment, check_transition, committed_condition, over_budget,
                                      status_after_payment)
from peer_support.errors import ValidationError
from peer_support.i18n import _
from peer_support.i18n.formatting import format_money
from peer_support.services.families import find_family_row
from peer_support.services.fund_queries import application_record, pot_record
from peer_support.services.fund_rows import RECEIPTS, find_application_row, find_pot_row, receipt_path  # noqa: F401
from peer_support.storage.conditions import live
from peer_support.storage.tables.fund import FundApplication, FundPayment, FundPot
from peer_support.domain.roles import Permission
from peer_support.services.access import require

APPLICATION_PREFIX = "A"
MAX_RECEIPT_BYTES = 25 * 1024 * 1024


def committed_pence(session: Session, pot_id: str) -> int:
    """Approved amounts not declined or withdrawn: what the pot has promised."""
    total = session.exec(select(func.sum(FundApplication.approved_pence)).where(
        FundApplication.pot_id == pot_id, live(FundApplication),
        committed_condition(FundApplication.status))).one()
    return int(total or 0)


def paid_pence(session: Session, application_id: str) -> int:
    total = session.exec(select(func.sum(FundPayment.amount_pence)).where(
        FundPayment.application_id == application_id, live(FundPayment))).one()
    return int(total or 0)


# -- pots ----------------------------------------------------------------------------
def _check_pot(draft: PotDraft) -> None:
    if not draft.name.strip():
        raise ValidationError(_("A fund pot needs a name."), field="name")
    if draft.budget_pence <= 0:
        raise ValidationError(_("The budget must be more than zero."), field="budget")
    if draft.closes_on is not None and draft.closes_on < draft.opens_on:
        raise ValidationError(_("The pot cannot close before it opens."), field="closes_on")


def add_pot(session: Session, draft: PotDraft) -> FundPot:
    """Write a new pot inside an open unit of work (used by the demo data too)."""
    _check_pot(draft)
    clash = session.exec(select(FundPot).where(func.lower(FundPot.name) == draft.name.strip().lower(),
                                               live(FundPot))).first()
    if clash is not None:
        raise ValidationError(_("There is already a fund pot called %(name)s.") % {"name": clash.name},
                              field="name")
    pot = FundPot(name=draft.name.strip(), funder=draft.funder.strip(), budget_pence=draft.budget_pence,
                  opens_on=draft.opens_on, closes_on=draft.closes_on, notes=draft.notes.strip())
    session.add(pot)
    session.flush()
    return pot


def create_pot(context: AppContext, draft: PotDraft) -> Saved[PotRecord]:
    """Add a fund pot. Raises ValidationError (no name, no budget, bad dates, name taken); commits."""
    require(context, Permission.FUND)
    with context.db.transaction(_("Add fund pot %(name)s") % {"name": draft.name.strip()}) as uow:
        pot = add_pot(uow.session, draft)
        record = pot_record(uow.session, pot)
    return Saved(record, uow.changes)


def update_pot(context: AppContext, name: str, draft: PotDraft) -> Saved[PotRecord]:
    """Change a pot's details. The budget may not drop below what is already committed.

    Raises NotFoundError, ValidationError; commits.
    """
    require(context, Permission.FUND)
    _check_pot(draft)
    with context.db.transaction(_("Change fund pot %(name)s") % {"name": name.strip()}) as uow:
        pot = find_pot_row(uow.session, name)
        committed = committed_pence(uow.session, pot.id)
        if draft.budget_pence < committed:
            raise ValidationError(_("The budget cannot be less than the %(committed)s already approved.")
                                  % {"committed": format_money(committed)}, field="budget")
        pot.name, pot.funder, pot.budget_pence = draft.name.strip(), draft.funder.strip(), draft.budget_pence
        pot.opens_on, pot.closes_on, pot.notes = draft.opens_on, draft.closes_on, draft.notes.strip()
        uow.session.add(pot)
        uow.session.flush()
        record = pot_record(uow.session, pot)
    return Saved(record, uow.changes)


# -- applications --------------------------------------------------------------------
def _next_application_reference(session: Session) -> str:
    highest = session.exec(select(func.max(FundApplication.reference))).one()
    return format_reference(APPLICATION_PREFIX, reference_number(highest or "") + 1, 4)


def add_application(session: Session, draft: ApplicationDraft, today) -> FundApplication:
    if draft.requested_pence <= 0:
        raise ValidationError(_("The amount requested must be more than zero."), field="requested")
    if draft.received_on > today:
        raise ValidationError(_("The date received cannot be in the future."), field="received_on")
    pot = find_pot_row(session, draft.pot)
    family = find_family_row(session, draft.family_reference)
    row = FundApplication(
        reference=_next_application_reference(session), pot_id=pot.id, family_id=family.id,
        received_on=draft.received_on, channel=str(draft.channel), need=str(draft.need),
        requested_pence=draft.requested_pence, reason=draft.reason.strip(),
        eligibility_notes=draft.eligibility_notes.strip(), status=str(Status.RECEIVED))
    session.add(row)
    session.flush()
    return row


def create_application(context: AppContext, draft: ApplicationDraft) -> Saved[ApplicationRecord]:
    """Record an application (status received). Raises ValidationError, NotFoundError; commits."""
    require(context, Permission.FUND)
    with context.db.transaction(_("Record application from %(family)s")
                                % {"family": draft.family_reference.strip().upper()}) as uow:
        row = add_application(uow.session, draft, local_today(context.clock))
        record = application_record(uow.session, row)
    return Saved(record, uow.changes)


def set_eligibility_notes(context: AppContext, reference: str, notes: str) -> Saved[ApplicationRecord]:
    """Replace an application's eligibility notes. Raises NotFoundError; commits."""
    require(context, Permission.FUND)
    with context.db.transaction(_("Eligibility notes for %(reference)s")
                                % {"reference": reference.strip().upper()}) as uow:
        row = find_application_row(uow.session, reference)
        row.eligibility_notes = notes.strip()
        uow.session.add(row)
        record = application_record(uow.session, row)
    return Saved(record, uow.changes)


# -- decisions -----------------------------------------------------------------------
def _not_in_future(on, today, field: str) -> None:
    if today is not None and on > today:
        raise ValidationError(_("The date cannot be in the future."), field=field)


def apply_approval(session: Session, row: FundApplication, draft: ApprovalDraft, today=None,
                   check_override: Callable[[], None] | None = None) -> None:
    """Approve ``row``. An override reason is kept only when the amount is over budget (domain
    ``over_budget``); then ``check_override`` runs first (it raises when the person may not override)."""
    check_transition(Status(row.status), Status.APPROVED)
    _not_in_future(draft.decided_on, today, "decided_on")
    if not draft.decided_by.strip():
        raise ValidationError(_("Say who made the decision."), field="decided_by")
    if draft.decided_on < row.received_on:
        raise ValidationError(_("The decision cannot be dated before the application was received."),
                              field="decided_on")
    pot = session.get_one(FundPot, row.pot_id)
    remaining = pot.budget_pence - committed_pence(session, pot.id)
    override = draft.override_reason.strip() if over_budget(draft.amount_pence, remaining) else ""
    check_approval(draft.amount_pence, remaining, override, format_money)
    if override and check_override is not None:
        check_override()
    row.status, row.approved_pence = str(Status.APPROVED), draft.amount_pence
    row.left_to_pay_pence = draft.amount_pence
    row.decided_by, row.decided_on, row.override_reason = draft.decided_by.strip(), draft.decided_on, override
    session.add(row)
    session.flush()


def approve_application(context: AppContext, reference: str, draft: ApprovalDraft) -> Saved[ApplicationRecord]:
    """Approve an application for an amount.

    Raises ValidationError when the status does not allow it or the amount would
    overspend the pot (domain ``over_budget``, decided inside the transaction) without a written
    override (which is then kept); PermissionDenied when the approval overspends and the person is
    not a lead. An override reason for an amount that fits is not needed and not kept. Commits.
    """
    require(context, Permission.FUND)
    with context.db.transaction(_("Approve application %(reference)s")
                                % {"reference": reference.strip().upper()}) as uow:
        row = find_application_row(uow.session, reference)
        apply_approval(uow.session, row, draft, local_today(context.clock),
                       check_override=lambda: require(context, Permission.FUND_OVERRIDE))
        record = application_record(uow.session, row)
    return Saved(record, uow.changes)


def apply_outcome(session: Session, row: FundApplication, target: Status, reason: str,
                  decided_by: str, on, today=None) -> None:
    """Decline or withdraw; a reason is required so the funder's questions can be answered."""
    check_transition(Status(row.status), target, paid_pence(session, row.id))
    _not_in_future(on, today, "decided_on")
    if not reason.strip():
        raise ValidationError(_("Write the reason."), field="reason")
    if on < row.received_on:
        raise ValidationError(_("The decision cannot be dated before the application was received."),
                              field="decided_on")
    row.status, row.outcome_reason = str(target), reason.strip()
    row.left_to_pay_pence = 0
    if target == Status.DECLINED:
        row.decided_by, row.decided_on = decided_by.strip(), on
    else:
        row.ended_on = on
    session.add(row)
    session.flush()


def decline_application(context: AppContext, reference: str, reason: str, decided_by: str,
                        on) -> Saved[ApplicationRecord]:
    """Decline a received application with a reason. Raises ValidationError, NotFoundError; commits."""
    require(context, Permission.FUND)
    with context.db.transaction(_("Decline application %(reference)s")
                                % {"reference": reference.strip().upper()}) as uow:
        row = find_application_row(uow.session, reference)
        apply_outcome(uow.session, row, Status.DECLINED, reason, decided_by, on, local_today(context.clock))
        record = application_record(uow.session, row)
    return Saved(record, uow.changes)


def withdraw_application(context: AppContext, reference: str, reason: str, on) -> Saved[ApplicationRecord]:
    """Withdraw an application (received, or approved with nothing paid); frees its commitment.

    Raises ValidationError, NotFoundError; commits.
    """
    require(context, Permission.FUND)
    with context.db.transaction(_("Withdraw application %(reference)s")
                                % {"reference": reference.strip().upper()}) as uow:
        row = find_application_row(uow.session, reference)
        apply_outcome(uow.session, row, Status.WITHDRAWN, reason, "", on, local_today(context.clock))
        record = application_record(uow.session, row)
    return Saved(record, uow.changes)


def close_application(context: AppContext, reference: str, on) -> Saved[ApplicationRecord]:
    """Close a fully paid application. Raises ValidationError, NotFoundError; commits."""
    require(context, Permission.FUND)
    with context.db.transaction(_("Close application %(reference)s")
                                % {"reference": reference.strip().upper()}) as uow:
        row = find_application_row(uow.session, reference)
        check_transition(Status(row.status), Status.CLOSED)
        _not_in_future(on, local_today(context.clock), "ended_on")
        row.status, row.ended_on = str(Status.CLOSED), on
        uow.session.add(row)
        record = application_record(uow.session, row)
    return Saved(record, uow.changes)


# -- payments ------------------------------------------------------------------------
def add_payment(session: Session, row: FundApplication, draft: PaymentDraft, recorded_by: str,
                receipt_file: str = "", today=None) -> FundPayment:
    current = Status(row.status)
    if current != Status.APPROVED:
        check_transition(current, Status.PAID)
    _not_in_future(draft.paid_on, today, "paid_on")
    if row.decided_on and draft.paid_on < row.decided_on:
        raise ValidationError(_("A payment cannot be dated before the approval."), field="paid_on")
    already = paid_pence(session, row.id)
    check_payment(draft.amount_pence, row.approved_pence, already, format_money)
    payment = FundPayment(application_id=row.id, paid_on=draft.paid_on, amount_pence=draft.amount_pence,
                          method=str(draft.method), supplier=draft.supplier.strip(),
                          reference=draft.reference.strip(), receipt_file=receipt_file,
                          recorded_by=recorded_by)
    session.add(payment)
    row.left_to_pay_pence = row.approved_pence - already - draft.amount_pence
    row.status = str(status_after_payment(row.approved_pence, already + draft.amount_pence))
    session.add(row)
    session.flush()
    return payment


def _copy_receipt(context: AppContext, source: str, reference: str) -> Path:
    """Copy the receipt into the data folder; a copy survives the original being moved."""
    path = Path(source).expanduser()
    if not path.is_file():
        raise ValidationError(_("The receipt file %(path)s cannot be found.") % {"path": path},
                              field="receipt")
    if path.stat().st_size > MAX_RECEIPT_BYTES:
        raise ValidationError(_("The receipt file is too big (over 25 MB). Scan it at a lower "
                                "resolution and try again."), field="receipt")
    folder = context.files_dir(RECEIPTS)
    stamp = context.clock.now().strftime("%Y%m%dT%H%M%S")
    target = folder / f"{reference}-{stamp}{path.suffix.lower()}"
    number = 1
    while target.exists():
        number += 1
        target = folder / f"{reference}-{stamp}-{number}{path.suffix.lower()}"
    partial = target.with_name(f".{target.name}.partial")
    try:
        shutil.copyfile(path, partial)
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ValidationError(_("The receipt could not be copied: %(reason)s")
                              % {"reason": exc.strerror or exc}, field="receipt") from exc
    return target


def record_payment(context: AppContext, reference: str, draft: PaymentDraft) -> Saved[ApplicationRecord]:
    """Record a payment on an approved application, copying its receipt in.

    The status becomes paid when payments reach the approved amount. Raises
    ValidationError (too much, wrong status, missing receipt), NotFoundError;
    commits. A receipt copied for a payment that is then refused is removed.
    """
    require(context, Permission.FUND)
    reference = reference.strip().upper()
    copied = _copy_receipt(context, draft.receipt_path, reference) if draft.receipt_path else None
    try:
        with context.db.transaction(_("Record payment for %(reference)s") % {"reference": reference}) as uow:
            row = find_application_row(uow.session, reference)
            add_payment(uow.session, row, draft, context.actor(), receipt_file=copied.name if copied else "",
                        today=local_today(context.clock))
            record = application_record(uow.session, row)
    except BaseException:
        if copied is not None:
            copied.unlink(missing_ok=True)
        raise
    return Saved(record, uow.changes)
