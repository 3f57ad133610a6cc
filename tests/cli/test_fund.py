"""``peer-support fund status`` and ``fund report``: the workbook's formulas agree with the status."""

from __future__ import annotations

import re

import openpyxl
import pytest

from peer_support.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# -- a tiny evaluator for the formulas the report uses ------------------------------------
_REF = re.compile(r"(?:'((?:[^']|'')+)'|([A-Za-z_][\w ]*?))?!?\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?")


class Evaluator:
    """Computes a workbook's formulas (SUM, COUNTA, COUNTIF(S), SUMIF, + and -) from its cells."""

    def __init__(self, book) -> None:
        self.book = book

    def value(self, sheet: str, cell: str):
        raw = self.book[sheet][cell].value
        return self.formula(sheet, raw) if isinstance(raw, str) and raw.startswith("=") else raw

    def _range(self, sheet, first, last=None):
        cells = self.book[sheet][f"{first}:{last}" if last else first]
        if not isinstance(cells, tuple):
            return [self.value(sheet, cells.coordinate)]
        return [self.value(sheet, c.coordinate) for row in cells for c in row]

    def formula(self, sheet: str, text: str):
        names = []

        def ref(match):
            quoted, plain, col1, row1, col2, row2 = match.groups()
            target = (quoted or "").replace("''", "'") or (plain if plain and match.group(0).find("!") > 0
                                                            else None) or sheet
            names.append((target, f"{col1}{row1}", f"{col2}{row2}" if col2 else None))
            return f"__R[{len(names) - 1}]"

        code = re.sub(r"(?<![A-Z\"])" + _REF.pattern, ref, text[1:])
        ranges = [self._range(*name) for name in names]
        single = [r if len(r) > 1 or name[2] else r[0] for r, name in zip(ranges, names)]

        def matches(value, criterion):
            if isinstance(criterion, str) and criterion.startswith(">"):
                return isinstance(value, (int, float)) and value > float(criterion[1:])
            return value == criterion

        env = {
            "__R": single,
            "SUM": lambda *rs: sum(v or 0 for r in rs for v in (r if isinstance(r, list) else [r])),
            "COUNTA": lambda r: sum(v not in (None, "") for v in r),
            "COUNTIF": lambda r, c: sum(matches(v, c) for v in r),
            "COUNTIFS": lambda r1, c1, r2, c2: sum(matches(a, c1) and matches(b, c2) for a, b in zip(r1, r2)),
            "SUMIF": lambda r, c, s: sum(b or 0 for a, b in zip(r, s) if matches(a, c)),
        }
        return eval(code, env)  # noqa: S307 - our own test workbook


def _status_totals(out: str) -> list[str]:
    total = [line for line in out.splitlines() if line.startswith("Total")][0]
    return total.split()[1:5]


def test_status_lists_every_pot_with_a_total(capsys, sample_dir):
    code, out, err = run(capsys, "--data-dir", str(sample_dir), "fund", "status")
    assert code == 0, err
    assert "Covid-19 Connectivity Fund" in out and "£25,000.00" in out
    assert len(_status_totals(out)) == 4


def test_status_in_danish_formats_money_the_danish_way(capsys, sample_dir):
    code, out, _ = run(capsys, "--data-dir", str(sample_dir), "--lang", "da", "fund", "status",
                       "--pot", "Covid-19 Connectivity Fund")
    assert code == 0 and "25.000,00\u00a0£" in out


def test_unknown_pot_is_one_line_and_exit_4(capsys, sample_dir):
    code, _, err = run(capsys, "--data-dir", str(sample_dir), "fund", "status", "--pot", "Nope")
    assert code == 4 and len(err.strip().splitlines()) == 1 and "Nope" in err


