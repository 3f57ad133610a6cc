"""ui/after_paint.py: what the first window leaves until it is on screen runs then, in order,
and at once when no start-up holds it."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow

from peer_support.ui import after_paint


def test_nothing_waits_unless_held():
    ran = []
    after_paint.later(lambda: ran.append("now"))
    assert ran == ["now"]


def test_held_settings_run_in_order_once_the_window_is_painted(qtbot):
    ran = []
    window = QMainWindow()
    qtbot.addWidget(window)
    after_paint.hold()
    try:
        after_paint.later(lambda: ran.append(1))
        after_paint.later(lambda: ran.append(2))
        assert ran == []
        window.show()
        after_paint.release_when_painted(window)
        qtbot.waitUntil(lambda: ran == [1, 2])
    finally:
        after_paint.release()
    after_paint.later(lambda: ran.append(3))  # released: at once again
    assert ran == [1, 2, 3]


def test_a_widget_deleted_before_the_paint_is_skipped(qtbot):
    label = QLabel()
    after_paint.hold()
    after_paint.later(lambda: label.setText("gone"))  # RuntimeError: the C++ object is deleted
    ran = []
    after_paint.later(lambda: ran.append("next"))
    label.deleteLater()
    qtbot.wait(10)
    after_paint.release()
    assert ran == ["next"]
