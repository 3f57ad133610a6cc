"""Every dashboard figure equals what the list it leads to shows, computed both ways."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from peer_support.clock import local_today
from peer_support.domain.dashboard import FAMILIES_LAPSED, FAMILIES_MISSING_CONSENT, lapsed_cutoff
from peer_support.domain.families import FamilyDraft, FamilyQuery
from peer_support.domain.meetings import AttendanceStatus, MeetingDraft, MeetingStatus
from peer_support.domain.packs import OUTSTANDING, BatchDraft, Outcome
from peer_support.errors import ValidationError
from peer_support.services.actions import actions_for_meeting, open_actions
from peer_support.services.dashboard import current_batch_reference, dashboard_families, dashboard_summary
from peer_support.services.deliveries import record_scan, volunteer_id_for
from peer_support.services.families import create_family, query_families, set_family_archived
from peer_support.services.fund_queries import application_queue, list_pots
from peer_support.services.meetings import create_meeting, list_meetings, set_meeting_status
from peer_support.services.packs import batch_progress, create_batch, list_batches, list_packs
from peer_support.services.register import get_register, mark_attendance


def _ensure_batch_with_deliveries(context) -> str:
    """The sample's current batch, or a new one, with a few doorstep outcomes recorded."""
    reference = current_batch_reference(context)
    if not reference:
        reference = create_batch(context, BatchDraft(name="Winter activity pack")).record.reference
    batch = next(b for b in list_batches(context) if b.reference == reference)
    waiting = [p for p in list_packs(context, reference) if p.status == OUTSTANDING]
    volunteer = volunteer_id_for(context, "V001")
    for pack, outcome in zip(waiting, [Outcome.DELIVERED, Outcome.DELIVERED, Outcome.NOT_HOME, Outcome.REFUSED]):
        record_scan(context, pack.code, batch_id=batch.id, volunteer_id=volunteer, outcome=outcome)
    return reference


def test_next_meeting_and_its_open_actions_equal_the_meetings_page(sample_context):
    summary = dashboard_summary(sample_context)
    planned = [m for m in list_meetings(sample_context, upcoming=True) if m.status is MeetingStatus.PLANNED]
    assert summary.next_meeting is not None
    assert summary.next_meeting.reference == planned[0].reference
    assert summary.next_meeting.starts_at == planned[0].starts_at
    shown = [a for a in actions_for_meeting(sample_context, planned[0].reference) if not a.done]
    assert summary.next_meeting.open_actions == len(shown) > 0
    assert summary.open_actions == len(open_actions(sample_context))
    assert (summary.next_meeting.link.area, summary.next_meeting.link.item) == ("meetings", planned[0].reference)


def test_fund_figures_equal_the_pot_overview_and_the_queue(sample_context):
    summary = dashboard_summary(sample_context)
    today = local_today(sample_context.clock)
    pots = {p.name: p for p in list_pots(sample_context)}
    assert summary.fund.pots, "the sample has an open pot"
    for figures in summary.fund.pots:
        pot = pots[figures.name]
        assert pot.opens_on <= today and (pot.closes_on is None or pot.closes_on >= today)
        assert figures.headroom_pence == pot.remaining_pence
        assert (figures.budget_pence, figures.committed_pence, figures.paid_pence, figures.waiting) == \
            (pot.budget_pence, pot.committed_pence, pot.paid_pence, pot.waiting)
        assert figures.waiting == len(application_queue(sample_context, pot=pot.name))
        assert figures.link.area == "fund" and figures.link.item == pot.name
    assert summary.fund.waiting == len(application_queue(sample_context)) > 0
    open_names = {p.name for p in summary.fund.pots}
    assert open_names == {p.name for p in pots.values()
                          if p.opens_on <= today and (p.closes_on is None or p.closes_on >= today)}


def test_batch_progress_equals_the_packs_page(sample_context):
    reference = _ensure_batch_with_deliveries(sample_context)
    summary = dashboard_summary(sample_context)
    assert summary.batch is not None and summary.batch.reference == reference
    progress, _runs = batch_progress(sample_context, reference)
    assert (summary.batch.total, summary.batch.delivered, summary.batch.outstanding, summary.batch.problems) == \
        (progress.total, progress.delivered, progress.outstanding, progress.problems)
    packs = list_packs(sample_context, reference)
    assert summary.batch.outstanding == sum(p.status in (OUTSTANDING, Outcome.NOT_HOME.value) for p in packs)
    assert summary.batch.delivered == sum(p.status == Outcome.DELIVERED.value for p in packs) >= 2
    assert (summary.batch.link.area, summary.batch.link.item) == ("packs", reference)


