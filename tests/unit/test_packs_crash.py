"""A process killed with SIGKILL in the middle of a stream of scans loses none it confirmed."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from peer_support.context import open_context
from peer_support.services import packs

pytestmark = pytest.mark.slow

WORKER = textwrap.dedent("""
    import sys
    from peer_support.context import open_context
    from peer_support.services import deliveries
    context = open_context(sys.argv[1])
    batch_id = sys.argv[2]
    volunteer_id = deliveries.volunteer_id_for(context, "V001")
    for line in sys.stdin:
        code = line.strip()
        deliveries.record_scan(context, code, batch_id=batch_id, volunteer_id=volunteer_id)
        print(code, flush=True)  # only after record_scan returned: confirmed
""")


def test_confirmed_scans_survive_sigkill(sample_dir, clock):
    context = open_context(sample_dir, clock)
    batch = packs.get_batch(context, "B01")
    codes = [p.code for p in packs.list_packs(context, "B01", outstanding_only=True) if p.status == "outstanding"]
    context.close()
    assert len(codes) > 40
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    worker = subprocess.Popen([sys.executable, "-c", WORKER, str(sample_dir), batch.id],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)
    worker.stdin.write("".join(f"{code}\n" for code in codes))
    worker.stdin.flush()
    confirmed = []
    while len(confirmed) < 25:
        line = worker.stdout.readline()
        assert line, "worker stopped early"
        confirmed.append(line.strip())
    os.kill(worker.pid, signal.SIGKILL)  # mid-stream: later scans are in flight
    worker.wait()
    worker.stdout.close()
    worker.stdin.close()
    assert worker.returncode == -signal.SIGKILL

    raw = sqlite3.connect(sample_dir / "peer-support.sqlite3")
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    raw.close()
    reopened = open_context(sample_dir, clock)
    try:
        status = {p.code: p.status for p in packs.list_packs(reopened, "B01")}
    finally:
        reopened.close()
    assert all(status[code] == "delivered" for code in confirmed)
    delivered_now = [code for code in codes if status[code] == "delivered"]
    # Nothing after the stream was invented: the delivered ones are a prefix of the stream.
    assert delivered_now == codes[:len(delivered_now)] and len(delivered_now) < len(codes)
