"""A filter's drop-down for a row of filters (the Families page's area, school, language...)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QComboBox, QStyle, QWidget

SHORTEST_LETTERS = 8
LIST_PADDING = 24  # px around an entry of the open list: the item's margins and the list's frame


class FilterCombo(QComboBox):
    """Wide enough for its "All …" entry and the entry chosen, when the row has room; narrower,
    its text elided, down to ``SHORTEST_LETTERS`` letters when it has not (a small screen, long
    Polish or German words). Its list opens wide enough for the longest entry (a school's name)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(SHORTEST_LETTERS)
        self.currentIndexChanged.connect(self.updateGeometry)  # the row makes room for the choice

    def _text_width(self, *indexes: int) -> int:
        metrics = self.fontMetrics()
        return max((metrics.horizontalAdvance(self.itemText(index)) for index in indexes if index >= 0), default=0)

    def sizeHint(self) -> QSize:
        # Qt's hint is the shortest width (its letters, the frame and the arrow): the same frame
        # around the longer of the "All …" entry and the one chosen instead.
        shortest = super().sizeHint()
        letters = SHORTEST_LETTERS * self.fontMetrics().horizontalAdvance("X")
        wanted = self._text_width(0, self.currentIndex())
        return QSize(shortest.width() + max(0, wanted - letters), shortest.height())

    def showPopup(self) -> None:
        scroll_bar = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        self.view().setMinimumWidth(self._text_width(*range(self.count())) + scroll_bar + LIST_PADDING)
        super().showPopup()
