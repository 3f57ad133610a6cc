"""Plain-SQL writes (pack scans) are logged exactly as the unit of work logs ORM writes:
undo, history and sync cannot tell the difference."""

from __future__ import annotations

import json

from sqlmodel import select

from peer_support.domain.changes import Kind
from peer_support.domain.meeting_status import AttendanceStatus, MeetingStatus
from peer_support.domain.packs import Outcome, format_code
from peer_support.services import deliveries, families, meetings, packs, register
from peer_support.services.history import undo_action
from peer_support.storage.tables.core import Action, ChangeLog, DeviceState
from peer_support.storage.tables.packs import Pack, PackEvent
from peer_support.storage.types import to_json_value


def test_a_scan_is_logged_like_any_action_and_undoes(sample_context):
    context = sample_context
    pack = packs.list_packs(context, "B01", outstanding_only=True)[0]
    with context.db.read() as session:
        state = session.get(DeviceState, context.local.device_id)
        before = state.last_seq if state else 0
    saved = deliveries.record_scan(context, format_code(pack.code), note="left with neighbour",
                                   volunteer_id=deliveries.volunteer_id_for(context, "V001"))
    receipt, changes = saved.record, saved.changes
    assert receipt.pack.status == "delivered" and receipt.event.note == "left with neighbour"
    assert changes.kinds == {Kind.PACK} and changes.rows == 1
    with context.db.read() as session:
        action = session.get(Action, changes.action_id)
        rows = session.exec(select(ChangeLog).where(ChangeLog.action_id == changes.action_id)
                            .order_by(ChangeLog.seq)).all()
        state = session.get(DeviceState, context.local.device_id)
        event = session.get(PackEvent, receipt.event.id)
        stored = session.get(Pack, pack.id)
    assert action.description.startswith("Pack ") and action.device_id == context.local.device_id
    # The event is logged; the pack's status is derived from it (no change-log row of its own).
    assert [(r.entity, r.op) for r in rows] == [("pack_event", "insert")]
    assert rows[0].seq == before + 1 == state.last_seq and rows[0].hlc.endswith(context.local.device_id)
    inserted = json.loads(rows[0].changes)
    assert set(inserted) == set(PackEvent.__table__.columns.keys())
    assert inserted["at"] == [None, to_json_value(event.at)] and inserted["deleted"] == [None, False]
    assert (stored.status, stored.volunteer_id, stored.note) == ("delivered", event.volunteer_id, event.note)
    assert event.at == stored.status_at == context.clock.now()

    undo_action(context, changes.action_id)
    assert packs.list_packs(context, "B01", outstanding_only=True)[0].id == pack.id


def test_a_scan_refused_for_another_batch_writes_nothing(sample_context):
    import pytest

    from peer_support.domain.packs import WrongBatchError

    context = sample_context
    pack = packs.list_packs(context, "B01", outstanding_only=True)[0]
    with context.db.read() as session:
        count = len(session.exec(select(ChangeLog)).all())
    with pytest.raises(WrongBatchError):
        deliveries.record_scan(context, pack.code, batch_id="another-batch",
                               volunteer_id=deliveries.volunteer_id_for(context, "V001"))
    with context.db.read() as session:
        assert len(session.exec(select(ChangeLog)).all()) == count


def test_a_scan_whose_change_log_row_cannot_be_written_leaves_nothing(sample_context):
    """The scan and its change-log rows are one transaction: no event or status without its log."""
    import sqlite3

    import pytest

    context = sample_context
    pack = packs.list_packs(context, "B01", outstanding_only=True)[0]
    volunteer = deliveries.volunteer_id_for(context, "V001")
    with context.db.read() as session:
        counts = (len(session.exec(select(ChangeLog)).all()), len(session.exec(select(Action)).all()),
                  len(session.exec(select(PackEvent)).all()))
        state = session.get(DeviceState, context.local.device_id)
        seq = state.last_seq if state else None  # a copied folder is a new laptop: no state yet
    with context.db.plain() as connection:  # fault injection on the scan's own connection, not data
        connection.execute("CREATE TEMP TRIGGER refuse_log BEFORE INSERT ON change_log "
                           "BEGIN SELECT RAISE(ABORT, 'log unwritable'); END")
    with pytest.raises(sqlite3.Error):
        deliveries.record_scan(context, format_code(pack.code), volunteer_id=volunteer)
    with context.db.read() as session:
        assert (len(session.exec(select(ChangeLog)).all()), len(session.exec(select(Action)).all()),
                len(session.exec(select(PackEvent)).all())) == counts
        state = session.get(DeviceState, context.local.device_id)
        assert (state.last_seq if state else None) == seq
        assert session.get(Pack, pack.id).status == pack.status
    with context.db.plain() as connection:
        connection.execute("DROP TRIGGER temp.refuse_log")
    saved = deliveries.record_scan(context, format_code(pack.code), volunteer_id=volunteer)
    assert saved.record.pack.status == "delivered" and saved.changes.rows == 1


