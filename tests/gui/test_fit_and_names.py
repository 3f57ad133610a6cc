"""Every area at 1280x720 in every language: no sideways scrolling, nothing wider or taller
than the screen, and every control has an accessible name in the UI language."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QApplication, QComboBox,
                               QHeaderView, QLineEdit, QPlainTextEdit, QTabWidget, QTextEdit, QWidget)

from peer_support import i18n
from peer_support.ui.main_window import MainWindow
from peer_support.ui.pages import AREAS

pytestmark = pytest.mark.gui

SCREEN_W, SCREEN_H = 1280, 720
CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QTextEdit, QPlainTextEdit)
NAMES_SKIPPED: set[str] = set()  # every area is checked for names too


def _states(page: QWidget):
    """The page as first shown, then with each tab of each visible tab widget chosen."""
    yield ""
    for tabs in page.findChildren(QTabWidget):
        if not tabs.isVisibleTo(page):
            continue
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            yield tabs.tabText(index)
        tabs.setCurrentIndex(0)


def unnamed_controls(page: QWidget) -> list[str]:
    found = []
    for control in page.findChildren(QWidget):
        if not isinstance(control, CONTROLS) or not control.isVisibleTo(page):
            continue
        if control.objectName().startswith("qt_") or isinstance(control, QHeaderView):
            continue  # Qt's own parts: a spin box's line edit, a table's header
        interface = QAccessible.queryAccessibleInterface(control)
        name = interface.text(QAccessible.Text.Name) if interface is not None else ""
        if not name.strip():
            found.append(f"{type(control).__name__} {control.objectName()!r}")
    return found


@pytest.mark.parametrize("language", ["en", "da", "de", "pl"])
def test_every_area_fits_1280x720_and_names_its_controls(qtbot, sample_context, language):
    i18n.set_language(language)
    window = MainWindow(sample_context)
    qtbot.addWidget(window)
    window.resize(SCREEN_W, SCREEN_H)
    window.show()
    qtbot.waitExposed(window)
    problems = []
    hint = window.minimumSizeHint()
    if hint.width() > SCREEN_W or hint.height() > SCREEN_H:
        problems.append(f"window minimum {hint.width()}x{hint.height()}")
    for area in AREAS:
        window.show_area(area.key)
        page, holder = window.current_page(), window.stack.currentWidget()
        for state in _states(page):
            QApplication.processEvents()
            where = f"{language} {area.key} {state}".strip()
            if holder.horizontalScrollBar().isVisible():
                problems.append(f"{where}: sideways scroll bar")
            minimum = page.minimumSizeHint()
            if minimum.width() > holder.viewport().width():
                problems.append(f"{where}: minimum width {minimum.width()} > {holder.viewport().width()}")
            for table in page.findChildren(QAbstractItemView):
                if table.isVisibleTo(page) and table.horizontalScrollBar().isVisible():
                    problems.append(f"{where}: list {table.objectName()!r} scrolls sideways (columns hidden)")
            if area.key not in NAMES_SKIPPED:
                problems += [f"{where}: no accessible name: {control}" for control in unnamed_controls(page)]
    assert not problems, "\n".join(problems)


# A title bar takes about 40 px of a 720 px screen.
DIALOG_MAX_H = SCREEN_H - 40


@pytest.mark.parametrize("language", ["en", "da", "de", "pl"])
def test_dialogs_fit_a_720_px_screen_even_showing_an_error(qtbot, sample_context, language):
    from PySide6.QtGui import QUndoStack

    from peer_support.services.families import get_family
    from peer_support.ui.dashboard.report_dialog import PeriodReportDialog
    from peer_support.ui.families.form import FamilyDialog
    from peer_support.ui.families.volunteers import VolunteerDialog
    from peer_support.ui.fund.pot_dialog import PotDialog
    from peer_support.ui.meetings.schedule_dialog import ScheduleDialog
    from peer_support.ui.packs.batch_dialog import BatchDialog

    i18n.set_language(language)
    family = FamilyDialog(sample_context, get_family(sample_context, "F0001"))
    family.email.setText("not an email")
    family._on_save_clicked()
    assert family.error_label.isVisibleTo(family)
    dialogs = [family, VolunteerDialog(sample_context), PotDialog(sample_context, QUndoStack()),
               ScheduleDialog(sample_context, QUndoStack()), BatchDialog(sample_context), PeriodReportDialog(sample_context)]
    too_big = []
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        QApplication.processEvents()
        size = dialog.minimumSizeHint().expandedTo(dialog.size())
        if size.height() > DIALOG_MAX_H or size.width() > SCREEN_W:
            too_big.append(f"{type(dialog).__name__} {size.width()}x{size.height()}")
    assert not too_big
