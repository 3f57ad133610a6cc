"""One pack at a time: move it to another delivery run, see its whole story.

A pack moved to another run goes to the end of that run's round; the move is
one logged, undoable action like any other.
"""

from __future__ import annotations

from sqlmodel import Session, col, func, select

from peer_support.context import AppContext
from peer_support.domain.changes import Saved
from peer_support.domain.packs import EventRecord, PackRecord, format_code, validate_code
from peer_support.errors import NotFoundError, ValidationError
from peer_support.i18n import _
from peer_support.services.packs import find_run_row, pack_records
from peer_support.storage.conditions import live
from peer_support.storage.tables.families import Volunteer
from peer_support.storage.tables.packs import Pack, PackEvent
from peer_support.domain.roles import Permission
from peer_support.services.access import require


def _pack_row(session: Session, code_text: str) -> Pack:
    code = validate_code(code_text)
    pack = session.exec(select(Pack).where(Pack.code == code, live(Pack))).first()
    if pack is None:
        raise NotFoundError(_("No pack has the code %(code)s.") % {"code": format_code(code)})
    return pack


def get_pack(context: AppContext, code_text: str) -> PackRecord:
    """The pack with this code: family, run, status, when and by whom. Raises ValidationError, NotFoundError."""
    require(context, Permission.DELIVERIES)
    with context.db.read() as session:
        return pack_records(session, Pack.id == _pack_row(session, code_text).id)[0]


def pack_events(context: AppContext, code_text: str) -> list[EventRecord]:
    """Every delivery attempt and duplicate scan of one pack, oldest first (undone ones marked)."""
    require(context, Permission.DELIVERIES)
    with context.db.read() as session:
        pack = _pack_row(session, code_text)
        record = pack_records(session, Pack.id == pack.id)[0]
        names = dict(session.exec(select(Volunteer.id, Volunteer.name)).all())
        events = session.exec(select(PackEvent).where(PackEvent.pack_id == pack.id)
                              .order_by(col(PackEvent.at), col(PackEvent.created_at))).all()
        return [EventRecord(id=event.id, code=record.code, family_name=record.family_name, area=record.area,
                            outcome=event.outcome, at=event.at, volunteer=names.get(event.volunteer_id or "", ""),
                            note=event.note, undone=event.deleted, run_number=record.run_number)
                for event in events]


def move_pack(context: AppContext, code_text: str, run_number: int) -> Saved[PackRecord]:
    """Put a pack on run ``run_number`` of its batch, at the end of that round.

    Raises ValidationError (bad code, or already on that run), NotFoundError (no
    such pack or run); commits.
    """
    require(context, Permission.PACKS)
    code = validate_code(code_text)
    with context.db.transaction(_("Move pack %(code)s to run %(run)d")
                                % {"code": format_code(code), "run": run_number}) as uow:
        session = uow.session
        pack = _pack_row(session, code)
        run = find_run_row(session, pack.batch_id, run_number)
        if pack.run_id == run.id:
            raise ValidationError(_("Pack %(code)s is already on run %(run)d.")
                                  % {"code": format_code(code), "run": run_number})
        last = session.exec(select(func.max(Pack.run_position)).where(
            Pack.run_id == run.id, live(Pack))).one()
        pack.run_id, pack.run_position = run.id, (last or 0) + 1
        session.add(pack)
        session.flush()
        record = pack_records(session, Pack.id == pack.id)[0]
    return Saved(record, uow.changes)

