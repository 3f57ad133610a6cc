"""``forms list|print|enter|results``: the paper feedback forms from the command line."""

from __future__ import annotations

import io

import openpyxl
from pypdf import PdfReader

from peer_support.cli import main


def run(capsys, *argv, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_list_shows_the_ready_made_forms_in_the_ui_language(capsys, sample_dir):
    code, out, _ = run(capsys, "--lang", "de", "--data-dir", str(sample_dir), "forms", "list")
    assert code == 0 and "Nach dem Treffen" in out and "Wie geht es Ihnen?" in out


def test_print_a_stack_for_a_meeting_a_family_and_anonymous_copies(capsys, sample_dir, tmp_path):
    folder = str(sample_dir)
    code, out, _ = run(capsys, "--data-dir", folder, "meetings", "list", "--upcoming")
    meeting = next(word for word in out.split() if word.startswith("M20"))
    stack = tmp_path / "stack.pdf"
    code, out, err = run(capsys, "--data-dir", folder, "forms", "print", "Q01", "--meeting", meeting, "-o", str(stack))
    assert code == 0, err
    pages = [page.extract_text() for page in PdfReader(stack).pages]
    assert any("Po spotkaniu" in page for page in pages) and any("After the meeting" in page for page in pages)
    single = tmp_path / "one.pdf"
    assert run(capsys, "--data-dir", folder, "forms", "print", "q2", "--family", "F0001", "-o", str(single))[0] == 0
    assert "F0001" in PdfReader(single).pages[0].extract_text()
    anonymous = tmp_path / "anon.pdf"
    assert run(capsys, "--data-dir", folder, "forms", "print", "Q01", "--lang", "da", "--copies", "3",
               "-o", str(anonymous))[0] == 0
    assert len(PdfReader(anonymous).pages) == 3 and "Efter mødet" in PdfReader(anonymous).pages[0].extract_text()


def test_print_failures(capsys, sample_dir, tmp_path):
    folder = str(sample_dir)
    code, _, err = run(capsys, "--data-dir", folder, "forms", "print", "Q42", "-o", str(tmp_path / "x.pdf"))
    assert code == 4 and "Q42" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "--data-dir", folder, "forms", "print", "Q01", "--family", "F9999",
                       "-o", str(tmp_path / "x.pdf"))
    assert code == 4 and "F9999" in err
    code, _, err = run(capsys, "--data-dir", folder, "forms", "print", "Q01", "-o", str(tmp_path / "x.docx"))
    assert code == 2 and ".pdf" in err
    assert not (tmp_path / "x.pdf").exists()


def test_enter_reads_lines_saves_the_good_ones_and_names_the_bad(capsys, sample_dir, monkeypatch):
    folder = str(sample_dir)
    lines = "# tonight\nF0001 41 | More about exams\n- 52\nF0001 9\n\nF9999 41\n"
    code, out, err = run(capsys, "--data-dir", folder, "forms", "enter", "Q01", stdin=lines, monkeypatch=monkeypatch)
    assert code == 3
    assert "line 2: saved for F0001 (3 answers)" in out and "line 3: saved for anonymous (2 answers)" in out
    assert "2 forms saved." in out
    assert "line 4: not saved" in err and "line 6: not saved" in err and "F9999" in err


def test_results_as_a_table_and_as_a_workbook(capsys, sample_dir, tmp_path):
    folder = str(sample_dir)
    code, out, _ = run(capsys, "--data-dir", folder, "forms", "results", "Q02")
    assert code == 0 and "I feel good about myself as a parent." in out and "average change: +" in out
    target = tmp_path / "results.xlsx"
    code, out, _ = run(capsys, "--data-dir", folder, "forms", "results", "Q02", "--from", "2026-01-01",
                       "--to", "2026-12-31", "-o", str(target))
    assert code == 0 and "Wrote" in out
    assert {"Summary", "Questions", "Compartments", "Change", "Answers"} <= set(openpyxl.load_workbook(target).sheetnames)
    code, _, err = run(capsys, "--data-dir", folder, "forms", "results", "Q02", "--from", "2026-12-31",
                       "--to", "2026-01-01")
    assert code == 3 and "start date" in err
