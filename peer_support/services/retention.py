"""Retention: families with no contact for N years are anonymised, unless a lead keeps them.

Off by default. Contact is the latest of: a meeting the family came to, a pack
delivered (or tried) at its door, a fund application received, or an edit of
its record. A lead keeps a family with a written reason (recorded, synced);
it is due again N years after that decision. Anonymising the due families is
one confirmed step; each family is an erasure like any other (services/privacy).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select as sa_select
from sqlmodel import Session, col, select

from peer_support.clock import local_today
from peer_support.context import AppContext
from peer_support.domain.changes import Changes, Saved
from peer_support.domain.privacy import KeptFamily, RetentionApplied, RetentionCandidate
from peer_support.errors import ValidationError
from peer_support.i18n import _, ngettext
from peer_support.i18n.formatting import to_local
from peer_support.services.families import find_family_row
from peer_support.storage.conditions import live
from peer_support.storage.tables.core import ChangeLog, Setting
from peer_support.storage.tables.families import Family
from peer_support.storage.tables.fund import FundApplication
from peer_support.storage.tables.meetings import Attendance, Meeting
from peer_support.storage.tables.packs import Pack, PackEvent
from peer_support.storage.tables.privacy import Erasure, RetentionKeep
from peer_support.domain.roles import Permission
from peer_support.services.access import require

YEARS_KEY = "retention_years"
MAX_YEARS = 50


def retention_years(context: AppContext) -> int | None:
    """The retention period in years, or None when retention is off (the default)."""
    with context.db.read() as session:
        return _years(session)


def _years(session: Session) -> int | None:
    from peer_support.services.summary import retention_years as years_setting  # the one rule, plain SQL
    from peer_support.storage.family_search import driver_connection

    session.flush()
    return years_setting(driver_connection(session))


def due_summary(count: int, years: int) -> str:
    """How many families are due, in the one sentence the Retention page and ``retention list`` show.

    One count per sentence: with both counts in one plural, "1 years" and Polish "1 lat" came out."""
    # Translators: %(years)d is the retention period in years; %(count)d how many families are due now.
    return ngettext("Families with no contact for %(years)d year or more: %(count)d",
                    "Families with no contact for %(years)d years or more: %(count)d", years) % {
        "years": years, "count": count}


def set_retention_years(context: AppContext, years: int | None) -> Saved[int | None]:
    """Turn retention on for ``years`` years without contact, or off with None/0. Commits; returns
    the period now in force (None: off).

    Raises ValidationError for a negative or absurd number.
    """
    require(context, Permission.PRIVACY)
    if years is not None and not 0 <= years <= MAX_YEARS:
        raise ValidationError(_("The retention period must be between 1 and %(max)d years, or off.")
                              % {"max": MAX_YEARS}, field="years")
    value = str(years or 0)
    with context.db.transaction(_("Change the retention period")) as uow:
        row = uow.session.get(Setting, YEARS_KEY)
        if row is None:
            uow.session.add(Setting(id=YEARS_KEY, value=value))
        elif row.value != value or row.deleted:
            row.value, row.deleted = value, False
            uow.session.add(row)
    return Saved(years or None, uow.changes)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _latest(found: dict[str, date], pairs) -> None:
    for family_id, value in pairs:
        if value is None:
            continue
        day = to_local(value).date() if hasattr(value, "hour") else value
        if family_id not in found or day > found[family_id]:
            found[family_id] = day


def last_contacts(session: Session) -> dict[str, date]:
    """Each family's latest contact day (attendance, delivery, application, edit)."""
    found: dict[str, date] = {}
    _latest(found, session.execute(sa_select(col(Attendance.family_id), func.max(Meeting.starts_at))
                                   .join(Meeting, col(Meeting.id) == Attendance.meeting_id)
                                   .where(live(Attendance), col(Attendance.status) == "present")
                                   .group_by(Attendance.family_id)))
    _latest(found, session.execute(sa_select(col(Pack.family_id), func.max(PackEvent.at)).select_from(PackEvent)
                                   .join(Pack, col(Pack.id) == PackEvent.pack_id).group_by(Pack.family_id)))
    _latest(found, session.execute(sa_select(col(FundApplication.family_id), func.max(FundApplication.received_on))
                                   .group_by(FundApplication.family_id)))
    rows = session.execute(sa_select(col(ChangeLog.entity_id), func.max(ChangeLog.at))
                           .where(col(ChangeLog.entity) == "family").group_by(ChangeLog.entity_id)).all()
    _latest(found, [(family_id, _parse(at)) for family_id, at in rows])
    return found