def test_missing_consent_equals_the_families_list(sample_context):
    summary = dashboard_summary(sample_context)
    expected = sorted(f.reference for f in query_families(sample_context, FamilyQuery()) if f.consent_date is None)
    listed = [row.reference for row in dashboard_families(sample_context, FAMILIES_MISSING_CONSENT)]
    assert summary.missing_consent.count == len(expected) == len(listed) > 0
    assert sorted(listed) == expected
    assert summary.missing_consent.link.item == FAMILIES_MISSING_CONSENT
    assert summary.active_families == len(query_families(sample_context, FamilyQuery()))


def test_lapsed_families_equal_what_the_registers_show(sample_context):
    """Lapsed: present at some meeting's register, but at none in the last six months."""
    today = local_today(sample_context.clock)
    cutoff = lapsed_cutoff(today)
    ever, recent = set(), set()
    for meeting in list_meetings(sample_context):
        if meeting.status is MeetingStatus.CANCELLED:
            continue
        present = {e.family_reference for e in get_register(sample_context, meeting.reference).entries
                   if e.status is AttendanceStatus.PRESENT}
        ever |= present
        if meeting.on >= cutoff:
            recent |= present
    active = {f.reference for f in query_families(sample_context, FamilyQuery())}
    expected = sorted((ever - recent) & active)
    summary = dashboard_summary(sample_context)
    listed = sorted(row.reference for row in dashboard_families(sample_context, FAMILIES_LAPSED))
    assert summary.lapsed.count == len(expected) > 0
    assert listed == expected


def _held_meeting(context, on: date) -> str:
    meeting = create_meeting(context, MeetingDraft(on=on, start=time(18), end=time(19, 30), topic="Test")).record
    set_meeting_status(context, meeting.reference, MeetingStatus.HELD)
    return meeting.reference


def test_lapsed_rule_on_small_data(context):
    today = local_today(context.clock)
    old = _held_meeting(context, today - timedelta(days=220))
    recent = _held_meeting(context, today - timedelta(days=30))
    stayed, lapsed, apologised, archived = (create_family(context, FamilyDraft(name=n)).reference
                                            for n in ("Ann Stay", "Bea Gone", "Cat Sorry", "Dee Archived"))
    create_family(context, FamilyDraft(name="Eve Never"))  # never came: not lapsed, just not yet met
    for family in (stayed, lapsed, apologised, archived):
        mark_attendance(context, old, family, AttendanceStatus.PRESENT)
    mark_attendance(context, recent, stayed, AttendanceStatus.PRESENT)
    mark_attendance(context, recent, apologised, AttendanceStatus.APOLOGIES)  # apologies are not attendance
    set_family_archived(context, archived, True)
    listed = [row.reference for row in dashboard_families(context, FAMILIES_LAPSED)]
    assert listed == sorted([lapsed, apologised])
    assert dashboard_summary(context).lapsed.count == 2


def test_consent_rule_on_small_data(context):
    create_family(context, FamilyDraft(name="Given", consent_date=date(2026, 1, 5), consent_contact=True))
    missing = create_family(context, FamilyDraft(name="Not asked")).reference
    gone = create_family(context, FamilyDraft(name="Archived, not asked")).reference
    set_family_archived(context, gone, True)
    assert [row.reference for row in dashboard_families(context, FAMILIES_MISSING_CONSENT)] == [missing]
    assert dashboard_summary(context).missing_consent.count == 1


def test_an_empty_database_gives_an_empty_dashboard(context):
    summary = dashboard_summary(context)
    assert summary.next_meeting is None and summary.batch is None
    assert summary.fund.pots == () and summary.fund.waiting == 0 and summary.fund.headroom_pence == 0
    assert (summary.missing_consent.count, summary.lapsed.count, summary.active_families) == (0, 0, 0)


def test_an_unknown_family_list_is_refused(context):
    with pytest.raises(ValidationError):
        dashboard_families(context, "filter:everyone")
