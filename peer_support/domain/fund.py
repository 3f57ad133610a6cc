"""Connectivity fund: records, drafts and the pure rules.

The status workflow is a small state machine::

    received -> approved | declined | withdrawn
    approved -> paid (when payments reach the approved amount) | withdrawn (nothing paid yet)
    paid     -> closed

Money rules: an approval never exceeds the pot's remaining budget (budget minus
approved, not withdrawn or declined, commitments) unless a lead writes a reason
to override; payments never exceed the approved amount.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from peer_support.domain.fund_status import COMMITTED as COMMITTED
from peer_support.domain.fund_status import COMMITTED_VALUES as COMMITTED_VALUES
from peer_support.domain.fund_status import Status as Status
from peer_support.domain.fund_status import committed_amount as committed_amount
from peer_support.domain.fund_status import committed_condition as committed_condition
from peer_support.domain.fund_status import committed_sql as committed_sql
from peer_support.domain.fund_status import is_committed as is_committed
from peer_support.errors import ValidationError
from peer_support.i18n import N_, _


TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.RECEIVED: frozenset({Status.APPROVED, Status.DECLINED, Status.WITHDRAWN}),
    Status.APPROVED: frozenset({Status.PAID, Status.WITHDRAWN}),
    Status.PAID: frozenset({Status.CLOSED}),
    Status.DECLINED: frozenset(),
    Status.WITHDRAWN: frozenset(),
    Status.CLOSED: frozenset(),
}


class Channel(StrEnum):
    PHONE = "phone"
    PAPER = "paper"
    IN_PERSON = "in_person"
    ONLINE_FORM = "online_form"

    @property
    def label(self) -> str:
        return _(_CHANNEL_LABELS[self])


_CHANNEL_LABELS = {Channel.PHONE: N_("Phone"), Channel.PAPER: N_("Paper form"),
                   Channel.IN_PERSON: N_("In person"), Channel.ONLINE_FORM: N_("Online form")}


class Need(StrEnum):
    BROADBAND = "broadband"
    MOBILE_DATA = "mobile_data"
    DONGLE_ROUTER = "dongle_router"
    DEVICE = "device"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _(_NEED_LABELS[self])


_NEED_LABELS = {Need.BROADBAND: N_("Broadband"), Need.MOBILE_DATA: N_("Mobile data"),
                Need.DONGLE_ROUTER: N_("Dongle or router"), Need.DEVICE: N_("Device"),
                Need.OTHER: N_("Other")}


class PaymentMethod(StrEnum):
    VOUCHER = "voucher"
    BANK_TRANSFER = "bank_transfer"
    TOP_UP = "top_up"
    PURCHASE = "purchase"

    @property
    def label(self) -> str:
        return _(_METHOD_LABELS[self])


_METHOD_LABELS = {PaymentMethod.VOUCHER: N_("Voucher"), PaymentMethod.BANK_TRANSFER: N_("Bank transfer"),
                  PaymentMethod.TOP_UP: N_("Top-up"),
                  PaymentMethod.PURCHASE: N_("Purchase on the family's behalf")}


# -- drafts (what a user enters) ---------------------------------------------------
@dataclass(frozen=True)
class PotDraft:
    name: str
    budget_pence: int
    opens_on: date
    funder: str = ""
    closes_on: date | None = None
    notes: str = ""


@dataclass(frozen=True)
class ApplicationDraft:
    pot: str  # pot name
    family_reference: str
    received_on: date
    channel: Channel
    need: Need
    requested_pence: int
    reason: str = ""
    eligibility_notes: str = ""


@dataclass(frozen=True)
class ApprovalDraft:
    amount_pence: int
    decided_by: str
    decided_on: date
    # Needed only when the amount is more than the pot has left.
    override_reason: str = ""


@dataclass(frozen=True)
class PaymentDraft:
    paid_on: date
    amount_pence: int
    method: PaymentMethod
    supplier: str = ""
    reference: str = ""
    receipt_path: str = ""  # a file to copy into the data folder


# -- records (what services return) ------------------------------------------------
@dataclass(frozen=True)
class PotRecord:
    id: str
    name: str
    funder: str
    budget_pence: int
    opens_on: date
    closes_on: date | None
    notes: str
    committed_pence: int
    paid_pence: int
    applications: int
    waiting: int

    @property
    def remaining_pence(self) -> int:
        return self.budget_pence - self.committed_pence


@dataclass(frozen=True)
class PaymentRecord:
    id: str
    paid_on: date
    amount_pence: int
    method: PaymentMethod
    supplier: str
    reference: str
    receipt_file: str
    recorded_by: str


@dataclass(frozen=True)
class ApplicationRecord:
    id: str
    reference: str
    pot: str
    family_reference: str
    family_name: str
    area: str
    received_on: date
    channel: Channel
    need: Need
    requested_pence: int
    reason: str
    eligibility_notes: str
    status: Status
    approved_pence: int
    paid_pence: int
    decided_by: str
    decided_on: date | None
    outcome_reason: str
    override_reason: str
    ended_on: date | None
    payments: tuple[PaymentRecord, ...] = field(default=())
    # References of this family's other awards from the same pot (fairness aid).
    earlier_awards: tuple[str, ...] = field(default=())

    @property
    def committed(self) -> bool:
        return is_committed(self.status)

    @property
    def committed_pence(self) -> int:
        return committed_amount(self.status, self.approved_pence)

    @property
    def unpaid_pence(self) -> int:
        return self.committed_pence - self.paid_pence if self.status == Status.APPROVED else 0


@dataclass(frozen=True)
class ChangeEntry:
    """One line of an application's history, ready to show."""

    at: datetime
    actor: str
    description: str
    details: tuple[str, ...]






