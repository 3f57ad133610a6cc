"""Every command, its failure modes, and the exit code and one-line message the README promises:
2 usage, 3 invalid input, 4 not found, 5 conflict, 6 storage or export, 1 unexpected."""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path


import peer_support
from peer_support.cli import build_parser, main

DB = "peer-support.sqlite3"

# A well-formed call of every command (values need not exist: the failure comes first). A command
# added later gets a call made up from its parser, so it is covered too.
EVERY_COMMAND = {
    "demo": [], "info": [], "check": [],
    "families add": ["--name", "Ann"], "families edit": ["F0001", "--name", "Ann"],
    "families show": ["F0001"], "families archive": ["F0001"], "families restore": ["F0001"],
    "families list": [], "families import": ["{tmp}/in.csv"], "families export": ["{tmp}/out.csv"],
    "families merge": ["F0001", "F0002"],
    "volunteers list": [], "volunteers add": ["--name", "Val"], "volunteers edit": ["V001", "--name", "Val"],
    "volunteers archive": ["V001"],
    "fund status": [], "fund list": [],
    "fund apply": ["F0001", "--pot", "Main", "--need", "device", "--amount", "10"],
    "fund decide": ["A0001", "--approve", "10"], "fund pay": ["A0001", "--amount", "10"],
    "fund report": ["--from", "2026-01-01", "--to", "2026-02-01", "-o", "{tmp}/f.xlsx"],
    "areas list": [], "areas rename": ["Old", "New"], "areas merge": ["Old", "New"],
    "areas archive": ["Old"], "areas restore": ["Old"],
    "schools list": [], "schools rename": ["Old", "New"], "schools merge": ["Old", "New"],
    "schools archive": ["Old"], "schools restore": ["Old"],
    "meetings list": [], "meetings plan": ["--date", "2026-12-01", "--topic", "Sleep"],
    "meetings edit": ["M2026-11", "--topic", "Sleep"], "meetings attend": ["M2026-11", "F0001"],
    "meetings held": ["M2026-11"], "meetings actions": ["M2026-11"],
    "meetings export-ics": ["{tmp}/m.ics"], "meetings register": ["M2026-11", "-o", "{tmp}/r.pdf"],
    "cards": ["-o", "{tmp}/c.pdf"],
    "newsletter list": [], "newsletter new": ["--title", "News"], "newsletter final": ["1"],
    "newsletter export": ["1", "-o", "{tmp}/n.pdf"], "newsletter labels": ["1", "-o", "{tmp}/l.pdf"],
    "newsletter mailing": ["1", "-o", "{tmp}/m.csv"],
    "forms list": [], "forms print": ["1", "-o", "{tmp}/p.pdf"], "forms enter": ["1"],
    "forms results": ["1"],
    "packs batches": [], "packs list": ["B1"], "packs move": ["P1", "--run", "1"], "packs show": ["P1"],
    "packs labels": ["B1", "-o", "{tmp}/l.pdf"], "packs runs": ["B1"], "packs deliver": ["P1", "--volunteer", "V1"],
    "packs progress": [],
    "report": ["--from", "2026-01-01", "--to", "2026-02-01", "-o", "{tmp}/r.pdf"],
    "sync status": [], "sync folder": ["{tmp}"], "sync passphrase": [], "sync snapshot": [],
    "conflicts list": [], "conflicts resolve": ["1", "--keep", "local"],
    "backup": [], "family-export": ["F0001", "-o", "{tmp}/f.zip"], "erase": ["F0001", "--yes"],
    "retention list": [], "retention apply": ["--yes"], "retention keep": ["F0001", "--reason", "why"],
    "retention years": ["3"],
    "undo": [], "redo": [], "users list": [], "users add": ["Ann"],
    "encryption on": [], "encryption off": [], "encryption change": [],
}
# Commands that deal with a damaged or foreign folder themselves.
OPENS_ITS_OWN_WAY = {"sync join", "restore"}


