"""Paper feedback forms: one A4 page per copy, each in its own language.

A personalised copy carries the family's card QR code (only the reference, e.g. F0042,
as on the family card), so the answers can be typed in by scanning it. An anonymous
copy carries no code at all. Every box shows the key a volunteer types for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from peer_support.domain.outcomes import NO, RATING_MAX, RATING_MIN, YES, FormRecord, QuestionKind, QuestionRecord
from peer_support.exports.files import atomic_output
from peer_support.exports.pdf import FONT, FONT_BOLD, PAGE_SIZE, draw_qr, new_canvas, styles
from peer_support.i18n import N_, translations_for

if TYPE_CHECKING:
    from peer_support.domain.outcomes import PrintCopy

MARGIN = 18 * mm
QR_SIZE = 26 * mm
BOX = 5 * mm
TEXT_LINES = 3
ROOM_FOR_A_QUESTION = 48 * mm  # a text question with its lines, and the footer


class _Words:
    """Fixed words in the copy's language, whatever the UI's."""

    def __init__(self, language: str) -> None:
        self._catalog = translations_for(language)

    def __call__(self, message: str) -> str:
        return self._catalog.gettext(message)

    def p(self, context: str, message: str) -> str:
        return self._catalog.pgettext(context, message)


ANONYMOUS_NOTE = N_("You do not need to write your name: this form is anonymous. "
                    "Leave out any question you prefer not to answer.")
PERSONAL_NOTE = N_("This form carries your family code, so we can see how things change for you over time. "
                   "Leave out any question you prefer not to answer.")
HOW_TO = N_("Tick one box for each numbered question.")
SCALE = N_("1 = not at all, 5 = very much")
THANKS = N_("Thank you! Please hand this form to a volunteer.")
DATE_LINE = N_("Date:")
FAMILY_CODE = N_("Family code: %(reference)s")


def _paragraph(canvas, text: str, style: ParagraphStyle, x: float, top: float, width: float) -> float:
    """Draw wrapped text with its top at ``top``; returns the y below it."""
    paragraph = Paragraph(escape(text), style)
    _width, height = paragraph.wrap(width, 1000)
    paragraph.drawOn(canvas, x, top - height)
    return top - height


def _box(canvas, x: float, y: float) -> None:
    canvas.setStrokeColor(colors.black)
    canvas.setLineWidth(0.8)
    canvas.rect(x, y, BOX, BOX, stroke=1, fill=0)


def _options(question: QuestionRecord, words: _Words, language: str) -> list[tuple[int, str]]:
    if question.kind is QuestionKind.RATING:
        return [(value, str(value)) for value in range(RATING_MIN, RATING_MAX + 1)]
    if question.kind is QuestionKind.YES_NO:
        return [(YES, words.p("answer", "Yes")), (NO, words.p("answer", "No"))]
    return list(enumerate(question.choice_labels(language), start=1))


def _draw_question(canvas, number: int, question: QuestionRecord, language: str, words: _Words,
                   sheet: dict[str, ParagraphStyle], top: float) -> float:
    width = PAGE_SIZE[0] - 2 * MARGIN
    y = _paragraph(canvas, f"{number}. {question.text(language)}", sheet["question"], MARGIN, top, width)
    y -= 2 * mm
    if question.kind is QuestionKind.TEXT:
        canvas.setStrokeColor(colors.grey)
        canvas.setLineWidth(0.5)
        for _line in range(TEXT_LINES):
            y -= 8 * mm
            canvas.line(MARGIN + 6 * mm, y, MARGIN + width, y)
        return y - 4 * mm
    x = MARGIN + 6 * mm
    row_y = y - BOX
    canvas.setFont(FONT, 10)
    for key, label in _options(question, words, language):
        text = label if question.kind is QuestionKind.RATING else f"{label} ({key})"
        label_width = canvas.stringWidth(text, FONT, 10)
        if x + BOX + 2 * mm + label_width > MARGIN + width:  # wrap long choices onto a new row
            x, row_y = MARGIN + 6 * mm, row_y - BOX - 3 * mm
        _box(canvas, x, row_y)
        canvas.drawString(x + BOX + 2 * mm, row_y + 1.2 * mm, text)
        x += BOX + 2 * mm + label_width + 8 * mm
    y = row_y - 2 * mm
    if question.kind is QuestionKind.RATING:
        y = _paragraph(canvas, words(SCALE), sheet["hint"], MARGIN + 6 * mm, y, width - 6 * mm)
    return y - 5 * mm


def _draw_copy(canvas, form: FormRecord, copy: "PrintCopy", group_name: str,
               sheet: dict[str, ParagraphStyle]) -> None:
    words = _Words(copy.language)
    page_width, page_height = PAGE_SIZE
    width = page_width - 2 * MARGIN
    top = page_height - MARGIN
    text_width = width - (QR_SIZE + 6 * mm if copy.family_reference else 0)
    if copy.family_reference:
        draw_qr(canvas, copy.family_reference, page_width - MARGIN - QR_SIZE, top - QR_SIZE, QR_SIZE)
        canvas.setFont(FONT_BOLD, 10)
        canvas.drawCentredString(page_width - MARGIN - QR_SIZE / 2, top - QR_SIZE - 5 * mm, copy.family_reference)
    y = top
    if group_name:
        y = _paragraph(canvas, group_name, sheet["hint"], MARGIN, y, text_width)
    y = _paragraph(canvas, form.title(copy.language), sheet["title"], MARGIN, y, text_width) - 2 * mm
    if copy.family_reference:
        who = words(FAMILY_CODE) % {"reference": copy.family_reference}
        if copy.family_name:
            who = f"{who} – {copy.family_name}"
        y = _paragraph(canvas, who, sheet["body"], MARGIN, y, text_width) - 1 * mm
    note = words(PERSONAL_NOTE if copy.family_reference else ANONYMOUS_NOTE)
    y = _paragraph(canvas, note, sheet["body"], MARGIN, y, text_width) - 2 * mm
    y = _paragraph(canvas, f"{words(DATE_LINE)} ____________________", sheet["body"], MARGIN, y, text_width)
    y = min(y, top - QR_SIZE - 9 * mm) if copy.family_reference else y
    y = _paragraph(canvas, words(HOW_TO), sheet["hint"], MARGIN, y - 4 * mm, width) - 4 * mm
    for number, question in enumerate(form.questions, start=1):
        if y < MARGIN + ROOM_FOR_A_QUESTION:  # a long form goes on over the page
            canvas.setFont(FONT, 9)
            canvas.drawRightString(page_width - MARGIN, MARGIN, f"{form.reference} · {copy.language}")
            canvas.showPage()
            y = _paragraph(canvas, form.title(copy.language), sheet["question"], MARGIN, top, width) - 4 * mm
        y = _draw_question(canvas, number, question, copy.language, words, sheet, y)
    canvas.setFont(FONT, 9)
    canvas.drawString(MARGIN, MARGIN, words(THANKS))
    canvas.drawRightString(page_width - MARGIN, MARGIN, f"{form.reference} · {copy.language}")


def write_forms(path: str | Path, form: FormRecord, copies: list["PrintCopy"], group_name: str) -> Path:
    base = styles()
    sheet = {
        "title": ParagraphStyle("form-title", parent=base["title"], fontSize=20, leading=24),
        "body": ParagraphStyle("form-body", parent=base["body"], fontSize=11, leading=14),
        "question": ParagraphStyle("form-question", parent=base["body"], fontName=FONT_BOLD, fontSize=12,
                                   leading=15),
        "hint": ParagraphStyle("form-hint", parent=base["body"], fontSize=9, leading=11, textColor=colors.HexColor("#444444")),
    }
    with atomic_output(path) as partial:
        canvas = new_canvas(partial, form.titles["en"])
        for copy in copies:
            _draw_copy(canvas, form, copy, group_name, sheet)
            canvas.showPage()
        canvas.save()
    return Path(path)
