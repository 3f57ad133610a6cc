"""Write export files whole or not at all."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from peer_support.errors import ExportError
from peer_support.i18n import _


@contextmanager
def atomic_output(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it into place on success.

    A failed export leaves no half-written file and never clobbers the old one.
    Raises ExportError with a clear message when the folder cannot be written.
    """
    target = Path(path)
    partial = target.with_name(f".{target.name}.partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        yield partial
        os.replace(partial, target)
    except OSError as exc:
        raise ExportError(_("Could not write %(path)s: %(reason)s")
                          % {"path": target, "reason": exc.strerror or exc}) from exc
    finally:
        try:
            partial.unlink(missing_ok=True)
        except OSError:
            pass  # the folder itself is unusable; the error above already says so


def output_format(path: str | os.PathLike, allowed: tuple[str, ...]) -> str:
    """The format from a file name's extension; raises ExportError for others."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in allowed:
        raise ExportError(_("Cannot write '%(name)s': use a file name ending in %(choices)s.")
                          % {"name": Path(path).name, "choices": ", ".join(f".{a}" for a in allowed)})
    return suffix
