"""Conflicts: recording what a merge overwrote, listing it, and a lead's decision.

A decision is a ``SyncResolution`` row (synced like any record) plus, when the
lead keeps the value the merge lost, a normal edit of the field with a new
stamp, which wins on every laptop. A resolution closes, on every laptop, the
conflicts on that field whose competing changes the deciding laptop had seen.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from peer_support.context import AppContext
from peer_support.domain.sync import ConflictRecord
from peer_support.errors import ConflictError, NotFoundError, ValidationError
from peer_support.i18n import _
from peer_support.services.sync.derived import recompute
from peer_support.services.sync.state import seen_now
from peer_support.storage.conditions import is_false, live
from peer_support.storage.tables import column_type, entity_classes
from peer_support.storage.tables.sync import SyncConflict, SyncResolution
from peer_support.storage.types import from_json_value, to_json_value
from peer_support.domain.changes import Saved

_NAMESPACE = uuid.UUID("6f1c2a52-8d0e-4c55-9a51-0c2f3d6b9e11")
DECISIONS = ("field", "archive")  # kinds a lead decides; the others are notices to acknowledge


def conflict_id(*parts: object) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(str(p) for p in parts)))


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def field_conflict(entity: str, entity_id: str, field: str, base: Any, local: Any, remote: Any,
                   local_clock: tuple, remote_clock: tuple, winner: str, now: datetime) -> SyncConflict:
    stamps = sorted([local_clock[0], remote_clock[0]])
    return SyncConflict(
        id=conflict_id("field", entity, entity_id, field, *stamps), kind="field", entity=entity,
        entity_id=entity_id, field=field, base_value=_dump(base), local_value=_dump(local),
        remote_value=_dump(remote), local_hlc=local_clock[0], local_device=local_clock[1],
        local_seq=local_clock[2], remote_hlc=remote_clock[0], remote_device=remote_clock[1],
        remote_seq=remote_clock[2], winner=winner, detected_at=now)


def archive_conflict(entity: str, entity_id: str, field: str, local: bool, remote: bool,
                     local_clock: tuple, remote_clock: tuple, edited: list[str], now: datetime) -> SyncConflict:
    conflict = field_conflict(entity, entity_id, field, False, local, remote, local_clock, remote_clock,
                              "remote" if remote else "local", now)
    conflict.id = conflict_id("archive", entity, entity_id, field, *sorted([local_clock[0], remote_clock[0]]))
    conflict.kind = "archive"
    conflict.winner = "local" if local else "remote"  # the record stays archived; the edit is kept
    conflict.note = ",".join(edited)
    return conflict


def notice(kind: str, entity: str, entity_id: str, key: str, local: Any, remote: Any, note: str,
           now: datetime, field: str = "") -> SyncConflict:
    """A notice (renumbered, duplicate, overspend): shown to leads, acknowledged rather than decided."""
    return SyncConflict(id=conflict_id(kind, entity, entity_id, key), kind=kind, entity=entity,
                        entity_id=entity_id, field=field, local_value=_dump(local),
                        remote_value=_dump(remote), note=note, winner="local", detected_at=now)


def _covers(seen: dict[str, int], conflict: SyncConflict) -> bool:
    return (seen.get(conflict.local_device, 0) >= conflict.local_seq
            and seen.get(conflict.remote_device, 0) >= conflict.remote_seq)


def store(session: Session, conflict: SyncConflict) -> bool:
    """Keep a new conflict (closed at once if a lead already decided it elsewhere)."""
    if session.get(SyncConflict, conflict.id) is not None:
        return False
    for resolution in session.exec(select(SyncResolution).where(
            SyncResolution.target_id == conflict.entity_id, SyncResolution.target_field == conflict.field,
            SyncResolution.target_entity == conflict.entity, live(SyncResolution))):
        if _covers(json.loads(resolution.seen), conflict):
            conflict.resolved, conflict.resolution = True, resolution.choice
            conflict.resolved_at = conflict.detected_at
    session.add(conflict)
    return not conflict.resolved


def close_resolved(session: Session, resolution: SyncResolution, now: datetime, actor: str = "") -> int:
    """Close the open conflicts that ``resolution`` decided; returns how many."""
    seen = json.loads(resolution.seen)
    closed = 0
    for conflict in session.exec(select(SyncConflict).where(
            SyncConflict.entity_id == resolution.target_id, SyncConflict.field == resolution.target_field,
            SyncConflict.entity == resolution.target_entity, is_false(SyncConflict.resolved))):
        if _covers(seen, conflict):
            conflict.resolved, conflict.resolution = True, resolution.choice
            conflict.resolved_by, conflict.resolved_at = actor, now
            session.add(conflict)
            closed += 1
    return closed


def close_resolved_rule(merge, table: str, ids: set[str]) -> None:
    """Merge rule for ``sync_resolution``: a decision arriving from another laptop."""
    for resolution_id in ids:
        resolution = merge.session.get(SyncResolution, resolution_id)
        if resolution is not None and not resolution.deleted:
            close_resolved(merge.session, resolution, merge.now)


# -- listing and deciding -----------------------------------------------------------
def _first_text(row: Any, attributes: tuple[str, ...]) -> str:
    for attribute in attributes:
        value = getattr(row, attribute, None)
        if value:
            return str(value)
    return ""


def describe(session: Session, entity: str, entity_id: str | None, kind_prefix: bool = True) -> str:
    """A record as people know it (reference, code, name), never its id; ``kind_prefix``
    puts what it is in front of a bare name ("Area: Garlinge")."""
    from peer_support.services.sync.labels import table_label

    model = entity_classes().get(entity)
    row: Any = session.get(model, entity_id) if model is not None and entity_id else None
    if model is None or row is None:
        return table_label(entity)
    if entity == "pack":
        from peer_support.domain.packs import format_code

        family = describe(session, "family", row.family_id)
        return f"{format_code(row.code)} · {family}"
    if entity == "pack_event":
        parts = [describe(session, "pack", row.pack_id)]
        if row.volunteer_id:
            parts.append(describe(session, "volunteer", row.volunteer_id))
        return " · ".join(parts)
    if entity in ("family", "volunteer", "fund_application"):
        text = " ".join(p for p in (getattr(row, "reference", ""), getattr(row, "name", "")) if p)
        if entity == "fund_application" and getattr(row, "family_id", None):
            text = f"{text} · {describe(session, 'family', row.family_id)}"
        return text or table_label(entity)
    found = _first_text(row, ("reference", "code", "name", "title", "label"))
    for column in model.__table__.columns:
        if not found and column.foreign_keys and getattr(row, column.name, None):
            found = describe(session, next(iter(column.foreign_keys)).column.table.name,
                             getattr(row, column.name))
    if not found:
        return table_label(entity)
    return f"{table_label(entity)}: {found}" if kind_prefix else found


def _value_text(session: Session, entity: str, field: str, value: Any) -> str:
    """A conflict's value as people read it: names for references to other records."""
    from peer_support.services.sync.labels import value_text

    model = entity_classes().get(entity)
    column = model.__table__.columns.get(field) if model is not None else None
    if column is not None and column.foreign_keys and value:
        return describe(session, next(iter(column.foreign_keys)).column.table.name, str(value), kind_prefix=False)
    if model is not None and column is not None and value and column_type(model, field) is datetime:
        from peer_support.i18n.formatting import format_datetime

        try:
            return format_datetime(datetime.fromisoformat(str(value)), "short")
        except ValueError:
            pass
    return value_text(value)


