"""Shared PDF pieces (reportlab): bundled fonts, paragraph styles, vector QR codes.

DejaVu covers Danish, German and Polish letters and is embedded in every PDF,
so a document looks the same on every machine.
"""

from __future__ import annotations

from functools import cache

import qrcode
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from peer_support.resources import resource_path

PAGE_SIZE = A4
FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_ITALIC = "DejaVuSans-Oblique"
FONT_BOLD_ITALIC = "DejaVuSans-BoldOblique"
SERIF = "DejaVuSerif"
SERIF_BOLD = "DejaVuSerif-Bold"


@cache
def register_fonts() -> None:
    for name in (FONT, FONT_BOLD, FONT_ITALIC, FONT_BOLD_ITALIC, SERIF, SERIF_BOLD):
        pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", f"{name}.ttf"))))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC,
                                  boldItalic=FONT_BOLD_ITALIC)
    pdfmetrics.registerFontFamily(SERIF, normal=SERIF, bold=SERIF_BOLD, italic=SERIF,
                                  boldItalic=SERIF_BOLD)


def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10),
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=18, leading=22,
                                spaceAfter=6),
        "heading": ParagraphStyle("heading", parent=body, fontName=FONT_BOLD, fontSize=13, leading=16,
                                  spaceBefore=8, spaceAfter=4),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=11),
    }


def new_canvas(path, title: str, author: str = "Peer Support") -> Canvas:
    register_fonts()
    # initialFontName: otherwise every page names Helvetica, which is never embedded.
    canvas = Canvas(str(path), pagesize=PAGE_SIZE, pageCompression=1, initialFontName=FONT)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setCreator("Peer Support")
    return canvas


def qr_matrix(data: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(data)
    code.make(fit=True)
    return code.get_matrix()


def draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    """A QR code as vector squares, ``size`` points wide, bottom-left at (x, y).

    Keep at least 4 modules of white around it (the quiet zone) when placing it.
    """
    matrix = qr_matrix(data)
    count = len(matrix)
    module = size / count
    canvas.saveState()
    canvas.setFillColor(colors.black)
    canvas.setStrokeColor(colors.black)
    for row_index, row in enumerate(matrix):
        top = y + size - (row_index + 1) * module
        column = 0
        while column < count:
            if row[column]:
                start = column
                while column < count and row[column]:
                    column += 1
                canvas.rect(x + start * module, top, (column - start) * module, module,
                            stroke=0, fill=1)
            else:
                column += 1
    canvas.restoreState()


__all__ = ["A4", "PAGE_SIZE", "mm", "draw_qr", "new_canvas", "qr_matrix", "register_fonts", "styles"]
