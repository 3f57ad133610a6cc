"""The areas and schools lists: rename, merge two, archive or restore an entry.

Each change is one undoable action. Merging moves every reference (families,
their members and volunteers) from one entry to the other in that same action,
then archives the emptied entry: rows are never deleted, and an archived entry
stays out of the choices while old records keep their meaning.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, func, select

from peer_support.context import AppContext
from peer_support.domain.changes import Saved
from peer_support.errors import ConflictError, NotFoundError, ValidationError
from peer_support.i18n import _
from peer_support.storage.conditions import is_false, live
from peer_support.storage.tables.families import Area, Family, FamilyMember, FamilySchool, School, VolunteerArea
from peer_support.domain.roles import Permission
from peer_support.services.access import require

AREAS = "area"
SCHOOLS = "school"
MAX_NAME = 100


@dataclass(frozen=True)
class ListEntry:
    name: str
    archived: bool
    families: int  # current families using it (as their area, or a school of theirs)


def _model(kind: str):
    if kind not in (AREAS, SCHOOLS):
        raise ValidationError(_("'%(kind)s' is not a list: use area or school.") % {"kind": kind})
    return Area if kind == AREAS else School


def _find(session: Session, kind: str, name: str):
    model = _model(kind)
    row = session.exec(select(model).where(func.lower(model.name) == " ".join(name.split()).lower(),
                                           live(model))).first()
    if row is None:
        message = (_("There is no area called %(name)s.") if kind == AREAS
                   else _("There is no school called %(name)s."))
        raise NotFoundError(message % {"name": name.strip()})
    return row


def list_entries(context: AppContext, kind: str) -> list[ListEntry]:
    """Every entry of the list (archived ones too), in the list's order, with how many families use it."""
    model = _model(kind)
    with context.db.read() as session:
        current = (live(Family), is_false(Family.archived))
        if kind == AREAS:
            counts = dict(session.exec(select(Family.area_id, func.count()).where(*current)
                                       .group_by(Family.area_id)).all())
        else:
            counts = dict(session.exec(
                select(FamilySchool.school_id, func.count(func.distinct(FamilySchool.family_id)))
                .join(Family, col(Family.id) == FamilySchool.family_id)
                .where(live(FamilySchool), *current)
                .group_by(FamilySchool.school_id)).all())
        rows = session.exec(select(model).where(live(model))
                            .order_by(model.archived, model.sort_order, model.name)).all()
        return [ListEntry(row.name, row.archived, counts.get(row.id, 0)) for row in rows]


def _clean(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationError(_("Enter a name."), field="name")
    if len(cleaned) > MAX_NAME:
        raise ValidationError(_("The name is too long (at most %(count)d characters).") % {"count": MAX_NAME},
                              field="name")
    return cleaned


def rename_entry(context: AppContext, kind: str, name: str, new_name: str) -> Saved[None]:
    """Give an entry a new name; every record using it shows the new name.

    Raises NotFoundError, ValidationError, ConflictError when another entry
    already has the new name (merge them instead). Commits.
    """
    require(context, Permission.SETTINGS)
    model = _model(kind)
    new_name = _clean(new_name)
    text = (_("Rename area %(old)s to %(new)s") if kind == AREAS else _("Rename school %(old)s to %(new)s"))
    with context.db.transaction(text % {"old": name.strip(), "new": new_name}) as uow:
        row = _find(uow.session, kind, name)
        taken = uow.session.exec(select(model).where(func.lower(model.name) == new_name.lower(),
                                                     model.id != row.id)).first()
        if taken is not None:
            raise ConflictError(_("%(name)s is already on the list. Merge the two instead.") % {"name": new_name})
        row.name = new_name
        uow.session.add(row)
    return Saved(None, uow.changes)


def merge_entries(context: AppContext, kind: str, name: str, into: str) -> Saved[None]:
    """Move every family, member and volunteer from entry ``name`` to entry ``into``,
    then archive ``name``. Raises NotFoundError, ValidationError (the same entry); commits."""
    require(context, Permission.SETTINGS)
    text = (_("Merge area %(old)s into %(new)s") if kind == AREAS else _("Merge school %(old)s into %(new)s"))
    with context.db.transaction(text % {"old": name.strip(), "new": into.strip()}) as uow:
        session = uow.session
        source, target = _find(session, kind, name), _find(session, kind, into)
        if source.id == target.id:
            raise ValidationError(_("Choose two different entries to merge."))
        if kind == AREAS:
            for family in session.exec(select(Family).where(Family.area_id == source.id)):
                family.area_id = target.id
                session.add(family)
            _move_links(session, VolunteerArea, "volunteer_id", "area_id", source.id, target.id)
        else:
            for member in session.exec(select(FamilyMember).where(FamilyMember.school_id == source.id)):
                member.school_id = target.id
                session.add(member)
            _move_links(session, FamilySchool, "family_id", "school_id", source.id, target.id)
        source.archived = True
        session.add(source)
    return Saved(None, uow.changes)


def _move_links(session: Session, model, owner_field: str, target_field: str, source_id: str,
                target_id: str) -> None:
    """Point live links at ``target_id``; an owner linked to both keeps one link."""
    owner, target = getattr(model, owner_field), getattr(model, target_field)
    already = set(session.exec(select(owner).where(target == target_id, live(model))))
    for link in session.exec(select(model).where(target == source_id, live(model))):
        if getattr(link, owner_field) in already:
            link.deleted = True
        else:
            setattr(link, target_field, target_id)
            already.add(getattr(link, owner_field))
        session.add(link)


def set_entry_archived(context: AppContext, kind: str, name: str, archived: bool) -> Saved[None]:
    """Take an entry out of the choices (records using it keep it) or bring it back.

    Raises NotFoundError; commits.
    """
    require(context, Permission.SETTINGS)
    if kind == AREAS:
        text = _("Archive area %(name)s") if archived else _("Restore area %(name)s")
    else:
        text = _("Archive school %(name)s") if archived else _("Restore school %(name)s")
    with context.db.transaction(text % {"name": name.strip()}) as uow:
        row = _find(uow.session, kind, name)
        row.archived = archived
        uow.session.add(row)
    return Saved(None, uow.changes)