def _record(session: Session, c: SyncConflict) -> ConflictRecord:
    from peer_support.services.sync.labels import field_label

    base, local, remote = json.loads(c.base_value), json.loads(c.local_value), json.loads(c.remote_value)
    texts: dict[str, Any] = {}
    if c.kind in DECISIONS:
        texts = {"base_text": _value_text(session, c.entity, c.field, base),
                 "local_text": _value_text(session, c.entity, c.field, local),
                 "remote_text": _value_text(session, c.entity, c.field, remote)}
    elif c.kind == "duplicate":
        texts = {"local_text": describe(session, c.entity, json.loads(c.local_value) or ""),
                 "remote_text": describe(session, c.entity, c.entity_id)}
    return ConflictRecord(
        id=c.id, kind=c.kind, entity=c.entity, entity_id=c.entity_id, label=describe(session, c.entity, c.entity_id),
        field=c.field, base_value=base, local_value=local,
        remote_value=remote, winner=c.winner, note=c.note, detected_at=c.detected_at,
        resolved=c.resolved, resolution=c.resolution, resolved_by=c.resolved_by, resolved_at=c.resolved_at,
        field_label=field_label(c.field) if c.field else "", **texts)


def list_conflicts(context: AppContext, include_resolved: bool = False) -> list[ConflictRecord]:
    """Conflicts and notices from merges, newest first."""
    with context.db.read() as session:
        query = select(SyncConflict)
        if not include_resolved:
            query = query.where(is_false(SyncConflict.resolved))
        rows = session.exec(query.order_by(col(SyncConflict.detected_at).desc(), col(SyncConflict.id))).all()
        return [_record(session, row) for row in rows]


def count_open_conflicts(session: Session) -> int:
    return len(session.exec(select(SyncConflict.id).where(is_false(SyncConflict.resolved))).all())


