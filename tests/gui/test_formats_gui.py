"""Formats audit of the screens: every area (and each tab) in German and Polish shows no ISO dates
and no English money; what is shown is in the UI language's formats (one helper:
peer_support/i18n/formatting.py)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex
from PySide6.QtWidgets import QAbstractItemView, QAbstractSpinBox, QLabel, QLineEdit

from peer_support import i18n
from tests.cli.test_formats_audit import ENGLISH_MONEY, ISO_DATE, LOCAL_DATE, LOCAL_MONEY
from tests.gui.walk import every_area_state, screen_window

pytestmark = pytest.mark.gui


def visible_texts(root) -> list[str]:
    texts = [label.text() for label in root.findChildren(QLabel) if label.isVisibleTo(root)]
    texts += [edit.text() for edit in root.findChildren(QLineEdit) if edit.isVisibleTo(root)]
    texts += [spin.text() for spin in root.findChildren(QAbstractSpinBox) if spin.isVisibleTo(root)]
    for view in root.findChildren(QAbstractItemView):
        model = view.model()
        if model is None or not view.isVisibleTo(root):
            continue
        try:
            columns = model.columnCount(QModelIndex())
        except TypeError:
            columns = 1
        for row in range(min(model.rowCount(QModelIndex()), 40)):
            texts += [str(model.index(row, column).data() or "") for column in range(columns)]
    return texts


@pytest.mark.parametrize("language", ["de", "pl"])
def test_every_area_shows_dates_and_money_in_the_ui_language(qtbot, sample_context, language):
    i18n.set_language(language)
    window = screen_window(qtbot, sample_context)
    problems, everything = [], []
    for _area, page, where in every_area_state(window, language):
        for text in visible_texts(page):
            everything.append(text)
            for pattern, what in ((ISO_DATE, "ISO date"), (ENGLISH_MONEY, "English money")):
                found = pattern.search(text)
                if found:
                    problems.append(f"{where}: {what} {found.group()!r} in {text[:60]!r}")
    assert not problems, "\n".join(dict.fromkeys(problems))
    joined = "\n".join(everything).replace("\u00a0", " ").replace("\u202f", " ")
    assert LOCAL_MONEY[language].search(joined) and LOCAL_DATE[language].search(joined)
