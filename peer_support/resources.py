"""Locate runtime files (fonts, icons, migrations, catalogs).

From a source checkout or an editable install the top-level ``resources/``
folder sits beside the package; a wheel carries it inside the package and a
Briefcase bundle copies it beside the package. One helper hides the difference.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def resources_dir() -> Path:
    for candidate in (PACKAGE_DIR / "resources", PACKAGE_DIR.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("resources folder not found")


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def package_path(*parts: str) -> Path:
    """A file shipped inside the package itself (migrations, compiled catalogs)."""
    return PACKAGE_DIR.joinpath(*parts)
