"""Safety nets for GUI tests.

A modal message box would block an offscreen test run for ever, and work left
running on the thread pool would report to widgets already destroyed. So
message boxes are recorded instead of shown (a test may patch them itself),
an unexpected-error box fails the test, a dialog nobody answers is closed
after a while and fails the test, and every test waits for its background
work before its widgets are closed. The last test's widgets are deleted
before the next test starts.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QThreadPool, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

DIALOG_WATCHDOG_MS = 15_000


@pytest.fixture(autouse=True)
def message_boxes(qtbot, monkeypatch):
    # pytest-qt closes a test's widgets with deleteLater, which waits for an event loop that
    # never comes back to the top level: delete the last test's now, or its window would still
    # answer this test's signals (over a database folder already removed).
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    shown: list[tuple[str, str]] = []

    def record(kind):
        def show(parent, title, text, *args, **kwargs):
            shown.append((kind, text))
            return QMessageBox.StandardButton.Ok
        return staticmethod(show)

    for kind in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, kind, record(kind))
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(("exec", box.text())) or 0)
    stuck: list[str] = []
    original_exec = QDialog.exec

    def exec_with_watchdog(dialog):
        """A dialog no test answers is closed after a while and fails the test, never hangs it."""
        def give_up():
            stuck.append(dialog.windowTitle() or type(dialog).__name__)
            dialog.reject()
        timer = QTimer(dialog)
        timer.setSingleShot(True)
        timer.timeout.connect(give_up)
        timer.start(DIALOG_WATCHDOG_MS)
        return original_exec(dialog)

    monkeypatch.setattr(QDialog, "exec", exec_with_watchdog)
    yield shown
    QThreadPool.globalInstance().waitForDone(30_000)
    qtbot.wait(20)  # deliver finished work to widgets that still exist
    unexpected = [text for kind, text in shown if kind == "critical" or "went wrong" in text]
    assert not unexpected, f"an unexpected-error dialog was shown: {unexpected}"
    assert not stuck, f"a modal dialog was left waiting for an answer: {stuck}"


@pytest.fixture
def answer_boxes(message_boxes, monkeypatch):
    """answer_boxes("Save"): from now on message boxes are answered by pressing the button whose
    text starts with that; returns the list of questions asked."""
    asked: list[str] = []

    def answer(button_text: str) -> list[str]:
        def exec_(box):
            asked.append(box.text())
            for button in box.buttons():
                if button.text().startswith(button_text):
                    button.click()
                    return 0
            raise AssertionError(f"no button {button_text!r} in {[b.text() for b in box.buttons()]}")

        monkeypatch.setattr(QMessageBox, "exec", exec_)
        return asked

    return answer
