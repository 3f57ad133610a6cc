"""The dashboard's four charts (QtCharts), in the app's language and the window's colours.

Colours come from the application palette, so a dark system theme gives a
dark chart with light text. Each chart can be saved as a PNG from its button
or its context menu.
"""

from __future__ import annotations

import math
from pathlib import Path

from babel import dates as babel_dates
from PySide6.QtCharts import (QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QHorizontalBarSeries,
                              QStackedBarSeries, QValueAxis)
from PySide6.QtCore import QLocale, QMargins, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPalette
from PySide6.QtWidgets import (QApplication, QFileDialog, QHBoxLayout, QLabel, QMenu, QPushButton,
                               QVBoxLayout, QWidget)

from peer_support.domain.dashboard import ChartData
from peer_support.errors import ExportError
from peer_support.exports.files import atomic_output
from peer_support.i18n import _
from peer_support.i18n.formatting import babel_locale
from peer_support.ui.errors import show_error
from peer_support.ui.signals import signals


def short_month(day) -> str:
    """'Dec' in the UI language: twelve bars leave no room for 'December 2025' (the title says which year)."""
    return babel_dates.format_date(day, "LLL", locale=babel_locale())


def short_day(day) -> str:
    return babel_dates.format_skeleton("MMMd", day, locale=babel_locale())


def series_colours(palette: QPalette, count: int) -> list[QColor]:
    """The highlight colour and hue-turned companions, light enough on dark and dark enough on light."""
    base = palette.color(QPalette.ColorRole.Highlight)
    dark_theme = palette.color(QPalette.ColorRole.Base).lightness() < 128
    hue = base.hslHue() if base.hslHue() >= 0 else 210
    colours = []
    for index in range(count):
        lightness = 165 if dark_theme else 95
        colours.append(QColor.fromHsl((hue + index * 137) % 360, 170, lightness))
    return colours


def _style_chart(chart: QChart, palette: QPalette) -> None:
    text = palette.color(QPalette.ColorRole.WindowText)
    chart.setBackgroundBrush(palette.color(QPalette.ColorRole.Base))
    chart.setBackgroundRoundness(4)
    chart.setPlotAreaBackgroundVisible(False)
    chart.setTitleBrush(text)
    title_font = QFont(QApplication.font())
    title_font.setBold(True)
    chart.setTitleFont(title_font)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setLabelColor(text)
    chart.legend().setFont(QApplication.font())
    grid = palette.color(QPalette.ColorRole.Mid)
    for axis in chart.axes():
        axis.setLabelsBrush(text)
        axis.setLabelsFont(QApplication.font())
        axis.setTitleBrush(text)
        axis.setGridLineColor(grid)
        axis.setLinePenColor(grid)
    colours = series_colours(palette, 4)
    for series in chart.series():
        for index, bar_set in enumerate(series.barSets()):
            bar_set.setColor(colours[index % len(colours)])
            bar_set.setBorderColor(colours[index % len(colours)])
            bar_set.setLabelColor(text)


# More categories than this and their labels are turned, so month names are not cut short.
UPRIGHT_LABELS = 6


LABEL_ANGLES = (0, -45, -60, -75, -90)


def label_angle(texts: list[str], metrics: QFontMetricsF, band: float) -> int:
    """The least slant (degrees) at which the widest label's bounding box fits one category's width.

    A label of width w and height h turned by a has a bounding box w*cos(a) + h*sin(a) wide.
    """
    if not texts:
        return 0
    width = max(metrics.horizontalAdvance(text) for text in texts) + 2
    height = metrics.height()
    for angle in LABEL_ANGLES:
        if angle == 0 and len(texts) > UPRIGHT_LABELS and width > band * 0.9:
            continue  # upright only with room to spare
        radians = math.radians(abs(angle))
        if width * math.cos(radians) + height * math.sin(radians) <= band - 2:
            return angle
    return LABEL_ANGLES[-1]


def fit_category_labels(axis: QBarCategoryAxis, plot_width: float) -> None:
    categories = axis.categories()
    if not categories or plot_width <= 0:
        return
    angle = label_angle(categories, QFontMetricsF(axis.labelsFont()), plot_width / len(categories))
    if axis.labelsAngle() != angle:
        axis.setLabelsAngle(angle)


def nice_step(top: float, ticks: int = 5) -> int:
    """A whole-number tick step of 1, 2 or 5 times a power of ten giving about ``ticks`` ticks."""
    if top <= ticks:
        return 1
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    return int(next(m * power for m in (1, 2, 5, 10) if m * power >= raw))


def month_label(day) -> str:
    """'Dec 2025': the year is shown, so twelve months across a new year read right."""
    return babel_dates.format_skeleton("yMMM", day, locale=babel_locale())


def attendance_by_month(data: ChartData) -> tuple[list[str], list[int], list[int]]:
    """The held meetings added up per month, over the same twelve months as the other charts."""
    months = [m.month for m in data.new_families]
    present = {(m.year, m.month): 0 for m in months}
    guests = dict(present)
    for meeting in data.attendance:
        key = (meeting.on.year, meeting.on.month)
        if key in present:
            present[key] += meeting.families_present
            guests[key] += meeting.walk_in_guests
    return [month_label(m) for m in months], list(present.values()), list(guests.values())


