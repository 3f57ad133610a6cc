"""Records of erasure, subject access and retention, and the readable names of what is held."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from peer_support.i18n import N_

# Readable names of the tables and columns a subject access export and an erasure
# preview show. Translated when shown (N_ marks them for the catalog).
TABLE_LABELS = {
    "family": N_("Family details"),
    "family_member": N_("Family members"),
    "family_school": N_("Schools"),
    "volunteer": N_("Volunteer record"),
    "volunteer_area": N_("Volunteer areas"),
    "attendance": N_("Meetings attended"),
    "meeting_action": N_("Actions agreed at meetings"),
    "fund_application": N_("Fund applications"),
    "fund_payment": N_("Fund payments"),
    "pack": N_("Activity packs"),
    "pack_event": N_("Pack deliveries"),
    "pack_run": N_("Delivery runs"),
    "retention_keep": N_("Kept past the retention period"),
    "sync_resolution": N_("Decisions on sync conflicts"),
    "meeting": N_("Meeting"),
    "newsletter_version": N_("Newsletter"),
    "newsletter_section_text": N_("Newsletter section"),
    "fund_pot": N_("Fund pot"),
    "pack_batch": N_("Pack batch"),
    "form_response": N_("Feedback forms"),
    "form_answer": N_("Feedback answers"),
}
COLUMN_LABELS = {
    "reference": N_("Reference"), "name": N_("Name"), "address": N_("Address"), "postcode": N_("Postcode"),
    "area": N_("Area"), "phone": N_("Phone"), "email": N_("Email"), "language": N_("Language"),
    "children": N_("Children"), "needs_internet": N_("Needs internet"), "needs_device": N_("Needs a device"),
    "consent_date": N_("Consent given on"), "consent_contact": N_("Consents to contact"),
    "consent_newsletter": N_("Consents to the newsletter"), "consent_photos": N_("Consents to photos"),
    "notes": N_("Notes"), "note": N_("Note"), "archived": N_("Archived"), "relationship": N_("Relationship"),
    "school_year": N_("School year"), "school": N_("School"), "meeting": N_("Meeting"), "date": N_("Date"),
    "topic": N_("Topic"), "status": N_("Status"), "description": N_("Description"), "due_on": N_("Due on"),
    "done": N_("Done"), "done_on": N_("Done on"), "pot": N_("Fund pot"), "received_on": N_("Received on"),
    "channel": N_("How it came in"), "need": N_("Need"), "requested": N_("Requested"),
    "reason": N_("Reason"), "eligibility_notes": N_("Eligibility notes"), "approved": N_("Approved"),
    "decided_by": N_("Decided by"), "decided_on": N_("Decided on"), "outcome_reason": N_("Why it ended"),
    "override_reason": N_("Why approved beyond the budget"), "ended_on": N_("Ended on"),
    "application": N_("Application"), "paid_on": N_("Paid on"), "amount": N_("Amount"),
    "method": N_("Method"), "supplier": N_("Supplier"), "receipt": N_("Receipt"),
    "recorded_by": N_("Recorded by"), "batch": N_("Pack batch"), "code": N_("Pack code"),
    "outcome": N_("Outcome"), "at": N_("When"), "volunteer": N_("Volunteer"), "when": N_("When"),
    "who": N_("Who"), "action": N_("Action"), "record": N_("Record"), "fields": N_("What changed"),
    "kept_on": N_("Kept on"), "active": N_("Active"), "created": N_("Added on"),
    "facilitator": N_("Facilitator"), "agenda": N_("Agenda"), "cancel_reason": N_("Why cancelled"),
    "title": N_("Title"), "tip_text": N_("Tip of the month"), "heading": N_("Heading"), "body": N_("Text"),
    "caption": N_("Caption"), "search_text": N_("Search words"), "family_id": N_("Family"),
    "value": N_("Value"), "deleted": N_("Removed"), "run": N_("Delivery run"), "pack": N_("Pack code"),
    "owner_family": N_("Family"), "owner_member": N_("Family member"), "owner_volunteer": N_("Volunteer"),
}


@dataclass(frozen=True)
class ErasureLine:
    """One line of what an erasure removes or keeps: a translated sentence, ready to show."""

    text: str


@dataclass(frozen=True)
class Mention:
    """Free text elsewhere that names the subject: for a lead to review and edit by hand."""

    table: str
    record_id: str
    where: str  # translated: "Meeting M2026-03, Notes"
    excerpt: str  # the text around the mention


@dataclass(frozen=True)
class ErasurePlan:
    reference: str
    name: str
    volunteer_reference: str | None  # the parent's own volunteer record, when there is one
    volunteer_name: str | None
    also_volunteer: bool
    goes: list[ErasureLine]
    stays: list[ErasureLine]
    mentions: list[Mention]
    files: int


@dataclass(frozen=True)
class ErasureResult:
    reference: str
    rows_blanked: int
    log_entries_blanked: int
    files_deleted: int
    volunteer_reference: str | None = None
    mentions: list[Mention] = field(default_factory=list)


@dataclass(frozen=True)
class FamilyExportResult:
    path: Path
    tables: dict[str, int]  # table -> rows exported
    files: int


@dataclass(frozen=True)
class RetentionCandidate:
    reference: str
    name: str
    last_contact_on: date | None  # None: no contact recorded at all
    kept_on: date | None  # a lead's last decision to keep it
    kept_reason: str


@dataclass(frozen=True)
class KeptFamily:
    """A lead's decision to keep a family past the retention period."""

    reference: str
    kept_on: date
    reason: str
    decided_by: str


@dataclass(frozen=True)
class RetentionApplied:
    erased: list[str]  # references
    mentions: list[Mention]
