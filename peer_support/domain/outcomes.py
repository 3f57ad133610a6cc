"""Feedback and outcomes: short questionnaires, their answers and what the answers add up to.

Pure rules, no I/O. A form's wording is data written by a lead in English with
Danish, German and Polish versions (not gettext: each group writes its own);
the fixed words around it (scales, "yes"/"no", instructions) are gettext.

Privacy rules live here so every report follows them:
- a total made of fewer than ``SMALL_NUMBER`` answers is never shown (small-number
  suppression), so nobody can be recognised from a report;
- free-text answers are personal data: they appear only in the family's own
  subject access export and on screen for a lead, never in reports or results files;
- an anonymous answer has no family, and nothing links it to one.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from statistics import mean

from peer_support.domain.meetings import RESILIENCE_TAGS
from peer_support.errors import ValidationError
from peer_support.i18n import N_, _, pgettext

FORM_LANGUAGES = ("en", "da", "de", "pl")
TRANSLATED_LANGUAGES = FORM_LANGUAGES[1:]
SMALL_NUMBER = 5  # totals made of fewer answers are suppressed
SAME_WITHIN = 0.5  # a change in average rating smaller than this counts as about the same
MAX_QUESTIONS = 20
MAX_QUESTION_TEXT = 300
MAX_CHOICES = 9  # one key each, 1-9, for keyboard entry
MAX_TEXT_ANSWER = 500
RATING_MIN, RATING_MAX = 1, 5
YES, NO = 1, 2  # the keys typed for yes and no, as printed on the paper form


class QuestionKind(str, Enum):
    RATING = "rating"
    YES_NO = "yes_no"
    CHOICE = "choice"
    TEXT = "text"

    @property
    def label(self) -> str:
        return {"rating": pgettext("question kind", "Rating 1–5"),
                "yes_no": pgettext("question kind", "Yes or no"),
                "choice": pgettext("question kind", "Choose one"),
                "text": pgettext("question kind", "Short text")}[self.value]

    @property
    def keyed(self) -> bool:
        """Answered with one digit at the keyboard (everything but text)."""
        return self is not QuestionKind.TEXT


COMPARTMENTS: dict[str, str] = RESILIENCE_TAGS  # basics, belonging, learning, coping, core_self


def fewer_than_text() -> str:
    """What a report shows instead of a figure made of too few answers."""
    return _("fewer than %(count)d") % {"count": SMALL_NUMBER}


def feedback_description(form_reference: str, family_reference: str | None) -> str:
    """What entering one returned form is called in the audit log and on the Undo menu."""
    return _("Feedback on %(form)s from %(who)s") % {"form": form_reference,
                                                    "who": family_reference or _("anonymous")}


def compartment_label(key: str) -> str:
    return _(COMPARTMENTS[key]) if key in COMPARTMENTS else key


LANGUAGE_LABELS = {"en": N_("English"), "da": N_("Danish"), "de": N_("German"), "pl": N_("Polish")}


@dataclass(frozen=True)
class QuestionDraft:
    kind: QuestionKind
    compartment: str
    texts: dict[str, str]  # language -> wording; English required
    choices: dict[str, tuple[str, ...]] = field(default_factory=dict)  # CHOICE only; English required


@dataclass(frozen=True)
class FormDraft:
    titles: dict[str, str]  # language -> title; English required
    repeated: bool  # a check-in asked again over time (change per family is shown)
    questions: tuple[QuestionDraft, ...]


@dataclass(frozen=True)
class QuestionRecord:
    id: str
    position: int
    kind: QuestionKind
    compartment: str
    texts: dict[str, str]
    choices: dict[str, tuple[str, ...]]

    def text(self, language: str) -> str:
        return self.texts.get(language) or self.texts["en"]

    def choice_labels(self, language: str) -> tuple[str, ...]:
        english = self.choices.get("en", ())
        own = self.choices.get(language, ())
        return own if len(own) == len(english) and all(own) else english

    @property
    def highest_key(self) -> int:
        """The largest number a keyed answer may have (the smallest is 1)."""
        if self.kind is QuestionKind.RATING:
            return RATING_MAX
        if self.kind is QuestionKind.YES_NO:
            return NO
        return len(self.choices.get("en", ()))

    def as_draft(self) -> QuestionDraft:
        return QuestionDraft(self.kind, self.compartment, dict(self.texts), dict(self.choices))


@dataclass(frozen=True)
class FormRecord:
    id: str
    reference: str  # Q01
    titles: dict[str, str]
    repeated: bool
    archived: bool
    questions: tuple[QuestionRecord, ...]

    def title(self, language: str) -> str:
        return self.titles.get(language) or self.titles["en"]

    def missing_languages(self) -> tuple[str, ...]:
        return missing_languages(self.as_draft())

    @property
    def keyed_questions(self) -> tuple[QuestionRecord, ...]:
        return tuple(q for q in self.questions if q.kind.keyed)

    @property
    def text_questions(self) -> tuple[QuestionRecord, ...]:
        return tuple(q for q in self.questions if not q.kind.keyed)

    def as_draft(self) -> FormDraft:
        return FormDraft(dict(self.titles), self.repeated, tuple(q.as_draft() for q in self.questions))


def missing_languages(draft: FormDraft) -> tuple[str, ...]:
    """Languages in which the title or some question (or its choices) has no wording yet."""
    def lacks(language: str) -> bool:
        if not draft.titles.get(language, "").strip():
            return True
        for question in draft.questions:
            english_choices = [c for c in question.choices.get("en", ()) if c.strip()]
            own_choices = [c for c in question.choices.get(language, ()) if c.strip()]
            if not question.texts.get(language, "").strip() or len(own_choices) != len(english_choices):
                return True
        return False

    return tuple(language for language in TRANSLATED_LANGUAGES if lacks(language))


def validate_form(draft: FormDraft) -> FormDraft:
    """A clean copy of the draft (texts stripped); raises ValidationError with what to fix."""
    titles = {language: draft.titles.get(language, "").strip() for language in FORM_LANGUAGES}
    if not titles["en"]:
        raise ValidationError(_("A form needs an English title."), field="title")
    if not draft.questions:
        raise ValidationError(_("A form needs at least one question."), field="questions")
    if len(draft.questions) > MAX_QUESTIONS:
        raise ValidationError(_("A form has at most %(limit)d questions.") % {"limit": MAX_QUESTIONS},
                              field="questions")
    questions = []
    for number, question in enumerate(draft.questions, start=1):
        texts = {language: question.texts.get(language, "").strip() for language in FORM_LANGUAGES}
        if not texts["en"]:
            raise ValidationError(_("Question %(number)d needs English wording.") % {"number": number},
                                  field="questions")
        if any(len(text) > MAX_QUESTION_TEXT for text in texts.values()):
            raise ValidationError(_("Question %(number)d is too long (at most %(limit)d characters).")
                                  % {"number": number, "limit": MAX_QUESTION_TEXT}, field="questions")
        if question.compartment not in COMPARTMENTS:
            raise ValidationError(_("Question %(number)d needs a Resilience Framework compartment.")
                                  % {"number": number}, field="questions")
        choices: dict[str, tuple[str, ...]] = {}
        if question.kind is QuestionKind.CHOICE:
            choices = {language: tuple(c.strip() for c in question.choices.get(language, ()) if c.strip())
                       for language in FORM_LANGUAGES}
            if not 2 <= len(choices["en"]) <= MAX_CHOICES:
                raise ValidationError(_("Question %(number)d needs between 2 and %(limit)d choices.")
                                      % {"number": number, "limit": MAX_CHOICES}, field="questions")
            choices = {language: values for language, values in choices.items() if values}
        questions.append(QuestionDraft(question.kind, question.compartment, texts, choices))
    return FormDraft(titles, draft.repeated, tuple(questions))


def form_reference(number: int) -> str:
    return f"Q{number:02d}"


# -- answers ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class AnswerSheet:
    """One returned form: who (a family reference, or None when anonymous) and the answers,
    question id -> a number (keyed questions) or a text."""

    family_reference: str | None
    answers: dict[str, int | str]
    meeting_reference: str | None = None
    answered_on: date | None = None
    language: str = "en"
    channel: str = "paper"  # paper | screen


def check_answer(question: QuestionRecord, value: int | str, number: int) -> int | str:
    """The value if it fits the question; raises ValidationError naming the question."""
    if question.kind is QuestionKind.TEXT:
        text = str(value).strip()
        if len(text) > MAX_TEXT_ANSWER:
            raise ValidationError(_("The answer to question %(number)d is too long (at most %(limit)d "
                                    "characters).") % {"number": number, "limit": MAX_TEXT_ANSWER})
        return text
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(_("Question %(number)d needs a number as its answer.") % {"number": number})
    low, high = 1, question.highest_key
    if not low <= value <= high:
        raise ValidationError(_("The answer to question %(number)d must be from %(low)d to %(high)d.")
                              % {"number": number, "low": low, "high": high})
    return value


def parse_keys(form: FormRecord, keys: str) -> dict[str, int]:
    """Digits typed at the keyboard, one per keyed question in order; '0', '.', '-' or a space
    skip a question. Raises ValidationError for a wrong count or a digit out of range."""
    typed = [ch for ch in keys.strip()]
    questions = form.keyed_questions
    if len(typed) != len(questions):
        raise ValidationError(_("Type one key for each of the %(count)d numbered questions "
                                "(0 when a question was left blank); you typed %(typed)d.")
                              % {"count": len(questions), "typed": len(typed)})
    answers: dict[str, int] = {}
    for number, (question, key) in enumerate(zip(questions, typed), start=1):
        if key in "0.- ":
            continue
        if not key.isdigit():
            raise ValidationError(_("'%(key)s' is not an answer: type a digit for question %(number)d.")
                                  % {"key": key, "number": number})
        answers[question.id] = int(check_answer(question, int(key), number))
    return answers


# -- results ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ResponseFacts:
    """One stored response as results need it: never any name, only whether it is anonymous."""

    response_id: str
    family_id: str | None
    meeting_id: str | None
    answered_on: date
    answers: dict[str, int | str]


@dataclass(frozen=True)
class QuestionResult:
    question: QuestionRecord
    answered: int
    distribution: dict[int, int]  # value -> count (keyed questions)
    average: float | None  # ratings only

    @property
    def suppressed(self) -> bool:
        return self.answered < SMALL_NUMBER

    def share(self, value: int) -> float:
        return self.distribution.get(value, 0) / self.answered if self.answered else 0.0


@dataclass(frozen=True)
class CompartmentResult:
    compartment: str
    answered: int  # rating answers in this compartment
    average: float | None

    @property
    def suppressed(self) -> bool:
        return self.answered < SMALL_NUMBER


@dataclass(frozen=True)
class FamilyChange:
    """A family's average rating in their first and latest check-in (only with two or more)."""

    family_id: str
    first_on: date
    latest_on: date
    first_average: float
    latest_average: float

    @property
    def change(self) -> float:
        return self.latest_average - self.first_average


