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

from collections.abc import Callable, Iterable, Mapping, Set as AbstractSet
from typing import TYPE_CHECKING, Any

from sqlalchemy import select as sa_select
from sqlmodel import Session

from peer_support.domain.families_rules import search_text
from peer_support.services.pack_derived import pack_values  # the rule for packs, shared with undo

if TYPE_CHECKING:
    from peer_support.services.sync.merge import Merger

DERIVED_FIELDS: dict[str, frozenset[str]] = {
    "family": frozenset({"search_text"}),
    "pack": frozenset({"status", "status_at", "volunteer_id", "note"}),
    "fund_application": frozenset({"left_to_pay_pence"}),
}
_ENDED = ("declined", "withdrawn")  # fund statuses that promise nothing more


# Derived columns that follow from the record's own columns alone: (the columns they follow from,
# the function that sets them on a ``rows.Row``). The merge sets them as it writes the row (one
# statement, not a second ``UPDATE``); ``recompute`` still checks them against the stored sources.
ROW_DERIVED: dict[str, tuple[frozenset[str], Callable[[Any], None]]] = {}


def is_derived(entity: str, field: str) -> bool:
    return field in DERIVED_FIELDS.get(entity, ())


def _family_row(row: Any) -> None:
    row.search_text = search_text(row.reference, row.name, row.postcode, row.phone, row.email)


ROW_DERIVED["family"] = (frozenset({"reference", "name", "postcode", "phone", "email"}), _family_row)


def _set(row: Any, values: dict[str, Any]) -> bool:
    changed = False
    for field, value in values.items():
        if getattr(row, field) != value:
            setattr(row, field, value)
            changed = True
    return changed


def family_values(family) -> dict[str, Any]:
    return {"search_text": search_text(family.reference, family.name, family.postcode, family.phone, family.email)}


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


def _families_in_bulk(session: Session, ids: set[str], search_stale: set[str]) -> bool:
    """Families' search text with one query per 500 and one ``executemany``, unlogged (a merge).

    The merge wrote most of them with their text already (``ROW_DERIVED``): this reads the
    stored sources back and writes only the texts that differ (a rule or an erasure changed
    the row through the ORM since)."""
    from peer_support.storage.bulk import execute_rows
    from peer_support.storage.family_search import driver_connection
    from peer_support.storage.tables.families import Family

    session.flush()
    connection, ordered, changed = driver_connection(session), sorted(ids), []
    for start in range(0, len(ordered), 500):
        chunk = ordered[start:start + 500]
        for family_id, reference, name, postcode, phone, email, stored in connection.execute(
                f"SELECT id, reference, name, postcode, phone, email, search_text FROM family "
                f"WHERE id IN ({','.join('?' * len(chunk))})", chunk):
            text = search_text(reference, name, postcode, phone, email)
            if text != stored:
                changed.append((text, family_id))
    execute_rows(session, 'UPDATE "family" SET search_text = ? WHERE id = ?', changed)
    # Families the session holds as objects (few: a merge works on plain rows) forget the old text.
    held = {obj.id: obj for obj in session.identity_map.values() if isinstance(obj, Family)}
    for _text, family_id in changed:
        search_stale.add(family_id)
        cached = held.get(family_id)
        if cached is not None:
            session.expire(cached, ["search_text"])
    return bool(changed)


def recompute(session: Session, touched: Mapping[str, Iterable[str]], order: Any = None,
              search_stale: set[str] | None = None, current: AbstractSet[str] = frozenset()) -> set[str]:
    """Compute the derived columns of the records behind ``touched`` ({table: ids}) again.

    Returns the tables whose rows changed. The caller decides whether the
    writes are logged (a local decision: through the ORM) or not (a merge:
    every laptop does the same; given ``search_stale``, the unit of work's set
    of families whose search rows follow, families are written in bulk).
    ``current``: families whose own derived columns are known to follow from their
    stored values (a merge wrote both, nothing since): not read back.
    """
    from peer_support.storage.tables.families import Family
    from peer_support.storage.tables.fund import FundApplication, FundPayment
    from peer_support.storage.tables.packs import Pack, PackEvent

    changed: set[str] = set()
    family_ids = set(touched.get("family", ()))
    if family_ids:
        session.flush()
    if family_ids and search_stale is not None:
        if _families_in_bulk(session, family_ids - current, search_stale):
            changed.add("family")
    else:
        for family_id in sorted(family_ids):
            family = session.get(Family, family_id)
            if family is not None and _set(family, family_values(family)):
                session.add(family)
                changed.add("family")
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

    # The families the merge wrote with their search text, when no rule or erasure wrote since,
    # are not read back (two thousand and more of them per file).
    current = merger.derived_current("family")
    for table in recompute(merger.session, touched, order, merger.uow.search_stale, current):
        merger.touched.setdefault(table, set())
