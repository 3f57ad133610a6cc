"""``meetings list|export-ics|register`` and ``cards`` on the sample data."""

from __future__ import annotations

import pypdfium2
from icalendar import Calendar

from peer_support.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_list_all_and_upcoming(capsys, sample_dir):
    code, out, _ = run(capsys, "--data-dir", str(sample_dir), "meetings", "list")
    assert code == 0 and "18 meetings." in out and "M2025-12" in out and "18:00–19:30" in out
    code, out, _ = run(capsys, "--data-dir", str(sample_dir), "meetings", "list", "--upcoming")
    assert code == 0 and "6 meetings." in out and "M2025-12" not in out and "M2026-12" in out


def test_list_is_translated(capsys, sample_dir):
    code, out, _ = run(capsys, "--lang", "de", "--data-dir", str(sample_dir), "meetings", "list", "--upcoming")
    assert code == 0 and "Geplant" in out


def test_export_ics_register_and_cards(capsys, sample_dir, tmp_path):
    ics = tmp_path / "meetings.ics"
    code, out, _ = run(capsys, "--data-dir", str(sample_dir), "meetings", "export-ics", str(ics))
    assert code == 0 and len(Calendar.from_ical(ics.read_bytes()).walk("VEVENT")) == 18
    for suffix in ("pdf", "csv"):
        target = tmp_path / f"register.{suffix}"
        code, _, err = run(capsys, "--data-dir", str(sample_dir), "meetings", "register", "m2026-11",
                           "-o", str(target))
        assert code == 0 and target.stat().st_size > 0, err
    cards = tmp_path / "cards.pdf"
    code, out, _ = run(capsys, "--data-dir", str(sample_dir), "cards", "-o", str(cards), "--family", "F0042",
                       "--family", "F0043")
    assert code == 0 and "2 family cards" in out and len(pypdfium2.PdfDocument(str(cards))) == 1


def test_bad_input_is_one_line_with_an_exit_code(capsys, sample_dir, tmp_path):
    folder = str(sample_dir)
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    cases = [
        (("meetings", "register", "M1999-01", "-o", str(tmp_path / "x.pdf")), 4),
        (("meetings", "register", "M2026-11", "-o", str(tmp_path / "x.txt")), 2),
        (("meetings", "export-ics", str(tmp_path / "x.pdf")), 2),
        (("cards", "-o", str(tmp_path / "c.pdf"), "--family", "F9999"), 4),
        (("meetings", "register", "M2026-11"), 2),
        (("meetings",), 2),
    ]
    for argv, expected in cases:
        code, out, err = run(capsys, "--data-dir", folder, *argv)
        assert code == expected, (argv, err)
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not list(tmp_path.iterdir())
