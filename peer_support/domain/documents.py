"""What a service that writes a document returns (the funder report, the period report)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Written(Generic[T]):
    """A document written whole: the file, the record the export rendered (its figures), and the
    one translated line that says so (the command line prints it, the GUI's status bar shows it)."""

    path: Path
    document: T
    message: str
