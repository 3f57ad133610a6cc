"""``peer-support packs``: output, files and one-line errors with exit codes."""

from __future__ import annotations

import sys

from peer_support.cli import main
from peer_support.context import open_context
from peer_support.domain.packs import format_code, make_code
from peer_support.services import packs


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _outstanding_code(sample_dir, clock):
    context = open_context(sample_dir, clock)
    try:
        return next(p.code for p in packs.list_packs(context, "B01") if p.status == "outstanding")
    finally:
        context.close()


def test_batches_and_progress(capsys, sample_dir):
    code, out, _ = run(capsys, "--data-dir", str(sample_dir), "packs", "batches")
    assert code == 0 and "B01" in out and "530" in out
    code, out, _ = run(capsys, "--data-dir", str(sample_dir), "packs", "progress")
    assert code == 0 and "of 530 delivered" in out and "Westcliff" in out
    code, out, _ = run(capsys, "--data-dir", str(sample_dir), "packs", "progress", "Summer activity pack",
                       "--outstanding", str(sample_dir / "out.csv"))
    assert code == 0 and (sample_dir / "out.csv").exists()


def test_labels_to_pdf_with_a_chosen_sheet(capsys, sample_dir):
    target = sample_dir / "labels.pdf"
    code, out, _ = run(capsys, "--data-dir", str(sample_dir), "packs", "labels", "B01", "-o", str(target),
                       "--sheet", "L7160")
    assert code == 0 and "26 sheets" in out and target.read_bytes().startswith(b"%PDF")
    code, _, err = run(capsys, "--data-dir", str(sample_dir), "packs", "labels", "B01", "-o", str(target),
                       "--sheet", "L1234")
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_deliver_then_double_delivery_fails_with_one_line(capsys, sample_dir, clock):
    pack = _outstanding_code(sample_dir, clock)
    code, out, _ = run(capsys, "--data-dir", str(sample_dir), "packs", "deliver", format_code(pack).lower(),
                       "--volunteer", "V001")
    assert code == 0 and "Delivered" in out
    code, out, err = run(capsys, "--data-dir", str(sample_dir), "packs", "deliver", pack, "--volunteer", "V002")
    assert code == 5 and out == "" and len(err.strip().splitlines()) == 1 and "ALREADY DELIVERED" in err


def test_deliver_unknown_code_typo_and_other_outcomes(capsys, sample_dir, clock):
    unknown = make_code(12345)
    code, _, err = run(capsys, "--data-dir", str(sample_dir), "packs", "deliver", unknown, "--volunteer", "V001")
    assert code == 4 and "Unknown code" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "--data-dir", str(sample_dir), "packs", "deliver", "ABCDEF", "--volunteer", "V001")
    assert code == 3 and len(err.strip().splitlines()) == 1
    pack = _outstanding_code(sample_dir, clock)
    code, out, _ = run(capsys, "--data-dir", str(sample_dir), "packs", "deliver", pack, "--outcome", "not-home",
                       "--note", "No answer", "--volunteer", "V001")
    assert code == 0 and "Not at home" in out
    code, _, err = run(capsys, "--data-dir", str(sample_dir), "packs", "deliver", pack, "--volunteer", "Nobody")
    assert code == 4 and "No volunteer" in err


def test_deliver_without_a_volunteer_is_one_translated_line_exit_3_and_records_nothing(
        capsys, monkeypatch, sample_dir, clock):
    pack = _outstanding_code(sample_dir, clock)
    code, out, err = run(capsys, "--data-dir", str(sample_dir), "packs", "deliver", pack)
    assert code == 3 and out == "" and len(err.strip().splitlines()) == 1 and "who is delivering" in err
    read = []
    monkeypatch.setattr(sys, "stdin", type("Codes", (), {"__iter__": lambda self: read.append(1) or iter([pack])})())
    code, out, err = run(capsys, "--data-dir", str(sample_dir), "packs", "deliver", "-")
    assert code == 3 and out == "" and not read  # refused before any code is read
    code, _, err = run(capsys, "--data-dir", str(sample_dir), "--lang", "de", "packs", "deliver", pack)
    assert code == 3 and "who is delivering" not in err and len(err.strip().splitlines()) == 1
    assert _outstanding_code(sample_dir, clock) == pack  # still outstanding: nothing was recorded


def test_runs_plan_assign_and_sheets(capsys, sample_dir):
    sheets = sample_dir / "runs.pdf"
    code, out, _ = run(capsys, "--data-dir", str(sample_dir), "packs", "runs", "B01", "--plan", "10",
                       "--assign", "2", "V003", "--sheets", str(sheets))
    assert code == 0 and "10 run sheets" in out and sheets.exists()
    code, _, err = run(capsys, "--data-dir", str(sample_dir), "packs", "runs", "B9")
    assert code == 4 and "no pack batch" in err
