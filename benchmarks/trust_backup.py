"""How long a backup and the start-up check take on the sample data (530 families).

Prints each figure beside a floor measured in the same run: SQLite's backup
API called directly on the same file (the least a consistent copy can cost),
and a bare PRAGMA quick_check.

    python benchmarks/trust_backup.py
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from peer_support.context import open_context
from peer_support.sample import load_sample_data
from peer_support.services.backups import auto_backup, back_up_now
from peer_support.storage.migrate import known_revisions
from peer_support.storage.recovery import diagnose

RUNS = 5


def best(fn) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        context = open_context(Path(folder) / "data")
        load_sample_data(context)
        path = context.database_path
        size = path.stat().st_size / 1_000_000
        out = Path(folder) / "out"
        out.mkdir()
        counter = iter(range(10_000))

        def raw_backup() -> None:
            source = sqlite3.connect(path)
            target = sqlite3.connect(out / f"raw-{next(counter)}.sqlite3")
            source.backup(target)
            target.close()
            source.close()

        def raw_check() -> None:
            connection = sqlite3.connect(path)
            connection.execute("PRAGMA quick_check").fetchall()
            connection.close()

        revisions = known_revisions()
        start = context.clock.now()
        ticks = iter(range(1, 10_000))

        class Ticking:  # each automatic backup a minute later, so none is skipped as a duplicate
            def now(self):
                return start + timedelta(minutes=next(ticks))

        context.clock = Ticking()
        print(f"database: {size:.1f} MB")
        print(f"back up now:        {best(lambda: back_up_now(context, out)):7.1f} ms"
              f"   floor (raw backup API): {best(raw_backup):7.1f} ms")
        print(f"automatic backup:   {best(lambda: auto_backup(context, force=True)):7.1f} ms"
              f"   (includes rotation)")
        print(f"start-up diagnosis: {best(lambda: diagnose(path, None, revisions)):7.1f} ms"
              f"   floor (quick_check):    {best(raw_check):7.1f} ms")
        context.close()


if __name__ == "__main__":
    main()
