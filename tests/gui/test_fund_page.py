"""The Fund page and its dialogs, driven like a user would (offscreen)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton

from peer_support import i18n
from peer_support.clock import local_today
from peer_support.domain.families import FamilyDraft
from peer_support.domain.fund import ApplicationDraft, ApprovalDraft, Channel, Need, PotDraft, Status
from peer_support.services import fund
from peer_support.services.families import create_family
from peer_support.services.fund_queries import get_application, get_pot
from peer_support.ui.fund.application_dialog import ApplicationDialog
from peer_support.ui.fund.decision_dialog import DecisionDialog
from peer_support.ui.fund.page import FundPage
from peer_support.ui.fund.payment_dialog import PaymentDialog
from peer_support.ui.signals import signals

pytestmark = pytest.mark.gui


@pytest.fixture
def fund_data(context):
    fund.create_pot(context, PotDraft(name="Winter", funder="Lions", budget_pence=1234_50,
                                      opens_on=date(2026, 10, 1)))
    families = [create_family(context, FamilyDraft(name=n, area=a))
                for n, a in (("Ann Smith", "Old Town"), ("Piotr Nowak", "Marina"))]
    refs = []
    for family, received, need in ((families[0], date(2026, 11, 20), Need.DEVICE),
                                   (families[1], date(2026, 11, 2), Need.MOBILE_DATA),
                                   (families[0], date(2026, 11, 10), Need.BROADBAND)):
        refs.append(fund.create_application(context, ApplicationDraft(
            "Winter", family.reference, received, Channel.PHONE, need, 1000_00)).record.reference)
    fund.approve_application(context, refs[2], ApprovalDraft(300_00, "Claire", date(2026, 11, 11)))
    return refs


@pytest.fixture
def warnings(monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    return shown


def _page(qtbot, context):
    page = FundPage(context, QUndoStack())
    qtbot.addWidget(page)
    page.show()
    return page


def test_overview_figures_in_english_and_german(qtbot, context, fund_data):
    page = _page(qtbot, context)
    assert page.findChild(QLabel, "figure_budget").text() == "£1,234.50"
    assert page.findChild(QLabel, "figure_remaining").text() == "£934.50"
    i18n.set_language("de")
    german = _page(qtbot, context)
    assert german.findChild(QLabel, "figure_budget").text() == "1.234,50\u00a0£"


def test_list_is_oldest_first_and_the_queue_filter_hides_decided(qtbot, context, fund_data):
    page = _page(qtbot, context)
    shown = [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())]
    assert shown == [fund_data[1], fund_data[2], fund_data[0]]
    page.status_filter.setCurrentIndex(page.status_filter.findData("queue"))
    page.status_filter.activated.emit(page.status_filter.currentIndex())
    assert [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())] == [fund_data[1], fund_data[0]]
    qtbot.keyClicks(page.search, "nowak")
    assert page.proxy.rowCount() == 1


def test_detail_warns_about_an_earlier_award_and_shows_history(qtbot, context, fund_data):
    page = _page(qtbot, context)
    assert page.show_item(fund_data[0])
    assert page.detail.warnings.isVisibleTo(page) and fund_data[2] in page.detail.warnings.text()
    page.show_item(fund_data[2])
    assert "Approve application" in page.detail.history.toPlainText()
    assert page.detail.pay_button.isEnabled() and not page.detail.close_button.isEnabled()


def test_overspending_needs_a_written_reason_and_undo_reverts(qtbot, context, fund_data, warnings):
    stack = QUndoStack()
    record = get_application(context, fund_data[1])
    dialog = DecisionDialog(context, stack, record, get_pot(context, "Winter"))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.approve.isChecked() and dialog.amount.text() == "£1,000.00"
    assert dialog.override.isVisible()  # £1,000 > £1,234.50 - £300 left
    qtbot.mouseClick(dialog.findChild(QPushButton, "ok"), Qt.MouseButton.LeftButton)
    assert warnings and "overspend" in warnings[0]
    assert get_application(context, fund_data[1]).status == Status.RECEIVED
    dialog.override.setPlainText("Family of five, no other help; agreed by both leads")
    qtbot.mouseClick(dialog.findChild(QPushButton, "ok"), Qt.MouseButton.LeftButton)
    saved = get_application(context, fund_data[1])
    assert saved.status == Status.APPROVED and saved.override_reason.startswith("Family of five")
    stack.undo()
    assert get_application(context, fund_data[1]).status == Status.RECEIVED


def test_the_dialog_shows_the_override_by_the_domain_rule_and_sends_no_hidden_reason(qtbot, context, fund_data):
    from peer_support.domain.fund import over_budget

    pot = get_pot(context, "Winter")
    dialog = DecisionDialog(context, QUndoStack(), get_application(context, fund_data[1]), pot)
    qtbot.addWidget(dialog)
    dialog.show()

    def type_amount(pence):
        dialog.amount.selectAll()
        qtbot.keyClicks(dialog.amount, f"{pence // 100}.{pence % 100:02d}")

    for pence in (pot.remaining_pence - 1, pot.remaining_pence, pot.remaining_pence + 1):
        type_amount(pence)
        assert dialog.override.isVisible() == over_budget(pence, pot.remaining_pence), pence
    assert dialog.override.isVisible()
    dialog.override.setPlainText("typed while the amount was too high")
    type_amount(pot.remaining_pence)  # lowered again: the reason is hidden and not needed
    assert not dialog.override.isVisible()
    qtbot.mouseClick(dialog.findChild(QPushButton, "ok"), Qt.MouseButton.LeftButton)
    saved = get_application(context, fund_data[1])
    assert saved.status == Status.APPROVED and saved.override_reason == ""


def test_decline_needs_a_reason(qtbot, context, fund_data, warnings):
    dialog = DecisionDialog(context, QUndoStack(), get_application(context, fund_data[0]),
                            get_pot(context, "Winter"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    # A radio button reacts to clicks on its circle and label, not the empty space beside them.
    qtbot.mouseClick(dialog.decline, Qt.MouseButton.LeftButton, pos=QPoint(8, dialog.decline.height() // 2))
    assert dialog.decline.isChecked()
    assert not dialog.amount.isVisible() and dialog.reason.isVisible()
    qtbot.mouseClick(dialog.findChild(QPushButton, "ok"), Qt.MouseButton.LeftButton)
    assert warnings and get_application(context, fund_data[0]).status == Status.RECEIVED
    qtbot.keyClicks(dialog.reason, "School lent a laptop")
    qtbot.mouseClick(dialog.findChild(QPushButton, "ok"), Qt.MouseButton.LeftButton)
    assert get_application(context, fund_data[0]).status == Status.DECLINED


def test_payment_typed_in_danish_with_a_receipt(qtbot, context, fund_data, tmp_path, warnings):
    i18n.set_language("da")
    receipt = tmp_path / "kvittering.jpg"
    receipt.write_bytes(b"jpeg")
    dialog = PaymentDialog(context, QUndoStack(), get_application(context, fund_data[2]))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.amount.text() == "300,00\u00a0£"
    dialog.amount.clear()
    qtbot.keyClicks(dialog.amount, "1.250,50")
    qtbot.mouseClick(dialog.findChild(QPushButton, "ok"), Qt.MouseButton.LeftButton)
    assert warnings and "300,00" in warnings[0]  # more than approved, said in Danish money
    dialog.amount.clear()
    qtbot.keyClicks(dialog.amount, "150,5")
    dialog.receipt.setText(str(receipt))
    qtbot.mouseClick(dialog.findChild(QPushButton, "ok"), Qt.MouseButton.LeftButton)
    record = get_application(context, fund_data[2])
    assert record.paid_pence == 150_50 and record.payments[0].receipt_file
    assert record.status == Status.APPROVED


def test_new_application_by_keyboard(qtbot, context, fund_data):
    dialog = ApplicationDialog(context, QUndoStack(), "Winter")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.family, "F0002")
    dialog.need.setCurrentIndex(dialog.need.findData(Need.DONGLE_ROUTER))
    qtbot.keyClicks(dialog.amount, "45")
    qtbot.keyClicks(dialog.reason, "Router broke")
    qtbot.mouseClick(dialog.findChild(QPushButton, "ok"), Qt.MouseButton.LeftButton)
    assert dialog.saved_reference == "A0004"
    record = get_application(context, "A0004")
    assert record.requested_pence == 45_00 and record.need == Need.DONGLE_ROUTER


def test_closing_a_paid_application_after_confirming(qtbot, context, fund_data, monkeypatch):
    from peer_support.domain.fund import PaymentDraft, PaymentMethod

    fund.record_payment(context, fund_data[2], PaymentDraft(date(2026, 11, 12), 300_00, PaymentMethod.TOP_UP))
    page = _page(qtbot, context)
    signals.data_changed.connect(page.reload)  # the main window does this for every page
    page.show_item(fund_data[2])
    assert page.detail.close_button.isEnabled() and not page.detail.pay_button.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(page.detail.close_button, Qt.MouseButton.LeftButton)
    assert get_application(context, fund_data[2]).status == Status.CLOSED
    assert page.detail.record.status == Status.CLOSED  # the page reloaded through data_changed


def test_funder_report_is_written_off_the_gui_thread(qtbot, context, fund_data, tmp_path, monkeypatch):
    import openpyxl

    from peer_support.ui.fund.report_dialog import ReportDialog

    target = tmp_path / "funder.xlsx"
    dialog = ReportDialog(context, "Winter", date(2026, 10, 1))
    qtbot.addWidget(dialog)
    monkeypatch.setattr(dialog, "choose_path", lambda kind: str(target))
    dialog.show()
    shown = []
    signals.status_message.connect(shown.append)
    try:
        with qtbot.waitSignal(dialog.accepted, timeout=20_000):
            qtbot.mouseClick(dialog.findChild(QPushButton, "save_xlsx"), Qt.MouseButton.LeftButton)
    finally:
        signals.status_message.disconnect(shown.append)
    book = openpyxl.load_workbook(target)
    assert book["Pots"]["A2"].value == "Winter"
    # The same document and line as ``fund report`` (both call the service).
    from peer_support.services.fund_report import export_fund_report

    written = export_fund_report(context, date(2026, 10, 1), local_today(context.clock), tmp_path / "same.xlsx",
                                 "Winter")

    def cells(path):
        workbook = openpyxl.load_workbook(path)
        return {name: [[c.value for c in row] for row in workbook[name].iter_rows()] for name in workbook.sheetnames}

    assert cells(target) == cells(written.path)
    assert shown == [written.message.replace("same.xlsx", "funder.xlsx")]


def test_the_fund_area_opens_from_the_main_window(qtbot, context, fund_data):
    from peer_support.ui.main_window import MainWindow

    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show_area("fund")
    assert isinstance(window.current_page(), FundPage)
    assert window.new_action.isEnabled() and window.print_action.isEnabled()


def test_receipt_opens_from_the_history_and_notes_can_be_edited(qtbot, context, fund_data, tmp_path,
                                                                 monkeypatch):
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QDesktopServices
    from PySide6.QtWidgets import QInputDialog

    from peer_support.domain.fund import PaymentDraft, PaymentMethod

    scan = tmp_path / "scan.png"
    scan.write_bytes(b"png")
    fund.record_payment(context, fund_data[2], PaymentDraft(date(2026, 11, 12), 100_00, PaymentMethod.VOUCHER,
                                                            receipt_path=str(scan)))
    page = _page(qtbot, context)
    signals.data_changed.connect(page.reload)
    page.show_item(fund_data[2])
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    payment = page.detail.record.payments[0]
    page.detail.history.anchorClicked.emit(QUrl(f"receipt:{payment.id}"))
    assert opened and opened[0].endswith(payment.receipt_file) and "receipts" in opened[0]
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *args: ("Universal Credit letter seen", True))
    qtbot.mouseClick(page.detail.notes_button, Qt.MouseButton.LeftButton)
    assert get_application(context, fund_data[2]).eligibility_notes == "Universal Credit letter seen"
    assert "Universal Credit letter seen" in page.detail.values["eligibility"].text()
