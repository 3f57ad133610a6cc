"""Feedback forms: build them, record returned forms, and add up the answers.

Every change is one logged action (so it syncs and appears in the audit log).
Results are computed from the stored answers each time (domain.outcomes), never stored.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from peer_support.clock import local_today
from peer_support.context import AppContext
from peer_support.domain.changes import Saved
from peer_support.domain.outcomes import (FORM_LANGUAGES, AnswerSheet, FormDraft, FormRecord, FormResults,
                                          PrintCopy, QuestionDraft, QuestionKind, QuestionRecord, ResponseFacts,
                                          answer_label, check_answer, compute_results, feedback_description,
                                          form_reference,
                                          parse_keys, validate_form)
from peer_support.errors import NotFoundError, ValidationError
from peer_support.i18n import _
from peer_support.services.families import find_family_row
from peer_support.services.meetings import find_meeting_row
from peer_support.services.register import normalise_family_reference
from peer_support.storage.conditions import is_false, live
from peer_support.storage.tables.families import Family
from peer_support.storage.tables.meetings import Meeting
from peer_support.storage.tables.outcomes import FormAnswer, FormResponse, Questionnaire, QuestionnaireQuestion
from peer_support.domain.roles import Permission
from peer_support.services.access import require

READY_MADE_NAMESPACE = uuid.UUID("5d0c3a59-6a55-4a4b-9a4e-0c1f0b6c7e21")
FIRST_CUSTOM_NUMBER = 3  # Q01 and Q02 are the ready-made forms on every laptop


# -- rows <-> records ---------------------------------------------------------------------------

def _question_record(row: QuestionnaireQuestion) -> QuestionRecord:
    texts = {language: getattr(row, f"text_{language}") for language in FORM_LANGUAGES}
    choices = {language: tuple(line for line in getattr(row, f"choices_{language}").splitlines() if line)
               for language in FORM_LANGUAGES}
    return QuestionRecord(row.id, row.position, QuestionKind(row.kind), row.compartment, texts,
                          {language: values for language, values in choices.items() if values})


def _form_record(session: Session, form: Questionnaire) -> FormRecord:
    rows = session.exec(select(QuestionnaireQuestion).where(
        QuestionnaireQuestion.questionnaire_id == form.id, live(QuestionnaireQuestion))
        .order_by(col(QuestionnaireQuestion.position), col(QuestionnaireQuestion.id))).all()
    titles = {language: getattr(form, f"title_{language}") for language in FORM_LANGUAGES}
    return FormRecord(form.id, form.reference, titles, form.repeated, form.archived,
                      tuple(_question_record(row) for row in rows))


def _find_form_row(session: Session, reference: str) -> Questionnaire:
    wanted = reference.strip().upper()
    if wanted.isdigit():
        wanted = form_reference(int(wanted))
    elif wanted[:1] == "Q" and wanted[1:].isdigit():
        wanted = form_reference(int(wanted[1:]))
    form = session.exec(select(Questionnaire).where(Questionnaire.reference == wanted,
                                                    live(Questionnaire))).first()
    if form is None:
        raise NotFoundError(_("No feedback form has the reference %(reference)s.") % {"reference": reference.strip()})
    return form


def _write_question(row: QuestionnaireQuestion, position: int, draft: QuestionDraft) -> None:
    row.position = position
    row.kind = draft.kind.value
    row.compartment = draft.compartment
    for language in FORM_LANGUAGES:
        setattr(row, f"text_{language}", draft.texts.get(language, ""))
        setattr(row, f"choices_{language}", "\n".join(draft.choices.get(language, ())))


def _write_form(session: Session, form: Questionnaire, draft: FormDraft) -> None:
    """Title and questions from a validated draft. Questions keep their ids by position, so
    answers already given stay with their question; a question's kind cannot change once answered."""
    for language in FORM_LANGUAGES:
        setattr(form, f"title_{language}", draft.titles.get(language, ""))
    form.repeated = draft.repeated
    session.add(form)
    session.flush()
    existing = session.exec(select(QuestionnaireQuestion).where(
        QuestionnaireQuestion.questionnaire_id == form.id, live(QuestionnaireQuestion))
        .order_by(col(QuestionnaireQuestion.position), col(QuestionnaireQuestion.id))).all()
    for position, question in enumerate(draft.questions):
        if position < len(existing):
            row = existing[position]
            if row.kind != question.kind.value and _has_answers(session, row.id):
                raise ValidationError(_("Question %(number)d already has answers, so its kind cannot "
                                        "change. Add a new question instead.") % {"number": position + 1},
                                      field="questions")
        else:
            # Table models are not validated on creation: _write_question fills the required fields.
            row = QuestionnaireQuestion(questionnaire_id=form.id)  # type: ignore[call-arg]
        _write_question(row, position, question)
        session.add(row)
    for row in existing[len(draft.questions):]:
        row.deleted = True
        session.add(row)
    session.flush()


