"""The figures behind the dashboard's charts.

Attendance comes from the meetings service and fund spend from the fund's
application list (the "Paid" column), so a chart agrees with the page it
summarises. New families per month and deliveries per day have no service
elsewhere; they are counted here from the tables.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import func
from sqlmodel import col, select

from peer_support.clock import LONDON, local_today
from peer_support.context import AppContext
from peer_support.domain.dashboard import (ChartData, DayCount, MeetingAttendance, MonthCount, NeedSpend,
                                           add_months, month_starts)
from peer_support.domain.fund import Need
from peer_support.domain.meetings import local_to_utc
from peer_support.domain.packs import Outcome
from peer_support.services.dashboard import current_batch_reference
from peer_support.services.fund_queries import list_applications
from peer_support.services.meetings import attendance_over_time
from peer_support.services.packs import find_batch_row
from peer_support.storage.conditions import live
from peer_support.storage.tables.families import Family
from peer_support.storage.tables.packs import PackEvent

# Up to this many days between the first and last delivery, days without one are shown as 0.
DENSE_DAYS = 31


def attendance_last_year(context: AppContext, today: date) -> tuple[MeetingAttendance, ...]:
    since = add_months(today, -12)
    return tuple(MeetingAttendance(p.meeting_reference, p.on, p.families_present, p.walk_in_guests)
                 for p in attendance_over_time(context) if since < p.on <= today)


def new_families_per_month(context: AppContext, today: date, months: int = 12) -> tuple[MonthCount, ...]:
    """Families added in each of the last ``months`` months (archived ones too: they did join)."""
    firsts = month_starts(today, months)
    since = local_to_utc(firsts[0], time(0, 0))
    # Counted per UTC hour in SQL, then each hour put in its London month in Python: London is
    # a whole number of hours from UTC, so this is exact, and 50,000 families stay a few
    # thousand rows at most.
    hour = func.strftime("%Y-%m-%d %H", Family.created_at)
    with context.db.read() as session:
        rows = session.exec(select(hour, func.count()).where(
            live(Family), col(Family.created_at) >= since).group_by(hour)).all()
    counts: Counter = Counter()
    for text, count in rows:
        instant = datetime.strptime(text, "%Y-%m-%d %H").replace(tzinfo=timezone.utc)
        counts[instant.astimezone(LONDON).date().replace(day=1)] += count
    return tuple(MonthCount(first, counts[first]) for first in firsts)


def fund_spend_by_need(context: AppContext) -> tuple[NeedSpend, ...]:
    """Money paid so far, from every pot, by the need applied for."""
    paid: Counter = Counter()
    for record in list_applications(context):
        paid[record.need] += record.paid_pence
    return tuple(NeedSpend(str(need), need.label, paid[need]) for need in Need)


def deliveries_per_day(context: AppContext, batch_reference: str) -> tuple[DayCount, ...]:
    """Packs delivered on each day of a batch's delivery (undone scans and duplicates not counted)."""
    if not batch_reference:
        return ()
    with context.db.read() as session:
        batch = find_batch_row(session, batch_reference)
        instants = session.exec(select(PackEvent.at).where(
            PackEvent.batch_id == batch.id, live(PackEvent),
            PackEvent.outcome == Outcome.DELIVERED.value)).all()
    counts = Counter(instant.astimezone(LONDON).date() for instant in instants)
    if not counts:
        return ()
    first, last = min(counts), max(counts)
    if (last - first).days <= DENSE_DAYS:
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    else:
        days = sorted(counts)
    return tuple(DayCount(day, counts[day]) for day in days)


def chart_data(context: AppContext) -> ChartData:
    """Everything the four charts show. Reads only; raises StorageError."""
    today = local_today(context.clock)
    batch = current_batch_reference(context)
    return ChartData(attendance=attendance_last_year(context, today),
                     new_families=new_families_per_month(context, today),
                     fund_spend=fund_spend_by_need(context), batch_reference=batch,
                     deliveries=deliveries_per_day(context, batch))
