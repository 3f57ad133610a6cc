"""The fund application's status and the one rule of what it commits against a pot's budget.

Apart from the records (domain/fund.py, which re-exports these names) because the
dashboard's first paint and ``fund status`` need only this.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from peer_support.i18n import N_, _


class Status(StrEnum):
    RECEIVED = "received"
    APPROVED = "approved"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    PAID = "paid"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return _(_STATUS_LABELS[self])


_STATUS_LABELS = {
    Status.RECEIVED: N_("Received"), Status.APPROVED: N_("Approved"), Status.DECLINED: N_("Declined"),
    Status.WITHDRAWN: N_("Withdrawn"), Status.PAID: N_("Paid"), Status.CLOSED: N_("Closed"),
}

# Statuses whose approved amount is committed against the pot's budget: the one definition.
# Records (ApplicationRecord.committed_pence), the ORM and plain-SQL queries (committed_condition,
# committed_sql), the sync overspend rule and the XLSX report's formulas all use it.
COMMITTED = frozenset({Status.APPROVED, Status.PAID, Status.CLOSED})
# The same statuses as stored text, in workflow order (for SQL and stable formulas).
COMMITTED_VALUES: tuple[str, ...] = tuple(str(s) for s in Status if s in COMMITTED)


def is_committed(status: str) -> bool:
    """Whether an application in ``status`` (a Status or its stored text) holds pot money."""
    return str(status) in COMMITTED_VALUES


def committed_amount(status: str, approved_pence: int | None) -> int:
    """What one application takes from its pot: its approved amount while committed, else 0."""
    return (approved_pence or 0) if is_committed(status) else 0


def committed_condition(status_column: Any) -> Any:
    """The committed rule as an SQLAlchemy condition on a status column (FundApplication.status)."""
    return status_column.in_(COMMITTED_VALUES)


def committed_sql(status_column: str = "status") -> str:
    """The committed rule as a plain-SQL condition, e.g. ``a.status IN ('approved', 'paid', 'closed')``."""
    return "%s IN (%s)" % (status_column, ", ".join("'%s'" % value for value in COMMITTED_VALUES))
