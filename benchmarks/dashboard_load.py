"""How long the dashboard (the first page at start-up) takes to build.

Prints, for the sample data and optionally with 50,000 families, the median
time to build the page (its cards, with their queries), to draw its charts
and to show it, next to the floor measured in the same run: building and
showing an empty QWidget page with one label.

    python benchmarks/dashboard_load.py [--runs 5] [--big] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

BIG_FAMILIES = 50_000


def _sample_folder(folder: str | None) -> Path:
    from peer_support.context import open_context
    from peer_support.sample import load_sample_data

    path = Path(folder or tempfile.mkdtemp(prefix="peer-support-dashboard-"))
    context = open_context(path)
    try:
        load_sample_data(context)
    finally:
        context.close()
    return path


def _add_families(path: Path, total: int) -> None:
    """Top the sample up to ``total`` families in one transaction, a tenth of them at one old meeting."""
    import random

    from sqlmodel import func, select

    from peer_support.context import open_context
    from peer_support.domain.families import FamilyDraft
    from peer_support.services.families import FamilyWriter
    from peer_support.storage.tables.families import Family
    from peer_support.storage.tables.meetings import Attendance, Meeting

    context = open_context(path)
    rng = random.Random(7)
    try:
        with context.db.transaction("Benchmark: many families") as uow:
            session = uow.session
            have = session.exec(select(func.count()).select_from(Family)).one()
            meeting = session.exec(select(Meeting).where(Meeting.status == "held")
                                   .order_by(Meeting.starts_at)).first()
            writer = FamilyWriter(session)
            for number in range(have, total):
                family = writer.add(FamilyDraft(name=f"Family {number}", postcode="CT9 1AB",
                                                consent_date=None if rng.random() < 0.1 else meeting.starts_at.date()),
                                    validated=True)
                if meeting is not None and rng.random() < 0.1:
                    session.add(Attendance(meeting_id=meeting.id, family_id=family.id, status="present",
                                           marked_at=uow.now))
    finally:
        context.close()


def _measure(path: Path, runs: int) -> dict[str, float]:
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

    from peer_support.context import open_context
    from peer_support.services.dashboard import dashboard_summary
    from peer_support.services.dashboard_charts import chart_data
    from peer_support.ui.dashboard import create_page

    app = QApplication.instance() or QApplication([])
    context = open_context(path)
    times: dict[str, list[float]] = {k: [] for k in ("floor", "summary", "chart data", "page", "cards", "charts",
                                                      "show")}
    try:
        for _run in range(runs + 1):  # the first run warms imports and caches; not counted
            start = time.perf_counter()
            empty = QWidget()
            QVBoxLayout(empty).addWidget(QLabel("Nothing here"))
            empty.resize(1100, 800)
            empty.show()
            app.processEvents()
            floor = time.perf_counter() - start
            empty.close()

            start = time.perf_counter()
            dashboard_summary(context)
            summary = time.perf_counter() - start
            start = time.perf_counter()
            chart_data(context)
            data = time.perf_counter() - start

            start = time.perf_counter()
            page = create_page(context, QUndoStack())
            built = time.perf_counter() - start
            start = time.perf_counter()
            page.refresh()
            filled = time.perf_counter() - start
            start = time.perf_counter()
            page.build_charts()
            charts = time.perf_counter() - start
            start = time.perf_counter()
            page.resize(1100, 800)
            page.show()
            app.processEvents()
            shown = time.perf_counter() - start
            page.close()
            page.deleteLater()
            app.processEvents()
            if _run:
                for key, value in (("floor", floor), ("summary", summary), ("chart data", data), ("page", built),
                                   ("cards", filled), ("charts", charts), ("show", shown)):
                    times[key].append(value)
    finally:
        context.close()
    return {key: statistics.median(values) for key, values in times.items()}


def _report(label: str, figures: dict[str, float]) -> None:
    floor = figures["floor"]
    print(f"{label}")
    print(f"  empty QWidget page, built and shown (floor): {floor * 1000:7.1f} ms")
    print(f"  dashboard page built, cards filled (plain SQL): {figures['page'] * 1000:7.1f} ms"
          f"  ({figures['page'] / floor:.1f}x the floor)")
    print(f"  cards filled again (a refresh):                 {figures['cards'] * 1000:7.1f} ms"
          f"  (dashboard_summary alone {figures['summary'] * 1000:.1f} ms)")
    print(f"  charts drawn after the first show:              {figures['charts'] * 1000:7.1f} ms"
          f"  (chart_data alone {figures['chart data'] * 1000:.1f} ms)")
    print(f"  page shown and laid out:                        {figures['show'] * 1000:7.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--big", action="store_true", help=f"also measure with {BIG_FAMILIES:,} families")
    parser.add_argument("--data-dir", help="a folder with the sample data already loaded (else a new one)")
    args = parser.parse_args()
    path = _sample_folder(args.data_dir)
    _report(f"Sample data ({path}), median of {args.runs}:", _measure(path, args.runs))
    if args.big:
        big = _sample_folder(None)
        start = time.perf_counter()
        _add_families(big, BIG_FAMILIES)
        print(f"(built {BIG_FAMILIES:,} families in {time.perf_counter() - start:.0f} s)")
        _report(f"{BIG_FAMILIES:,} families ({big}), median of {args.runs}:", _measure(big, args.runs))


if __name__ == "__main__":
    main()
