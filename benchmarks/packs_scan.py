"""10,000 pack scans through the service layer, next to the floor: a raw sqlite3
INSERT + COMMIT with the same durability settings (WAL, synchronous=FULL), in
the same run on the same disk. Scans and floor commits alternate in blocks of
50 (a floor commit right after each scan would pay for the scan's writes in its
own fsync), so a busy moment on a shared disk weighs on both alike; the ratio
is of medians, with the p95s beside them, overall and per round of 2,000.

Why the ratio moves from run to run: both pay one fsync per commit (F), the
service also its CPU (statements, change log, Python: S) and the floor very
little (f), so the ratio is about (S + F) / (f + F). On a disk whose fsync
takes milliseconds it is near 1x; where fsync costs 0.1-0.2 ms (a write cache)
or the CPU is shared with other work it is S / f. The benchmark prints what
varies: CPU per commit (of the whole process: the background checkpoint thread
counts too), WAL pages written per commit and WAL checkpoints.

Steadiness: besides the medians it prints p99 and the slowest commit, each
beside the floor's, and the worst round of 2,000. The app takes WAL checkpoints
in a background thread when writes pause or after a burst of commits
(storage/checkpoints.py). Scans here come back to back with no pause, so the
commit that takes the log past the app's automatic checkpoint (10,000 pages)
still checkpoints, but finds most pages copied already. The floor keeps
SQLite's default: an automatic checkpoint every 1,000 one-page commits.

Where a scan's time went (measured 2026-12-03 on a shared 2-core VM; perf and py-spy --gil):
about a third in the kernel (the commit's ~17 WAL frames, two pwrite calls each, and
fdatasync's writeback of them: ~7 us of CPU per frame), a third in Python (a third of that
pysqlite building rows and binding), a fifth in SQLite's statements. Pages: 13 b-trees per
scan (event: table, id, pack_id, batch_id; change log: table, change_id, device_id,
action_id, entity_id; action: table, id; pack; device_state), ~1.25 frames each (index
appends rebalance every ~13 rows). Dropping two of those indexes (a copy of the database,
A/B in one sitting) saved 2.6 frames and ~2.5% of the median; a WITHOUT ROWID action and
event saved 0.6 frames (their other indexes grow); WITHOUT ROWID change log wrote more.
Writing the action, sequence number and change-log row through one temporary-view trigger
instead of three statements measured no gain.

    python benchmarks/packs_scan.py [SCANS]
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import struct
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from peer_support.context import open_context  # noqa: E402
from peer_support.domain.packs import BatchDraft  # noqa: E402
from peer_support.sample import families  # noqa: E402
from peer_support.services import deliveries, packs  # noqa: E402
from peer_support.storage.checkpoints import AUTOCHECKPOINT_PAGES  # noqa: E402


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


def wal_resets(database: Path) -> int:
    """The WAL header's checkpoint sequence number: +1 each time a checkpoint lets the log restart."""
    wal = database.with_name(database.name + "-wal")
    header = wal.read_bytes()[:16] if wal.exists() else b""
    return struct.unpack(">I", header[12:16])[0] if len(header) == 16 else 0


def wal_pages(database: Path) -> int:
    """Frames the -wal file has room for (it grows to the most the log ever held, then is reused)."""
    wal = database.with_name(database.name + "-wal")
    return (wal.stat().st_size - 32) // (4096 + 24) if wal.exists() and wal.stat().st_size > 32 else 0


def wal_pages_per_commit(connection, commit_one, count: int = 100, stop_background=None) -> float:
    """WAL frames (4 KiB pages) one commit writes, with checkpoints held off meanwhile."""
    if stop_background is not None:
        stop_background()
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    autocheckpoint = connection.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
    connection.execute("PRAGMA wal_autocheckpoint = 0")
    for _ in range(count):
        commit_one()
    frames = connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1]
    connection.execute(f"PRAGMA wal_autocheckpoint = {autocheckpoint}")
    return frames / count


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def pct(values: list[float], share: float) -> float:
    return values[min(len(values) - 1, int(len(values) * share))]


ROUND = 2000


