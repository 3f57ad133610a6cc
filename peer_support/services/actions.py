"""Actions agreed at meetings: who does what by when; open ones carry forward.

A meeting shows its own actions and every action from an earlier meeting that
is still open, so nothing agreed is forgotten.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, func, select

from peer_support.context import AppContext
from peer_support.domain.changes import Saved
from peer_support.domain.meetings import ActionDraft, ActionRecord
from peer_support.errors import NotFoundError, ValidationError
from peer_support.i18n import _
from peer_support.clock import LONDON, local_today
from peer_support.services.families import find_family_row, find_volunteer_row
from peer_support.services.meetings import find_meeting_row
from peer_support.storage.conditions import is_false, is_true, live
from peer_support.storage.tables.families import Family, FamilyMember, Volunteer
from peer_support.storage.tables.meetings import Meeting, MeetingAction
from peer_support.domain.roles import Permission
from peer_support.services.access import require

MAX_DESCRIPTION = 2000


def _resolve_owner(session: Session, owner: str) -> tuple[str | None, str | None, str | None]:
    """'' / V003 / volunteer name / F0042 / F0042/Member name -> (volunteer, family, member) ids."""
    owner = owner.strip()
    if not owner:
        return None, None, None
    family_part, _slash, member_name = owner.partition("/")
    if family_part.strip().upper().startswith("F") and family_part.strip()[1:].isdigit():
        family = find_family_row(session, family_part)
        if not member_name.strip():
            return None, family.id, None
        member = session.exec(select(FamilyMember).where(
            FamilyMember.family_id == family.id, live(FamilyMember),
            func.lower(FamilyMember.name) == member_name.strip().lower())).first()
        if member is None:
            raise NotFoundError(_("%(family)s has no member called %(name)s.")
                                % {"family": family.reference, "name": member_name.strip()})
        return None, family.id, member.id
    return find_volunteer_row(session, owner).id, None, None


def _check(draft: ActionDraft) -> str:
    description = draft.description.strip()
    if not description:
        raise ValidationError(_("Describe the action."), field="description")
    if len(description) > MAX_DESCRIPTION:
        raise ValidationError(_("That text is too long (at most %(limit)d characters).")
                              % {"limit": MAX_DESCRIPTION}, field="description")
    return description


def _records(session: Session, rows: list[MeetingAction], current_meeting_id: str | None = None
             ) -> list[ActionRecord]:
    meetings = {m.id: m for m in session.exec(select(Meeting).where(
        col(Meeting.id).in_({row.meeting_id for row in rows})))}
    volunteers = {v.id: v for v in session.exec(select(Volunteer).where(
        col(Volunteer.id).in_({row.owner_volunteer_id for row in rows if row.owner_volunteer_id})))}
    families = {f.id: f for f in session.exec(select(Family).where(
        col(Family.id).in_({row.owner_family_id for row in rows if row.owner_family_id})))}
    members = {m.id: m for m in session.exec(select(FamilyMember).where(
        col(FamilyMember.id).in_({row.owner_member_id for row in rows if row.owner_member_id})))}
    records = []
    for row in rows:
        owner, key = "", ""
        if row.owner_volunteer_id in volunteers:
            volunteer = volunteers[row.owner_volunteer_id]
            owner, key = f"{volunteer.name} ({volunteer.reference})", volunteer.reference
        elif row.owner_family_id in families:
            family = families[row.owner_family_id]
            member = members.get(row.owner_member_id or "")
            name = member.name if member else family.name
            owner = f"{name} ({family.reference})"
            key = f"{family.reference}/{member.name}" if member else family.reference
        meeting = meetings[row.meeting_id]
        records.append(ActionRecord(
            id=row.id, meeting_reference=meeting.reference,
            meeting_on=meeting.starts_at.astimezone(LONDON).date(), description=row.description,
            owner=owner, owner_key=key, due_on=row.due_on, done=row.done, done_on=row.done_on,
            carried_forward=current_meeting_id is not None and row.meeting_id != current_meeting_id))
    return records


def _find_action_row(session: Session, action_id: str) -> MeetingAction:
    row = session.get(MeetingAction, action_id)
    if row is None or row.deleted:
        raise NotFoundError(_("That action no longer exists."))
    return row


def add_action(context: AppContext, meeting_reference: str,
               draft: ActionDraft) -> Saved[ActionRecord]:
    """Record an action agreed at a meeting. Raises ValidationError, NotFoundError; commits."""
    require(context, Permission.MEETINGS)
    description = _check(draft)
    with context.db.transaction(_("Add action at %(meeting)s") % {"meeting": meeting_reference}) as uow:
        meeting = find_meeting_row(uow.session, meeting_reference)
        volunteer_id, family_id, member_id = _resolve_owner(uow.session, draft.owner)
        row = MeetingAction(meeting_id=meeting.id, description=description, owner_volunteer_id=volunteer_id,
                            owner_family_id=family_id, owner_member_id=member_id, due_on=draft.due_on)
        uow.session.add(row)
        uow.session.flush()
        return Saved(_records(uow.session, [row])[0], uow.changes)


def update_action(context: AppContext, action_id: str, draft: ActionDraft) -> Saved[ActionRecord]:
    """Change an action's description, owner or due date. Raises ValidationError, NotFoundError; commits."""
    require(context, Permission.MEETINGS)
    description = _check(draft)
    with context.db.transaction(_("Edit action")) as uow:
        row = _find_action_row(uow.session, action_id)
        row.owner_volunteer_id, row.owner_family_id, row.owner_member_id = _resolve_owner(uow.session,
                                                                                          draft.owner)
        row.description, row.due_on = description, draft.due_on
        uow.session.add(row)
        uow.session.flush()
        return Saved(_records(uow.session, [row])[0], uow.changes)