@dataclass(frozen=True)
class FormResults:
    form: FormRecord
    responses: int
    anonymous: int
    questions: tuple[QuestionResult, ...]
    compartments: tuple[CompartmentResult, ...]
    changes: tuple[FamilyChange, ...]  # repeated forms only
    by_month: tuple[tuple[date, int, float | None], ...]  # first of month, responses, average rating

    @property
    def suppressed(self) -> bool:
        return self.responses < SMALL_NUMBER

    @property
    def average_change(self) -> float | None:
        if len(self.changes) < SMALL_NUMBER:
            return None
        return mean(change.change for change in self.changes)

    @property
    def improved(self) -> int:
        return sum(1 for change in self.changes if change.change > 0)

    def change_groups(self) -> tuple[int, int, int] | None:
        """Families who rate things lower, about the same (within half a point) and higher than in
        their first check-in; None while fewer than five families can be compared."""
        if len(self.changes) < SMALL_NUMBER:
            return None
        lower = sum(1 for change in self.changes if change.change <= -SAME_WITHIN)
        higher = sum(1 for change in self.changes if change.change >= SAME_WITHIN)
        return lower, len(self.changes) - lower - higher, higher


def _ratings(form: FormRecord, answers: dict[str, int | str]) -> list[int]:
    return [int(answers[q.id]) for q in form.questions
            if q.kind is QuestionKind.RATING and isinstance(answers.get(q.id), int)]