# -- rules -------------------------------------------------------------------------
def check_transition(current: Status, target: Status, paid_pence: int = 0) -> None:
    """Raise ValidationError saying why ``current`` cannot become ``target``."""
    if target in TRANSITIONS[current]:
        if current == Status.APPROVED and target == Status.WITHDRAWN and paid_pence:
            raise ValidationError(_("This application cannot be withdrawn: money has already been "
                                    "paid. Record the remaining payments or close it once paid."))
        return
    if current == target:
        raise ValidationError(_("The application is already “%(status)s”.") % {"status": current.label})
    if current in (Status.DECLINED, Status.WITHDRAWN, Status.CLOSED):
        raise ValidationError(_("The application is “%(status)s” and cannot be changed any more. "
                                "Record a new application if the family asks again.")
                              % {"status": current.label})
    if current == Status.RECEIVED:
        raise ValidationError(_("This application has not been decided yet: approve it before "
                                "paying or closing it."))
    if current == Status.APPROVED and target == Status.CLOSED:
        raise ValidationError(_("This application cannot be closed until the approved amount has "
                                "been paid in full."))
    raise ValidationError(_("An application that is “%(current)s” cannot become “%(target)s”.")
                          % {"current": current.label, "target": target.label})


def over_budget(amount_pence: int, remaining_pence: int) -> bool:
    """Whether approving ``amount_pence`` spends more than the pot has left: then only a lead may
    approve it, writing the reason (check_approval, services/fund.py; the decision dialog shows the
    reason field and the pot's remaining money in red by the same rule)."""
    return amount_pence > remaining_pence


def check_approval(amount_pence: int, remaining_pence: int, override_reason: str, format_money) -> None:
    """Approvals must be positive and fit the pot unless a written override is given."""
    if amount_pence <= 0:
        raise ValidationError(_("The approved amount must be more than zero."), field="amount")
    if over_budget(amount_pence, remaining_pence) and not override_reason.strip():
        raise ValidationError(
            _("Approving %(amount)s would overspend the pot: only %(remaining)s is left. A lead "
              "can override this by writing the reason.")
            % {"amount": format_money(amount_pence), "remaining": format_money(max(remaining_pence, 0))},
            field="amount")


def check_payment(amount_pence: int, approved_pence: int, paid_pence: int, format_money) -> None:
    if amount_pence <= 0:
        raise ValidationError(_("A payment must be more than zero."), field="amount")
    left = approved_pence - paid_pence
    if amount_pence > left:
        raise ValidationError(
            _("Paying %(amount)s would pay more than was approved: %(left)s is left to pay.")
            % {"amount": format_money(amount_pence), "left": format_money(left)}, field="amount")


def status_after_payment(approved_pence: int, paid_pence: int) -> Status:
    return Status.PAID if paid_pence >= approved_pence else Status.APPROVED
