"""Scan to painted feedback in the Packs page's scan mode, beside a floor in the same run.

    python benchmarks/scan_feedback.py [--scans 100]

In the real main window (sample data, Packs page, scan mode, a volunteer
chosen), types each outstanding pack's code into the code field and presses
Enter, and times from the Enter key to the end of the first paint of the
feedback label that follows (the scan recorded and committed, the feedback text
set, the label's paintEvent finished: the filter runs it and then stops the
clock). Floor: the same keys into a bare QLineEdit whose Enter sets a QLabel's
text and repaints it (as scan mode does), timed to the end of that label's paint. Goal (issue 18): at most 50 ms at p99.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scans", type=int, default=100)
    scans = parser.parse_args().scans

    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

    from peer_support import i18n
    from peer_support.context import open_context
    from peer_support.domain.packs import format_code
    from peer_support.sample import load_sample_data
    from peer_support.services import packs
    from peer_support.ui.app import application
    from peer_support.ui.main_window import MainWindow

    i18n.set_language("en")
    app = application()
    context = open_context(Path(tempfile.mkdtemp(prefix="peer-support-scan-")) / "data")
    load_sample_data(context)

    class PaintClock(QObject):
        at: float | None = None

        def eventFilter(self, obj, event):  # noqa: N802 - Qt API
            if event.type() == QEvent.Type.Paint and self.at is None:
                # Paint the label here (its own paintEvent, inside the paint Qt is running) and
                # stop the clock after it, not when the paint event arrives.
                obj.event(event)
                self.at = time.perf_counter()
                return True
            return False

    def time_enter(edit: QLineEdit, label: QLabel, text: str, clock: PaintClock) -> float:
        edit.setFocus()
        QTest.keyClicks(edit, text)
        app.processEvents()
        clock.at = None
        started = time.perf_counter()
        QTest.keyClick(edit, Qt.Key.Key_Return)
        deadline = started + 5
        while clock.at is None and time.perf_counter() < deadline:
            app.processEvents()
        return (clock.at or deadline) - started

    # The floor: a bare line edit and label.
    bare = QWidget()
    edit, label = QLineEdit(), QLabel("ready")
    QVBoxLayout(bare).addWidget(edit)
    bare.layout().addWidget(label)
    # Painted at once, as scan mode paints its feedback (repaint, not a deferred update).
    edit.returnPressed.connect(lambda: (label.setText(f"got {edit.text()}"), label.repaint(), edit.clear()))
    bare.resize(1100, 720)
    bare.show()
    bare_clock = PaintClock()
    label.installEventFilter(bare_clock)

    window = MainWindow(context)
    window.show()
    window.show_area("packs")
    page = window.current_page()
    page.show_scan_mode()
    view = page.scan_view
    view.volunteer_combo.setCurrentIndex(1)
    view.sound_box.setChecked(False)
    app.processEvents()
    batch = page._batches[-1] if getattr(page, "_batches", None) else packs.list_batches(context)[-1]
    codes = [format_code(p.code) for p in packs.list_packs(context, batch.reference, outstanding_only=True)]
    codes = codes[:scans]
    clock = PaintClock()
    view.feedback.installEventFilter(clock)

    app_times, floor_times = [], []
    for code in codes:  # interleaved, so a busy moment on the machine hits both alike
        floor_times.append(time_enter(edit, label, code, bare_clock))
        app_times.append(time_enter(view.code_edit, view.feedback, code, clock))
        assert view.state == "ok", view.feedback.text()

    def line(name: str, values: list[float]) -> str:
        values = sorted(values)
        return (f"{name}: median {statistics.median(values) * 1000:6.1f} ms, p95 "
                f"{values[int(len(values) * 0.95)] * 1000:6.1f} ms, p99 {values[int(len(values) * 0.99)] * 1000:6.1f} ms, "
                f"max {values[-1] * 1000:6.1f} ms")

    print(f"{len(codes)} scans in scan mode, sample data (530 families), Enter to painted feedback")
    print("  " + line("floor: QLineEdit Enter -> QLabel painted", floor_times))
    print("  " + line("scan recorded and feedback painted      ", app_times))
    app_times.sort()
    floor_times.sort()
    p99, floor_p99 = app_times[int(len(app_times) * 0.99)], floor_times[int(len(floor_times) * 0.99)]
    print(f"scan to painted feedback p99: {p99 * 1000:.1f} ms (floor p99 {floor_p99 * 1000:.1f} ms; goal: 50 ms)")
    window.close()
    context.close()


if __name__ == "__main__":
    main()
