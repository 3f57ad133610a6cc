"""Writing change-log rows into a log that already holds a history, with the app's ids and with random ones.

    python benchmarks/change_log_ids.py [--history 0 50000 200000]

Every received change becomes a row of ``change_log``, whose key and indexes are on ids (its
own change id, its action's, its record's). The app's ids (storage/ids.new_id) begin with the time
they were made, so those indexes grow at their end; random version-4 ids (what the app used
before) land each row on a random page of every index, and that costs more the longer the log.

Each round: the app's real ``change_log`` table (made by its migrations in a scratch folder),
``--history`` rows written first, then 10,000 rows of changes like a sync file's (100 per action,
4,000 records) committed in batches of one journal file, with the app's PRAGMAs. The floor, in the
same run: the same rows into a table of the same columns with no index but its row id.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from peer_support.context import open_context  # noqa: E402
from peer_support.services.sync.journal import CHANGES_PER_FILE  # noqa: E402
from peer_support.storage.change_json import changes_text  # noqa: E402
from peer_support.storage.ids import new_id  # noqa: E402

CHANGES = 10_000
COLUMNS = ["change_id", "device_id", "seq", "hlc", "action_id", "entity", "entity_id", "op", "changes",
           "actor", "at", "schema_rev"]


def random_id() -> str:
    return str(uuid.uuid4())


def rows(count: int, device: str, make_id: Callable[[], str]) -> list[tuple]:
    """``count`` change-log rows of one laptop: a phone number changed, 100 changes an action."""
    records = [make_id() for _ in range(4000)]
    actions = [make_id() for _ in range(count // 100 + 1)]
    text = changes_text({"phone": ["01843 000000", "07700 900123"]})
    return [(make_id(), device, seq, f"{seq:015d}.000000.{device}", actions[seq // 100], "family",
             records[seq % len(records)], "update", text, "volunteer", "2026-11-25 10:30:00.000000", "0039")
            for seq in range(count)]


def write(db: sqlite3.Connection, table: str, batch: list[tuple]) -> float:
    """Seconds per row to insert ``batch``, committed every CHANGES_PER_FILE rows."""
    sql = f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({', '.join('?' for _ in COLUMNS)})"
    started = time.perf_counter()
    for start in range(0, len(batch), CHANGES_PER_FILE):
        db.execute("BEGIN")
        db.executemany(sql, batch[start:start + CHANGES_PER_FILE])
        db.execute("COMMIT")
    return (time.perf_counter() - started) / len(batch)


def app_database(folder: Path) -> sqlite3.Connection:
    context = open_context(folder)
    path = context.database_path
    context.close()
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute(f"CREATE TABLE bare_log ({', '.join(COLUMNS)})")  # the floor: no index but the row id
    return db


def round_for(root: Path, history: int, make_id: Callable[[], str], name: str) -> tuple[float, float]:
    """(µs per row into change_log, µs per row into the bare table) after ``history`` rows."""
    db = app_database(root / f"{name}-{history}")
    if history:
        old = rows(history, "a" * 36, make_id)
        write(db, "change_log", old)
        write(db, "bare_log", old)
    new = rows(CHANGES, "b" * 36, make_id)
    figures = write(db, "change_log", new) * 1e6, write(db, "bare_log", new) * 1e6
    db.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--history", type=int, nargs="+", default=[0, 50_000, 200_000])
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        for history in options.history:
            ordered, ordered_floor = round_for(root, history, new_id, "ordered")
            scattered, scattered_floor = round_for(root, history, random_id, "random")
            print(f"log of {history:,} changes: app's ids {ordered:.1f} µs a row (floor {ordered_floor:.1f} µs, "
                  f"{ordered / ordered_floor:.1f}x); random ids {scattered:.1f} µs a row (floor "
                  f"{scattered_floor:.1f} µs, {scattered / scattered_floor:.1f}x)")


if __name__ == "__main__":
    main()
