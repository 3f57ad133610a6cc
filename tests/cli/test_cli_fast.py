"""A command line that answers at once: what --version, --help and the read commands load,
and ``packs deliver -`` for a scanner or a list of codes (timings are in benchmarks/cli_timings.py)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from peer_support.cli import main
from peer_support.cli.packs import DEFAULT_SHEET, LABEL_SHEETS

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("sqlalchemy", "sqlmodel", "pydantic", "alembic", "reportlab", "PySide6", "openpyxl")


def loaded_after(*argv: str) -> set[str]:
    """The heavy libraries a fresh interpreter has loaded after running the command."""
    code = ("import sys\nfrom peer_support.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            f"print('LOADED', sorted(m for m in {HEAVY!r} if m in sys.modules))")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, env=env,
                          timeout=120)
    line = [line for line in done.stdout.splitlines() if line.startswith("LOADED")][-1]
    return set(eval(line[len("LOADED "):]))  # noqa: S307 - our own printed list


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["packs", "--help"], ["families", "list", "--help"]])
def test_version_and_help_load_no_data_layer(argv):
    assert loaded_after(*argv) == set()


@pytest.mark.parametrize("argv", [["packs", "progress"], ["fund", "status"],
                                  ["families", "list", "--search", "sorensen"], ["families", "list"]])
def test_read_commands_load_no_orm(sample_dir, argv):
    assert loaded_after("--data-dir", str(sample_dir), *argv) == set()


def test_version_prints_the_version(capsys):
    from peer_support import __version__

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"peer-support {__version__}"


def test_label_sheets_named_in_the_cli_are_the_ones_that_exist():
    from peer_support.exports.labels import DEFAULT_SHEET as REAL_DEFAULT, SHEETS

    assert sorted(LABEL_SHEETS) == sorted(SHEETS) and DEFAULT_SHEET == REAL_DEFAULT


def test_deliver_reads_codes_from_standard_input_one_line_each(capsys, monkeypatch, sample_dir):
    from peer_support.context import open_context
    from peer_support.domain.packs import format_code
    from peer_support.services import packs

    context = open_context(sample_dir)
    try:
        batch = packs.list_batches(context)[0].reference
        codes = [format_code(p.code) for p in packs.list_packs(context, batch, outstanding_only=True)[:3]]
    finally:
        context.close()
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join([*codes, "", codes[0], "not-a-code"]) + "\n"))
    code = main(["--data-dir", str(sample_dir), "packs", "deliver", "-", "--volunteer", "V001"])
    captured = capsys.readouterr()
    assert [line.split(":")[0] for line in captured.out.splitlines()] == codes
    assert [line.split(":")[0] for line in captured.err.splitlines()] == [codes[0], "not-a-code"]
    assert code == 5  # the first problem's exit code: already delivered
    context = open_context(sample_dir)
    try:
        left = {format_code(p.code) for p in packs.list_packs(context, batch, outstanding_only=True)}
    finally:
        context.close()
    assert not left & set(codes)


def test_list_kinds_named_in_the_cli_are_the_services():
    from peer_support.cli import lists
    from peer_support.services import lists as service

    assert (lists.AREAS, lists.SCHOOLS) == (service.AREAS, service.SCHOOLS)
