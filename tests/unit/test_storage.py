"""The unit of work: one transaction per action, every change logged.

The storage layer is the subject here, so some tests write rows through a unit of
work directly (each says why); everywhere else set-ups call the services.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

import pytest
from sqlmodel import select

from peer_support.domain.families import FamilyDraft
from peer_support.errors import ValidationError
from peer_support.services.families import create_family
from peer_support.storage.hlc import HybridClock, format_stamp
from peer_support.storage.tables.core import ChangeLog
from peer_support.storage.tables.families import Family


def _log(context) -> list[ChangeLog]:
    with context.db.read() as session:
        return list(session.exec(select(ChangeLog).order_by(ChangeLog.seq)))


def test_every_change_is_logged_with_old_and_new_values(context, clock):
    create_family(context, FamilyDraft(name="Ann Smith", postcode="ct9 1ab"))
    clock.advance(seconds=5)
    with context.db.transaction("rename") as uow:  # raw: exactly one field changed, to see what is logged
        family = uow.session.exec(select(Family)).one()
        family.name = "Anne Smith"
    log = _log(context)
    inserts = [c for c in log if c.entity == "family" and c.op == "insert"]
    updates = [c for c in log if c.entity == "family" and c.op == "update"]
    assert len(inserts) == 1 and json.loads(inserts[0].changes)["postcode"] == [None, "CT9 1AB"]
    assert json.loads(updates[0].changes) == {"name": ["Ann Smith", "Anne Smith"]}
    assert [c.seq for c in log] == list(range(1, len(log) + 1))
    assert [c.hlc for c in log] == sorted(c.hlc for c in log)
    assert all(c.device_id == context.local.device_id and c.schema_rev == context.db.schema_rev for c in log)
    assert len({c.action_id for c in log}) == 2


def test_a_failed_action_leaves_nothing_behind(context):
    with pytest.raises(RuntimeError):
        with context.db.transaction("half") as uow:  # raw: a write the unit of work must roll back
            uow.session.add(Family(reference="F0001", name="Ghost"))
            uow.session.flush()
            raise RuntimeError("boom")
    assert _log(context) == []
    with context.db.read() as session:
        assert session.exec(select(Family)).all() == []


def test_validation_error_changes_nothing(context):
    with pytest.raises(ValidationError):
        create_family(context, FamilyDraft(name="   "))
    assert _log(context) == []


def test_tracked_rows_cannot_be_written_outside_a_transaction(context):
    with context.db.read() as session:  # raw: the write no service makes, which storage must refuse
        session.add(Family(reference="F0009", name="Sneaky"))
        with pytest.raises(RuntimeError):
            session.flush()


def test_naive_datetimes_are_refused(context):
    with pytest.raises(Exception):
        with context.db.transaction("naive") as uow:  # raw: a value no service makes, refused by the column
            uow.session.add(Family(reference="F0002", name="X", created_at=datetime(2026, 1, 1)))


def test_sqlite_is_in_wal_mode_with_foreign_keys(context):
    with context.db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    raw = sqlite3.connect(context.database_path)
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_sequence_and_clock_survive_a_restart(context, data_dir, clock):
    from peer_support.context import open_context

    create_family(context, FamilyDraft(name="One"))
    context.close()
    reopened = open_context(data_dir, clock)  # same wall time: HLC must still move on
    create_family(reopened, FamilyDraft(name="Two"))
    log = _log(reopened)
    reopened.close()
    assert [c.seq for c in log] == list(range(1, len(log) + 1))
    assert len({c.hlc for c in log}) == len(log)


def test_hybrid_clock_never_goes_back_and_passes_remote_stamps():
    clock = HybridClock()
    assert clock.tick(1000) == (1000, 0)
    assert clock.tick(900) == (1000, 1)  # wall clock went backwards
    clock.observe(format_stamp(5000, 7, "other"), wall_millis=1000)
    assert clock.tick(1000) > (5000, 7)


def test_storage_errors_are_one_line_without_sql(context):
    from sqlalchemy import text

    from peer_support.errors import StorageError

    with pytest.raises(StorageError) as raised:
        with context.db.transaction("bad") as uow:  # raw: broken SQL, to see how storage reports it
            uow.session.execute(text("SELECT no_such_column FROM family"))
    message = raised.value.message
    assert "no such column" in message
    assert "\n" not in message and "SELECT" not in message and "sqlalche.me" not in message


def test_a_table_taken_out_of_the_metadata_is_no_longer_a_table(context):
    """A class whose table was taken out of the metadata (a table a test makes up, as the families
    merge test does) stays in ``Entity.__subclasses__()`` until the garbage collector frees it. It
    must not count as a table meanwhile, or ``info`` (and sync, erasure, backups) ask the database for
    a table it does not have: a test-order dependency that depended on when the collector ran."""
    from sqlmodel import SQLModel

    from peer_support.services.info import app_info
    from peer_support.storage.tables import entity_classes
    from peer_support.storage.tables.base import Entity

    class Scratch(Entity, table=True):
        __tablename__ = "test_scratch"
        note: str = ""

    try:
        assert entity_classes()["test_scratch"] is Scratch
    finally:
        SQLModel.metadata.remove(Scratch.__table__)
    assert "test_scratch" not in entity_classes()  # though the class Scratch is still alive here
    counts = app_info(context).row_counts
    assert "test_scratch" not in counts and counts["family"] == 0
