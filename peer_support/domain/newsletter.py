"""Newsletter issues as the rest of the app sees them, and their pure rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from peer_support.i18n import N_

DRAFT = "draft"
FINAL = "final"
STATUSES = (DRAFT, FINAL)
STATUS_LABELS = {DRAFT: N_("Draft"), FINAL: N_("Final")}

ONE_COLUMN = "one_column"
TWO_COLUMN = "two_column"
TEMPLATES = (TWO_COLUMN, ONE_COLUMN)
TEMPLATE_LABELS = {ONE_COLUMN: N_("One column (A4)"), TWO_COLUMN: N_("Two-column newsletter (A4)")}

# Automatic sections, generated from the data when the issue is exported.
MEETINGS = "meetings"
PACKS = "packs"
FUND = "fund"
CONTACTS = "contacts"
FEEDBACK = "feedback"
AUTOMATIC_SECTIONS = (MEETINGS, PACKS, FUND, FEEDBACK, CONTACTS)
AUTOMATIC_LABELS = {MEETINGS: N_("Upcoming meetings"), PACKS: N_("Pack delivery progress"),
                    FUND: N_("Connectivity fund news"), FEEDBACK: N_("You told us (feedback totals)"),
                    CONTACTS: N_("Contacts and sign-up QR code")}

# The Resilience Framework's five compartments (Hart & Blincow, Boingboing).
RESILIENCE_COMPARTMENTS = ("basics", "belonging", "learning", "coping", "core_self")
COMPARTMENT_LABELS = {"basics": N_("Basics"), "belonging": N_("Belonging"), "learning": N_("Learning"),
                      "coping": N_("Coping"), "core_self": N_("Core Self")}

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif")


@dataclass(frozen=True)
class SectionText:
    """One language's words for a section. ``body`` is the safe rich-text subset."""

    language: str
    heading: str = ""
    body: str = ""
    caption: str = ""


@dataclass(frozen=True)
class SectionRecord:
    id: str | None  # None for a section not saved yet
    image_file: str = ""
    texts: tuple[SectionText, ...] = ()

    def text(self, language: str, fallback: str) -> SectionText:
        """The section in ``language``, else in the main language ``fallback``."""
        by_language = {t.language: t for t in self.texts}
        return by_language.get(language) or by_language.get(fallback) or SectionText(language)


@dataclass(frozen=True)
class VersionRecord:
    language: str
    title: str = ""
    tip_text: str = ""


@dataclass(frozen=True)
class IssueDraft:
    """Everything the editor saves in one action; sections in printed order."""

    issued_on: date
    language: str = "en"
    status: str = DRAFT
    template: str = TWO_COLUMN
    automatic: tuple[str, ...] = AUTOMATIC_SECTIONS
    tip_compartment: str = ""
    versions: tuple[VersionRecord, ...] = ()
    sections: tuple[SectionRecord, ...] = ()


@dataclass(frozen=True)
class IssueRecord:
    id: str
    number: int
    issued_on: date
    language: str
    status: str
    template: str
    automatic: tuple[str, ...]
    tip_compartment: str
    versions: tuple[VersionRecord, ...] = ()
    sections: tuple[SectionRecord, ...] = field(default=())
    snapshot: str = ""  # JSON of the automatic sections printed when it was made final

    @property
    def languages(self) -> tuple[str, ...]:
        """The main language first, then the other versions."""
        others = sorted(v.language for v in self.versions if v.language != self.language)
        return (self.language, *others)

    def version(self, language: str) -> VersionRecord:
        by_language = {v.language: v for v in self.versions}
        return by_language.get(language) or by_language.get(self.language) or VersionRecord(language)

    @property
    def title(self) -> str:
        return self.version(self.language).title

    def as_draft(self) -> IssueDraft:
        return IssueDraft(issued_on=self.issued_on, language=self.language, status=self.status,
                          template=self.template, automatic=self.automatic,
                          tip_compartment=self.tip_compartment, versions=self.versions,
                          sections=self.sections)


@dataclass(frozen=True)
class IssueSummary:
    number: int
    title: str
    issued_on: date
    language: str
    languages: tuple[str, ...]
    status: str
    sections: int


@dataclass(frozen=True)
class MailingEntry:
    """One family that receives a printed or emailed copy, and in which language."""

    reference: str
    name: str
    address: str
    postcode: str
    email: str
    language: str  # the language version this family gets


@dataclass(frozen=True)
class ExportResult:
    path: str
    warnings: tuple[str, ...] = ()


def version_for(family_language: str, issue_languages: tuple[str, ...], main_language: str) -> str:
    """The version a family gets: its own language where the issue has it, else the main one."""
    return family_language if family_language in issue_languages else main_language


def parse_automatic(stored: str) -> tuple[str, ...]:
    keys = [k.strip() for k in stored.split(",") if k.strip()]
    return tuple(k for k in AUTOMATIC_SECTIONS if k in keys)
