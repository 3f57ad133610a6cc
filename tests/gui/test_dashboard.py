"""The dashboard page: cards show the service figures, open their area, charts save as PNG."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QUndoStack
from PySide6.QtWidgets import QFileDialog, QPushButton

from peer_support.domain.changes import Kind
from peer_support.domain.dashboard import FAMILIES_LAPSED, FAMILIES_MISSING_CONSENT
from peer_support.domain.families import FamilyDraft
from peer_support.i18n.formatting import format_money, format_number
from peer_support.services.dashboard import dashboard_families
from peer_support.services.families import create_family
from peer_support.services.fund_queries import application_queue, list_pots
from peer_support.services.meetings import list_meetings
from peer_support.ui.dashboard import create_page
from peer_support.ui.pages import AREAS
from peer_support.ui.signals import signals

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot, sample_context):
    page = create_page(sample_context, QUndoStack())
    qtbot.addWidget(page)
    page.resize(1200, 900)
    page.show()
    qtbot.waitUntil(lambda: bool(page.chart_panels))  # the charts are built just after the first show
    return page


def test_cards_show_the_figures_of_the_lists(page, sample_context):
    cards = page.cards
    missing = len(dashboard_families(sample_context, FAMILIES_MISSING_CONSENT))
    lapsed = len(dashboard_families(sample_context, FAMILIES_LAPSED))
    assert cards["missing_consent"].figure.text() == format_number(missing)
    assert cards["lapsed"].figure.text() == format_number(lapsed)
    next_meeting = next(m for m in list_meetings(sample_context, upcoming=True) if m.status.value == "planned")
    assert cards["next_meeting"].link == ("meetings", next_meeting.reference)
    pot = page.summary.fund.pots[0]
    assert cards["fund"].figure.text() == format_money(next(p for p in list_pots(sample_context)
                                                            if p.name == pot.name).remaining_pence)
    waiting = len(application_queue(sample_context))
    assert f"{waiting} applications waiting for a decision" in cards["fund"].detail.text()


@pytest.mark.parametrize("key, area", [("next_meeting", "meetings"), ("fund", "fund"), ("packs", "packs")])
def test_clicking_a_card_opens_its_area(qtbot, page, key, area):
    card = page.cards[key]
    with qtbot.waitSignal(signals.navigate_requested) as blocker:
        qtbot.mouseClick(card, Qt.MouseButton.LeftButton)
    assert blocker.args[0] == area
    assert blocker.args == list(card.link)


@pytest.mark.parametrize("key, name", [("missing_consent", FAMILIES_MISSING_CONSENT), ("lapsed", FAMILIES_LAPSED)])
def test_a_families_card_opens_the_families_page_with_its_list(qtbot, page, sample_context, key, name):
    from PySide6.QtGui import QUndoStack

    from peer_support.ui.families.page import FamiliesPage

    with qtbot.waitSignal(signals.navigate_requested) as blocker:
        qtbot.mouseClick(page.cards[key], Qt.MouseButton.LeftButton)
    assert blocker.args == ["families", name]
    families = FamiliesPage(sample_context, QUndoStack())
    qtbot.addWidget(families)
    families.show_item(*blocker.args[1:])  # what the main window does with the request
    expected = [row.reference for row in dashboard_families(sample_context, name)]
    assert families.model.rowCount() == len(expected) == getattr(page.summary, key).count > 0
    assert families.selected_references() == [expected[0]]
    assert families.special_label.isVisibleTo(families) and "Showing" in families.special_label.text()
    families.clear_special()
    assert families.model.rowCount() > len(expected) and not families.special_label.isVisibleTo(families)


def test_a_card_opens_from_the_keyboard(qtbot, page):
    card = page.cards["packs"]
    card.setFocus()
    with qtbot.waitSignal(signals.navigate_requested) as blocker:
        qtbot.keyClick(card, Qt.Key.Key_Return)
    assert blocker.args == ["packs", page.summary.batch.reference]


def test_saving_a_chart_writes_a_png(qtbot, page, tmp_path, monkeypatch):
    target = tmp_path / "attendance"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), "PNG images (*.png)"))
    panel = page.chart_panels["attendance"]
    assert panel.view.isVisible() and panel.view.chart().series()
    qtbot.mouseClick(panel.findChild(QPushButton, "save_png"), Qt.MouseButton.LeftButton)
    saved = tmp_path / "attendance.png"
    assert saved.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    image = QImage(str(saved))
    assert image.width() > 100 and image.height() > 100
    assert sorted(p.name for p in tmp_path.iterdir()) == ["attendance.png", "sample"]


def test_a_cancelled_save_dialog_writes_nothing(qtbot, page, tmp_path, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: ("", ""))
    assert page.chart_panels["fund_spend"].save_as() is None


def test_charts_follow_the_language(qtbot, sample_context):
    from peer_support import i18n

    i18n.set_language("de")
    page = create_page(sample_context, QUndoStack())
    qtbot.addWidget(page)
    page.build_charts()
    chart = page.chart_panels["attendance"].view.chart()
    assert "Monate" in chart.title()
    months = chart.axes(Qt.Orientation.Horizontal)[0].categories()
    assert any(label.startswith("Dez") for label in months)


def test_the_page_reloads_when_families_change(qtbot, page, sample_context):
    """The main window passes data_changed on to page.reload; a relevant change refreshes the cards."""
    before = page.summary.missing_consent.count
    create_family(sample_context, FamilyDraft(name="New at the door"))
    page.reload({Kind.FUND})  # what the main window calls on signals.data_changed
    page.reload({Kind.FAMILY})
    qtbot.waitUntil(lambda: page.cards["missing_consent"].figure.text() == format_number(before + 1))


def test_the_period_report_is_saved_from_the_dashboard(qtbot, page, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    from peer_support.ui.dashboard.report_dialog import PeriodReportDialog

    target = tmp_path / "report"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args, **kwargs: (str(target), "Excel workbook (*.xlsx)"))
    qtbot.mouseClick(page.findChild(QPushButton, "period_report_button"), Qt.MouseButton.LeftButton)
    dialog = page.findChild(PeriodReportDialog)
    assert dialog.isVisible() and dialog.period()[1] == page.summary.today
    shown = []
    signals.status_message.connect(shown.append)
    try:
        with qtbot.waitSignal(dialog.accepted, timeout=20_000):
            qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    finally:
        signals.status_message.disconnect(shown.append)
    saved = tmp_path / "report.xlsx"
    assert load_workbook(saved).sheetnames[0] == "Summary"
    # The same document and line as ``peer-support report`` (both call the service).
    from peer_support.services.period_report import export_period_report

    written = export_period_report(dialog._context, *dialog.period(), tmp_path / "same.xlsx")

    def cells(path):
        book = load_workbook(path)
        return {name: [[c.value for c in row] for row in book[name].iter_rows()] for name in book.sheetnames}

    assert cells(saved) == cells(written.path)
    assert shown == [written.message.replace("same.xlsx", "report.xlsx")]


def test_a_backwards_period_is_explained_and_nothing_is_asked(qtbot, page, monkeypatch):
    from PySide6.QtCore import QDate
    from PySide6.QtWidgets import QMessageBox

    shown, asked = [], []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: asked.append(1) or ("", ""))
    dialog = page.print_current()
    dialog.start_edit.setDate(QDate(2026, 6, 1))
    dialog.end_edit.setDate(QDate(2026, 5, 1))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert shown == ["The period ends before it starts."] and not asked


def test_the_dashboard_is_the_first_page_and_a_card_switches_the_area(qtbot, sample_context):
    from peer_support.ui.main_window import MainWindow

    window = MainWindow(sample_context)
    qtbot.addWidget(window)
    window.show()
    page = window.current_page()
    assert page.objectName() == "dashboard"
    qtbot.waitUntil(lambda: page.summary is not None)
    qtbot.mouseClick(page.cards["next_meeting"], Qt.MouseButton.LeftButton)
    assert AREAS[window.nav.currentRow()].key == "meetings"


def test_charts_share_twelve_months_show_the_year_and_whole_ticks(qtbot, sample_context, context):
    from PySide6.QtCharts import QValueAxis

    from peer_support.ui.dashboard.charts import nice_step

    page = create_page(sample_context, QUndoStack())
    qtbot.addWidget(page)
    page.build_charts()
    attendance = page.chart_panels["attendance"].view.chart().axes(Qt.Orientation.Horizontal)[0].categories()
    new_families = page.chart_panels["new_families"].view.chart().axes(Qt.Orientation.Horizontal)[0].categories()
    assert attendance == new_families and len(attendance) == 12
    assert attendance[0].endswith("2025") and attendance[-1].endswith("2026")
    assert [nice_step(top) for top in (0, 3, 12, 80, 2500)] == [1, 1, 5, 20, 500]
    empty = create_page(context, QUndoStack())  # no families at all: ticks 0, 1, 2, 3, 4
    qtbot.addWidget(empty)
    empty.build_charts()
    axis = next(a for a in empty.chart_panels["new_families"].view.chart().axes(Qt.Orientation.Vertical)
                if isinstance(a, QValueAxis))
    assert axis.tickInterval() == 1 and axis.max() == 4


def text_items(scene):
    """The scene's text items. Some PySide6 releases hand QtCharts' axis labels over as plain
    QGraphicsItem; the item's own QGraphicsObject is then the text item (a cast would be unsafe)."""
    from PySide6.QtWidgets import QGraphicsTextItem

    for item in scene.items():
        if not isinstance(item, QGraphicsTextItem):
            item = item.toGraphicsObject()
        if isinstance(item, QGraphicsTextItem):
            yield item


