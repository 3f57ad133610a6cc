"""Derived data is recomputed, never merged.

Some columns are not typed by anyone: they follow from other data. Merging
them field by field like typed values goes wrong (a name edited on one laptop
and a phone on another would leave a search text that matches neither), so
the merge skips them (no field clock, no conflict), and after every applied
file and every conflict decision they are computed again from the merged
data, the same way on every laptop:

- a pack's ``status``, ``status_at``, ``volunteer_id`` and ``note`` from its
  surviving events: the first delivery wins (later ones are duplicates, see
  rules.py), else the latest other outcome, else outstanding;
- a fund application's ``left_to_pay_pence`` from its approved amount and its
  payments.

A family's search text is derived too, but kept in its own table, written by
the unit of work for every family a file touched (storage/family_search.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import select as sa_select
from sqlmodel import Session

from peer_support.services.pack_derived import pack_values  # the rule for packs, shared with undo

if TYPE_CHECKING:
    from peer_support.services.sync.merge import Merger

DERIVED_FIELDS: dict[str, frozenset[str]] = {
    # Not a column since migration 0037 (the search text has its own table), but in the changes of
    # laptops not updated yet and in change logs from before: skipped, as it always was.
    "family": frozenset({"search_text"}),
    "pack": frozenset({"status", "status_at", "volunteer_id", "note"}),
    "fund_application": frozenset({"left_to_pay_pence"}),
}
_ENDED = ("declined", "withdrawn")  # fund statuses that promise nothing more


def is_derived(entity: str, field: str) -> bool:
    return field in DERIVED_FIELDS.get(entity, ())


def _set(row: Any, values: dict[str, Any]) -> bool:
    changed = False
    for field, value in values.items():
        if getattr(row, field) != value:
            setattr(row, field, value)
            changed = True
    return changed


def application_values(session: Session, application) -> dict[str, Any]:
    from peer_support.services.fund import paid_pence

    if application.status in _ENDED:
        return {"left_to_pay_pence": 0}
    return {"left_to_pay_pence": (application.approved_pence or 0) - paid_pence(session, application.id)}


def _linked_ids(session: Session, model: Any, link: str, ids: Iterable[str]) -> set[str]:
    """The ``link`` values of these rows of ``model`` (one query per 500 ids)."""
    ordered, found = sorted(set(ids)), set[str]()
    for start in range(0, len(ordered), 500):
        found.update(v for v in session.execute(sa_select(getattr(model, link)).where(
            model.id.in_(ordered[start:start + 500]))).scalars() if v is not None)
    return found


def recompute(session: Session, touched: Mapping[str, Iterable[str]], order: Any = None) -> set[str]:
    """Compute the derived columns of the records behind ``touched`` ({table: ids}) again.

    Returns the tables whose rows changed. The caller decides whether the
    writes are logged (a local decision: through the ORM) or not (a merge:
    every laptop does the same).
    """
    from peer_support.storage.tables.fund import FundApplication, FundPayment
    from peer_support.storage.tables.packs import Pack, PackEvent

    changed: set[str] = set()
    # Records whose derived columns follow from other records: a pack from its events,
    # an application from its payments.
    parents = (
        (Pack, PackEvent, "pack_id", lambda pack: pack_values(session, pack, order)),
        (FundApplication, FundPayment, "application_id", lambda application: application_values(session, application)),
    )
    for parent, child, link, values in parents:
        ids = set(touched.get(parent.__tablename__, ()))
        children = touched.get(child.__tablename__, ())
        if children:
            session.flush()
            ids |= _linked_ids(session, child, link, children)
        if ids:
            session.flush()
        for parent_id in sorted(ids):
            row = session.get(parent, parent_id)
            if row is not None and _set(row, values(row)):
                session.add(row)
                changed.add(parent.__tablename__)
    return changed


def recompute_derived(merger: "Merger") -> None:
    """After a file is merged: the derived columns of everything it (or this laptop since) touched."""
    touched: dict[str, set[str]] = {}
    for source in (merger.touched, merger.own_touched):
        for table, ids in source.items():
            touched.setdefault(table, set()).update(ids)

    def order(event):
        # The same order on every laptop: when, then the stamp that created the event.
        clock = merger.clock("pack_event", event.id, "pack_id") or ("",)
        return (event.at, clock[0], event.id)

    for table in recompute(merger.session, touched, order):
        merger.touched.setdefault(table, set())
