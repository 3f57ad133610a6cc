"""The core and the CLI never import Qt, so they run headless and start fast."""

import subprocess
import sys


def test_core_and_cli_do_not_import_pyside6():
    code = ("import sys, importlib, pkgutil, peer_support\n"
            "for m in pkgutil.walk_packages(peer_support.__path__, 'peer_support.'):\n"
            "    if not m.name.startswith('peer_support.ui'):\n"
            "        importlib.import_module(m.name)\n"
            "from peer_support.cli import build_parser; build_parser()\n"
            "print([n for n in sys.modules if n.startswith('PySide6')])")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
