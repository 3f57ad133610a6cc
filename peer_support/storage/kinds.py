"""Which kind of data (domain.changes.Kind) each logged table holds.

Kept apart from the table classes so the plain-SQL write path and sync can name
what changed without loading the ORM. A new Entity table needs a line here
(tests/unit/test_changes.py checks).
"""

from __future__ import annotations

from collections.abc import Iterable

from peer_support.domain.changes import Kind

KIND_OF_TABLE: dict[str, Kind] = {
    "family": Kind.FAMILY, "family_member": Kind.FAMILY, "family_school": Kind.FAMILY,
    "area": Kind.PLACE, "school": Kind.PLACE,
    "volunteer": Kind.VOLUNTEER, "volunteer_area": Kind.VOLUNTEER,
    "meeting": Kind.MEETING, "meeting_series": Kind.MEETING,
    "attendance": Kind.ATTENDANCE, "meeting_action": Kind.MEETING_ACTION,
    "fund_pot": Kind.FUND, "fund_application": Kind.FUND, "fund_payment": Kind.FUND,
    "pack_batch": Kind.PACK_BATCH, "pack_run": Kind.PACK, "pack": Kind.PACK, "pack_event": Kind.PACK,
    "newsletter_issue": Kind.NEWSLETTER, "newsletter_version": Kind.NEWSLETTER,
    "newsletter_section": Kind.NEWSLETTER, "newsletter_section_text": Kind.NEWSLETTER,
    "questionnaire": Kind.FEEDBACK, "questionnaire_question": Kind.FEEDBACK,
    "form_response": Kind.FEEDBACK, "form_answer": Kind.FEEDBACK,
    "erasure": Kind.FAMILY, "retention_keep": Kind.FAMILY,
    "setting": Kind.SETTINGS, "app_user": Kind.USER,
    "sync_resolution": Kind.SYNC, "sync_conflict": Kind.SYNC,
}


def kinds_of(tables: Iterable[str]) -> set[Kind]:
    """The kinds of data held by these tables."""
    return {KIND_OF_TABLE[table] for table in tables}
