"""The register of a meeting: who came, who sent apologies, walk-ins at the door.

At the door a volunteer types a few letters or scans a family card (its QR code
holds the family reference, e.g. F0042) and presses Enter: ``check_in``.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from sqlmodel import Session, col, or_, select

from peer_support.context import AppContext
from peer_support.domain.changes import Saved
from peer_support.domain.families import FamilyDraft
from peer_support.domain.meetings import (AttendanceHistoryItem, AttendanceStatus, MeetingStatus,
                                          RegisterEntry, RegisterSummary)
from peer_support.errors import NotFoundError, ValidationError
from peer_support.i18n import _, ngettext
from peer_support.domain.search import fold
from peer_support.services.families import add_family, find_family_row
from peer_support.services.families_search import find_families
from peer_support.services.meetings import find_meeting_row, meeting_record
from peer_support.storage.conditions import live
from peer_support.storage.plain_work import plain_transaction
from peer_support.storage.tables.families import Family
from peer_support.storage.tables.meetings import Attendance, Meeting
from peer_support.domain.roles import Permission
from peer_support.services.access import require

_REFERENCE = re.compile(r"F0*(\d{1,6})", re.IGNORECASE)
DOOR_MATCH_LIMIT = 12


def _set_status(session: Session, meeting: Meeting, family: Family, status: AttendanceStatus | None,
                now) -> None:
    """Upsert one register line; a tombstoned line is revived rather than duplicated.

    Ticking a family present marks a planned meeting held, in the same action."""
    row = session.exec(select(Attendance).where(Attendance.meeting_id == meeting.id,
                                                Attendance.family_id == family.id)).first()
    if status is None:
        if row is not None and not row.deleted:
            row.deleted = True
            session.add(row)
        return
    if row is None:
        row = Attendance(meeting_id=meeting.id, family_id=family.id, status=status.value)
    row.status, row.deleted, row.marked_at = status.value, False, now
    session.add(row)
    if _marks_held(status, meeting.status):
        meeting.status = MeetingStatus.HELD.value
        session.add(meeting)


def _marks_held(status: AttendanceStatus | None, meeting_status: str) -> bool:
    # Taking the register is what holding a meeting means; it can be reopened (planned again).
    return status is AttendanceStatus.PRESENT and meeting_status == MeetingStatus.PLANNED.value


def _check_markable(meeting: Meeting) -> None:
    _check_not_cancelled(meeting.status, meeting.reference)


def _check_not_cancelled(status: str, reference: str) -> None:
    if status == MeetingStatus.CANCELLED.value:
        raise ValidationError(_("Meeting %(reference)s was cancelled; it has no register.")
                              % {"reference": reference})


# A meeting's register in plain SQL: every current family, and any archived one already marked,
# by name. With 50,000 families the Meetings page holds a row count, the marks (a few dozen) and
# the pages on screen, never every family (benchmarks/memory.py). When sync left two lines for
# one family, the latest mark counts.
_MARKS = ("WITH marks AS (SELECT family_id, status, max(coalesce(marked_at, '')) FROM attendance "
          "WHERE meeting_id = ? AND deleted = 0 GROUP BY family_id) ")
_ON_REGISTER = ("FROM family AS f LEFT JOIN marks AS m ON m.family_id = f.id "
                "WHERE f.deleted = 0 AND (f.archived = 0 OR m.family_id IS NOT NULL)")
_MARKED_ONLY = " AND m.family_id IS NOT NULL"


def _register_meeting_id(connection, reference: str) -> str:
    row = connection.execute("SELECT id FROM meeting WHERE reference = ? AND deleted = 0 LIMIT 1",
                             (reference.strip().upper(),)).fetchone()
    if row is None:
        raise NotFoundError(_("No meeting has the reference %(reference)s.") % {"reference": reference.strip()})
    return row[0]


def _register_rows(connection, meeting_id: str, offset: int, limit: int,
                   marked_only: bool) -> list[RegisterEntry]:
    rows = connection.execute(
        f"{_MARKS}SELECT f.reference, f.name, m.status, f.phone {_ON_REGISTER}"
        f"{_MARKED_ONLY if marked_only else ''} ORDER BY f.name, f.reference LIMIT ? OFFSET ?",
        (meeting_id, limit, offset)).fetchall()
    return [RegisterEntry(family_reference=reference, family_name=name,
                          status=AttendanceStatus(status) if status is not None else None, phone=phone or "")
            for reference, name, status, phone in rows]


def get_register(context: AppContext, reference: str) -> RegisterSummary:
    """Every current family (and any archived one already on the register), by name.

    For a sign-in sheet or a spreadsheet; a list on screen pages through ``register_page``."""
    require(context, Permission.REGISTER)
    with context.db.read() as session:
        meeting = meeting_record(session, find_meeting_row(session, reference))
    with context.db.plain() as connection:
        entries = tuple(_register_rows(connection, meeting.id, 0, -1, False))
    return RegisterSummary(meeting=meeting, entries=entries)


def register_count(context: AppContext, reference: str, marked_only: bool = False) -> int:
    """How many lines a meeting's register has (only the marked ones with ``marked_only``)."""
    require(context, Permission.REGISTER)
    with context.db.plain() as connection:
        meeting_id = _register_meeting_id(connection, reference)
        return connection.execute(f"{_MARKS}SELECT count(*) {_ON_REGISTER}{_MARKED_ONLY if marked_only else ''}",
                                  (meeting_id,)).fetchone()[0]


