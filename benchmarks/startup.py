"""Cold start-up: process start to the main window on screen with the sample data.

Runs ``peer-support --data-dir DIR`` itself and stops at the first expose of a
window at least 800 px wide, checking the dashboard's figures are filled by
then (the charts follow once the data layer has loaded in the background).

Prints the median of several runs next to the floor: a bare PySide6
QMainWindow of the same size, timed the same way by the same interpreter.
Set QT_QPA_PLATFORM=xcb on a real X display (default: offscreen).

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

# Both children stop at the first expose of a window at least 800 px wide (so a splash does
# not count), as a check on a real X display would see it.
WATCH = """
import os, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
app = QApplication([sys.argv[0]])

class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Expose and obj.isExposed() and obj.width() >= 800:
            window = next((w for w in app.topLevelWidgets() if w.isVisible() and w.width() >= 800), None)
            page = window.current_page() if hasattr(window, "current_page") else None
            summary = getattr(page, "summary", None)
            filled = "filled" if summary is not None else ("empty" if page is not None else "bare")
            print("shown", filled, flush=True)
            os._exit(0)
        return False

watch = Watch()
app.installEventFilter(watch)
"""

BARE = WATCH + """
from PySide6.QtWidgets import QMainWindow
window = QMainWindow(); window.resize(1100, 720); window.show()
app.exec()
"""

SPLASH = """
from peer_support import i18n
i18n.set_language("en")
from peer_support.ui.app import application, show_splash
app = application()
show_splash(app)
print("shown", flush=True)
"""

# The real start-up: ``peer-support --data-dir DIR`` (argument parsing, splash, data folder,
# migrations check, first-run check, main window with the dashboard's figures).
APP = WATCH + """
from peer_support.cli import main
main(["--data-dir", sys.argv[1], "--lang", "en"])
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
    if "empty" in line:
        raise SystemExit("the main window was shown before the dashboard's figures were filled")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    data_dir = tempfile.mkdtemp(prefix="peer-support-bench-")
    subprocess.run([sys.executable, "-m", "peer_support", "--data-dir", data_dir, "demo"], check=True,
                   capture_output=True)
    time_child(BARE), time_child(APP, data_dir)  # warm the OS file cache once
    times: dict[str, list[float]] = {"bare": [], "splash": [], "app": []}
    for _ in range(runs):  # interleaved, so a busy moment on the machine hits all three alike
        times["bare"].append(time_child(BARE))
        times["splash"].append(time_child(SPLASH))
        times["app"].append(time_child(APP, data_dir))
    bare, splash, app = (statistics.median(times[key]) for key in ("bare", "splash", "app"))
    print(f"bare PySide6 window (floor): {bare * 1000:7.0f} ms")
    print(f"Peer Support splash screen:  {splash * 1000:7.0f} ms  ({splash / bare:.2f}x the floor)")
    print(f"Peer Support main window:    {app * 1000:7.0f} ms  ({app / bare:.2f}x the floor, "
          f"median of {runs}, sample data in {data_dir})")


if __name__ == "__main__":
    main()
