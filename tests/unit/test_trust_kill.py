"""Crash safety: kill the process (SIGKILL) at random points during a stream of writes.

The child prints each family's reference only after ``create_family``
returned, i.e. after the commit. Whatever it printed must be there after the
kill, and the database must pass its integrity check.
"""

from __future__ import annotations

import random
import signal
import subprocess
import os
import sys
import textwrap
import time

from pathlib import Path

import pytest

from peer_support.context import open_context
from peer_support.services.families import search_families
from peer_support.services.info import check_database

pytestmark = pytest.mark.slow

WRITER = textwrap.dedent("""
    import sys
    from peer_support.context import open_context
    from peer_support.domain.families import FamilyDraft
    from peer_support.services.families import create_family
    context = open_context(sys.argv[1])
    print("ready", flush=True)
    number = 0
    while True:
        number += 1
        record = create_family(context, FamilyDraft(name=f"Crash Test {number}", notes="n" * (number % 5000)))
        print(record.reference, flush=True)
""")


ENV = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))


def test_nothing_confirmed_is_lost_when_the_process_is_killed(data_dir, clock):
    rng = random.Random(20261125)
    confirmed: list[str] = []
    for _round in range(5):
        child = subprocess.Popen([sys.executable, "-c", WRITER, str(data_dir)],
                                 stdout=subprocess.PIPE, text=True, env=ENV)
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.05, 0.8))  # a random point in the stream of writes
        child.send_signal(signal.SIGKILL)
        output, _ = child.communicate(timeout=60)
        assert child.returncode == -signal.SIGKILL
        written = [line for line in output.splitlines() if line.startswith("F")]
        confirmed.extend(written)

        context = open_context(data_dir, clock)
        try:
            assert check_database(context) == []
            present = {family.reference for family in search_families(context)}
        finally:
            context.close()
        missing = [reference for reference in confirmed if reference not in present]
        assert missing == []
    assert len(confirmed) > 5  # the test really wrote something before each kill
