"""Attendance over time (a chart of held meetings) and one family's attendance history."""

from __future__ import annotations

from PySide6.QtCharts import QBarCategoryAxis, QBarSeries, QBarSet, QChart, QChartView, QLineSeries, QValueAxis
from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QSplitter,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from peer_support.clock import LONDON
from peer_support.errors import PeerSupportError
from peer_support.i18n import _
from babel.dates import format_skeleton

from peer_support.i18n.formatting import babel_locale, format_date
from peer_support.services.families import get_family
from peer_support.services.meetings import attendance_over_time, tag_coverage
from peer_support.services.register import (door_matches, family_attendance_history,
                                            normalise_family_reference, summarise_history)
from peer_support.domain.meetings import RESILIENCE_TAGS, MeetingStatus, tag_label


class AttendanceView(QWidget):
    def __init__(self, context, parent=None) -> None:
        super().__init__(parent)
        self._context = context
        self.chart = QChart()
        self.chart.setTitle(_("Attendance at held meetings"))
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_view = QChartView(self.chart)
        self.chart_view.setObjectName("attendance_chart")
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumHeight(260)
        self.coverage_label = QLabel()
        self.coverage_label.setObjectName("tag_coverage")
        self.coverage_label.setWordWrap(True)

        self.family_edit = QLineEdit()
        self.family_edit.setObjectName("history_family")
        self.family_edit.setPlaceholderText(_("Family name or reference, then Enter"))
        self.family_edit.returnPressed.connect(self._on_family_entered)
        self.history_label = QLabel()
        self.history_label.setObjectName("history_summary")
        self.history = QTableWidget(0, 4)
        self.history.setObjectName("history_table")
        self.history.setHorizontalHeaderLabels([_("Meeting"), _("Date"), _("Attendance"), _("Topic")])
        self.history.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.verticalHeader().hide()

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.addWidget(self.chart_view, 1)
        top_layout.addWidget(self.coverage_label)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        row = QHBoxLayout()
        row.addWidget(QLabel(_("Attendance history of")))
        row.addWidget(self.family_edit, 1)
        bottom_layout.addLayout(row)
        bottom_layout.addWidget(self.history_label)
        bottom_layout.addWidget(self.history, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        QVBoxLayout(self).addWidget(splitter)
        self.reload()

    def reload(self) -> None:
        points = attendance_over_time(self._context)
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        families = QBarSet(_("Families present"))
        guests = QLineSeries()
        guests.setName(_("Walk-in guests"))
        creche = QLineSeries()
        creche.setName(_("Children in the crèche"))
        categories = []
        for number, point in enumerate(points):
            families.append(point.families_present)
            guests.append(number, point.walk_in_guests)
            creche.append(number, point.creche_children)
            # Short month over the year, so twelve labels fit under the bars.
            categories.append(f"{format_skeleton('MMM', point.on, locale=babel_locale())}\n{point.on.year}")
        bars = QBarSeries()
        bars.append(families)
        for series in (bars, guests, creche):
            self.chart.addSeries(series)
        x_axis = QBarCategoryAxis()
        x_axis.append(categories)
        y_axis = QValueAxis()
        y_axis.setRange(0, max([10] + [p.families_present for p in points]) * 1.15)
        y_axis.setLabelFormat("%d")
        y_axis.applyNiceNumbers()  # ticks at round numbers
        self.chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        self.chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        for series in (bars, guests, creche):
            series.attachAxis(x_axis)
            series.attachAxis(y_axis)
        coverage = tag_coverage(self._context)
        self.coverage_label.setText(_("Themes covered at held meetings: %(themes)s") % {
            "themes": ", ".join(f"{tag_label(key)} {coverage.get(key, 0)}" for key in RESILIENCE_TAGS)})

    def show_family(self, family_reference: str) -> None:
        try:
            items = family_attendance_history(self._context, family_reference)
        except PeerSupportError as exc:
            self.history_label.setText(exc.message)
            self.history.setRowCount(0)
            return
        family = get_family(self._context, family_reference)
        self.history_label.setText(_("%(family)s (%(reference)s): %(summary)s") % {
            "family": family.name, "reference": family.reference, "summary": summarise_history(items)})
        self.history.setRowCount(len(items))
        for row, item in enumerate(items):
            # Unmarked at a meeting that was not held: say why (planned or cancelled).
            status = item.status.label if item.status else (
                "" if item.meeting_status is MeetingStatus.HELD else item.meeting_status.label)
            texts = (item.meeting_reference, format_date(item.starts_at.astimezone(LONDON).date()), status,
                     item.topic)
            for column, text in enumerate(texts):
                self.history.setItem(row, column, QTableWidgetItem(text))

    def _on_family_entered(self) -> None:
        text = self.family_edit.text().strip()
        if not text:
            return
        matches = door_matches(self._context, text, limit=2)
        reference = matches[0].family_reference if len(matches) == 1 else normalise_family_reference(text)
        if len(matches) > 1:
            self.history_label.setText(_("Several families match: type more of the name or the reference."))
            self.history.setRowCount(0)
            return
        self.show_family(reference)