def _leaves(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return [leaf for key, sub in action.choices.items() for leaf in _leaves(sub, (*prefix, key))]
    return [(" ".join(prefix), parser)]


def _made_up_call(parser: argparse.ArgumentParser) -> list[str]:
    """A well-formed call of a command not in the table (one added later): required arguments filled in."""
    argv: list[str] = []
    for action in parser._actions:
        if action.option_strings and not action.required:
            continue
        if isinstance(action, argparse._HelpAction) or action.nargs in ("?", "*", argparse.REMAINDER):
            continue
        value = str(next(iter(action.choices))) if action.choices else (
            "1" if action.type is int else "{tmp}/out.pdf" if "output" in action.dest else "X")
        argv += [action.option_strings[0], value] if action.option_strings else [value]
    return argv


def _every_call() -> dict[str, list[str]]:
    return {command: EVERY_COMMAND.get(command, _made_up_call(parser))
            for command, parser in _leaves(build_parser()) if command not in OPENS_ITS_OWN_WAY}


def test_the_table_knows_todays_commands():
    assert set(EVERY_COMMAND) <= set(_every_call())


def _run(capsys, monkeypatch, argv: list[str]) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO("secretpass1\nsecretpass1\n"))
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _one_line(err: str) -> bool:
    return len(err.strip().splitlines()) == 1 and "Traceback" not in err and err.startswith("peer-support: ")


def _argv(command: str, arguments: list[str], tmp_path) -> list[str]:
    return [*command.split(), *(arg.replace("{tmp}", str(tmp_path)) for arg in arguments)]


HOLDER = (
    "import sys\n"
    "from peer_support.context import open_context\n"
    "context = open_context(sys.argv[1])\n"
    "print('ready', flush=True)\n"
    "sys.stdin.readline()\n"
    "context.close()\n")


def _every_command_fails(capsys, monkeypatch, data_dir, tmp_path, words: str) -> list[str]:
    wrong = []
    for command, arguments in sorted(_every_call().items()):
        code, out, err = _run(capsys, monkeypatch, ["--data-dir", str(data_dir), *_argv(command, arguments, tmp_path)])
        if code != 6 or not _one_line(err) or words not in err:
            wrong.append(f"{command}: exit {code}: {err!r}")
    return wrong


def test_a_folder_open_elsewhere_is_exit_6_in_one_line_for_every_command(capsys, monkeypatch, data_dir,
                                                                          tmp_path):
    environment = {**os.environ, "PYTHONPATH": str(Path(peer_support.__file__).parent.parent)}
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(data_dir)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=environment)
    try:
        assert holder.stdout.readline().strip() == "ready"
        before = hashlib.sha256((data_dir / DB).read_bytes()).hexdigest()
        wrong = _every_command_fails(capsys, monkeypatch, data_dir, tmp_path, "already open")
    finally:
        holder.communicate("\n", timeout=30)
    assert not wrong, "\n".join(wrong)
    assert hashlib.sha256((data_dir / DB).read_bytes()).hexdigest() == before


def test_a_damaged_database_is_exit_6_in_one_line_for_every_command(capsys, monkeypatch, data_dir, tmp_path):
    garbage = bytes(range(256)) * 64
    (data_dir / DB).write_bytes(garbage)
    for suffix in ("-wal", "-shm"):
        (data_dir / f"{DB}{suffix}").unlink(missing_ok=True)
    wrong = _every_command_fails(capsys, monkeypatch, data_dir, tmp_path, "could not be opened")
    assert not wrong, "\n".join(wrong)
    assert (data_dir / DB).read_bytes() == garbage


