"""Every area at 1280x720 in every language: no sideways scrolling, nothing wider or taller
than the screen, and every control has an accessible name in the UI language."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractSpinBox, QComboBox,
                               QHeaderView, QLineEdit, QPlainTextEdit, QTextEdit, QWidget)

from peer_support import i18n

from tests.gui.dialogs import dialog_factories, every_dialog, ui_dialog_classes
from tests.gui.walk import SCREEN_H, SCREEN_W, every_area_state, fit_problems, screen_window

pytestmark = pytest.mark.gui

CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView, QTextEdit, QPlainTextEdit)
NAMES_SKIPPED: set[str] = set()  # every area is checked for names too


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
    window = screen_window(qtbot, sample_context)
    problems = []
    hint = window.minimumSizeHint()
    if hint.width() > SCREEN_W or hint.height() > SCREEN_H:
        problems.append(f"window minimum {hint.width()}x{hint.height()}")
    for area, page, where in every_area_state(window, language):
        problems += fit_problems(window, page, where)
        for table in page.findChildren(QAbstractItemView):
            if table.isVisibleTo(page) and table.horizontalScrollBar().isVisible():
                problems.append(f"{where}: list {table.objectName()!r} scrolls sideways (columns hidden)")
        if area.key not in NAMES_SKIPPED:
            problems += [f"{where}: no accessible name: {control}" for control in unnamed_controls(page)]
    assert not problems, "\n".join(problems)


# A title bar takes about 40 px of a 720 px screen.
DIALOG_MAX_H = SCREEN_H - 40


def test_every_dialog_in_the_ui_has_a_fit_check(sample_context, tmp_path):
    names = {cls.__name__ for cls in ui_dialog_classes()}
    assert names == set(dialog_factories(sample_context, tmp_path)), (
        "a dialog without a fit check (add it to dialog_factories), or a factory for a dialog that is gone")


@pytest.mark.parametrize("language", ["en", "da", "de", "pl"])
def test_every_dialog_fits_a_720_px_screen(qtbot, sample_context, tmp_path, language):
    i18n.set_language(language)
    too_big = []
    for name, dialog in every_dialog(qtbot, sample_context, tmp_path, language):
        size = dialog.minimumSizeHint().expandedTo(dialog.size())
        if size.height() > DIALOG_MAX_H or size.width() > SCREEN_W:
            too_big.append(f"{language} {name} {size.width()}x{size.height()}")
    assert not too_big
