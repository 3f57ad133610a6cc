"""WAL checkpoints happen off the commit path (storage/checkpoints.py): a scan's COMMIT
only appends to the log (still fsynced: synchronous=FULL), a background thread copies
the log into the database file when writes pause, and closing leaves no log behind.

"In the database file" is checked on a copy of the main file alone (without its -wal):
what a checkpoint has copied is there, what only the log holds is not.
"""

from __future__ import annotations

import shutil
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path

from peer_support.domain.packs import BatchDraft
from peer_support.services import deliveries, packs
from peer_support.storage.checkpoints import AUTOCHECKPOINT_PAGES, BATCH_COMMITS, Checkpointer
from peer_support.storage.db import plain_connection


def _wait_for(condition, what: str, seconds: float = 60) -> None:
    """Wait for the background thread (a bound for a hung thread, not a timing check)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.05)


def _in_database_file(database: Path, tmp_path: Path, sql: str, args=()) -> int:
    """Count rows in a copy of the main database file alone (what checkpoints put there)."""
    copy = tmp_path / f"main-only-{time.monotonic_ns()}.sqlite3"
    shutil.copyfile(database, copy)
    connection = sqlite3.connect(copy)
    try:
        return connection.execute(sql, args).fetchone()[0]
    finally:
        connection.close()


def _never_due(context) -> Checkpointer:
    """Hold the background checkpoints off, as if writes never paused."""
    context.db.checkpointer.stop()
    checkpointer = Checkpointer(lambda: plain_connection(context.db.path), idle=3600, burst=10**9, tidy=3600)
    context.db.checkpointer = checkpointer
    return checkpointer


def _new_batch(context):
    return packs.create_batch(context, BatchDraft(name="Checkpoint test")).record


def _scan_outstanding(context, count: int, batch=None) -> list[str]:
    batch = batch or _new_batch(context)
    volunteer = deliveries.volunteer_id_for(context, "V001")
    events = []
    for pack in packs.list_packs(context, batch.reference, outstanding_only=True)[:count]:
        events.append(deliveries.record_scan(context, pack.code, batch_id=batch.id,
                                             volunteer_id=volunteer).record.event.id)
    assert len(events) == count
    return events


def test_a_scan_reaches_the_database_file_once_writes_pause(sample_context, tmp_path):
    context = sample_context
    context.db.dispose()  # also after the connections were closed and reopened (restore, encryption)
    event = _scan_outstanding(context, BATCH_COMMITS)[-1]
    database = context.database_path
    # (A pause under load may checkpoint before the last scan; it then goes at the tidy-up.)
    _wait_for(lambda: _in_database_file(database, tmp_path, "SELECT count(*) FROM pack_event WHERE id = ?",
                                        (event,)) == 1, "the last scan copied into the database file")
    assert context.db.checkpointer.checkpoints >= 1
    assert _in_database_file(database, tmp_path, "SELECT count(*) FROM change_log WHERE entity_id = ?",
                             (event,)) == 1


def test_a_scan_commit_does_not_checkpoint_the_log_itself(sample_context, tmp_path):
    context = sample_context
    database = context.database_path
    _never_due(context)
    batch = _new_batch(context)
    with context.db.plain() as connection:  # start from an empty log (the batch is a big write)
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    events_before = _in_database_file(database, tmp_path, "SELECT count(*) FROM pack_event")
    # 60 scans: ~1,200 pages, past SQLite's default automatic checkpoint (1,000), which one
    # of these commits would have paid for.
    events = _scan_outstanding(context, 60, batch)
    assert _in_database_file(database, tmp_path, "SELECT count(*) FROM pack_event") == events_before
    with context.db.plain() as connection:  # committed: every other connection sees them, logged
        placeholders = ", ".join("?" * len(events))
        assert connection.execute(f"SELECT count(*) FROM pack_event WHERE id IN ({placeholders})",
                                  events).fetchone()[0] == 60
        assert connection.execute(f"SELECT count(*) FROM change_log WHERE entity_id IN ({placeholders})",
                                  events).fetchone()[0] == 60


def test_closing_checkpoints_everything_and_ends_the_thread(sample_context, tmp_path):
    context = sample_context
    database = context.database_path
    checkpointer = context.db.checkpointer
    events = _scan_outstanding(context, 5)
    assert checkpointer.alive
    _never_due(context)
    assert not checkpointer.alive
    events += _scan_outstanding(context, 5)
    context.close()
    wal = database.with_name(database.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    placeholders = ", ".join("?" * len(events))
    assert _in_database_file(database, tmp_path, f"SELECT count(*) FROM pack_event WHERE id IN ({placeholders})",
                             events) == 10


class _Log:
    """A WAL database written by another connection, as the app's commits write it."""

    def __init__(self, tmp_path: Path) -> None:
        self.database = tmp_path / "log.sqlite3"
        self.writer = plain_connection(self.database)
        self.writer.execute("PRAGMA wal_autocheckpoint = 0")
        self.writer.execute("CREATE TABLE scan (id INTEGER PRIMARY KEY)")
        self.count = 0

    def commit(self, checkpointer: Checkpointer) -> None:
        self.writer.execute("INSERT INTO scan (id) VALUES (?)", (self.count,))
        self.count += 1
        checkpointer.wrote()


