"""The dashboard: what needs doing this week, read through the areas' own services.

Figures come from the same service functions that fill the meetings, fund and
packs pages (``list_meetings``, ``actions_for_meeting``, ``list_pots``,
``application_queue``, ``batch_progress``), so a card and the list it leads to
cannot disagree. The families list has no consent or lapsed filter, so those
two rules are written here (``family_filter_conditions``) and used both for
the counts and for the lists they lead to (``dashboard_families``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func
from sqlmodel import Session, select

from peer_support.clock import local_today
from peer_support.context import AppContext
from peer_support.domain.dashboard import (BatchFigures,
                                           DashboardSummary, FundFigures, Link, NextMeeting,
                                           PotFigures)
from peer_support.domain.families import FamilyQuery, FamilyRow
from peer_support.domain.packs import BatchRecord, Progress
from peer_support.domain.meetings import MeetingStatus
from peer_support.services.actions import actions_for_meeting
from peer_support.services.families_search import family_conditions
from peer_support.services.family_lists import FAMILY_LISTS, family_list_conditions
from peer_support.services.fund_queries import application_queue, list_pots
from peer_support.services.meetings import list_meetings
from peer_support.services.packs import batch_progress, list_batches
from peer_support.storage.conditions import is_true
from peer_support.storage.tables.families import Area, Family
from peer_support.storage.tables.packs import PackBatch
from peer_support.domain.roles import Permission
from peer_support.services.access import require

FAMILY_FILTERS = FAMILY_LISTS


# -- families: the two rules the families list does not have ---------------------------

def family_filter_conditions(name: str, today: date) -> list:
    """WHERE clauses on Family for a dashboard list, on top of the families list's "active".

    Raises ValidationError for an unknown list name.
    """
    return family_conditions(FamilyQuery()) + family_list_conditions(name, today)


def _count_filtered(session: Session, name: str, today: date) -> int:
    return session.exec(select(func.count()).select_from(Family)
                        .where(*family_filter_conditions(name, today))).one()


def dashboard_families(context: AppContext, name: str) -> list[FamilyRow]:
    """The families behind a dashboard figure, by reference, as families-list rows.

    Raises ValidationError for an unknown list name. Reads only.
    """
    require(context, Permission.FAMILY_DETAILS)
    today = local_today(context.clock)
    with context.db.read() as session:
        # sqlmodel's select() is typed for up to 4 entities
        statement = (select(Family.id, Family.reference, Family.name, Family.postcode,  # type: ignore[call-overload]
                            func.coalesce(Area.name, ""), Family.phone, Family.language,
                            Family.children, Family.needs_internet, Family.needs_device, Family.archived)
                     .outerjoin(Area, Area.id == Family.area_id)
                     .where(*family_filter_conditions(name, today))
                     .order_by(func.length(Family.reference), Family.reference))
        return [FamilyRow(*row) for row in session.exec(statement)]


# -- the other areas, through their services --------------------------------------------

def _next_meeting(context: AppContext) -> NextMeeting | None:
    upcoming = [m for m in list_meetings(context, upcoming=True) if m.status is MeetingStatus.PLANNED]
    if not upcoming:
        return None
    meeting = upcoming[0]
    actions = actions_for_meeting(context, meeting.reference)
    return NextMeeting(reference=meeting.reference, starts_at=meeting.starts_at, topic=meeting.topic,
                       venue=meeting.venue, open_actions=sum(not a.done for a in actions),
                       link=Link("meetings", meeting.reference))


def _fund(context: AppContext, today: date) -> FundFigures:
    pots = [p for p in list_pots(context)
            if p.opens_on <= today and (p.closes_on is None or p.closes_on >= today)]
    figures = tuple(PotFigures(name=p.name, budget_pence=p.budget_pence, committed_pence=p.committed_pence,
                               paid_pence=p.paid_pence, waiting=p.waiting, link=Link("fund", p.name))
                    for p in pots)
    waiting = len(application_queue(context))
    return FundFigures(pots=figures, waiting=waiting, link=Link("fund", figures[0].name if figures else ""))


def _archived_batch_ids(context: AppContext) -> set[str]:
    with context.db.read() as session:
        return set(session.exec(select(PackBatch.id).where(is_true(PackBatch.archived))))


def _current_batch(context: AppContext) -> tuple[BatchRecord, Progress] | None:
    """The batch being delivered (the latest with packs still out), else the latest, with its progress."""
    archived = _archived_batch_ids(context)
    batches = [b for b in list_batches(context) if b.id not in archived]
    latest_first = sorted(batches, key=lambda b: (len(b.reference), b.reference), reverse=True)
    fallback = None
    for batch in latest_first:
        progress, _runs = batch_progress(context, batch.reference)
        if progress.outstanding:
            return batch, progress
        fallback = fallback or (batch, progress)
    return fallback


def current_batch_reference(context: AppContext) -> str:
    """The reference of the batch the dashboard shows; "" when there is none."""
    from peer_support.services.summary import current_batch

    with context.db.plain() as connection:
        current = current_batch(connection)
    return current[1] if current else ""


def _batch(context: AppContext) -> BatchFigures | None:
    current = _current_batch(context)
    if current is None:
        return None
    batch, progress = current
    return BatchFigures(reference=batch.reference, name=batch.name, total=progress.total,
                        delivered=progress.delivered, outstanding=progress.outstanding,
                        problems=progress.problems, link=Link("packs", batch.reference))


def dashboard_summary(context: AppContext) -> DashboardSummary:
    """Every figure of the dashboard, as it stands now. Reads only; raises StorageError.

    Plain SQL (services/summary.py), so the first paint does not wait for the ORM to load.
    """
    require(context, Permission.REPORTS)
    from peer_support.services.summary import dashboard_summary as summary

    return summary(context)
