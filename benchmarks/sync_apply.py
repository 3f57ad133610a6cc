"""Applying 10,000 changes from another laptop, per change, next to plain SQLite.

    python benchmarks/sync_apply.py [ROUNDS]

The floors are measured in the same run on the same disk: raw sqlite3 INSERTs of
rows of a similar size with the app's PRAGMAs (WAL, synchronous=FULL), committed
in batches as large as one journal file, and committed one row at a time; and
the same batched INSERTs of the sender's own family rows (all columns, fresh ids
and references) into the app's real ``family`` table (its schema, indexes and
triggers, made by the app's migrations in a scratch folder): what writing those
rows costs at least, before any merging, change log or search index.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from peer_support.clock import FixedClock  # noqa: E402
from peer_support.context import open_context  # noqa: E402
from peer_support.services.sync import sync_now  # noqa: E402
from peer_support.services.sync.journal import CHANGES_PER_FILE  # noqa: E402
from peer_support.storage.tables.families import Family  # noqa: E402

CHANGES = 10_000
REPEATS = 3  # rounds (``python benchmarks/sync_apply.py N`` for N): the machine is shared, so the best of each
NOW = datetime(2026, 11, 25, 10, 30, tzinfo=timezone.utc)


def make_changes(context) -> None:
    """4,000 new families and 6,000 edits of them, in actions of 100 changes."""
    ids = []
    for start in range(0, 4000, 100):
        with context.db.transaction("add") as uow:
            for number in range(start, start + 100):
                family = Family(reference=f"F{number + 1:05d}", name=f"Family {number}",
                                address="1 Harbour Street\nMargate", postcode="CT9 1AA", phone="01843 000000")
                uow.session.add(family)
                ids.append(family.id)
    for start in range(0, 6000, 100):
        with context.db.transaction("edit") as uow:
            for offset in range(100):
                family = uow.session.get(Family, ids[(start + offset) % len(ids)])
                family.phone = f"07700 9{start + offset:05d}"
                uow.session.add(family)


def floor(folder: Path, batch: int) -> float:
    """Seconds per row for raw INSERTs committed every ``batch`` rows."""
    db = sqlite3.connect(folder / f"floor-{batch}.sqlite3", isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("CREATE TABLE t (id TEXT PRIMARY KEY, created_at TEXT, name TEXT, address TEXT, "
               "postcode TEXT, phone TEXT, notes TEXT)")
    rows = min(CHANGES, 2000) if batch == 1 else CHANGES
    started = time.perf_counter()
    for start in range(0, rows, batch):
        db.execute("BEGIN")
        for number in range(start, min(start + batch, rows)):
            db.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (f"{number:036d}", NOW.isoformat(), f"Family {number}", "1 Harbour Street",
                        "CT9 1AA", "01843 000000", ""))
        db.execute("COMMIT")
    seconds = time.perf_counter() - started
    db.close()
    return seconds / rows


def family_floor(folder: Path, sender_database: Path, batch: int) -> float:
    """Seconds per row for batched INSERTs of the sender's family rows into a migrated database's
    ``family`` table, committed every ``batch`` rows."""
    source = sqlite3.connect(sender_database)
    names = [row[1] for row in source.execute("PRAGMA table_info(family)")]
    template = source.execute("SELECT * FROM family ORDER BY reference").fetchall()
    source.close()
    target = open_context(folder / "family-floor", FixedClock(NOW))
    database = target.database_path
    target.close()
    db = sqlite3.connect(database, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("PRAGMA foreign_keys = ON")
    id_at, reference_at = names.index("id"), names.index("reference")
    rows = []
    for number in range(CHANGES):
        values = list(template[number % len(template)])
        values[id_at], values[reference_at] = f"{number:036d}", f"F{number + 1:05d}"
        rows.append(tuple(values))
    sql = f"INSERT INTO family ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})"
    started = time.perf_counter()
    for start in range(0, CHANGES, batch):
        db.execute("BEGIN")
        db.executemany(sql, rows[start:start + batch])
        db.execute("COMMIT")
    seconds = time.perf_counter() - started
    db.close()
    return seconds / CHANGES


# Where the time of one more round goes (timed apart: the timers cost a little themselves): each
# stage is the time inside these functions, nested ones not counted twice.
STAGES: list[tuple[str, str, str]] = [
    ("read and decode the files", "peer_support.services.sync.apply", "read_journal"),
    ("load the rows and clocks a file touches", "peer_support.services.sync.merge", "Merger.prefetch"),
    ("merge each change (clocks, conflicts)", "peer_support.services.sync.merge", "Merger.apply"),
    ("write the rows", "peer_support.services.sync.merge", "Merger.flush_rows"),
    ("rules and erasures", "peer_support.services.sync.apply", "run_rules"),
    ("rules and erasures", "peer_support.services.sync.merge", "Merger.enforce_erasures"),
    ("recompute derived data", "peer_support.services.sync.apply", "recompute_derived"),
    ("write the field clocks", "peer_support.services.sync.merge", "Merger.flush_clocks"),
    ("write the change log", "peer_support.storage.unit_of_work", "UnitOfWork.record_received"),
    ("refresh the search index", "peer_support.storage.unit_of_work", "UnitOfWork.before_commit"),
    ("commit", "sqlalchemy.orm.session", "Session.commit"),
]


@contextmanager
def timed_stages(spent: Counter):
    """Timers around ``STAGES`` while inside; a stage called inside another counts for itself only."""
    import importlib

    stack: list[list[float]] = []  # per open stage: [started, time of the stages inside it]
    undo: list[Callable[[], None]] = []

    def wrap(label: str, function):
        def timed(*args, **kwargs):
            stack.append([time.perf_counter(), 0.0])
            try:
                return function(*args, **kwargs)
            finally:
                started, inner = stack.pop()
                seconds = time.perf_counter() - started
                spent[label] += seconds - inner
                if stack:
                    stack[-1][1] += seconds
        return timed

    for label, module_name, name in STAGES:
        owner = importlib.import_module(module_name)
        if "." in name:
            owner, name = getattr(owner, name.split(".")[0]), name.split(".")[1]
        original = getattr(owner, name)
        setattr(owner, name, wrap(label, original))
        undo.append(lambda owner=owner, name=name, original=original: setattr(owner, name, original))
    try:
        yield
    finally:
        for step in reversed(undo):
            step()


def print_split(root: Path) -> None:
    here = root / "split"
    here.mkdir()
    receiver = open_context(here / "receiver", FixedClock(NOW))
    spent: Counter = Counter()
    with timed_stages(spent):
        started = time.perf_counter()
        sync_now(receiver, root / "stick")
        total = time.perf_counter() - started
    receiver.close()
    print(f"where the time goes (one more round, timed apart: {total / CHANGES * 1e6:.0f} µs per change):")
    for label, seconds in [*spent.most_common(), ("everything else", total - sum(spent.values()))]:
        print(f"  {label}: {seconds / CHANGES * 1e6:.1f} µs per change ({seconds / total:.0%})")


def main() -> None:
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else REPEATS
    best = {"sync": float("inf"), "batch": float("inf"), "row": float("inf"), "table": float("inf")}
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        sender = open_context(root / "sender", FixedClock(NOW))
        (root / "stick").mkdir()
        make_changes(sender)
        sync_now(sender, root / "stick")
        sender_database = sender.database_path
        sender.close()
        for attempt in range(repeats):
            # Each round: a fresh receiver applies the same files, then each floor runs afresh.
            here = root / f"round{attempt}"
            here.mkdir()
            receiver = open_context(here / "receiver", FixedClock(NOW))
            started = time.perf_counter()
            report = sync_now(receiver, root / "stick")
            seconds = time.perf_counter() - started
            assert report.changes_applied == CHANGES, report
            receiver.close()
            rounds = {"sync": seconds / CHANGES, "batch": floor(here, CHANGES_PER_FILE), "row": floor(here, 1),
                      "table": family_floor(here, sender_database, CHANGES_PER_FILE)}
            print(f"round {attempt + 1}: sync {rounds['sync'] * 1e6:.0f} µs per change, family-table floor "
                  f"{rounds['table'] * 1e6:.1f} µs ({rounds['sync'] / rounds['table']:.1f}x), raw batched floor "
                  f"{rounds['batch'] * 1e6:.1f} µs ({rounds['sync'] / rounds['batch']:.0f}x)")
            best = {key: min(best[key], value) for key, value in rounds.items()}
        print_split(root)
    per_change, batch_floor, row_floor, table_floor = best["sync"], best["batch"], best["row"], best["table"]
    print(f"best of {repeats} rounds, each figure and floor alike:")
    print(f"sync apply: {CHANGES} changes in {report.files_applied} files, {per_change * CHANGES:.2f} s, "
          f"{per_change * 1e6:.0f} µs per change")
    print(f"floor: raw INSERT, COMMIT every {CHANGES_PER_FILE} rows: {batch_floor * 1e6:.1f} µs per row "
          f"(sync is {per_change / batch_floor:.0f}x)")
    print(f"floor: batched INSERT into the app's family table (its indexes and triggers), COMMIT every "
          f"{CHANGES_PER_FILE} rows: {table_floor * 1e6:.1f} µs per row "
          f"(sync is {per_change / table_floor:.1f}x)")
    print(f"floor: raw INSERT + COMMIT per row: {row_floor * 1e6:.0f} µs per row "
          f"(sync is {per_change / row_floor:.2f}x)")


if __name__ == "__main__":
    main()
