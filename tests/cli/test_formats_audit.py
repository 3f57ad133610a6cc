"""Formats audit of what the command line and the documents show: dates, numbers and money in the
language asked for (de, pl), never ISO dates or English money. ISO stays where it is the point:
CSV/JSON/XLSX cells for other programs, .ics files and file names (not checked here)."""

from __future__ import annotations

import re
from datetime import date

import pypdf
import pytest

from peer_support.cli import main

ISO_DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b")
# Formatted money always has pence; "under £2" in a meeting's topic is what someone typed.
ENGLISH_MONEY = re.compile(r"£\d[\d,]*\.\d\d\b|\d\.\d\d[ \u00a0]?(£|GBP)")
LOCAL_MONEY = {"de": re.compile(r"\d,\d\d\s£"), "pl": re.compile(r"\d,\d\d\sGBP")}
LOCAL_DATE = {"de": re.compile(r"\b\d{1,2}\.\d{1,2}\.(20)?\d\d\b"), "pl": re.compile(r"\b\d{1,2}\.\d{2}\.20\d\d\b|"
                                                                                       r"\b\d{1,2} [a-ząćęłńóśźż]{3}")}
COMMANDS = (("fund", "list"), ("fund", "status"), ("meetings", "list"), ("packs", "progress"), ("packs", "batches"),
            ("newsletter", "list"), ("families", "show", "F0001"), ("packs", "list", "B01", "--run", "1"))


@pytest.mark.parametrize("language", ["de", "pl"])
def test_command_output_uses_the_languages_formats(capsys, sample_dir, language):
    shown = []
    for command in COMMANDS:
        assert main(["--data-dir", str(sample_dir), "--lang", language, *command]) == 0, command
        out = capsys.readouterr().out
        shown.append(out)
        assert not ISO_DATE.search(out), f"{command}: an ISO date in {ISO_DATE.search(out).group()!r}"
        assert not ENGLISH_MONEY.search(out), f"{command}: English money {ENGLISH_MONEY.search(out).group()!r}"
    everything = "\n".join(shown)
    assert LOCAL_MONEY[language].search(everything) and LOCAL_DATE[language].search(everything)


# Every command that prints a list with dates in it: each shows the medium date of its language, never
# the short one (German "03.12.26", English "03/12/2026"), as the meetings list always did.
DATED_LISTS = (("fund", "list"), ("meetings", "list"), ("meetings", "actions", "M2025-12"), ("packs", "batches"),
               ("newsletter", "list"))


def date_pattern(language: str, length: str) -> re.Pattern:
    """A regular expression for any date written with the language's Babel pattern of this length."""
    from babel.dates import get_date_format

    from peer_support.i18n.formatting import babel_locale

    parts = []
    for token in re.findall(r"d+|M+|y+|'[^']*'|.", get_date_format(length, babel_locale(language)).pattern):
        if token[0] in "dM" and len(token) <= 2:
            parts.append(r"\d{2}" if len(token) == 2 else r"\d{1,2}")
        elif token[0] == "M":
            parts.append(r"[^\W\d_]+\.?")  # a month's name, abbreviated or not
        elif token[0] == "y":
            parts.append(r"\d{2}" if len(token) == 2 else r"\d{4}")
        elif token.startswith("'"):
            parts.append(re.escape(token.strip("'")))
        else:
            parts.append(r"\s" if token.isspace() else re.escape(token))
    return re.compile(r"(?<!\d)" + "".join(parts) + r"(?!\d)")


def test_date_patterns_tell_short_from_medium():
    assert date_pattern("de", "short").fullmatch("03.12.26") and not date_pattern("de", "short").search("03.12.2026")
    assert date_pattern("de", "medium").fullmatch("03.12.2026")
    assert date_pattern("en", "short").fullmatch("03/12/2026") and date_pattern("en", "medium").fullmatch("3 Dec 2026")
    assert date_pattern("da", "medium").fullmatch("3. dec. 2026") and date_pattern("pl", "short").fullmatch("3.12.2026")
    assert date_pattern("pl", "medium").fullmatch("3 gru 2026")


@pytest.mark.parametrize("language", ["en", "da", "de", "pl"])
def test_lists_show_medium_dates_in_every_language(capsys, sample_dir, language):
    short, medium = date_pattern(language, "short"), date_pattern(language, "medium")
    for command in DATED_LISTS:
        assert main(["--data-dir", str(sample_dir), "--lang", language, *command]) == 0, command
        out = capsys.readouterr().out
        assert not short.search(out), f"{command}: a short date {short.search(out).group()!r}"
        assert medium.search(out), f"{command} shows no date in the language's medium format"


@pytest.mark.parametrize("language", ["de", "pl"])
def test_period_report_pdf_uses_the_languages_formats(sample_context, tmp_path, language):
    from peer_support import i18n
    from peer_support.services.period_report import export_period_report

    i18n.set_language(language)
    target = tmp_path / "report.pdf"
    export_period_report(sample_context, date(2026, 1, 1), date(2026, 11, 30), target)
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(target).pages)
    assert not ISO_DATE.search(text), ISO_DATE.search(text).group()
    assert not ENGLISH_MONEY.search(text), ENGLISH_MONEY.search(text).group()
    assert LOCAL_MONEY[language].search(text.replace("\u00a0", " ").replace("\u202f", " "))
