"""Exports keep values usable: text stays text without a visible apostrophe in XLSX, the CSV
keeps its apostrophe, values too long for a format are reported, and a missing folder is an error."""

from __future__ import annotations

import csv
import zipfile

import pytest
from openpyxl import load_workbook

from peer_support.errors import ExportError, UsageError
from peer_support.exports.files import atomic_output, output_format
from peer_support.exports.spreadsheet import MAX_CELL, write_csv, write_xlsx

HOSTILE = ["=HYPERLINK(\"http://evil\",\"x\")", "+44 7700 900123", "-1 Odd Street", "@SUM(A1)", "plain"]


def test_xlsx_stores_text_as_text_with_no_apostrophe(tmp_path):
    path = write_xlsx(tmp_path / "x.xlsx", ["=Header", "b", "c", "d", "e"], [HOSTILE])
    sheet = load_workbook(path).active
    assert [cell.value for cell in sheet[2]] == HOSTILE and sheet["A1"].value == "=Header"
    assert all(cell.data_type == "s" for row in sheet.iter_rows() for cell in row)
    with zipfile.ZipFile(path) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_csv_keeps_the_neutralising_apostrophe(tmp_path):
    path = write_csv(tmp_path / "x.csv", ["a", "b", "c", "d", "e"], [HOSTILE])
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1] == ["'" + value for value in HOSTILE[:4]] + ["plain"]


def test_text_too_long_for_an_xlsx_cell_is_reported_not_cut(tmp_path):
    long_note = "n" * (MAX_CELL + 1)
    with pytest.raises(ExportError) as caught:
        write_xlsx(tmp_path / "long.xlsx", ["name", "notes"], [["Ann", "short"], ["Bea", long_note]])
    message = caught.value.message
    assert "row 3, column B" in message and "32,768" in message and "32,767" in message
    assert "\n" not in message and caught.value.exit_code == 6
    assert not list(tmp_path.iterdir())  # nothing written, not even a partial file
    # The same text fits a CSV whole.
    path = write_csv(tmp_path / "long.csv", ["name", "notes"], [["Bea", long_note]])
    with path.open(encoding="utf-8-sig", newline="") as handle:
        assert list(csv.reader(handle))[1][1] == long_note
    exact = write_xlsx(tmp_path / "exact.xlsx", ["notes"], [["n" * MAX_CELL]])
    assert len(load_workbook(exact).active["A2"].value) == MAX_CELL


def test_a_missing_output_folder_is_an_error_and_is_not_created(tmp_path):
    target = tmp_path / "mistyped" / "families.csv"
    with pytest.raises(ExportError, match="does not exist") as caught:
        write_csv(target, ["a"], [["b"]])
    assert caught.value.exit_code == 6 and "\n" not in caught.value.message
    assert not (tmp_path / "mistyped").exists()


def test_a_wrong_extension_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError) as caught:
        output_format(tmp_path / "x.docx", ("pdf", "xlsx"))
    assert caught.value.exit_code == 2 and isinstance(caught.value, ExportError)


def test_two_overlapping_writers_never_mix_their_files(tmp_path):
    target = tmp_path / "preview.pdf"
    first_writer = atomic_output(target)
    second_writer = atomic_output(target)
    first = first_writer.__enter__()
    second = second_writer.__enter__()
    assert first != second
    first.write_bytes(b"A" * 1000)
    second.write_bytes(b"B" * 10)
    second_writer.__exit__(None, None, None)
    assert target.read_bytes() == b"B" * 10
    first.write_bytes(b"A" * 2000)  # the slow one finishes later, with its own whole file
    first_writer.__exit__(None, None, None)
    assert target.read_bytes() == b"A" * 2000
    assert [p.name for p in tmp_path.iterdir()] == ["preview.pdf"]


def test_a_failed_write_leaves_the_old_file_and_no_partial(tmp_path):
    target = tmp_path / "families.csv"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError):
        with atomic_output(target) as partial:
            partial.write_text("half", encoding="utf-8")
            raise RuntimeError("writer failed")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["families.csv"]


def test_a_fund_report_keeps_a_pot_name_that_looks_like_a_formula_as_text(sample_context, tmp_path):
    from datetime import date

    from peer_support.domain.fund import PotDraft
    from peer_support.exports.fund_report import write_fund_report
    from peer_support.services.fund import create_pot
    from peer_support.services.fund_report import build_fund_report

    create_pot(sample_context, PotDraft(name="=1+1", budget_pence=10_000, opens_on=date(2026, 1, 1),
                                        funder="@Council"))
    report = build_fund_report(sample_context, date(2026, 1, 1), date(2026, 11, 1))
    path = write_fund_report(report, tmp_path / "fund.xlsx")
    book = load_workbook(path)
    pots = book.worksheets[-1]
    names = {row[0].value: row for row in pots.iter_rows(min_row=2)}
    assert names["=1+1"][0].data_type == "s" and names["=1+1"][1].value == "@Council"
    assert names["=1+1"][5].data_type == "f"  # the report's own formula is still a formula