def _has_answers(session: Session, question_id: str) -> bool:
    return session.exec(select(FormAnswer.id).where(FormAnswer.question_id == question_id,
                                                    live(FormAnswer))).first() is not None


# -- forms ----------------------------------------------------------------------------------------

def list_forms(context: AppContext, include_archived: bool = False) -> list[FormRecord]:
    with context.db.read() as session:
        query = select(Questionnaire).where(live(Questionnaire))
        if not include_archived:
            query = query.where(is_false(Questionnaire.archived))
        return [_form_record(session, form) for form in session.exec(query.order_by(Questionnaire.reference))]


def get_form(context: AppContext, reference: str) -> FormRecord:
    with context.db.read() as session:
        return _form_record(session, _find_form_row(session, reference))


def _next_reference(session: Session) -> str:
    taken = set(session.exec(select(Questionnaire.reference)))
    number = FIRST_CUSTOM_NUMBER
    while form_reference(number) in taken:
        number += 1
    return form_reference(number)


def create_form(context: AppContext, draft: FormDraft) -> Saved[FormRecord]:
    """A new form from a lead's draft. Raises ValidationError; commits."""
    require(context, Permission.FEEDBACK_FORMS)
    clean = validate_form(draft)
    with context.db.transaction(_("New feedback form “%(title)s”") % {"title": clean.titles["en"]}) as uow:
        form = Questionnaire(reference=_next_reference(uow.session), title_en=clean.titles["en"])
        _write_form(uow.session, form, clean)
        return Saved(_form_record(uow.session, form), uow.changes)


def update_form(context: AppContext, reference: str, draft: FormDraft) -> Saved[FormRecord]:
    require(context, Permission.FEEDBACK_FORMS)
    clean = validate_form(draft)
    with context.db.transaction(_("Edit feedback form %(reference)s") % {"reference": reference}) as uow:
        form = _find_form_row(uow.session, reference)
        _write_form(uow.session, form, clean)
        return Saved(_form_record(uow.session, form), uow.changes)


def set_form_archived(context: AppContext, reference: str, archived: bool) -> Saved[FormRecord]:
    require(context, Permission.FEEDBACK_FORMS)
    description = (_("Archive feedback form %(reference)s") if archived
                   else _("Restore feedback form %(reference)s")) % {"reference": reference}
    with context.db.transaction(description) as uow:
        form = _find_form_row(uow.session, reference)
        form.archived = archived
        uow.session.add(form)
        uow.session.flush()
        return Saved(_form_record(uow.session, form), uow.changes)


def add_ready_made_forms(context: AppContext) -> Saved[list[FormRecord]] | None:
    """Add "After the meeting" and "How are things?" unless they are there; None when nothing to add.

    Their ids come from their keys, so two laptops adding them add the same rows.
    """
    from peer_support.domain.outcomes_ready_made import READY_MADE

    with context.db.read() as session:
        present = set(session.exec(select(Questionnaire.builtin).where(Questionnaire.builtin != "")))
    wanted = [(number, key, draft) for number, (key, draft) in enumerate(READY_MADE.items(), start=1)
              if key not in present]
    if not wanted:
        return None
    with context.db.transaction(_("Add the ready-made feedback forms")) as uow:
        added = []
        for number, key, draft in wanted:
            form_id = str(uuid.uuid5(READY_MADE_NAMESPACE, key))
            titles: dict[str, Any] = {f"title_{language}": draft.titles.get(language, "")
                                      for language in FORM_LANGUAGES}
            form = Questionnaire(id=form_id, reference=form_reference(number), builtin=key,
                                 repeated=draft.repeated, **titles)
            uow.session.add(form)
            uow.session.flush()
            for position, question in enumerate(draft.questions):
                row = QuestionnaireQuestion(  # type: ignore[call-arg]  # filled by _write_question
                    id=str(uuid.uuid5(READY_MADE_NAMESPACE, f"{key}/{position}")), questionnaire_id=form_id)
                _write_question(row, position, question)
                uow.session.add(row)
            uow.session.flush()
            added.append(_form_record(uow.session, form))
        return Saved(added, uow.changes)


