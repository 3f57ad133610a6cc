"""Build the Windows MSI or the macOS DMG with Briefcase.

What .github/workflows/installers.yml runs on windows-latest and macos-latest
(it needs the internet: Briefcase downloads its templates, a Python build and,
on Windows, WiX). From the repository root:

    python packaging/build_briefcase.py windows        # dist/Peer Support-<version>.msi
    python packaging/build_briefcase.py macOS          # dist/Peer Support-<version>.dmg
    python packaging/build_briefcase.py macOS --dry-run  # check and print, build nothing

Steps: install Briefcase and Babel, check briefcase.toml against pyproject.toml,
compile the translation catalogs (Briefcase copies peer_support/ as it is and
never runs the wheel's build hook), then briefcase create, build and package.
Only the standard library is needed to start it.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUFFIX = {"windows": ".msi", "macOS": ".dmg"}


def run(command: list[str], dry_run: bool = False) -> None:
    print("+ " + " ".join(command), flush=True)
    if not dry_run:
        subprocess.run(command, cwd=ROOT, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("platform", choices=sorted(SUFFIX))
    parser.add_argument("--dry-run", action="store_true",
                        help="check the configuration and compile the catalogs, print the Briefcase commands")
    parser.add_argument("--no-install", action="store_true", help="Briefcase and Babel are already installed")
    args = parser.parse_args(argv)

    version = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    python = sys.executable
    if not args.no_install:
        run([python, "-m", "pip", "install", "--disable-pip-version-check", "-q",
             "briefcase>=0.4.2", "babel>=2.14"], args.dry_run)
    run([python, str(ROOT / "packaging" / "briefcase_config.py"), "--check"])
    run([python, "-m", "peer_support.i18n.compile"])
    briefcase = [python, "-m", "briefcase"]
    signing = ["--adhoc-sign"] if args.platform == "macOS" else []  # no signing identity in CI
    for step in ("create", "build"):
        run([*briefcase, step, args.platform, "--no-input"], args.dry_run)
    run([*briefcase, "package", args.platform, "--no-input", *signing], args.dry_run)
    if args.dry_run:
        return 0
    built = sorted((ROOT / "dist").glob(f"*{version}*{SUFFIX[args.platform]}"))
    if not built:
        print(f"error: briefcase wrote no {SUFFIX[args.platform]} for {version} in dist/", file=sys.stderr)
        return 1
    for path in built:
        print(f"== {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
