"""The funder report as XLSX (with live formulas the funder can check) or A4 PDF.

In the workbook every total is a formula over the rows it adds up: the rows by
need and by area are SUMIF/COUNTIF over the Applications sheet, their totals
are SUM, and the summary points at those totals. Amounts are pounds with a
GBP number format, so the spreadsheet shows them in its own locale.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from peer_support.domain.fund import COMMITTED, Status
from peer_support.domain.fund_report import FundReport, ReportGroup
from peer_support.errors import ExportError
from peer_support.exports.files import atomic_output, output_format
from peer_support.exports.pdf import FONT, FONT_BOLD, PAGE_SIZE, styles
from peer_support.exports.spreadsheet import GBP_FORMAT, append_row
from peer_support.i18n import _
from peer_support.i18n.formatting import format_date, format_money, format_number

BOLD = Font(bold=True)


FORMATS = ("xlsx", "pdf")


def write_fund_report(report: FundReport, path: str | Path) -> Path:
    """Write the report as .xlsx or .pdf (by the file name). Raises ExportError; no half files."""
    kind = output_format(path, FORMATS)
    with atomic_output(path) as partial:
        if kind == "xlsx":
            _write_xlsx(report, partial)
        else:
            _write_pdf(report, partial)
    return Path(path)


def report_title() -> str:
    return _("Connectivity fund report")


def period_text(report: FundReport) -> str:
    return _("Applications received from %(start)s to %(end)s, with every payment made to them up to "
             "%(today)s. Pot figures are as at %(today)s.") % {
        "start": format_date(report.start), "end": format_date(report.end),
        "today": format_date(report.made_on)}


# -- XLSX --------------------------------------------------------------------------------
def _pounds(pence: int) -> float:
    return pence / 100


def _sheet_ref(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _header(sheet, titles: list[str]) -> None:
    sheet.append(titles)
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    for index, title in enumerate(titles, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(title) + 4)


def _write_xlsx(report: FundReport, path: Path) -> None:
    book = Workbook()
    summary = book.active
    summary.title = _("Summary")[:31]
    apps = book.create_sheet(_("Applications")[:31])
    need_sheet = book.create_sheet(_("By need")[:31])
    area_sheet = book.create_sheet(_("By area")[:31])
    pot_sheet = book.create_sheet(_("Pots")[:31])

    _header(apps, [_("Reference"), _("Received"), _("Area"), _("Need"), _("Status"),
                   _("Amount requested"), _("Amount approved"), _("Paid")])
    for line in report.lines:
        append_row(apps, [line.reference, line.received_on, line.area, line.need, line.status,
                     _pounds(line.requested_pence), _pounds(line.approved_pence), _pounds(line.paid_pence)])
    last = max(apps.max_row, 2)
    apps_ref = _sheet_ref(apps.title)
    column = {name: f"{apps_ref}!${letter}$2:${letter}${last}" for name, letter in
              (("ref", "A"), ("area", "C"), ("need", "D"), ("status", "E"), ("requested", "F"),
               ("approved", "G"), ("paid", "H"))}
    for row in apps.iter_rows(min_row=2, min_col=2, max_col=2):
        row[0].number_format = "yyyy-mm-dd"
    _money_columns(apps, "FGH", 2)

    need_total = _write_groups(need_sheet, _("Need"), report.by_need, column["need"], column)
    area_total = _write_groups(area_sheet, _("Area"), report.by_area, column["area"], column)

    _header(pot_sheet, [_("Pot"), _("Funder"), _("Budget"), _("Committed"), _("Paid"), _("Remaining")])
    for pot in report.pots:
        row = pot_sheet.max_row + 1
        append_row(pot_sheet, [pot.name, pot.funder, _pounds(pot.budget_pence), _pounds(pot.committed_pence),
                               _pounds(pot.paid_pence), f"=C{row}-D{row}"], formula_columns=(5,))
    pot_total = pot_sheet.max_row + 1
    pot_sheet.append([_("Total"), ""] + [f"=SUM({c}2:{c}{max(pot_total - 1, 2)})" for c in "CDEF"])
    for cell in pot_sheet[pot_total]:
        cell.font = BOLD
    _money_columns(pot_sheet, "CDEF", 2)
    pot_sheet.column_dimensions["A"].width = 34

    need_ref, pot_ref = _sheet_ref(need_sheet.title), _sheet_ref(pot_sheet.title)
    committed = "+".join(f'COUNTIF({column["status"]},"{_quote(s.label)}")'
                         for s in Status if s in COMMITTED)
    summary.append([report_title()])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([period_text(report)])
    summary.append([])
    rows = [
        (_("Applications received"), f'=COUNTA({column["ref"]})', None),
        (_("Approved"), f"={committed}", None),
        (_("Declined"), f'=COUNTIF({column["status"]},"{_quote(Status.DECLINED.label)}")', None),
        (_("Withdrawn"), f'=COUNTIF({column["status"]},"{_quote(Status.WITHDRAWN.label)}")', None),
        (_("Waiting for a decision"), f'=COUNTIF({column["status"]},"{_quote(Status.RECEIVED.label)}")', None),
        (_("Families helped"), report.families_helped, None),
        (_("Amount requested"), f"={need_ref}!D{need_total}", GBP_FORMAT),
        (_("Amount approved"), f"={need_ref}!E{need_total}", GBP_FORMAT),
        (_("Total paid"), f"={need_ref}!F{need_total}", GBP_FORMAT),
        (_("Budget"), f"={pot_ref}!C{pot_total}", GBP_FORMAT),
        (_("Remaining"), f"={pot_ref}!F{pot_total}", GBP_FORMAT),
    ]
    for label, value, number_format in rows:
        summary.append([label, value])
        if number_format:
            summary.cell(summary.max_row, 2).number_format = number_format
    summary.column_dimensions["A"].width = 32
    summary.column_dimensions["B"].width = 16
    del area_total  # the area sheet has its own total row; the summary uses the need totals
    try:
        book.save(path)
    except (ValueError, TypeError) as exc:  # openpyxl's complaint about a value it cannot store
        raise ExportError(_("The spreadsheet could not be written: %(reason)s") % {"reason": exc}) from exc


def _quote(text: str) -> str:
    return text.replace('"', '""')


def _money_columns(sheet, letters: str, first_row: int) -> None:
    for letter in letters:
        for cell in sheet[letter][first_row - 1:]:
            cell.number_format = GBP_FORMAT


def _write_groups(sheet, title: str, groups: tuple[ReportGroup, ...], key_range: str,
                  column: dict[str, str]) -> int:
    """Rows as COUNTIF/SUMIF over the Applications sheet; returns the total row's number."""
    _header(sheet, [title, _("Applications"), _("Approved"), _("Amount requested"),
                    _("Amount approved"), _("Paid")])
    sheet.column_dimensions["A"].width = 24
    for group in groups:
        row = sheet.max_row + 1
        key = f"$A{row}"
        append_row(sheet, [group.label, f"=COUNTIF({key_range},{key})",
                           f'=COUNTIFS({key_range},{key},{column["approved"]},">0")',
                           f'=SUMIF({key_range},{key},{column["requested"]})',
                           f'=SUMIF({key_range},{key},{column["approved"]})',
                           f'=SUMIF({key_range},{key},{column["paid"]})'], formula_columns=range(1, 6))
    total = sheet.max_row + 1
    sheet.append([_("Total")] + [f"=SUM({c}2:{c}{max(total - 1, 2)})" for c in "BCDEF"])
    for cell in sheet[total]:
        cell.font = BOLD
    _money_columns(sheet, "DEF", 2)
    return total


