"""``peer-support families list | import | export | merge`` and ``volunteers``."""

from __future__ import annotations

import hashlib

from peer_support.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_import_dry_run_then_import_then_list_and_export(capsys, tmp_path):
    folder = str(tmp_path / "data")
    source = tmp_path / "in.csv"
    source.write_text("Name;Postcode;Phone\nAnna Nowak;CT9 1AB;07700 900001\nBad;XYZ;\n"
                      "Jo Baker;;07700 900002\n", encoding="cp1252")
    code, out, err = run(capsys, "--data-dir", folder, "families", "import", str(source), "--dry-run")
    assert code == 0 and "nothing was changed" in out
    assert "2 families would be imported" in out and "Row 3:" in err and "postcode" in err
    code, out, _ = run(capsys, "--data-dir", folder, "families", "list")
    assert "0 families" in out
    code, out, err = run(capsys, "--data-dir", folder, "families", "import", str(source))
    assert code == 0 and "2 families imported" in out and "1 row skipped" in out
    code, out, err = run(capsys, "--data-dir", folder, "families", "import", str(source))
    assert "0 families imported" in out and "possible duplicate of F0001 Anna Nowak" in err
    code, out, _ = run(capsys, "--data-dir", folder, "families", "list", "--search", "nowak")
    assert code == 0 and "F0001" in out and "Jo Baker" not in out and "1 family" in out
    target = tmp_path / "out.xlsx"
    code, out, _ = run(capsys, "--data-dir", folder, "families", "export", str(target))
    assert code == 0 and target.exists() and "2 families written" in out


def test_a_file_that_is_not_a_spreadsheet_exits_non_zero_with_one_line(capsys, tmp_path):
    folder = tmp_path / "data"
    assert run(capsys, "--data-dir", str(folder), "families", "list")[0] == 0
    database = folder / "peer-support.sqlite3"
    before = hashlib.sha256(database.read_bytes()).hexdigest()
    junk = tmp_path / "photo.csv"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    code, out, err = run(capsys, "--data-dir", str(folder), "families", "import", str(junk))
    assert code == 3 and out == "" and len(err.strip().splitlines()) == 1 and "not a spreadsheet" in err
    assert hashlib.sha256(database.read_bytes()).hexdigest() == before


def test_all_or_nothing_imports_nothing_when_a_row_is_bad(capsys, tmp_path):
    folder = str(tmp_path / "data")
    source = tmp_path / "in.csv"
    source.write_text("name,email\nGood,good@example.org\nBad,bad@\n", encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", folder, "families", "import", str(source), "--all-or-nothing")
    assert code == 3 and "Row 3" in err and "nothing was imported" in err
    assert "0 families" in run(capsys, "--data-dir", folder, "families", "list")[1]


def test_export_with_a_wrong_extension_is_refused(capsys, tmp_path):
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "d"), "families", "export", str(tmp_path / "x.pdf"))
    assert code == 2 and ".csv" in err


def test_merge_and_volunteers(capsys, tmp_path):
    folder = str(tmp_path / "data")
    source = tmp_path / "in.csv"
    source.write_text("name,phone\nAnna Nowak,07700 900001\nA. Nowak,07700 900009\n", encoding="utf-8")
    run(capsys, "--data-dir", folder, "families", "import", str(source))
    code, out, _ = run(capsys, "--data-dir", folder, "families", "merge", "F0001", "f0002")
    assert code == 0 and "Merged F0002 into F0001" in out
    assert "1 family" in run(capsys, "--data-dir", folder, "families", "list")[1]
    code, _, err = run(capsys, "--data-dir", folder, "families", "merge", "F0001", "F0002")
    assert code == 4 and "F0002" in err
    assert run(capsys, "--data-dir", folder, "volunteers")[0] == 0
