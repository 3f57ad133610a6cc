"""The newsletter as an A4 PDF (reportlab platypus), in one of two templates.

``one_column``: a single wide column, larger type, for reading aloud or large print.
``two_column``: a classic two-column newsletter with a masthead on page one.

Only the bundled DejaVu fonts are used (embedded, subset), so Danish, German
and Polish letters print the same everywhere. Black, white and greys only:
most copies come off a black-and-white printer at the library.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (BaseDocTemplate, CondPageBreak, Flowable, Frame, KeepTogether,
                                ListFlowable, ListItem, NextPageTemplate, PageTemplate, Spacer, Table,
                                TableStyle)
from reportlab.platypus import Image as ImageFlowable
from reportlab.platypus import Paragraph as ParagraphFlowable
from reportlab.platypus.flowables import HRFlowable

from peer_support.domain.newsletter import ONE_COLUMN, TWO_COLUMN
from peer_support.domain.newsletter_document import Document, ListBlock, Paragraph, Run, Section
from peer_support.domain.newsletter_sanitise import runs_markup
from peer_support.exports.pdf import (FONT, FONT_BOLD, FONT_ITALIC, PAGE_SIZE, SERIF, SERIF_BOLD, draw_qr,
                                      register_fonts)

MARGIN = 16 * mm
GUTTER = 7 * mm
MASTHEAD_HEIGHT = 44 * mm
FOOTER_HEIGHT = 12 * mm
GREY = colors.Color(0.35, 0.35, 0.35)
LIGHT = colors.Color(0.93, 0.93, 0.93)
BOX_LIMIT = 1400  # characters: longer boxed sections are printed unboxed so they can split
MAX_IMAGE_HEIGHT = 75 * mm


def _styles(template: str) -> dict[str, ParagraphStyle]:
    register_fonts()
    size = 11.5 if template == ONE_COLUMN else 9.6
    body = ParagraphStyle("nl-body", fontName=FONT, fontSize=size, leading=size * 1.38,
                          spaceAfter=size * 0.55, alignment=TA_LEFT)
    return {
        "body": body,
        "heading": ParagraphStyle("nl-heading", parent=body, fontName=SERIF_BOLD,
                                  fontSize=size * 1.55, leading=size * 1.8, spaceBefore=size * 0.7,
                                  spaceAfter=size * 0.35, keepWithNext=1),
        "tag": ParagraphStyle("nl-tag", parent=body, fontName=FONT_BOLD, fontSize=size * 0.72,
                              leading=size * 0.95, textColor=GREY, spaceAfter=1, keepWithNext=1),
        "item_title": ParagraphStyle("nl-item-title", parent=body, fontName=FONT_BOLD, spaceAfter=0,
                                     keepWithNext=1),
        "item_detail": ParagraphStyle("nl-item-detail", parent=body, leftIndent=size * 0.9),
        "caption": ParagraphStyle("nl-caption", parent=body, fontName=FONT_ITALIC, fontSize=size * 0.8,
                                  leading=size * 1.05, textColor=GREY, alignment=TA_CENTER),
        "small": ParagraphStyle("nl-small", parent=body, fontSize=size * 0.8, leading=size * 1.05),
        "label": ParagraphStyle("nl-label", parent=body, fontName=FONT_BOLD, fontSize=size * 0.85,
                                leading=size * 1.1, spaceAfter=0),
    }


def _markup(runs: tuple[Run, ...]) -> str:
    """Runs as reportlab paragraph markup; all text escaped."""
    return runs_markup(runs, line_break="<br/>", text=escape,
                       link=lambda href, piece: f'<a href="{escape(href, {chr(34): "&quot;"})}"><u>{piece}</u></a>')


def _text(value: str) -> str:
    return escape(value).replace("\n", "<br/>")


class ProgressBar(Flowable):
    """An outlined bar, filled in grey up to ``fraction``; reads fine in black and white."""

    def __init__(self, fraction: float, label: str, style: ParagraphStyle) -> None:
        super().__init__()
        self.fraction = max(0.0, min(1.0, fraction))
        self.label = label
        self.style = style
        self.height = 7 * mm

    def wrap(self, available_width, available_height):
        self.width = available_width
        return self.width, self.height + 2 * mm

    def draw(self) -> None:
        canvas = self.canv
        bar_height = 4.5 * mm
        canvas.setLineWidth(0.8)
        canvas.setStrokeColor(colors.black)
        canvas.setFillColor(GREY)
        canvas.rect(0, 1 * mm, self.width * self.fraction, bar_height, stroke=0, fill=1)
        canvas.setFillColor(colors.black)
        canvas.rect(0, 1 * mm, self.width, bar_height, stroke=1, fill=0)


class QrCode(Flowable):
    """A QR code drawn as vector squares with its quiet zone, and a caption under it."""

    def __init__(self, url: str, size: float) -> None:
        super().__init__()
        self.url = url
        self.size = size

    def wrap(self, available_width, available_height):
        return self.size, self.size

    def draw(self) -> None:
        quiet = self.size * 0.08
        draw_qr(self.canv, self.url, quiet, quiet, self.size - 2 * quiet)


def _blocks(section: Section, styles) -> list[Flowable]:
    flowables: list[Flowable] = []
    for block in section.blocks:
        if isinstance(block, Paragraph):
            flowables.append(ParagraphFlowable(_markup(block.runs), styles["body"]))
        elif isinstance(block, ListBlock):
            items = [ListItem(ParagraphFlowable(_markup(item), styles["body"])) for item in block.items]
            flowables.append(ListFlowable(
                items, bulletType="1" if block.ordered else "bullet", start=None if block.ordered else "•",
                bulletFontName=FONT, bulletFontSize=styles["body"].fontSize,
                leftIndent=styles["body"].fontSize * 1.6, spaceAfter=styles["body"].spaceAfter))
    return flowables


def _image(section: Section, styles, width: float) -> list[Flowable]:
    if section.image is None:
        return []
    picture = ImageFlowable(str(section.image.path))
    scale = min(width / picture.imageWidth, MAX_IMAGE_HEIGHT / picture.imageHeight)
    picture.drawWidth, picture.drawHeight = picture.imageWidth * scale, picture.imageHeight * scale
    flowables: list[Flowable] = [Spacer(1, 2), picture]
    if section.image.caption:
        flowables.append(ParagraphFlowable(_text(section.image.caption), styles["caption"]))
    flowables.append(Spacer(1, 4))
    return flowables


def _items(section: Section, styles, width: float) -> list[Flowable]:
    if section.kind == "contacts":
        rows = [[ParagraphFlowable(_text(item.title), styles["label"]),
                 ParagraphFlowable(_text(item.detail), styles["small"])] for item in section.items]
        if not rows:
            return []
        table = Table(rows, colWidths=[width * 0.3, width * 0.7], hAlign="LEFT")
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                                   ("TOPPADDING", (0, 0), (-1, -1), 0)]))
        return [table]
    flowables: list[Flowable] = []
    for item in section.items:
        flowables.append(ParagraphFlowable("▸ " + _text(item.title), styles["item_title"]))
        if item.detail:
            flowables.append(ParagraphFlowable(_text(item.detail), styles["item_detail"]))
        else:
            flowables.append(Spacer(1, styles["body"].spaceAfter))
    return flowables


def _section(section: Section, styles, width: float) -> list[Flowable]:
    boxed = section.kind in ("tip", "contacts")
    inner_width = width - (5 * mm if boxed else 0)
    head: list[Flowable] = []
    if section.tag:
        head.append(ParagraphFlowable(_text(section.tag.upper()), styles["tag"]))
    head.append(ParagraphFlowable(_text(section.heading), styles["heading"]))
    if not boxed:
        head.append(HRFlowable(width="100%", thickness=0.6, color=colors.black, spaceBefore=0,
                               spaceAfter=4))
    content = _blocks(section, styles) + _items(section, styles, inner_width)
    if section.progress is not None:
        content.append(ProgressBar(section.progress, section.progress_label, styles["body"]))
        if section.progress_label:
            content.append(ParagraphFlowable(_text(section.progress_label), styles["small"]))
    if section.qr_url:
        size = 30 * mm
        label = ParagraphFlowable(_text(section.qr_label), styles["label"])
        qr = Table([[QrCode(section.qr_url, size), label]], colWidths=[size + 3 * mm, None],
                   hAlign="LEFT")
        qr.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        content.append(qr)
    content = _image(section, styles, inner_width) + content
    plain_length = sum(len(getattr(f, "text", "") or "") for f in content)
    if boxed and plain_length < BOX_LIMIT:
        box = Table([[head + content]], colWidths=[width])
        box.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("BOX", (0, 0), (-1, -1), 1.2, colors.black),
                                 ("BACKGROUND", (0, 0), (-1, -1), LIGHT),
                                 ("LEFTPADDING", (0, 0), (-1, -1), 2.5 * mm),
                                 ("RIGHTPADDING", (0, 0), (-1, -1), 2.5 * mm),
                                 ("TOPPADDING", (0, 0), (-1, -1), 1.5 * mm),
                                 ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5 * mm)]))
        return [CondPageBreak(40 * mm), Spacer(1, 3 * mm), box, Spacer(1, 4 * mm)]
    if section.progress is not None:
        # A progress section (packs) is short: its heading, figures and bar move as one, so the
        # bar never lands at the top of the next column or page without its words.
        return [CondPageBreak(25 * mm), KeepTogether(head + content), Spacer(1, 3 * mm)]
    # The heading stays with the start of its text, never alone at a column's foot.
    first = content[:1]
    return [CondPageBreak(25 * mm), KeepTogether(head + first), *content[1:], Spacer(1, 3 * mm)]


class _Decorations:
    """Masthead (first page), footer and column rule, drawn straight on the canvas."""

    def __init__(self, document: Document, template: str) -> None:
        self.document = document
        self.template = template

    def masthead(self, canvas: Canvas, doc) -> None:
        width, height = PAGE_SIZE
        left, right, top = MARGIN, width - MARGIN, height - MARGIN
        canvas.saveState()
        canvas.setFillColor(colors.black)
        canvas.rect(left, top - 4, right - left, 4, stroke=0, fill=1)
        name = self.document.group_name
        size = 27
        while size > 14 and canvas.stringWidth(name, SERIF_BOLD, size) > right - left:
            size -= 1
        canvas.setFont(SERIF_BOLD, size)
        canvas.drawString(left, top - 8 * mm - size * 0.55, name)
        canvas.setFont(SERIF, 15)
        title_y = top - 27 * mm
        canvas.drawString(left, title_y, _fit(canvas, self.document.title, SERIF, 15, (right - left) * 0.62))
        canvas.setFont(FONT, 9.5)
        canvas.drawRightString(right, title_y, self.document.masthead_line)
        canvas.setLineWidth(1.6)
        canvas.line(left, title_y - 4 * mm, right, title_y - 4 * mm)
        canvas.setLineWidth(0.5)
        canvas.line(left, title_y - 5 * mm, right, title_y - 5 * mm)
        canvas.restoreState()
        self.footer(canvas, doc, first=True)

    def footer(self, canvas: Canvas, doc, first: bool = False) -> None:
        width, _height = PAGE_SIZE
        canvas.saveState()
        canvas.setLineWidth(0.5)
        canvas.setStrokeColor(colors.black)
        canvas.line(MARGIN, MARGIN + 4 * mm, width - MARGIN, MARGIN + 4 * mm)
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(GREY)
        canvas.drawString(MARGIN, MARGIN, _fit(canvas, self.document.footer_line, FONT, 7.5,
                                               (width - 2 * MARGIN) * 0.8))
        canvas.drawRightString(width - MARGIN, MARGIN, self.document.page_label % {"page": doc.page})
        if self.template == TWO_COLUMN:
            top = PAGE_SIZE[1] - MARGIN - (MASTHEAD_HEIGHT if first else 0)
            middle = width / 2
            canvas.setStrokeColor(colors.Color(0.6, 0.6, 0.6))
            canvas.line(middle, MARGIN + FOOTER_HEIGHT, middle, top - 2 * mm)
        canvas.restoreState()


def _fit(canvas: Canvas, text: str, font: str, size: float, width: float) -> str:
    if canvas.stringWidth(text, font, size) <= width:
        return text
    while text and canvas.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _frames(template: str, first: bool) -> list[Frame]:
    width, height = PAGE_SIZE
    top = height - MARGIN - (MASTHEAD_HEIGHT if first else 0)
    bottom = MARGIN + FOOTER_HEIGHT
    usable = width - 2 * MARGIN
    suffix = "first" if first else "later"
    if template == ONE_COLUMN:
        return [Frame(MARGIN, bottom, usable, top - bottom, id=f"main-{suffix}", leftPadding=0,
                      rightPadding=0, topPadding=0, bottomPadding=0)]
    column = (usable - GUTTER) / 2
    return [Frame(MARGIN + index * (column + GUTTER), bottom, column, top - bottom,
                  id=f"col{index}-{suffix}", leftPadding=0, rightPadding=0, topPadding=0,
                  bottomPadding=0) for index in (0, 1)]


def column_width(template: str) -> float:
    return _frames(template, first=False)[0].width


def render_pdf(document: Document, path: str | Path, template: str = TWO_COLUMN) -> None:
    """Write ``document`` to ``path`` as an A4 PDF. Library errors propagate to the caller."""
    styles = _styles(template)
    decorations = _Decorations(document, template)
    doc = BaseDocTemplate(str(path), pagesize=PAGE_SIZE, title=document.plain_title(),
                          author=document.group_name or "Peer Support", creator="Peer Support",
                          subject=document.masthead_line, lang=document.language,
                          leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
                          # Only the bundled fonts: reportlab's default Helvetica is never embedded.
                          initialFontName=FONT, pageCompression=1)
    doc.addPageTemplates([
        PageTemplate(id="first", frames=_frames(template, True), onPage=decorations.masthead),
        PageTemplate(id="later", frames=_frames(template, False), onPage=decorations.footer),
    ])
    width = column_width(template)
    story: list[Flowable] = [NextPageTemplate("later")]
    for section in document.sections:
        story.extend(_section(section, styles, width))
    doc.build(story)
