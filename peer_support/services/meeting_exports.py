"""Meeting files: the schedule as iCalendar, a register as PDF sign-in sheet or CSV,
and family cards with QR codes. All written whole or not at all."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlmodel import col, select

from peer_support.context import AppContext
from peer_support.domain.meetings import MeetingStatus, RegisterEntry
from peer_support.errors import ValidationError
from peer_support.exports.files import atomic_output, output_format
from peer_support.i18n import _
from peer_support.progress import NullProgress, Progress, check_cancelled
from peer_support.services.families import find_family_row
from peer_support.services.meetings import find_meeting_row, list_meetings
from peer_support.services.register import get_register, normalise_family_reference
from peer_support.services.settings import get_group_settings
from peer_support.storage.conditions import is_false, live
from peer_support.storage.tables.families import Family
from peer_support.storage.tables.meetings import Attendance, Meeting
from peer_support.domain.roles import Permission
from peer_support.services.access import require

# The writers (reportlab, qrcode, icalendar: ~20 MB) are imported when an export runs, not when
# the Meetings page that offers the exports is built.

REGULAR_MEETINGS = 6  # a sign-in sheet lists families who came to any of the last six


def export_schedule_ics(context: AppContext, path: str | Path, upcoming_only: bool = False) -> int:
    """Write the meetings to an .ics file; returns how many. Raises ExportError."""
    from peer_support.exports.ics import write_ics

    output_format(path, ("ics",))
    meetings = list_meetings(context, upcoming=True if upcoming_only else None)
    write_ics(meetings, path, get_group_settings(context).group_name, context.clock.now())
    return len(meetings)


def _sheet_entries(context: AppContext, reference: str, entries: tuple[RegisterEntry, ...]) -> list[RegisterEntry]:
    """Families marked on this register or present at one of the last six held meetings."""
    with context.db.read() as session:
        meeting = find_meeting_row(session, reference)
        recent = session.exec(select(Meeting.id).where(
            live(Meeting), Meeting.status == MeetingStatus.HELD.value,
            Meeting.starts_at < meeting.starts_at).order_by(col(Meeting.starts_at).desc())
            .limit(REGULAR_MEETINGS)).all()
        regulars = set(session.exec(select(Family.reference).join(Attendance, col(Attendance.family_id) == Family.id)
                                    .where(col(Attendance.meeting_id).in_(recent), live(Attendance),
                                           Attendance.status == "present")).all())
    chosen = [e for e in entries if e.status is not None or e.family_reference in regulars]
    return chosen or list(entries)


def expected_families(context: AppContext, reference: str) -> list[tuple[str, str, str]]:
    """(reference, name, language) of the families a meeting expects: those on its register,
    else the regulars of recent meetings, else everyone on the register list."""
    entries = _sheet_entries(context, reference, get_register(context, reference).entries)
    wanted = [entry.family_reference for entry in entries]
    with context.db.read() as session:
        languages = dict(session.exec(select(Family.reference, Family.language)
                                     .where(col(Family.reference).in_(wanted))).all())
    return [(entry.family_reference, entry.family_name, languages.get(entry.family_reference, "en"))
            for entry in entries]


def export_register(context: AppContext, reference: str, path: str | Path) -> Path:
    """A meeting's register as a PDF sign-in sheet (.pdf) or a table (.csv).

    Raises NotFoundError, ExportError (bad extension or unwritable folder).
    """
    require(context, Permission.REGISTER)
    kind = output_format(path, ("pdf", "csv"))
    register = get_register(context, reference)
    if kind == "pdf":
        from peer_support.exports.meeting_pdfs import write_sign_in_sheet

        return write_sign_in_sheet(path, register.meeting, _sheet_entries(context, reference, register.entries),
                                   get_group_settings(context).group_name)
    meeting = register.meeting
    with atomic_output(path) as partial:
        # utf-8-sig: Excel then shows Polish and Danish letters correctly.
        with partial.open("w", newline="", encoding="utf-8-sig") as handle:
            writer = csv.writer(handle)
            writer.writerow([_("Meeting"), _("Date"), _("Family reference"), _("Family"), _("Status")])
            for entry in register.entries:
                if entry.status is not None:
                    writer.writerow([meeting.reference, meeting.on.isoformat(), entry.family_reference,
                                     _csv_safe(entry.family_name), entry.status.label])
            writer.writerow([meeting.reference, meeting.on.isoformat(), "", _("Walk-in guests"),
                             meeting.walk_in_guests])
            writer.writerow([meeting.reference, meeting.on.isoformat(), "", _("Children in the crèche"),
                             meeting.creche_children])
    return Path(path)


def _csv_safe(text: str) -> str:
    """Stop a spreadsheet from running a name that starts like a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def export_family_cards(context: AppContext, path: str | Path, references: list[str] | None = None,
                        progress: Progress | None = None) -> int:
    """Family cards for the given families (default: every current family); returns how many.

    Raises NotFoundError (unknown reference), ValidationError, ExportError.
    """
    from peer_support.exports.meeting_pdfs import CardFamily, write_family_cards

    require(context, Permission.FAMILY_DETAILS)
    progress = progress or NullProgress()
    output_format(path, ("pdf",))
    with context.db.read() as session:
        if references:
            rows = [find_family_row(session, normalise_family_reference(reference)) for reference in references]
        else:
            rows = list(session.exec(select(Family).where(live(Family), is_false(Family.archived))
                                     .order_by(Family.reference)))
        families = [CardFamily(row.reference, row.name) for row in rows]
    if not families:
        raise ValidationError(_("There are no families to print cards for."))
    check_cancelled(progress)
    progress.step(0, 1, _("Printing family cards…"))
    write_family_cards(path, families, get_group_settings(context).group_name)
    progress.step(1, 1, _("Printing family cards…"))
    return len(families)
