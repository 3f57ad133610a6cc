"""The app follows the system's palette and font size: a dark palette, a high-contrast one (black,
white, yellow) and a larger font. Text the app colours itself (scan feedback, the fund bar, list
tints, error and hint labels, the dashboard charts) keeps WCAG contrast (4.5:1) against what it is drawn
on, and every area still fits 1280x720 at 1.25x the font size."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

from peer_support import i18n
from peer_support.ui.pages import AREAS

from tests.gui.dialogs import every_dialog
from tests.gui.walk import every_area_state, fit_problems, page_states, screen_window

pytestmark = pytest.mark.gui


@pytest.fixture
def larger_font(qapp):
    original = QFont(qapp.font())

    def scale(factor: float) -> None:
        font = QFont(original)
        font.setPointSizeF(original.pointSizeF() * factor)
        qapp.setFont(font)

    yield scale
    qapp.setFont(original)


# Areas known not to fit yet (none now; the newsletter editor in de/pl was the last). The test fails
# when a listed one starts to fit, so this list only shrinks.
KNOWN_TOO_WIDE: set[tuple[str, str]] = set()


@pytest.mark.parametrize("language", ["en", "da", "de", "pl"])
def test_every_area_fits_1280x720_with_a_larger_font(qtbot, sample_context, larger_font, language):
    i18n.set_language(language)
    larger_font(1.25)
    window = screen_window(qtbot, sample_context)
    problems, known = [], set()
    for area, page, where in every_area_state(window, language):
        found = fit_problems(window, page, where)
        if found and (language, area.key) in KNOWN_TOO_WIDE:
            known.add((language, area.key))
        else:
            problems += found
    assert not problems, "\n".join(problems)
    expected = {gap for gap in KNOWN_TOO_WIDE if gap[0] == language}
    assert known == expected, f"fits now, take it off KNOWN_TOO_WIDE: {expected - known}"


def _palette(window, text, base, button_text, highlight, highlighted_text, placeholder, link) -> QPalette:
    palette = QPalette()
    roles = QPalette.ColorRole
    for role, colour in ((roles.Window, window), (roles.WindowText, text), (roles.Base, base),
                         (roles.AlternateBase, base), (roles.Text, text), (roles.Button, window),
                         (roles.ButtonText, button_text), (roles.Highlight, highlight),
                         (roles.HighlightedText, highlighted_text), (roles.PlaceholderText, placeholder),
                         (roles.ToolTipBase, window), (roles.ToolTipText, text), (roles.Link, link),
                         (roles.Mid, "#6b6b6b"), (roles.Dark, "#101010"), (roles.Light, "#5a5a5a"),
                         (roles.BrightText, "#ffffff")):
        palette.setColor(QPalette.ColorGroup.All, role, QColor(colour))
    return palette


PALETTES = {
    "dark": _palette("#2b2b2b", "#e8e8e8", "#1e1e1e", "#e8e8e8", "#3d7bd6", "#ffffff", "#a0a0a0", "#8ab4f8"),
    "high_contrast": _palette("#000000", "#ffffff", "#000000", "#ffff00", "#ffff00", "#000000", "#c0c0c0",
                              "#ffff00"),
}


@pytest.fixture
def system_palette(qapp):
    original = QPalette(qapp.palette())

    def use(name: str) -> None:
        qapp.setPalette(PALETTES[name])

    yield use
    qapp.setPalette(original)


def _hard_to_read(widget_root, where: str) -> list[str]:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QAbstractItemView, QLabel

    from peer_support.ui.colours import contrast_ratio

    found = []
    for label in widget_root.findChildren(QLabel):
        if not label.isVisibleTo(widget_root) or not label.isEnabled() or not label.text().strip():
            continue
        palette = label.palette()
        text, back = palette.color(label.foregroundRole()), palette.color(QPalette.ColorRole.Window)
        if contrast_ratio(text, back) < 4.5:
            found.append(f"{where}: label {label.text()[:40]!r} {text.name()} on {back.name()}")
    for view in widget_root.findChildren(QAbstractItemView):
        model = view.model()
        if model is None or not view.isVisibleTo(widget_root):
            continue
        palette = view.palette()
        from PySide6.QtCore import QModelIndex

        try:
            columns = model.columnCount(QModelIndex())
        except TypeError:  # a list widget's own model: one column
            columns = 1
        for row in range(min(model.rowCount(QModelIndex()), 40)):
            for column in range(columns):
                index = model.index(row, column)
                if not str(index.data() or "").strip():
                    continue
                fg, bg = index.data(Qt.ItemDataRole.ForegroundRole), index.data(Qt.ItemDataRole.BackgroundRole)
                text = fg.color() if fg is not None else palette.color(QPalette.ColorRole.Text)
                backs = [bg.color()] if bg is not None else [palette.color(QPalette.ColorRole.Base),
                                                               palette.color(QPalette.ColorRole.AlternateBase)]
                for back in backs:
                    if contrast_ratio(text, back) < 4.5:
                        found.append(f"{where}: {view.objectName() or type(view).__name__} row {row} "
                                     f"{str(index.data())[:30]!r} {text.name()} on {back.name()}")
    return found


@pytest.mark.parametrize("palette_name", ["dark", "high_contrast"])
def test_text_keeps_its_contrast_in_dark_and_high_contrast_palettes(qtbot, sample_context, system_palette,
                                                                    palette_name, tmp_path):
    system_palette(palette_name)
    window = screen_window(qtbot, sample_context)
    problems = []
    for area in AREAS:
        window.show_area(area.key)
        page = window.current_page()
        if area.key == "dashboard":
            qtbot.waitUntil(lambda: bool(page.chart_panels))
        for state in page_states(page):
            QApplication.processEvents()
            problems += _hard_to_read(page, f"{palette_name} {area.key} {state}".strip())
        window.grab().save(str(tmp_path / f"{palette_name}-{area.key}.png"))
    assert not problems, "\n".join(dict.fromkeys(problems))


@pytest.mark.parametrize("palette_name", ["dark", "high_contrast"])
def test_custom_painted_parts_take_their_colours_from_the_palette(qtbot, sample_context, system_palette,
                                                                  palette_name):
    from PySide6.QtGui import QUndoStack

    from peer_support.ui.colours import contrast_ratio, error_text, muted_text
    from peer_support.ui.dashboard.charts import ChartPanel, build_charts
    from peer_support.ui.packs import create_page as packs_page
    from peer_support.ui.packs.scan import STYLES

    system_palette(palette_name)
    palette = QApplication.palette()
    window_colour = palette.color(QPalette.ColorRole.Window)
    assert contrast_ratio(muted_text(), window_colour) >= 4.5
    assert contrast_ratio(error_text(), window_colour) >= 4.5
    # Scan feedback sets its own text and background together: readable whatever the palette.
    page = packs_page(sample_context, QUndoStack())
    qtbot.addWidget(page)
    page.show()
    view = page.scan_view
    for state in STYLES:
        view._show(state, "Pack 1234-5678")
        colours = view.feedback.palette()
        assert contrast_ratio(colours.color(QPalette.ColorRole.WindowText),
                              colours.color(QPalette.ColorRole.Window)) >= 4.5, state
    # Dashboard charts: titles and axis labels in the palette's text colour on its base colour.
    from peer_support.services.dashboard_charts import chart_data

    for key, chart in build_charts(chart_data(sample_context)).items():
        if isinstance(chart, str):
            continue
        panel = ChartPanel(key)
        qtbot.addWidget(panel)
        panel.set_chart(chart)
        background = chart.backgroundBrush().color()
        assert contrast_ratio(chart.titleBrush().color(), background) >= 4.5
        for axis in chart.axes():
            assert contrast_ratio(axis.labelsBrush().color(), background) >= 4.5, key


@pytest.mark.parametrize("palette_name", ["dark", "high_contrast"])
def test_every_dialog_keeps_its_contrast_in_dark_and_high_contrast_palettes(qtbot, sample_context, system_palette,
                                                                            palette_name, tmp_path):
    """Each of the app's dialogs, opened with realistic content (the fit test's factories, so a new
    dialog is walked here too), keeps its label and list text readable under both palettes."""
    system_palette(palette_name)
    problems = []
    for name, dialog in every_dialog(qtbot, sample_context, tmp_path, palette_name):
        problems += _hard_to_read(dialog, f"{palette_name} {name}")
    assert not problems, "\n".join(dict.fromkeys(problems))


@pytest.mark.parametrize("palette_name", ["dark", "high_contrast"])
def test_register_marks_follow_the_palette(qtbot, context, system_palette, palette_name):
    """Present, apologies and absent lines keep their light tints on a light list; on a dark list they
    are the same hues made dark (no glaring pastel rows), and their text still reads at 4.5:1."""
    from datetime import date

    from PySide6.QtCore import Qt
    from PySide6.QtGui import QUndoStack

    from peer_support.domain.families import FamilyDraft
    from peer_support.domain.meetings import AttendanceStatus, MeetingDraft
    from peer_support.services.families import create_family
    from peer_support.services.meetings import create_meeting
    from peer_support.services.register import mark_attendance
    from peer_support.ui.colours import contrast_ratio, luminance
    from peer_support.ui.meetings import create_page

    meeting = create_meeting(context, MeetingDraft(on=date(2026, 12, 8), topic="Winter get-together")).record
    for name, status in zip(("Anna Nowak", "Jens Hansen", "Sarah Smith"), AttendanceStatus):
        mark_attendance(context, meeting.reference, create_family(context, FamilyDraft(name=name)).reference, status)
    page = create_page(context, QUndoStack())
    qtbot.addWidget(page)
    page.show()
    page.list_view.selectRow(0)
    proxy = page.register_panel.proxy
    assert proxy.rowCount() == 3

    def colours():
        QApplication.processEvents()
        return [(proxy.index(row, 1).data(Qt.ItemDataRole.BackgroundRole).color(),
                 proxy.index(row, 1).data(Qt.ItemDataRole.ForegroundRole).color()) for row in range(3)]

    light = colours()
    assert all(luminance(back) > 0.5 and contrast_ratio(text, back) >= 4.5 for back, text in light)
    system_palette(palette_name)
    dark = colours()
    assert all(luminance(back) < 0.18 and contrast_ratio(text, back) >= 4.5 for back, text in dark), dark
    assert len({back.name() for back, _text in dark}) == 3  # still three different marks
    assert [back.hslHue() // 20 for back, _text in dark] == [back.hslHue() // 20 for back, _text in light]


@pytest.mark.parametrize("palette_name", ["dark", "high_contrast"])
def test_pack_scan_marks_follow_the_palette(qtbot, sample_context, system_palette, palette_name):
    """Scan mode's recent scans (delivered green, not at home amber, undone grey) keep their light tints
    on a light list and become the same hues made dark on a dark one, with text that reads at 4.5:1."""
    from PySide6.QtCore import Qt

    from peer_support.domain.packs import Outcome
    from peer_support.services import deliveries, packs
    from peer_support.services.history import undo_action
    from peer_support.ui.colours import contrast_ratio, luminance
    from peer_support.ui.packs.models import RecentScansModel

    context = sample_context
    batch = packs.list_batches(context)[0]
    waiting = [p.code for p in packs.list_packs(context, batch.reference) if p.status == "outstanding"][:3]
    volunteer = deliveries.volunteer_id_for(context, "V001")
    deliveries.record_scan(context, waiting[0], batch_id=batch.id, volunteer_id=volunteer)
    deliveries.record_scan(context, waiting[1], batch_id=batch.id, volunteer_id=volunteer, outcome=Outcome.NOT_HOME)
    undone = deliveries.record_scan(context, waiting[2], batch_id=batch.id, volunteer_id=volunteer)
    undo_action(context, undone.changes.action_id)
    model = RecentScansModel()
    model.set_rows(deliveries.recent_events(context, batch.id)[:3])

    def colours():
        QApplication.processEvents()
        return [(model.index(row, 0).data(Qt.ItemDataRole.BackgroundRole).color(),
                 model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole).color()) for row in range(3)]

    light = colours()
    assert all(luminance(back) > 0.5 and contrast_ratio(text, back) >= 4.5 for back, text in light), light
    system_palette(palette_name)
    dark = colours()
    assert all(luminance(back) < 0.18 and contrast_ratio(text, back) >= 4.5 for back, text in dark), dark
    assert len({back.name() for back, _text in dark}) == 3  # still three different marks
