"""MoneyEdit: parses in the UI language, gives pence, says what is wrong."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from peer_support import i18n
from peer_support.errors import ValidationError
from peer_support.ui.widgets.money_edit import MoneyEdit

pytestmark = pytest.mark.gui


@pytest.mark.parametrize("language, typed, pence, shown", [
    ("en", "1,234.5", 123450, "£1,234.50"),
    ("en", "£12", 1200, "£12.00"),
    ("da", "1.234,50", 123450, "1.234,50\u00a0£"),
    ("de", "7,5", 750, "7,50\u00a0£"),
])
def test_typed_amounts_become_pence_and_are_shown_in_the_locale(qtbot, language, typed, pence, shown):
    i18n.set_language(language)
    edit = MoneyEdit()
    qtbot.addWidget(edit)
    edit.show()
    edit.setFocus()
    with qtbot.waitSignal(edit.amount_changed):
        qtbot.keyClicks(edit, typed)
    assert edit.pence() == pence
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert edit.text() == shown


def test_bad_amount_is_marked_and_explained(qtbot):
    edit = MoneyEdit()
    qtbot.addWidget(edit)
    qtbot.keyClicks(edit, "twelve")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert "not an amount" in edit.toolTip() and edit.styleSheet()
    with pytest.raises(ValidationError):
        edit.pence()
    assert edit.pence_or_none() is None
    edit.set_pence(500)
    assert edit.styleSheet() == "" and edit.pence() == 500
