"""``peer-support report``: writes the period report, refuses bad dates and file names with an exit code."""

from __future__ import annotations

from openpyxl import load_workbook
from pypdf import PdfReader

from peer_support.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_report_writes_a_pdf_and_an_xlsx(capsys, sample_dir, tmp_path):
    pdf, xlsx = tmp_path / "report.pdf", tmp_path / "report.xlsx"
    code, out, err = run(capsys, "--data-dir", str(sample_dir), "report", "--from", "2025-12-01",
                         "--to", "2026-11-30", "-o", str(pdf))
    assert code == 0, err
    assert str(pdf) in out and "families reached" in out
    assert "Families reached" in PdfReader(pdf).pages[0].extract_text()
    code, _, err = run(capsys, "--data-dir", str(sample_dir), "report", "--from", "01/12/2025",
                       "--to", "30/11/2026", "--output", str(xlsx))
    assert code == 0, err
    assert load_workbook(xlsx).sheetnames[:2] == ["Summary", "Meetings"]


def test_report_is_translated(capsys, sample_dir, tmp_path):
    code, out, _ = run(capsys, "--data-dir", str(sample_dir), "--lang", "da", "report", "--from", "2026-01-01",
                       "--to", "2026-06-30", "-o", str(tmp_path / "rapport.pdf"))
    assert code == 0 and "familier nået" in out


def test_bad_input_is_one_line_and_writes_nothing(capsys, sample_dir, tmp_path):
    target = tmp_path / "r.pdf"
    cases = [(["--from", "2026-05-02", "--to", "2026-05-01", "-o", str(target)], 3, "ends before it starts"),
             (["--from", "someday", "--to", "2026-05-01", "-o", str(target)], 3, "not a date"),
             (["--from", "2026-01-01", "--to", "2026-05-01", "-o", str(tmp_path / "r.docx")], 2, ".pdf, .xlsx"),
             (["--from", "2026-01-01", "-o", str(target)], 2, "--to")]
    for args, expected, message in cases:
        code, _, err = run(capsys, "--data-dir", str(sample_dir), "report", *args)
        assert code == expected and message in err and len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == [sample_dir]


def test_the_command_writes_what_the_service_writes_and_prints_its_line(capsys, sample_dir, tmp_path):
    from datetime import date

    from peer_support.context import open_context
    from peer_support.services.period_report import export_period_report

    target = tmp_path / "cli.xlsx"
    code, out, err = run(capsys, "--data-dir", str(sample_dir), "report", "--from", "2026-01-01",
                         "--to", "2026-11-30", "-o", str(target))
    assert code == 0, err
    context = open_context(sample_dir)
    try:
        written = export_period_report(context, date(2026, 1, 1), date(2026, 11, 30), tmp_path / "service.xlsx")
    finally:
        context.close()

    def cells(path):
        book = load_workbook(path)
        return {name: [[c.value for c in row] for row in book[name].iter_rows()] for name in book.sheetnames}

    assert cells(target) == cells(written.path)
    assert out.strip() == written.message.replace("service.xlsx", "cli.xlsx")
    assert written.document.families_reached > 0
