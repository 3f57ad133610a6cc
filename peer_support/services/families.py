"""Families and volunteers: create, find, list.

The foundation of every other area (meetings, fund and packs point at families).
"""

from __future__ import annotations

from collections import defaultdict

from sqlmodel import Session, func, or_, select

from peer_support.context import AppContext
from peer_support.domain.families import (FamilyDraft, FamilyRecord, MemberRecord, VolunteerDraft,
                                          VolunteerRecord, format_reference, reference_number)
from peer_support.errors import NotFoundError, ValidationError
from peer_support.i18n import _
from peer_support.storage.tables.families import (Area, Family, FamilyMember, FamilySchool, School,
                                                  Volunteer, VolunteerArea)

FAMILY_PREFIX = "F"
VOLUNTEER_PREFIX = "V"


def _next_reference(session: Session, column, prefix: str, width: int) -> str:
    highest = session.exec(select(func.max(column))).one()
    return format_reference(prefix, reference_number(highest or "") + 1, width)


def _named(session: Session, model, name: str, create: bool):
    """An Area or School by name, created on first use when ``create``."""
    if not name:
        return None
    row = session.exec(select(model).where(func.lower(model.name) == name.strip().lower())).first()
    if row is None and create:
        row = model(name=name.strip())
        session.add(row)
    return row


def ensure_list_items(session: Session, model, names: list[str]) -> None:
    for order, name in enumerate(names):
        row = _named(session, model, name, create=True)
        row.sort_order = order


def list_names(context: AppContext, model) -> list[str]:
    with context.db.read() as session:
        return list(session.exec(select(model.name).where(model.deleted == False, model.archived == False)  # noqa: E712
                                 .order_by(model.sort_order, model.name)))


def list_areas(context: AppContext) -> list[str]:
    return list_names(context, Area)


def list_schools(context: AppContext) -> list[str]:
    return list_names(context, School)


def add_family(session: Session, draft: FamilyDraft, reference: str | None = None) -> Family:
    """Write a new family inside an open unit of work (used by import and demo)."""
    if not draft.name.strip():
        raise ValidationError(_("A family needs a name."), field="name")
    area = _named(session, Area, draft.area, create=True)
    family = Family(
        reference=reference or _next_reference(session, Family.reference, FAMILY_PREFIX, 4),
        name=draft.name.strip(), address=draft.address.strip(), postcode=draft.postcode.strip().upper(),
        area_id=area.id if area else None, phone=draft.phone.strip(), email=draft.email.strip(),
        language=draft.language or "en", children=draft.children,
        needs_internet=draft.needs_internet, needs_device=draft.needs_device,
        consent_date=draft.consent_date, consent_contact=draft.consent_contact,
        consent_newsletter=draft.consent_newsletter, consent_photos=draft.consent_photos,
        notes=draft.notes.strip())
    session.add(family)
    for school_name in draft.schools:
        school = _named(session, School, school_name, create=True)
        session.add(FamilySchool(family_id=family.id, school_id=school.id))
    session.flush()
    return family


def create_family(context: AppContext, draft: FamilyDraft) -> FamilyRecord:
    """Add a family with the next free reference. Raises ValidationError; commits."""
    with context.db.transaction(_("Add family %(name)s") % {"name": draft.name.strip()}) as uow:
        family = add_family(uow.session, draft)
        return family_record(uow.session, family)


def family_record(session: Session, family: Family) -> FamilyRecord:
    return family_records(session, [family])[0]


def family_records(session: Session, families: list[Family]) -> list[FamilyRecord]:
    """Rows to records, loading areas, schools and members in three queries."""
    ids = [family.id for family in families]
    areas = dict(session.exec(select(Area.id, Area.name)).all())
    school_names = dict(session.exec(select(School.id, School.name)).all())
    schools: dict[str, list[str]] = defaultdict(list)
    members: dict[str, list[MemberRecord]] = defaultdict(list)
    if ids:
        for link in session.exec(select(FamilySchool).where(FamilySchool.family_id.in_(ids),
                                                            FamilySchool.deleted == False)):  # noqa: E712
            schools[link.family_id].append(school_names.get(link.school_id, ""))
        for member in session.exec(select(FamilyMember).where(FamilyMember.family_id.in_(ids),
                                                              FamilyMember.deleted == False)):  # noqa: E712
            members[member.family_id].append(MemberRecord(
                id=member.id, name=member.name, relationship=member.relationship,
                school_year=member.school_year, school=school_names.get(member.school_id or "", "")))
    return [FamilyRecord(
        id=f.id, reference=f.reference, name=f.name, address=f.address, postcode=f.postcode,
        area=areas.get(f.area_id or "", ""), phone=f.phone, email=f.email, language=f.language,
        children=f.children, schools=tuple(sorted(schools[f.id])), needs_internet=f.needs_internet,
        needs_device=f.needs_device, consent_date=f.consent_date, consent_contact=f.consent_contact,
        consent_newsletter=f.consent_newsletter, consent_photos=f.consent_photos, notes=f.notes,
        archived=f.archived, members=tuple(members[f.id])) for f in families]


