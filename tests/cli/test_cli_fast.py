"""A command line that answers at once: what --version, --help and the read commands load,
and ``packs deliver -`` for a scanner or a list of codes (timings are in benchmarks/cli_timings.py)."""

from __future__ import annotations

import argparse
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


# What --version and --help need none of: the database, the domain and services, Babel's locale
# data (dates, numbers), and any command's module but the one asked about.
NOT_FOR_HELP = (*HEAVY, "sqlite3", "babel", "babel.dates", "babel.numbers", "peer_support.context",
                "peer_support.domain", "peer_support.services", "peer_support.storage", "peer_support.i18n.formatting",
                "peer_support.local_config", *(f"peer_support.cli.{module}" for module in (
                    "core", "families", "fund", "lists", "meetings", "newsletter", "outcomes", "packs", "report",
                    "sync", "trust", "undo", "users")))


def loaded_after(*argv: str, watch: tuple[str, ...] = HEAVY) -> set[str]:
    """The modules of ``watch`` a fresh interpreter has loaded after running the command."""
    code = ("import sys\nfrom peer_support.cli import main\n"
            "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
            f"print('LOADED', sorted(m for m in {watch!r} if m in sys.modules))")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, env=env,
                          timeout=120)
    line = [line for line in done.stdout.splitlines() if line.startswith("LOADED")][-1]
    return set(eval(line[len("LOADED "):]))  # noqa: S307 - our own printed list


@pytest.fixture
def compiled_catalogs():
    """Catalogs compiled as an install does: in a checkout whose .po files changed since, the
    app compiles them in memory with Babel's catalog reader (which loads babel.dates)."""
    stale = [po for po in (ROOT / "locales").glob("*/LC_MESSAGES/*.po")
             if not (mo := ROOT / "peer_support" / "locale" / po.relative_to(ROOT / "locales").with_suffix(".mo"))
             .is_file() or mo.stat().st_mtime < po.stat().st_mtime]
    if stale:
        subprocess.run([sys.executable, "-m", "peer_support.i18n.compile"], check=True, capture_output=True,
                       env=dict(os.environ, PYTHONPATH=str(ROOT)))


@pytest.mark.parametrize("argv", [["--version"], ["--help"], ["--lang", "de", "--help"]])
def test_version_and_help_load_no_data_layer_and_no_command_module(argv, compiled_catalogs):
    assert loaded_after(*argv, watch=NOT_FOR_HELP) == set()


@pytest.mark.parametrize("argv, module", [(["packs", "--help"], "packs"), (["families", "list", "--help"], "families"),
                                          (["--lang", "pl", "fund", "status", "--help"], "fund")])
def test_a_commands_help_loads_only_its_own_module(argv, module, compiled_catalogs):
    # Its choices may come from the domain (fund needs, pack outcomes): plain Python, no data layer.
    assert loaded_after(*argv, watch=NOT_FOR_HELP) - {"peer_support.domain"} == {f"peer_support.cli.{module}"}


def test_every_command_is_listed_with_its_module():
    """COMMANDS (what --help lists without importing the modules) is what the modules register,
    and building one command's parser builds that command in full."""
    from peer_support.cli import COMMANDS, build_parser

    def commands(parser):
        return next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices

    assert list(commands(build_parser())) == list(COMMANDS)
    for name in COMMANDS:
        built = commands(build_parser(name))
        assert list(built) != [] and "-h" in built[name]._option_string_actions, name
        assert set(built) == set(COMMANDS), name


def test_top_level_help_lists_every_command_translated(capsys):
    from peer_support import i18n
    from peer_support.cli import COMMANDS

    with pytest.raises(SystemExit):
        main(["--lang", "pl", "--help"])
    out = capsys.readouterr().out
    try:
        expected = i18n._(COMMANDS["users"][1])
    finally:
        i18n.set_language("en")
    assert all(name in out for name in COMMANDS)
    assert expected != COMMANDS["users"][1] and expected in out


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
