"""Domain rules that must survive a merge, as small per-table hooks.

After each journal file is applied, every rule registered for a table runs
once with the ids of that table's records the file touched. A rule sees the
``Merger`` (``session``, ``now``, ``device_id``, ``record(conflict)``) and may
change records *unlogged*: every laptop runs the same rule on the same data,
so they reach the same result without sending it. Areas register their own:

    from peer_support.services.sync.rules import register_rule, keep_once
    register_rule("pack_delivery", keep_once(("pack_id",), label_field="pack_id"))

Built in (see ``known_rules``): a lead's conflict decision closes conflicts;
a school or an area linked twice is linked once; and, when those areas'
tables exist, attendance ticked twice is one attendance, a pack delivered
twice counts once (the later one listed as a duplicate), and approvals that
together overspend a pot are flagged.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from sqlmodel import select

from peer_support.services.sync import conflicts as conflict_log
from peer_support.storage.tables.base import Entity
from peer_support.storage.types import to_json_value

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


def keep_once(fields: tuple[str, ...], kind: str = "duplicate") -> Rule:
    """Live records agreeing on ``fields`` are one: the earliest created stays, the others are
    tombstoned and listed as duplicates (a notice for leads)."""

    def rule(merger: "Merger", table: str, ids: set[str]) -> None:
        model = merger.models[table]
        session = merger.session
        for entity_id in sorted(ids):
            row = session.get(model, entity_id)
            if row is None or row.deleted:
                continue
            same = session.exec(select(model).where(
                model.deleted == False,  # noqa: E712
                *[getattr(model, f) == getattr(row, f) for f in fields])).all()
            if len(same) < 2:
                continue
            same.sort(key=lambda r: (to_json_value(r.created_at), r.id))
            for duplicate in same[1:]:
                duplicate.deleted = True
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
                getattr(approvals, pot_field) == pot_id, approvals.deleted == False)) if counts(r)]  # noqa: E712
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


def known_rules(models: dict[str, type[Entity]]) -> dict[str, list[Rule]]:
    """Built-in rules for the tables present, plus everything registered."""
    found: dict[str, list[Rule]] = {"sync_resolution": [conflict_log.close_resolved_rule]}
    pairs = [("family_school", ("family_id", "school_id")), ("volunteer_area", ("volunteer_id", "area_id"))]
    for table in models:
        if "attendance" in table:
            key = tuple(c for c in ("meeting_id", "session_id", "family_id", "member_id", "person_id")
                        if c in models[table].__table__.columns)
            if len(key) >= 2:
                pairs.append((table, key))
        if "deliver" in table and _has(models, table, ("pack_id",)):
            pairs.append((table, ("pack_id",)))
    for table, key in pairs:
        if _has(models, table, key):
            found.setdefault(table, []).append(_cached_keep_once(key))
    for table in models:
        if "approval" in table and _has(models, table, ("pot_id", "amount_pence")):
            for pot_table in ("fund_pot", "pot"):
                for budget in ("budget_pence", "amount_pence", "total_pence"):
                    if _has(models, pot_table, (budget,)):
                        found.setdefault(table, []).append(
                            _cached_budget(table, pot_table, budget))
                        break
    for table, rules in _registered.items():
        found.setdefault(table, []).extend(r for r in rules if r not in found[table])
    return found


_cache: dict[tuple, Rule] = {}


def _cached_keep_once(key: tuple[str, ...]) -> Rule:
    return _cache.setdefault(("keep_once", key), keep_once(key))


def _cached_budget(table: str, pot_table: str, budget: str) -> Rule:
    return _cache.setdefault(("budget", table, pot_table, budget),
                             within_budget(table, "pot_id", "amount_pence", pot_table, budget))


def run_rules(merger: "Merger") -> None:
    rules = known_rules(merger.models)
    for table in sorted(merger.touched):
        for rule in rules.get(table, []):
            rule(merger, table, set(merger.touched[table]))
