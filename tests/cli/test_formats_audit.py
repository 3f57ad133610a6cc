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
