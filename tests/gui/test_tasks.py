"""Long work runs off the GUI thread; results and errors come back on it."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QMessageBox, QProgressBar, QPushButton, QWidget

from peer_support.errors import ValidationError
from peer_support.progress import check_cancelled
from peer_support.ui.first_run import is_first_run
from peer_support.ui.tasks import run_task

pytestmark = pytest.mark.gui


def test_result_arrives_on_the_gui_thread(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    seen = {}

    def work(progress):
        seen["worker"] = threading.current_thread()
        progress.step(1, 2, "half")
        return 42

    def done(result):
        seen["result"], seen["done_thread"] = result, threading.current_thread()

    run_task(parent, work, on_done=done)
    qtbot.waitUntil(lambda: "result" in seen)
    assert seen["result"] == 42
    assert seen["worker"] is not threading.main_thread()
    assert seen["done_thread"] is threading.main_thread()


def test_errors_are_handed_to_on_error(qtbot):
    errors = []

    def work(progress):
        raise ValidationError("bad input")

    run_task(None, work, on_done=lambda r: None, on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ValidationError)


def test_known_errors_are_shown_as_their_message(qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    run_task(None, lambda progress: (_ for _ in ()).throw(ValidationError("Postcode looks wrong.")),
             on_done=lambda r: None)
    qtbot.waitUntil(lambda: bool(shown))
    assert shown == ["Postcode looks wrong."]


def test_cancel_reaches_the_worker(qtbot):
    started, outcome = threading.Event(), []
    release = threading.Event()

    def work(progress):
        started.set()
        release.wait(5)
        check_cancelled(progress)
        return "finished"

    dialog = run_task(None, work, on_done=outcome.append, on_error=outcome.append)
    assert started.wait(5)
    cancel_button = dialog.findChild(QPushButton)
    qtbot.mouseClick(cancel_button, Qt.MouseButton.LeftButton)
    release.set()
    qtbot.waitUntil(lambda: bool(outcome))
    assert outcome[0].__class__.__name__ == "Cancelled"


def test_a_progress_step_does_not_run_the_event_loop_inside_it(qtbot):
    """A shown modal QProgressDialog.setValue processes events; a window closed in there
    left Qt inside a deleted dialog (a crash). A step only moves the bar."""
    parent = QWidget()
    qtbot.addWidget(parent)
    handed, release, outcome = [], threading.Event(), []

    def work(progress):
        handed.append(progress)
        release.wait(5)
        return "done"

    dialog = run_task(parent, work, on_done=outcome.append)
    qtbot.waitUntil(lambda: bool(handed))
    dialog.forceShow()  # as after half a second of work
    qtbot.waitExposed(dialog)
    ran_meanwhile = []
    QTimer.singleShot(0, lambda: ran_meanwhile.append(True))
    handed[0].step(3, 10, "three of ten")  # on this thread: the step is handled right here
    assert ran_meanwhile == []
    bar = dialog.findChild(QProgressBar)
    assert (bar.value(), bar.maximum()) == (3, 10)
    assert dialog.labelText() == "three of ten"
    release.set()
    qtbot.waitUntil(lambda: bool(outcome))
    assert outcome == ["done"]


def test_first_run_is_detected(context, sample_context):
    assert is_first_run(context)
    assert not is_first_run(sample_context)