# -- PDF ---------------------------------------------------------------------------------
def _table(rows: list[list], widths: list[float], total_row: bool = True, header: bool = True) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    first = 1 if header else 0
    commands = [
        ("FONT", (0, 0), (-1, -1), FONT, 8.5),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("ROWBACKGROUNDS", (0, first), (-1, -1), [colors.white, colors.HexColor("#f1f4f8")]),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    if header:
        commands += [("FONT", (0, 0), (-1, 0), FONT_BOLD, 8.5),
                     ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black)]
    if total_row:
        commands += [("FONT", (0, -1), (-1, -1), FONT_BOLD, 8.5),
                     ("LINEABOVE", (0, -1), (-1, -1), 0.6, colors.black),
                     ("BACKGROUND", (0, -1), (-1, -1), colors.white)]
    table.setStyle(TableStyle(commands))
    return table


def _group_rows(title: str, groups: tuple[ReportGroup, ...]) -> list[list]:
    header = ParagraphStyle("fund_header", fontName=FONT_BOLD, fontSize=8.5, leading=10, alignment=2)
    rows = [[title] + [Paragraph(escape(text), header) for text in (
        _("Applications"), _("Approved"), _("Amount requested"), _("Amount approved"), _("Paid"))]]
    for g in groups:
        rows.append([g.label, format_number(g.applications), format_number(g.approved),
                     format_money(g.requested_pence), format_money(g.approved_pence),
                     format_money(g.paid_pence)])
    rows.append([_("Total"), format_number(sum(g.applications for g in groups)),
                 format_number(sum(g.approved for g in groups)),
                 format_money(sum(g.requested_pence for g in groups)),
                 format_money(sum(g.approved_pence for g in groups)),
                 format_money(sum(g.paid_pence for g in groups))])
    return rows