def test_a_scan_receipt_shows_what_the_packs_list_reads_back(sample_context):
    """The receipt is built from the scan's one lookup and what it wrote, not read back: it must
    still say exactly what the packs list says afterwards (delivered, not at home, duplicate,
    another batch)."""
    import pytest

    from peer_support.domain.packs import AlreadyDeliveredError, BatchDraft, WrongBatchError

    context = sample_context
    volunteer = deliveries.volunteer_id_for(context, "V001")
    first, second = packs.list_packs(context, "B01", outstanding_only=True)[:2]

    def listed(pack_id):
        return next(p for p in packs.list_packs(context, "B01") if p.id == pack_id)

    delivered = deliveries.record_scan(context, first.code, batch_id=first.batch_id, volunteer_id=volunteer,
                                       note="  porch  ").record
    assert delivered.pack == listed(first.id) and delivered.pack.note == "porch"
    latest = deliveries.recent_events(context, first.batch_id, 1)[0]
    assert delivered.event == latest and delivered.event.volunteer == delivered.pack.volunteer != ""
    away = deliveries.record_scan(context, second.code, volunteer_id=volunteer, outcome=Outcome.NOT_HOME).record
    assert away.pack == listed(second.id) and away.pack.status == "not_home"
    with pytest.raises(AlreadyDeliveredError) as again:
        deliveries.record_scan(context, first.code, volunteer_id=deliveries.volunteer_id_for(context, "V002"))
    assert again.value.pack == listed(first.id) and "ALREADY DELIVERED" in str(again.value)
    other = packs.create_batch(context, BatchDraft(name="Winter")).record
    with pytest.raises(WrongBatchError, match="another batch \\(Summer activity pack\\)") as wrong:
        deliveries.record_scan(context, second.code, batch_id=other.id, volunteer_id=volunteer)
    assert wrong.value.pack == listed(second.id)


def test_plain_stamps_follow_the_clock_rules_when_the_wall_clock_goes_back(sample_context):
    """Sequence numbers and clock stamps are taken in one statement (PlainWork.finish); they must
    follow HybridClock.tick: a later wall time restarts the counter, an earlier one (a laptop clock
    put back) keeps the stored time and counts on, so stamps only ever grow."""
    from peer_support.storage.hlc import parse_stamp

    context = sample_context
    volunteer = deliveries.volunteer_id_for(context, "V001")
    codes = [p.code for p in packs.list_packs(context, "B01", outstanding_only=True)[:3]]

    def stamps(saved):
        with context.db.read() as session:
            return [(r.seq, parse_stamp(r.hlc)) for r in session.exec(
                select(ChangeLog).where(ChangeLog.action_id == saved.changes.action_id).order_by(ChangeLog.seq))]

    first = stamps(deliveries.record_scan(context, codes[0], volunteer_id=volunteer))
    millis = first[0][1][0]
    assert millis == int(context.clock.now().timestamp() * 1000) and [s[1][1] for s in first] == [0]
    context.clock.advance(minutes=-5)
    back = stamps(deliveries.record_scan(context, codes[1], volunteer_id=volunteer))
    back += stamps(deliveries.record_scan(context, codes[2], volunteer_id=volunteer, outcome=Outcome.NOT_HOME))
    assert [s[1][:2] for s in back] == [(millis, 1), (millis, 2)]
    assert [s[0] for s in back] == [first[-1][0] + 1, first[-1][0] + 2]
    context.clock.advance(minutes=10)
    later = stamps(deliveries.record_scan(context, codes[2], volunteer_id=volunteer))
    assert [s[1][:2] for s in later] == [(int(context.clock.now().timestamp() * 1000), 0)]
    with context.db.read() as session:
        state = session.get(DeviceState, context.local.device_id)
    assert (state.last_seq, state.hlc_millis, state.hlc_counter) == (later[-1][0], later[-1][1][0], 0)
    # Several rows in one action (a register line that also marks the meeting held) count on within it.
    meeting = next(m for m in meetings.list_meetings(context) if m.status == MeetingStatus.PLANNED)
    family = families.search_families(context)[0].reference
    marked = register.mark_attendance(context, meeting.reference, family, AttendanceStatus.PRESENT)
    rows = stamps(marked)
    assert len(rows) == 2 and [s[1][:2] for s in rows] == [(later[0][1][0], 1), (later[0][1][0], 2)]
    assert [s[0] for s in rows] == [later[-1][0] + 1, later[-1][0] + 2]