def find_family_row(session: Session, reference: str) -> Family:
    family = session.exec(select(Family).where(Family.reference == reference.strip().upper(),
                                               Family.deleted == False)).first()  # noqa: E712
    if family is None:
        raise NotFoundError(_("No family has the reference %(reference)s.") % {"reference": reference})
    return family


def get_family(context: AppContext, reference: str) -> FamilyRecord:
    with context.db.read() as session:
        return family_record(session, find_family_row(session, reference))


def search_families(context: AppContext, text: str = "", include_archived: bool = False,
                    limit: int | None = None, offset: int = 0) -> list[FamilyRecord]:
    """Families whose name, reference, postcode or phone contain ``text``, by reference."""
    with context.db.read() as session:
        query = select(Family).where(Family.deleted == False)  # noqa: E712
        if not include_archived:
            query = query.where(Family.archived == False)  # noqa: E712
        if text.strip():
            pattern = f"%{text.strip()}%"
            query = query.where(or_(Family.name.ilike(pattern), Family.reference.ilike(pattern),
                                    Family.postcode.ilike(pattern), Family.phone.ilike(pattern)))
        query = query.order_by(Family.reference).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        return family_records(session, list(session.exec(query)))


def add_volunteer(session: Session, draft: VolunteerDraft) -> Volunteer:
    if not draft.name.strip():
        raise ValidationError(_("A volunteer needs a name."), field="name")
    family_id = find_family_row(session, draft.family_reference).id if draft.family_reference else None
    volunteer = Volunteer(reference=_next_reference(session, Volunteer.reference, VOLUNTEER_PREFIX, 3),
                          name=draft.name.strip(), phone=draft.phone.strip(), email=draft.email.strip(),
                          active=draft.active, family_id=family_id)
    session.add(volunteer)
    for area_name in draft.areas:
        area = _named(session, Area, area_name, create=True)
        session.add(VolunteerArea(volunteer_id=volunteer.id, area_id=area.id))
    session.flush()
    return volunteer


def create_volunteer(context: AppContext, draft: VolunteerDraft) -> VolunteerRecord:
    """Add a volunteer. Raises ValidationError or NotFoundError (family); commits."""
    with context.db.transaction(_("Add volunteer %(name)s") % {"name": draft.name.strip()}) as uow:
        volunteer = add_volunteer(uow.session, draft)
        return volunteer_records(uow.session, [volunteer])[0]


def volunteer_records(session: Session, volunteers: list[Volunteer]) -> list[VolunteerRecord]:
    areas = dict(session.exec(select(Area.id, Area.name)).all())
    references = dict(session.exec(select(Family.id, Family.reference)).all())
    covered: dict[str, list[str]] = defaultdict(list)
    for link in session.exec(select(VolunteerArea).where(VolunteerArea.deleted == False)):  # noqa: E712
        covered[link.volunteer_id].append(areas.get(link.area_id, ""))
    return [VolunteerRecord(id=v.id, reference=v.reference, name=v.name, phone=v.phone, email=v.email,
                            areas=tuple(sorted(covered[v.id])), active=v.active,
                            family_reference=references.get(v.family_id or "", ""))
            for v in volunteers]


def list_volunteers(context: AppContext, include_inactive: bool = False) -> list[VolunteerRecord]:
    with context.db.read() as session:
        query = select(Volunteer).where(Volunteer.deleted == False)  # noqa: E712
        if not include_inactive:
            query = query.where(Volunteer.active == True)  # noqa: E712
        return volunteer_records(session, list(session.exec(query.order_by(Volunteer.name))))


def find_volunteer_row(session: Session, name_or_reference: str) -> Volunteer:
    key = name_or_reference.strip()
    volunteer = session.exec(select(Volunteer).where(
        Volunteer.deleted == False,  # noqa: E712
        or_(Volunteer.reference == key.upper(), func.lower(Volunteer.name) == key.lower()))).first()
    if volunteer is None:
        raise NotFoundError(_("No volunteer is called %(name)s.") % {"name": key})
    return volunteer
