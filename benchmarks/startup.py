"""Cold start-up: process start to a shown main window with the sample data.

The dashboard (the first page) fills its cards and charts in this time too.

Prints the median of several runs next to the floor: a bare PySide6
QMainWindow shown by the same interpreter on the same machine.

    python benchmarks/startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

BARE = """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow(); window.resize(1100, 720); window.show()
app.processEvents()
print("shown", flush=True)
"""

SPLASH = """
from peer_support import i18n
i18n.set_language("en")
from peer_support.ui.app import application, show_splash
app = application()
show_splash(app)
print("shown", flush=True)
"""

APP = """
import sys
from peer_support import i18n
i18n.set_language("en")
from peer_support.context import open_context
from peer_support.ui.app import application
from peer_support.ui.main_window import MainWindow
app = application()
context = open_context(sys.argv[1])
window = MainWindow(context); window.show()
app.processEvents()
print("shown", flush=True)
"""


def time_child(code: str, *args: str) -> float:
    """Seconds from starting the process to the window being shown (not to exit)."""
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env)
    line = child.stdout.readline()
    elapsed = time.perf_counter() - start
    child.wait()
    if "shown" not in line:
        raise SystemExit(child.stderr.read())
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    data_dir = tempfile.mkdtemp(prefix="peer-support-bench-")
    subprocess.run([sys.executable, "-m", "peer_support", "--data-dir", data_dir, "demo"], check=True,
                   capture_output=True)
    time_child(BARE), time_child(APP, data_dir)  # warm the OS file cache once
    bare = statistics.median(time_child(BARE) for _ in range(runs))
    splash = statistics.median(time_child(SPLASH) for _ in range(runs))
    app = statistics.median(time_child(APP, data_dir) for _ in range(runs))
    print(f"bare PySide6 window (floor): {bare * 1000:7.0f} ms")
    print(f"Peer Support splash screen:  {splash * 1000:7.0f} ms  ({splash / bare:.2f}x the floor)")
    print(f"Peer Support main window:    {app * 1000:7.0f} ms  ({app / bare:.2f}x the floor, "
          f"median of {runs}, sample data in {data_dir})")


if __name__ == "__main__":
    main()
