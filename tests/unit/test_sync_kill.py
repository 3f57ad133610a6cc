"""A sync killed half-way (SIGKILL, as by a power cut or a closed lid) leaves nothing
half-applied, and running it again completes."""

from __future__ import annotations

from datetime import datetime as _datetime, timezone as _timezone

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlmodel import func, select

from peer_support.clock import FixedClock
from peer_support.context import open_context
from peer_support.services.families_import import import_families
from peer_support.services.families_sheet import Sheet
from peer_support.services.sync import sync_now
from peer_support.services.sync.check import canonical_dump
from peer_support.storage.tables.core import ChangeLog
from peer_support.storage.tables.families import Family
from peer_support.storage.tables.sync import SyncAppliedFile, SyncPeer

FIXED_NOW = _datetime(2026, 11, 25, 10, 30, tzinfo=_timezone.utc)  # as tests/conftest.py

pytestmark = pytest.mark.slow

CHILD = textwrap.dedent("""
    import sys, time
    from datetime import datetime, timezone
    from peer_support.clock import FixedClock
    from peer_support.context import open_context
    from peer_support.services.sync import merge, sync_now

    applied = 0
    original = merge.Merger.apply

    def slow_apply(self, entry):
        global applied
        original(self, entry)
        applied += 1
        if applied == 300:
            print("half-way", flush=True)
            time.sleep(60)

    merge.Merger.apply = slow_apply
    context = open_context(sys.argv[1], FixedClock(datetime(2026, 11, 25, 12, tzinfo=timezone.utc)))
    sync_now(context, sys.argv[2])
""")


def _counts(context) -> tuple[int, int, int, int]:
    with context.db.read() as session:
        return (session.exec(select(func.count()).select_from(Family)).one(),
                session.exec(select(func.count()).select_from(ChangeLog)).one(),
                session.exec(select(func.count()).select_from(SyncPeer)).one(),
                session.exec(select(func.count()).select_from(SyncAppliedFile)).one())


def test_a_killed_sync_applies_nothing_of_the_file_and_a_rerun_completes(tmp_path, empty_template):
    sender_dir, receiver_dir, shared = tmp_path / "sender", tmp_path / "receiver", tmp_path / "shared"
    for folder in (sender_dir, receiver_dir):
        shutil.copytree(empty_template, folder)
        (folder / "local.json").unlink(missing_ok=True)
    shared.mkdir()
    sender = open_context(sender_dir, FixedClock(FIXED_NOW))
    sheet = Sheet("families.csv", ("Name",), tuple((number + 1, (f"Family {number}",)) for number in range(1, 801)), "CSV")
    assert import_families(sender, sheet).record.imported == 800
    sync_now(sender, shared)

    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(receiver_dir), str(shared)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = child.stdout.readline()
        assert line.strip() == "half-way", child.stderr.read()
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL

    receiver = open_context(receiver_dir, FixedClock(FIXED_NOW))
    try:
        assert _counts(receiver) == (0, 0, 0, 0)  # not 300 families: the file is all or nothing
        report = sync_now(receiver, shared)
        assert (report.files_applied, report.changes_applied) == (1, 800)
        assert _counts(receiver)[:2] == (800, 800)
        assert canonical_dump(receiver) == canonical_dump(sender)
    finally:
        receiver.close()
        sender.close()
