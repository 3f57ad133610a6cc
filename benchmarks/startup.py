"""Cold start-up: process start to the main window on screen with the sample data.

Runs ``peer-support --data-dir DIR`` itself and stops when a window at least
800 px wide is exposed, checking the dashboard's figures are filled by then
(the charts follow once the data layer has loaded in the background).

Prints the median of several runs next to the floor: a bare PySide6
QMainWindow of the same size, timed the same way by the same interpreter. For
scale (not a floor) it also times the least window of text any dashboard needs
(TEXT_WINDOW: Qt's namespace, fonts, Babel's locale data, one SQLite count). The
last line times both again with a Python event filter on the application (the
way this benchmark first watched), which costs the app tens of ms it never
pays otherwise (see FILTER_WATCH).
Set QT_QPA_PLATFORM=xcb on a real X display (default: offscreen).

    python benchmarks/startup.py [--runs 5] [--data-dir DIR]

``--data-dir``: a folder of your own instead of a fresh copy of the sample data, e.g. the
50,000 families ``benchmarks/memory.py`` builds (its data folder is named in its output).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

def _report() -> str:
    return """
def report(window):
    page = window.current_page() if hasattr(window, "current_page") else None
    summary = getattr(page, "summary", None)
    filled = "filled" if summary is not None else ("empty" if page is not None else "bare")
    print("shown", filled, flush=True)
    os._exit(0)
"""


# Both children stop when a window at least 800 px wide is on screen (so a splash does not
# count), as a check on a real X display would see it. WATCH looks from outside the app's
# objects: a 1 ms timer asks the top-level windows whether they are exposed, so it reports at
# the first turn of the event loop after the expose (the window painted). It imports nothing of
# Qt itself, so the program loads its modules in the order a user's start-up does (PySide reads
# the source of every module imported after it, see peer_support/ui/launch.py): once the
# program has imported QtWidgets, a thread waits for its QApplication and starts the timer in
# the GUI thread.
WATCH = """
import importlib.machinery, os, sys, threading, time
""" + _report() + """
def check():
    for window in app.topLevelWidgets():
        handle = window.windowHandle()
        if window.isVisible() and window.width() >= 800 and handle is not None and handle.isExposed():
            report(window)

def arm():
    global app, starter
    from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication
    while QApplication.instance() is None:
        time.sleep(0.001)
    app = QApplication.instance()

    class Starter(QObject):  # made here, moved to the GUI thread, started there by an event
        def event(self, event):
            global timer
            if event.type() != QEvent.Type.User:  # moveToThread sends ThreadChange from here
                return super().event(event)
            timer = QTimer()
            timer.timeout.connect(check)
            timer.start(1)
            return True

    starter = Starter()
    starter.moveToThread(app.thread())
    QCoreApplication.postEvent(starter, QEvent(QEvent.Type.User))

class AfterQtWidgets:  # an import hook: arm() once the program has imported QtWidgets
    def find_spec(self, name, path=None, target=None):
        if name != "PySide6.QtWidgets":
            return None
        sys.meta_path.remove(self)
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        load = spec.loader.exec_module
        def exec_module(module):
            load(module)
            threading.Thread(target=arm, daemon=True).start()
        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, AfterQtWidgets())
"""

# The same with a Python event filter on the whole application, stopping at the Expose event
# itself (before the paint). Every event of every object then goes through Python, and PySide
# wraps Qt's internal objects (a list widget's model...) by loading every QtWidgets class and
# enum: tens of ms the app never pays without the filter. Printed for comparison.
FILTER_WATCH = """
import os, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
app = QApplication([sys.argv[0]])
""" + _report() + """
class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Expose and obj.isExposed() and obj.width() >= 800:
            report(next(w for w in app.topLevelWidgets() if w.isVisible() and w.width() >= 800))
        return False

