"""``peer-support sync`` and ``conflicts``: output and exit codes."""

from __future__ import annotations

import shutil


from peer_support.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _laptop(tmp_path, empty_template, name):
    folder = tmp_path / name
    shutil.copytree(empty_template, folder)
    (folder / "local.json").unlink(missing_ok=True)
    return str(folder)


def _add_family(capsys, data_dir, phone):
    assert run(capsys, "--data-dir", data_dir, "families", "add", "--name", "Nowak", "--phone", phone)[0] == 0


def _set_phone(capsys, data_dir, reference, phone):
    assert run(capsys, "--data-dir", data_dir, "families", "edit", reference, "--phone", phone)[0] == 0


def test_sync_status_and_conflicts_from_the_command_line(capsys, tmp_path, empty_template):
    a, b = _laptop(tmp_path, empty_template, "a"), _laptop(tmp_path, empty_template, "b")
    shared = tmp_path / "stick"
    shared.mkdir()
    code, out, _ = run(capsys, "--data-dir", a, "sync", "status")
    assert code == 0 and "not chosen" in out
    assert run(capsys, "--data-dir", a, "sync", "folder", str(shared))[0] == 0
    _add_family(capsys, a, "01843 111111")
    code, out, _ = run(capsys, "--data-dir", a, "sync")
    assert code == 0 and "Sent 1 change." in out
    code, out, _ = run(capsys, "--data-dir", b, "sync", "--folder", str(shared))
    assert code == 0 and "Applied 1 change from other laptops." in out
    _set_phone(capsys, a, "F0001", "01843 222222")
    _set_phone(capsys, b, "F0001", "01843 333333")
    run(capsys, "--data-dir", a, "sync", "--folder", str(shared))
    code, out, _ = run(capsys, "--data-dir", b, "sync", "--folder", str(shared))
    assert "1 new conflict" in out
    code, out, _ = run(capsys, "--data-dir", b, "conflicts", "list")
    assert code == 0 and "F0001" in out and "Phone" in out and "1 conflict." in out
    conflict_id = out.splitlines()[2].split()[0]
    code, _, err = run(capsys, "--data-dir", b, "conflicts", "resolve", "nope", "--keep", "local")
    assert code == 4 and "No conflict" in err
    code, out, _ = run(capsys, "--data-dir", b, "conflicts", "resolve", conflict_id, "--keep", "01843 444444")
    assert code == 0 and "resolved" in out
    assert "0 conflicts." in run(capsys, "--data-dir", b, "conflicts", "list")[1]
    code, out, _ = run(capsys, "--data-dir", b, "sync", "status")
    assert code == 0 and "0 open conflicts." in out and "Last sync" in out


def test_a_missing_stick_is_one_clear_line(capsys, tmp_path, empty_template):
    a = _laptop(tmp_path, empty_template, "a")
    code, _, err = run(capsys, "--data-dir", a, "sync", "--folder", str(tmp_path / "gone"))
    assert code == 6 and "cannot be reached" in err and "Traceback" not in err
    code, _, err = run(capsys, "--data-dir", a, "sync")
    assert code == 3 and "Choose a sync folder" in err


def test_damaged_files_give_exit_code_6(capsys, tmp_path, empty_template):
    a, b = _laptop(tmp_path, empty_template, "a"), _laptop(tmp_path, empty_template, "b")
    shared = tmp_path / "stick"
    shared.mkdir()
    _add_family(capsys, a, "01843 111111")
    run(capsys, "--data-dir", a, "sync", "--folder", str(shared))
    [journal] = (shared / "journal").glob("*/*.psj")
    journal.write_bytes(journal.read_bytes()[:40])
    code, out, err = run(capsys, "--data-dir", b, "sync", "--folder", str(shared))
    assert code == 6 and "was not applied" in err