def test_undoing_scans_computes_the_pack_status_from_the_events_left(sample_context):
    """A scan logs only its event; undo (and redo) must still give the pack the status its live
    events say (services/sync/derived.py's rule), whichever scan is taken back."""
    from peer_support.services.history import undo_action

    context = sample_context
    anna, ben = (deliveries.volunteer_id_for(context, name) for name in ("V001", "V002"))
    pack = next(p for p in packs.list_packs(context, "B01") if p.status == "outstanding")

    def shown():
        found = next(p for p in packs.list_packs(context, "B01") if p.id == pack.id)
        return found.status, found.volunteer, found.note

    away = deliveries.record_scan(context, pack.code, volunteer_id=anna, outcome=Outcome.NOT_HOME, note="card left")
    context.clock.advance(hours=2)
    delivered = deliveries.record_scan(context, pack.code, volunteer_id=ben)
    ben_name = delivered.record.event.volunteer
    assert shown() == ("delivered", ben_name, "")
    undo = deliveries.undo_scan(context, delivered.changes.action_id)
    assert shown() == ("not_home", away.record.event.volunteer, "card left")
    undo_action(context, undo.changes.action_id)  # redo
    assert shown() == ("delivered", ben_name, "")
    deliveries.undo_scan(context, away.changes.action_id)  # the earlier visit: the delivery stands
    assert shown() == ("delivered", ben_name, "")
    deliveries.undo_scan(context, delivered.changes.action_id)
    assert shown() == ("outstanding", "", "")
    with context.db.read() as session:
        stored = session.get(Pack, pack.id)
        assert stored.status_at is None and stored.volunteer_id is None


def test_plain_writes_leave_unlogged_only_what_sync_computes_again(sample_context):
    """set_derived writes without a change-log row: only columns sync recomputes after every merge
    (services/sync/derived.py), else another laptop would never get the value."""
    import pytest

    from peer_support.services.sync.derived import DERIVED_FIELDS
    from peer_support.storage.plain_work import DERIVED_COLUMNS, plain_transaction

    assert all(columns <= DERIVED_FIELDS[table] for table, columns in DERIVED_COLUMNS.items())
    pack = packs.list_packs(sample_context, "B01")[0]
    with pytest.raises(ValueError, match="not derived"):
        with plain_transaction(sample_context.db, "test") as work:
            work.set_derived("pack", pack.id, {"status": "delivered", "run_position": 1})


def test_a_plain_write_the_disk_refuses_is_a_clear_error_and_leaves_nothing(sample_context):
    """sqlite3's OperationalError (disk full, busy, damaged) inside a plain transaction comes out as
    the translated StorageError, after the rollback, like every other write."""
    import pytest

    from peer_support.errors import StorageError
    from peer_support.storage.plain_work import plain_transaction

    context = sample_context
    pack = packs.list_packs(context, "B01", outstanding_only=True)[0]
    volunteer = deliveries.volunteer_id_for(context, "V001")
    with context.db.read() as session:
        before = len(session.exec(select(PackEvent)).all())
    with context.db.plain() as connection:  # fault injection: the event's insert fails inside SQLite
        connection.execute("CREATE TEMP TRIGGER fail_event BEFORE INSERT ON pack_event "
                           "BEGIN SELECT * FROM no_such_table; END")
    with pytest.raises(StorageError, match="no such table"):
        deliveries.record_scan(context, pack.code, volunteer_id=volunteer)
    with context.db.plain() as connection:
        assert not connection.in_transaction
        connection.execute("DROP TRIGGER temp.fail_event")
    with pytest.raises(ValueError), plain_transaction(context.db, "test"):
        raise ValueError("not a storage error")  # other errors go on as they are
    with context.db.read() as session:
        assert len(session.exec(select(PackEvent)).all()) == before
        assert session.get(Pack, pack.id).status == pack.status
    assert deliveries.record_scan(context, pack.code, volunteer_id=volunteer).record.pack.status == "delivered"


def test_a_tick_at_the_door_reads_meeting_family_and_mark_in_one_lookup_and_says_what_is_missing(sample_context):
    """mark_attendance reads the meeting, the family and the current mark in one statement; when
    that finds nothing, the error still names what is missing, in the same order as before."""
    import pytest
    from datetime import date

    from peer_support.domain.meetings import MeetingDraft
    from peer_support.errors import NotFoundError, ValidationError

    context = sample_context
    meeting = meetings.create_meeting(context, MeetingDraft(on=date(2030, 1, 8))).record.reference
    family = families.search_families(context)[0].reference
    with pytest.raises(NotFoundError, match="No meeting has the reference M9999"):
        register.mark_attendance(context, "M9999", family, AttendanceStatus.PRESENT)
    with pytest.raises(NotFoundError, match="No family has the reference F9999"):
        register.mark_attendance(context, meeting, "F9999", AttendanceStatus.PRESENT)
    first = register.mark_attendance(context, f" {meeting.lower()} ", family.lower(), AttendanceStatus.APOLOGIES)
    assert first.record.family_reference == family and first.changes.rows == 1
    again = register.mark_attendance(context, meeting, family, AttendanceStatus.PRESENT)
    assert again.changes.rows == 2  # the line changed (not a second line) and the meeting is now held
    assert register.register_marks(context, meeting) == {family: AttendanceStatus.PRESENT}
    register.mark_attendance(context, meeting, family, None)
    assert register.register_marks(context, meeting) == {}
    meetings.set_meeting_status(context, meeting, MeetingStatus.CANCELLED, "Snow")
    for who in (family, "F9999"):  # cancelled comes first, whether or not the family exists
        with pytest.raises(ValidationError, match="was cancelled"):
            register.mark_attendance(context, meeting, who, AttendanceStatus.PRESENT)
