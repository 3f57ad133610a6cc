"""Check-in at the door: a scanned family card ticked present through the service
layer, and the reads the Meetings page makes after each tick, next to the floor
(a raw sqlite3 INSERT + COMMIT with WAL and synchronous=FULL), in the same run.

    python benchmarks/meetings_checkin.py [CHECK_INS]
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from peer_support.context import open_context  # noqa: E402
from peer_support.domain.meetings import MeetingDraft  # noqa: E402
from peer_support.sample import families  # noqa: E402
from peer_support.services.actions import actions_for_meeting  # noqa: E402
from peer_support.services.meetings import create_meeting, get_meeting, list_meetings  # noqa: E402
from peer_support.services.register import (check_in, door_matches, register_count, register_marks,  # noqa: E402
                                            register_page)


def raw_floor(folder: Path, count: int) -> float:
    db = sqlite3.connect(folder / "raw.sqlite3", isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("CREATE TABLE attendance (id INTEGER PRIMARY KEY, family TEXT, status TEXT)")
    start = time.perf_counter()
    for number in range(count):
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO attendance (family, status) VALUES (?, 'present')", (f"F{number:04d}",))
        db.execute("COMMIT")
    elapsed = time.perf_counter() - start
    db.close()
    return elapsed / count


def main(count: int = 300) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        context = open_context(folder / "data")
        families.seed(context, random.Random(1))
        reference = create_meeting(context, MeetingDraft(on=date(2030, 1, 8))).record.reference
        cards = [f"F{n:04d}" for n in random.Random(2).sample(range(1, families.FAMILY_COUNT + 1), count)]
        ticks, reads, typing, floors = [], [], [], []
        floor_db = sqlite3.connect(folder / "raw-interleaved.sqlite3", isolation_level=None)
        floor_db.execute("PRAGMA journal_mode = WAL")
        floor_db.execute("PRAGMA synchronous = FULL")
        floor_db.execute("CREATE TABLE attendance (id INTEGER PRIMARY KEY, family TEXT, status TEXT)")
        for number, card in enumerate(cards):
            began = time.perf_counter()
            check_in(context, reference, card)
            ticks.append(time.perf_counter() - began)
            if number % 25 == 24:  # the floor in blocks between check-ins: both see the same disk
                for _ in range(25):
                    began = time.perf_counter()
                    floor_db.execute("BEGIN IMMEDIATE")
                    floor_db.execute("INSERT INTO attendance (family, status) VALUES (?, 'present')", (card,))
                    floor_db.execute("COMMIT")
                    floors.append(time.perf_counter() - began)
            began = time.perf_counter()
            # What the register panel reads after a tick: the meeting, the marks, the row count
            # and the page on screen (not every family).
            get_meeting(context, reference)
            register_marks(context, reference)
            register_count(context, reference)
            register_page(context, reference, 0, 200)
            list_meetings(context, upcoming=True)
            actions_for_meeting(context, reference)
            reads.append(time.perf_counter() - began)
        for letters in ("sm", "kow", "jen", "mü", "ann", "07") * 20:
            began = time.perf_counter()
            door_matches(context, letters)
            typing.append(time.perf_counter() - began)
        context.close()
        floor_db.close()
        separate = raw_floor(folder, 1000)
        floor = statistics.median(floors)

    def at(values: list[float], share: float) -> float:
        return values[min(len(values) - 1, int(len(values) * share))]

    def line(name: str, values: list[float]) -> str:
        values = sorted(values)
        return (f"{name}: median {statistics.median(values) * 1000:.2f} ms, "
                f"p95 {at(values, 0.95) * 1000:.2f} ms, p99 {at(values, 0.99) * 1000:.2f} ms, "
                f"max {values[-1] * 1000:.2f} ms")

    ticks.sort()
    floors.sort()
    print(f"{count} check-ins by scanned card, 530 families")
    print("  " + line("check-in (find + tick present, one commit)", ticks))
    print("  " + line("page refresh after a tick (register count, marks and first page of 530, list, actions)", reads))
    print("  " + line("matches while typing a few letters", typing))
    print("  " + line("floor: raw sqlite3 INSERT+COMMIT, WAL, synchronous=FULL, in blocks between the check-ins",
                      floors))
    print(f"  (floor, {count} in a row afterwards: {separate * 1000:.2f} ms)")
    print(f"p99 / p99: {at(ticks, 0.99) / at(floors, 0.99):.1f}x ({at(ticks, 0.99) * 1000:.2f} ms / "
          f"{at(floors, 0.99) * 1000:.2f} ms); max / max: {ticks[-1] / floors[-1]:.1f}x "
          f"({ticks[-1] * 1000:.2f} ms / {floors[-1] * 1000:.2f} ms)")
    print(f"check-in / floor: {statistics.median(ticks) / floor:.1f}x")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
