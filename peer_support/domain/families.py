"""Families (households) and volunteers as the rest of the app sees them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class FamilyDraft:
    """What a user enters; only ``name`` is required at first contact."""

    name: str
    address: str = ""
    postcode: str = ""
    area: str = ""  # area name from the configurable list
    phone: str = ""
    email: str = ""
    language: str = "en"
    children: int | None = None
    schools: tuple[str, ...] = ()
    needs_internet: bool = False
    needs_device: bool = False
    consent_date: date | None = None
    consent_contact: bool = False
    consent_newsletter: bool = False
    consent_photos: bool = False
    notes: str = ""


@dataclass(frozen=True)
class FamilyRecord:
    id: str
    reference: str
    name: str
    address: str
    postcode: str
    area: str
    phone: str
    email: str
    language: str
    children: int | None
    schools: tuple[str, ...]
    needs_internet: bool
    needs_device: bool
    consent_date: date | None
    consent_contact: bool
    consent_newsletter: bool
    consent_photos: bool
    notes: str
    archived: bool
    members: tuple["MemberRecord", ...] = field(default=())


@dataclass(frozen=True)
class MemberRecord:
    id: str
    name: str
    relationship: str
    school_year: int | None
    school: str


@dataclass(frozen=True)
class VolunteerDraft:
    name: str
    phone: str = ""
    email: str = ""
    areas: tuple[str, ...] = ()
    active: bool = True
    family_reference: str = ""


@dataclass(frozen=True)
class VolunteerRecord:
    id: str
    reference: str
    name: str
    phone: str
    email: str
    areas: tuple[str, ...]
    active: bool
    family_reference: str


def format_reference(prefix: str, number: int, width: int = 4) -> str:
    """F0001, V001 ..."""
    return f"{prefix}{number:0{width}d}"


def reference_number(reference: str) -> int:
    digits = "".join(ch for ch in reference if ch.isdigit())
    return int(digits) if digits else 0
