"""The whole start-up path: data folder, session, main window with its status bar, quit."""

from __future__ import annotations

import argparse
import sys

import pytest
from PySide6.QtWidgets import QApplication

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
