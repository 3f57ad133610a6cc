"""Every command's --help ends with examples, translated with the rest."""

from __future__ import annotations

import argparse

import pytest

from peer_support.cli import build_parser, main

ELSEWHERE: set[str] = set()  # every command has examples


def _commands(parser: argparse.ArgumentParser, prefix=()):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                path = (*prefix, name)
                if path[0] in ELSEWHERE:
                    continue
                yield path
                yield from _commands(sub, path)


def _help(capsys, argv) -> str:
    with pytest.raises(SystemExit) as exit:
        main([*argv, "--help"])
    assert exit.value.code == 0
    return capsys.readouterr().out


def test_every_command_lists_examples(capsys):
    commands = list(_commands(build_parser()))
    assert ("families", "edit") in commands and ("undo",) in commands and len(commands) > 50
    for path in commands:
        out = _help(capsys, path)
        assert "Examples:" in out and "peer-support " in out.split("Examples:")[1], path


def test_examples_heading_is_translated(capsys):
    assert "Przykłady:" in _help(capsys, ["--lang", "pl", "meetings", "attend"])
    assert "Eksempler:" in _help(capsys, ["--lang", "da", "fund", "pay"])