# (argv after --data-dir, exit code, words the one line holds)
FAILURES = [
    # usage: the command line itself is wrong
    (["nonsense"], 2, "invalid choice"),
    (["--lang", "xx", "info"], 2, "Unknown language 'xx'"),
    (["families", "show"], 2, "REF"),
    (["fund", "list", "--status", "lost"], 2, "invalid choice"),
    (["packs", "deliver", "P1", "--outcome", "eaten"], 2, "invalid choice"),
    (["families", "export", "{tmp}/out.pdf"], 2, ".csv, .xlsx"),
    (["report", "--from", "2026-01-01", "--to", "2026-02-01", "-o", "{tmp}/r.docx"], 2, ".pdf, .xlsx"),
    (["meetings", "export-ics", "{tmp}/m.pdf"], 2, ".ics"),
    (["meetings", "register", "M2026-11", "-o", "{tmp}/r.txt"], 2, ".pdf, .csv"),
    (["cards", "-o", "{tmp}/c.png"], 2, ".pdf"),
    (["newsletter", "export", "1", "-o", "{tmp}/n.doc"], 2, ".pdf, .html"),
    (["newsletter", "labels", "1", "-o", "{tmp}/l.pdf", "--sheet", "L9999"], 2, "L9999"),
    (["family-export", "F0001", "-o", "{tmp}/f.pdf"], 2, ".zip"),
    (["erase", "F0001"], 2, "--yes"),
    (["restore"], 2, "--newest"),
    # invalid input: a file or value that cannot be used
    (["families", "import", "{tmp}/missing.csv"], 3, "no file"),
    (["families", "import", "{tmp}"], 3, "folder"),
    (["families", "import", "/dev/zero"], 3, "not an ordinary file"),
    (["restore", "{tmp}/missing.sqlite3"], 3, "no file"),
    (["fund", "pay", "A0001", "--amount", "10", "--receipt", "{tmp}/missing.jpg"], 3, "missing.jpg"),
    (["report", "--from", "someday", "--to", "2026-02-01", "-o", "{tmp}/r.pdf"], 3, "someday"),
    (["report", "--from", "2026-05-02", "--to", "2026-05-01", "-o", "{tmp}/r.pdf"], 3, "ends before"),
    (["families", "add", "--name", "Ann", "--postcode", "XYZ"], 3, "postcode"),
    # not found: an unknown reference
    (["families", "show", "F9999"], 4, "F9999"),
    (["families", "edit", "F9999", "--name", "X"], 4, "F9999"),
    (["families", "merge", "F0001", "F9999"], 4, "F9999"),
    (["volunteers", "edit", "V999", "--name", "X"], 4, "V999"),
    (["fund", "decide", "A9999", "--approve", "10"], 4, "A9999"),
    (["meetings", "register", "M1999-01", "-o", "{tmp}/r.pdf"], 4, "M1999-01"),
    (["cards", "-o", "{tmp}/c.pdf", "--family", "F9999"], 4, "F9999"),
    (["newsletter", "export", "99", "-o", "{tmp}/n.pdf"], 4, "99"),
    (["packs", "show", "ZZZZZZ"], 3, "not a pack code"),
    (["family-export", "F9999", "-o", "{tmp}/f.zip"], 4, "F9999"),
    (["erase", "F9999", "--yes"], 4, "F9999"),
    (["areas", "rename", "Nowhere Land", "Somewhere"], 4, "Nowhere Land"),
    (["restore", "--newest"], 4, "No good backup"),
    # storage or export: the output folder is not there
    (["families", "export", "{tmp}/mistyped/out.csv"], 6, "does not exist"),
    (["report", "--from", "2026-01-01", "--to", "2026-02-01", "-o", "{tmp}/mistyped/r.pdf"], 6,
     "does not exist"),
    (["meetings", "export-ics", "{tmp}/mistyped/m.ics"], 6, "does not exist"),
    (["backup", "--to", "{tmp}/in.csv"], 6, "not a folder"),
    (["backup", "--to", "{tmp}/mistyped"], 6, "does not exist"),
    (["sync", "join", "{tmp}/mistyped"], 3, "no folder"),
]


def test_every_failure_mode_has_its_exit_code_and_one_line(capsys, monkeypatch, sample_dir, tmp_path):
    (tmp_path / "in.csv").write_text("name\nAnn\n", encoding="utf-8")
    before = hashlib.sha256((sample_dir / DB).read_bytes()).hexdigest()
    wrong = []
    for argv, expected, words in FAILURES:
        argv = [arg.replace("{tmp}", str(tmp_path)) for arg in argv]
        code, out, err = _run(capsys, monkeypatch, ["--data-dir", str(sample_dir), *argv])
        if code != expected or not _one_line(err) or words.replace("{tmp}", str(tmp_path)) not in err:
            wrong.append((argv, code, err))
    assert not wrong, "\n".join(f"{argv}: exit {code}: {err!r}" for argv, code, err in wrong)
    assert not (tmp_path / "mistyped").exists()
    assert hashlib.sha256((sample_dir / DB).read_bytes()).hexdigest() == before
