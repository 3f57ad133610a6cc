"""``areas`` and ``schools`` through the command line."""

from __future__ import annotations

from peer_support.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_rename_merge_archive_restore(capsys, data_dir):
    folder = str(data_dir)
    run(capsys, "--data-dir", folder, "families", "add", "--name", "Anna Nowak", "--area", "Margate")
    run(capsys, "--data-dir", folder, "families", "add", "--name", "Jo Baker", "--area", "Margate Town",
        "--school", "Hartsdown")
    code, out, _ = run(capsys, "--data-dir", folder, "areas", "rename", "margate", "Margate Central")
    assert code == 0 and "Margate Central" in out
    code, out, err = run(capsys, "--data-dir", folder, "areas", "merge", "Margate Town", "Margate Central")
    assert code == 0 and "Merged" in out, err
    assert "Margate Central" in run(capsys, "--data-dir", folder, "families", "show", "F0002")[1]
    code, out, _ = run(capsys, "--data-dir", folder, "areas", "list")
    assert "Margate Town" in out and "yes" in out
    assert run(capsys, "--data-dir", folder, "undo")[1].startswith("Undone: Merge area")
    assert run(capsys, "--data-dir", folder, "schools", "archive", "hartsdown")[0] == 0
    assert run(capsys, "--data-dir", folder, "schools", "restore", "Hartsdown")[0] == 0


def test_list_mistakes(capsys, data_dir):
    folder = str(data_dir)
    run(capsys, "--data-dir", folder, "families", "add", "--name", "Anna Nowak", "--area", "Margate")
    run(capsys, "--data-dir", folder, "families", "add", "--name", "Jo Baker", "--area", "Ramsgate")
    for argv, expected in [(("areas", "rename", "Nowhere", "X"), 4), (("areas", "rename", "Margate", "ramsgate"), 5),
                           (("areas", "rename", "Margate", " "), 3), (("areas", "merge", "Margate", "margate"), 3),
                           (("schools", "archive", "Nowhere"), 4), (("areas", "merge", "Margate"), 2)]:
        code, _, err = run(capsys, "--data-dir", folder, *argv)
        assert code == expected, (argv, err)
        assert len(err.strip().splitlines()) == 1