# -- returned forms -------------------------------------------------------------------------------

@dataclass(frozen=True)
class ResponseRecord:
    id: str
    form_reference: str
    family_reference: str | None  # None: anonymous
    meeting_reference: str | None
    answered_on: date
    answers: tuple[tuple[str, str], ...]  # (question wording, answer in words) in form order


def _family_for(session: Session, code: str | None) -> Family | None:
    if code is None or not code.strip() or code.strip() == "-":
        return None
    return find_family_row(session, normalise_family_reference(code))


def _response_record(session: Session, form: FormRecord, response: FormResponse, language: str) -> ResponseRecord:
    answers = {row.question_id: (row.number if row.number is not None else row.text)
               for row in session.exec(select(FormAnswer).where(FormAnswer.response_id == response.id,
                                                                live(FormAnswer)))}
    family = session.get(Family, response.family_id) if response.family_id else None
    meeting = session.get(Meeting, response.meeting_id) if response.meeting_id else None
    return ResponseRecord(response.id, form.reference, family.reference if family else None,
                          meeting.reference if meeting else None, response.answered_on,
                          tuple((q.text(language), answer_label(q, answers[q.id], language))
                                for q in form.questions if q.id in answers))


def record_answers(context: AppContext, form_reference_text: str, sheet: AnswerSheet) -> Saved[ResponseRecord]:
    """Store one returned form. Raises NotFoundError (form, family, meeting), ValidationError; commits."""
    require(context, Permission.FEEDBACK_ENTRY)
    if sheet.language not in FORM_LANGUAGES:
        raise ValidationError(_("'%(language)s' is not a language of the forms.") % {"language": sheet.language})
    with context.db.read() as session:
        form = _form_record(session, _find_form_row(session, form_reference_text))
    if form.archived:
        raise ValidationError(_("Form %(reference)s is archived: restore it before entering answers.")
                              % {"reference": form.reference})
    answers: dict[str, int | str] = {}
    for number, question in enumerate(form.questions, start=1):
        if question.id in sheet.answers:
            value = check_answer(question, sheet.answers[question.id], number)
            if value != "":
                answers[question.id] = value
    unknown = set(sheet.answers) - {q.id for q in form.questions}
    if unknown:
        raise ValidationError(_("Some answers belong to another form."))
    if not answers:
        raise ValidationError(_("This form has no answers: nothing to save."))
    with context.db.transaction(feedback_description(form.reference, sheet.family_reference)) as uow:
        session = uow.session
        family = _family_for(session, sheet.family_reference)
        meeting = find_meeting_row(session, sheet.meeting_reference) if sheet.meeting_reference else None
        on = sheet.answered_on or (meeting.starts_at.date() if meeting else local_today(context.clock))
        response = FormResponse(questionnaire_id=form.id, family_id=family.id if family else None,
                                meeting_id=meeting.id if meeting else None, answered_on=on,
                                language=sheet.language, channel=sheet.channel)
        session.add(response)
        session.flush()
        for question_id, value in answers.items():
            session.add(FormAnswer(response_id=response.id, question_id=question_id,
                                   number=value if isinstance(value, int) else None,
                                   text=value if isinstance(value, str) else ""))
        session.flush()
        return Saved(_response_record(session, form, response, sheet.language), uow.changes)