def register_page(context: AppContext, reference: str, offset: int, limit: int,
                  marked_only: bool = False) -> list[RegisterEntry]:
    """Lines ``offset`` to ``offset + limit`` of a meeting's register, in its order (by name)."""
    require(context, Permission.REGISTER)
    with context.db.plain() as connection:
        return _register_rows(connection, _register_meeting_id(connection, reference), offset, limit, marked_only)


def register_position(context: AppContext, reference: str, family_reference: str,
                      marked_only: bool = False) -> int | None:
    """Where a family's line is on a meeting's register (to select it), or None if it has none."""
    require(context, Permission.REGISTER)
    with context.db.plain() as connection:
        meeting_id = _register_meeting_id(connection, reference)
        where = _MARKED_ONLY if marked_only else ""
        family = connection.execute(f"{_MARKS}SELECT f.name, f.reference {_ON_REGISTER}{where} "
                                    f"AND f.reference = ? LIMIT 1", (meeting_id, family_reference)).fetchone()
        if family is None:
            return None
        return connection.execute(f"{_MARKS}SELECT count(*) {_ON_REGISTER}{where} "
                                  f"AND (f.name, f.reference) < (?, ?)", (meeting_id, *family)).fetchone()[0]


def register_marks(context: AppContext, reference: str) -> dict[str, AttendanceStatus]:
    """The families marked on a meeting's register: family reference -> mark (a few dozen lines)."""
    require(context, Permission.REGISTER)
    with context.db.plain() as connection:
        meeting_id = _register_meeting_id(connection, reference)
        rows = connection.execute(f"{_MARKS}SELECT f.reference, m.status FROM marks AS m "
                                  f"JOIN family AS f ON f.id = m.family_id WHERE f.deleted = 0",
                                  (meeting_id,)).fetchall()
    return {family_reference: AttendanceStatus(status) for family_reference, status in rows}


# A register line's meeting, family and current mark in one statement (a tick at the door).
_MARK_LOOKUP = ("SELECT m.id, m.reference, m.status, f.id, f.reference, f.name, f.phone, "
                "a.id, a.status, a.deleted, a.marked_at FROM meeting AS m "
                "JOIN family AS f ON f.reference = ? AND f.deleted = 0 "
                "LEFT JOIN attendance AS a ON a.meeting_id = m.id AND a.family_id = f.id "
                "WHERE m.reference = ? AND m.deleted = 0 LIMIT 1")


def mark_attendance(context: AppContext, reference: str, family_reference: str,
                    status: AttendanceStatus | str | None) -> Saved[RegisterEntry]:
    """Set one family's line (None clears it). Raises NotFoundError, ValidationError; commits.

    Written in plain SQL through storage/plain_work.py (the same transaction and change-log
    rows as the unit of work): a tick at the door costs little more than its commit.
    """
    require(context, Permission.REGISTER)
    if status is not None:
        try:
            status = AttendanceStatus(status)
        except ValueError:
            raise ValidationError(_("'%(status)s' is not present, apologies or absent.")
                                  % {"status": status}) from None
    return _mark(context, reference, family_reference, status)


class _NoSuchFamily(Exception):
    """A scanned reference that no current family has (check_in then searches the text instead)."""


