"""The window opens with the dashboard's figures before the data layer (SQLAlchemy, SQLModel,
the table classes) has loaded; it then loads in the background. Timings: benchmarks/startup.py."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import os, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([sys.argv[0]])
# Not before the first paint: the data layer, the charts, and the parser of times (a start that
# sorted the backups by the time in their names only to learn whether there was one).
HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "PySide6.QtCharts", "_strptime")

class Watch(QObject):
    seen = False

    def eventFilter(self, obj, event):
        if not self.seen and event.type() == QEvent.Type.Expose and obj.isExposed() and obj.width() >= 800:
            self.seen = True
            window = next(w for w in app.topLevelWidgets() if w.isVisible() and w.width() >= 800)
            page = window.current_page()
            qt_namespace = "Qt" in vars(sys.modules["PySide6.QtCore"])  # built on first read: ui/after_paint.py
            largest_icon = max(size.width() for size in app.windowIcon().availableSizes())
            print("FIRST", sorted(m for m in HEAVY if m in sys.modules), page.summary is not None,
                  qt_namespace, largest_icon, page.cards["fund"].figure.text(), flush=True)
            QTimer.singleShot(200, self.later)
        return False

    def later(self):
        from peer_support.ui import warm_up
        if warm_up.loading():
            QTimer.singleShot(100, self.later)
            return
        from PySide6.QtCore import Qt
        window = next(w for w in app.topLevelWidgets() if w.isVisible() and w.width() >= 800)
        card = window.current_page().cards["fund"]
        print("LATER", "sqlalchemy" in sys.modules, card.focusPolicy() == Qt.FocusPolicy.StrongFocus,
              window.testAttribute(Qt.WidgetAttribute.WA_DeleteOnClose),
              max(size.width() for size in app.windowIcon().availableSizes()), flush=True)
        os._exit(0)

watch = Watch()
app.installEventFilter(watch)
from peer_support.cli import main
main(["--data-dir", sys.argv[1], "--lang", "en"])
"""


def _start(child: str, data_dir) -> subprocess.CompletedProcess:
    """``peer-support --data-dir DATA_DIR`` started by ``child`` in a fresh process, offscreen."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    return subprocess.run([sys.executable, "-c", child, str(data_dir)], capture_output=True, text=True,
                          env=env, timeout=180)


def test_first_paint_has_figures_and_no_orm_nor_qt_namespace_then_they_load(sample_dir, clock):
    from peer_support.context import open_context
    from peer_support.services.backups import back_up_now

    context = open_context(sample_dir, clock)
    back_up_now(context)  # a start looks for backups (to offer one if the data is damaged)
    context.close()
    done = _start(CHILD, sample_dir)
    lines = {line.split(" ", 1)[0]: line for line in done.stdout.splitlines()}
    assert "FIRST" in lines, done.stderr
    assert lines["FIRST"].startswith("FIRST [] True False 128 £"), lines["FIRST"]
    # once on screen, the settings the first paint left for later are made (cards take focus,
    # the icon's large sizes)
    assert lines.get("LATER") == "LATER True True True 512", done.stdout + done.stderr


ORDER_CHILD = """
import os, sys
imported = []

def audit(event, args):
    if event != "import":
        return
    if args[0] == "peer_support.storage.tables":  # the data layer: loads after the first paint
        after_qt = imported[imported.index("PySide6"):]
        late = []
        for name in after_qt:
            path = getattr(sys.modules.get(name), "__file__", None) or ""
            if name.startswith("peer_support.") and path.endswith(".py"):
                with open(path, encoding="utf-8") as source:
                    if "PySide6" not in source.read():
                        late.append(name)
        print("QT-FREE AFTER QT", sorted(late), flush=True)
        os._exit(0)
    imported.append(args[0])

sys.addaudithook(audit)
from peer_support.cli import main
main(["--data-dir", sys.argv[1], "--lang", "en"])
"""


def test_the_first_paint_imports_its_qt_free_modules_before_pyside(sample_dir):
    # PySide reads the source of every module imported after it (ui/launch.py): a Qt-free
    # module the first paint needs belongs in FIRST_PAINT_MODULES.
    done = _start(ORDER_CHILD, sample_dir)
    assert "QT-FREE AFTER QT []" in done.stdout, done.stdout + done.stderr