def record_keyed(context: AppContext, form_reference_text: str, code: str | None, keys: str,
                 texts: list[str] | tuple[str, ...] = (), meeting_reference: str | None = None,
                 answered_on: date | None = None, channel: str = "paper") -> Saved[ResponseRecord]:
    """A paper form typed in: the family's code (or none: anonymous), one key per numbered question,
    then the short-text answers in order. Raises ValidationError/NotFoundError; commits."""
    require(context, Permission.FEEDBACK_ENTRY)
    form = get_form(context, form_reference_text)
    answers: dict[str, int | str] = dict(parse_keys(form, keys))
    text_questions = form.text_questions
    if len(texts) > len(text_questions):
        raise ValidationError(_("This form has %(count)d written questions; %(given)d answers were given.")
                              % {"count": len(text_questions), "given": len(texts)})
    for question, text in zip(text_questions, texts):
        if text.strip():
            answers[question.id] = text.strip()
    language = "en"
    if code and code.strip() not in ("", "-"):
        with context.db.read() as session:
            language = _family_for(session, code).language or "en"  # type: ignore[union-attr]
    return record_answers(context, form.reference, AnswerSheet(
        code if code and code.strip() not in ("", "-") else None, answers, meeting_reference,
        answered_on, language if language in FORM_LANGUAGES else "en", channel))


def delete_response(context: AppContext, response_id: str) -> Saved[None]:
    """Take back a form entered by mistake (undoable like any action)."""
    require(context, Permission.FEEDBACK_ENTRY)
    with context.db.transaction(_("Remove a returned feedback form")) as uow:
        response = uow.session.get(FormResponse, response_id)
        if response is None or response.deleted:
            raise NotFoundError(_("That returned form is no longer there."))
        response.deleted = True
        uow.session.add(response)
        for answer in uow.session.exec(select(FormAnswer).where(FormAnswer.response_id == response_id)):
            answer.deleted = True
            uow.session.add(answer)
        uow.session.flush()
        return Saved(None, uow.changes)


def recent_responses(context: AppContext, form_reference_text: str, limit: int = 20,
                     language: str = "en") -> list[ResponseRecord]:
    require(context, Permission.FEEDBACK_ENTRY)
    with context.db.read() as session:
        form = _form_record(session, _find_form_row(session, form_reference_text))
        rows = session.exec(select(FormResponse).where(
            FormResponse.questionnaire_id == form.id, live(FormResponse))
            .order_by(col(FormResponse.created_at).desc(), FormResponse.id).limit(limit)).all()
        return [_response_record(session, form, row, language) for row in rows]


# -- results --------------------------------------------------------------------------------------

def _facts(session: Session, form: FormRecord, start: date | None, end: date | None,
           meeting_id: str | None) -> list[ResponseFacts]:
    query = select(FormResponse).where(FormResponse.questionnaire_id == form.id,
                                       live(FormResponse))
    if start:
        query = query.where(FormResponse.answered_on >= start)
    if end:
        query = query.where(FormResponse.answered_on <= end)
    if meeting_id:
        query = query.where(FormResponse.meeting_id == meeting_id)
    responses = session.exec(query).all()
    answers: dict[str, dict[str, int | str]] = {r.id: {} for r in responses}
    ids = list(answers)
    for chunk in range(0, len(ids), 500):
        for row in session.exec(select(FormAnswer).where(col(FormAnswer.response_id).in_(ids[chunk:chunk + 500]),
                                                         live(FormAnswer))):
            answers[row.response_id][row.question_id] = row.number if row.number is not None else row.text
    return [ResponseFacts(r.id, r.family_id, r.meeting_id, r.answered_on, answers[r.id]) for r in responses]


def form_results(context: AppContext, form_reference_text: str, start: date | None = None,
                 end: date | None = None, meeting_reference: str | None = None) -> FormResults:
    """What the answers add up to, for a period or one meeting. Raises NotFoundError, ValidationError."""
    require(context, Permission.REPORTS)
    if start and end and start > end:
        raise ValidationError(_("The start date is after the end date."))
    with context.db.read() as session:
        form = _form_record(session, _find_form_row(session, form_reference_text))
        meeting_id = find_meeting_row(session, meeting_reference).id if meeting_reference else None
        return compute_results(form, _facts(session, form, start, end, meeting_id))


def export_results(context: AppContext, form_reference_text: str, path, start: date | None = None,
                   end: date | None = None, meeting_reference: str | None = None) -> FormResults:
    """The results as an XLSX workbook (see exports.outcomes_xlsx). Raises ExportError, NotFoundError."""
    require(context, Permission.REPORTS)
    from peer_support.exports.files import output_format
    from peer_support.exports.outcomes_xlsx import write_results_xlsx

    output_format(path, ("xlsx",))
    if start and end and start > end:
        raise ValidationError(_("The start date is after the end date."))
    with context.db.read() as session:
        form = _form_record(session, _find_form_row(session, form_reference_text))
        meeting_id = find_meeting_row(session, meeting_reference).id if meeting_reference else None
        facts = _facts(session, form, start, end, meeting_id)
    results = compute_results(form, facts)
    write_results_xlsx(path, results, facts, start, end)
    return results


