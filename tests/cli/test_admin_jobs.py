"""``newsletter new|final``, ``users``, ``encryption`` and ``undo``/``redo`` through the command line."""

from __future__ import annotations

import io
import sys

import pytest

from peer_support.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_newsletter_new_final_and_back(capsys, data_dir):
    folder = str(data_dir)
    code, out, err = run(capsys, "--data-dir", folder, "newsletter", "new", "--title", "Spring news",
                         "--date", "2026-03-01")
    assert code == 0 and "issue 1" in out and "Spring news" in out, err
    code, out, _ = run(capsys, "--data-dir", folder, "newsletter", "final", "1")
    assert code == 0 and "final" in out
    assert "Final" in run(capsys, "--data-dir", folder, "newsletter", "list")[1]
    code, out, _ = run(capsys, "--data-dir", folder, "newsletter", "final", "1", "--draft")
    assert code == 0 and "Draft" in run(capsys, "--data-dir", folder, "newsletter", "list")[1]
    assert run(capsys, "--data-dir", folder, "newsletter", "final", "7")[0] == 4
    assert run(capsys, "--data-dir", folder, "newsletter", "new", "--language", "xx")[0] == 3
    assert run(capsys, "--data-dir", folder, "newsletter", "new", "--date", "soon")[0] == 3


def test_users_list_and_add(capsys, data_dir):
    folder = str(data_dir)
    code, out, _ = run(capsys, "--data-dir", folder, "users", "add", "Sam  Green")
    assert code == 0 and "Sam Green" in out
    assert "Sam Green" in run(capsys, "--data-dir", folder, "users", "list")[1]
    code, _, err = run(capsys, "--data-dir", folder, "--user", "Sam Green", "users", "add", "sam green")
    assert code == 5 and "already on the list" in err
    assert run(capsys, "--data-dir", folder, "--user", "Sam Green", "users", "add", " ")[0] == 3
    code, _, err = run(capsys, "--data-dir", folder, "users", "add", "Eve")  # nobody said who they are
    assert code == 5 and "--user" in err


def test_undo_and_redo_walk_back_and_forward(capsys, data_dir):
    folder = str(data_dir)
    run(capsys, "--data-dir", folder, "families", "add", "--name", "Anna Nowak")
    run(capsys, "--data-dir", folder, "families", "edit", "F0001", "--name", "Anna Smith")
    code, out, _ = run(capsys, "--data-dir", folder, "undo")
    assert code == 0 and "Undone: Edit family F0001" in out
    assert "Anna Nowak" in run(capsys, "--data-dir", folder, "families", "list")[1]
    code, out, _ = run(capsys, "--data-dir", folder, "undo")
    assert code == 0 and "Undone: Add family Anna Nowak" in out
    assert "0 families" in run(capsys, "--data-dir", folder, "families", "list")[1]
    code, _, err = run(capsys, "--data-dir", folder, "undo")
    assert code == 4 and "nothing to undo" in err
    code, out, _ = run(capsys, "--data-dir", folder, "redo")
    assert code == 0 and "Redone: Add family Anna Nowak" in out
    code, out, _ = run(capsys, "--data-dir", folder, "redo")
    assert code == 0 and "Redone: Edit family F0001" in out
    assert "Anna Smith" in run(capsys, "--data-dir", folder, "families", "list")[1]
    assert run(capsys, "--data-dir", folder, "redo")[0] == 4
    # A new change after an undo clears what could be redone.
    run(capsys, "--data-dir", folder, "undo")
    run(capsys, "--data-dir", folder, "families", "add", "--name", "Ewa Nowak")
    assert run(capsys, "--data-dir", folder, "redo")[0] == 4


def _stdin(monkeypatch, text):
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))


@pytest.mark.skipif(not __import__("peer_support.storage.encryption", fromlist=["x"]).available(),
                    reason="sqlcipher3 is not installed")
def test_encryption_on_change_and_off_with_passphrases_from_stdin(capsys, data_dir, monkeypatch):
    folder = str(data_dir)
    monkeypatch.delenv("PEER_SUPPORT_PASSPHRASE", raising=False)
    run(capsys, "--data-dir", folder, "families", "add", "--name", "Anna Nowak")
    _stdin(monkeypatch, "short\n")
    assert run(capsys, "--data-dir", folder, "encryption", "on")[0] == 3
    _stdin(monkeypatch, "a long secret\nanother secret\n")
    assert run(capsys, "--data-dir", folder, "encryption", "on")[0] == 3
    _stdin(monkeypatch, "a long secret\na long secret\n")
    code, out, err = run(capsys, "--data-dir", folder, "encryption", "on")
    assert code == 0 and "now encrypted" in out, err
    assert not (data_dir / "peer-support.sqlite3").read_bytes().startswith(b"SQLite format 3")
    assert run(capsys, "--data-dir", folder, "families", "list")[0] == 6
    _stdin(monkeypatch, "a long secret\n")
    assert run(capsys, "--data-dir", folder, "encryption", "on")[0] == 5
    monkeypatch.setenv("PEER_SUPPORT_PASSPHRASE", "a long secret")
    assert "Anna Nowak" in run(capsys, "--data-dir", folder, "families", "list")[1]
    monkeypatch.delenv("PEER_SUPPORT_PASSPHRASE")
    _stdin(monkeypatch, "wrong secret\n")
    assert run(capsys, "--data-dir", folder, "encryption", "off")[0] == 6
    _stdin(monkeypatch, "a long secret\nnew long secret\nnew long secret\n")
    code, out, err = run(capsys, "--data-dir", folder, "encryption", "change")
    assert code == 0 and "passphrase was changed" in out, err
    _stdin(monkeypatch, "new long secret\n")
    code, out, err = run(capsys, "--data-dir", folder, "encryption", "off")
    assert code == 0 and "no longer encrypted" in out, err
    assert (data_dir / "peer-support.sqlite3").read_bytes().startswith(b"SQLite format 3")
    assert "Anna Nowak" in run(capsys, "--data-dir", folder, "families", "list")[1]
    _stdin(monkeypatch, "whatever\n")
    assert run(capsys, "--data-dir", folder, "encryption", "off")[0] == 5


@pytest.mark.skipif(not __import__("peer_support.storage.encryption", fromlist=["x"]).available(),
                    reason="sqlcipher3 is not installed")
def test_encrypted_data_asks_for_the_passphrase_at_a_terminal(capsys, data_dir, monkeypatch):
    import getpass

    folder = str(data_dir)
    monkeypatch.delenv("PEER_SUPPORT_PASSPHRASE", raising=False)
    run(capsys, "--data-dir", folder, "families", "add", "--name", "Anna Nowak")
    _stdin(monkeypatch, "a long secret\n")
    assert run(capsys, "--data-dir", folder, "encryption", "on")[0] == 0

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stdin", Terminal(""))
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": "a long secret")
    code, out, err = run(capsys, "--data-dir", folder, "families", "list")
    assert code == 0 and "Anna Nowak" in out, err
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": "wrong secret")
    code, _, err = run(capsys, "--data-dir", folder, "families", "list")
    assert code == 6 and "passphrase is not right" in err
