"""``families add|edit|show|archive|restore`` and ``volunteers add|edit|archive``: success and failure."""

from __future__ import annotations

import hashlib

from peer_support.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _digest(folder) -> str:
    return hashlib.sha256((folder / "peer-support.sqlite3").read_bytes()).hexdigest()


def test_add_edit_then_find_by_the_new_name(capsys, data_dir):
    folder = str(data_dir)
    code, out, err = run(capsys, "--data-dir", folder, "families", "add", "--name", "Zofia Wójcik",
                         "--phone", "07700 900123", "--postcode", "ct91ab", "--area", "Margate", "--language", "pl",
                         "--consent-contact", "--school", "St Mary's")
    assert code == 0 and "F0001 Zofia Wójcik" in out, err
    code, out, err = run(capsys, "--data-dir", folder, "families", "edit", "F1", "--name", "Zofia Kowalska",
                         "--no-consent-contact", "--notes", "Prefers texts")
    assert code == 0 and "Saved family F0001 Zofia Kowalska" in out, err
    code, out, _ = run(capsys, "--data-dir", folder, "families", "list", "--search", "Zofia Kowalska")
    assert code == 0 and "F0001" in out and "1 family" in out
    assert "0 families" in run(capsys, "--data-dir", folder, "families", "list", "--search", "Wojcik")[1]
    code, out, _ = run(capsys, "--data-dir", folder, "families", "show", "kowalska")
    assert code == 0 and "CT9 1AB" in out and "Margate" in out and "St Mary's" in out
    assert "Prefers texts" in out and "07700 900123" in out


def test_archive_and_restore(capsys, data_dir):
    folder = str(data_dir)
    run(capsys, "--data-dir", folder, "families", "add", "--name", "Anna Nowak")
    code, out, _ = run(capsys, "--data-dir", folder, "families", "archive", "F0001")
    assert code == 0 and "Archived family F0001" in out
    assert "0 families" in run(capsys, "--data-dir", folder, "families", "list")[1]
    code, out, _ = run(capsys, "--data-dir", folder, "families", "restore", "f0001")
    assert code == 0 and "1 family" in run(capsys, "--data-dir", folder, "families", "list")[1]


def test_bad_family_input_changes_nothing_and_says_one_line(capsys, data_dir):
    folder = str(data_dir)
    run(capsys, "--data-dir", folder, "families", "add", "--name", "Anna Nowak")
    before = _digest(data_dir)
    cases = [
        (("families", "add", "--phone", "07700 900123"), 2),
        (("families", "add", "--name", "X", "--email", "bad@"), 3),
        (("families", "add", "--name", "X", "--postcode", "nonsense"), 3),
        (("families", "add", "--name", "X", "--children", "many"), 2),
        (("families", "edit", "F0001", "--language", "xx"), 3),
        (("families", "edit", "F0001"), 2),
        (("families", "edit", "F0099", "--name", "Y"), 4),
        (("families", "show", "nobody at all"), 4),
        (("families", "archive", "F0099"), 4),
    ]
    for argv, expected in cases:
        code, out, err = run(capsys, "--data-dir", folder, *argv)
        assert code == expected, (argv, err)
        assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert _digest(data_dir) == before


def test_volunteers_add_edit_archive(capsys, data_dir):
    folder = str(data_dir)
    code, out, err = run(capsys, "--data-dir", folder, "volunteers", "add", "--name", "Sam Green",
                         "--area", "Margate", "--phone", "07700 900555")
    assert code == 0 and "V001 Sam Green" in out, err
    code, out, _ = run(capsys, "--data-dir", folder, "volunteers", "edit", "sam green", "--area", "Cliftonville")
    assert code == 0 and "Saved volunteer V001" in out
    assert "Cliftonville" in run(capsys, "--data-dir", folder, "volunteers")[1]
    code, out, _ = run(capsys, "--data-dir", folder, "volunteers", "archive", "V001")
    assert code == 0 and "no longer active" in out
    assert "Sam Green" not in run(capsys, "--data-dir", folder, "volunteers", "list")[1]
    assert "Sam Green" in run(capsys, "--data-dir", folder, "volunteers", "list", "--all")[1]
    code, _, err = run(capsys, "--data-dir", folder, "volunteers", "add", "--name", "X", "--phone", "abc")
    assert code == 3 and "phone" in err
    code, _, err = run(capsys, "--data-dir", folder, "volunteers", "edit", "V009", "--phone", "07700 900556")
    assert code == 4


def test_help_lists_examples_and_is_translated(capsys, data_dir):
    for argv in (("families", "add", "--help"), ("families", "edit", "--help"), ("volunteers", "add", "--help")):
        try:
            main(list(argv))
        except SystemExit as exit:
            assert exit.code == 0
        out = capsys.readouterr().out
        assert "Examples:" in out and "peer-support " + argv[0] in out
    try:
        main(["--lang", "de", "families", "edit", "--help"])
    except SystemExit:
        pass
    assert "Beispiele:" in capsys.readouterr().out