def period_outcomes(context: AppContext, start: date, end: date) -> tuple[FormResults, ...]:
    """Results of every current form that has answers in the period (for the period report)."""
    found = []
    with context.db.read() as session:
        forms = [_form_record(session, row) for row in session.exec(select(Questionnaire).where(
            live(Questionnaire)).order_by(Questionnaire.reference))]
        for form in forms:
            facts = _facts(session, form, start, end, None)
            if facts:
                found.append(compute_results(form, facts))
    return tuple(found)


def results_by_meeting(context: AppContext, form_reference_text: str) -> list[tuple[str, date, FormResults]]:
    """Per meeting with answers: (meeting reference, date, results), oldest first."""
    require(context, Permission.REPORTS)
    with context.db.read() as session:
        form = _form_record(session, _find_form_row(session, form_reference_text))
        facts = _facts(session, form, None, None, None)
        meetings = {m.id: m for m in session.exec(select(Meeting).where(
            col(Meeting.id).in_({f.meeting_id for f in facts if f.meeting_id})))}
    grouped: dict[str, list[ResponseFacts]] = {}
    for fact in facts:
        if fact.meeting_id in meetings:
            grouped.setdefault(fact.meeting_id, []).append(fact)
    rows = [(meetings[mid].reference, meetings[mid].starts_at.date(), compute_results(form, group))
            for mid, group in grouped.items()]
    return sorted(rows, key=lambda row: row[1])


# -- privacy --------------------------------------------------------------------------------------

def family_answers(context: AppContext, family_reference: str, language: str = "en") -> list[ResponseRecord]:
    """Everything a family answered with their code (for their subject access export)."""
    require(context, Permission.PRIVACY)
    with context.db.read() as session:
        family = find_family_row(session, normalise_family_reference(family_reference))
        rows = session.exec(select(FormResponse).where(FormResponse.family_id == family.id,
                                                       live(FormResponse))
                            .order_by(col(FormResponse.answered_on), col(FormResponse.id))).all()
        forms: dict[str, FormRecord] = {}
        records = []
        for row in rows:
            if row.questionnaire_id not in forms:
                form = session.get_one(Questionnaire, row.questionnaire_id)
                forms[row.questionnaire_id] = _form_record(session, form)
            records.append(_response_record(session, forms[row.questionnaire_id], row, language))
        return records


# -- printing -------------------------------------------------------------------------------------

def copies_for_meeting(context: AppContext, meeting_reference: str) -> list[PrintCopy]:
    """Tonight's stack: one personalised copy per family expected at the meeting (on its register, or
    a regular of recent meetings), each in the family's language, plus anonymous copies per language."""
    from peer_support.services.meeting_exports import expected_families

    copies = [PrintCopy(language if language in FORM_LANGUAGES else "en", reference, name)
              for reference, name, language in expected_families(context, meeting_reference)]
    languages = sorted({copy.language for copy in copies} | {"en"}, key=FORM_LANGUAGES.index)
    copies.extend(PrintCopy(language) for language in languages)
    return copies


def copy_for_family(context: AppContext, family_reference: str) -> PrintCopy:
    with context.db.read() as session:
        family = find_family_row(session, normalise_family_reference(family_reference))
        language = family.language if family.language in FORM_LANGUAGES else "en"
        return PrintCopy(language, family.reference, family.name)


def print_forms(context: AppContext, form_reference_text: str, path, copies: list[PrintCopy]) -> int:
    """Write the copies as one A4 PDF, each page in its own language; returns the number of pages."""
    require(context, Permission.FEEDBACK_ENTRY)
    from peer_support.exports.files import output_format
    from peer_support.exports.outcomes_pdf import write_forms
    from peer_support.services.settings import get_group_settings

    output_format(path, ("pdf",))
    form = get_form(context, form_reference_text)
    if not copies:
        raise ValidationError(_("There is nothing to print."))
    write_forms(path, form, copies, get_group_settings(context).group_name)
    return len(copies)