def _mark(context: AppContext, reference: str, family_reference: str, status: AttendanceStatus | None,
          scanned: bool = False) -> Saved[RegisterEntry]:
    """mark_attendance's write. ``scanned``: a reference read from a card; when no current family
    has it, _NoSuchFamily is raised (nothing written) before any other check."""
    with plain_transaction(context.db, _("Register %(family)s at %(meeting)s")
                           % {"family": family_reference, "meeting": reference}) as work:
        connection = work.connection
        found = connection.execute(_MARK_LOOKUP, (family_reference.strip().upper(),
                                                  reference.strip().upper())).fetchone()
        if found is None:  # say which is missing, in the order the checks have always run
            if scanned and connection.execute("SELECT 1 FROM family WHERE reference = ? AND deleted = 0",
                                              (family_reference,)).fetchone() is None:
                raise _NoSuchFamily
            meeting = connection.execute("SELECT id, reference, status FROM meeting WHERE reference = ? "
                                         "AND deleted = 0 LIMIT 1", (reference.strip().upper(),)).fetchone()
            if meeting is None:
                raise NotFoundError(_("No meeting has the reference %(reference)s.")
                                    % {"reference": reference.strip()})
            _check_not_cancelled(meeting[2], meeting[1])
            raise NotFoundError(_("No family has the reference %(reference)s.") % {"reference": family_reference})
        meeting, family = found[0:3], found[3:7]
        row = found[7:] if found[7] is not None else None
        _check_not_cancelled(meeting[2], meeting[1])
        if status is None:
            if row is not None and not row[2]:
                work.update("attendance", row[0], {"deleted": bool(row[2])}, {"deleted": True})
        elif row is None:
            work.insert("attendance", {"meeting_id": meeting[0], "family_id": family[0], "status": status.value,
                                       "marked_at": work.now})
        else:
            marked_at = datetime.fromisoformat(row[3]).replace(tzinfo=timezone.utc) if row[3] else None
            work.update("attendance", row[0], {"status": row[1], "deleted": bool(row[2]), "marked_at": marked_at},
                        {"status": status.value, "deleted": False, "marked_at": work.now})
        if _marks_held(status, meeting[2]):
            work.update("meeting", meeting[0], {"status": meeting[2]}, {"status": MeetingStatus.HELD.value})
    return Saved(RegisterEntry(family[1], family[2], status, family[3] or ""), work.changes)


def mark_many(context: AppContext, reference: str, family_references: list[str],
              status: AttendanceStatus | str | None) -> Saved[list[RegisterEntry]]:
    """Set several families' lines at once, as one action (undone together).

    Raises NotFoundError, ValidationError before anything is written; commits.
    """
    require(context, Permission.REGISTER)
    if status is not None:
        try:
            status = AttendanceStatus(status)
        except ValueError:
            raise ValidationError(_("'%(status)s' is not present, apologies or absent.")
                                  % {"status": status}) from None
    references = list(dict.fromkeys(r.strip().upper() for r in family_references))
    text = ngettext("Register %(count)d family at %(meeting)s", "Register %(count)d families at %(meeting)s",
                    len(references)) % {"count": len(references), "meeting": reference}
    with context.db.transaction(text) as uow:
        meeting = find_meeting_row(uow.session, reference)
        _check_markable(meeting)
        families = [find_family_row(uow.session, family_reference) for family_reference in references]
        for family in families:
            _set_status(uow.session, meeting, family, status, uow.now)
        return Saved([RegisterEntry(f.reference, f.name, status, f.phone) for f in families], uow.changes)


def door_matches(context: AppContext, text: str, limit: int = DOOR_MATCH_LIMIT) -> list[RegisterEntry]:
    """Families a few typed letters (or a scanned reference) could mean, best first.

    The same search as everywhere (services.families_search.find_families): "kaminski",
    "lukasz" and "soerensen" find Kamiński, Łukasz and Sørensen.
    """
    require(context, Permission.REGISTER)
    text = text.strip()
    if not text:
        return []
    if _REFERENCE.fullmatch(text):
        with context.db.plain() as connection:
            exact = connection.execute("SELECT reference, name, phone FROM family WHERE reference = ? "
                                       "AND deleted = 0 LIMIT 1", (normalise_family_reference(text),)).fetchone()
        if exact is not None:
            return [RegisterEntry(exact[0], exact[1], None, exact[2] or "")]
    rows = find_families(context, text, limit=200)
    typed = fold(text)
    # Names starting with the letters, then a surname starting with them, then the rest.
    rows = sorted(rows, key=lambda f: (not fold(f.name).startswith(typed),
                                       not any(p.startswith(typed) for p in fold(f.name).split()),
                                       f.name))
    return [RegisterEntry(f.reference, f.name, None, f.phone) for f in rows[:limit]]