def _find(session: Session, key: str) -> SyncConflict:
    key = key.strip().lower()
    matches = session.exec(select(SyncConflict).where(SyncConflict.id.startswith(key))).all() if key else []
    if not matches:
        raise NotFoundError(_("No conflict has the id %(id)s.") % {"id": key})
    if len(matches) > 1:
        raise ValidationError(_("More than one conflict starts with %(id)s; give more of the id.") % {"id": key})
    return matches[0]


def parse_value(python_type: type | None, text: str) -> Any:
    """A value typed by a lead, for a column of ``python_type``. Raises ValidationError."""
    text = text.strip()
    try:
        if python_type is bool:
            lowered = text.lower()
            if lowered in ("1", "true", "yes", "y"):
                return True
            if lowered in ("0", "false", "no", "n"):
                return False
            raise ValueError(text)
        if python_type is int:
            return int(text) if text else None
        if python_type is date:
            return date.fromisoformat(text) if text else None
    except ValueError:
        raise ValidationError(_("'%(value)s' does not fit this field.") % {"value": text}, field="value") from None
    return text


def check_decidable(entity: str, field: str) -> None:
    """Only fields a person edits are decided; derived ones follow from them. Raises ValidationError."""
    from peer_support.services.sync.derived import is_derived
    from peer_support.services.sync.labels import field_label

    if is_derived(entity, field) or field in ("id", "created_at"):
        raise ValidationError(_("%(field)s is worked out from other data, not typed by anyone, so it "
                                "cannot be chosen in a conflict.") % {"field": field_label(field)}, field="keep")


def check_typed(session: Session, entity: str, row: Any) -> None:
    """A value typed by a lead passes the checks of the form that edits the record. Raises ValidationError."""
    if entity == "family":
        from peer_support.domain.families_rules import validate_family
        from peer_support.services.families import family_record

        validate_family(family_record(session, row).draft())
    elif entity == "volunteer":
        from peer_support.domain.families_rules import validate_volunteer_fields

        validate_volunteer_fields(row.name, row.phone, row.email)


def resolve_conflict(context: AppContext, key: str, keep: str, value: str | None = None) -> Saved[None]:
    """Decide a conflict: keep ``local``, ``remote``, or ``value`` (typed by the lead).

    Sets the field when the kept value is not the current one, records the
    decision so it syncs, and closes the conflict. Notices are acknowledged.
    Raises NotFoundError, ValidationError, ConflictError (already decided). Commits.
    """
    from peer_support.services.sync.labels import field_label

    if keep not in ("local", "remote", "value"):
        raise ValidationError(_("Keep 'local', 'remote' or a value."), field="keep")
    with context.db.transaction(_("Resolve a sync conflict")) as uow:
        session = uow.session
        conflict = _find(session, key)
        if conflict.resolved:
            raise ConflictError(_("This conflict was already resolved."))
        chosen: Any = None
        if conflict.kind in DECISIONS:
            check_decidable(conflict.entity, conflict.field)
            model = entity_classes().get(conflict.entity)
            row = session.get(model, conflict.entity_id) if model is not None else None
            if model is None or row is None:
                raise NotFoundError(_("The record of this conflict no longer exists."))
            python_type = column_type(model, conflict.field)
            column = model.__table__.columns.get(conflict.field)
            if keep == "value" and column is not None and column.foreign_keys:
                raise ValidationError(_("For %(field)s keep this laptop's or the other laptop's choice.")
                                      % {"field": field_label(conflict.field)}, field="keep")
            if keep == "value":
                chosen = parse_value(python_type, value or "")
            else:
                raw = json.loads(conflict.local_value if keep == "local" else conflict.remote_value)
                chosen = from_json_value(python_type, raw)
            if to_json_value(getattr(row, conflict.field)) != to_json_value(chosen):
                setattr(row, conflict.field, chosen)
                if keep == "value":
                    check_typed(session, conflict.entity, row)
                session.add(row)
                session.flush()
                recompute(session, {conflict.entity: {conflict.entity_id}})  # logged: a local decision
                session.flush()
        resolution = SyncResolution(target_entity=conflict.entity, target_id=conflict.entity_id,
                                    target_field=conflict.field, choice=keep,
                                    value=_dump(to_json_value(chosen)),
                                    seen=json.dumps(seen_now(session, context.local.device_id)))
        session.add(resolution)
        conflict.resolved, conflict.resolution = True, keep
        conflict.resolved_by, conflict.resolved_at = uow.actor, uow.now
        session.add(conflict)
        close_resolved(session, resolution, uow.now, uow.actor)
    return Saved(None, uow.changes)
