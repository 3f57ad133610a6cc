"""Derived data is recomputed, never merged.

Some columns are not typed by anyone: they follow from other data. Merging
them field by field like typed values goes wrong (a name edited on one laptop
and a phone on another would leave a search text that matches neither), so
the merge skips them (no field clock, no conflict), and after every applied
file and every conflict decision they are computed again from the merged
data, the same way on every laptop:

- ``family.search_text`` from the reference, name, postcode, phone and email;
- a pack's ``status``, ``status_at``, ``volunteer_id`` and ``note`` from its
  surviving events: the first delivery wins (later ones are duplicates, see
  rules.py), else the latest other outcome, else outstanding;
- a fund application's ``left_to_pay_pence`` from its approved amount and its
  payments.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, select

from peer_support.domain.families_rules import search_text
from peer_support.storage.conditions import live

if TYPE_CHECKING:
    from peer_support.services.sync.merge import Merger

DERIVED_FIELDS: dict[str, frozenset[str]] = {
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


def family_values(family) -> dict[str, Any]:
    return {"search_text": search_text(family.reference, family.name, family.postcode, family.phone, family.email)}


def pack_values(session: Session, pack, order=None) -> dict[str, Any]:
    """What a pack shows, from its live events (``order``: sort key of an event)."""
    from peer_support.storage.tables.packs import PackEvent

    events = [e for e in session.exec(select(PackEvent).where(PackEvent.pack_id == pack.id,
                                                              live(PackEvent)))
              if e.outcome != "duplicate"]
    key = order or (lambda e: (e.at, e.created_at, e.id))
    delivered = sorted((e for e in events if e.outcome == "delivered"), key=key)
    chosen = delivered[0] if delivered else max(events, key=key, default=None)
    if chosen is None:
        return {"status": "outstanding", "status_at": None, "volunteer_id": None, "note": ""}
    return {"status": chosen.outcome, "status_at": chosen.at, "volunteer_id": chosen.volunteer_id,
            "note": chosen.note}


def application_values(session: Session, application) -> dict[str, Any]:
    from peer_support.services.fund import paid_pence

    if application.status in _ENDED:
        return {"left_to_pay_pence": 0}
    return {"left_to_pay_pence": (application.approved_pence or 0) - paid_pence(session, application.id)}


def recompute(session: Session, touched: dict[str, Iterable[str]], order=None) -> set[str]:
    """Compute the derived columns of the records behind ``touched`` ({table: ids}) again.

    Returns the tables whose rows changed. The caller decides whether the
    writes are logged (a local decision) or not (a merge: every laptop does
    the same).
    """
    from peer_support.storage.tables.families import Family
    from peer_support.storage.tables.fund import FundApplication, FundPayment
    from peer_support.storage.tables.packs import Pack, PackEvent

    changed: set[str] = set()
    for family_id in sorted(set(touched.get("family", ()))):
        family = session.get(Family, family_id)
        if family is not None and _set(family, family_values(family)):
            session.add(family)
            changed.add("family")
    pack_ids = set(touched.get("pack", ()))
    for event_id in touched.get("pack_event", ()):
        event = session.get(PackEvent, event_id)
        if event is not None:
            pack_ids.add(event.pack_id)
    if pack_ids:
        session.flush()
    for pack_id in sorted(pack_ids):
        pack = session.get(Pack, pack_id)
        if pack is not None and _set(pack, pack_values(session, pack, order)):
            session.add(pack)
            changed.add("pack")
    application_ids = set(touched.get("fund_application", ()))
    for payment_id in touched.get("fund_payment", ()):
        payment = session.get(FundPayment, payment_id)
        if payment is not None:
            application_ids.add(payment.application_id)
    if application_ids:
        session.flush()
    for application_id in sorted(application_ids):
        application = session.get(FundApplication, application_id)
        if application is not None and _set(application, application_values(session, application)):
            session.add(application)
            changed.add("fund_application")
    return changed


def recompute_derived(merger: "Merger") -> None:
    """After a file is merged: the derived columns of everything it (or this laptop since) touched."""
    touched: dict[str, set[str]] = {}
    for source in (merger.touched, merger.own_touched):
        for table, ids in source.items():
            touched.setdefault(table, set()).update(ids)

    def order(event):
        # The same order on every laptop: when, then the stamp that created the event.
        clock = merger.clocks("pack_event", event.id).get("pack_id") or ("",)
        return (event.at, clock[0], event.id)

    for table in recompute(merger.session, touched, order):
        merger.touched.setdefault(table, set())
