"""Small helpers for printing tables and progress in the terminal."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    cells = [[str(h) for h in headers]] + [[("" if c is None else str(c)) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for number, row in enumerate(cells):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        if number == 0:
            print("  ".join("-" * width for width in widths))


class StderrProgress:
    """Progress on stderr, one line rewritten in place when it is a terminal."""

    cancelled = False

    def __init__(self) -> None:
        self._last = ""

    def step(self, done: int, total: int, label: str = "") -> None:
        line = f"{label} {done}/{total}" if total else label
        if sys.stderr.isatty() and line != self._last:
            print(f"\r{line}", end="" if done < total else "\n", file=sys.stderr, flush=True)
        self._last = line


EXAMPLE_PREFIX = "  peer-support "


def with_examples(parser, *examples: str):
    """List example command lines at the end of a command's --help (the description still wraps)."""
    from peer_support.i18n import _

    parser.formatter_class = _ExamplesFormatter
    parser.epilog = _("Examples:") + "\n" + "\n".join(EXAMPLE_PREFIX + line for line in examples)
    return parser


class _ExamplesFormatter(argparse.HelpFormatter):
    """Wraps descriptions as usual but keeps the examples one per line."""

    def _fill_text(self, text, width, indent):
        if "\n" + EXAMPLE_PREFIX in text:
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


def read_secret(prompt: str) -> str:
    """A passphrase from the terminal without echo, or one line of standard input when piped."""
    import getpass

    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(prompt)
    line = sys.stdin.readline() if sys.stdin is not None else ""
    return line.rstrip("\r\n")


def open_context_asking(data_dir):
    """Open the data folder; for encrypted data with no passphrase given, ask for it at a terminal.

    Scripts (no terminal) give it in $PEER_SUPPORT_PASSPHRASE; without it they get the usual
    one-line error.
    """
    import getpass

    from peer_support.context import open_context
    from peer_support.i18n import _
    from peer_support.storage.encryption import PassphraseError, passphrase_from_environment

    try:
        return open_context(data_dir)
    except PassphraseError:
        if passphrase_from_environment() or sys.stdin is None or not sys.stdin.isatty():
            raise
        return open_context(data_dir, passphrase=getpass.getpass(_("Passphrase: ")) or None)