def normalise_family_reference(text: str) -> str:
    """'f42', 'F042' or 'F0042' -> 'F0042'; anything else unchanged (stripped)."""
    match = _REFERENCE.fullmatch(text.strip())
    return f"F{int(match[1]):04d}" if match else text.strip()


def check_in(context: AppContext, reference: str, text: str) -> Saved[RegisterEntry]:
    """Tick one family present from a scanned reference or typed letters.

    Raises NotFoundError (nobody matches), ValidationError (several match: type
    more, or a cancelled meeting); commits.
    """
    require(context, Permission.REGISTER)
    if _REFERENCE.fullmatch(text.strip()):  # a scanned card: straight to the tick, one lookup
        try:
            return _mark(context, reference, normalise_family_reference(text), AttendanceStatus.PRESENT,
                         scanned=True)
        except _NoSuchFamily:
            pass  # no family has it: search the text, as typed letters are
    matches = door_matches(context, text, limit=2)
    if not matches:
        raise NotFoundError(_("No family matches '%(text)s'.") % {"text": text.strip()})
    if len(matches) > 1:
        raise ValidationError(_("Several families match '%(text)s'. Type more letters or choose one "
                                "from the list.") % {"text": text.strip()})
    return mark_attendance(context, reference, matches[0].family_reference, AttendanceStatus.PRESENT)


def add_newcomer(context: AppContext, reference: str, name: str, phone: str = "", postcode: str = "",
                 consent_contact: bool = False) -> Saved[RegisterEntry]:
    """Add a family met at the door with a minimal form and tick it present.

    Raises ValidationError or NotFoundError; both writes happen together. Commits.
    """
    require(context, Permission.REGISTER)
    if not name.strip():
        raise ValidationError(_("A family needs a name."), field="name")
    with context.db.transaction(_("Add newcomer %(name)s at %(meeting)s")
                                % {"name": name.strip(), "meeting": reference}) as uow:
        meeting = find_meeting_row(uow.session, reference)
        _check_markable(meeting)
        family = add_family(uow.session, FamilyDraft(
            name=name, phone=phone, postcode=postcode, consent_contact=consent_contact,
            consent_date=uow.now.date() if consent_contact else None,
            notes=_("First came to meeting %(meeting)s.") % {"meeting": meeting.reference}))
        _set_status(uow.session, meeting, family, AttendanceStatus.PRESENT, uow.now)
        return Saved(RegisterEntry(family.reference, family.name, AttendanceStatus.PRESENT, family.phone), uow.changes)


def family_attendance_history(context: AppContext, family_reference: str) -> list[AttendanceHistoryItem]:
    """Every held or planned meeting up to now with this family's mark, latest first."""
    require(context, Permission.FAMILY_DETAILS)
    now = context.clock.now()
    with context.db.read() as session:
        family = find_family_row(session, family_reference)
        marks = dict(session.exec(select(Attendance.meeting_id, Attendance.status).where(
            Attendance.family_id == family.id, live(Attendance))).all())
        meetings = session.exec(select(Meeting).where(
            live(Meeting), or_(Meeting.starts_at <= now, col(Meeting.id).in_(list(marks))))
            .order_by(col(Meeting.starts_at).desc())).all()
        return [AttendanceHistoryItem(meeting_reference=m.reference, starts_at=m.starts_at, topic=m.topic,
                                      meeting_status=MeetingStatus(m.status),
                                      status=AttendanceStatus(marks[m.id]) if m.id in marks else None)
                for m in meetings]


def summarise_history(items: list[AttendanceHistoryItem]) -> str:
    held = [item for item in items if item.meeting_status is MeetingStatus.HELD]
    came = sum(1 for item in held if item.status is AttendanceStatus.PRESENT)
    return ngettext("Came to %(came)d of %(count)d meeting held.",
                    "Came to %(came)d of %(count)d meetings held.", len(held)) % {"came": came,
                                                                                  "count": len(held)}
