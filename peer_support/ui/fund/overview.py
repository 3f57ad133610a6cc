"""A pot at a glance: budget, committed, paid and remaining as figures and a bar."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from peer_support.domain.fund import PotRecord
from peer_support.i18n import _, ngettext
from peer_support.i18n.formatting import format_date, format_money
from peer_support.ui.colours import error_text, muted_text

PAID = QColor("#2e7d32")
PROMISED = QColor("#81c784")
LEFT = QColor("#e0e0e0")
OVER = QColor("#c62828")


class BudgetBar(QWidget):
    """Paid (dark), approved but not yet paid (light), remaining (grey); red when overspent."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pot: PotRecord | None = None
        self.setMinimumHeight(22)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(400, 22)

    def set_pot(self, pot: PotRecord | None) -> None:
        self._pot = pot
        if pot is not None:
            self.setAccessibleDescription(_("%(paid)s paid and %(committed)s committed of %(budget)s") % {
                "paid": format_money(pot.paid_pence), "committed": format_money(pot.committed_pence),
                "budget": format_money(pot.budget_pence)})
        self.update()

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(LEFT)
        painter.drawRoundedRect(rect, 4, 4)
        pot = self._pot
        if pot is None or pot.budget_pence <= 0:
            return
        scale = rect.width() / max(pot.budget_pence, pot.committed_pence)
        committed = QRectF(rect.x(), rect.y(), pot.committed_pence * scale, rect.height())
        paid = QRectF(rect.x(), rect.y(), pot.paid_pence * scale, rect.height())
        painter.setBrush(PROMISED)
        painter.drawRoundedRect(committed, 4, 4)
        painter.setBrush(PAID)
        painter.drawRoundedRect(paid, 4, 4)
        if pot.committed_pence > pot.budget_pence:
            over = QRectF(rect.x() + pot.budget_pence * scale, rect.y(),
                          (pot.committed_pence - pot.budget_pence) * scale, rect.height())
            painter.setBrush(OVER)
            painter.drawRect(over)


class PotOverview(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setObjectName("pot_title")
        self.title.setStyleSheet("font-weight: bold; font-size: 14pt;")
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.bar = BudgetBar()
        grid = QGridLayout()
        self.figures: dict[str, QLabel] = {}
        names = [("budget", _("Budget")), ("committed", _("Committed")), ("paid", _("Paid")),
                 ("remaining", _("Remaining")), ("waiting", _("Waiting"))]
        for column, (key, label) in enumerate(names):
            caption = QLabel(label)
            caption.setStyleSheet(f"color: {muted_text().name()};")
            value = QLabel()
            value.setObjectName(f"figure_{key}")
            value.setStyleSheet("font-size: 13pt; font-weight: bold;")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            grid.addWidget(caption, 0, column)
            grid.addWidget(value, 1, column)
            self.figures[key] = value
        legend = QLabel(_("Dark green: paid · light green: approved, not yet paid · grey: still free"))
        legend.setStyleSheet(f"color: {muted_text().name()}; font-size: 9pt;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addLayout(grid)
        layout.addWidget(self.bar)
        layout.addWidget(legend)

    def set_pot(self, pot: PotRecord | None) -> None:
        self.bar.set_pot(pot)
        if pot is None:
            self.title.setText(_("No fund pot yet"))
            self.subtitle.setText(_("Add a pot (a budget from a funder) to start recording applications."))
            for label in self.figures.values():
                label.setText("–")
            return
        self.title.setText(pot.name)
        dates = (_("Open %(start)s to %(end)s") % {"start": format_date(pot.opens_on),
                                                    "end": format_date(pot.closes_on)}
                 if pot.closes_on else _("Open since %(start)s") % {"start": format_date(pot.opens_on)})
        self.subtitle.setText(_("%(funder)s · %(dates)s") % {"funder": pot.funder or _("No funder named"),
                                                               "dates": dates})
        self.figures["budget"].setText(format_money(pot.budget_pence))
        self.figures["committed"].setText(format_money(pot.committed_pence))
        self.figures["paid"].setText(format_money(pot.paid_pence))
        self.figures["remaining"].setText(format_money(pot.remaining_pence))
        self.figures["remaining"].setStyleSheet("font-size: 13pt; font-weight: bold;"
                                                + (f" color: {error_text().name()};" if pot.remaining_pence < 0 else ""))
        self.figures["waiting"].setText(ngettext("%(count)d application", "%(count)d applications",
                                                 pot.waiting) % {"count": pot.waiting})