watch = Watch()
app.installEventFilter(watch)
"""

BARE_WINDOW = """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication.instance() or QApplication([sys.argv[0]])
window = QMainWindow(); window.resize(1100, 720); window.show()
app.exec()
"""
BARE = WATCH + BARE_WINDOW

# For scale, not a floor: the least any window showing the dashboard's kind of figures does, a
# navigation list and six labels with a count read by SQLite and a date and an amount formatted
# by Babel (so Qt's Qt namespace, its fonts and text layout, Babel's locale data).
TEXT_WINDOW = WATCH + """
import datetime, sqlite3
from decimal import Decimal
from babel.dates import format_date
from babel.numbers import format_currency
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QGridLayout, QHBoxLayout, QLabel, QListWidget, QMainWindow, QWidget
app = QApplication.instance() or QApplication([sys.argv[0]])
count = sqlite3.connect(sys.argv[1] + "/peer-support.sqlite3").execute("SELECT count(*) FROM family").fetchone()[0]
window = QMainWindow(); window.resize(1100, 720)
central = QWidget(); row = QHBoxLayout(central)
navigation = QListWidget(); navigation.addItems(["Dashboard", "Families", "Meetings", "Fund", "Packs", "Newsletter"])
row.addWidget(navigation)
grid = QGridLayout(); row.addLayout(grid)
for index in range(6):
    label = QLabel(f"<b>Families</b><br>{count} · {format_date(datetime.date.today(), 'medium', locale='en_GB')}"
                   f" · {format_currency(Decimal('1234.5'), 'GBP', locale='en_GB')}")
    label.setAlignment(Qt.AlignmentFlag.AlignLeft)
    grid.addWidget(label, index // 3, index % 3)
window.setCentralWidget(central); window.show()
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

# The real start-up: ``peer-support --data-dir DIR`` (argument parsing, data folder, migrations
# check, first-run check, main window with the dashboard's figures; a splash only when slow).
PEER_SUPPORT = """
from peer_support.cli import main
main(["--data-dir", sys.argv[1], "--lang", "en"])
"""
APP = WATCH + PEER_SUPPORT


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
    parser.add_argument("--data-dir", help="an existing data folder (default: a new one with the sample data)")
    options = parser.parse_args()
    runs = options.runs
    data_dir = options.data_dir or tempfile.mkdtemp(prefix="peer-support-bench-")
    # An installed app has its bytecode compiled (pip, Briefcase); a checkout under
    # PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module on every start.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "peer_support")], check=True,
                   capture_output=True, env=dict(os.environ, PYTHONDONTWRITEBYTECODE=""))
    if not options.data_dir:
        subprocess.run([sys.executable, "-m", "peer_support", "--data-dir", data_dir, "demo"], check=True,
                       capture_output=True)
    children = {"bare": (BARE,), "app": (APP, data_dir), "splash": (SPLASH,), "text window": (TEXT_WINDOW, data_dir),
                "bare, event filter": (FILTER_WATCH + BARE_WINDOW,),
                "app, event filter": (FILTER_WATCH + PEER_SUPPORT, data_dir)}
    for child in children.values():  # warm the OS file cache once
        time_child(*child)
    times: dict[str, list[float]] = {key: [] for key in children}
    for _ in range(runs):  # interleaved, so a busy moment on the machine hits them all alike
        for key, child in children.items():
            times[key].append(time_child(*child))
    median = {key: statistics.median(values) for key, values in times.items()}
    bare, app, splash = median["bare"], median["app"], median["splash"]
    print(f"bare PySide6 window (floor): {bare * 1000:7.0f} ms")
    print(f"Peer Support splash screen:  {splash * 1000:7.0f} ms  ({splash / bare:.2f}x the floor)")
    text = median["text window"]
    print(f"for scale, a window of text: {text * 1000:7.0f} ms  ({text / bare:.2f}x the floor: Qt's namespace, "
          f"fonts, Babel's locale data, one SQLite count; see TEXT_WINDOW)")
    print(f"Peer Support main window:    {app * 1000:7.0f} ms  ({app / bare:.2f}x the floor, "
          f"median of {runs}, data in {data_dir})")
    bare_filter, app_filter = median["bare, event filter"], median["app, event filter"]
    print(f"watched by a Python event filter at the Expose event: floor {bare_filter * 1000:.0f} ms, "
          f"main window {app_filter * 1000:.0f} ms ({app_filter / bare_filter:.2f}x)")


if __name__ == "__main__":
    main()
