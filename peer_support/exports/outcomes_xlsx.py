"""A form's results as a workbook: summary, questions, compartments, change and the answers.

Follows the privacy rules of domain.outcomes: a figure made of fewer than five
answers is left out (shown as "fewer than 5"), written answers are never
included, and no sheet names or codes a family. The Answers sheet holds every
numbered answer, so each figure can be recomputed from it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from peer_support.domain.outcomes import (MAX_CHOICES, RATING_MAX, SMALL_NUMBER, FormResults, ResponseFacts,
                                          compartment_label, fewer_than_text)
from peer_support.exports.files import atomic_output
from peer_support.exports.spreadsheet import append_row
from peer_support.i18n import _, current_language


def _sheet(book: Workbook, title: str, headers: list[str], rows: list[list], first: bool = False):
    sheet = book.active if first else book.create_sheet()
    sheet.title = title[:31]
    append_row(sheet, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(sheet, row)  # text is stored as text: never a formula, no apostrophe
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    for index, header in enumerate(headers, start=1):
        longest = max([len(str(header))] + [len(str(row[index - 1])) for row in rows if index - 1 < len(row)])
        sheet.column_dimensions[get_column_letter(index)].width = min(60, longest + 2)
    sheet.freeze_panes = "A2"
    return sheet


def _rounded(value: float | None) -> float | str:
    return "" if value is None else round(value, 2)


def write_results_xlsx(path: str | Path, results: FormResults, facts: list[ResponseFacts],
                       start: date | None, end: date | None) -> Path:
    language = current_language()
    form = results.form
    book = Workbook()
    summary = [
        [_("Form"), f"{form.reference} – {form.title(language)}"],
        [_("From"), start or ""], [_("To"), end or ""],
        [_("Forms returned"), results.responses if not results.suppressed else fewer_than_text()],
        [_("Of which anonymous"), results.anonymous if not results.suppressed else fewer_than_text()],
        [_("Figures made of fewer answers than this are not shown"), SMALL_NUMBER],
    ]
    if form.repeated:
        summary += [[_("Families who answered at least twice"),
                     len(results.changes) if len(results.changes) >= SMALL_NUMBER else fewer_than_text()],
                    [_("Average change in rating (latest minus first)"), _rounded(results.average_change)]]
    _sheet(book, _("Summary"), [_("What"), _("Value")], summary, first=True)

    value_headers = [str(value) for value in range(1, max(RATING_MAX, MAX_CHOICES) + 1)]
    question_rows = []
    keyed = [q for q in results.questions if q.question.kind.keyed]
    for number, result in enumerate(results.questions, start=1):
        question = result.question
        row = [number, question.text(language), compartment_label(question.compartment), question.kind.label]
        if result.suppressed:
            row += [fewer_than_text()] + [""] * len(value_headers) + [""]
        elif question.kind.keyed:
            row += [result.answered] + [result.distribution.get(int(v), "") if int(v) <= question.highest_key else ""
                                        for v in value_headers] + [_rounded(result.average)]
        else:  # written answers: only how many (they are personal data)
            row += [result.answered] + [""] * len(value_headers) + [""]
        question_rows.append(row)
    _sheet(book, _("Questions"), [_("No."), _("Question"), _("Compartment"), _("Kind"), _("Answers")]
           + value_headers + [_("Average")], question_rows)

    _sheet(book, _("Compartments"), [_("Compartment"), _("Rating answers"), _("Average rating")],
           [[compartment_label(c.compartment), fewer_than_text() if c.suppressed else c.answered,
             "" if c.suppressed else _rounded(c.average)] for c in results.compartments])

    if form.repeated:
        change_rows = []
        if len(results.changes) >= SMALL_NUMBER:
            change_rows = [[_("Family %(number)d") % {"number": n}, c.first_on, c.latest_on,
                            _rounded(c.first_average), _rounded(c.latest_average), _rounded(c.change)]
                           for n, c in enumerate(results.changes, start=1)]
        _sheet(book, _("Change"), [_("Family (not named)"), _("First answer"), _("Latest answer"),
                                   _("First average"), _("Latest average"), _("Change")], change_rows)

    shown = [r for r in keyed if not r.suppressed] if not results.suppressed else []
    answer_rows = [[fact.answered_on, _("anonymous") if fact.family_id is None else _("with family code")]
                   + [fact.answers.get(r.question.id, "") if isinstance(fact.answers.get(r.question.id), int) else ""
                      for r in shown]
                   for fact in sorted(facts, key=lambda f: (f.answered_on, f.response_id))] if shown else []
    _sheet(book, _("Answers"), [_("Date"), _("Returned")]
           + [_("Q%(number)d") % {"number": results.questions.index(r) + 1} for r in shown], answer_rows)
    with atomic_output(path) as partial:
        book.save(partial)
    return Path(path)

