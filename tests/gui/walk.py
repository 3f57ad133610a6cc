"""Walking the main window for the GUI audits (fit at 1280x720, dates and money, contrast): each
area in turn, and on it each tab of each visible tab widget. Not a test module: imported by them."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QTabWidget, QWidget

from peer_support.ui.pages import AREAS

SCREEN_W, SCREEN_H = 1280, 720


def screen_window(qtbot, context):
    """The main window on a 1280x720 screen, shown and exposed (in the language already set)."""
    from peer_support.ui.main_window import MainWindow

    window = MainWindow(context)
    qtbot.addWidget(window)
    window.resize(SCREEN_W, SCREEN_H)
    window.show()
    qtbot.waitExposed(window)
    return window


def page_states(page: QWidget):
    """The page as first shown, then with each tab of each visible tab widget chosen."""
    yield ""
    for tabs in page.findChildren(QTabWidget):
        if not tabs.isVisibleTo(page):
            continue
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            yield tabs.tabText(index)
        tabs.setCurrentIndex(0)


def every_area_state(window, label: str = ""):
    """Show every area, then each of its states, events processed; yields (area, page, where)."""
    for area in AREAS:
        window.show_area(area.key)
        page = window.current_page()
        for state in page_states(page):
            QApplication.processEvents()
            yield area, page, f"{label} {area.key} {state}".strip()


def fit_problems(window, page: QWidget, where: str) -> list[str]:
    """What makes the page on screen not fit its place: a sideways scroll bar, a minimum width over
    the room the window gives it."""
    holder = window.stack.currentWidget()
    found = []
    if holder.horizontalScrollBar().isVisible():
        found.append(f"{where}: sideways scroll bar")
    minimum = page.minimumSizeHint()
    if minimum.width() > holder.viewport().width():
        found.append(f"{where}: minimum width {minimum.width()} > {holder.viewport().width()}")
    return found
