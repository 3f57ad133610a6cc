"""Merging two records of the same household into one.

Everything that points at the merged family moves to the kept one: found
generically through every column with a foreign key to ``family.id`` in
SQLModel.metadata, so tables added later by other areas (attendance, fund
applications and payments, packs, ...) move too. Rows move through the ORM, so
the change log records them and the merge is undone like any action.
Where a move would break a unique constraint (both families already have a
line for the same meeting, say) the merged record's line is tombstoned instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Column, UniqueConstraint
from sqlmodel import Session, SQLModel, select

from peer_support.context import AppContext
from peer_support.domain.families import FamilyRecord
from peer_support.errors import StorageError, ValidationError
from peer_support.i18n import _
from peer_support.services.families import family_record, find_family_row
from peer_support.storage.conditions import live
from peer_support.storage.tables import entity_classes
from peer_support.storage.tables.base import Entity
from peer_support.storage.tables.families import FamilySchool
from peer_support.domain.changes import Saved
from peer_support.domain.roles import Permission
from peer_support.services.access import require

# Details the kept record takes from the merged one when it has none itself.
_FILL_IN = ("address", "postcode", "area_id", "phone", "email", "children", "consent_date")


@dataclass(frozen=True)
class MergeResult:
    kept: FamilyRecord
    moved: int  # rows that now point at the kept family


def family_links() -> list[tuple[type[Entity], Column]]:
    """(table class, column) for every column that refers to a family, from the metadata."""
    classes = {cls.__table__.name: cls for cls in entity_classes().values()}
    links = []
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column.table.name == "family" and fk.column.name == "id" for fk in column.foreign_keys):
                if table.name not in classes:
                    raise StorageError(_("The table %(table)s points at families but is not tracked, so a "
                                         "merge could not be undone.") % {"table": table.name})
                links.append((classes[table.name], column))
    return links


def _unique_partners(column: Column) -> list[list[str]]:
    """Other columns that form a unique constraint together with ``column``."""
    groups = []
    for constraint in column.table.constraints:
        if isinstance(constraint, UniqueConstraint) and column.name in constraint.columns:
            groups.append([c.name for c in constraint.columns if c.name != column.name])
    for index in column.table.indexes:
        if index.unique and column.name in index.columns:
            groups.append([c.name for c in index.columns if c.name != column.name])
    return groups


def _clashes(session: Session, model, column: Column, row, kept_id: str) -> bool:
    for partners in _unique_partners(column):
        query = select(model).where(getattr(model, column.name) == kept_id)
        for name in partners:
            query = query.where(getattr(model, name) == getattr(row, name))
        if session.exec(query).first() is not None:
            return True
    return False


def merge_families(context: AppContext, keep_reference: str, merge_reference: str) -> Saved[MergeResult]:
    """Move everything of ``merge_reference`` onto ``keep_reference`` and tombstone the merged family.

    Blank details of the kept family are filled from the merged one; schools are
    combined. Raises ValidationError (same family), NotFoundError; one transaction; commits.
    """
    require(context, Permission.FAMILY_DETAILS)
    if keep_reference.strip().upper() == merge_reference.strip().upper():
        raise ValidationError(_("Choose two different families to merge."))
    with context.db.transaction(_("Merge family %(merged)s into %(kept)s")
                                % {"merged": merge_reference.upper(), "kept": keep_reference.upper()}) as uow:
        session = uow.session
        kept = find_family_row(session, keep_reference)
        merged = find_family_row(session, merge_reference)
        for name in _FILL_IN:
            if getattr(kept, name) in (None, "") and getattr(merged, name) not in (None, ""):
                setattr(kept, name, getattr(merged, name))
        if merged.notes and merged.notes not in kept.notes:
            kept.notes = "\n".join(part for part in (kept.notes, merged.notes) if part)
        kept.needs_internet = kept.needs_internet or merged.needs_internet
        kept.needs_device = kept.needs_device or merged.needs_device
        session.add(kept)
        moved = _move_links(session, kept.id, merged.id)
        merged.deleted = True
        session.add(merged)
        session.flush()
        record = family_record(session, kept)
    return Saved(MergeResult(record, moved), uow.changes)


def _move_links(session: Session, kept_id: str, merged_id: str) -> int:
    moved = 0
    kept_schools = set(session.exec(select(FamilySchool.school_id).where(
        FamilySchool.family_id == kept_id, live(FamilySchool))))
    for model, column in family_links():
        for row in session.exec(select(model).where(getattr(model, column.name) == merged_id)).all():
            if row.deleted:
                continue
            duplicate_school = isinstance(row, FamilySchool) and row.school_id in kept_schools
            if duplicate_school or _clashes(session, model, column, row, kept_id):
                row.deleted = True  # the kept family already has this line
            else:
                setattr(row, column.name, kept_id)
                moved += 1
            session.add(row)
    return moved


def merge_preview(context: AppContext, keep_reference: str, merge_reference: str) -> dict[str, int]:
    """How many rows of each table would move (for the merge dialog). Changes nothing."""
    require(context, Permission.FAMILY_DETAILS)
    counts: dict[str, int] = {}
    with context.db.read() as session:
        merged = find_family_row(session, merge_reference)
        find_family_row(session, keep_reference)
        for model, column in family_links():
            rows = session.exec(select(model).where(getattr(model, column.name) == merged.id,
                                                    live(model))).all()
            if rows:
                counts[model.__tablename__] = counts.get(model.__tablename__, 0) + len(rows)
    return counts


__all__ = ["MergeResult", "family_links", "merge_families", "merge_preview"]
