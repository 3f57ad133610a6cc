"""Developer tool for the catalogs (not used at run time).

    python -m peer_support.i18n.maintain update        # extract .pot, update da/de/pl .po
    python -m peer_support.i18n.maintain fill FILE.json # set translations: {msgid: {da:, de:, pl:}}
    python -m peer_support.i18n.maintain missing       # list untranslated or fuzzy entries

For plural entries the JSON value per language is a list of forms. For a
pgettext entry the key is "context\\u0004msgid". Several people may run this at
once: a lock file serialises writers.
"""

from __future__ import annotations

import fcntl
import json
import sys
from contextlib import contextmanager
from pathlib import Path

from babel.messages import frontend
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "locales"
POT = LOCALES / "peer_support.pot"
LANGUAGES = ("da", "de", "pl")


@contextmanager
def _locked():
    with (LOCALES / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def extract(target: Path) -> None:
    frontend.CommandLineInterface().run([
        "pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-c", "Translators:",
        "--no-location", "--sort-output", "--project", "Peer Support", "--version", "0.1.0",
        "-o", str(target), str(ROOT)])


def update() -> None:
    with _locked():
        extract(POT)
        for language in LANGUAGES:
            po = LOCALES / language / "LC_MESSAGES" / "peer_support.po"
            command = "update" if po.exists() else "init"
            args = ["pybabel", "-q", command, "-D", "peer_support", "-i", str(POT), "-d", str(LOCALES),
                    "-l", language]
            if command == "update":
                args += ["--no-fuzzy-matching", "--ignore-obsolete"]
            frontend.CommandLineInterface().run(args)


def _key(message) -> str:
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    return f"{message.context}\u0004{msgid}" if message.context else msgid


def fill(json_path: Path) -> None:
    translations = json.loads(json_path.read_text(encoding="utf-8"))
    with _locked():
        for language in LANGUAGES:
            po = LOCALES / language / "LC_MESSAGES" / "peer_support.po"
            with po.open("rb") as handle:
                catalog = read_po(handle, locale=language)
            for message in catalog:
                entry = translations.get(_key(message)) if message.id else None
                if entry and language in entry:
                    value = entry[language]
                    message.string = tuple(value) if isinstance(message.id, tuple) else value
                    message.flags.discard("fuzzy")
            with po.open("wb") as handle:
                write_po(handle, catalog, width=100, omit_header=False)


def missing() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for language in LANGUAGES:
        po = LOCALES / language / "LC_MESSAGES" / "peer_support.po"
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        for message in catalog:
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy or not all(strings):
                found.setdefault(_key(message), []).append(language)
    return found


def main(argv: list[str]) -> int:
    if argv[:1] == ["update"]:
        update()
    elif argv[:1] == ["fill"] and len(argv) == 2:
        fill(Path(argv[1]))
    elif argv[:1] == ["missing"]:
        todo = missing()
        print(json.dumps({key: {lang: "" for lang in langs} for key, langs in todo.items()},
                         ensure_ascii=False, indent=1))
        return 1 if todo else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
