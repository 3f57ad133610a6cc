"""Connectivity fund: pots (budgets from a funder), applications and payments."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field

from peer_support.storage.ownership import FAMILY, NotPersonal, Owned
from peer_support.storage.tables.base import Entity


# Why a family asked and what was decided: about the family, and typed freely.
_APPLICATION_TEXT = ("reason", "eligibility_notes", "outcome_reason", "override_reason")


class FundPot(Entity, table=True):
    """A budget from one funder, e.g. a grant round."""

    __tablename__ = "fund_pot"
    __owner__ = NotPersonal("a funder's budget", free_text=("notes",))

    name: str = Field(unique=True)
    funder: str = Field(default="")
    budget_pence: int
    opens_on: date
    closes_on: date | None = Field(default=None)
    notes: str = Field(default="")


class FundApplication(Entity, table=True):
    """One request for help from one family; its status follows domain/fund.py."""

    __tablename__ = "fund_application"
    __owner__ = Owned(FAMILY, via=("family_id",), personal=_APPLICATION_TEXT, free_text=_APPLICATION_TEXT)

    reference: str = Field(unique=True, max_length=16)
    pot_id: str = Field(foreign_key="fund_pot.id", index=True)
    family_id: str = Field(foreign_key="family.id", index=True)
    received_on: date = Field(index=True)
    channel: str
    need: str
    requested_pence: int
    reason: str = Field(default="")
    eligibility_notes: str = Field(default="")
    status: str = Field(index=True)
    approved_pence: int = Field(default=0)
    # Approved minus paid. Set by the approval and lowered by every payment, so
    # undoing an approval that has payments after it is refused ("changed again
    # since") instead of leaving money paid against nothing.
    left_to_pay_pence: int = Field(default=0)
    decided_by: str = Field(default="")
    decided_on: date | None = Field(default=None)
    # Why it was declined or withdrawn.
    outcome_reason: str = Field(default="")
    # A lead's written reason for approving beyond the pot's remaining budget.
    override_reason: str = Field(default="")
    ended_on: date | None = Field(default=None)


class FundPayment(Entity, table=True):
    __tablename__ = "fund_payment"
    __owner__ = Owned(FAMILY, via=("application_id", "family_id"), files=("receipt_file",))

    application_id: str = Field(foreign_key="fund_application.id", index=True)
    paid_on: date
    amount_pence: int
    method: str
    supplier: str = Field(default="")
    reference: str = Field(default="")
    # File name inside the data folder's files/receipts (a copy, never a link).
    receipt_file: str = Field(default="")
    recorded_by: str = Field(default="")
