"""Fund actions and the funder report, beside a floor measured in the same run.

    python benchmarks/fund_actions.py [--applications 1000]

Times, on a fresh data folder: recording an application, approving it and
recording a payment (each one user action: one IMMEDIATE transaction with its
checks and change-log rows, synchronous=FULL); the floor is a raw sqlite3
INSERT+COMMIT on the same disk with the same PRAGMAs. Then, with
``--applications`` in the pot: loading the application list, the pot figures,
and building + writing the funder report as XLSX and PDF.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from peer_support.clock import FixedClock  # noqa: E402
from peer_support.context import open_context  # noqa: E402
from peer_support.domain.families import FamilyDraft  # noqa: E402
from peer_support.domain.fund import (ApplicationDraft, ApprovalDraft, Channel, Need, PaymentDraft,  # noqa: E402
                                      PaymentMethod, PotDraft)
from peer_support.services import fund  # noqa: E402
from peer_support.services.families import create_family  # noqa: E402
from peer_support.services.fund_queries import list_applications, list_pots  # noqa: E402
from peer_support.services.fund_report import export_fund_report  # noqa: E402

START = date(2026, 1, 5)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.2f} ms"


def floor_insert_commit(folder: Path, repeats: int = 50) -> float:
    db = sqlite3.connect(folder / "floor.sqlite3", isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("CREATE TABLE t (id TEXT PRIMARY KEY, amount INTEGER)")
    times = []
    for number in range(repeats):
        began = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO t VALUES (?, ?)", (str(number), number))
        db.execute("COMMIT")
        times.append(time.perf_counter() - began)
    db.close()
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=1000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="fund-bench-"))
    context = open_context(folder / "data", FixedClock(datetime(2026, 11, 25, 10, tzinfo=timezone.utc)))
    families = [create_family(context, FamilyDraft(name=f"Family {n}", area=f"Area {n % 8}")).reference
                for n in range(50)]
    fund.create_pot(context, PotDraft(name="Bench", budget_pence=10**9, opens_on=START))
    timings: dict[str, list[float]] = {"record application": [], "approve": [], "record payment": []}
    for number in range(args.applications):
        day = START + timedelta(days=number % 300)
        began = time.perf_counter()
        record = fund.create_application(context, ApplicationDraft(
            "Bench", families[number % 50], day, Channel.PHONE, list(Need)[number % 5], 100_00 + number)).record
        timings["record application"].append(time.perf_counter() - began)
        if number % 4 == 0:
            continue
        began = time.perf_counter()
        fund.approve_application(context, record.reference, ApprovalDraft(100_00, "Lead", day))
        timings["approve"].append(time.perf_counter() - began)
        began = time.perf_counter()
        fund.record_payment(context, record.reference, PaymentDraft(day, 100_00, PaymentMethod.VOUCHER))
        timings["record payment"].append(time.perf_counter() - began)
    floor = floor_insert_commit(folder)
    print(f"floor: raw sqlite3 INSERT+COMMIT (WAL, synchronous=FULL) {ms(floor)} median")
    for name, values in timings.items():
        print(f"{name:<20} {ms(statistics.median(values))} median  {ms(max(values))} worst "
              f"({statistics.median(values) / floor:5.1f}x floor)")
    for name, action in (
            ("list applications", lambda: list_applications(context, pot="Bench")),
            ("queue (received)", lambda: list_applications(context, pot="Bench", statuses=["received"])),
            ("pot figures", lambda: list_pots(context)),
            ("report xlsx", lambda: export_fund_report(context, START, date(2026, 12, 31), folder / "r.xlsx")),
            ("report pdf", lambda: export_fund_report(context, START, date(2026, 12, 31), folder / "r.pdf"))):
        began = time.perf_counter()
        action()
        print(f"{name:<20} {ms(time.perf_counter() - began)} with {args.applications} applications")
    context.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
