"""A year of feedback: "After the meeting" forms from about half of each held meeting's
families (a third of them anonymous), and the "How are things?" check-in every quarter,
where families who come often feel a little better over the year."""

from __future__ import annotations

import random
from collections import Counter
from datetime import timedelta

from sqlmodel import select

from peer_support.clock import local_today
from peer_support.context import AppContext
from peer_support.domain.outcomes import NO, YES, QuestionKind
from peer_support.sample import mark_seeded
from peer_support.services.outcomes import add_ready_made_forms, get_form
from peer_support.storage.conditions import live
from peer_support.storage.tables.families import Family
from peer_support.storage.tables.meetings import Attendance, Meeting
from peer_support.storage.tables.outcomes import FormAnswer, FormResponse

ORDER = 50
CHECK_INS = 4  # one a quarter
CHECK_IN_FAMILIES = 140
TOPIC_WISHES = [
    "Exams and revision", "Talking to teenagers about money", "Sleep", "Bullying online",
    "Applying for free school meals", "More time to chat in small groups", "Careers and college",
]


def _clamp(value: float) -> int:
    return max(1, min(5, round(value)))


def seed(context: AppContext, rng: random.Random) -> None:
    add_ready_made_forms(context)
    after, check_in = get_form(context, "Q01"), get_form(context, "Q02")
    today = local_today(context.clock)
    with context.db.transaction("Sample data: feedback forms") as uow:
        session = uow.session
        families = {f.id: f for f in session.exec(select(Family).where(live(Family)))}
        held = list(session.exec(select(Meeting).where(Meeting.status == "held").order_by(Meeting.starts_at)))
        attended: Counter = Counter()

        def answer(form, family, meeting, on, values) -> None:
            response = FormResponse(questionnaire_id=form.id, family_id=family.id if family else None,
                                    meeting_id=meeting.id if meeting else None, answered_on=on,
                                    language=family.language if family else rng.choice(["en", "en", "en", "pl", "de"]))
            session.add(response)
            session.flush()  # no ORM relationships: the response row first, then its answers
            for question, value in zip(form.questions, values):
                if value is None:
                    continue
                session.add(FormAnswer(response_id=response.id, question_id=question.id,
                                       number=value if isinstance(value, int) else None,
                                       text=value if isinstance(value, str) else ""))

        for meeting in held:
            present = session.exec(select(Attendance.family_id).where(
                Attendance.meeting_id == meeting.id, Attendance.status == "present")).all()
            for family_id in present:
                attended[family_id] += 1
                if rng.random() > 0.55:
                    continue
                family = families.get(family_id) if rng.random() > 0.33 else None
                useful = _clamp(rng.gauss(4.1, 0.8))
                welcome = YES if rng.random() < 0.93 else NO
                wish = rng.choice(TOPIC_WISHES) if rng.random() < 0.2 else None
                answer(after, family, meeting, meeting.starts_at.date(), [useful, welcome, wish])
        session.flush()

        chosen = rng.sample(sorted(families), k=min(CHECK_IN_FAMILIES, len(families)))
        for round_number in range(CHECK_INS):
            on = today - timedelta(days=365 - round_number * 91 - rng.randint(0, 10))
            for family_id in chosen:
                if rng.random() < 0.25:  # not everyone answers every quarter
                    continue
                lift = 0.4 * round_number * min(attended[family_id], 6) / 6
                values: list[int | str | None] = []
                for question in check_in.questions:
                    if question.kind is QuestionKind.RATING:
                        values.append(_clamp(rng.gauss(2.9 + lift, 0.9)))
                    else:
                        values.append(rng.choice([1, 1, 1, 2, 3, 4]))
                answer(check_in, families[family_id], None, on, values)
        mark_seeded(session, __name__)
