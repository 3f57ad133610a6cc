"""The catalogs are complete, current with the code, and consistent."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po

from peer_support.i18n import maintain

LANGUAGES = ("da", "de", "pl")
FIELD = re.compile(r"%\((\w+)\)[#0\- +]*\d*(?:\.\d+)?[sdifr]|%[sdifr]")


def _read(path):
    with path.open("rb") as handle:
        return read_po(handle)


def _ids(catalog) -> set:
    return {(m.context, m.id if isinstance(m.id, str) else tuple(m.id)) for m in catalog if m.id}


def test_pot_is_up_to_date_with_the_code(tmp_path):
    fresh = tmp_path / "fresh.pot"
    maintain.extract(fresh)
    missing = _ids(_read(fresh)) - _ids(_read(maintain.POT))
    stale = _ids(_read(maintain.POT)) - _ids(_read(fresh))
    assert not missing, f"run: python -m peer_support.i18n.maintain update (new strings: {sorted(missing, key=str)[:5]})"
    assert not stale, f"run: python -m peer_support.i18n.maintain update (gone: {sorted(stale, key=str)[:5]})"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_matches_pot_and_is_fully_translated(language):
    catalog = _read(maintain.LOCALES / language / "LC_MESSAGES" / "peer_support.po")
    assert _ids(catalog) == _ids(_read(maintain.POT)), "run the maintain update"
    problems = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(message.id)
    assert not problems, f"untranslated or fuzzy in {language}: {problems[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_use_the_same_fields_as_the_source(language):
    """Like Frescobaldi's molint: a field missing from the source would crash at run time."""
    catalog = _read(maintain.LOCALES / language / "LC_MESSAGES" / "peer_support.po")
    bad = []
    for message in catalog:
        if not message.id:
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        targets = message.string if isinstance(message.string, tuple) else (message.string,)
        allowed = set().union(*(FIELD.findall(s) for s in sources))
        for target in targets:
            if not set(FIELD.findall(target)) <= allowed:
                bad.append((message.id, target))
            # named fields of the source must all be kept (positional ones may be reordered only by name)
            if not isinstance(message.id, tuple) and set(FIELD.findall(message.id)) != set(FIELD.findall(target)):
                bad.append((message.id, target))
    assert not bad, bad[:5]


def test_catalogs_compile(tmp_path):
    from peer_support.i18n.compile import compile_catalogs

    written = compile_catalogs(maintain.LOCALES, tmp_path)
    assert sorted(p.parts[-3] for p in written) == sorted(LANGUAGES)
    assert all(p.stat().st_size > 100 for p in written)


def test_translations_are_used_at_run_time():
    from peer_support import i18n

    i18n.set_language("de")
    assert i18n._("Families") != "Families"
    i18n.set_language("xx")
    assert i18n.current_language() == "en" and i18n._("Families") == "Families"
