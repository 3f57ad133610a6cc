"""The one way to match what someone types against a family: folding and search text.

Every place that finds a family (the Families page, the register at the door,
attendance history, the fund and packs pickers, ``families list --search``)
goes through ``services.families_search``, which matches the typed words
(``search_terms``) against the text built here (``family_search_text``). Both
sides are folded the same way:

- lower case, accents dropped (é→e, ń→n, ü→u, å→a);
- letters without a decomposition transliterated (ø→o, ł→l, æ→ae, ß→ss, œ→oe);
- a word with ø, å, ä, ö or ü is indexed a second time as Danish/German
  writers spell it without those letters (ø→oe, å→aa, ä→ae, ö→oe, ü→ue), so
  "sorensen" and "soerensen" both find Sørensen, "mueller" finds Müller.

A typed word of three letters or more matches anywhere in a word; one or two
letters match the start of a word (so "s" does not match every family with an
s somewhere). Phone numbers match by their digits.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters NFKD does not decompose, written the way an English keyboard would.
_TRANSLITERATED = str.maketrans({"ø": "o", "æ": "ae", "ł": "l", "đ": "d", "ß": "ss", "œ": "oe", "ı": "i",
                                 "ð": "d", "þ": "th", "ŧ": "t", "ħ": "h"})
# The second spelling Danish, Norwegian and German writers use without the special letters.
_ALTERNATIVE = str.maketrans({"ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "ue"})
_HAS_ALTERNATIVE = re.compile("[øåäöü]")
# Word boundaries in the search text: two spaces, so that one or two typed letters plus the
# boundary make the three characters a trigram index needs ("  s", " sa").
WORD_SEPARATOR = "  "
_JOINERS = re.compile(r"[-'’.]")
_PHONE_LIKE = re.compile(r"[+\d][\d\s\-()]*")
_NOT_DIGITS = re.compile(r"\D")
_SPACES = re.compile(r"\s+")


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Lower case, accents dropped, special letters transliterated: 'Łukasz Kamiński' -> 'lukasz kaminski'."""
    if text.isascii():  # nothing to drop or transliterate (NFKD leaves ASCII as it is)
        return text.lower()
    return _strip_accents(text.casefold().translate(_TRANSLITERATED))


@lru_cache(maxsize=100_000)  # names repeat: sync and imports fold thousands of them at a time
def fold_variants(text: str) -> tuple[str, ...]:
    """``fold(text)``, then the ø→oe/å→aa spelling when it differs: 'Sørensen' -> ('sorensen', 'soerensen')."""
    if text.isascii():  # a reference, a phone number, most names: one spelling
        return (text.lower(),)
    first = fold(text)
    lowered = text.casefold()
    if not _HAS_ALTERNATIVE.search(_compose(lowered)):
        return (first,)
    second = fold(_compose(lowered).translate(_ALTERNATIVE))
    return (first,) if second == first else (first, second)


def _compose(text: str) -> str:
    # "å" may arrive as "a" + combining ring: compose it so the table above sees one letter.
    return unicodedata.normalize("NFC", text)


def phone_digits(text: str) -> str:
    """The digits of a phone number, with +44 written as a leading 0."""
    digits = _NOT_DIGITS.sub("", text)
    if text.strip().startswith("+44") or (digits.startswith("44") and len(digits) == 12):
        digits = "0" + digits[2:]
    return digits


def family_search_text(reference: str, name: str, postcode: str = "", phone: str = "", email: str = "",
                       members: tuple[str, ...] | list[str] = ()) -> str:
    """What a family is found by: reference, name, members' names, postcode (with and without
    its space), phone digits and email, folded, each word once, between word separators."""
    parts = (reference, name, *members, postcode, _SPACES.sub("", postcode), phone_digits(phone), email)
    joined = " ".join(parts)
    if joined.isascii() and not _JOINERS.search(joined):
        # Every part ASCII and without joiners: each word lower-cased, in order, as the loop below
        # would give them, in one pass (a new family's text, thousands of times in a sync).
        words = dict.fromkeys(joined.lower().split())
        return WORD_SEPARATOR + WORD_SEPARATOR.join(words) + WORD_SEPARATOR if words else ""
    words = {}  # insertion-ordered set
    for part in parts:
        if not part:
            continue
        split = part.split()
        if _JOINERS.search(part):  # "Smith-Jones" and "O'Neill" are also found by their parts ("jo", "neill")
            split += [piece for word in split if _JOINERS.search(word) for piece in _JOINERS.split(word) if piece]
        if part.isascii():  # one spelling each, folded by lower case alone (as fold_variants would)
            for word in split:
                words[word.lower()] = None
            continue
        for word in split:
            for variant in fold_variants(word):
                if variant:
                    words[variant] = None
    return WORD_SEPARATOR + WORD_SEPARATOR.join(words) + WORD_SEPARATOR if words else ""


def search_terms(text: str) -> list[str]:
    """Typed text as folded words; a typed phone number (digits and spaces) is one word."""
    return [alternatives[0] for alternatives in search_alternatives(text)]


def search_alternatives(text: str) -> list[tuple[str, ...]]:
    """Each typed word with its other spellings; a family must match one spelling of every word."""
    stripped = text.strip()
    if not stripped:
        return []
    if _PHONE_LIKE.fullmatch(stripped) and sum(ch.isdigit() for ch in stripped) >= 3:
        return [(phone_digits(stripped),)]
    return [fold_variants(word) for word in stripped.split() if fold(word)]


def fts_phrase(term: str) -> str:
    """One typed word as an FTS5 phrase for a trigram index: anywhere from three letters,
    at the start of a word below that."""
    if len(term) < 3:
        term = WORD_SEPARATOR[: 3 - len(term)] + term
    return '"' + term.replace('"', '""') + '"'


def fts_query(text: str) -> str | None:
    """The FTS5 MATCH expression for typed text; None when nothing was typed."""
    groups = []
    for alternatives in search_alternatives(text):
        phrases = [fts_phrase(term) for term in alternatives]
        groups.append(phrases[0] if len(phrases) == 1 else "(" + " OR ".join(phrases) + ")")
    return " AND ".join(groups) if groups else None


def matches(text: str, search_text: str) -> bool:
    """Whether a family with ``search_text`` matches typed ``text`` (the index's rule, in Python)."""
    for alternatives in search_alternatives(text):
        if not any(_term_in(term, search_text) for term in alternatives):
            return False
    return True


def _term_in(term: str, search_text: str) -> bool:
    if len(term) < 3:
        return (WORD_SEPARATOR[: 3 - len(term)] + term) in search_text
    return term in search_text
