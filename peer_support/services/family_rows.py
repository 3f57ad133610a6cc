"""Finding family-area rows by what people type (a reference, an area or school name) and
the next free reference: shared by families.py and families_volunteers.py."""

from __future__ import annotations

from sqlmodel import Session, func, select

from peer_support.domain.families import reference_number
from peer_support.errors import NotFoundError
from peer_support.i18n import _
from peer_support.storage.conditions import live
from peer_support.storage.tables.families import Family


def next_reference_number(session: Session, model) -> int:
    # Longest then highest: plain MAX() on text would put F9999 after F10000.
    # Provisional codes of a sync clash ("F0008~3a9c") are not the highest number.
    highest = session.exec(select(model.reference).where(model.reference.notlike("%~%"))
                           .order_by(func.length(model.reference).desc(), model.reference.desc()).limit(1)).first()
    return reference_number(highest or "") + 1


def named_row(session: Session, model, name: str, create: bool):
    """An Area or School by name, created on first use when ``create``."""
    if not name or not name.strip():
        return None
    row = session.exec(select(model).where(func.lower(model.name) == name.strip().lower())).first()
    if row is None and create:
        row = model(name=name.strip())
        session.add(row)
    return row


def find_family_row(session: Session, reference: str) -> Family:
    family = session.exec(select(Family).where(Family.reference == reference.strip().upper(),
                                               live(Family))).first()
    if family is None:
        raise NotFoundError(_("No family has the reference %(reference)s.") % {"reference": reference})
    return family