def main(scans: int = 10_000) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        context = open_context(folder / "data")
        families.seed(context, random.Random(1))
        batches = []
        while sum(b.pack_count for b in batches) < scans + 100:  # ~19 batches of 530 packs
            batches.append(packs.create_batch(context, BatchDraft(name=f"Batch {len(batches) + 1}")).record)
        everything = [(b.id, p.code) for b in batches for p in packs.list_packs(context, b.reference)]
        volunteer_id = deliveries.volunteer_id_for(context, "V001")
        random.Random(2).shuffle(everything)
        work, spare = everything[:scans], everything[scans:scans + 100]
        timings, floors, cpu_service, cpu_floor = [], [], 0.0, 0.0
        floor_db = Floor(folder)
        service_resets, floor_resets = wal_resets(context.database_path), 0
        checkpoints_before = context.db.checkpointer.checkpoints
        largest_wal = 0
        for start in range(0, len(work), BLOCK):
            cpu = time.process_time()
            for batch_id, code in work[start:start + BLOCK]:
                began = time.perf_counter()
                deliveries.record_scan(context, code, batch_id=batch_id, volunteer_id=volunteer_id)
                timings.append(time.perf_counter() - began)
            cpu_service += time.process_time() - cpu
            cpu = time.process_time()
            floors.extend(floor_db.commit_one() for _ in range(BLOCK))
            cpu_floor += time.process_time() - cpu
            largest_wal = max(largest_wal, wal_pages(context.database_path))
        service_resets = wal_resets(context.database_path) - service_resets
        background = context.db.checkpointer.checkpoints - checkpoints_before
        floor_resets = wal_resets(folder / "raw-interleaved.sqlite3")
        # What scan mode adds after each scan: the bounded recent list and the progress bar.
        began = time.perf_counter()
        for batch_id, _code in work[:500]:
            deliveries.recent_events(context, batch_id)
        refresh = (time.perf_counter() - began) / 500
        spare_scans = iter(spare)

        def one_scan() -> None:
            batch_id, code = next(spare_scans)
            deliveries.record_scan(context, code, batch_id=batch_id, volunteer_id=volunteer_id)

        with context.db.plain() as connection:
            service_pages = wal_pages_per_commit(connection, one_scan, stop_background=context.db.checkpointer.stop)
        floor_pages = wal_pages_per_commit(floor_db.db, floor_db.commit_one)
        context.close()
        floor_db.db.close()
        separate = raw_floor(folder, 2000)
    rounds = []
    for start in range(0, len(timings), ROUND):
        service_round, floor_round = sorted(timings[start:start + ROUND]), sorted(floors[start:start + ROUND])
        rounds.append((statistics.median(service_round), statistics.median(floor_round),
                       pct(service_round, 0.99), pct(floor_round, 0.99)))
    total = sum(timings)
    floor = statistics.median(floors)
    timings.sort()
    floors.sort()
    median = statistics.median(timings)
    print(f"scans through the service layer: {len(work)} in {total:.1f} s, with a raw commit after each block "
          f"of {BLOCK}")
    print(f"{'per commit':<44}{'median':>10}{'p95':>10}{'p99':>10}{'max':>10}{'mean':>10}{'CPU':>10}")
    print(f"{'  service scan':<44}{ms(median):>10}{ms(pct(timings, 0.95)):>10}{ms(pct(timings, 0.99)):>10}"
          f"{ms(timings[-1]):>10}{ms(total / len(timings)):>10}{ms(cpu_service / len(timings)):>10}")
    print(f"{'  floor: raw INSERT+COMMIT, WAL, sync=FULL':<44}{ms(floor):>10}{ms(pct(floors, 0.95)):>10}"
          f"{ms(pct(floors, 0.99)):>10}{ms(floors[-1]):>10}{ms(sum(floors) / len(floors)):>10}"
          f"{ms(cpu_floor / len(floors)):>10}")
    print(f"  (floor, 2,000 in a row afterwards: {ms(separate)})")
    print(f"WAL pages written per commit: service {service_pages:.1f}, floor {floor_pages:.1f}")
    print(f"WAL checkpoints during the run: service {background} in the background thread, "
          f"{service_resets} log restarts, largest -wal file {largest_wal:,} pages (a commit checkpoints "
          f"what is left at {AUTOCHECKPOINT_PAGES:,}); floor {floor_resets} (SQLite's automatic ones, inside "
          f"commits)")
    print(f"  recent-list refresh after a scan: {ms(refresh)}")
    print(f"per round of {ROUND:,}, median service / median floor: "
          + ", ".join(f"{ms(s)} / {ms(f)} = {s / f:.1f}x" for s, f, _s99, _f99 in rounds))
    print(f"per round of {ROUND:,}, p99 service / p99 floor: "
          + ", ".join(f"{ms(s99)} / {ms(f99)} = {s99 / f99:.1f}x" for _s, _f, s99, f99 in rounds))
    worst = max(rounds, key=lambda r: r[0] / r[1])
    print(f"worst round, median / median: {ms(worst[0])} / {ms(worst[1])} = {worst[0] / worst[1]:.1f}x")
    print(f"p95 / p95: {pct(timings, 0.95) / pct(floors, 0.95):.1f}x; "
          f"p99 / p99: {pct(timings, 0.99) / pct(floors, 0.99):.1f}x "
          f"({ms(pct(timings, 0.99))} / {ms(pct(floors, 0.99))}); "
          f"max / max: {timings[-1] / floors[-1]:.1f}x ({ms(timings[-1])} / {ms(floors[-1])}); "
          f"CPU / CPU: {cpu_service / cpu_floor if cpu_floor else float('nan'):.1f}x")
    print(f"service scan / floor: {median / floor:.1f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
