"""A sync with nothing new, on a laptop with a long history (50,000 families by default).

    python benchmarks/sync_idle.py [--families 50000]

Builds the families with the service's bulk writer (each logged in the change log), publishes
them once to a scratch sync folder, then times "Sync now" with nothing new to send or receive
(median of 5). Every sync asks the change log for this laptop's changes after the last one it
published and merged (services/sync/journal.py, merge.py); the floor, in the same run on the same
file, is that question asked once in raw sqlite3.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from families_search import build  # noqa: E402
from peer_support.services.sync import sync_now  # noqa: E402

RUNS = 5


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=50_000)
    count = parser.parse_args().families
    with tempfile.TemporaryDirectory() as scratch:
        context, seconds = build(Path(scratch) / "data", count)
        folder = Path(scratch) / "stick"
        folder.mkdir()
        started = time.perf_counter()
        report = sync_now(context, folder)
        publish = time.perf_counter() - started
        print(f"built {count:,} families in {seconds:.1f} s; the first sync published "
              f"{report.sent_changes:,} changes in {publish:.1f} s")
        idle = []
        for _ in range(RUNS):
            started = time.perf_counter()
            sync_now(context, folder)
            idle.append((time.perf_counter() - started) * 1000)
        raw = sqlite3.connect(context.database_path)
        device, last = raw.execute("SELECT device_id, max(seq) FROM change_log GROUP BY device_id").fetchone()
        floors = []
        for _ in range(RUNS):
            started = time.perf_counter()
            raw.execute("SELECT seq FROM change_log WHERE device_id = ? AND seq > ? ORDER BY seq",
                        (device, last)).fetchall()
            floors.append((time.perf_counter() - started) * 1000)
        raw.close()
        context.close()
    print(f"sync with nothing new: {statistics.median(idle):.1f} ms (median of {RUNS}); floor: this laptop's "
          f"changes after the last, raw sqlite3, {statistics.median(floors):.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
