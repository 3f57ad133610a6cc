"""Families (households) and volunteers as the rest of the app sees them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

SUPPORTED_FAMILY_LANGUAGES = ("en", "pl", "da", "de")


@dataclass(frozen=True)
class MemberDraft:
    """Another member of a household; ``id`` is empty for a new one."""

    name: str
    relationship: str = ""
    school_year: int | None = None
    school: str = ""
    id: str = ""


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
    members: tuple[MemberDraft, ...] = ()


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

    def draft(self) -> FamilyDraft:
        """The record as an editable draft (members keep their ids)."""
        return FamilyDraft(
            name=self.name, address=self.address, postcode=self.postcode, area=self.area,
            phone=self.phone, email=self.email, language=self.language, children=self.children,
            schools=self.schools, needs_internet=self.needs_internet, needs_device=self.needs_device,
            consent_date=self.consent_date, consent_contact=self.consent_contact,
            consent_newsletter=self.consent_newsletter, consent_photos=self.consent_photos,
            notes=self.notes, members=tuple(MemberDraft(m.name, m.relationship, m.school_year, m.school, m.id)
                                            for m in self.members))


@dataclass(frozen=True)
class MemberRecord:
    id: str
    name: str
    relationship: str
    school_year: int | None
    school: str


@dataclass(frozen=True)
class FamilyRow:
    """One line of the families list: only what the table shows."""

    id: str
    reference: str
    name: str
    postcode: str
    area: str
    phone: str
    language: str
    children: int | None
    needs_internet: bool
    needs_device: bool
    archived: bool


# Which families a list shows. ``archived``: "active", "archived" or "all".
# ``needs``: "", "internet", "device" or "any"; ``special``: "" or a dashboard list's name.
SORT_KEYS = ("reference", "name", "postcode", "area", "phone", "language", "children")


@dataclass(frozen=True)
class FamilyQuery:
    text: str = ""
    area: str = ""
    school: str = ""
    language: str = ""
    needs: str = ""
    archived: str = "active"
    sort: str = "reference"
    descending: bool = False
    # One of the dashboard's lists (services/family_lists.py), counted as of ``as_of``.
    special: str = ""
    as_of: date | None = None


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

    def draft(self) -> VolunteerDraft:
        return VolunteerDraft(self.name, self.phone, self.email, self.areas, self.active,
                              self.family_reference)


def format_reference(prefix: str, number: int, width: int = 4) -> str:
    """F0001, V001 ..."""
    return f"{prefix}{number:0{width}d}"


def reference_number(reference: str) -> int:
    # A code two laptops gave out at once is "F0008~3a9c" until renumbered (services/sync/uniques.py).
    digits = "".join(ch for ch in reference.split("~", 1)[0] if ch.isdigit())
    return int(digits) if digits else 0
