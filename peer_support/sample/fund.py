"""The connectivity fund: the "Covid-19 Connectivity Fund" (£25,000, ~120 applications in
every state) and a small second round that is still open, with a queue waiting.

Dates are relative to today, so the demo always has recent work to do.
"""

from __future__ import annotations

import random
from datetime import timedelta

from sqlmodel import select

from peer_support.clock import local_today
from peer_support.context import AppContext
from peer_support.domain.fund import (ApplicationDraft, ApprovalDraft, Channel, Need, PaymentDraft,
                                      PaymentMethod, PotDraft, Status)
from peer_support.errors import ValidationError
from peer_support.sample import mark_seeded
from peer_support.services import fund
from peer_support.storage.conditions import live
from peer_support.storage.tables.families import Family

ORDER = 30
LEADS = ["Sarah Wilson", "Agnieszka Nowak", "Claire Turner"]
SUPPLIERS = {
    Need.BROADBAND: ["BT Basic", "Virgin Media Essential", "Community Fibre"],
    Need.MOBILE_DATA: ["Vodafone top-up", "EE data voucher", "giffgaff top-up"],
    Need.DONGLE_ROUTER: ["Argos", "Currys"],
    Need.DEVICE: ["Currys", "Argos", "Computers for Kids (refurbished)"],
    Need.OTHER: ["Argos", "Local shop"],
}
# (need, weight, lowest, highest pounds)
NEEDS = [(Need.MOBILE_DATA, 30, 20, 90), (Need.BROADBAND, 30, 150, 360), (Need.DONGLE_ROUTER, 12, 35, 120),
         (Need.DEVICE, 22, 200, 400), (Need.OTHER, 6, 20, 80)]
REASONS = {
    Need.BROADBAND: ["No home internet; two children learning from home.",
                     "Contract ended after job loss; children need internet for homework."],
    Need.MOBILE_DATA: ["Phone data runs out mid-month; needs it for school apps and meetings.",
                       "Pay-as-you-go only; data for online lessons."],
    Need.DONGLE_ROUTER: ["Temporary flat with no broadband line.", "Router broken, cannot afford a new one."],
    Need.DEVICE: ["Three children sharing one old phone for schoolwork.", "Laptop broke; GCSE coursework due."],
    Need.OTHER: ["Headset and webcam for the child's online tutoring.", "Charger and case for donated tablet."],
}
ELIGIBILITY = ["Free school meals confirmed by school.", "Referred by school family liaison officer.",
               "Universal Credit; seen letter.", "Known to the group since 2020.", ""]
DECLINE_REASONS = ["Already has broadband through the council scheme.",
                   "Outside our area; referred to the neighbouring group.",
                   "School has lent a device for the year."]
WITHDRAW_REASONS = ["Family found another source of help.", "Family moved away.",
                    "No longer needed: a relative helped."]


def _request(rng: random.Random, needs: list) -> tuple[Need, int]:
    need, _weight, low, high = rng.choices(needs, weights=[n[1] for n in needs])[0]
    pounds = rng.randint(low, high)
    return need, pounds * 100 if rng.random() < 0.7 else pounds * 100 + rng.choice([50, 99])


def _fill_pot(session, rng, pot: str, families, opened, days: int, count: int, today,
              needs=NEEDS) -> None:
    """Applications spread over ``days`` days; older ones further along the workflow."""
    for index in range(count):
        age = days - int(days * index / count) - rng.randint(0, 3)
        received = max(opened, today - timedelta(days=max(age, 0)))
        need, requested = _request(rng, needs)
        draft = ApplicationDraft(pot=pot, family_reference=rng.choice(families).reference,
                                 received_on=received, channel=rng.choice(list(Channel)), need=need,
                                 requested_pence=requested, reason=rng.choice(REASONS[need]),
                                 eligibility_notes=rng.choice(ELIGIBILITY))
        row = fund.add_application(session, draft, today)
        days_old = (today - received).days
        if days_old < 21 and rng.random() < 0.8:
            continue  # still in the queue
        roll = rng.random()
        decided = min(today, received + timedelta(days=rng.randint(1, 9)))
        lead = rng.choice(LEADS)
        if roll < 0.08:
            fund.apply_outcome(session, row, Status.DECLINED, rng.choice(DECLINE_REASONS), lead, decided)
            continue
        if roll < 0.13:
            fund.apply_outcome(session, row, Status.WITHDRAWN, rng.choice(WITHDRAW_REASONS), "", decided)
            continue
        amount = requested if rng.random() < 0.8 else requested * 3 // 4 // 100 * 100
        try:
            fund.apply_approval(session, row, ApprovalDraft(amount, lead, decided))
        except ValidationError:
            fund.apply_outcome(session, row, Status.DECLINED, "The pot has no money left.", lead, decided)
            continue
        _pay(session, rng, row, need, amount, decided, today)


def _pay(session, rng, row, need, amount, decided, today) -> None:
    if (today - decided).days < 5 and rng.random() < 0.7:
        return  # approved, waiting to be paid
    method = {Need.MOBILE_DATA: PaymentMethod.TOP_UP, Need.DEVICE: PaymentMethod.PURCHASE,
              Need.DONGLE_ROUTER: PaymentMethod.PURCHASE}.get(need) or rng.choice(list(PaymentMethod))
    parts = [amount] if amount < 6000 or rng.random() < 0.6 else [amount // 2, amount - amount // 2]
    if len(parts) == 2 and rng.random() < 0.25:
        parts = parts[:1]  # second instalment not paid yet
    paid_on = min(today, decided + timedelta(days=rng.randint(0, 6)))
    for number, part in enumerate(parts):
        fund.add_payment(session, row, PaymentDraft(
            paid_on=min(today, paid_on + timedelta(days=30 * number)), amount_pence=part, method=method,
            supplier=rng.choice(SUPPLIERS[need]), reference=f"{rng.randint(100000, 999999)}"),
            rng.choice(LEADS))
    if row.status == Status.PAID and (today - decided).days > 40 and rng.random() < 0.75:
        row.status, row.ended_on = str(Status.CLOSED), min(today, paid_on + timedelta(days=rng.randint(7, 30)))
        session.add(row)


def seed(context: AppContext, rng: random.Random) -> None:
    today = local_today(context.clock)
    with context.db.transaction("Sample data: connectivity fund") as uow:
        session = uow.session
        families = list(session.exec(select(Family).where(live(Family))
                                     .order_by(Family.reference)))
        if not families:
            mark_seeded(session, __name__)
            return
        covid_opened = today - timedelta(days=400)
        fund.add_pot(session, PotDraft(
            name="Covid-19 Connectivity Fund", funder="Kent Community Foundation", budget_pence=25_000_00,
            opens_on=covid_opened, closes_on=today + timedelta(days=60),
            notes="Home internet and devices so parents can join meetings and children can learn "
                  "from home. Up to £400 per family; receipts kept for every payment."))
        _fill_pot(session, rng, "Covid-19 Connectivity Fund", families, covid_opened, 400, 120, today)
        round_two = today - timedelta(days=35)
        fund.add_pot(session, PotDraft(
            name="Winter Data Top-ups", funder="Thanet Lions Club", budget_pence=3_000_00,
            opens_on=round_two, closes_on=today + timedelta(days=90),
            notes="Mobile data top-ups over the winter for families without broadband."))
        _fill_pot(session, rng, "Winter Data Top-ups", families, round_two, 35, 18, today,
                  needs=[(Need.MOBILE_DATA, 1, 15, 45)])
        mark_seeded(session, __name__)
