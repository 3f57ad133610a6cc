"""The Families page's filters: each readable in full at 1280x720 in every language, narrower with
their text elided when the row has no room, and the list of a filter wide enough for its longest
entry. Driven through the real widgets: keys choose an entry, the page's layout places them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QStyle, QStyleOptionComboBox, QWidget

from peer_support import i18n
from peer_support.ui.widgets.filter_combo import SHORTEST_LETTERS, FilterCombo

from tests.gui.walk import screen_window

pytestmark = pytest.mark.gui

LONG_SCHOOL = "Royal Harbour Academy and Sixth Form College"


def _text_room(combo: QComboBox) -> int:
    """The width the combo draws its chosen entry in (without the frame and the arrow)."""
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    return combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                        QStyle.SubControl.SC_ComboBoxEditField, combo).width()


def _fits(combo: QComboBox) -> bool:
    return _text_room(combo) >= combo.fontMetrics().horizontalAdvance(combo.currentText())


@pytest.mark.parametrize("language", ["en", "da", "de", "pl"])
def test_every_filter_reads_in_full_at_1280(qtbot, sample_context, language):
    i18n.set_language(language)
    window = screen_window(qtbot, sample_context)
    window.show_area("families")
    page = window.current_page()
    qtbot.waitUntil(lambda: page.area_filter.width() > 0)
    filters = [page.area_filter, page.school_filter, page.language_filter, page.needs_filter,
               page.archived_filter]
    cut = [combo.currentText() for combo in filters if not _fits(combo)]
    assert not cut, f"{language}: elided at 1280x720: {cut}"
    assert page.search.width() >= page.search.minimumWidth()


def _row(qtbot, width: int) -> tuple[QWidget, FilterCombo, QWidget]:
    row = QWidget()
    qtbot.addWidget(row)
    layout = QHBoxLayout(row)
    stretchy = QWidget()
    stretchy.setMinimumWidth(100)
    layout.addWidget(stretchy, 1)
    combo = FilterCombo()
    combo.addItems(["All schools", "Ocean View", LONG_SCHOOL])
    layout.addWidget(combo)
    row.resize(width, 40)
    row.show()
    qtbot.waitExposed(row)
    return row, combo, stretchy


def test_a_filter_takes_room_for_the_entry_chosen_and_gives_it_back(qtbot):
    row, combo, stretchy = _row(qtbot, 900)
    assert _fits(combo)
    narrow = combo.width()
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_End)  # the long school's name, chosen from the keyboard
    assert combo.currentText() == LONG_SCHOOL
    qtbot.waitUntil(lambda: _fits(combo))
    assert combo.width() > narrow and stretchy.width() >= 100
    qtbot.keyClick(combo, Qt.Key.Key_Home)  # back to "All schools": the room goes back
    qtbot.waitUntil(lambda: combo.width() == narrow)


def test_with_no_room_a_filter_shrinks_to_its_shortest_and_elides(qtbot):
    row, combo, _stretchy = _row(qtbot, 900)
    combo.setCurrentIndex(2)
    row.resize(60, 40)  # narrower than the row can be: each part at its least
    qtbot.waitUntil(lambda: not _fits(combo))
    assert combo.width() == combo.minimumSizeHint().width()
    assert _text_room(combo) >= SHORTEST_LETTERS * combo.fontMetrics().horizontalAdvance("x")


def test_the_list_opens_wide_enough_for_the_longest_entry(qtbot):
    _row_widget, combo, _stretchy = _row(qtbot, 400)
    combo.showPopup()
    try:
        qtbot.waitUntil(lambda: combo.view().isVisible())
        assert combo.view().width() >= combo.fontMetrics().horizontalAdvance(LONG_SCHOOL)
    finally:
        combo.hidePopup()
