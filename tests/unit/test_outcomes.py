"""Feedback forms through the services: build, print, enter, add up, keep private."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import date

import openpyxl
import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader
from sqlmodel import func, select

from peer_support.clock import FixedClock
from peer_support.context import open_context
from peer_support.domain.families import FamilyDraft
from peer_support.domain.outcomes import (SMALL_NUMBER, FormDraft, QuestionDraft, QuestionKind, ResponseFacts,
                                          compute_results)
from peer_support.errors import NotFoundError, ValidationError
from peer_support.services import outcomes
from peer_support.services.families import create_family
from peer_support.services.history import undo_action
from peer_support.storage.conditions import live
from peer_support.storage.tables.core import ChangeLog
from peer_support.storage.tables.outcomes import FormAnswer, FormResponse


def _draft(**changes) -> FormDraft:
    questions = (
        QuestionDraft(QuestionKind.RATING, "coping", {"en": "How calm do you feel?", "de": "Wie ruhig?"}),
        QuestionDraft(QuestionKind.CHOICE, "basics", {"en": "Which day suits you?"},
                      {"en": ("Monday", "Tuesday", "Saturday")}),
        QuestionDraft(QuestionKind.TEXT, "core_self", {"en": "Anything else?"}),
    )
    values = {"titles": {"en": "Quick check"}, "repeated": True, "questions": questions} | changes
    return FormDraft(**values)


def _responses(context) -> int:
    with context.db.read() as session:
        return session.exec(select(func.count()).select_from(FormResponse)
                            .where(live(FormResponse))).one()


def test_ready_made_forms_are_added_once_with_the_same_ids_on_every_laptop(context, tmp_path, empty_template, clock):
    assert outcomes.add_ready_made_forms(context) is not None
    assert outcomes.add_ready_made_forms(context) is None  # idempotent
    forms = outcomes.list_forms(context)
    assert [f.reference for f in forms] == ["Q01", "Q02"]
    after, check_in = forms
    assert len(after.questions) == 3 and not after.repeated
    assert len(check_in.questions) == 7 and check_in.repeated
    assert after.missing_languages() == () and check_in.title("pl") == "Jak się sprawy mają?"
    other_folder = tmp_path / "other"
    shutil.copytree(empty_template, other_folder)
    (other_folder / "local.json").unlink(missing_ok=True)
    other = open_context(other_folder, clock)
    try:
        outcomes.add_ready_made_forms(other)
        assert [(f.id, [q.id for q in f.questions]) for f in outcomes.list_forms(other)] == \
               [(f.id, [q.id for q in f.questions]) for f in forms]
    finally:
        other.close()


@pytest.mark.parametrize("bad, field", [
    ({"titles": {"da": "Kun dansk"}}, "title"),
    ({"questions": ()}, "questions"),
    ({"questions": (QuestionDraft(QuestionKind.RATING, "nowhere", {"en": "Which compartment?"}),)}, "questions"),
    ({"questions": (QuestionDraft(QuestionKind.CHOICE, "basics", {"en": "One choice"}, {"en": ("Only",)}),)},
     "questions"),
    ({"questions": (QuestionDraft(QuestionKind.RATING, "basics", {"de": "Nur Deutsch"}),)}, "questions"),
])
def test_a_bad_form_is_refused_and_nothing_is_written(context, bad, field):
    with pytest.raises(ValidationError) as error:
        outcomes.create_form(context, _draft(**bad))
    assert error.value.field == field
    assert outcomes.list_forms(context) == []


def test_missing_languages_are_shown_and_questions_keep_their_ids_when_edited(context):
    form = outcomes.create_form(context, _draft()).record
    assert form.reference == "Q03" and form.missing_languages() == ("da", "de", "pl")
    draft = form.as_draft()
    titles = {"en": "Quick check", "da": "Hurtigt tjek", "de": "Kurzer Check", "pl": "Szybkie pytania"}
    questions = tuple(QuestionDraft(q.kind, q.compartment, {lang: f"{q.texts['en']} ({lang})" for lang in titles},
                                    {lang: q.choices["en"] for lang in titles} if q.choices else {})
                      for q in draft.questions)
    edited = outcomes.update_form(context, "q3", FormDraft(titles, True, questions)).record
    assert edited.missing_languages() == ()
    assert [q.id for q in edited.questions] == [q.id for q in form.questions]


def test_a_question_with_answers_cannot_change_kind(context):
    form = outcomes.create_form(context, _draft()).record
    outcomes.record_keyed(context, form.reference, None, "31")
    changed = form.as_draft()
    questions = (QuestionDraft(QuestionKind.YES_NO, "coping", {"en": "Calm?"}),) + changed.questions[1:]
    with pytest.raises(ValidationError, match="already has answers"):
        outcomes.update_form(context, form.reference, FormDraft(changed.titles, True, questions))


def test_keyed_entry_saves_one_logged_action_that_undo_takes_back(sample_context):
    form = outcomes.create_form(sample_context, _draft()).record
    before = _responses(sample_context)
    saved = outcomes.record_keyed(sample_context, form.reference, "f1", "43", ["More Saturday sessions"])
    record = saved.record
    assert record.family_reference == "F0001"
    assert [answer for _question, answer in record.answers] == ["4", "Saturday", "More Saturday sessions"]
    with sample_context.db.read() as session:
        logged = session.exec(select(ChangeLog).where(ChangeLog.action_id == saved.changes.action_id)).all()
    assert {row.entity for row in logged} == {"form_response", "form_answer"} and len(logged) == 4
    assert _responses(sample_context) == before + 1
    undo_action(sample_context, saved.changes.action_id)
    assert _responses(sample_context) == before


@pytest.mark.parametrize("code, keys, texts, error", [
    ("F0001", "4", [], ValidationError),        # one key for two numbered questions
    ("F0001", "63", [], ValidationError),       # a rating of 6
    ("F0001", "44", [], ValidationError),       # choice 4 of 3
    ("F0001", "4x", [], ValidationError),       # not a digit
    ("F9999", "43", [], NotFoundError),         # nobody has that code
    ("-", "00", [], ValidationError),           # nothing answered
    ("F0001", "43", ["one", "two"], ValidationError),  # one written question only
])
def test_bad_entry_is_refused_and_changes_nothing(sample_context, code, keys, texts, error):
    form = outcomes.create_form(sample_context, _draft()).record
    before = _responses(sample_context)
    with pytest.raises(error):
        outcomes.record_keyed(sample_context, form.reference, code, keys, texts)
    assert _responses(sample_context) == before


def test_an_unknown_form_is_not_found(context):
    with pytest.raises(NotFoundError, match="Q77"):
        outcomes.get_form(context, "Q77")


def test_results_add_up_the_answers_and_suppress_small_numbers(context):
    form = outcomes.create_form(context, _draft(repeated=False)).record
    for keys in ("51", "41", "42"):
        outcomes.record_keyed(context, form.reference, None, keys)
    few = outcomes.form_results(context, form.reference)
    assert few.responses == 3 and few.suppressed and all(q.suppressed for q in few.questions)
    for keys in ("33", "50", "11"):
        outcomes.record_keyed(context, form.reference, None, keys)
    results = outcomes.form_results(context, form.reference)
    rating, choice, text = results.questions
    assert rating.answered == 6 and rating.distribution == {1: 1, 3: 1, 4: 2, 5: 2}
    assert rating.average == pytest.approx((5 + 4 + 4 + 3 + 5 + 1) / 6)
    assert choice.answered == 5 and not choice.suppressed  # one form left it blank
    assert choice.distribution == {1: 3, 2: 1, 3: 1}
    assert text.answered == 0 and text.suppressed and results.anonymous == 6


def test_change_is_only_for_families_who_answered_twice_and_never_for_anonymous_forms(sample_context):
    form = outcomes.create_form(sample_context, _draft()).record
    for number in range(1, 7):
        outcomes.record_keyed(sample_context, form.reference, f"F{number:04d}", "21",
                              answered_on=date(2026, 1, 10))
        outcomes.record_keyed(sample_context, form.reference, f"F{number:04d}", "41",
                              answered_on=date(2026, 9, 10))
    outcomes.record_keyed(sample_context, form.reference, "F0007", "11", answered_on=date(2026, 1, 10))
    for _n in range(3):
        outcomes.record_keyed(sample_context, form.reference, "-", "51", answered_on=date(2026, 9, 10))
    results = outcomes.form_results(sample_context, form.reference)
    assert len(results.changes) == 6 and results.improved == 6
    assert results.average_change == pytest.approx(2.0)
    assert all(change.family_id for change in results.changes)
    # a period that holds only the later answers shows no change
    assert outcomes.form_results(sample_context, form.reference, start=date(2026, 6, 1)).changes == ()


def test_compute_results_is_independent_of_storage():
    form = outcomes_form_record()
    facts = [ResponseFacts(f"r{n}", None, None, date(2026, 1, 1), {"q": n % 5 + 1}) for n in range(12)]
    results = compute_results(form, facts)
    assert results.questions[0].distribution == dict(Counter(n % 5 + 1 for n in range(12)))
    assert results.by_month[0][1] == 12


def outcomes_form_record():
    from peer_support.domain.outcomes import FormRecord, QuestionRecord

    question = QuestionRecord("q", 0, QuestionKind.RATING, "coping", {"en": "Calm?"}, {})
    return FormRecord("f", "Q09", {"en": "T"}, False, False, (question,))


def test_a_family_sees_only_its_own_answers(sample_context):
    form = outcomes.create_form(sample_context, _draft()).record
    newcomer = create_family(sample_context, FamilyDraft(name="Ida Sørensen", language="da"))
    outcomes.record_keyed(sample_context, form.reference, newcomer.reference, "52", ["My own words"])
    outcomes.record_keyed(sample_context, form.reference, "F0003", "13", ["Someone else's words"])
    outcomes.record_keyed(sample_context, form.reference, "-", "11", ["Anonymous words"])
    own = outcomes.family_answers(sample_context, newcomer.reference)
    assert len(own) == 1 and ("Anything else?", "My own words") in own[0].answers
    assert all("Someone" not in answer and "Anonymous" not in answer
               for record in own for _q, answer in record.answers)


def _page_images(path):
    document = pypdfium2.PdfDocument(str(path))
    try:
        return [document[index].render(scale=3).to_pil() for index in range(len(document))]
    finally:
        document.close()


def test_printed_forms_carry_the_family_code_and_the_family_language(sample_context, tmp_path):
    outcomes.add_ready_made_forms(sample_context)
    polish = create_family(sample_context, FamilyDraft(name="Zofia Wiśniewska", language="pl"))
    copies = [outcomes.copy_for_family(sample_context, polish.reference), outcomes.PrintCopy("de")]
    target = tmp_path / "forms.pdf"
    assert outcomes.print_forms(sample_context, "Q02", target, copies) == 2
    reader = PdfReader(target)
    first, second = (page.extract_text() for page in reader.pages)
    assert "Jak się sprawy mają?" in first and polish.reference in first
    assert "Wie geht es Ihnen?" in second and "F0" not in second
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width)), round(float(height))) == (595, 842)  # A4
    first_image, second_image = _page_images(target)
    assert [code.text for code in zxingcpp.read_barcodes(first_image)] == [polish.reference]
    assert zxingcpp.read_barcodes(second_image) == []  # an anonymous copy has no code


def test_tonights_stack_is_in_each_expected_familys_language(sample_context):
    from peer_support.services.meetings import list_meetings

    meeting = next(m for m in list_meetings(sample_context, upcoming=True))
    copies = outcomes.copies_for_meeting(sample_context, meeting.reference)
    personal = [c for c in copies if c.family_reference]
    assert personal and {c.language for c in personal} >= {"en", "pl"}
    for copy in personal[:20]:
        assert outcomes.copy_for_family(sample_context, copy.family_reference).language == copy.language
    anonymous = [c.language for c in copies if c.family_reference is None]
    assert anonymous[0] == "en" and len(anonymous) == len(set(anonymous))


def test_results_workbook_can_be_recomputed_and_names_nobody(sample_context, tmp_path):
    target = tmp_path / "results.xlsx"
    results = outcomes.export_results(sample_context, "Q02", target)
    assert results.responses > 100
    book = openpyxl.load_workbook(target)
    answers = list(book["Answers"].iter_rows(values_only=True))
    header, rows = answers[0], answers[1:]
    assert len(rows) == results.responses
    questions = {row[0]: row for row in book["Questions"].iter_rows(min_row=2, values_only=True)}
    for column, title in enumerate(header[2:], start=2):
        number = int(title.lstrip("Q"))
        counted = Counter(row[column] for row in rows if row[column] not in (None, ""))
        stored = questions[number]
        assert stored[4] == sum(counted.values())
        assert {value: stored[4 + value] for value in counted} == dict(counted)
    text = " ".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row if cell)
    assert "F0" not in text  # no family reference anywhere


def test_small_results_are_not_in_the_workbook(context, tmp_path):
    form = outcomes.create_form(context, _draft(repeated=False)).record
    for keys in ("51", "42"):
        outcomes.record_keyed(context, form.reference, None, keys)
    target = tmp_path / "few.xlsx"
    outcomes.export_results(context, form.reference, target)
    book = openpyxl.load_workbook(target)
    assert list(book["Answers"].iter_rows(min_row=2, values_only=True)) == []
    rating_row = next(book["Questions"].iter_rows(min_row=2, values_only=True))
    assert str(SMALL_NUMBER) in str(rating_row[4]) and rating_row[5:10] == (None,) * 5


def test_sample_data_holds_a_year_of_answers(sample_context):
    after = outcomes.form_results(sample_context, "Q01")
    check_in = outcomes.form_results(sample_context, "Q02")
    assert after.responses > 100 and 0 < after.anonymous < after.responses
    assert len(check_in.by_month) >= 4 and len(check_in.changes) >= SMALL_NUMBER
    assert check_in.average_change is not None and check_in.average_change > 0
    assert len(outcomes.results_by_meeting(sample_context, "Q01")) >= 10


def test_answers_travel_to_another_laptop(tmp_path, empty_template, clock):
    from peer_support.services.sync import set_sync_folder, sync_now

    laptops = []
    for name in ("a", "b"):
        folder = tmp_path / name
        shutil.copytree(empty_template, folder)
        (folder / "local.json").unlink(missing_ok=True)
        laptops.append(open_context(folder, FixedClock(clock.now())))
    (tmp_path / "shared").mkdir()
    try:
        for laptop in laptops:
            set_sync_folder(laptop, tmp_path / "shared")
        a, b = laptops
        outcomes.add_ready_made_forms(a)
        outcomes.add_ready_made_forms(b)  # the same rows: they merge into one
        for keys in ("51", "41", "32", "51", "52"):
            outcomes.record_keyed(a, "Q01", None, keys, ["Exams"])
        sync_now(a)
        sync_now(b)
        assert [f.id for f in outcomes.list_forms(b)] == [f.id for f in outcomes.list_forms(a)]
        assert outcomes.form_results(b, "Q01") == outcomes.form_results(a, "Q01")
    finally:
        for laptop in laptops:
            laptop.close()


def test_erasure_takes_a_familys_answers_out_of_their_name_and_keeps_the_totals(sample_context):
    from peer_support.services.privacy import erase_family

    form = outcomes.create_form(sample_context, _draft()).record
    newcomer = create_family(sample_context, FamilyDraft(name="Ida Sørensen", language="da"))
    outcomes.record_keyed(sample_context, form.reference, newcomer.reference, "52", ["We moved to Ramsgate"])
    outcomes.record_keyed(sample_context, form.reference, newcomer.reference, "42", [])
    outcomes.record_keyed(sample_context, form.reference, "F0003", "13", ["Someone else's words"])
    before = outcomes.form_results(sample_context, form.reference)
    erase_family(sample_context, newcomer.reference)
    after = outcomes.form_results(sample_context, form.reference)
    assert after.responses == before.responses and after.anonymous == before.anonymous + 2
    assert after.questions[0].distribution == before.questions[0].distribution
    assert after.changes == ()  # nothing links the two forms to one family any more
    with sample_context.db.read() as session:
        texts = session.exec(select(FormAnswer.text).where(FormAnswer.text != "")).all()
    assert "We moved to Ramsgate" not in texts and "Someone else's words" in texts
    assert [record.family_reference for record in outcomes.recent_responses(sample_context, form.reference)
            ].count(None) == 2


def test_change_groups_need_five_families_and_split_at_half_a_point():
    from peer_support.domain.outcomes import FamilyChange, FormResults

    def results(changes):
        return FormResults(outcomes_form_record(), 10, 0, (), (), tuple(changes), ())

    day = date(2026, 1, 1)
    few = [FamilyChange(f"f{n}", day, day, 3.0, 3.0 + n) for n in range(4)]
    assert results(few).change_groups() is None
    many = [FamilyChange(f"f{n}", day, day, 3.0, latest) for n, latest in enumerate((2.0, 2.6, 3.0, 3.4, 3.5, 4.5))]
    assert results(many).change_groups() == (1, 3, 2)
