"""The core and the CLI never import Qt, so they run headless and start fast."""

import subprocess
import sys
from pathlib import Path

import peer_support

PACKAGE = Path(peer_support.__file__).parent


def _core_modules() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = [p for p in relative.parts if p != "__init__"]
        if parts[1:2] not in (["ui"], ["__main__"]) and "migrations" not in parts:
            names.append(".".join(parts))
    return names


def test_core_and_cli_do_not_import_pyside6():
    modules = _core_modules()
    assert "peer_support.services.families" in modules and len(modules) > 20
    code = ("import sys, importlib\n"
            f"for name in {modules!r}:\n"
            "    importlib.import_module(name)\n"
            "from peer_support.cli import build_parser; build_parser()\n"
            "print([n for n in sys.modules if n.startswith('PySide6')])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
