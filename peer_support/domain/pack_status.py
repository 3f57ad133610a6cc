"""A pack's status (the outcome of its latest event) and a batch's or run's progress counts.

Apart from the records (domain/packs.py, which re-exports these names) because the
dashboard's first paint and ``packs progress`` need only this.
"""

from __future__ import annotations

from enum import Enum
from typing import NamedTuple

from peer_support.i18n import N_, _


class Outcome(str, Enum):
    """What happened at the door (an event); the pack's status is its latest outcome."""

    DELIVERED = "delivered"
    NOT_HOME = "not_home"
    REFUSED = "refused"
    RETURNED = "returned"
    DUPLICATE = "duplicate"  # a second "delivered" scan: logged, never counted


OUTSTANDING = "outstanding"  # status of a pack nobody has tried yet

_LABELS = {
    OUTSTANDING: N_("Not yet delivered"),
    Outcome.DELIVERED.value: N_("Delivered"),
    Outcome.NOT_HOME.value: N_("Not at home (try again)"),
    Outcome.REFUSED.value: N_("Refused"),
    Outcome.RETURNED.value: N_("Returned to stock"),
    Outcome.DUPLICATE.value: N_("Duplicate scan (not counted)"),
}


def status_label(status: str) -> str:
    return _(_LABELS.get(status, status))


class Progress(NamedTuple):  # a NamedTuple: made far faster than a frozen dataclass at start-up
    """Counts for a batch or a run. delivered + outstanding + refused + returned == total;
    ``not_home`` packs are part of ``outstanding`` (they are tried again)."""

    total: int
    delivered: int
    outstanding: int
    not_home: int
    refused: int
    returned: int
    duplicates: int = 0

    @property
    def problems(self) -> int:
        return self.not_home + self.refused + self.returned

    @property
    def fraction_delivered(self) -> float:
        return self.delivered / self.total if self.total else 0.0
