"""Domain rules that must survive a merge, as small per-table hooks.

After each journal file is applied, every rule registered for a table runs
once with the ids of that table's records the file touched. A rule sees the
``Merger`` (``session``, ``now``, ``device_id``, ``record(conflict)``) and may
change records *unlogged*: every laptop runs the same rule on the same data,
so they reach the same result without sending it. Areas register their own:

    from peer_support.services.sync.rules import register_rule, keep_once
    register_rule("loan", keep_once(("device_id",), where={"status": "out"}))

Built in (``_BUILT_IN``, used when the table and columns exist): a lead's
conflict decision closes conflicts; an erasure blanks local history; a school
or an area linked twice is linked once; attendance ticked on two laptops is
one attendance; a pack delivered on two laptops counts once (the later scan
becomes a ``duplicate`` scan, listed for leads); approvals that together
overspend a pot are flagged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from sqlmodel import select

from peer_support.domain.fund import is_committed
from peer_support.services.sync import conflicts as conflict_log
from peer_support.storage.conditions import live
from peer_support.storage.tables import column_type
from peer_support.storage.tables.base import Entity
from peer_support.storage.types import from_json_value, to_json_value

if TYPE_CHECKING:
    from peer_support.services.sync.merge import Merger

Rule = Callable[["Merger", str, set[str]], None]
_registered: dict[str, list[Rule]] = {}


def register_rule(table: str, rule: Rule) -> None:
    """Run ``rule(merger, table, ids)`` after each applied file that touched ``table``."""
    rules = _registered.setdefault(table, [])
    if rule not in rules:
        rules.append(rule)


def unregister_rule(table: str, rule: Rule) -> None:
    if rule in _registered.get(table, []):
        _registered[table].remove(rule)


def keep_once(fields: tuple[str, ...], where: dict | None = None, mark: dict | None = None,
              order: str = "created_at", kind: str = "duplicate") -> Rule:
    """Live records agreeing on ``fields`` (and matching ``where``) are one: the earliest (by
    ``order``, then id) stays; the others get ``mark`` (default: tombstoned) and are listed
    as duplicates, a notice for leads.

    The marks are derived, not history: each run first lifts this table's earlier marks
    (the logged values come back, kept in ``merger.marks``) and decides again for those
    records and the touched ones, so the result depends only on the merged data, not on
    the order files arrived in (a record that was a duplicate for a while is live again
    once the other one moved away).
    """
    where = where or {}
    mark = mark or {"deleted": True}

    def rule(merger: "Merger", table: str, ids: set[str]) -> None:
        model = merger.models[table]
        session = merger.session
        marks = merger.marks.setdefault(table, {})
        check = set(ids) | set(marks)
        for marked_id, logged in list(marks.items()):
            row = session.get(model, marked_id)
            if row is not None:
                for field, value in logged.items():
                    setattr(row, field, from_json_value(column_type(model, field), value))
                session.add(row)
        if marks:
            marks.clear()
            merger.marks_changed = True
            session.flush()
        for entity_id in sorted(check):
            row = session.get(model, entity_id)
            if row is None or row.deleted or entity_id in marks \
                    or any(getattr(row, f) != v for f, v in where.items()):
                continue
            same = list(session.exec(select(model).where(
                live(model),
                *[getattr(model, f) == v for f, v in where.items()],
                *[getattr(model, f) == getattr(row, f) for f in fields])).all())
            if len(same) < 2:
                continue
            same.sort(key=lambda r: (str(to_json_value(getattr(r, order))), r.id))
            for duplicate in same[1:]:
                marks[duplicate.id] = {field: to_json_value(getattr(duplicate, field)) for field in mark}
                merger.marks_changed = True
                for field, value in mark.items():
                    setattr(duplicate, field, value)
                session.add(duplicate)
                merger.record(conflict_log.notice(
                    kind, table, duplicate.id, "duplicate", same[0].id, duplicate.id,
                    ",".join(f"{f}={getattr(duplicate, f)}" for f in fields), merger.now))
            session.flush()

    return rule


def within_budget(approval_table: str, pot_field: str, amount_field: str, pot_table: str,
                  budget_field: str, counts: Callable[[Entity], bool] = lambda row: True) -> Rule:
    """Approvals of one pot that together exceed its budget are flagged loudly (no automatic undo:
    money may already have been promised)."""

    def rule(merger: "Merger", table: str, ids: set[str]) -> None:
        approvals, pots = merger.models[approval_table], merger.models.get(pot_table)
        session = merger.session
        pot_ids = {getattr(session.get(approvals, i), pot_field, None) for i in ids if session.get(approvals, i)}
        for pot_id in sorted(p for p in pot_ids if p):
            pot = session.get(pots, pot_id) if pots is not None else None
            if pot is None:
                continue
            rows = [r for r in session.exec(select(approvals).where(
                getattr(approvals, pot_field) == pot_id, live(approvals))) if counts(r)]
            total = sum(getattr(r, amount_field) or 0 for r in rows)
            budget = getattr(pot, budget_field) or 0
            if total > budget:
                key = "overspend/" + ",".join(sorted(r.id for r in rows))
                merger.record(conflict_log.notice("overspend", pot_table, pot_id, key, budget, total,
                                                  ",".join(sorted(r.id for r in rows)), merger.now))

    return rule


def _has(models: dict, table: str, columns: Iterable[str]) -> bool:
    model = models.get(table)
    return model is not None and all(c in model.__table__.columns for c in columns)


def committed_row(row: object) -> bool:
    """A fund application whose approved amount uses its pot (domain.fund's one rule)."""
    return is_committed(getattr(row, "status", ""))


_BUILT_IN: dict[str, tuple[tuple[str, ...], Rule]] = {
    # A school or an area linked twice is linked once.
    "family_school": (("family_id", "school_id"), keep_once(("family_id", "school_id"))),
    "volunteer_area": (("volunteer_id", "area_id"), keep_once(("volunteer_id", "area_id"))),
    # Attendance ticked on two laptops is one attendance.
    "attendance": (("meeting_id", "family_id"), keep_once(("meeting_id", "family_id"))),
    # A pack delivered on two laptops counts once; the later scan becomes a duplicate scan.
    "pack_event": (("pack_id", "outcome", "at"), keep_once(
        ("pack_id",), where={"outcome": "delivered"}, mark={"outcome": "duplicate"}, order="at")),
    # Approvals from two laptops that together overspend a pot are flagged to a lead.
    "fund_application": (("pot_id", "approved_pence", "status"), within_budget(
        "fund_application", "pot_id", "approved_pence", "fund_pot", "budget_pence",
        counts=committed_row)),
}


def known_rules(models: dict[str, type[Entity]]) -> dict[str, list[Rule]]:
    """Built-in rules for the tables present (with the columns they need), plus registered ones."""
    from peer_support.services.sync.compact import erased_family_rule

    found: dict[str, list[Rule]] = {"sync_resolution": [conflict_log.close_resolved_rule],
                                    "erasure": [erased_family_rule]}
    for table, (columns, rule) in _BUILT_IN.items():
        if _has(models, table, columns):
            found.setdefault(table, []).append(rule)
    for table, rules in _registered.items():
        found.setdefault(table, []).extend(r for r in rules if r not in found[table])
    return found


def run_rules(merger: "Merger") -> None:
    rules = known_rules(merger.models)
    for table in sorted(merger.touched):
        for rule in rules.get(table, []):
            rule(merger, table, set(merger.touched[table]))
