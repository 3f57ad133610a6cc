"""Hatch build hook: compile the gettext catalogs into the package.

Compiled ``.mo`` files are build products, never committed; this hook makes
``pip install`` (editable or not) produce them from ``locales/*.po``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogsHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        root = Path(self.root)
        sys.path.insert(0, str(root))
        try:
            from peer_support.i18n.compile import compile_catalogs
        finally:
            sys.path.pop(0)
        compile_catalogs(root / "locales", root / "peer_support" / "locale")
        # Runtime resources live at the top level of the repository; the
        # wheel carries them inside the package (see peer_support/resources.py).
        if version != "editable":
            build_data["force_include"][str(root / "resources")] = "peer_support/resources"
