"""Peer Support: offline-first desktop app for parent peer-support groups."""

from __future__ import annotations

import re
from pathlib import Path

APP_NAME = "peer-support"


def _read_version() -> str:
    """The one version string: ``[project] version`` in pyproject.toml.

    A source checkout reads it from pyproject.toml beside the package (so a
    checkout run through PYTHONPATH shows its own version); an installed wheel,
    a Briefcase app or the frozen .deb bundle read the installed metadata,
    which the build copied from the same field.
    """
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    try:
        text = pyproject.read_text(encoding="utf-8")
    except OSError:
        text = ""
    project = re.search(r"^\[project\]\s*$(.*?)(?=^\[)", text, re.M | re.S)
    if project and 'name = "peer-support"' in project.group(1):
        found = re.search(r'^version\s*=\s*"([^"]+)"', project.group(1), re.M)
        if found:
            return found.group(1)
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(APP_NAME)
    except PackageNotFoundError:
        return "0+unknown"


__version__ = _read_version()