@pytest.mark.parametrize("language", ["en", "da", "de", "pl"])
def test_every_month_label_of_the_12_month_charts_shows_inside_the_chart(qtbot, sample_context, language):
    """QtCharts hides an edge label wider than its bar (Polish 'gru 2025' was missing): the slant
    comes from the labels' font metrics, and every label's box lies inside the chart."""
    from PySide6.QtWidgets import QApplication

    from peer_support import i18n
    from peer_support.ui.main_window import MainWindow

    i18n.set_language(language)
    window = MainWindow(sample_context)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    window.show_area("dashboard")
    page = window.current_page()
    qtbot.waitUntil(lambda: bool(page.chart_panels))
    QApplication.processEvents()
    for key in ("attendance", "new_families"):
        view = page.chart_panels[key].view
        axis = next(a for a in view.chart().axes() if hasattr(a, "categories"))
        assert len(axis.categories()) == 12
        labels = [item for item in text_items(view.scene()) if item.toPlainText() in axis.categories()]
        shown = sorted(item.toPlainText() for item in labels if item.isVisible())
        assert shown == sorted(axis.categories()), f"{language} {key}: hidden {set(axis.categories()) - set(shown)}"
        for item in labels:
            box = view.mapFromScene(item.sceneBoundingRect()).boundingRect()
            assert view.rect().contains(box), f"{language} {key}: {item.toPlainText()!r} at {box} cut off"


def test_label_slant_is_the_least_that_fits():
    from PySide6.QtGui import QFontMetricsF
    from PySide6.QtWidgets import QApplication

    from peer_support.ui.dashboard.charts import label_angle

    metrics = QFontMetricsF(QApplication.font())
    assert label_angle(["Jan", "Feb"], metrics, 200) == 0
    months = [f"Month {n} 2026" for n in range(12)]
    width = max(metrics.horizontalAdvance(m) for m in months)
    assert label_angle(months, metrics, 2 * width) == 0
    assert label_angle(months, metrics, 0.8 * width) in (-45, -60, -75)
    assert label_angle(months, metrics, metrics.height() + 4) == -90
