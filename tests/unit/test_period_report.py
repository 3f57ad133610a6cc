"""The period report: its figures equal the areas' services; the XLSX formulas add up; the PDF reads right."""

from __future__ import annotations

import re
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from peer_support import i18n
from peer_support.domain.meetings import RESILIENCE_TAGS, MeetingStatus
from peer_support.errors import ExportError, ValidationError
from peer_support.exports.period_report import write_period_report
from peer_support.services.fund_report import build_fund_report
from peer_support.services.meetings import list_meetings
from peer_support.services.period_report import build_period_report

START, END = date(2025, 12, 1), date(2026, 11, 30)


@pytest.fixture
def report(sample_context):
    return build_period_report(sample_context, START, END)


def test_figures_equal_the_meetings_and_fund_services(sample_context, report):
    held = [m for m in list_meetings(sample_context) if m.status is MeetingStatus.HELD and START <= m.on <= END]
    assert report.meetings_held == len(held) == 12
    assert report.total_attendance == sum(m.present_count + m.walk_in_guests for m in held)
    assert report.creche_children == sum(m.creche_children for m in held)
    assert {t.key: t.meetings for t in report.themes} == {key: sum(key in m.tags for m in held)
                                                          for key in RESILIENCE_TAGS}
    fund = build_fund_report(sample_context, START, END)
    assert (report.applications, report.approved, report.requested_pence, report.approved_pence,
            report.paid_pence) == (fund.applications, fund.approved, fund.requested_pence, fund.approved_pence,
                                   fund.paid_pence)
    assert report.families_helped_by_fund == fund.families_helped
    assert report.families_reached >= max(report.families_at_meetings, report.families_helped_by_fund,
                                          report.families_with_packs)
    assert report.families_reached <= (report.families_at_meetings + report.families_helped_by_fund
                                       + report.families_with_packs)


def test_a_period_without_activity_is_all_zero(sample_context):
    empty = build_period_report(sample_context, date(2001, 1, 1), date(2001, 12, 31))
    assert (empty.meetings_held, empty.total_attendance, empty.families_reached, empty.applications,
            empty.packs_delivered, len(empty.themes_covered)) == (0, 0, 0, 0, 0, 0)


@pytest.mark.parametrize("start, end", [(date(2026, 5, 2), date(2026, 5, 1)),
                                        (date(1990, 1, 1), date(2026, 1, 1))])
def test_a_backwards_or_absurd_period_is_refused(context, start, end):
    with pytest.raises(ValidationError):
        build_period_report(context, start, end)


# -- XLSX ---------------------------------------------------------------------------------
_RANGE = r"(?:'((?:[^']|'')+)'!)?\$?([A-Z]+)\$?(\d+)(?::\$?([A-Z]+)\$?(\d+))?"


def _cells(book, sheet_name, here, match):
    sheet = book[sheet_name.replace("''", "'")] if sheet_name else here
    column, first_row, last_column, last_row = match[0], int(match[1]), match[2] or match[0], int(match[3] or match[1])
    assert column == last_column, "the report only adds up single columns"
    return [_value(book, sheet, sheet[f"{column}{row}"].value) for row in range(first_row, last_row + 1)]


def _value(book, sheet, value):
    """Evaluate the few formula forms the report writes: SUM, COUNTA, COUNTIF(>0), references and +."""
    if not (isinstance(value, str) and value.startswith("=")):
        return value
    total = 0
    for term in value[1:].split("+"):
        call = re.fullmatch(r"(SUM|COUNTA|COUNTIF)\((.+?)(?:,\"(.*)\")?\)", term)
        body = call[2] if call else term
        ref = re.fullmatch(_RANGE, body)
        assert ref, f"unexpected formula {value}"
        values = _cells(book, ref[1], sheet, ref.groups()[1:])
        if not call:
            total += values[0] or 0
        elif call[1] == "SUM":
            total += sum(v or 0 for v in values)
        elif call[1] == "COUNTA":
            total += sum(v not in (None, "") for v in values)
        else:
            assert call[3] == ">0"
            total += sum((v or 0) > 0 for v in values)
    return total


def test_xlsx_totals_are_formulas_that_add_up(report, tmp_path):
    path = write_period_report(report, tmp_path / "report.xlsx")
    book = load_workbook(path)
    summary = book.worksheets[0]
    figures = {row[0].value: _value(book, summary, row[1].value) for row in summary.iter_rows(min_row=4)
               if row[0].value}
    assert isinstance(summary["B9"].value, str) and summary["B9"].value.startswith("=COUNTA(")
    assert figures["Meetings held"] == report.meetings_held
    assert figures["Total attendance"] == report.total_attendance
    assert figures["Families present at meetings"] == report.families_present
    assert figures["Crèche children"] == report.creche_children
    assert figures["Fund applications received"] == report.applications
    assert figures["Fund applications approved"] == report.approved
    assert figures["Amount approved"] == pytest.approx(report.approved_pence / 100)
    assert figures["Paid to these applications"] == pytest.approx(report.paid_pence / 100)
    assert figures["Packs delivered"] == report.packs_delivered
    assert figures["Resilience Framework compartments covered"] == len(report.themes_covered)
    assert figures["Families reached"] == report.families_reached
    meetings = book["Meetings"]
    assert meetings.cell(meetings.max_row, 4).value.startswith("=SUM(D2:D")


def test_pdf_shows_the_figures_in_the_chosen_language(report, sample_context, tmp_path):
    path = write_period_report(report, tmp_path / "report.pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    assert "Families reached" in text and "Meetings held" in text
    assert str(report.families_reached) in text and str(report.total_attendance) in text
    assert "Resilience Framework" in text and "Core Self" in text
    i18n.set_language("de")
    german = build_period_report(sample_context, START, END)
    path = write_period_report(german, tmp_path / "bericht.pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    assert "Families reached" not in text and "Erreichte Familien" in text and "01.12.2025" in text


def test_a_wrong_file_type_or_folder_is_an_export_error_and_leaves_no_file(report, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ExportError):
        write_period_report(report, out / "report.docx")
    blocker = out / "file"
    blocker.write_text("x")
    with pytest.raises(ExportError):
        write_period_report(report, blocker / "report.pdf")
    assert sorted(p.name for p in out.iterdir()) == ["file"]
