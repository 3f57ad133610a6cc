"""Label sheets by name and their geometry, without the PDF library: the Packs page lists them
when it is built, and reportlab is loaded only when labels are printed (exports/labels.py)."""

from __future__ import annotations

from dataclasses import dataclass

from peer_support.errors import BadRequestError
from peer_support.i18n import _


@dataclass(frozen=True)
class LabelSheet:
    """Geometry of a label sheet, in millimetres, from the manufacturer's template."""

    code: str
    columns: int
    rows: int
    label_width: float
    label_height: float
    top_margin: float
    left_margin: float
    column_pitch: float  # left edge to left edge
    row_pitch: float  # top edge to top edge

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows

    def label_origin(self, index: int) -> tuple[float, float]:
        """Bottom-left corner (points) of label ``index`` (0-based, row by row) on its page."""
        from peer_support.exports.pdf import PAGE_SIZE, mm

        slot = index % self.per_sheet
        row, column = divmod(slot, self.columns)
        x = (self.left_margin + column * self.column_pitch) * mm
        y = PAGE_SIZE[1] - (self.top_margin + row * self.row_pitch + self.label_height) * mm
        return x, y


SHEETS = {
    # 14 per sheet, 2 x 7, 99.1 x 38.1 mm.
    "L7163": LabelSheet("L7163", 2, 7, 99.1, 38.1, 15.15, 4.65, 101.6, 38.1),
    # 21 per sheet, 3 x 7, 63.5 x 38.1 mm.
    "L7160": LabelSheet("L7160", 3, 7, 63.5, 38.1, 15.15, 7.21, 66.04, 38.1),
}
DEFAULT_SHEET = "L7163"


def sheet_named(code: str) -> LabelSheet:
    sheet = SHEETS.get(code.strip().upper())
    if sheet is None:
        raise BadRequestError(_("Unknown label sheet %(sheet)s. Choose one of: %(choices)s.")
                          % {"sheet": code, "choices": ", ".join(SHEETS)})
    return sheet