def _write_pdf(report: FundReport, path: Path) -> None:
    style = styles()
    style["heading"].keepWithNext = 1
    doc = SimpleDocTemplate(str(path), pagesize=PAGE_SIZE, leftMargin=16 * mm, rightMargin=16 * mm,
                            topMargin=16 * mm, bottomMargin=16 * mm, title=report_title(),
                            author="Peer Support", creator="Peer Support")
    group_widths = [50 * mm, 22 * mm, 20 * mm, 28 * mm, 28 * mm, 28 * mm]
    story = [Paragraph(report_title(), style["title"]), Paragraph(period_text(report), style["body"]),
             Spacer(1, 4 * mm), Paragraph(_("Summary"), style["heading"])]
    summary = [[_("Applications received"), format_number(report.applications)],
               [_("Approved"), format_number(report.approved)],
               [_("Declined"), format_number(report.declined)],
               [_("Withdrawn"), format_number(report.withdrawn)],
               [_("Waiting for a decision"), format_number(report.waiting)],
               [_("Families helped"), format_number(report.families_helped)],
               [_("Amount requested"), format_money(report.requested_pence)],
               [_("Amount approved"), format_money(report.approved_pence)],
               [_("Total paid"), format_money(report.paid_pence)],
               [_("Budget"), format_money(report.budget_pence)],
               [_("Remaining"), format_money(report.remaining_pence)]]
    story.append(_table(summary, [80 * mm, 40 * mm], total_row=False, header=False))
    story += [Paragraph(_("Pots"), style["heading"])]
    pot_rows = [[_("Pot"), _("Budget"), _("Committed"), _("Paid"), _("Remaining")]]
    for pot in report.pots:
        pot_rows.append([Paragraph(escape(pot.name), style["cell"]), format_money(pot.budget_pence),
                         format_money(pot.committed_pence), format_money(pot.paid_pence),
                         format_money(pot.remaining_pence)])
    pot_rows.append([_("Total"), format_money(report.budget_pence),
                     format_money(sum(p.committed_pence for p in report.pots)),
                     format_money(sum(p.paid_pence for p in report.pots)), format_money(report.remaining_pence)])
    story.append(_table(pot_rows, [62 * mm, 28 * mm, 28 * mm, 28 * mm, 28 * mm]))
    story += [Paragraph(_("By need"), style["heading"]), _table(_group_rows(_("Need"), report.by_need),
                                                                 group_widths),
              Paragraph(_("By area"), style["heading"]), _table(_group_rows(_("Area"), report.by_area),
                                                                 group_widths)]
    if report.lines:
        story.append(Paragraph(_("Applications"), style["heading"]))
        small = ParagraphStyle("fund_small", parent=style["cell"], fontSize=7.5, leading=9)
        bold = ParagraphStyle("fund_small_bold", parent=small, fontName=FONT_BOLD)

        def cell(text: str, header: bool = False) -> Paragraph:
            # Paragraphs wrap long German or Polish words instead of running into the next column.
            return Paragraph(escape(text), bold if header else small)

        rows = [[_("Reference"), _("Received"), cell(_("Area"), True),
                 cell(_("Need"), True), cell(_("Status"), True), _("Requested"), _("Approved"), _("Paid")]]
        for line in report.lines:
            rows.append([line.reference, format_date(line.received_on, "short"), cell(line.area),
                         cell(line.need), cell(line.status), format_money(line.requested_pence),
                         format_money(line.approved_pence), format_money(line.paid_pence)])
        rows.append([_("Total"), "", "", "", "", format_money(report.requested_pence),
                     format_money(report.approved_pence), format_money(report.paid_pence)])
        table = _table(rows, [17 * mm, 21 * mm, 24 * mm, 27 * mm, 24 * mm, 21.5 * mm, 21.5 * mm, 21.5 * mm])
        table.setStyle(TableStyle([("ALIGN", (1, 0), (4, -1), "LEFT"), ("FONT", (0, 1), (-1, -2), FONT, 7.5),
                                   ("FONT", (0, 0), (-1, 0), FONT_BOLD, 7.5),
                                   ("FONT", (0, -1), (-1, -1), FONT_BOLD, 7.5),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3)]))
        story.append(table)
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)


def _footer(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 8)
    canvas.drawRightString(PAGE_SIZE[0] - 16 * mm, 9 * mm, _("Page %(number)d") % {"number": doc.page})
    canvas.restoreState()
