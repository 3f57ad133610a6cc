"""The period report as XLSX (totals are live formulas a funder can check) or A4 PDF.

In the workbook each detail sheet (meetings, fund by need, packs, themes) ends
with a SUM row over its lines, and the summary sheet points at those totals,
so changing a line in the spreadsheet changes every total that depends on it.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from peer_support.domain.dashboard import PeriodReport
from peer_support.errors import ExportError
from peer_support.exports.files import atomic_output, output_format
from peer_support.exports.pdf import FONT, FONT_BOLD, PAGE_SIZE, styles
from peer_support.domain.outcomes import compartment_label, fewer_than_text
from peer_support.exports.spreadsheet import GBP_FORMAT, append_row
from peer_support.i18n import _, current_language, pgettext
from peer_support.i18n.formatting import format_date, format_money, format_number, format_score

FORMATS = ("pdf", "xlsx")
BOLD = Font(bold=True)


def write_period_report(report: PeriodReport, path: str | Path) -> Path:
    """Write the report as .pdf or .xlsx (by the file name). Raises ExportError; no half files."""
    kind = output_format(path, FORMATS)
    with atomic_output(path) as partial:
        if kind == "xlsx":
            _write_xlsx(report, partial)
        else:
            _write_pdf(report, partial)
    return Path(path)


def report_title(report: PeriodReport) -> str:
    if report.group_name:
        return _("%(group)s: report for %(start)s to %(end)s") % {
            "group": report.group_name, "start": format_date(report.start), "end": format_date(report.end)}
    return _("Report for %(start)s to %(end)s") % {"start": format_date(report.start),
                                                  "end": format_date(report.end)}


def scope_text(report: PeriodReport) -> str:
    return _("Meetings held, packs delivered, payments made and families added between the two dates "
             "(inclusive). Fund applications: those received in the period, with their decisions and "
             "payments up to %(today)s. Families reached counts each family once, whether they came to a "
             "meeting, had an application approved or got a pack.") % {"today": format_date(report.made_on)}


# -- XLSX ------------------------------------------------------------------------------------
def _pounds(pence: int) -> float:
    return pence / 100


def _sheet_ref(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _detail_sheet(book: Workbook, title: str, headers: list[str], rows: list[list],
                  sum_columns: str, money_columns: str = "") -> tuple[str, int]:
    """A sheet of lines with a bold SUM row; returns (sheet reference, total row number)."""
    sheet = book.create_sheet(title[:31])
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = BOLD
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(header) + 4)
    for row in rows:
        append_row(sheet, row)
    total = sheet.max_row + 1
    last = max(total - 1, 2)
    total_row: list = [_("Total")] + [""] * (len(headers) - 1)
    for letter in sum_columns:
        index = ord(letter) - ord("A")
        total_row[index] = f"=SUM({letter}2:{letter}{last})"
    sheet.append(total_row)
    for cell in sheet[total]:
        cell.font = BOLD
    for letter in money_columns:
        for cell in sheet[letter][1:]:
            cell.number_format = GBP_FORMAT
    return _sheet_ref(sheet.title), total


def _write_xlsx(report: PeriodReport, path: Path) -> None:
    book = Workbook()
    summary = book.active
    summary.title = _("Summary")[:31]
    meetings_ref, meetings_total = _detail_sheet(
        book, _("Meetings"),
        [_("Reference"), _("Date"), _("Topic"), _("Families present"), _("Walk-in guests"),
         _("Crèche children"), _("Themes")],
        [[m.reference, m.on, m.topic, m.families_present, m.walk_in_guests, m.creche_children,
          ", ".join(m.themes)] for m in report.meetings], "DEF")
    book[_("Meetings")[:31]].column_dimensions["C"].width = 48
    for row in book[_("Meetings")[:31]].iter_rows(min_row=2, min_col=2, max_col=2):
        row[0].number_format = "yyyy-mm-dd"
    fund_ref, fund_total = _detail_sheet(
        book, _("Fund by need"),
        fund_headers(),
        [[n.label, n.applications, n.approved, _pounds(n.requested_pence), _pounds(n.approved_pence),
          _pounds(n.paid_pence)] for n in report.fund_by_need], "BCDEF", "DEF")
    packs_ref, packs_total = _detail_sheet(
        book, _("Packs"), [_("Batch"), _("Name"), _("Packs delivered"), _("Families")],
        [[b.reference, b.name, b.delivered, b.families] for b in report.batches], "C")
    themes_ref, themes_total = _detail_sheet(
        book, _("Themes"), [_("Resilience Framework compartment"), _("Meetings")],
        [[t.label, t.meetings] for t in report.themes], "B")

    outcomes_sheet = book.create_sheet(_("What families told us")[:31])
    append_row(outcomes_sheet, outcome_headers())
    for cell in outcomes_sheet[1]:
        cell.font = BOLD
    for title, what, answers, average in outcome_rows(report):
        append_row(outcomes_sheet, [title, what, fewer_than_text() if answers is None else answers,
                                    None if average is None else round(average, 2)])
    for letter, width in zip("ABCD", (34, 44, 16, 20)):
        outcomes_sheet.column_dimensions[letter].width = width

    summary.append([report_title(report)])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([scope_text(report)])
    summary["A2"].alignment = Alignment(wrap_text=True, vertical="top")
    summary.merge_cells("A2:B2")
    summary.row_dimensions[2].height = 75
    summary.append([])
    rows = [
        (_("Families reached"), report.families_reached, None),
        (_("Families at meetings"), report.families_at_meetings, None),
        (_("Families helped by the fund"), report.families_helped_by_fund, None),
        (_("Families who got a pack"), report.families_with_packs, None),
        (_("New families"), report.new_families, None),
        (_("Meetings held"), f"=COUNTA({meetings_ref}!A2:A{max(meetings_total - 1, 2)})", None),
        (_("Families present at meetings"), f"={meetings_ref}!D{meetings_total}", None),
        (_("Walk-in guests"), f"={meetings_ref}!E{meetings_total}", None),
        (_("Total attendance"), f"={meetings_ref}!D{meetings_total}+{meetings_ref}!E{meetings_total}", None),
        (_("Crèche children"), f"={meetings_ref}!F{meetings_total}", None),
        (_("Fund applications received"), f"={fund_ref}!B{fund_total}", None),
        (_("Fund applications approved"), f"={fund_ref}!C{fund_total}", None),
        (_("Amount approved"), f"={fund_ref}!E{fund_total}", GBP_FORMAT),
        (_("Paid to these applications"), f"={fund_ref}!F{fund_total}", GBP_FORMAT),
        (_("All payments made in the period"), _pounds(report.fund_paid_in_period_pence), GBP_FORMAT),
        (_("Packs delivered"), f"={packs_ref}!C{packs_total}", None),
        (_("Resilience Framework compartments covered"),
         f'=COUNTIF({themes_ref}!B2:B{max(themes_total - 1, 2)},">0")', None),
    ]
    for label, value, number_format in rows:
        summary.append([label, value])
        if number_format:
            summary.cell(summary.max_row, 2).number_format = number_format
    summary.column_dimensions["A"].width = 44
    summary.column_dimensions["B"].width = 18
    try:
        book.save(path)
    except (ValueError, TypeError) as exc:  # openpyxl's complaint about a value it cannot store
        raise ExportError(_("The spreadsheet could not be written: %(reason)s") % {"reason": exc}) from exc


def outcome_rows(report: PeriodReport) -> list[tuple[str, str, int | None, float | None]]:
    """What families told us, per form: returns, average rating per compartment, change per family
    (title, what, answers, average). None stands for a figure made of fewer than five answers."""
    language = current_language()
    rows: list[tuple[str, str, int | None, float | None]] = []
    for results in report.outcomes:
        title = results.form.title(language)
        rows.append((title, _("Forms returned"), None if results.suppressed else results.responses, None))
        for compartment in results.compartments:
            rows.append((title, compartment_label(compartment.compartment),
                         None if compartment.suppressed else compartment.answered,
                         None if compartment.suppressed else compartment.average))
        if results.form.repeated:
            change = results.average_change
            rows.append((title, change_label(), None if change is None else len(results.changes), change))
    return rows


def fund_headers() -> list[str]:
    return [_("Need"), _("Applications"), pgettext("number of applications", "Approved"), _("Amount requested"),
            _("Amount approved"), _("Paid")]


def change_label() -> str:
    return _("Change between first and latest answers (average)")


def outcome_headers() -> list[str]:
    return [_("Form"), _("What"), _("Answers"), _("Average (1–5)")]


# -- PDF -------------------------------------------------------------------------------------
def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _table(rows: list[list], widths: list[float], total_row: bool = True, header: bool = True,
           text_columns: int = 1) -> Table:
    """A striped table; the first ``text_columns`` columns align left, the figures right."""
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    first = 1 if header else 0
    commands = [("FONT", (0, 0), (-1, -1), FONT, 8.5), ("ALIGN", (text_columns, 0), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ROWBACKGROUNDS", (0, first), (-1, -1), [colors.white, colors.HexColor("#f1f4f8")])]
    if header:
        commands += [("FONT", (0, 0), (-1, 0), FONT_BOLD, 8.5), ("LINEBELOW", (0, 0), (-1, 0), 0.6, colors.black)]
    if total_row:
        commands += [("FONT", (0, -1), (-1, -1), FONT_BOLD, 8.5),
                     ("LINEABOVE", (0, -1), (-1, -1), 0.6, colors.black),
                     ("BACKGROUND", (0, -1), (-1, -1), colors.white)]
    table.setStyle(TableStyle(commands))
    return table


def _summary_rows(report: PeriodReport) -> list[list[str]]:
    number = format_number
    return [
        [_("Families reached"), number(report.families_reached)],
        [_("Families at meetings"), number(report.families_at_meetings)],
        [_("Families helped by the fund"), number(report.families_helped_by_fund)],
        [_("Families who got a pack"), number(report.families_with_packs)],
        [_("New families"), number(report.new_families)],
        [_("Meetings held"), number(report.meetings_held)],
        [_("Total attendance"), number(report.total_attendance)],
        [_("Crèche children"), number(report.creche_children)],
        [_("Fund applications received"), number(report.applications)],
        [_("Amount approved"), format_money(report.approved_pence)],
        [_("All payments made in the period"), format_money(report.fund_paid_in_period_pence)],
        [_("Packs delivered"), number(report.packs_delivered)],
        [_("Resilience Framework compartments covered"),
         _("%(covered)d of %(all)d") % {"covered": len(report.themes_covered), "all": len(report.themes)}],
    ]


def _meeting_rows(report: PeriodReport, cell) -> list[list]:
    rows: list[list] = [[_("Date"), _("Topic"), _("Families"), _("Guests"), _("Crèche")]]
    for m in report.meetings:
        topic = _escape(m.topic) + (f"<br/><font size=7>{_escape(', '.join(m.themes))}</font>" if m.themes else "")
        rows.append([format_date(m.on), Paragraph(topic, cell), format_number(m.families_present),
                     format_number(m.walk_in_guests), format_number(m.creche_children)])
    rows.append([_("Total"), "", format_number(report.families_present), format_number(report.walk_in_guests),
                 format_number(report.creche_children)])
    return rows


def _write_pdf(report: PeriodReport, path: Path) -> None:
    sheet = styles()
    document = SimpleDocTemplate(str(path), pagesize=PAGE_SIZE, leftMargin=16 * mm, rightMargin=16 * mm,
                                 topMargin=16 * mm, bottomMargin=16 * mm, title=report_title(report),
                                 author="Peer Support", creator="Peer Support")
    story = [Paragraph(_escape(report_title(report)), sheet["title"]),
             Paragraph(_escape(scope_text(report)), sheet["small"]), Spacer(1, 4 * mm),
             _table(_summary_rows(report), [110 * mm, 40 * mm], total_row=False, header=False),
             Paragraph(_("Meetings held"), sheet["heading"])]
    if report.meetings:
        story.append(_table(_meeting_rows(report, sheet["cell"]), [26 * mm, 90 * mm, 20 * mm, 20 * mm, 20 * mm],
                            text_columns=2))
    else:
        story.append(Paragraph(_("No meetings were held in this period."), sheet["body"]))
    themes = [[_("Compartment"), _("Meetings")]] + [[t.label, format_number(t.meetings)] for t in report.themes]
    story.append(KeepTogether([Paragraph(_("Resilience Framework compartments"), sheet["heading"]),
                               _table(themes, [80 * mm, 30 * mm], total_row=False)]))
    story.append(Paragraph(_("Connectivity fund"), sheet["heading"]))
    # Header cells wrap (long Polish and German words never run into the next column) and name
    # the count and the amount apart: "Approved" alone was two columns of the same name.
    header_style = ParagraphStyle("header_cell", parent=sheet["cell"], fontName=FONT_BOLD, fontSize=8.5,
                                  leading=10)
    fund = [[Paragraph(_escape(text), header_style) for text in fund_headers()]]
    fund += [[n.label, format_number(n.applications), format_number(n.approved), format_money(n.requested_pence),
              format_money(n.approved_pence), format_money(n.paid_pence)] for n in report.fund_by_need]
    fund.append([_("Total"), format_number(report.applications), format_number(report.approved),
                 format_money(report.requested_pence), format_money(report.approved_pence),
                 format_money(report.paid_pence)])
    story.append(_table(fund, [38 * mm, 22 * mm, 28 * mm, 30 * mm, 30 * mm, 28 * mm]))
    story.append(Paragraph(_("Activity packs"), sheet["heading"]))
    if report.batches:
        packs = [[_("Batch"), _("Packs delivered"), _("Families")]]
        packs += [[f"{b.reference} {b.name}", format_number(b.delivered), format_number(b.families)]
                  for b in report.batches]
        packs.append([_("Total"), format_number(report.packs_delivered), format_number(report.families_with_packs)])
        story.append(_table(packs, [90 * mm, 34 * mm, 30 * mm]))
    else:
        story.append(Paragraph(_("No packs were delivered in this period."), sheet["body"]))
    story.append(Paragraph(_("What families told us"), sheet["heading"]))
    if report.outcomes:
        rows: list[list] = [outcome_headers()]
        for title, what, answers, average in outcome_rows(report):
            shown = "" if average is None else format_score(average, signed=what == change_label())
            rows.append([Paragraph(_escape(title), sheet["cell"]), Paragraph(_escape(what), sheet["cell"]),
                         fewer_than_text() if answers is None else format_number(answers), shown])
        story.append(_table(rows, [44 * mm, 64 * mm, 30 * mm, 36 * mm], total_row=False, text_columns=2))
        story.append(Paragraph(_("Figures made of fewer than five answers are not shown, so that nobody can be "
                                 "recognised."), sheet["small"]))
    else:
        story.append(Paragraph(_("No feedback forms were returned in this period."), sheet["body"]))
    story += [Spacer(1, 6 * mm), Paragraph(_("Made with Peer Support on %(date)s.")
                                           % {"date": format_date(report.made_on)}, sheet["small"])]
    try:
        document.build(story)
    except (ValueError, TypeError) as exc:
        raise ExportError(_("The PDF could not be written: %(reason)s") % {"reason": exc}) from exc