def _parse(value):
    from datetime import datetime, timezone

    if isinstance(value, str):
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    return value


def due_families(context: AppContext) -> list[RetentionCandidate]:
    """Families due for anonymising under the retention setting; [] when retention is off."""
    require(context, Permission.PRIVACY)
    with context.db.read() as session:
        years = _years(session)
        if years is None:
            return []
        return _due(session, years, local_today(context.clock))


def _due(session: Session, years: int, today: date) -> list[RetentionCandidate]:
    cutoff = _years_before(today, years)
    contacts = last_contacts(session)
    erased = set(session.exec(select(Erasure.subject_id).where(live(Erasure))))
    keeps: dict[str, RetentionKeep] = {}
    for kept in session.exec(select(RetentionKeep).where(live(RetentionKeep))
                             .order_by(col(RetentionKeep.kept_on))):
        keeps[kept.family_id] = kept
    due = []
    for family in session.exec(select(Family).where(live(Family))):
        if family.id in erased:
            continue
        last = contacts.get(family.id)
        if last is not None and last > cutoff:
            continue
        keep = keeps.get(family.id)
        if keep is not None and keep.kept_on > cutoff:
            continue
        due.append(RetentionCandidate(family.reference, family.name, last, keep.kept_on if keep else None,
                                      keep.reason if keep else ""))
    return sorted(due, key=lambda c: (len(c.reference), c.reference))


def keep_family(context: AppContext, reference: str, reason: str) -> Saved[KeptFamily]:
    """Keep a family past the retention period, with a reason (recorded). Commits.

    Raises NotFoundError, ValidationError (no reason given).
    """
    require(context, Permission.PRIVACY)
    if not reason.strip():
        raise ValidationError(_("Give a reason for keeping the family."), field="reason")
    key = reference.strip().upper()
    with context.db.transaction(_("Keep family %(reference)s past the retention period") % {"reference": key}) as uow:
        family = find_family_row(uow.session, key)
        kept = KeptFamily(reference=family.reference, kept_on=local_today(context.clock), reason=reason.strip(),
                          decided_by=uow.actor)
        uow.session.add(RetentionKeep(family_id=family.id, kept_on=kept.kept_on, reason=kept.reason,
                                      decided_by=kept.decided_by))
    return Saved(kept, uow.changes)


def apply_retention(context: AppContext) -> Saved[RetentionApplied]:
    """Anonymise every family due now, each as its own erasure (committed one by one; none can be
    undone). Returns their references and the mentions elsewhere to review, with the erasures'
    changes together (``Changes.of_actions``). Raises ValidationError when retention is off."""
    require(context, Permission.PRIVACY)
    from peer_support.services.privacy import compact, erase_family

    if retention_years(context) is None:
        raise ValidationError(_("Retention is off: set a number of years first."), field="years")
    erased, mentions, actions = [], [], []
    for candidate in due_families(context):
        saved = erase_family(context, candidate.reference, reason="retention", rewrite=False)
        erased.append(saved.record.reference)
        mentions.extend(saved.record.mentions)
        actions.append(saved.changes)
    if erased:
        compact(context)
    return Saved(RetentionApplied(erased=erased, mentions=mentions), Changes.of_actions(actions))
