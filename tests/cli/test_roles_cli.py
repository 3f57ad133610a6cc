"""``--user``, PINs and exit code 5 for what a role may not do, from the command line."""

from __future__ import annotations

import io

import pytest

from peer_support.cli import main


def run(capsys, monkeypatch, *argv, stdin: str = "", pin: str | None = None):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    if pin is None:
        monkeypatch.delenv("PEER_SUPPORT_PIN", raising=False)
    else:
        monkeypatch.setenv("PEER_SUPPORT_PIN", pin)
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def folder(capsys, monkeypatch, sample_dir) -> str:
    data = str(sample_dir)
    assert run(capsys, monkeypatch, "--data-dir", data, "users", "add", "Lena Lead", "--pin", stdin="2468\n")[0] == 0
    lead = ("--data-dir", data, "--user", "Lena Lead")
    assert run(capsys, monkeypatch, *lead, "users", "add", "Vic Volunteer", pin="2468")[0] == 0
    assert run(capsys, monkeypatch, *lead, "users", "add", "Olga Organiser", "--role", "organiser", pin="2468")[0] == 0
    return data


@pytest.mark.parametrize("argv", [
    ("families", "list"), ("families", "show", "F0001"), ("fund", "list"), ("fund", "status"),
    ("erase", "F0002", "--yes"), ("family-export", "F0002", "-o", "x.zip"), ("users", "add", "Eve", "--role", "lead"),
    ("report", "--from", "2026-01-01", "--to", "2026-06-30", "-o", "r.pdf"), ("backup",),
])
def test_a_volunteer_is_refused_with_exit_code_5_and_one_line(capsys, monkeypatch, folder, argv, tmp_path):
    code, out, err = run(capsys, monkeypatch, "--data-dir", folder, "--user", "Vic Volunteer", *argv)
    assert code == 5, (argv, out, err)
    assert len(err.strip().splitlines()) == 1 and "ask a lead" in err


def test_a_volunteer_may_log_a_delivery_and_see_progress(capsys, monkeypatch, folder):
    code, out, _ = run(capsys, monkeypatch, "--data-dir", folder, "--user", "Vic Volunteer", "packs", "progress")
    assert code == 0 and out


def test_an_organiser_cannot_approve_over_budget(capsys, monkeypatch, folder):
    code, _, err = run(capsys, monkeypatch, "--data-dir", folder, "--user", "Olga Organiser", "fund", "decide",
                       "A0001", "--approve", "99999", "--reason", "urgent")
    assert code == 5 and "ask a lead" in err


def test_a_leads_pin_is_needed_and_checked(capsys, monkeypatch, folder):
    code, _, err = run(capsys, monkeypatch, "--data-dir", folder, "--user", "Lena Lead", "fund", "list", pin="0000")
    assert code == 5 and "PIN" in err
    code, out, _ = run(capsys, monkeypatch, "--data-dir", folder, "--user", "Lena Lead", "fund", "list", stdin="2468\n")
    assert code == 0
    code, out, _ = run(capsys, monkeypatch, "--data-dir", folder, "--user", "Lena Lead", "users", "list", pin="2468")
    assert code == 0 and "Vic Volunteer" in out and "Volunteer" in out and "Lead" in out


def test_an_unknown_user_is_refused(capsys, monkeypatch, folder):
    code, _, err = run(capsys, monkeypatch, "--data-dir", folder, "--user", "Mallory", "families", "list")
    assert code == 5 and "Mallory" in err
