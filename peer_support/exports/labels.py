"""Sheets of A4 self-adhesive labels (Avery L7163, L7160), for any label content.

``write_label_sheets`` places a list of ``Label`` on the chosen sheet at the
sheet's exact margins and pitches; the newsletter mailing uses it for address
labels (lines only), activity packs add a code and its QR code.
Text shrinks to fit and is cut with an ellipsis only as a last resort, so a
long Polish or German name never runs onto the next label.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from peer_support.errors import ExportError
from peer_support.exports.files import atomic_output
# The sheets by name live in a module without reportlab (the Packs page lists them); named here too.
from peer_support.exports.label_sheets import DEFAULT_SHEET, SHEETS, LabelSheet, sheet_named  # noqa: F401
from peer_support.exports.pdf import FONT, FONT_BOLD, draw_qr, mm, new_canvas, qr_matrix
from peer_support.i18n import _

QUIET_MODULES = 4  # white modules a QR code needs around it to scan


@dataclass(frozen=True)
class Label:
    """What goes on one label: lines of text (the first in bold), and optionally a
    large code printed under them and a QR code on the right."""

    lines: tuple[str, ...]
    code_text: str = ""
    qr_data: str = ""


def fit_text(text: str, font: str, size: float, width: float, min_size: float = 6.5) -> tuple[str, float]:
    """Shrink the font until ``text`` fits ``width`` points; then cut it with an ellipsis."""
    while size > min_size and stringWidth(text, font, size) > width:
        size -= 0.5
    if stringWidth(text, font, size) <= width:
        return text, size
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…", size


def _draw_label(canvas: Canvas, label: Label, sheet: LabelSheet, x: float, y: float) -> None:
    width, height = sheet.label_width * mm, sheet.label_height * mm
    padding = 3 * mm
    text_right = x + width - padding
    if label.qr_data:
        modules = len(qr_matrix(label.qr_data))
        # As large as the label allows with its quiet zone, but within the label's height.
        qr_size = min(height - 2 * padding, 22 * mm)
        quiet = qr_size * QUIET_MODULES / modules
        qr_x = x + width - padding - qr_size
        draw_qr(canvas, label.qr_data, qr_x, y + (height - qr_size) / 2, qr_size)
        text_right = qr_x - max(quiet, 1.5 * mm)
    text_width = text_right - (x + padding)
    cursor = y + height - padding
    for number, line in enumerate(label.lines):
        font, size = (FONT_BOLD, 11) if number == 0 else (FONT, 9)
        text, size = fit_text(line, font, size, text_width)
        cursor -= size * 1.15
        if cursor < y + padding + (8 if label.code_text else 0):
            break
        canvas.setFont(font, size)
        canvas.drawString(x + padding, cursor, text)
    if label.code_text:
        text, size = fit_text(label.code_text, FONT_BOLD, 15, text_width, min_size=9)
        canvas.setFont(FONT_BOLD, size)
        canvas.drawString(x + padding, y + padding, text)


def write_label_sheets(path, labels: Sequence[Label], sheet: LabelSheet | str = DEFAULT_SHEET, *,
                       title: str = "", skip: int = 0, outline: bool = False,
                       on_page: Callable[[int, int], None] | None = None) -> int:
    """Write ``labels`` to a PDF of label sheets; returns the number of pages.

    ``skip`` leaves that many labels free at the start of the first sheet (a
    sheet that is partly used already). ``outline`` draws label edges, for
    checking alignment on plain paper. Raises ExportError; the file is
    written whole or not at all.
    """
    sheet = sheet_named(sheet) if isinstance(sheet, str) else sheet
    if not labels:
        raise ExportError(_("There are no labels to print."))
    if not 0 <= skip < sheet.per_sheet:
        raise ExportError(_("You can skip between 0 and %(max)d labels of the first sheet.")
                          % {"max": sheet.per_sheet - 1})
    total_slots = skip + len(labels)
    pages = -(-total_slots // sheet.per_sheet)
    with atomic_output(path) as partial:
        canvas = new_canvas(partial, title or _("Labels"))
        for index, label in enumerate(labels, start=skip):
            if index and index % sheet.per_sheet == 0:
                canvas.showPage()
                if on_page:
                    on_page(index // sheet.per_sheet, pages)
            x, y = sheet.label_origin(index)
            if outline:
                canvas.setLineWidth(0.2)
                canvas.roundRect(x, y, sheet.label_width * mm, sheet.label_height * mm, 2 * mm)
            _draw_label(canvas, label, sheet, x, y)
        canvas.showPage()
        canvas.save()
    return pages
