"""Delivery logging: one scan (or typed code) = one small committed action.

Kept lean because volunteers scan for hours: a scan is a lookup on the
unique code index, one event row, one pack update and one commit. A commit
returns only once SQLite has synced it (WAL, synchronous=FULL), so a scan the
screen confirms survives a crash or a pulled plug.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlmodel import select

from peer_support.context import AppContext
from peer_support.domain.changes import Saved
from peer_support.domain.packs import (AlreadyDeliveredError, EventRecord, Outcome, PackRecord,
                                       ScanReceipt, WrongBatchError, check_volunteer, format_code,
                                       status_label, validate_code)
from peer_support.errors import ConflictError, NotFoundError, ValidationError
from peer_support.i18n import _
from peer_support.i18n.formatting import format_datetime, format_time
from peer_support.services.families import find_volunteer_row
from peer_support.services.history import undo_action
from peer_support.storage.plain_work import plain_transaction
from peer_support.storage.tables.core import ChangeLog
from peer_support.storage.tables.packs import PackEvent
from peer_support.domain.roles import Permission
from peer_support.services.access import require

RECENT_LIMIT = 20
MAX_NOTE = 500


def volunteer_id_for(context: AppContext, name_or_reference: str) -> str:
    """The id of a volunteer by name or reference. Raises NotFoundError."""
    with context.db.read() as session:
        return find_volunteer_row(session, name_or_reference).id


# Everything a scan needs in one statement: the pack, what its receipt shows, its batch's name
# (for "another batch") and the name of the volunteer scanning (the receipt after a delivery).
_SCAN_LOOKUP = ("SELECT p.id, p.batch_id, p.status, p.status_at, p.volunteer_id, p.note, p.code, b.reference, "
                "f.reference, f.name, f.address, f.postcode, coalesce(a.name, ''), r.number, p.run_position, "
                "coalesce(v.name, ''), b.name, (SELECT name FROM volunteer WHERE id = ?) "
                "FROM pack AS p JOIN family AS f ON f.id = p.family_id JOIN pack_batch AS b ON b.id = p.batch_id "
                "LEFT JOIN area AS a ON a.id = f.area_id LEFT JOIN pack_run AS r ON r.id = p.run_id "
                "LEFT JOIN volunteer AS v ON v.id = p.volunteer_id WHERE p.code = ? AND p.deleted = 0")


def _pack_record(row, status: str, status_at, volunteer: str, note: str) -> PackRecord:
    """What pack_records gives for this pack, from a _SCAN_LOOKUP row and the status it has now."""
    return PackRecord(id=row[0], code=row[6], batch_id=row[1], batch_reference=row[7], family_reference=row[8],
                      family_name=row[9], address=row[10], postcode=row[11], area=row[12], run_number=row[13],
                      run_position=row[14], status=status, status_at=status_at, volunteer=volunteer, note=note)


def _instant(text):
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc) if text else None


_DELIVERED = Outcome.DELIVERED.value


def record_scan(context: AppContext, code_text: str, *, batch_id: str | None = None,
                volunteer_id: str | None, outcome: Outcome = Outcome.DELIVERED,
                note: str = "") -> Saved[ScanReceipt]:
    """Record what happened to the pack with this code, now, by this volunteer.

    ``batch_id``: the batch being delivered; a code of another batch is refused.
    Changes the pack's status and adds an event; commits (synced to disk
    before returning). Raises ValidationError (no volunteer: domain ``check_volunteer``; typo,
    bad check character),
    NotFoundError (no such pack), WrongBatchError, AlreadyDeliveredError (the
    pack was delivered before: nothing counts twice, but the duplicate scan is
    committed as a ``duplicate`` event so organisers can see it).

    Written in plain SQL through storage/plain_work.py (same transaction, change-log
    rows as the unit of work writes them): one query reads all the scan needs, then
    the event, the pack's new status, the action and the event's change-log row are
    written and committed. The pack's status is derived from its events, so it has no
    change-log row of its own: sync and undo compute it again from the events. The
    receipt is built from what was read and written, not read back.
    """
    require(context, Permission.DELIVERIES)
    volunteer_id = check_volunteer(volunteer_id)
    code = validate_code(code_text)
    if outcome == Outcome.DUPLICATE:
        raise ValidationError(_("Choose what happened: delivered, not at home, refused or returned."))
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise ValidationError(_("A note can have at most %(max)d characters.") % {"max": MAX_NOTE})
    duplicate: AlreadyDeliveredError | None = None
    value = outcome.value
    with plain_transaction(context.db, _("Pack %(code)s: %(outcome)s")
                           % {"code": format_code(code), "outcome": status_label(value)}) as work:
        row = work.connection.execute(_SCAN_LOOKUP, (volunteer_id, code)).fetchone()
        if row is None:
            raise NotFoundError(_("Unknown code %(code)s: no pack has this code. Put the pack aside "
                                  "and tell the organiser.") % {"code": format_code(code)})
        pack_id, pack_batch, status, status_text, _old_volunteer, old_note = row[:6]
        if batch_id is not None and pack_batch != batch_id:
            raise WrongBatchError(_("Pack %(code)s belongs to another batch (%(batch)s), not to this one. "
                                    "Nothing was recorded.") % {"code": format_code(code), "batch": row[16]},
                                  _pack_record(row, status, _instant(status_text), row[15], old_note or ""))
        now = work.now
        if status == _DELIVERED:
            status_at = _instant(status_text)
            record = _pack_record(row, status, status_at, row[15], old_note or "")
            when = format_time(status_at) if status_at and status_at.date() == now.date() \
                else format_datetime(status_at, "short") if status_at else "?"
            if value != _DELIVERED:
                raise AlreadyDeliveredError(
                    _("Pack %(code)s for %(family)s was already delivered (%(when)s). Undo that "
                      "delivery first if it was wrong.")
                    % {"code": format_code(code), "family": record.family_name, "when": when}, record)
            values = {"code": format_code(code), "family": record.family_name, "when": when,
                      "volunteer": record.volunteer}
            message = (_("ALREADY DELIVERED: pack %(code)s for %(family)s was delivered at %(when)s by "
                         "%(volunteer)s. Not counted again.") if record.volunteer else
                       _("ALREADY DELIVERED: pack %(code)s for %(family)s was delivered at %(when)s. "
                         "Not counted again."))
            duplicate = AlreadyDeliveredError(message % values, record)
            work.insert("pack_event", {"pack_id": pack_id, "batch_id": pack_batch,
                                       "outcome": Outcome.DUPLICATE.value, "at": now,
                                       "volunteer_id": volunteer_id, "note": note})
        else:
            event_id = work.insert("pack_event", {"pack_id": pack_id, "batch_id": pack_batch,
                                                  "outcome": value, "at": now,
                                                  "volunteer_id": volunteer_id, "note": note})
            # The pack's status is derived from its events (the rule in services/sync/derived.py: a
            # first delivery wins, else the latest other outcome): kept in step here, logged by the event.
            work.set_derived("pack", pack_id, {"status": value, "status_at": now,
                                               "volunteer_id": volunteer_id, "note": note})
            scanner = row[17] or ""
            record = _pack_record(row, value, now, scanner, note)
            event = EventRecord(id=event_id, code=record.code, family_name=record.family_name, area=record.area,
                                outcome=value, at=now, volunteer=scanner, note=note, undone=False,
                                run_number=record.run_number)
    if duplicate is not None:
        raise duplicate  # after the commit: the duplicate scan stays logged
    return Saved(ScanReceipt(event=event, pack=record), work.changes)


def undo_scan(context: AppContext, action_id: str) -> Saved[str]:
    """Take back a recorded scan (the pack gets its earlier status back) as a new
    logged action. Raises NotFoundError, ConflictError (the pack changed since); commits."""
    require(context, Permission.DELIVERIES)
    with context.db.read() as session:
        event_id = session.exec(select(ChangeLog.entity_id).where(
            ChangeLog.action_id == action_id, ChangeLog.entity == PackEvent.__tablename__,
            ChangeLog.op == "insert")).first()
        event = session.get(PackEvent, event_id) if event_id else None
        if event is None:
            raise NotFoundError(_("There is no such scan to undo."))
        if event.deleted:
            raise ConflictError(_("This scan was already undone."))
    return undo_action(context, action_id)


_RECENT = ("SELECT e.id, p.code, f.name, coalesce(a.name, ''), e.outcome, e.at, coalesce(v.name, ''), e.note, "
           "e.deleted, r.number FROM pack_event AS e JOIN pack AS p ON p.id = e.pack_id "
           "JOIN family AS f ON f.id = p.family_id LEFT JOIN area AS a ON a.id = f.area_id "
           "LEFT JOIN volunteer AS v ON v.id = e.volunteer_id LEFT JOIN pack_run AS r ON r.id = p.run_id "
           "WHERE e.batch_id = ? ORDER BY e.at DESC, e.rowid DESC LIMIT ?")


def recent_events(context: AppContext, batch_id: str, limit: int = RECENT_LIMIT) -> list[EventRecord]:
    """The latest ``limit`` events of a batch, newest first, undone ones included (marked).

    Plain SQL: scan mode reads it after every scan (through the ORM it cost ten times as much).
    """
    require(context, Permission.DELIVERIES)
    with context.db.plain() as connection:
        rows = connection.execute(_RECENT, (batch_id, limit)).fetchall()
    return [EventRecord(id=event_id, code=code, family_name=family, area=area, outcome=outcome, at=_instant(at),
                        volunteer=volunteer, note=note, undone=bool(deleted), run_number=run_number)
            for event_id, code, family, area, outcome, at, volunteer, note, deleted, run_number in rows]
