"""Families (households), their members, volunteers and the configurable lists."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Index, text
from sqlmodel import Field

from peer_support.storage.ownership import FAMILY, VOLUNTEER, NotPersonal, Owned
from peer_support.storage.tables.base import Entity


class Area(Entity, table=True):
    """A town area or ward (configurable list)."""

    __owner__ = NotPersonal("a configurable list")

    name: str = Field(unique=True)
    sort_order: int = Field(default=0)
    archived: bool = Field(default=False)


class School(Entity, table=True):
    """A secondary school (configurable list)."""

    __owner__ = NotPersonal("a configurable list")

    name: str = Field(unique=True)
    sort_order: int = Field(default=0)
    archived: bool = Field(default=False)


class Family(Entity, table=True):
    # The list's count of current (or archived) families, and the dashboard's of those without
    # consent, read this small index, not the wide table. The list's default order (references by
    # number: F10000 after F9999) and its order by name have their own indexes, so a page stops
    # after its rows instead of sorting them all; the name order's carries the deleted and archived
    # flags, so the families a page skips are not read. Search text lives in family_search
    # (storage/tables/search.py).
    __table_args__ = (Index("ix_family_live", "deleted", "archived", "consent_date"),
                      Index("ix_family_reference_order", text("length(reference)"), "reference"),
                      Index("ix_family_name_order", text("lower(name)"), text("length(reference)"), "reference",
                            "deleted", "archived"))
    # Numbers, dates, consents, area and language stay after an erasure (anonymous totals).
    __owner__ = Owned(FAMILY, personal=("name", "address", "postcode", "phone", "email", "notes"),
                      free_text=("notes",))

    reference: str = Field(unique=True, max_length=16)
    name: str = Field(index=True)  # lead parent or carer
    address: str = Field(default="")  # lines separated by newlines
    postcode: str = Field(default="", index=True)
    area_id: str | None = Field(default=None, foreign_key="area.id", index=True)
    phone: str = Field(default="", index=True)
    email: str = Field(default="")
    language: str = Field(default="en", max_length=8)
    children: int | None = Field(default=None)
    needs_internet: bool = Field(default=False)
    needs_device: bool = Field(default=False)
    consent_date: date | None = Field(default=None)
    consent_contact: bool = Field(default=False)
    consent_newsletter: bool = Field(default=False)
    consent_photos: bool = Field(default=False)
    notes: str = Field(default="")
    archived: bool = Field(default=False, index=True)


class FamilySchool(Entity, table=True):
    """A school that a family's children attend."""

    __tablename__ = "family_school"
    __owner__ = Owned(FAMILY, via=("family_id",))

    family_id: str = Field(foreign_key="family.id", index=True)
    school_id: str = Field(foreign_key="school.id", index=True)


class FamilyMember(Entity, table=True):
    __tablename__ = "family_member"
    __owner__ = Owned(FAMILY, via=("family_id",), personal=("name",))

    family_id: str = Field(foreign_key="family.id", index=True)
    name: str
    relationship: str = Field(default="")
    school_year: int | None = Field(default=None)
    school_id: str | None = Field(default=None, foreign_key="school.id")
    position: int = Field(default=0, sa_column_kwargs={"server_default": "0"})  # order as entered


class Volunteer(Entity, table=True):
    # A volunteer is their own subject; a parent who volunteers is linked to the family,
    # and erasing the family drops that link (the volunteer record is erased only when asked).
    __owner__ = (Owned(VOLUNTEER, personal=("name", "phone", "email"), shown_erased=("name",)),
                 Owned(FAMILY, via=("family_id",), personal=("family_id",)))

    reference: str = Field(unique=True, max_length=16)
    name: str = Field(index=True)
    phone: str = Field(default="")
    email: str = Field(default="")
    active: bool = Field(default=True)
    # A volunteer may also be a parent in a family.
    family_id: str | None = Field(default=None, foreign_key="family.id")


class VolunteerArea(Entity, table=True):
    """An area a volunteer covers."""

    __tablename__ = "volunteer_area"
    __owner__ = Owned(VOLUNTEER, via=("volunteer_id",))

    volunteer_id: str = Field(foreign_key="volunteer.id", index=True)
    area_id: str = Field(foreign_key="area.id", index=True)
