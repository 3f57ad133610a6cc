"""A pack's derived columns from its events: the one rule, for sync and for undo.

A pack's ``status``, ``status_at``, ``volunteer_id`` and ``note`` follow from
its surviving events: the first delivery wins (later ones are duplicates), else
the latest other outcome, else outstanding. A scan writes them beside its event
without logging them (deliveries.record_scan); sync computes them again after
every merge (sync/derived.py) and undo after every undo (history.undo_action).
Kept apart from sync/derived.py so undo can use it without loading the other
derived data's modules (the fund's would make an import circle).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlmodel import Session, col, select

from peer_support.storage.conditions import live


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


def recompute_pack_status(session: Session, event_ids: Iterable[str]) -> None:
    """Bring the packs of these events in step with their live events (through the session: a
    change the unit of work logs as part of the action, e.g. an undo)."""
    from peer_support.storage.tables.packs import Pack, PackEvent

    session.flush()
    ids = sorted(set(event_ids))
    pack_ids = set(session.exec(select(PackEvent.pack_id).where(col(PackEvent.id).in_(ids)))) if ids else set()
    for pack_id in sorted(pack_ids):
        pack = session.get(Pack, pack_id)
        if pack is None:
            continue
        changed = False
        for field, value in pack_values(session, pack).items():
            if getattr(pack, field) != value:
                setattr(pack, field, value)
                changed = True
        if changed:
            session.add(pack)
