"""The one vocabulary for "what did this action change".

Every service that changes data returns ``Saved(record, changes)``; ``changes``
names the kinds of data touched (not tables). The UI pushes the action for undo
and tells the pages, which each reload only for the kinds they show. Which
table belongs to which kind is declared beside the tables
(``storage.tables.KIND_OF_TABLE``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, TypeVar

T = TypeVar("T")


class Kind(StrEnum):
    """Kinds of data a page can show and an action can change."""

    FAMILY = "family"            # families, their members and schools
    PLACE = "place"              # areas and schools: the lists families are sorted by
    VOLUNTEER = "volunteer"      # volunteers and their areas
    MEETING = "meeting"          # meetings and series
    ATTENDANCE = "attendance"
    MEETING_ACTION = "meeting_action"
    FUND = "fund"                # pots, applications, payments
    PACK_BATCH = "pack_batch"
    PACK = "pack"                # packs, runs, delivery events
    NEWSLETTER = "newsletter"
    FEEDBACK = "feedback"        # questionnaires and the answers given
    SETTINGS = "settings"
    USER = "user"
    SYNC = "sync"                # conflicts and their resolutions


EVERYTHING: frozenset[Kind] = frozenset(Kind)


@dataclass
class Changes:
    """What one committed action touched: its id (for undo), the kinds of data
    and how many rows. Filled in while the action's transaction runs."""

    action_id: str
    kinds: set[Kind] = field(default_factory=set)
    rows: int = 0

    def touches(self, kinds: Iterable[Kind]) -> bool:
        return not self.kinds.isdisjoint(kinds)

    @classmethod
    def of_actions(cls, actions: Iterable[Changes]) -> Changes:
        """Several committed actions of one request, reported together (retention: one erasure per
        family). Each stays its own action in the log; ``action_id`` is the last one's ("" if none)."""
        total = cls(action_id="")
        for changes in actions:
            total.action_id = changes.action_id
            total.kinds |= changes.kinds
            total.rows += changes.rows
        return total


@dataclass(frozen=True)
class Saved(Generic[T]):
    """What a service that changed something returns: the new or changed record
    and the action's changes (for undo and for reloading the pages)."""

    record: T
    changes: Changes
