"""The whole start-up path: data folder, session, main window with its status bar, quit; the splash
screen when opening the data is slow or asks something."""

from __future__ import annotations

import argparse
import sys

import pytest
from PySide6.QtWidgets import QApplication

from peer_support.ui import after_paint
from peer_support.ui import app as app_module
from peer_support.ui.main_window import MainWindow
from peer_support.ui.trust import dialogs

pytestmark = pytest.mark.gui


def test_the_app_starts_on_the_dashboard_and_quits(qtbot, monkeypatch, sample_dir):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_gui installs its own
    monkeypatch.setattr(dialogs.UserPickerDialog, "exec", lambda self: 1)
    seen = {}

    def event_loop(*_args):
        qtbot.wait(300)
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        seen["page"] = window.current_page().__class__.__name__
        seen["title"] = window.windowTitle()
        seen["status"] = [child.__class__.__name__ for child in window.statusBar().children()]
        window.close()
        return 0

    monkeypatch.setattr(QApplication, "exec", event_loop)
    args = argparse.Namespace(data_dir=str(sample_dir), lang=None, command=None)
    assert app_module.run_gui(args) == 0
    assert seen["page"].startswith("Dashboard")
    assert "SyncStatusButton" in seen["status"]
    assert (sample_dir / "backups").is_dir()  # the start-up backup ran


def _start_and_close(monkeypatch, qtbot, data_dir) -> dict:
    """run_gui on ``data_dir``; what was on screen when the event loop started."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(dialogs.UserPickerDialog, "exec", lambda self: 1)
    seen: dict = {"splashes": []}
    show_splash = app_module.show_splash

    def spy(app):
        splash = show_splash(app)
        seen["splashes"].append(splash)
        return splash

    def event_loop(*_args):
        qtbot.wait(100)
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        seen["splash visible"] = [splash.isVisible() for splash in seen["splashes"]]
        seen["figures"] = window.current_page().summary is not None
        window.close()
        return 0

    monkeypatch.setattr(app_module, "show_splash", spy)
    monkeypatch.setattr(QApplication, "exec", event_loop)
    seen["code"] = app_module.run_gui(argparse.Namespace(data_dir=str(data_dir), lang=None, command=None))
    return seen


def test_a_slow_open_shows_the_splash_until_the_window_is_up(qtbot, monkeypatch, sample_dir):
    import time

    from peer_support import context as context_module

    real_open = context_module.open_context

    def slow_open(*args, **kwargs):  # a slow disk, a big database or an upgrade
        time.sleep(app_module.SPLASH_AFTER_SECONDS + 0.5)
        return real_open(*args, **kwargs)

    monkeypatch.setattr(context_module, "open_context", slow_open)
    seen = _start_and_close(monkeypatch, qtbot, sample_dir)
    assert seen["code"] == 0 and seen["figures"]
    assert len(seen["splashes"]) == 1 and seen["splash visible"] == [False]  # shown, then closed


def test_encrypted_data_asks_for_the_passphrase_above_the_splash(qtbot, monkeypatch, sample_dir):
    from peer_support import context as context_module
    from peer_support.storage.encryption import PassphraseError
    from peer_support.ui.trust import session

    asked = {}

    def locked(*_args, **_kwargs):
        raise PassphraseError("The data is encrypted: a passphrase is needed.")

    def recovery(data_dir, parent=None):
        asked["parent"] = parent
        return None  # the person cancelled

    monkeypatch.setattr(context_module, "open_context", locked)
    monkeypatch.setattr(session, "open_with_recovery", recovery)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    code = app_module.run_gui(argparse.Namespace(data_dir=str(sample_dir), lang=None, command=None))
    assert code == 6
    assert asked["parent"] is not None and not asked["parent"].isVisible()  # the splash, closed again
    ran = []
    after_paint.later(lambda: ran.append("at once"))  # nothing is left waiting for a window that never came
    assert ran == ["at once"]


def test_the_window_icon_comes_from_the_bitmaps_without_qt_svg():
    """Every size made by packaging/make_icons.py, and no SVG engine loaded to show a window."""
    import os
    import subprocess
    from pathlib import Path

    code = ("import sys\nfrom PySide6.QtWidgets import QApplication, QMainWindow\n"
            "from peer_support.ui.app import application\napp = application()\n"
            "w = QMainWindow(); w.resize(900, 600); w.show(); app.processEvents()\n"
            "sizes = sorted(s.width() for s in app.windowIcon().availableSizes())\n"
            "svg = any('Svg' in line for line in open('/proc/self/maps')) if sys.platform == 'linux' else False\n"
            "print('ICON', sizes, svg)")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(root), "QT_QPA_PLATFORM": "offscreen"})
    line = next(line for line in done.stdout.splitlines() if line.startswith("ICON"))
    assert line == f"ICON {list(app_module.ICON_SIZES)} False", line + done.stderr
