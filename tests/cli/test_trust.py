"""backup, restore, family-export, erase: output, exit codes, one clear line on errors."""

from __future__ import annotations

import json
import zipfile

import pytest

from peer_support.cli import main

DB = "peer-support.sqlite3"


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_backup_then_restore_newest(capsys, sample_dir, tmp_path):
    folder = str(sample_dir)
    code, out, _ = run(capsys, "--data-dir", folder, "backup")
    assert code == 0 and "backups" in out
    (tmp_path / "usb").mkdir()
    code, out, _ = run(capsys, "--data-dir", folder, "backup", "--to", str(tmp_path / "usb"))
    assert code == 0 and list((tmp_path / "usb").glob("*.sqlite3"))
    code, out, _ = run(capsys, "--data-dir", folder, "restore", "--newest")
    assert code == 0 and "family" in out and "530" in out and "before-restore" in out


def test_a_damaged_database_is_one_line_and_restore_fixes_it(capsys, sample_dir):
    folder = str(sample_dir)
    assert run(capsys, "--data-dir", folder, "backup")[0] == 0
    (sample_dir / DB).write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 5000)
    for suffix in ("-wal", "-shm"):
        (sample_dir / f"{DB}{suffix}").unlink(missing_ok=True)
    code, out, err = run(capsys, "--data-dir", folder, "info")
    assert code == 6 and len(err.strip().splitlines()) == 1 and "restore --newest" in err
    code, out, err = run(capsys, "--data-dir", folder, "check")
    assert code == 6 and len(err.strip().splitlines()) == 1
    code, out, err = run(capsys, "--data-dir", folder, "restore", "--newest")
    assert code == 0 and "damaged" in out
    assert list((sample_dir / "damaged").glob("*.sqlite3"))
    assert run(capsys, "--data-dir", folder, "check")[0] == 0


def test_restore_needs_a_file_or_newest_and_refuses_bad_files(capsys, data_dir, tmp_path):
    code, _, err = run(capsys, "--data-dir", str(data_dir), "restore")
    assert code == 2 and len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "--data-dir", str(data_dir), "restore", str(tmp_path / "missing.sqlite3"))
    assert code == 3 and len(err.strip().splitlines()) == 1
    (tmp_path / "notes.sqlite3").write_text("shopping list")
    code, _, err = run(capsys, "--data-dir", str(data_dir), "restore", str(tmp_path / "notes.sqlite3"))
    assert code == 6 and "not a database" in err and len(err.strip().splitlines()) == 1


def test_family_export_and_erase(capsys, sample_dir, tmp_path):
    folder = str(sample_dir)
    target = tmp_path / "f0001.zip"
    code, out, _ = run(capsys, "--data-dir", folder, "family-export", "F0001", "-o", str(target))
    assert code == 0 and target.exists()
    with zipfile.ZipFile(target) as archive:
        document = json.loads(archive.read("F0001.json"))
        assert {"F0001.pdf", "F0001.html", "csv/details.csv", "csv/history.csv"} <= set(archive.namelist())
    details = dict(document["sections"][0]["rows"][i].values() for i in range(3))
    name = details["Name"]
    assert name == "Lisa Baker"
    code, out, err = run(capsys, "--data-dir", folder, "erase", "F0001")
    assert code == 2 and "--yes" in err
    assert "V001" in out and "cannot" in err  # the preview names the volunteer record that stays
    code, out, _ = run(capsys, "--data-dir", folder, "erase", "F0001", "--yes", "--also-volunteer")
    assert code == 0 and "F0001" in out and "V001" in out
    assert name.encode() not in (sample_dir / DB).read_bytes()
    code, _, err = run(capsys, "--data-dir", folder, "erase", "F9999", "--yes")
    assert code == 4 and len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "--data-dir", folder, "erase", "F0001", "--yes")
    assert code == 3 and len(err.strip().splitlines()) == 1


def test_erase_prints_mentions_to_review(capsys, sample_dir):
    from peer_support.clock import FixedClock
    from peer_support.context import open_context
    from peer_support.domain.families import FamilyDraft
    from peer_support.services.families import create_family
    from tests.conftest import FIXED_NOW

    context = open_context(sample_dir, FixedClock(FIXED_NOW))
    other = create_family(context, FamilyDraft(name="Noor Haddad", notes="Lift with Lisa Baker on Tuesdays"))
    context.close()
    code, out, _ = run(capsys, "--data-dir", str(sample_dir), "erase", "F0001", "--yes")
    assert code == 0 and other.reference in out and "Lift with Lisa Baker" in out


def test_retention_commands(capsys, sample_dir):
    folder = str(sample_dir)
    code, out, _ = run(capsys, "--data-dir", folder, "retention", "list")
    assert code == 0 and "off" in out
    assert run(capsys, "--data-dir", folder, "retention", "years", "3")[0] == 0
    code, out, _ = run(capsys, "--data-dir", folder, "retention", "list")
    assert code == 0 and "Families with no contact for 3 years or more: 0" in out


@pytest.mark.parametrize(("language", "years", "sentence"), [
    ("en", "1", "Families with no contact for 1 year or more: 0"),  # was "0 families ... for 1 years"
    ("pl", "1", "Rodziny bez kontaktu od 1 roku lub dłużej: 0"),
    ("pl", "5", "Rodziny bez kontaktu od 5 lat lub dłużej: 0"),
    ("de", "1", "Familien ohne Kontakt seit 1 Jahr oder länger: 0"),
])
def test_retention_list_says_the_period_in_its_own_plural(capsys, sample_dir, language, years, sentence):
    folder = str(sample_dir)
    assert run(capsys, "--data-dir", folder, "retention", "years", years)[0] == 0
    code, out, _ = run(capsys, "--data-dir", folder, "--lang", language, "retention", "list")
    assert code == 0 and out.splitlines()[0] == sentence


def test_retention_apply_and_keep(capsys, sample_dir):
    folder = str(sample_dir)
    assert run(capsys, "--data-dir", folder, "retention", "years", "3")[0] == 0
    code, _, err = run(capsys, "--data-dir", folder, "retention", "apply")
    assert code == 2 and "--yes" in err
    code, out, _ = run(capsys, "--data-dir", folder, "retention", "apply", "--yes")
    assert code == 0 and "0 families" in out
    code, _, err = run(capsys, "--data-dir", folder, "retention", "keep", "F0002", "--reason", " ")
    assert code == 3 and len(err.strip().splitlines()) == 1


def test_encrypted_data_without_passphrase_is_one_line(capsys, data_dir, clock, monkeypatch):
    from peer_support.context import open_context
    from peer_support.services.encryption import enable_encryption

    context = open_context(data_dir, clock)
    enable_encryption(context, "seaside-lanterns-42", "seaside-lanterns-42")
    context.close()
    monkeypatch.delenv("PEER_SUPPORT_PASSPHRASE", raising=False)
    code, _, err = run(capsys, "--data-dir", str(data_dir), "info")
    assert code == 6 and "PEER_SUPPORT_PASSPHRASE" in err and len(err.strip().splitlines()) == 1
    monkeypatch.setenv("PEER_SUPPORT_PASSPHRASE", "seaside-lanterns-42")
    assert run(capsys, "--data-dir", str(data_dir), "check")[0] == 0
    code, out, _ = run(capsys, "--data-dir", str(data_dir), "backup")
    assert code == 0
    assert not next((data_dir / "backups").glob("peer-support-*")).read_bytes().startswith(b"SQLite")