def compute_results(form: FormRecord, responses: list[ResponseFacts]) -> FormResults:
    """Counts, distributions, averages and per-family change, from the responses alone."""
    questions = []
    for question in form.questions:
        values = [r.answers[question.id] for r in responses if question.id in r.answers
                  and (not isinstance(r.answers[question.id], str) or r.answers[question.id])]
        distribution = Counter(v for v in values if isinstance(v, int)) if question.kind.keyed else Counter()
        average = (mean(distribution.elements()) if question.kind is QuestionKind.RATING and distribution
                   else None)
        questions.append(QuestionResult(question, len(values), dict(sorted(distribution.items())), average))
    by_compartment: dict[str, list[int]] = defaultdict(list)
    for result in questions:
        if result.question.kind is QuestionKind.RATING:
            by_compartment[result.question.compartment].extend(
                value for value, count in result.distribution.items() for _n in range(count))
    compartments = tuple(CompartmentResult(key, len(by_compartment[key]),
                                           mean(by_compartment[key]) if by_compartment[key] else None)
                         for key in COMPARTMENTS if key in by_compartment)
    changes: list[FamilyChange] = []
    if form.repeated:
        per_family: dict[str, list[ResponseFacts]] = defaultdict(list)
        for response in responses:
            if response.family_id and _ratings(form, response.answers):
                per_family[response.family_id].append(response)
        for family_id, answered in sorted(per_family.items()):
            if len(answered) < 2:
                continue
            answered.sort(key=lambda r: (r.answered_on, r.response_id))
            first, latest = answered[0], answered[-1]
            changes.append(FamilyChange(family_id, first.answered_on, latest.answered_on,
                                        mean(_ratings(form, first.answers)), mean(_ratings(form, latest.answers))))
    months: dict[date, list[ResponseFacts]] = defaultdict(list)
    for response in responses:
        months[response.answered_on.replace(day=1)].append(response)
    by_month = tuple((month, len(rows), _month_average(form, rows)) for month, rows in sorted(months.items()))
    return FormResults(form, len(responses), sum(1 for r in responses if r.family_id is None),
                       tuple(questions), compartments, tuple(changes), by_month)


def _month_average(form: FormRecord, rows: list[ResponseFacts]) -> float | None:
    values = [value for row in rows for value in _ratings(form, row.answers)]
    return mean(values) if len(values) >= SMALL_NUMBER else None


def answer_label(question: QuestionRecord, value: int | str, language: str = "en") -> str:
    """An answer in words (for a family's own export and the on-screen list)."""
    if question.kind is QuestionKind.TEXT:
        return str(value)
    if question.kind is QuestionKind.YES_NO:
        return pgettext("answer", "Yes") if value == YES else pgettext("answer", "No")
    if question.kind is QuestionKind.CHOICE:
        labels = question.choice_labels(language)
        return labels[int(value) - 1] if 0 < int(value) <= len(labels) else str(value)
    return str(value)


@dataclass(frozen=True)
class PrintCopy:
    """One printed form: its language and, when personalised, the family it is for."""

    language: str
    family_reference: str | None = None
    family_name: str | None = None
