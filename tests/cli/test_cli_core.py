"""The command line: demo, info, check, errors as one line and an exit code."""

from __future__ import annotations

import pytest

from peer_support.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_demo_is_idempotent_and_info_counts_rows(capsys, tmp_path):
    folder = str(tmp_path / "d")
    assert run(capsys, "--data-dir", folder, "demo")[0] == 0
    code, out, _ = run(capsys, "--data-dir", folder, "info")
    assert code == 0 and "family" in out
    first = out
    code, out, _ = run(capsys, "--data-dir", folder, "demo")
    assert code == 0 and "already" in out
    assert run(capsys, "--data-dir", folder, "info")[1] == first
    assert run(capsys, "--data-dir", folder, "check")[0] == 0


def test_info_reports_530_families(capsys, sample_dir):
    _, out, _ = run(capsys, "--data-dir", str(sample_dir), "info")
    counts = dict(line.split()[:2] for line in out.splitlines() if line.split()[:1] and line.split()[-1].isdigit())
    assert counts["family"] == "530" and counts["volunteer"] == "25"


def test_environment_variable_chooses_the_data_folder(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("PEER_SUPPORT_DATA_DIR", str(tmp_path / "env"))
    code, out, _ = run(capsys, "info")
    assert code == 0 and str(tmp_path / "env") in out


@pytest.mark.parametrize("make_bad", [
    lambda tmp: tmp / "a-file",                  # a file, not a folder
    lambda tmp: tmp / "a-file" / "inside",       # cannot be created
])
def test_a_bad_data_folder_is_one_clear_line(capsys, tmp_path, make_bad):
    (tmp_path / "a-file").write_text("x")
    code, out, err = run(capsys, "--data-dir", str(make_bad(tmp_path)), "info")
    assert code != 0 and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_unknown_command_is_one_line(capsys):
    code, _, err = run(capsys, "frobnicate")
    assert code == 2 and len(err.strip().splitlines()) == 1 and "frobnicate" in err


def test_unknown_language_is_refused(capsys, tmp_path):
    code, _, err = run(capsys, "--lang", "xx", "--data-dir", str(tmp_path), "info")
    assert code == 2 and "xx" in err


def test_help_is_translated(capsys):
    with pytest.raises(SystemExit):
        main(["--lang", "de", "--help"])
    out = capsys.readouterr().out
    assert "Optionen" in out or "optionen" in out.lower()
    assert "show this help message" not in out


def test_check_fails_on_a_damaged_database(capsys, sample_dir):
    path = sample_dir / "peer-support.sqlite3"
    for suffix in ("-wal", "-shm"):
        (sample_dir / f"peer-support.sqlite3{suffix}").unlink(missing_ok=True)
    data = bytearray(path.read_bytes())
    data[len(data) // 2: len(data) // 2 + 4096] = b"\x00" * 4096
    path.write_bytes(bytes(data))
    code, out, err = run(capsys, "--data-dir", str(sample_dir), "check")
    assert code != 0
    assert "Traceback" not in out + err
    # remembered: the next command checks the whole file too, and says to restore
    code, out, err = run(capsys, "--data-dir", str(sample_dir), "info")
    assert code != 0 and "restore" in (out + err).lower() and "Traceback" not in out + err
