"""``peer-support newsletter``: list, export (PDF/HTML, template, language version), labels, mailing."""

from __future__ import annotations

import pypdf

from peer_support.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_list_shows_the_sample_issues(capsys, sample_dir):
    code, out, _ = run(capsys, "--data-dir", str(sample_dir), "newsletter", "list")
    assert code == 0
    assert "Staying connected" in out and "English, Polski" in out and "Draft" in out


def test_export_polish_version_while_the_ui_is_english(capsys, sample_dir, tmp_path):
    target = tmp_path / "pl.pdf"
    code, out, err = run(capsys, "--data-dir", str(sample_dir), "newsletter", "export", "3", "-o",
                         str(target), "--template", "one_column", "--lang", "pl")
    assert code == 0, err
    assert "Wrote" in out  # the UI stayed English: --lang after the command is the version
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(target).pages)
    assert "W kontakcie" in text and "Rada miesiąca" in text and "Numer 3" in text


def test_export_html(capsys, sample_dir, tmp_path):
    target = tmp_path / "news.html"
    code, _, err = run(capsys, "--data-dir", str(sample_dir), "newsletter", "export", "2", "-o", str(target))
    assert code == 0, err
    html = target.read_text("utf-8")
    assert "Activity packs are on their way" in html and "data:image/png;base64," in html


def test_labels_and_mailing_list(capsys, sample_dir, tmp_path):
    labels = tmp_path / "labels.pdf"
    code, out, err = run(capsys, "--data-dir", str(sample_dir), "newsletter", "labels", "3", "-o", str(labels))
    assert code == 0, err
    assert "Polski:" in out and len(pypdf.PdfReader(labels).pages) > 10
    mailing = tmp_path / "mailing.csv"
    code, out, err = run(capsys, "--data-dir", str(sample_dir), "newsletter", "mailing", "3", "-o", str(mailing))
    assert code == 0, err
    rows = mailing.read_text("utf-8-sig").splitlines()
    languages = [row.split(",")[0] for row in rows[1:]]
    assert languages == sorted(languages, key=lambda code: code != "en")  # grouped: English, then Polish
    assert set(languages) == {"en", "pl"}


def test_errors_are_one_line_with_the_right_exit_code(capsys, sample_dir, tmp_path):
    folder = str(sample_dir)
    code, _, err = run(capsys, "--data-dir", folder, "newsletter", "export", "99", "-o", str(tmp_path / "x.pdf"))
    assert code == 4 and len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "--data-dir", folder, "newsletter", "export", "3", "-o", str(tmp_path / "x.pdf"),
                       "--lang", "de")
    assert code == 4 and "Polski" in err
    code, _, err = run(capsys, "--data-dir", folder, "newsletter", "export", "3", "-o", str(tmp_path / "x.odt"))
    assert code == 2 and ".pdf" in err
    assert not list(tmp_path.glob("x.*"))
