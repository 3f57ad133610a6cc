"""Whole jobs through the command line only, checked through other commands and through the
sync of a second laptop."""

from __future__ import annotations

import io
import sys

import pytest

from peer_support.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    assert code == 0, (argv, captured.err)
    return captured.out


def test_a_month_of_jobs_reaches_the_second_laptop(capsys, sample_dir, tmp_path, monkeypatch):
    a, b, folder = str(sample_dir), str(tmp_path / "laptop-b"), str(tmp_path / "sync")
    monkeypatch.delenv("PEER_SUPPORT_PASSPHRASE", raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    (tmp_path / "sync").mkdir()
    run(capsys, "--data-dir", a, "sync", "folder", folder)
    run(capsys, "--data-dir", a, "sync", "snapshot")
    run(capsys, "--data-dir", b, "sync", "join", folder)

    out = run(capsys, "--data-dir", a, "families", "add", "--name", "Zofia Wójcik", "--postcode", "CT9 1AB",
              "--language", "pl", "--consent-contact")
    reference = out.split()[2]
    run(capsys, "--data-dir", a, "families", "edit", reference, "--name", "Zofia Wójcik-Nowak")
    assert reference in run(capsys, "--data-dir", a, "families", "list", "--search", "Wojcik-Nowak")
    meeting = run(capsys, "--data-dir", a, "meetings", "plan", "--date", "2027-05-11", "--time", "18:00-19:30",
                  "--topic", "Summer plans").split()[2]
    run(capsys, "--data-dir", a, "meetings", "attend", meeting, "zofia wojcik-nowak")
    application = run(capsys, "--data-dir", a, "fund", "apply", reference, "--pot", "Winter Data Top-ups",
                      "--need", "mobile_data", "--amount", "20").split()[2]
    run(capsys, "--data-dir", a, "fund", "decide", application, "--approve", "20")
    run(capsys, "--data-dir", a, "fund", "pay", application, "--amount", "20")
    listed = run(capsys, "--data-dir", a, "packs", "list", "B01", "--run", "1", "--outstanding")
    code = listed.splitlines()[2].split()[0]
    run(capsys, "--data-dir", a, "packs", "move", code, "--run", "2")
    run(capsys, "--data-dir", a, "packs", "deliver", code, "--volunteer", "V001")
    run(capsys, "--data-dir", a, "sync")

    run(capsys, "--data-dir", b, "sync")
    assert "Zofia Wójcik-Nowak" in run(capsys, "--data-dir", b, "families", "show", reference)
    meetings = run(capsys, "--data-dir", b, "meetings", "list")
    line = next(line for line in meetings.splitlines() if line.startswith(meeting + " "))
    assert "Summer plans" in line and "Held" in line
    assert application in run(capsys, "--data-dir", b, "fund", "list", "--status", "paid")
    shown = run(capsys, "--data-dir", b, "packs", "show", code)
    assert "Delivered" in shown and [line for line in shown.splitlines() if line.startswith("Run")][0].endswith("2")


@pytest.mark.skipif(not __import__("peer_support.storage.encryption", fromlist=["x"]).available(),
                    reason="sqlcipher3 is not installed")
def test_encryption_on_and_off_keeps_every_job(capsys, data_dir, monkeypatch):
    folder = str(data_dir)
    monkeypatch.delenv("PEER_SUPPORT_PASSPHRASE", raising=False)
    run(capsys, "--data-dir", folder, "families", "add", "--name", "Anna Nowak")
    monkeypatch.setattr(sys, "stdin", io.StringIO("correct horse battery\n"))
    run(capsys, "--data-dir", folder, "encryption", "on")
    monkeypatch.setenv("PEER_SUPPORT_PASSPHRASE", "correct horse battery")
    run(capsys, "--data-dir", folder, "families", "edit", "F0001", "--phone", "07700 900123")
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    run(capsys, "--data-dir", folder, "encryption", "off")
    monkeypatch.delenv("PEER_SUPPORT_PASSPHRASE")
    assert "07700 900123" in run(capsys, "--data-dir", folder, "families", "show", "F0001")
    assert run(capsys, "--data-dir", folder, "undo").startswith("Undone: Edit family F0001")