@contextmanager
def _log_checkpointed(tmp_path: Path, **settings):
    """A ``_Log`` and a Checkpointer on it with these settings; both closed afterwards."""
    log = _Log(tmp_path)
    checkpointer = Checkpointer(lambda: plain_connection(log.database), **settings)
    try:
        yield log, checkpointer
    finally:
        checkpointer.stop()
        log.writer.close()


def test_a_long_burst_of_commits_is_checkpointed_without_a_pause(tmp_path):
    with _log_checkpointed(tmp_path, idle=3600, burst=3, tidy=3600) as (log, checkpointer):
        for _ in range(3):
            log.commit(checkpointer)
        _wait_for(lambda: checkpointer.checkpoints == 1, "a checkpoint after a burst")
        assert _in_database_file(log.database, tmp_path, "SELECT count(*) FROM scan") == 3
    assert not checkpointer.alive and checkpointer.failures == 0


def test_a_pause_checkpoints_a_batch_of_commits_not_each_one(tmp_path):
    # Each checkpoint makes the next commit restart the log (one more fsync): once a batch.
    with _log_checkpointed(tmp_path, idle=0, batch=3, burst=100, tidy=3600) as (log, checkpointer):
        log.commit(checkpointer)
        log.commit(checkpointer)
        time.sleep(0.3)  # room for a wrong checkpoint to happen; the check does not depend on speed
        assert checkpointer.checkpoints == 0
        log.commit(checkpointer)
        _wait_for(lambda: checkpointer.checkpoints == 1, "a checkpoint at the pause after a batch")
        assert _in_database_file(log.database, tmp_path, "SELECT count(*) FROM scan") == 3


def test_a_long_quiet_spell_checkpoints_whatever_the_log_holds(tmp_path):
    with _log_checkpointed(tmp_path, idle=3600, batch=100, burst=100, tidy=0.05) as (log, checkpointer):
        log.commit(checkpointer)
        _wait_for(lambda: checkpointer.checkpoints == 1, "a checkpoint after a quiet spell")
        assert _in_database_file(log.database, tmp_path, "SELECT count(*) FROM scan") == 1


def test_every_connection_keeps_full_sync_and_the_raised_checkpoint_threshold(context):
    with context.db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL: survives a power cut
        assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == AUTOCHECKPOINT_PAGES
    with context.db.plain() as connection:
        assert connection.execute("PRAGMA synchronous").fetchone()[0] == 2
        assert connection.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == AUTOCHECKPOINT_PAGES