def _bar_chart(title: str, categories: list[str], sets: list[tuple[str, list[float]]], value_title: str,
               stacked: bool = False, horizontal: bool = False) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)  # old laptops: draw once, fast
    series = QStackedBarSeries() if stacked else QHorizontalBarSeries() if horizontal else QBarSeries()
    if horizontal:  # drawn bottom-up: reverse, so the first category is on top
        categories = categories[::-1]
        sets = [(label, values[::-1]) for label, values in sets]
    for label, values in sets:
        bar_set = QBarSet(label)
        bar_set.append([float(v) for v in values])
        series.append(bar_set)
    chart.addSeries(series)
    x_axis = QBarCategoryAxis()
    x_axis.append(categories)
    x_axis.setTruncateLabels(False)  # "Dec", never "D…"
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom)
    if not horizontal:
        # Slant the month names just enough to fit their bars, worked out again when the chart's size
        # changes: QtCharts hides an edge label wider than its bar ("gru 2025" in Polish).
        chart.plotAreaChanged.connect(lambda area, axis=x_axis: fit_category_labels(axis, area.width()))
    series.attachAxis(x_axis)
    y_axis = QValueAxis()
    top = max([sum(v) for v in zip(*[values for _l, values in sets])] if stacked and sets
              else [max(values, default=0) for _l, values in sets] or [0])
    # Whole-number ticks at a "nice" step (1, 2, 5, 10, 20, 50…): never 0, 1, 1, 1 on an empty chart.
    step = nice_step(top)
    y_axis.setRange(0, step * max(math.ceil(top * 1.05 / step), 1) if top else step * 4)
    y_axis.setTickType(QValueAxis.TickType.TicksDynamic)
    y_axis.setTickAnchor(0)
    y_axis.setTickInterval(step)
    y_axis.setLabelFormat("%.0f")
    y_axis.setTitleText(value_title)
    # Numbers in the UI language, with its thousands separator (2.500 in German, 2,500 in English).
    chart.setLocalizeNumbers(True)
    chart.setLocale(QLocale(str(babel_locale())))
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(y_axis)
    chart.legend().setVisible(len(sets) > 1)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    return chart


def build_charts(data: ChartData) -> dict[str, QChart | str]:
    """Each chart by key, or the sentence to show instead when there is nothing to draw yet."""
    charts: dict[str, QChart | str] = {}
    if data.attendance:
        months, present, guests = attendance_by_month(data)
        charts["attendance"] = _bar_chart(
            _("Attendance at meetings, last 12 months"), months,
            [(_("Families present"), present), (_("Walk-in guests"), guests)], _("People"), stacked=True)
    else:
        charts["attendance"] = _("No meeting was held in the last 12 months.")
    charts["new_families"] = _bar_chart(
        _("New families per month"), [month_label(m.month) for m in data.new_families],
        [(_("New families"), [m.count for m in data.new_families])], _("Families"))
    if any(s.paid_pence for s in data.fund_spend):
        charts["fund_spend"] = _bar_chart(
            _("Fund spend by need"), [s.label for s in data.fund_spend],
            [(_("Paid"), [s.paid_pence / 100 for s in data.fund_spend])], _("Pounds (£)"), horizontal=True)
    else:
        charts["fund_spend"] = _("Nothing has been paid from the fund yet.")
    if data.deliveries:
        charts["deliveries"] = _bar_chart(
            _("Packs delivered per day, batch %(batch)s") % {"batch": data.batch_reference},
            [short_day(d.on) for d in data.deliveries],
            [(_("Delivered"), [d.count for d in data.deliveries])], _("Packs"))
    elif data.batch_reference:
        charts["deliveries"] = _("No pack of batch %(batch)s has been delivered yet.") % {
            "batch": data.batch_reference}
    else:
        charts["deliveries"] = _("There is no pack batch yet.")
    return charts


def save_chart_png(view: QChartView, path: str | Path) -> Path:
    """Write what the chart shows as a PNG, whole or not at all. Raises ExportError."""
    target = Path(path)
    if target.suffix.lower() != ".png":
        target = target.with_name(target.name + ".png")
    image = view.grab()
    with atomic_output(target) as partial:
        if not image.save(str(partial), "PNG"):
            raise ExportError(_("Could not write %(path)s.") % {"path": target})
    return target


class ChartPanel(QWidget):
    """A chart (or a sentence when there is no data) with a "Save as PNG…" button."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"chart_{key}")
        self.view = QChartView()
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(260)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._on_context_menu)
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setMinimumHeight(260)
        self.save_button = QPushButton(_("Save as PNG…"))
        self.save_button.setObjectName("save_png")
        self.save_button.clicked.connect(self.save_as)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)

    def set_chart(self, chart: QChart | str) -> None:
        has_chart = not isinstance(chart, str)
        if has_chart:
            _style_chart(chart, QApplication.palette())
            old = self.view.chart()
            self.view.setChart(chart)
            if old is not None:
                old.deleteLater()
        else:
            self.empty.setText(chart)
        self.view.setVisible(has_chart)
        self.empty.setVisible(not has_chart)
        self.save_button.setEnabled(has_chart)

    def _on_context_menu(self, position) -> None:
        menu = QMenu(self)
        menu.addAction(_("Save as PNG…"), self.save_as)
        menu.exec(self.view.mapToGlobal(position))

    def default_file_name(self) -> str:
        return f"{self.key.replace('_', '-')}.png"

    def save_as(self) -> Path | None:
        start = str(Path.home() / self.default_file_name())
        path, _filter = QFileDialog.getSaveFileName(self, _("Save chart as PNG"), start, _("PNG images (*.png)"))
        if not path:
            return None
        try:
            saved = save_chart_png(self.view, path)
        except ExportError as exc:
            show_error(self, exc)
            return None
        signals.status_message.emit(_("Saved %(path)s") % {"path": saved})
        return saved


__all__ = ["ChartPanel", "build_charts", "save_chart_png", "series_colours"]
