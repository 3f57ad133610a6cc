"""Volunteers: name, phone, email, areas they cover, active flag; maybe a parent in a family.

Importable from services.families too (other areas use those names).
"""

from __future__ import annotations

from collections import defaultdict

from sqlmodel import Session, col, func, or_, select

from peer_support.context import AppContext
from peer_support.domain.changes import Saved
from peer_support.domain.families import VolunteerDraft, VolunteerRecord, format_reference
from peer_support.domain.families_rules import validate_volunteer_fields
from peer_support.errors import NotFoundError
from peer_support.i18n import _
from peer_support.services.family_rows import find_family_row, named_row, next_reference_number
from peer_support.storage.conditions import is_true, live
from peer_support.storage.links import set_links
from peer_support.storage.tables.families import Area, Family, Volunteer, VolunteerArea
from peer_support.domain.roles import Permission
from peer_support.services.access import require

VOLUNTEER_PREFIX = "V"


VolunteerSaved = Saved[VolunteerRecord]


def _family_id(session: Session, reference: str) -> str | None:
    return find_family_row(session, reference).id if reference.strip() else None


def _area(session: Session, name: str) -> Area:
    return named_row(session, Area, name, create=True)


def add_volunteer(session: Session, draft: VolunteerDraft) -> Volunteer:
    """Write a volunteer inside an open unit of work. Raises ValidationError, NotFoundError."""
    validate_volunteer_fields(draft.name, draft.phone, draft.email)
    volunteer = Volunteer(reference=format_reference(VOLUNTEER_PREFIX,
                                                     next_reference_number(session, Volunteer), 3),
                          name=" ".join(draft.name.split()), phone=draft.phone.strip(),
                          email=draft.email.strip(), active=draft.active,
                          family_id=_family_id(session, draft.family_reference))
    session.add(volunteer)
    for area_name in dict.fromkeys(draft.areas):
        session.add(VolunteerArea(volunteer_id=volunteer.id, area_id=_area(session, area_name).id))
    session.flush()
    return volunteer


def create_volunteer(context: AppContext, draft: VolunteerDraft) -> VolunteerRecord:
    """Add a volunteer. Raises ValidationError or NotFoundError (family); commits."""
    require(context, Permission.FAMILY_DETAILS)
    return save_new_volunteer(context, draft).record


def save_new_volunteer(context: AppContext, draft: VolunteerDraft) -> VolunteerSaved:
    """Add a volunteer; returns it with the change summary. Raises ValidationError, NotFoundError; commits."""
    require(context, Permission.FAMILY_DETAILS)
    with context.db.transaction(_("Add volunteer %(name)s") % {"name": draft.name.strip()}) as uow:
        volunteer = add_volunteer(uow.session, draft)
        record = volunteer_records(uow.session, [volunteer])[0]
    return VolunteerSaved(record, uow.changes)


def update_volunteer(context: AppContext, reference: str, draft: VolunteerDraft) -> VolunteerSaved:
    """Replace a volunteer's details and areas. Raises ValidationError, NotFoundError; commits."""
    require(context, Permission.FAMILY_DETAILS)
    validate_volunteer_fields(draft.name, draft.phone, draft.email)
    with context.db.transaction(_("Edit volunteer %(reference)s") % {"reference": reference}) as uow:
        session = uow.session
        volunteer = find_volunteer_row(session, reference)
        volunteer.name, volunteer.phone = " ".join(draft.name.split()), draft.phone.strip()
        volunteer.email, volunteer.active = draft.email.strip(), draft.active
        volunteer.family_id = _family_id(session, draft.family_reference)
        session.add(volunteer)
        set_links(session, VolunteerArea, "volunteer_id", volunteer.id, "area_id",
                  {_area(session, name).id for name in draft.areas})
        session.flush()
        record = volunteer_records(session, [volunteer])[0]
    return VolunteerSaved(record, uow.changes)


def volunteer_records(session: Session, volunteers: list[Volunteer]) -> list[VolunteerRecord]:
    areas = dict(session.exec(select(Area.id, Area.name)).all())
    family_ids = [v.family_id for v in volunteers if v.family_id]
    references = dict(session.exec(select(Family.id, Family.reference)
                                   .where(col(Family.id).in_(family_ids))).all()) if family_ids else {}
    covered: dict[str, list[str]] = defaultdict(list)
    for link in session.exec(select(VolunteerArea).where(live(VolunteerArea))):
        covered[link.volunteer_id].append(areas.get(link.area_id, ""))
    return [VolunteerRecord(id=v.id, reference=v.reference, name=v.name, phone=v.phone, email=v.email,
                            areas=tuple(sorted(covered[v.id])), active=v.active,
                            family_reference=references.get(v.family_id or "", ""))
            for v in volunteers]


def list_volunteers(context: AppContext, include_inactive: bool = False) -> list[VolunteerRecord]:
    with context.db.read() as session:
        query = select(Volunteer).where(live(Volunteer))
        if not include_inactive:
            query = query.where(is_true(Volunteer.active))
        return volunteer_records(session, list(session.exec(query.order_by(Volunteer.name))))


def get_volunteer(context: AppContext, reference: str) -> VolunteerRecord:
    with context.db.read() as session:
        return volunteer_records(session, [find_volunteer_row(session, reference)])[0]


def find_volunteer_row(session: Session, name_or_reference: str) -> Volunteer:
    key = name_or_reference.strip()
    volunteer = session.exec(select(Volunteer).where(
        live(Volunteer),
        or_(Volunteer.reference == key.upper(), func.lower(Volunteer.name) == key.lower()))).first()
    if volunteer is None:
        raise NotFoundError(_("No volunteer is called %(name)s.") % {"name": key})
    return volunteer
