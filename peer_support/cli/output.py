"""Small helpers for printing tables and progress in the terminal."""

from __future__ import annotations

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
