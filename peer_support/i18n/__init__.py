"""Translation functions and the active language.

Import ``_``, ``ngettext``, ``pgettext`` and ``N_`` from here; never put them
in builtins. The language is chosen once at start-up (``set_language``);
changing it in the GUI asks for a restart. ``translations_for`` gives another
language's catalog, for documents printed in a language other than the UI's.
"""

from __future__ import annotations

import gettext as _gettext
import io
import locale as _locale
import os
from functools import cache

from peer_support.resources import package_path

DOMAIN = "peer_support"
SOURCE_LANGUAGE = "en"
SUPPORTED_LANGUAGES = ("en", "da", "de", "pl")
# Shown in each language's own name, so a user can always find theirs.
LANGUAGE_NAMES = {"en": "English", "da": "Dansk", "de": "Deutsch", "pl": "Polski"}

_active: _gettext.NullTranslations = _gettext.NullTranslations()
_active_language = SOURCE_LANGUAGE


def _po_path(language: str):
    return package_path().parent / "locales" / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _catalog_from_po(language: str) -> _gettext.NullTranslations | None:
    """Compile a catalog in memory when running from a checkout never built."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    po_path = _po_path(language)
    if not po_path.is_file():
        return None
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


@cache
def translations_for(language: str) -> _gettext.NullTranslations:
    if language == SOURCE_LANGUAGE or language not in SUPPORTED_LANGUAGES:
        return _gettext.NullTranslations()
    mo_path = package_path("locale", language, "LC_MESSAGES", f"{DOMAIN}.mo")
    if mo_path.is_file() and not _source_is_newer(language, mo_path):
        with mo_path.open("rb") as mo_file:
            return _gettext.GNUTranslations(mo_file)
    return _catalog_from_po(language) or _gettext.NullTranslations()


def _source_is_newer(language: str, mo_path) -> bool:
    """In a checkout, a catalog edited since the last install wins over the stale .mo."""
    po_path = _po_path(language)
    return po_path.is_file() and po_path.stat().st_mtime > mo_path.stat().st_mtime


def normalise_language(code: str | None) -> str | None:
    """'de_DE.UTF-8' -> 'de'; None for languages we do not ship."""
    if not code:
        return None
    short = code.replace("-", "_").split("_")[0].split(".")[0].lower()
    return short if short in SUPPORTED_LANGUAGES else None


def system_language() -> str:
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for part in os.environ.get(variable, "").split(":"):
            if found := normalise_language(part):
                return found
    try:
        found = normalise_language(_locale.getlocale()[0])
    except ValueError:
        found = None
    return found or SOURCE_LANGUAGE


def set_language(language: str) -> None:
    global _active, _active_language
    language = normalise_language(language) or SOURCE_LANGUAGE
    _active = translations_for(language)
    _active_language = language


def current_language() -> str:
    return _active_language


def _(message: str) -> str:
    return _active.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _active.ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    return _active.pgettext(context, message)


def N_(message: str) -> str:
    """Mark a string for extraction; translate it later, when it is shown."""
    return message
