"""10,000 pack scans through the service layer, next to the floor: a raw sqlite3
INSERT + COMMIT with the same durability settings (WAL, synchronous=FULL), in
the same run on the same disk. Scans and floor commits alternate in blocks of
50 (a floor commit right after each scan would pay for the scan's writes in its
own fsync), so a busy moment on a shared disk weighs on both alike; the ratio
is of medians.

    python benchmarks/packs_scan.py [SCANS]
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from peer_support.context import open_context  # noqa: E402
from peer_support.domain.packs import BatchDraft  # noqa: E402
from peer_support.sample import families  # noqa: E402
from peer_support.services import deliveries, packs  # noqa: E402


BLOCK = 50


class Floor:
    """One raw INSERT + COMMIT at a time, on its own file in the same folder."""

    def __init__(self, folder: Path) -> None:
        self.db = sqlite3.connect(folder / "raw-interleaved.sqlite3", isolation_level=None)
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = FULL")
        self.db.execute("CREATE TABLE scan (id INTEGER PRIMARY KEY, code TEXT, at TEXT)")
        self.number = 0

    def commit_one(self) -> float:
        self.number += 1
        began = time.perf_counter()
        self.db.execute("BEGIN IMMEDIATE")
        self.db.execute("INSERT INTO scan (code, at) VALUES (?, datetime('now'))", (f"C{self.number}",))
        self.db.execute("COMMIT")
        return time.perf_counter() - began


def raw_floor(folder: Path, count: int) -> float:
    db = sqlite3.connect(folder / "raw.sqlite3", isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("CREATE TABLE scan (id INTEGER PRIMARY KEY, code TEXT, at TEXT)")
    start = time.perf_counter()
    for number in range(count):
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO scan (code, at) VALUES (?, datetime('now'))", (f"C{number}",))
        db.execute("COMMIT")
    elapsed = time.perf_counter() - start
    db.close()
    return elapsed / count


def main(scans: int = 10_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        context = open_context(folder / "data")
        families.seed(context, random.Random(1))
        batches = []
        while sum(b.pack_count for b in batches) < scans:  # ~19 batches of 530 packs
            batches.append(packs.create_batch(context, BatchDraft(name=f"Batch {len(batches) + 1}")).record)
        work = [(b.id, p.code) for b in batches for p in packs.list_packs(context, b.reference)][:scans]
        volunteer_id = deliveries.volunteer_id_for(context, "V001")
        random.Random(2).shuffle(work)
        timings, floors = [], []
        floor_db = Floor(folder)
        for start in range(0, len(work), BLOCK):
            for batch_id, code in work[start:start + BLOCK]:
                began = time.perf_counter()
                deliveries.record_scan(context, code, batch_id=batch_id, volunteer_id=volunteer_id)
                timings.append(time.perf_counter() - began)
            floors.extend(floor_db.commit_one() for _ in range(BLOCK))
        total = sum(timings)
        # What scan mode adds after each scan: the bounded recent list and the progress bar.
        began = time.perf_counter()
        for batch_id, _code in work[:500]:
            deliveries.recent_events(context, batch_id)
        refresh = (time.perf_counter() - began) / 500
        context.close()
        floor_db.db.close()
        separate = raw_floor(folder, 2000)
    floor = statistics.median(floors)
    timings.sort()
    first, last = timings[: len(timings) // 10], timings[-len(timings) // 10:]
    print(f"scans through the service layer: {len(work)} in {total:.1f} s")
    print(f"  per scan: mean {total / len(work) * 1000:.2f} ms, median {timings[len(timings) // 2] * 1000:.2f} ms,"
          f" p99 {timings[int(len(timings) * 0.99)] * 1000:.2f} ms")
    print(f"  (fastest tenth {sum(first) / len(first) * 1000:.2f} ms, slowest tenth {sum(last) / len(last) * 1000:.2f} ms)")
    print(f"  recent-list refresh after a scan: {refresh * 1000:.2f} ms")
    floors.sort()
    print(f"floor: raw sqlite3 INSERT+COMMIT, WAL, synchronous=FULL, in blocks between the scans: median "
          f"{floor * 1000:.2f} ms, mean {sum(floors) / len(floors) * 1000:.2f} ms, "
          f"p99 {floors[int(len(floors) * 0.99)] * 1000:.2f} ms (2,000 in a row afterwards: {separate * 1000:.2f} ms)")
    print(f"mean / mean: {total / len(work) / (sum(floors) / len(floors)):.1f}x")
    print(f"service scan / floor: {timings[len(timings) // 2] / floor:.1f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
