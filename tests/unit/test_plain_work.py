"""Plain-SQL writes (pack scans) are logged exactly as the unit of work logs ORM writes:
undo, history and sync cannot tell the difference."""

from __future__ import annotations

import json

from sqlmodel import select

from peer_support.domain.changes import Kind
from peer_support.domain.packs import format_code
from peer_support.services import deliveries, packs
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
    assert changes.kinds == {Kind.PACK} and changes.rows == 2
    with context.db.read() as session:
        action = session.get(Action, changes.action_id)
        rows = session.exec(select(ChangeLog).where(ChangeLog.action_id == changes.action_id)
                            .order_by(ChangeLog.seq)).all()
        state = session.get(DeviceState, context.local.device_id)
        event = session.get(PackEvent, receipt.event.id)
        stored = session.get(Pack, pack.id)
    assert action.description.startswith("Pack ") and action.device_id == context.local.device_id
    assert [(r.entity, r.op) for r in rows] == [("pack_event", "insert"), ("pack", "update")]
    assert [r.seq for r in rows] == [before + 1, before + 2] and state.last_seq == before + 2
    assert rows[0].hlc < rows[1].hlc and rows[1].hlc.endswith(context.local.device_id)
    inserted = json.loads(rows[0].changes)
    assert set(inserted) == set(PackEvent.__table__.columns.keys())
    assert inserted["at"] == [None, to_json_value(event.at)] and inserted["deleted"] == [None, False]
    updated = json.loads(rows[1].changes)
    assert updated["status"] == [pack.status, "delivered"]
    assert updated["status_at"][1] == to_json_value(stored.status_at)
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
    assert saved.record.pack.status == "delivered" and saved.changes.rows == 2
