"""Safety nets for GUI tests.

A modal message box would block an offscreen test run for ever, and work left
running on the thread pool would report to widgets already destroyed. So
message boxes are recorded instead of shown (a test may patch them itself),
an unexpected-error box fails the test, and every test waits for its
background work before its widgets are closed.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QMessageBox


@pytest.fixture(autouse=True)
def message_boxes(qtbot, monkeypatch):
    shown: list[tuple[str, str]] = []

    def record(kind):
        def show(parent, title, text, *args, **kwargs):
            shown.append((kind, text))
            return QMessageBox.StandardButton.Ok
        return staticmethod(show)

    for kind in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, kind, record(kind))
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(("exec", box.text())) or 0)
    yield shown
    QThreadPool.globalInstance().waitForDone(30_000)
    qtbot.wait(20)  # deliver finished work to widgets that still exist
    unexpected = [text for kind, text in shown if kind == "critical" or "went wrong" in text]
    assert not unexpected, f"an unexpected-error dialog was shown: {unexpected}"