def test_xlsx_report_formulas_add_up_and_match_the_status(capsys, sample_dir, tmp_path):
    target = tmp_path / "report.xlsx"
    code, out, err = run(capsys, "--data-dir", str(sample_dir), "fund", "report", "--from", "2020-01-01",
                         "--to", "2026-12-31", "-o", str(target))
    assert code == 0, err
    book = openpyxl.load_workbook(target)
    evaluate = Evaluator(book)
    pots = book["Pots"]
    total_row = pots.max_row
    assert pots[f"A{total_row}"].value == "Total"
    assert pots[f"C{total_row}"].value.startswith("=SUM(")
    figures = [round(evaluate.value("Pots", f"{c}{total_row}") * 100) for c in "CDEF"]
    _, status, _ = run(capsys, "--data-dir", str(sample_dir), "fund", "status")
    expected = [int(re.sub(r"[£,.]", "", text)) for text in _status_totals(status)]
    assert figures == expected

    for name in ("By need", "By area"):
        sheet = book[name]
        last = sheet.max_row
        for column in "BCDEF":
            rows = sum(evaluate.value(name, f"{column}{r}") for r in range(2, last))
            assert evaluate.value(name, f"{column}{last}") == pytest.approx(rows)
        applications = book["Applications"]
        assert evaluate.value(name, f"B{last}") == applications.max_row - 1
        paid = sum(applications[f"H{r}"].value for r in range(2, applications.max_row + 1))
        assert evaluate.value(name, f"F{last}") == pytest.approx(paid)

    summary = {row[0].value: row[1].coordinate for row in book["Summary"].iter_rows(min_row=4) if row[0].value}
    received = evaluate.value("Summary", summary["Applications received"])
    assert received > 100
    parts = sum(evaluate.value("Summary", summary[k]) for k in
                ("Approved", "Declined", "Withdrawn", "Waiting for a decision"))
    assert parts == received
    assert round(evaluate.value("Summary", summary["Remaining"]) * 100) == expected[3]


def test_pdf_report_is_written(capsys, sample_dir, tmp_path):
    target = tmp_path / "report.pdf"
    code, out, _ = run(capsys, "--data-dir", str(sample_dir), "--lang", "de", "fund", "report",
                       "--from", "2020-01-01", "--to", "2026-12-31", "-o", str(target))
    assert code == 0 and target.read_bytes().startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(target).pages)
    assert "25.000,00" in text and "£" in text


@pytest.mark.parametrize("argv, exit_code", [
    (["--from", "2026-05-01", "--to", "2026-04-01", "-o", "x.xlsx"], 3),   # backwards period
    (["--from", "yesterday", "--to", "2026-04-01", "-o", "x.xlsx"], 3),    # not a date
    (["--from", "2026-01-01", "--to", "2026-04-01", "-o", "x.docx"], 2),   # unknown format
    (["--from", "2026-01-01", "--to", "2026-04-01"], 2),                   # no output
])
def test_bad_report_requests_are_one_line(capsys, sample_dir, tmp_path, monkeypatch, argv, exit_code):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "--data-dir", str(sample_dir), "fund", "report", *argv)
    assert code == exit_code and len(err.strip().splitlines()) == 1
    assert not list(tmp_path.glob("x.*"))


def test_list_shows_the_queue_oldest_first(capsys, sample_dir):
    from peer_support.i18n.formatting import parse_date

    # German: its medium date (23.10.2025) is one word, which parse_date reads back.
    code, out, err = run(capsys, "--data-dir", str(sample_dir), "--lang", "de", "fund", "list", "--status",
                         "received", "--pot", "Winter Data Top-ups")
    assert code == 0, err
    lines = [line for line in out.splitlines() if line.startswith("A0")]
    assert len(lines) > 1 and all(line.rstrip().endswith("Eingegangen") for line in lines)
    received = [parse_date(line.split()[1], "de") for line in lines]
    assert received == sorted(received)


def _cells(path):
    book = openpyxl.load_workbook(path)
    return {name: [[cell.value for cell in row] for row in book[name].iter_rows()] for name in book.sheetnames}


def test_the_command_writes_what_the_service_writes_and_prints_its_line(capsys, sample_dir, tmp_path):
    from datetime import date

    from peer_support.context import open_context
    from peer_support.services.fund_report import export_fund_report

    target = tmp_path / "cli.xlsx"
    code, out, err = run(capsys, "--data-dir", str(sample_dir), "fund", "report", "--from", "2026-01-01",
                         "--to", "2026-11-30", "--pot", "Covid-19 Connectivity Fund", "-o", str(target))
    assert code == 0, err
    context = open_context(sample_dir)
    try:
        written = export_fund_report(context, date(2026, 1, 1), date(2026, 11, 30), tmp_path / "service.xlsx",
                                     "Covid-19 Connectivity Fund")
    finally:
        context.close()
    assert _cells(target) == _cells(written.path)
    assert out.strip() == written.message.replace("service.xlsx", "cli.xlsx")
    assert written.document.applications > 0 and f"({written.document.applications} applications)" in out


def test_a_wrong_file_name_is_refused_before_any_work(capsys, sample_dir, tmp_path):
    code, out, err = run(capsys, "--data-dir", str(sample_dir), "fund", "report", "--from", "2026-01-01",
                         "--to", "2026-11-30", "--pot", "No Such Pot", "-o", str(tmp_path / "report.docx"))
    assert code == 2 and "report.docx" in err and "No Such Pot" not in err  # the name, not the pot: exit 2
    assert not (tmp_path / "report.docx").exists()
