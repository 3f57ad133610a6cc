"""10,000 pack scans through the service layer, next to the floor: a raw sqlite3
INSERT + COMMIT with the same durability settings (WAL, synchronous=FULL), in
the same run on the same disk.

    python benchmarks/packs_scan.py [SCANS]
"""

from __future__ import annotations

import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from peer_support.context import open_context  # noqa: E402
from peer_support.domain.packs import BatchDraft  # noqa: E402
from peer_support.sample import families  # noqa: E402
from peer_support.services import deliveries, packs  # noqa: E402


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
            batches.append(packs.create_batch(context, BatchDraft(name=f"Batch {len(batches) + 1}")))
        work = [(b.id, p.code) for b in batches for p in packs.list_packs(context, b.reference)][:scans]
        random.Random(2).shuffle(work)
        timings = []
        start = time.perf_counter()
        for batch_id, code in work:
            began = time.perf_counter()
            deliveries.record_scan(context, code, batch_id=batch_id)
            timings.append(time.perf_counter() - began)
        total = time.perf_counter() - start
        # What scan mode adds after each scan: the bounded recent list and the progress bar.
        began = time.perf_counter()
        for batch_id, _code in work[:500]:
            deliveries.recent_events(context, batch_id)
        refresh = (time.perf_counter() - began) / 500
        context.close()
        floor = raw_floor(folder, 2000)
    timings.sort()
    first, last = timings[: len(timings) // 10], timings[-len(timings) // 10:]
    print(f"scans through the service layer: {len(work)} in {total:.1f} s")
    print(f"  per scan: mean {total / len(work) * 1000:.2f} ms, median {timings[len(timings) // 2] * 1000:.2f} ms,"
          f" p99 {timings[int(len(timings) * 0.99)] * 1000:.2f} ms")
    print(f"  (fastest tenth {sum(first) / len(first) * 1000:.2f} ms, slowest tenth {sum(last) / len(last) * 1000:.2f} ms)")
    print(f"  recent-list refresh after a scan: {refresh * 1000:.2f} ms")
    print(f"floor: raw sqlite3 INSERT+COMMIT, WAL, synchronous=FULL: {floor * 1000:.2f} ms per commit")
    print(f"service scan / floor: {total / len(work) / floor:.1f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