def set_action_done(context: AppContext, action_id: str,
                    done: bool = True) -> Saved[ActionRecord]:
    """Tick an action done (dated today) or open it again. Raises NotFoundError; commits."""
    require(context, Permission.MEETINGS)
    with context.db.transaction(_("Mark action done") if done else _("Reopen action")) as uow:
        row = _find_action_row(uow.session, action_id)
        row.done = done
        row.done_on = local_today(context.clock) if done else None
        uow.session.add(row)
        uow.session.flush()
        return Saved(_records(uow.session, [row])[0], uow.changes)


def actions_for_meeting(context: AppContext, meeting_reference: str) -> list[ActionRecord]:
    """This meeting's actions, then open actions carried forward from earlier meetings."""
    require(context, Permission.MEETINGS)
    with context.db.read() as session:
        meeting = find_meeting_row(session, meeting_reference)
        own = session.exec(select(MeetingAction).where(
            MeetingAction.meeting_id == meeting.id, live(MeetingAction))
            .order_by(col(MeetingAction.created_at))).all()
        carried = session.exec(select(MeetingAction).join(Meeting, col(Meeting.id) == MeetingAction.meeting_id)
                               .where(live(MeetingAction), is_false(MeetingAction.done),
                                      live(Meeting), Meeting.starts_at < meeting.starts_at)
                               .order_by(col(Meeting.starts_at), col(MeetingAction.created_at))).all()
        return _records(session, list(own) + list(carried), current_meeting_id=meeting.id)


def open_actions(context: AppContext) -> list[ActionRecord]:
    """Every action not done yet, oldest meeting first."""
    require(context, Permission.MEETINGS)
    with context.db.read() as session:
        rows = session.exec(select(MeetingAction).join(Meeting, col(Meeting.id) == MeetingAction.meeting_id)
                            .where(live(MeetingAction), is_false(MeetingAction.done))
                            .order_by(col(Meeting.starts_at), col(MeetingAction.created_at))).all()
        return _records(session, list(rows))


def overdue(action: ActionRecord, today: date) -> bool:
    return not action.done and action.due_on is not None and action.due_on < today


def owner_choices(context: AppContext) -> list[tuple[str, str]]:
    """(label, key) for every active volunteer, for owner pickers."""
    require(context, Permission.MEETINGS)
    with context.db.read() as session:
        rows = session.exec(select(Volunteer).where(live(Volunteer), is_true(Volunteer.active))
                            .order_by(Volunteer.name)).all()
        return [(f"{v.name} ({v.reference})", v.reference) for v in rows]
