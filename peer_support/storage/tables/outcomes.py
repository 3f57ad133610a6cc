"""Feedback forms (questionnaires), their questions, and the answers families give."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field

from peer_support.storage.ownership import FAMILY, NotPersonal, Owned
from peer_support.storage.tables.base import Entity


class Questionnaire(Entity, table=True):
    __owner__ = NotPersonal("a feedback form")

    reference: str = Field(unique=True, max_length=16)  # Q01
    # A ready-made form's key ("after-meeting"): its id is derived from it, so laptops that
    # each add the ready-made forms add the same rows, which sync merges into one.
    builtin: str = Field(default="", max_length=32)
    title_en: str
    title_da: str = Field(default="")
    title_de: str = Field(default="")
    title_pl: str = Field(default="")
    repeated: bool = Field(default=False)  # a check-in asked again over time
    archived: bool = Field(default=False)


class QuestionnaireQuestion(Entity, table=True):
    __tablename__ = "questionnaire_question"
    __owner__ = NotPersonal("a question on a feedback form")

    questionnaire_id: str = Field(foreign_key="questionnaire.id", index=True)
    position: int = Field(default=0)
    kind: str = Field(max_length=16)  # rating | yes_no | choice | text
    compartment: str = Field(max_length=16)  # a Resilience Framework compartment key
    text_en: str
    text_da: str = Field(default="")
    text_de: str = Field(default="")
    text_pl: str = Field(default="")
    # Choices one per line, per language (choice questions only).
    choices_en: str = Field(default="")
    choices_da: str = Field(default="")
    choices_de: str = Field(default="")
    choices_pl: str = Field(default="")


class FormResponse(Entity, table=True):
    """One returned form. ``family_id`` is empty for an anonymous form and is never inferred."""

    __tablename__ = "form_response"
    # Erasure unlinks the form from the family: the answers stay in the totals, anonymous.
    __owner__ = Owned(FAMILY, via=("family_id",), personal=("family_id",))

    questionnaire_id: str = Field(foreign_key="questionnaire.id", index=True)
    family_id: str | None = Field(default=None, foreign_key="family.id", index=True)
    meeting_id: str | None = Field(default=None, foreign_key="meeting.id", index=True)
    answered_on: date = Field(index=True)
    language: str = Field(default="en", max_length=8)
    channel: str = Field(default="paper", max_length=8)  # paper | screen


class FormAnswer(Entity, table=True):
    __tablename__ = "form_answer"
    __owner__ = Owned(FAMILY, via=("response_id", "family_id"), personal=("text",), free_text=("text",))

    response_id: str = Field(foreign_key="form_response.id", index=True)
    question_id: str = Field(foreign_key="questionnaire_question.id")
    number: int | None = Field(default=None)  # rating, yes (1) / no (2), or choice number
    text: str = Field(default="")  # a short-text answer: personal data
