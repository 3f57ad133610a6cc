"""What the answers add up to: per question and compartment, over time, and change per family."""

from __future__ import annotations

from PySide6.QtCharts import (QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QHorizontalBarSeries,
                              QValueAxis)
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from peer_support.domain.outcomes import RATING_MAX, SMALL_NUMBER, FormResults, compartment_label, fewer_than_text
from peer_support.i18n import _, current_language
from peer_support.i18n.formatting import format_number, format_score
from peer_support.ui.dashboard.charts import series_colours, short_month
from peer_support.ui.meetings.common import date_edit, from_qdate
from peer_support.ui.widgets.flow_layout import flow_row, together


def distribution_text(result) -> str:
    if result.suppressed:
        return fewer_than_text()
    if not result.question.kind.keyed:
        return ""
    labels = []
    for value, count in result.distribution.items():
        labels.append(_("%(value)s: %(count)s") % {"value": value, "count": format_number(count)})
    return ", ".join(labels)


def _chart(title: str) -> tuple[QChart, QChartView]:
    chart = QChart()
    chart.setTitle(title)
    chart.legend().hide()
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(220)
    return chart, view


class ResultsPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.start_edit = date_edit()
        self.start_edit.setAccessibleName(_("From"))
        self.end_edit = date_edit()
        self.end_edit.setAccessibleName(_("To"))
        self.meeting_combo = QComboBox()
        self.meeting_combo.setAccessibleName(_("Meeting"))
        self.show_button = QPushButton(_("Show"))
        self.export_button = QPushButton(_("Save as XLSX…"))
        self.summary = QLabel()
        self.summary.setObjectName("results_summary")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 5)
        self.table.setObjectName("results_table")
        self.table.setAccessibleName(_("Results per question"))
        self.table.setHorizontalHeaderLabels([_("Question"), _("Compartment"), _("Answers"), _("Average"),
                                              _("Answers by key")])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3, 4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.compartment_chart, compartment_view = _chart(_("Average rating per compartment"))
        self.month_chart, month_view = _chart(_("Forms returned per month"))
        self.change_chart, self.change_view = _chart(_("Families since their first check-in"))
        self.change_view.setAccessibleName(_("Families since their first check-in"))
        compartment_view.setAccessibleName(_("Average rating per compartment"))
        month_view.setAccessibleName(_("Forms returned per month"))

        filters = flow_row(*(together(QLabel(label), widget) for label, widget in (
            (_("From:"), self.start_edit), (_("To:"), self.end_edit), (_("Meeting:"), self.meeting_combo))),
            self.show_button, self.export_button)
        charts = QHBoxLayout()
        charts.addWidget(compartment_view)
        charts.addWidget(month_view)
        charts.addWidget(self.change_view)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(charts, 1)

    def period(self):
        return from_qdate(self.start_edit.date()), from_qdate(self.end_edit.date())

    def show_results(self, results: FormResults) -> None:
        language = current_language()
        lines = [_("Forms returned: %(count)s (anonymous: %(anonymous)s).")
                 % {"count": fewer_than_text() if results.suppressed else format_number(results.responses),
                    "anonymous": fewer_than_text() if results.suppressed else format_number(results.anonymous)}]
        if results.form.repeated:
            change = results.average_change
            if change is None:
                lines.append(_("Change per family is shown once at least %(count)d families have answered "
                               "twice.") % {"count": SMALL_NUMBER})
            else:
                lines.append(_("%(families)s families answered at least twice; %(improved)s of them rate things "
                               "higher now; average change %(change)s on a scale of 1 to 5.")
                             % {"families": format_number(len(results.changes)),
                                "improved": format_number(results.improved),
                                "change": format_score(change, signed=True)})
        self.summary.setText("\n".join(lines))
        self.table.setRowCount(len(results.questions))
        for row, result in enumerate(results.questions):
            cells = [result.question.text(language), compartment_label(result.question.compartment),
                     fewer_than_text() if result.suppressed else format_number(result.answered),
                     "" if result.average is None or result.suppressed else format_score(result.average),
                     distribution_text(result)]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (2, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self._fill_compartments(results)
        self._fill_months(results)
        self._fill_change(results)

    def _fill_compartments(self, results: FormResults) -> None:
        chart = self.compartment_chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        # Reversed: a sideways chart draws its first bar at the bottom; Basics belongs on top.
        shown = [c for c in reversed(results.compartments) if not c.suppressed and c.average is not None]
        bars = QBarSet(_("Average rating"))
        for compartment in shown:
            bars.append(round(compartment.average, 2))
        # Sideways bars: compartment names such as "Grundbedürfnisse" keep their room.
        self._bars(chart, bars, [compartment_label(c.compartment) for c in shown], RATING_MAX, horizontal=True)

    def _fill_months(self, results: FormResults) -> None:
        chart = self.month_chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        months = [m for m in results.by_month if m[1] >= SMALL_NUMBER]
        bars = QBarSet(_("Forms returned"))
        for _month, count, _average in months:
            bars.append(count)
        labels = [f"{short_month(month)} {month:%y}" for month, _c, _a in months]
        self._bars(chart, bars, labels, max([count for _m, count, _a in months] or [1]))

    def _fill_change(self, results: FormResults) -> None:
        chart = self.change_chart
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        groups = results.change_groups() if results.form.repeated else None
        self.change_view.setVisible(groups is not None)
        if groups is None:
            return
        bars = QBarSet(_("Families"))
        for count in groups:
            bars.append(count)
        self._bars(chart, bars, [_("Lower"), _("About the same"), _("Higher")], max(groups) or 1)

    def _bars(self, chart: QChart, bars: QBarSet, labels: list[str], top: float, horizontal: bool = False) -> None:
        colour = series_colours(self.palette(), 1)[0]
        bars.setColor(colour)
        bars.setBorderColor(colour)
        series = QHorizontalBarSeries() if horizontal else QBarSeries()
        series.append(bars)
        series.setLabelsVisible(not horizontal)  # whole counts only: Qt would not format decimals per language
        chart.addSeries(series)
        x_axis = QBarCategoryAxis()
        x_axis.append(labels or [""])
        y_axis = QValueAxis()
        y_axis.setRange(0, top)
        y_axis.setLabelFormat("%d")
        if top <= RATING_MAX:
            y_axis.setTickCount(int(top) + 1)  # whole steps on the 1-5 scale
        else:
            y_axis.applyNiceNumbers()
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        chart.setBackgroundBrush(self.palette().color(QPalette.ColorRole.Base))
        chart.setTitleBrush(text)
        for axis in (x_axis, y_axis):
            axis.setLabelsBrush(text)
        bars.setLabelColor(text)
