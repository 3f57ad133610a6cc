"""Retention in the GUI: the dashboard card appears only when families are due and opens the
Data and privacy page, where a lead keeps one (with a reason) and anonymises the rest in one step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialog, QPushButton, QSpinBox, QTableWidget

from peer_support.domain.families import FamilyDraft
from peer_support.services.families import create_family, get_family
from peer_support.services.retention import due_families, retention_years
from peer_support.ui import dashboard, trust
from peer_support.ui.signals import signals
from peer_support.ui.trust import retention as retention_ui

pytestmark = pytest.mark.gui


def test_the_dashboard_card_shows_only_when_families_are_due(qtbot, context):
    quiet = create_family(context, FamilyDraft(name="Quiet Family"))
    page = dashboard.create_page(context, QUndoStack())
    qtbot.addWidget(page)
    page.show()
    page.refresh_cards()
    assert not page.retention_card.isVisible()  # off by default
    from peer_support.services.retention import set_retention_years

    set_retention_years(context, 2)
    context.clock.advance(days=3 * 365)
    page.refresh_cards()
    assert page.retention_card.isVisible() and page.retention_card.figure.text() == "1"
    with qtbot.waitSignal(signals.navigate_requested) as blocker:
        qtbot.mouseClick(page.retention_card, Qt.MouseButton.LeftButton)
    assert blocker.args == ["trust", "retention"]
    assert quiet.reference


def test_keep_one_with_a_reason_and_anonymise_the_rest(qtbot, context, monkeypatch):
    kept = create_family(context, FamilyDraft(name="Kept Family"))
    gone = create_family(context, FamilyDraft(name="Gone Family", phone="07700 900555"))
    stack = QUndoStack()
    page = trust.create_page(context, stack)
    qtbot.addWidget(page)
    page.show()
    box = page.retention_box
    box.findChild(QSpinBox, "retention_years").setValue(2)
    qtbot.mouseClick(box.findChild(QPushButton, "retention_save"), Qt.MouseButton.LeftButton)
    assert retention_years(context) == 2
    context.clock.advance(days=3 * 365)
    page.show_item("retention")
    table = box.findChild(QTableWidget, "retention_due")
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == [kept.reference, gone.reference]

    table.selectRow(0)
    monkeypatch.setattr(retention_ui.QInputDialog, "getText",
                        staticmethod(lambda *args, **kwargs: ("Court case still open", True)))
    qtbot.mouseClick(box.findChild(QPushButton, "retention_keep"), Qt.MouseButton.LeftButton)
    assert [c.reference for c in due_families(context)] == [gone.reference]
    assert table.rowCount() == 1
    assert box.status.text() == "Families with no contact for 2 years or more: 1"
    # Period and keep went through the one path of a change: two undoable steps.
    assert stack.count() == 2 and stack.undoText() == f"Keep family {kept.reference} past the retention period"

    shown = {}

    def confirm(dialog):
        shown["text"] = dialog.findChild(retention_ui.QListWidget, "retention_confirm_list").item(0).text()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(retention_ui.RetentionConfirmDialog, "exec", confirm)
    qtbot.mouseClick(box.findChild(QPushButton, "retention_apply"), Qt.MouseButton.LeftButton)
    assert gone.reference in shown["text"]
    qtbot.waitUntil(lambda: get_family(context, gone.reference).name == "", timeout=20_000)
    assert get_family(context, kept.reference).name == "Kept Family"
    qtbot.waitUntil(lambda: box.table.rowCount() == 0, timeout=10_000)
    page.grab().save(str(context.data_dir / "trust-retention.png"))
