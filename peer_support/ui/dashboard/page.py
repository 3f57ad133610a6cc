"""The dashboard: the first page at start-up. What needs doing this week, and how the group is doing.

Construction fills the cards from a dozen small plain-SQL queries
(services/summary.py, a few ms, no ORM), so the main window appears at once
with its figures; the charts are drawn once the data layer has loaded in the
background (ui/warm_up.py). Each card opens its area through
``signals.navigate_requested``.
"""

from __future__ import annotations

from PySide6 import QtCore
from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout,
                               QWidget)

from peer_support.clock import LONDON
from peer_support.context import AppContext
from peer_support.domain.changes import Kind
from peer_support.domain.dashboard_figures import DashboardSummary
from peer_support.errors import PeerSupportError
from peer_support.i18n import _, ngettext
from peer_support.i18n.formatting import format_date, format_money, format_number, format_time
from peer_support.services.summary import dashboard_summary
from peer_support.ui.dashboard.cards import SummaryCard
from peer_support.ui.signals import signals

CARD_KEYS = ("next_meeting", "fund", "packs", "missing_consent", "lapsed")
CARD_COLUMNS = 3
CHART_KEYS = ("attendance", "new_families", "fund_spend", "deliveries")


class DashboardPage(QWidget):
    # The kinds of data that can move a figure on this page.
    SHOWS = frozenset({Kind.FAMILY, Kind.MEETING, Kind.ATTENDANCE, Kind.MEETING_ACTION, Kind.FUND,
                       Kind.PACK_BATCH, Kind.PACK})

    def __init__(self, context: AppContext, undo_stack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dashboard")
        self._context = context
        self._undo_stack = undo_stack
        self._stale = True  # filled at the end of construction
        self._charts_built = False
        self.summary: DashboardSummary | None = None
        self.chart_panels: dict = {}

        self.heading = QLabel()
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.heading.setFont(font)
        self.report_button = QPushButton(_("Period report…"))
        self.report_button.setObjectName("period_report_button")
        self.report_button.setToolTip(_("Families reached, meetings, attendance, fund, packs and themes "
                                        "between two dates, as PDF or XLSX (Ctrl+P)"))
        self.report_button.clicked.connect(self.print_current)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.cards = {key: SummaryCard(f"card_{key}") for key in CARD_KEYS}
        card_grid = QGridLayout()
        card_grid.setSpacing(10)
        for index, key in enumerate(CARD_KEYS):
            self.cards[key].activated.connect(self._on_card_activated)
            card_grid.addWidget(self.cards[key], index // CARD_COLUMNS, index % CARD_COLUMNS)
        for column in range(CARD_COLUMNS):
            card_grid.setColumnStretch(column, 1)
        self.charts_heading = QLabel(_("How we are doing"))
        self.charts_heading.setFont(font)
        self.chart_grid = QGridLayout()
        self.chart_grid.setSpacing(12)

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(16, 16, 16, 16)
        layout.setSpacing(10)
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.report_button)
        layout.addLayout(top)
        layout.addWidget(self.problem)
        layout.addLayout(card_grid)
        # Shown only when retention is on and families are due: small, below the usual cards.
        self.retention_card = SummaryCard("card_retention")
        self.retention_card.activated.connect(self._on_card_activated)
        self.retention_card.setMaximumWidth(420)
        self.retention_card.hide()
        retention_row = QHBoxLayout()  # at the left, its own width (no Qt.AlignmentFlag: ui/after_paint.py)
        retention_row.addWidget(self.retention_card)
        retention_row.addStretch(1)
        layout.addLayout(retention_row)
        layout.addSpacing(8)
        layout.addWidget(self.charts_heading)
        layout.addLayout(self.chart_grid)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        placeholders = {"next_meeting": _("Next meeting"), "fund": _("Fund"), "packs": _("Packs"),
                        "missing_consent": _("Families missing consent"), "lapsed": _("Lapsed families")}
        for key, title in placeholders.items():
            self.cards[key].show_figure(title, "…", "", "", "")
        # Filled before the page is first shown: the window opens with its figures.
        self._stale = False
        self.refresh_cards()

    # -- figures ---------------------------------------------------------------------------
    def refresh(self) -> None:
        self._stale = False
        self.refresh_cards()
        if self._charts_built:
            self.refresh_charts()

    def refresh_cards(self) -> None:
        try:
            summary = dashboard_summary(self._context)
        except PeerSupportError as exc:
            self.problem.setText(exc.message)
            self.problem.show()
            return
        self.problem.hide()
        self.summary = summary
        self.heading.setText(_("This week: %(date)s") % {"date": format_date(summary.today, "full")})
        self._show_meeting(summary)
        self._show_fund(summary)
        self._show_packs(summary)
        count = summary.missing_consent.count
        self.cards["missing_consent"].show_figure(
            _("Families missing consent"), format_number(count),
            ngettext("%(count)d family has no date of consent recorded: ask before contacting them.",
                     "%(count)d families have no date of consent recorded: ask before contacting them.",
                     count) % {"count": count},
            _("Show these families"), summary.missing_consent.link.area, summary.missing_consent.link.item)
        self._show_retention()
        count = summary.lapsed.count
        self.cards["lapsed"].show_figure(
            _("Lapsed families"), format_number(count),
            ngettext("%(count)d family came to meetings before, but not in the last six months.",
                     "%(count)d families came to meetings before, but not in the last six months.",
                     count) % {"count": count},
            _("Show these families"), summary.lapsed.link.area, summary.lapsed.link.item)

    def _show_retention(self) -> None:
        from peer_support.services.summary import retention_years

        try:
            with self._context.db.plain() as connection:
                years = retention_years(connection)
        except PeerSupportError:
            years = None
        if not years:  # off, the default: nothing to load
            self.retention_card.setVisible(False)
            return
        from peer_support.ui import warm_up

        if warm_up.loading():  # who is due needs the data layer: once it is in
            warm_up.when_ready(lambda: self._show_due(years))
        else:
            self._show_due(years)

    def _show_due(self, years: int) -> None:
        from peer_support.services.retention import due_families

        try:
            due = due_families(self._context)
        except PeerSupportError:
            due = []
        self.retention_card.setVisible(bool(due))
        if due:
            self.retention_card.show_figure(
                _("Due for anonymising"), format_number(len(due)),
                ngettext("No contact for %(years)d year or more.", "No contact for %(years)d years or more.",
                         years) % {"years": years},
                _("Review them"), "trust", "retention")

    def _show_meeting(self, summary: DashboardSummary) -> None:
        card = self.cards["next_meeting"]
        meeting = summary.next_meeting
        if meeting is None:
            card.show_figure(_("Next meeting"), _("None planned"), _("Plan the next meeting on the Meetings page."),
                             _("Open Meetings"), "meetings")
            return
        lines = [_("%(time)s, %(topic)s") % {"time": format_time(meeting.starts_at), "topic": meeting.topic}
                 if meeting.topic else format_time(meeting.starts_at),
                 ngettext("%(count)d open action", "%(count)d open actions", meeting.open_actions)
                 % {"count": meeting.open_actions}]
        card.show_figure(_("Next meeting"), format_date(meeting.starts_at.astimezone(LONDON).date()),
                         "\n".join(lines), _("Open meeting %(reference)s") % {"reference": meeting.reference},
                         meeting.link.area, meeting.link.item)

    def _show_fund(self, summary: DashboardSummary) -> None:
        card = self.cards["fund"]
        fund = summary.fund
        waiting = ngettext("%(count)d application waiting for a decision",
                           "%(count)d applications waiting for a decision", fund.waiting) % {"count": fund.waiting}
        if not fund.pots:
            card.show_figure(_("Fund"), "–", "\n".join([_("No fund pot is open today."), waiting]),
                             _("Open the fund"), fund.link.area, fund.link.item)
            return
        pot = fund.pots[0]
        lines = [_("Left to approve in %(pot)s") % {"pot": pot.name}]
        others = fund.pots[1:]
        if others:
            lines.append(ngettext("%(count)d other open pot: %(amount)s left",
                                  "%(count)d other open pots: %(amount)s left", len(others))
                         % {"count": len(others), "amount": format_money(sum(p.headroom_pence for p in others))})
        lines.append(waiting)
        card.show_figure(_("Fund"), format_money(pot.headroom_pence), "\n".join(lines),
                         _("Open the fund"), pot.link.area, pot.link.item,
                         progress=pot.committed_pence / pot.budget_pence if pot.budget_pence else None)

    def _show_packs(self, summary: DashboardSummary) -> None:
        card = self.cards["packs"]
        batch = summary.batch
        if batch is None:
            card.show_figure(_("Packs"), "–", _("There is no pack batch yet."), _("Open Packs"), "packs")
            return
        lines = [ngettext("%(count)d pack still to deliver", "%(count)d packs still to deliver", batch.outstanding)
                 % {"count": batch.outstanding}]
        if batch.problems:
            lines.append(ngettext("%(count)d not at home, refused or returned",
                                  "%(count)d not at home, refused or returned", batch.problems)
                         % {"count": batch.problems})
        card.show_figure(_("Packs: %(batch)s %(name)s") % {"batch": batch.reference, "name": batch.name},
                         _("%(delivered)s of %(total)s delivered") % {"delivered": format_number(batch.delivered),
                                                                     "total": format_number(batch.total)},
                         "\n".join(lines), _("Open batch %(batch)s") % {"batch": batch.reference},
                         batch.link.area, batch.link.item, progress=batch.fraction_delivered)

    def _on_card_activated(self, area: str, item: str) -> None:
        # The families cards open the Families page showing the families they count.
        signals.navigate_requested.emit(area, item)

    # -- charts ------------------------------------------------------------------------------
    def build_charts(self) -> None:
        """Create the chart panels and draw them (done once, just after the page is first shown)."""
        if self._charts_built:
            return
        from peer_support.ui.dashboard.charts import ChartPanel  # QtCharts loads only when needed

        for index, key in enumerate(CHART_KEYS):
            panel = ChartPanel(key)
            self.chart_panels[key] = panel
            self.chart_grid.addWidget(panel, index // 2, index % 2)
        self._charts_built = True
        self.refresh_charts()

    def refresh_charts(self) -> None:
        from peer_support.services.dashboard_charts import chart_data
        from peer_support.ui.dashboard.charts import build_charts

        try:
            charts = build_charts(chart_data(self._context))
        except PeerSupportError as exc:
            self.problem.setText(exc.message)
            self.problem.show()
            return
        for key, chart in charts.items():
            self.chart_panels[key].set_chart(chart)

    # -- page protocol -----------------------------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            QTimer.singleShot(0, self.refresh)
        if not self._charts_built:
            from peer_support.ui.warm_up import when_ready

            when_ready(self.build_charts)  # after the cards: they matter most

    def reload(self, _kinds: frozenset[Kind]) -> None:
        if self.isVisible():
            if not self._stale:
                self._stale = True
                QTimer.singleShot(0, self.refresh)  # several changes in a row: one refresh
        else:
            self._stale = True

    def print_current(self):
        """Ctrl+P on the dashboard: the period report for funders."""
        from peer_support.ui.dashboard.report_dialog import PeriodReportDialog

        dialog = PeriodReportDialog(self._context, self)
        dialog.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_item(self, item: str) -> None:
        """The dashboard has no items; showing it is enough."""
