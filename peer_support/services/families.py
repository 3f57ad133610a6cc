"""Families: create, edit, archive, restore, find.

The foundation of every other area (meetings, fund and packs point at families).
Volunteers live in services/families_volunteers.py (re-exported here);
search pages in families_search.py, import/export/merge in their own modules.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlmodel import Session, col, select

from peer_support.context import AppContext
from peer_support.domain.changes import Saved
from peer_support.domain.families import (FamilyDraft, FamilyQuery, FamilyRecord, MemberDraft, MemberRecord,
                                          format_reference, reference_number)
from peer_support.domain.families_rules import validate_family
from peer_support.domain.roles import Permission
from peer_support.errors import NotFoundError, ValidationError
from peer_support.i18n import _, ngettext
from peer_support.services.access import require
from peer_support.services.families_search import family_select
from peer_support.services.family_rows import find_family_row, named_row, next_reference_number
from peer_support.storage.conditions import is_false, live
from peer_support.storage.links import set_links
from peer_support.storage.tables.families import Area, Family, FamilyMember, FamilySchool, School

FAMILY_PREFIX = "F"
VOLUNTEER_PREFIX = "V"


# A saved family and what the action changed (for undo and reloading views).
FamilySaved = Saved[FamilyRecord]


def ensure_list_items(session: Session, model, names: list[str]) -> None:
    for order, name in enumerate(names):
        row = named_row(session, model, name, create=True)
        row.sort_order = order


def list_names(context: AppContext, model) -> list[str]:
    require(context, Permission.FAMILY_NAMES)
    with context.db.read() as session:
        return list(session.exec(select(model.name).where(live(model), is_false(model.archived))
                                 .order_by(model.sort_order, model.name)))


def list_areas(context: AppContext) -> list[str]:
    return list_names(context, Area)


def list_schools(context: AppContext) -> list[str]:
    return list_names(context, School)


class FamilyWriter:
    """Writes many families in one open unit of work without a query per row.

    Areas and schools are looked up once (and created on first use); the next
    reference number is counted in memory. Used by create, import, the demo
    data and the benchmark, so they all write exactly the same rows.
    """

    def __init__(self, session: Session) -> None:
        self.session = session
        self._areas = {row.name.lower(): row for row in session.exec(select(Area))}
        self._schools = {row.name.lower(): row for row in session.exec(select(School))}
        self._next_number: int | None = None

    def _list_item(self, cache: dict, model, name: str):
        if not name:
            return None
        row = cache.get(name.lower())
        if row is None:
            row = model(name=name, sort_order=len(cache))
            self.session.add(row)
            # Written now: the ORM does not order inserts of unrelated tables by foreign key,
            # so a member pointing at a school created in the same flush could go first.
            self.session.flush()
            cache[name.lower()] = row
        return row

    def area_id(self, name: str) -> str | None:
        row = self._list_item(self._areas, Area, name)
        return row.id if row else None

    def school_id(self, name: str) -> str | None:
        row = self._list_item(self._schools, School, name)
        return row.id if row else None

    def school_ids(self, names: Iterable[str]) -> list[str]:
        """The ids of the schools named (blank names, which validation removes, name none)."""
        return [school_id for school_id in map(self.school_id, names) if school_id is not None]

    def take_reference(self, reference: str | None = None) -> str:
        """``reference`` (from an import) or the next free one; later ones go after both."""
        if self._next_number is None:
            self._next_number = next_reference_number(self.session, Family)
        if reference:
            reference = reference.strip().upper()
            self._next_number = max(self._next_number, reference_number(reference) + 1)
            return reference
        reference = format_reference(FAMILY_PREFIX, self._next_number, 4)
        self._next_number += 1
        return reference

    def add(self, draft: FamilyDraft, reference: str | None = None, validated: bool = False) -> Family:
        """Add one family with its schools and members. Raises ValidationError."""
        draft = draft if validated else validate_family(draft)
        # Table models are not validated on creation: _copy_fields fills the required fields.
        family = Family(reference=self.take_reference(reference))  # type: ignore[call-arg]
        _copy_fields(family, draft, self.area_id(draft.area))
        self.session.add(family)
        for school_id in self.school_ids(draft.schools):
            self.session.add(FamilySchool(family_id=family.id, school_id=school_id))
        for position, member in enumerate(draft.members):
            self.session.add(_new_member(family.id, member, self.school_id(member.school), position))
        return family


def _copy_fields(family: Family, draft: FamilyDraft, area_id: str | None) -> None:
    family.name, family.address, family.postcode = draft.name, draft.address, draft.postcode
    family.area_id, family.phone, family.email = area_id, draft.phone, draft.email
    family.language, family.children = draft.language or "en", draft.children
    family.needs_internet, family.needs_device = draft.needs_internet, draft.needs_device
    family.consent_date, family.consent_contact = draft.consent_date, draft.consent_contact
    family.consent_newsletter, family.consent_photos = draft.consent_newsletter, draft.consent_photos
    family.notes = draft.notes


def _new_member(family_id: str, member: MemberDraft, school_id: str | None, position: int) -> FamilyMember:
    return FamilyMember(family_id=family_id, name=member.name, relationship=member.relationship,
                        school_year=member.school_year, school_id=school_id, position=position)


def add_family(session: Session, draft: FamilyDraft, reference: str | None = None) -> Family:
    """Write a new family inside an open unit of work (used by other areas). Raises ValidationError."""
    family = FamilyWriter(session).add(draft, reference)
    session.flush()
    return family


def create_family(context: AppContext, draft: FamilyDraft) -> FamilyRecord:
    """Add a family with the next free reference. Raises ValidationError; commits."""
    require(context, Permission.FAMILY_DETAILS)
    return save_new_family(context, draft).record


def save_new_family(context: AppContext, draft: FamilyDraft) -> FamilySaved:
    """Add a family; returns it with the change summary (for undo). Raises ValidationError; commits."""
    require(context, Permission.FAMILY_DETAILS)
    draft = validate_family(draft)
    with context.db.transaction(_("Add family %(name)s") % {"name": draft.name}) as uow:
        family = add_family(uow.session, draft)
        record = family_record(uow.session, family)
    return FamilySaved(record, uow.changes)


def update_family(context: AppContext, reference: str, draft: FamilyDraft) -> FamilySaved:
    """Replace a family's details, schools and members with ``draft``.

    Members keep their ids (so other areas' links stay); members left out are
    tombstoned. Raises ValidationError, NotFoundError; commits.
    """
    require(context, Permission.FAMILY_DETAILS)
    draft = validate_family(draft)
    with context.db.transaction(_("Edit family %(reference)s") % {"reference": reference}) as uow:
        session = uow.session
        family = find_family_row(session, reference)
        writer = FamilyWriter(session)
        _copy_fields(family, draft, writer.area_id(draft.area))
        session.add(family)
        _update_schools(session, writer, family.id, draft.schools)
        _update_members(session, writer, family.id, draft.members)
        session.flush()
        record = family_record(session, family)
    return FamilySaved(record, uow.changes)


def _update_schools(session: Session, writer: FamilyWriter, family_id: str, schools: tuple[str, ...]) -> None:
    set_links(session, FamilySchool, "family_id", family_id, "school_id", set(writer.school_ids(schools)))


def _update_members(session: Session, writer: FamilyWriter, family_id: str,
                    members: tuple[MemberDraft, ...]) -> None:
    current = {row.id: row for row in session.exec(select(FamilyMember).where(
        FamilyMember.family_id == family_id, live(FamilyMember)))}
    for position, member in enumerate(members):
        row = current.pop(member.id, None) if member.id else None
        if row is None:
            session.add(_new_member(family_id, member, writer.school_id(member.school), position))
            continue
        row.name, row.relationship, row.school_year = member.name, member.relationship, member.school_year
        row.position = position
        row.school_id = writer.school_id(member.school)
        session.add(row)
    for row in current.values():
        row.deleted = True
        session.add(row)


def set_family_archived(context: AppContext, reference: str, archived: bool) -> FamilySaved:
    """Archive (hide from lists, keep everything) or restore a family. Raises NotFoundError; commits."""
    require(context, Permission.FAMILY_DETAILS)
    text = (_("Archive family %(reference)s") if archived else _("Restore family %(reference)s"))
    with context.db.transaction(text % {"reference": reference}) as uow:
        family = find_family_row(uow.session, reference)
        family.archived = archived
        uow.session.add(family)
        uow.session.flush()
        record = family_record(uow.session, family)
    return FamilySaved(record, uow.changes)


def set_families_archived(context: AppContext, references: list[str], archived: bool) -> Saved[int]:
    """Archive or restore several families as ONE action (one transaction, one undo).

    Families already in the wanted state are left alone; the record is how many changed.
    Raises NotFoundError (nothing changed) when a reference is unknown; commits.
    """
    require(context, Permission.FAMILY_DETAILS)
    wanted = list(dict.fromkeys(reference.strip().upper() for reference in references))
    text = (ngettext("Archive %(count)d family", "Archive %(count)d families", len(wanted)) if archived
            else ngettext("Restore %(count)d family", "Restore %(count)d families", len(wanted)))
    with context.db.transaction(text % {"count": len(wanted)}) as uow:
        rows: dict[str, Family] = {}
        for start in range(0, len(wanted), 500):  # SQLite limits the number of bound parameters
            chunk = wanted[start:start + 500]
            for family in uow.session.exec(select(Family).where(col(Family.reference).in_(chunk),
                                                                live(Family))):
                rows[family.reference] = family
        missing = [reference for reference in wanted if reference not in rows]
        if missing:
            raise NotFoundError(_("No family has the reference %(reference)s.") % {"reference": missing[0]})
        changed = 0
        for family in rows.values():
            if family.archived != archived:
                family.archived = archived
                uow.session.add(family)
                changed += 1
        uow.session.flush()
    return Saved(changed, uow.changes)


def family_record(session: Session, family: Family) -> FamilyRecord:
    return family_records(session, [family])[0]


def family_records(session: Session, families: list[Family]) -> list[FamilyRecord]:
    """Rows to records, loading areas, schools and members in a few queries."""
    ids = [family.id for family in families]
    areas = dict(session.exec(select(Area.id, Area.name)).all())
    school_names = dict(session.exec(select(School.id, School.name)).all())
    schools: dict[str, list[str]] = defaultdict(list)
    members: dict[str, list[MemberRecord]] = defaultdict(list)
    for start in range(0, len(ids), 500):  # SQLite limits the number of bound parameters
        chunk = ids[start:start + 500]
        for link in session.exec(select(FamilySchool).where(col(FamilySchool.family_id).in_(chunk),
                                                            live(FamilySchool))):
            schools[link.family_id].append(school_names.get(link.school_id, ""))
        for member in session.exec(select(FamilyMember).where(
                col(FamilyMember.family_id).in_(chunk), live(FamilyMember))
                .order_by(col(FamilyMember.position), col(FamilyMember.created_at))):
            members[member.family_id].append(MemberRecord(
                id=member.id, name=member.name, relationship=member.relationship,
                school_year=member.school_year, school=school_names.get(member.school_id or "", "")))
    return [FamilyRecord(
        id=f.id, reference=f.reference, name=f.name, address=f.address, postcode=f.postcode,
        area=areas.get(f.area_id or "", ""), phone=f.phone, email=f.email, language=f.language,
        children=f.children, schools=tuple(sorted(set(schools[f.id]))), needs_internet=f.needs_internet,
        needs_device=f.needs_device, consent_date=f.consent_date, consent_contact=f.consent_contact,
        consent_newsletter=f.consent_newsletter, consent_photos=f.consent_photos, notes=f.notes,
        archived=f.archived, members=tuple(members[f.id])) for f in families]


def get_family(context: AppContext, reference: str) -> FamilyRecord:
    require(context, Permission.FAMILY_DETAILS)
    with context.db.read() as session:
        return family_record(session, find_family_row(session, reference))


def search_families(context: AppContext, text: str = "", include_archived: bool = False,
                    limit: int | None = None, offset: int = 0) -> list[FamilyRecord]:
    """Families whose name, reference, postcode, phone or email contain every word of ``text``,
    by reference."""
    require(context, Permission.FAMILY_DETAILS)
    query = FamilyQuery(text=text, archived="all" if include_archived else "active")
    return query_families(context, query, limit=limit, offset=offset)


def query_families(context: AppContext, query: FamilyQuery, limit: int | None = None,
                   offset: int = 0) -> list[FamilyRecord]:
    """Full records of the families a list query shows, in its order."""
    require(context, Permission.FAMILY_DETAILS)
    with context.db.read() as session:
        statement = family_select(query).offset(offset)
        if limit is not None:
            statement = statement.limit(limit)
        return family_records(session, list(session.exec(statement)))


def check_family_reference(reference: str) -> str:
    cleaned = reference.strip().upper()
    if not cleaned or len(cleaned) > 16 or not cleaned.isalnum():
        raise ValidationError(_("'%(reference)s' is not a family reference, for example F0001.")
                              % {"reference": reference}, field="reference")
    return cleaned


# Volunteers: kept importable from here, where other areas look for them.
from peer_support.services.families_volunteers import (  # noqa: E402,F401
    add_volunteer, create_volunteer, find_volunteer_row, list_volunteers, volunteer_records)
