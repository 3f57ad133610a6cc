"""Meeting PDFs: the paper sign-in sheet for a meeting and the family cards with QR codes.

Family cards are credit-card sized (85.6 x 54 mm), ten to an A4 page with cut
lines; the QR code holds only the family reference (e.g. F0042) — no personal
data — which a USB scanner types at the door.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from peer_support.domain.meetings import AttendanceStatus, MeetingRecord, RegisterEntry
from peer_support.exports.files import atomic_output
from peer_support.exports.pdf import FONT, FONT_BOLD, PAGE_SIZE, draw_qr, new_canvas, styles
from peer_support.i18n import _
from peer_support.i18n.formatting import format_date, format_time

CARD_WIDTH = 85.6 * mm
CARD_HEIGHT = 54 * mm
CARD_COLUMNS, CARD_ROWS = 2, 5
QR_SIZE = 30 * mm
BLANK_ROWS = 12  # for newcomers who sign on paper


@dataclass(frozen=True)
class CardFamily:
    reference: str
    name: str


def meeting_heading(meeting: MeetingRecord) -> str:
    return _("%(date)s, %(start)s–%(end)s") % {
        "date": format_date(meeting.on, "full"), "start": format_time(meeting.starts_at),
        "end": format_time(meeting.ends_at)}


def write_sign_in_sheet(path: str | Path, meeting: MeetingRecord, entries: Sequence[RegisterEntry],
                        group_name: str) -> Path:
    """A4 sign-in sheet: one line per family to sign, blank lines for newcomers, door counts."""
    sheet = styles()
    story = [Paragraph(_("Sign-in sheet – %(reference)s") % {"reference": meeting.reference}, sheet["title"])]
    if group_name:
        story.append(Paragraph(_escape(group_name), sheet["heading"]))
    details = [meeting_heading(meeting)]
    if meeting.topic:
        details.append(_("Topic: %(topic)s") % {"topic": meeting.topic})
    if meeting.venue:
        details.append(_("Venue: %(venue)s") % {"venue": meeting.venue})
    for line in details:
        story.append(Paragraph(_escape(line), sheet["body"]))
    story.append(Spacer(1, 4 * mm))
    head_style = ParagraphStyle("head", parent=sheet["cell"], fontName=FONT_BOLD, fontSize=8, leading=10)
    header = [Paragraph(_escape(text), head_style)
              for text in (_("Ref."), _("Family"), _("Apologies"), _("Signature"))]
    rows = [header]
    for entry in entries:
        apologies = "✓" if entry.status is AttendanceStatus.APOLOGIES else ""
        rows.append([entry.family_reference, Paragraph(_escape(entry.family_name), sheet["cell"]), apologies, ""])
    rows.extend([["", "", "", ""] for _row in range(BLANK_ROWS)])
    table = Table(rows, colWidths=[18 * mm, 65 * mm, 34 * mm, 55 * mm], repeatRows=1, rowHeights=8 * mm)
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, 9),
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, 9),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (2, 0), (2, -1), "CENTER"),
    ]))
    story.append(table)
    story.append(Spacer(1, 6 * mm))
    counts = Table([[_("Walk-in guests:"), "", _("Children in the crèche:"), ""]],
                   colWidths=[40 * mm, 30 * mm, 50 * mm, 30 * mm], rowHeights=10 * mm)
    counts.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 10),
                                ("BOX", (1, 0), (1, 0), 0.6, colors.black),
                                ("BOX", (3, 0), (3, 0), 0.6, colors.black),
                                ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story.append(counts)
    title = _("Sign-in sheet – %(reference)s") % {"reference": meeting.reference}

    def footer(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.drawString(18 * mm, 10 * mm, title)
        canvas.drawRightString(PAGE_SIZE[0] - 18 * mm, 10 * mm,
                               _("Page %(page)d") % {"page": document.page})
        canvas.restoreState()

    with atomic_output(path) as partial:
        document = SimpleDocTemplate(str(partial), pagesize=PAGE_SIZE, title=title, author="Peer Support",
                                     leftMargin=18 * mm, rightMargin=18 * mm, topMargin=15 * mm,
                                     bottomMargin=18 * mm)
        document.build(story, onFirstPage=footer, onLaterPages=footer)
    return Path(path)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _fit(text: str, font: str, size: float, width: float) -> tuple[str, float]:
    """Shrink to fit ``width`` down to 7 pt, then cut with an ellipsis."""
    while size > 7 and stringWidth(text, font, size) > width:
        size -= 0.5
    while len(text) > 1 and stringWidth(text, font, size) > width:
        text = text[:-2] + "…"
    return text, size


def write_family_cards(path: str | Path, families: Sequence[CardFamily], group_name: str) -> Path:
    """Ten cards per A4 page, each with the family's name, reference and a QR code of the reference."""
    per_page = CARD_COLUMNS * CARD_ROWS
    page_width, page_height = PAGE_SIZE
    left = (page_width - CARD_COLUMNS * CARD_WIDTH) / 2
    bottom = (page_height - CARD_ROWS * CARD_HEIGHT) / 2
    title = _("Family cards")
    with atomic_output(path) as partial:
        canvas = new_canvas(partial, title)
        for index, family in enumerate(families):
            slot = index % per_page
            if index and slot == 0:
                canvas.showPage()
            column, row = slot % CARD_COLUMNS, slot // CARD_COLUMNS
            x = left + column * CARD_WIDTH
            y = bottom + (CARD_ROWS - 1 - row) * CARD_HEIGHT
            _draw_card(canvas, family, group_name, x, y)
        if not families:
            canvas.setFont(FONT, 12)
            canvas.drawString(20 * mm, page_height - 30 * mm, _("No families to print."))
        canvas.save()
    return Path(path)


def _draw_card(canvas, family: CardFamily, group_name: str, x: float, y: float) -> None:
    canvas.saveState()
    canvas.setDash(2, 2)
    canvas.setStrokeColor(colors.grey)
    canvas.setLineWidth(0.3)
    canvas.rect(x, y, CARD_WIDTH, CARD_HEIGHT, stroke=1, fill=0)  # cut line
    canvas.restoreState()
    pad = 5 * mm
    qr_x = x + CARD_WIDTH - pad - QR_SIZE
    qr_y = y + (CARD_HEIGHT - QR_SIZE) / 2
    draw_qr(canvas, family.reference, qr_x, qr_y, QR_SIZE)
    text_width = qr_x - x - pad - 4 * mm
    canvas.setFillColor(colors.HexColor("#2b5d8a"))
    header, size = _fit(group_name or _("Peer support group"), FONT_BOLD, 9, text_width)
    canvas.setFont(FONT_BOLD, size)
    canvas.drawString(x + pad, y + CARD_HEIGHT - pad - 7, header)
    canvas.setFillColor(colors.black)
    name, size = _fit(family.name, FONT_BOLD, 12, text_width)
    canvas.setFont(FONT_BOLD, size)
    canvas.drawString(x + pad, y + CARD_HEIGHT / 2 + 4 * mm, name)
    canvas.setFont(FONT_BOLD, 20)
    canvas.drawString(x + pad, y + CARD_HEIGHT / 2 - 5 * mm, family.reference)
    hint, size = _fit(_("Show this card at the door"), FONT, 7.5, text_width)
    canvas.setFont(FONT, size)
    canvas.setFillColor(colors.HexColor("#555555"))
    canvas.drawString(x + pad, y + pad, hint)
