"""A 530-pack summer batch in 20 runs, about 80% delivered, with some not-at-home,
refused and returned packs and one duplicate scan, as a real round looks mid-way."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlmodel import select

from peer_support.clock import local_today
from peer_support.context import AppContext
from peer_support.domain.packs import BatchDraft, Outcome
from peer_support.sample import mark_seeded
from peer_support.services.packs import add_batch, plan_runs_in
from peer_support.storage.conditions import is_true
from peer_support.storage.tables.families import Volunteer
from peer_support.storage.tables.packs import Pack, PackEvent, PackRun

ORDER = 40
RUNS = 20
CONTENTS = ("Craft kit and crayons", "Two reading books", "Board game", "Healthy snacks",
            "Leaflet: summer holiday activities in town")


def seed(context: AppContext, rng: random.Random) -> None:
    today = local_today(context.clock)
    now = context.clock.now()
    with context.db.transaction("Sample data: activity packs") as uow:
        session = uow.session
        batch = add_batch(session, BatchDraft(
            name="Summer activity pack", description="One pack per family for the summer holidays.",
            contents=CONTENTS, packed_on=today - timedelta(days=6)))
        plan_runs_in(session, batch, RUNS)
        volunteers = list(session.exec(select(Volunteer).where(is_true(Volunteer.active))))
        runs = list(session.exec(select(PackRun).where(PackRun.batch_id == batch.id)
                                 .order_by(PackRun.number)))
        run_volunteer = {}
        for index, run in enumerate(runs):
            if volunteers and index < RUNS - 2:  # two runs still need someone
                run.volunteer_id = volunteers[index % len(volunteers)].id
                session.add(run)
            run_volunteer[run.id] = run.volunteer_id
        packs = list(session.exec(select(Pack).where(Pack.batch_id == batch.id)))
        for pack in packs:
            roll = rng.random()
            at = now - timedelta(days=rng.randint(0, 4), minutes=rng.randint(0, 600))
            volunteer_id = run_volunteer.get(pack.run_id)
            if roll < 0.06 or volunteer_id is None and roll < 0.9:
                continue  # not tried yet
            if roll < 0.10:
                outcome, note = Outcome.NOT_HOME, rng.choice(["", "No answer, card left", "Try after 5pm"])
            elif roll < 0.13:
                outcome, note = Outcome.REFUSED, rng.choice(["Already has one from school", "Did not want it"])
            elif roll < 0.145:
                outcome, note = Outcome.RETURNED, "Family moved away"
            else:
                outcome, note = Outcome.DELIVERED, ""
            session.add(PackEvent(pack_id=pack.id, batch_id=batch.id, outcome=outcome.value, at=at,
                                  volunteer_id=volunteer_id, note=note))
            pack.status, pack.status_at, pack.volunteer_id, pack.note = outcome.value, at, volunteer_id, note
            session.add(pack)
            if outcome == Outcome.DELIVERED and rng.random() < 0.004:
                session.add(PackEvent(pack_id=pack.id, batch_id=batch.id, outcome=Outcome.DUPLICATE.value,
                                      at=at + timedelta(minutes=1), volunteer_id=volunteer_id))
        mark_seeded(session, __name__)
