"""Feedback in the period report and the newsletter: totals only, small numbers hidden."""

from __future__ import annotations

from datetime import date

import openpyxl
from pypdf import PdfReader

from peer_support.domain.newsletter import FEEDBACK
from peer_support.domain.outcomes import FormDraft, QuestionDraft, QuestionKind
from peer_support.exports.period_report import write_period_report
from peer_support.services import outcomes
from peer_support.services.newsletter import create_issue
from peer_support.services.newsletter_export import build_document
from peer_support.services.period_report import build_period_report
from test_newsletter_issues import make_draft  # tests/unit is on sys.path (rootdir mode)

YEAR = (date(2025, 11, 26), date(2026, 11, 25))


def _welcome_form(context) -> str:
    draft = FormDraft({"en": "Coffee morning", "pl": "Poranna kawa"}, False, (
        QuestionDraft(QuestionKind.YES_NO, "belonging", {"en": "Did you feel welcome?",
                                                         "pl": "Czy czułeś się mile widziany?"}),))
    return outcomes.create_form(context, draft).record.reference


def test_period_report_has_what_families_told_us_from_the_answers(sample_context, tmp_path):
    report = build_period_report(sample_context, *YEAR)
    by_form = {results.form.reference: results for results in report.outcomes}
    assert by_form["Q02"] == outcomes.form_results(sample_context, "Q02", *YEAR)
    target = tmp_path / "report.xlsx"
    write_period_report(report, target)
    sheet = openpyxl.load_workbook(target)["What families told us"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    returned = {row[0]: row[2] for row in rows if row[1] == "Forms returned"}
    assert returned == {"After the meeting": by_form["Q01"].responses, "How are things?": by_form["Q02"].responses}
    change = next(row for row in rows if row[1].startswith("Change"))
    assert change[2] == len(by_form["Q02"].changes) and change[3] == round(by_form["Q02"].average_change, 2)
    pdf = tmp_path / "report.pdf"
    write_period_report(report, pdf)
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "What families told us" in text and "How are things?" in text


def test_small_numbers_are_hidden_in_the_period_report(context, tmp_path):
    reference = _welcome_form(context)
    for _n in range(3):
        outcomes.record_keyed(context, reference, None, "1", answered_on=date(2026, 5, 1))
    report = build_period_report(context, *YEAR)
    target = tmp_path / "few.xlsx"
    write_period_report(report, target)
    rows = list(openpyxl.load_workbook(target)["What families told us"].iter_rows(min_row=2, values_only=True))
    assert rows and all(row[2] == "fewer than 5" and row[3] is None for row in rows)


def test_newsletter_says_what_you_told_us_in_the_version_language_with_totals_only(context):
    reference = _welcome_form(context)
    for keys in ("1", "1", "1", "2", "1", "1", "1", "2"):
        outcomes.record_keyed(context, reference, None, keys, answered_on=date(2026, 10, 1))
    issue = create_issue(context, make_draft(automatic=(FEEDBACK,))).record
    english = next(s for s in build_document(context, issue.number, "en").sections if s.kind == FEEDBACK)
    assert english.heading == "You told us"
    assert [(item.title, item.detail) for item in english.items] == [("Did you feel welcome?", "75% of you said yes")]
    polish = next(s for s in build_document(context, issue.number, "pl").sections if s.kind == FEEDBACK)
    assert polish.items[0].title == "Czy czułeś się mile widziany?" and "75" in polish.items[0].detail


def test_newsletter_leaves_out_feedback_of_fewer_than_five_answers(context):
    reference = _welcome_form(context)
    for _n in range(4):
        outcomes.record_keyed(context, reference, None, "1", answered_on=date(2026, 10, 1))
    issue = create_issue(context, make_draft(automatic=(FEEDBACK,))).record
    assert all(section.kind != FEEDBACK for section in build_document(context, issue.number, "en").sections)
