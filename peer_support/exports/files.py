"""Write export files whole or not at all."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from peer_support.errors import BadRequestError, ExportError
from peer_support.i18n import _


@contextmanager
def atomic_output(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a new temporary path beside ``path``; rename it into place on success.

    A failed export leaves no half-written file and never clobbers the old one.
    Each call has its own temporary file, so two exports to the same name at
    once (a preview re-rendered while the last one is still writing) never mix.
    The folder must exist: a mistyped folder is an error, never created.
    Raises ExportError with a clear message when the folder is missing or
    cannot be written.
    """
    target = Path(path)
    folder = target.parent
    if not folder.is_dir():
        raise ExportError(_("Could not write %(path)s: the folder %(folder)s does not exist.")
                          % {"path": target, "folder": folder})
    if target.is_dir():
        raise ExportError(_("Could not write %(path)s: it is a folder.") % {"path": target})
    partial: Path | None = None
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=folder)
        os.close(handle)
        partial = Path(name)
        yield partial
        os.replace(partial, target)
    except OSError as exc:
        raise ExportError(_("Could not write %(path)s: %(reason)s")
                          % {"path": target, "reason": exc.strerror or exc}) from exc
    finally:
        if partial is not None:
            try:
                partial.unlink(missing_ok=True)
            except OSError:
                pass  # the folder itself is unusable; the error above already says so


def output_format(path: str | os.PathLike, allowed: tuple[str, ...]) -> str:
    """The format from a file name's extension; raises BadRequestError (exit 2) for others."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in allowed:
        raise BadRequestError(_("Cannot write '%(name)s': use a file name ending in %(choices)s.")
                         % {"name": Path(path).name, "choices": ", ".join(f".{a}" for a in allowed)})
    return suffix
