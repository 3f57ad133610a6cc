"""Memory with 50,000 families and every page visited, beside a bare window's, in the same run.

    python benchmarks/memory.py [--families 50000] [--data-dir DIR]

Builds (or reuses, with --data-dir) a data folder: the sample data topped up
to ``--families`` families with the service's bulk writer. Then, each in its
own process: a bare PySide6 QMainWindow of the same size, shown (the floor);
and the app's main window, every area visited in turn (each page built and
shown), a meeting's register and the families list scrolled to their ends and a search typed. Prints the
resident memory (RSS) of each and the difference. Goal (issue 18): at most
+150 MB over the bare window.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RSS = """
def rss_mb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
"""

BARE = RSS + """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow(); window.resize(1100, 720); window.show()
for _ in range(5):
    app.processEvents()
print("RSS", rss_mb())
"""

APP = RSS + """
import sys
from peer_support import i18n
i18n.set_language("en")
from PySide6.QtWidgets import QApplication
from peer_support.context import open_context
from peer_support.ui.app import application
from peer_support.ui.main_window import MainWindow
from peer_support.ui.pages import AREAS
app = application()
context = open_context(sys.argv[1])
window = MainWindow(context); window.show()
app.processEvents()
after_start = rss_mb()
for area in AREAS:
    window.show_area(area.key)
    for _ in range(5):
        app.processEvents()
# The register of a meeting lists every family: open it and scroll to its end.
window.show_area("meetings")
meetings = window.current_page()
panel = getattr(meetings, "register_panel", None)
if panel is not None:
    meetings.meeting_tabs.setCurrentWidget(panel)
    for _ in range(5):
        app.processEvents()
    panel.table.scrollToBottom()
    for _ in range(5):
        app.processEvents()
window.show_area("families")
page = window.current_page()
view = getattr(page, "table", None) or getattr(page, "view", None)
if view is not None:
    view.scrollToBottom()
    app.processEvents()
search = getattr(page, "search_edit", None) or getattr(page, "search", None)
if search is not None and hasattr(search, "setText"):
    search.setText("sarah")
    for _ in range(5):
        app.processEvents()
window.show_area("dashboard")
for _ in range(5):
    app.processEvents()
print("START", after_start)
print("RSS", rss_mb())
"""


def build(folder: Path, total: int) -> None:
    from peer_support.context import open_context
    from peer_support.sample import load_sample_data
    from peer_support.sample.families import _family
    from peer_support.services.families_bulk import BulkFamilyWriter

    context = open_context(folder)
    try:
        load_sample_data(context)
        rng = random.Random(50_000)
        with context.db.transaction("benchmark: many families") as uow:
            writer = BulkFamilyWriter(uow)
            for _ in range(total - 530):
                writer.add(_family(rng, date(2020, 4, 1)))
            writer.finish()
    finally:
        context.close()


def run(code: str, *args: str) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=900)
    figures = {line.split()[0]: float(line.split()[1]) for line in done.stdout.splitlines()
               if line.split() and line.split()[0] in ("RSS", "START")}
    if "RSS" not in figures:
        raise SystemExit(done.stderr)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=50_000)
    parser.add_argument("--data-dir", help="a folder built by an earlier run (else a new one)")
    args = parser.parse_args()
    folder = Path(args.data_dir) if args.data_dir else Path(tempfile.mkdtemp(prefix="peer-support-memory-")) / "data"
    if not args.data_dir:
        build(folder, args.families)
    bare = run(BARE)["RSS"]
    app = run(APP, str(folder))
    print(f"bare PySide6 window (floor):                       {bare:7.0f} MB")
    print(f"main window, dashboard shown:                      {app['START']:7.0f} MB  (+{app['START'] - bare:.0f} MB)")
    print(f"every page visited, {args.families:,} families (list scrolled, search):"
          f" {app['RSS']:7.0f} MB  (+{app['RSS'] - bare:.0f} MB over the bare window; goal +150 MB)")
    print(f"(data in {folder})")


if __name__ == "__main__":
    main()
