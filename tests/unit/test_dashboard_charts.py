"""The charts' figures equal the lists they summarise."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta, timezone

from peer_support.clock import FixedClock, local_today
from peer_support.domain.dashboard import add_months, month_starts
from peer_support.domain.families import FamilyDraft, VolunteerDraft
from peer_support.domain.fund import Need
from peer_support.domain.meetings import MeetingStatus
from peer_support.domain.packs import OUTSTANDING, BatchDraft, Outcome
from peer_support.services.dashboard_charts import (chart_data, deliveries_per_day, fund_spend_by_need,
                                                    new_families_per_month)
from peer_support.services.deliveries import record_scan, undo_scan
from peer_support.services.families import create_family, create_volunteer
from peer_support.services.fund_queries import list_applications
from peer_support.services.meetings import list_meetings
from peer_support.services.packs import create_batch, list_packs


def test_month_helpers():
    assert month_starts(date(2026, 2, 14), 3) == [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 25), -12) == date(2025, 11, 25)


def test_attendance_chart_equals_the_held_meetings_of_the_last_year(sample_context):
    data = chart_data(sample_context)
    today = local_today(sample_context.clock)
    held = [m for m in list_meetings(sample_context) if m.status is MeetingStatus.HELD
            and add_months(today, -12) < m.on <= today]
    assert [(p.reference, p.families_present, p.walk_in_guests) for p in data.attendance] == \
        [(m.reference, m.present_count, m.walk_in_guests) for m in held]
    assert len(data.attendance) == 12


def test_fund_spend_equals_the_paid_column_of_the_applications_list(sample_context):
    spend = fund_spend_by_need(sample_context)
    assert [s.need for s in spend] == [str(n) for n in Need]
    paid = Counter()
    for record in list_applications(sample_context):
        paid[str(record.need)] += record.paid_pence
    assert {s.need: s.paid_pence for s in spend} == {str(n): paid[str(n)] for n in Need}
    assert sum(s.paid_pence for s in spend) > 0


def test_new_families_are_counted_in_their_london_month(context, clock):
    create_family(context, FamilyDraft(name="Joined in November"))
    # 23:30 UTC on 31 August is already 1 September in London (summer time).
    clock_aug = FixedClock(datetime(2026, 8, 31, 23, 30, tzinfo=timezone.utc))
    context.db.clock = clock_aug
    create_family(context, FamilyDraft(name="Joined on the first of September"))
    context.db.clock = clock
    months = {m.month: m.count for m in new_families_per_month(context, local_today(clock))}
    assert len(months) == 12
    assert months[date(2026, 11, 1)] == 1 and months[date(2026, 9, 1)] == 1 and months[date(2026, 8, 1)] == 0
    assert sum(months.values()) == 2


def test_deliveries_per_day_count_delivered_scans_only(context, clock):
    for name in ("A", "B", "C", "D"):
        create_family(context, FamilyDraft(name=f"Family {name}"))
    batch = create_batch(context, BatchDraft(name="Spring pack")).record
    packs = [p for p in list_packs(context, batch.reference) if p.status == OUTSTANDING]
    volunteer = create_volunteer(context, VolunteerDraft(name="Sam Green")).id
    record_scan(context, packs[0].code, batch_id=batch.id, volunteer_id=volunteer)
    clock.advance(days=2)
    record_scan(context, packs[1].code, batch_id=batch.id, volunteer_id=volunteer)
    record_scan(context, packs[2].code, batch_id=batch.id, volunteer_id=volunteer, outcome=Outcome.NOT_HOME)
    undone = record_scan(context, packs[3].code, batch_id=batch.id, volunteer_id=volunteer)
    undo_scan(context, undone.changes.action_id)
    days = deliveries_per_day(context, batch.reference)
    today = local_today(clock)
    assert [(d.on, d.count) for d in days] == [(today - timedelta(days=2), 1),
                                               (today - timedelta(days=1), 0), (today, 1)]
    assert deliveries_per_day(context, "") == ()
