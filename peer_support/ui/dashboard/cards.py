"""A dashboard card: a title, one big figure, a line or two of detail; the whole card is a link.

Cards take focus with Tab and open with Enter or Space as well as a click,
so the dashboard works from the keyboard.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QProgressBar, QSizePolicy, QVBoxLayout, QWidget

from peer_support.ui import after_paint

if TYPE_CHECKING:
    from PySide6.QtGui import QKeyEvent, QMouseEvent


class SummaryCard(QFrame):
    """One figure and where it leads; emits ``activated(area, item)`` when opened."""

    activated = Signal(str, str)

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        after_paint.later(self._make_a_link)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.setMinimumWidth(220)
        self._area, self._item = "", ""
        self.title = QLabel()
        self.title.setObjectName("title")
        self.figure = QLabel()
        self.figure.setObjectName("figure")
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.figure.setFont(font)
        # Titles and figures wrap rather than clip ("400 of 530 deliverec") on a narrow card.
        self.figure.setWordWrap(True)
        self.title.setWordWrap(True)
        self.detail = QLabel()
        self.detail.setObjectName("detail")
        self.detail.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(10)
        # The card is drawn in the Base colour; give the bar's groove the Window colour so the
        # unfilled part shows in light and dark themes alike.
        groove = self.progress.palette()
        groove.setColor(QPalette.ColorRole.Base, groove.color(QPalette.ColorRole.Window))
        self.progress.setPalette(groove)
        self.progress.hide()
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setForegroundRole(QPalette.ColorRole.Link)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(4)
        for widget in (self.title, self.figure, self.progress, self.detail):
            layout.addWidget(widget)
        layout.addStretch(1)
        layout.addWidget(self.hint)

    def _make_a_link(self) -> None:
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self.setCursor(QtCore.Qt.CursorShape.PointingHandCursor)

    def show_figure(self, title: str, figure: str, detail: str, hint: str, area: str, item: str = "",
                    progress: float | None = None) -> None:
        self.title.setText(title)
        self.figure.setText(figure)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.hint.setText(hint)
        self.progress.setVisible(progress is not None)
        if progress is not None:
            self.progress.setRange(0, 1000)
            self.progress.setValue(round(progress * 1000))
        self._area, self._item = area, item
        self.setAccessibleName(f"{title}: {figure}")
        self.setAccessibleDescription(detail)
        self.setToolTip(hint)

    @property
    def link(self) -> tuple[str, str]:
        return self._area, self._item

    def open(self) -> None:
        if self._area:
            self.activated.emit(self._area, self._item)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == QtCore.Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.open()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (QtCore.Qt.Key.Key_Return, QtCore.Qt.Key.Key_Enter, QtCore.Qt.Key.Key_Space):
            self.open()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:
        self.setFrameShadow(QFrame.Shadow.Sunken)
        self.setLineWidth(2)
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:
        self.setFrameShadow(QFrame.Shadow.Plain)
        self.setLineWidth(1)
        super().focusOutEvent(event)
