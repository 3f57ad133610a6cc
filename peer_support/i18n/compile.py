"""Compile ``locales/<lang>/LC_MESSAGES/*.po`` into ``.mo`` files.

Run by the hatch build hook on every install, and by hand before a Briefcase
build: ``python -m peer_support.i18n.compile``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def compile_catalogs(source_dir: Path, target_dir: Path) -> list[Path]:
    written = []
    for po_path in sorted(source_dir.glob("*/LC_MESSAGES/*.po")):
        language = po_path.parts[-3]
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=language)
        mo_path = target_dir / language / "LC_MESSAGES" / po_path.with_suffix(".mo").name
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog, use_fuzzy=False)
        written.append(mo_path)
    return written


def main() -> int:
    root = Path(__file__).resolve().parents[2]
    for path in compile_catalogs(root / "locales", root / "peer_support" / "locale"):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
