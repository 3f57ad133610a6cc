"""A year of monthly meetings (second Tuesday, 18:00-19:30) with registers, notes
and actions, and the next six months planned."""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from sqlmodel import select

from peer_support.clock import local_today
from peer_support.context import AppContext
from peer_support.domain.meetings import MeetingDraft, ScheduleRule, schedule_dates
from peer_support.sample import mark_seeded
from peer_support.services.meetings import add_meeting, taken_references
from peer_support.storage.conditions import is_true, live
from peer_support.storage.tables.families import Family, Volunteer
from peer_support.storage.tables.meetings import Attendance, MeetingAction, MeetingSeries

ORDER = 20
HELD, PLANNED = 12, 6
VENUE = "St Paul's Church Hall, Cliff Terrace, Margate CT9 1RX"
TOPICS = [
    ("Sleep and screens: settling routines that stick", ("basics", "coping")),
    ("Getting to school on time: transport and mornings", ("basics",)),
    ("Making friends at secondary school", ("belonging",)),
    ("Talking to school about SEND support", ("learning", "belonging")),
    ("Exam stress: helping without nagging", ("coping", "learning")),
    ("Cooking on a budget: family meals for under £2", ("basics",)),
    ("Online safety and group chats", ("coping", "core_self")),
    ("Confidence and self-esteem in teenagers", ("core_self",)),
    ("Summer holidays: free activities in Thanet", ("belonging", "basics")),
    ("Homework help and reading at home", ("learning",)),
    ("Anxiety and school refusal", ("coping", "core_self")),
    ("Celebrating our year: shared supper", ("belonging",)),
    ("Money worries: benefits, grants and the connectivity fund", ("basics",)),
    ("Friendship fall-outs and bullying", ("belonging", "coping")),
    ("Choosing GCSE options", ("learning", "core_self")),
    ("Looking after ourselves as parents", ("core_self", "coping")),
    ("Moving up from primary: what to expect", ("belonging", "learning")),
    ("Healthy eating and packed lunches", ("basics",)),
]
AGENDA = ("1. Welcome and introductions\n2. News and open actions\n3. Topic: {topic}\n"
          "4. Small-group chat\n5. Next meeting and close")
NOTES = [
    "Good turnout despite the rain. Several parents shared what has worked at home; the crèche was busy.",
    "Lively discussion. Two families asked for follow-up support from the school liaison.",
    "Guest speaker from the local authority answered questions for half an hour. Handouts ran out.",
    "Quieter evening. Parents asked for more practical sessions and a Saturday coffee morning.",
    "Shared supper went well; thanks to the volunteers who cooked. Polish-speaking parents ran a table.",
]
ACTIONS = [
    "Ask Seaview Academy for a contact in the SEND team",
    "Print the free summer activities list in Polish and English",
    "Book the hall for next term's Saturday coffee mornings",
    "Send the slides from tonight's talk to everyone who asked",
    "Find a speaker on exam stress for the spring",
    "Check whether the food bank can take referrals from the group",
    "Set up a WhatsApp group for parents of Year 7 children",
    "Collect feedback forms and type them up",
    "Ask the library about homework club places",
    "Follow up on two families who asked about laptops from the fund",
    "Update the leaflet with the new meeting dates",
    "Thank the church for the use of the hall",
]


def _dates(today: date) -> tuple[list[date], list[date]]:
    rule = ScheduleRule(first_on=date(today.year - 2, today.month, 1), last_on=today + timedelta(days=200),
                        weekday=1, nth=2, start=time(18, 0), end=time(19, 30))
    dates = schedule_dates(rule)
    past = [day for day in dates if day < today][-HELD:]
    future = [day for day in dates if day >= today][:PLANNED]
    return past, future


def seed(context: AppContext, rng: random.Random) -> None:
    today = local_today(context.clock)
    past, future = _dates(today)
    with context.db.transaction("Sample data: meetings") as uow:
        session = uow.session
        families = list(session.exec(select(Family).where(live(Family)).order_by(Family.reference)))
        volunteers = list(session.exec(select(Volunteer).where(is_true(Volunteer.active))))
        # Some families come most months, most come now and then.
        weight = {f.id: (8.0 if rng.random() < 0.15 else 2.0 if rng.random() < 0.3 else 0.4) for f in families}
        series = MeetingSeries(rule="FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU", first_on=past[0], last_on=future[-1],
                               start_time="18:00", end_time="19:30", skipped="")
        session.add(series)
        taken = taken_references(session)
        topics = rng.sample(TOPICS, k=len(TOPICS))
        for number, day in enumerate(past + future):
            topic, tags = topics[number % len(topics)]
            facilitator = rng.choice(volunteers).name if volunteers else ""
            meeting = add_meeting(session, MeetingDraft(
                on=day, start=time(18, 0), end=time(19, 30), venue=VENUE, topic=topic, facilitator=facilitator,
                agenda=AGENDA.format(topic=topic), tags=tags,
                online_link="https://meet.example.org/peer-support" if number % 3 == 0 else ""),
                series_id=series.id, taken=taken)
            if day in past:
                _hold(session, rng, meeting, families, weight, volunteers, day, today, uow.now)
        mark_seeded(session, __name__)


def _hold(session, rng, meeting, families, weight, volunteers, day, today, now) -> None:
    meeting.status = "held"
    meeting.notes = rng.choice(NOTES)
    meeting.walk_in_guests = rng.randint(0, 6)
    meeting.creche_children = rng.randint(4, 18)
    pool = list(families)
    present: list[Family] = []
    for _i in range(rng.randint(30, 70)):
        chosen = rng.choices(pool, weights=[weight[f.id] for f in pool])[0]
        pool.remove(chosen)
        present.append(chosen)
    apologies = rng.sample(pool, k=rng.randint(3, 9))
    for family in present:
        session.add(Attendance(meeting_id=meeting.id, family_id=family.id, status="present", marked_at=now))
    for family in apologies:
        session.add(Attendance(meeting_id=meeting.id, family_id=family.id, status="apologies", marked_at=now))
    for description in rng.sample(ACTIONS, k=rng.randint(2, 4)):
        due = day + timedelta(days=rng.choice([14, 21, 28]))
        done = due < today - timedelta(days=20) and rng.random() < 0.85
        owner_family = rng.choice(present) if rng.random() < 0.35 else None
        session.add(MeetingAction(
            meeting_id=meeting.id, description=description, due_on=due, done=done,
            done_on=due - timedelta(days=rng.randint(0, 7)) if done else None,
            owner_family_id=owner_family.id if owner_family else None,
            owner_volunteer_id=None if owner_family or not volunteers else rng.choice(volunteers).id))
