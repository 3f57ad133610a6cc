"""Search-as-you-type in a 50,000-family database, beside floors measured in the same run.

    python benchmarks/families_search.py [--families 50000]

Builds the database with the service's bulk writer (rows logged in change_log
as usual, the search index filled in the same transaction), then times, per
keystroke of a typical search, what the list does: count the matches and fetch
the first page of rows the list fetches (ui/families/model.PAGE_SIZE, 50), median and p95 of
20 runs. Floors, in the same run on the same file: the trigram index's own
count + the first page's row ids in raw sqlite3 (the least the service can do), the
same folded text scanned with LIKE (as before the index), and a naive four-column
lower(...) LIKE. Also: the lazy list model's page fetch deep in the list.
One frame at 60 Hz is 16.7 ms.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from peer_support.clock import FixedClock  # noqa: E402
from peer_support.context import open_context  # noqa: E402
from peer_support.domain.families import FamilyQuery  # noqa: E402
from peer_support.domain.search import fts_query, search_terms  # noqa: E402
from peer_support.sample.families import _family  # noqa: E402
from peer_support.services.families_bulk import BulkFamilyWriter  # noqa: E402
from peer_support.services.families_search import count_families, family_page  # noqa: E402
from peer_support.ui.families.model import PAGE_SIZE  # noqa: E402

KEYSTROKES = ["s", "sa", "sar", "sara", "sarah", "sarah ", "sarah s", "sarah sm"]
PAGE = PAGE_SIZE  # what the Families list fetches as its first page after a keystroke
REPEATS = 20


def build(folder: Path, count: int):
    context = open_context(folder, FixedClock(datetime(2026, 11, 25, 10, 30, tzinfo=timezone.utc)))
    rng = random.Random(50_000)
    started = time.perf_counter()
    with context.db.transaction("benchmark data") as uow:
        writer = BulkFamilyWriter(uow)
        for _ in range(count):
            writer.add(_family(rng, datetime(2020, 4, 1).date()))
        writer.finish()
    return context, time.perf_counter() - started


def timings_ms(fn) -> list[float]:
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)


def best_ms(fn) -> float:
    return statistics.median(timings_ms(fn))


def p95(times: list[float]) -> float:
    return times[min(len(times) - 1, int(len(times) * 0.95))]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=50_000)
    count = parser.parse_args().families
    with tempfile.TemporaryDirectory() as folder:
        context, seconds = build(Path(folder), count)
        print(f"built {count:,} families (with members, schools, change log) in {seconds:.1f} s")
        raw = sqlite3.connect(context.database_path)
        raw.execute("PRAGMA journal_mode = WAL")
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # as after the app's next automatic checkpoint

        def raw_index(text: str) -> None:
            match = fts_query(text)
            raw.execute("SELECT count(*) FROM family_search_fts WHERE family_search_fts MATCH ? "
                        "AND rowid < ?", (match, 1 << 50)).fetchone()
            raw.execute(f"SELECT rowid FROM family_search_fts WHERE family_search_fts MATCH ? AND rowid < ? "
                        f"ORDER BY rowid LIMIT {PAGE}", (match, 1 << 50)).fetchall()

        def raw_folded(text: str) -> None:  # the same folded text, scanned with LIKE (no index)
            terms = search_terms(text)
            where = " AND ".join(["id < ?"] + ["text LIKE ?"] * len(terms))
            args = [1 << 50, *(f"%{t}%" for t in terms)]
            raw.execute(f"SELECT count(*) FROM family_search WHERE {where}", args).fetchone()
            raw.execute(f"SELECT family_id FROM family_search WHERE {where} ORDER BY id LIMIT {PAGE}",
                        args).fetchall()

        def raw_naive(text: str) -> None:
            pattern = f"%{text.strip().lower()}%"
            where = ("deleted = 0 AND archived = 0 AND (lower(name) LIKE ?1 OR lower(reference) LIKE ?1 "
                     "OR lower(postcode) LIKE ?1 OR lower(phone) LIKE ?1)")
            raw.execute(f"SELECT count(*) FROM family WHERE {where}", [pattern]).fetchone()
            raw.execute(f"SELECT id, reference, name FROM family WHERE {where} "
                        f"ORDER BY length(reference), reference LIMIT {PAGE}", [pattern]).fetchall()

        def service(text: str) -> int:
            query = FamilyQuery(text=text)
            total = count_families(context, query)
            family_page(context, query, 0, PAGE)
            return total

        print(f"\nper keystroke: count + first {PAGE} rows ({REPEATS} runs, ms)")
        print(f"{'typed':<12}{'matches':>9}{'service':>9}{'p95':>7}{'floor: raw index':>18}{'p95':>7}"
              f"{'old LIKE scan':>15}{'naive LIKE':>12}")
        worst = 0.0
        every, floors = [], []
        for text in KEYSTROKES:
            matches = service(text)
            times = timings_ms(lambda: service(text))
            every += times
            worst = max(worst, p95(times))
            floor_times = timings_ms(lambda: raw_index(text))
            floors += floor_times
            print(f"{text!r:<12}{matches:>9,}{statistics.median(times):>9.2f}{p95(times):>7.2f}"
                  f"{statistics.median(floor_times):>18.2f}{p95(floor_times):>7.2f}"
                  f"{best_ms(lambda: raw_folded(text)):>15.1f}"
                  f"{best_ms(lambda: raw_naive(text)):>12.1f}")
        every.sort()
        floors.sort()
        deep = best_ms(lambda: family_page(context, FamilyQuery(), count // 2, PAGE))
        by_name = best_ms(lambda: family_page(context, FamilyQuery(sort="name"), count // 2, PAGE))
        first_by_name = best_ms(lambda: family_page(context, FamilyQuery(sort="name"), 0, PAGE))
        # The unary + keeps SQLite on the order index (as the service's page query does).
        floor = best_ms(lambda: raw.execute(f"SELECT id, reference, name FROM family WHERE +deleted = 0 "
                                            f"ORDER BY length(reference), reference LIMIT {PAGE} "
                                            f"OFFSET {count // 2}").fetchall())
        print(f"\nlazy model page fetch at row {count // 2:,}: {deep:.1f} ms by reference, "
              f"{by_name:.1f} ms by name (raw sqlite3 floor {floor:.1f} ms); first page by name "
              f"{first_by_name:.1f} ms")
        print(f"all keystrokes: median {statistics.median(every):.2f} ms, p95 {p95(every):.2f} ms "
              f"(one frame: 16.7 ms); the raw index floor: median {statistics.median(floors):.2f} ms, "
              f"p95 {p95(floors):.2f} ms")
        print(f"worst keystroke: {worst:.1f} ms (p95 of the slowest keystroke; target: one frame, 16 ms)")
        raw.close()
        context.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
