"""``meetings list|plan|edit|attend|held|actions|export-ics|register`` and ``cards``."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from peer_support.cli.output import StderrProgress, print_table, with_examples
from peer_support.errors import NotFoundError, UsageError
from peer_support.i18n import _, ngettext

if TYPE_CHECKING:  # names used in annotations only
    from peer_support.domain.meetings import MeetingDraft


def register(subparsers) -> None:
    meetings = subparsers.add_parser("meetings",
                                     description=_("Monthly meetings: plan and edit them, take the register, "
                                                   "record actions, list them, export the schedule to a "
                                                   "calendar file, print a register."))
    with_examples(meetings, "meetings plan --date 2026-03-10 --time 18:00-19:30 --topic \"Sleep\"",
                  "meetings attend M2026-03 F0001 \"Anna Nowak\"", "meetings list --upcoming")
    commands = meetings.add_subparsers(dest="meetings_command", metavar=_("COMMAND"), required=True)

    listing = commands.add_parser("list", help=_("list meetings"))
    listing.add_argument("--upcoming", action="store_true", help=_("only meetings from today on"))
    listing.set_defaults(handler=run_list)
    with_examples(listing, "meetings list --upcoming")
    _register_jobs(commands)

    ics = commands.add_parser("export-ics", help=_("write the schedule to an iCalendar (.ics) file"))
    ics.add_argument("file", metavar=_("FILE"))
    ics.add_argument("--upcoming", action="store_true", help=_("only meetings from today on"))
    ics.set_defaults(handler=run_export_ics)
    with_examples(ics, "meetings export-ics meetings.ics --upcoming")

    sheet = commands.add_parser("register", help=_("write a meeting's register as a PDF sign-in sheet or CSV"))
    sheet.add_argument("meeting", metavar=_("MEETING_REF"))
    sheet.add_argument("-o", "--output", required=True, metavar=_("FILE"),
                       help=_("a .pdf (sign-in sheet) or .csv file"))
    sheet.set_defaults(handler=run_register)
    with_examples(sheet, "meetings register M2026-03 -o register.pdf")

    cards = subparsers.add_parser("cards",
                                  description=_("Family cards with a QR code of the family reference, "
                                                "ten to an A4 page, for a quick sign-in at the door."))
    cards.add_argument("-o", "--output", required=True, metavar=_("FILE"))
    cards.add_argument("--family", action="append", metavar=_("REF"),
                       help=_("only this family (repeat for several); default: every current family"))
    cards.set_defaults(handler=run_cards)
    with_examples(cards, "cards -o cards.pdf", "cards -o two.pdf --family F0001 --family F0002")


def run_list(context, args) -> int:
    from peer_support.domain.meetings import MeetingStatus, tag_label
    from peer_support.i18n.formatting import format_date, format_time

    from peer_support.services.meetings import list_meetings

    meetings = list_meetings(context, upcoming=True if args.upcoming else None)
    rows = []
    for meeting in meetings:
        status = meeting.status.label
        if meeting.status is MeetingStatus.CANCELLED and meeting.cancel_reason:
            status = _("%(status)s: %(reason)s") % {"status": status, "reason": meeting.cancel_reason}
        rows.append([meeting.reference, format_date(meeting.on),
                     f"{format_time(meeting.starts_at)}–{format_time(meeting.ends_at)}",
                     meeting.topic, ", ".join(tag_label(t) for t in meeting.tags), status,
                     meeting.present_count if meeting.status is MeetingStatus.HELD else ""])
    print_table([_("Ref."), _("Date"), _("Time"), _("Topic"), _("Themes"), _("Status"), _("Present")], rows)
    print(ngettext("%(count)d meeting.", "%(count)d meetings.", len(meetings)) % {"count": len(meetings)})
    return 0


def run_export_ics(context, args) -> int:
    from peer_support.services.meeting_exports import export_schedule_ics

    count = export_schedule_ics(context, args.file, upcoming_only=args.upcoming)
    print(ngettext("Wrote %(count)d meeting to %(path)s.", "Wrote %(count)d meetings to %(path)s.", count)
          % {"count": count, "path": args.file})
    return 0


def run_register(context, args) -> int:
    from peer_support.services.meeting_exports import export_register

    export_register(context, args.meeting, args.output)
    print(_("Wrote the register of %(meeting)s to %(path)s.") % {"meeting": args.meeting.upper(),
                                                                  "path": args.output})
    return 0


def run_cards(context, args) -> int:
    from peer_support.services.meeting_exports import export_family_cards

    count = export_family_cards(context, args.output, args.family, progress=StderrProgress())
    print(ngettext("Wrote %(count)d family card to %(path)s.", "Wrote %(count)d family cards to %(path)s.",
                   count) % {"count": count, "path": args.output})
    return 0


# -- planning, the register and actions --------------------------------------------------------
def _meeting_options(parser, planning: bool) -> None:
    parser.add_argument("--date", required=planning, metavar=_("DATE"), help=_("the day, e.g. 2026-03-10"))
    parser.add_argument("--time", metavar=_("TIME"),
                        help=_("start time, or start and end: 18:00 or 18:00-19:30 (default 18:00-19:30)"))
    parser.add_argument("--end", metavar=_("TIME"), help=_("end time, e.g. 19:30"))
    parser.add_argument("--topic", required=planning, metavar=_("TEXT"), help=_("the meeting's topic"))
    parser.add_argument("--venue", metavar=_("TEXT"), help=_("where it is held"))
    parser.add_argument("--link", dest="online_link", metavar=_("URL"), help=_("online meeting link"))
    parser.add_argument("--facilitator", metavar=_("NAME"), help=_("who leads it"))
    parser.add_argument("--agenda", metavar=_("TEXT"), help=_("the agenda"))
    parser.add_argument("--notes", metavar=_("TEXT"), help=_("notes"))
    parser.add_argument("--tags", metavar=_("LIST"),
                        help=_("Resilience Framework compartments, separated by commas "
                               "(basics, belonging, learning, coping, core self)"))


def _register_jobs(commands) -> None:
    plan = commands.add_parser("plan", help=_("plan a meeting"))
    _meeting_options(plan, planning=True)
    plan.set_defaults(handler=run_plan)
    with_examples(plan, "meetings plan --date 2026-03-10 --time 18:00-19:30 --topic \"Sleep\" "
                        "--venue \"Church hall\" --tags coping,belonging")

    edit = commands.add_parser("edit", help=_("change a meeting's details"),
                               description=_("Change only the details given; the rest stays as it is."))
    edit.add_argument("meeting", metavar=_("MEETING_REF"))
    _meeting_options(edit, planning=False)
    edit.set_defaults(handler=run_edit)
    with_examples(edit, "meetings edit M2026-03 --time 18:30 --venue \"Library\"")

    attend = commands.add_parser("attend", help=_("take the register: mark families present"),
                                 description=_("Mark families on a meeting's register, by reference or by "
                                               "name (the same search as the families list). Marking a "
                                               "family present makes a planned meeting held."))
    attend.add_argument("meeting", metavar=_("MEETING_REF"))
    attend.add_argument("families", nargs="+", metavar=_("FAMILY"), help=_("a family's reference or name"))
    mark = attend.add_mutually_exclusive_group()
    mark.add_argument("--absent", dest="mark", action="store_const", const="absent", help=_("mark absent"))
    mark.add_argument("--apologies", dest="mark", action="store_const", const="apologies",
                      help=_("mark as having sent apologies"))
    mark.add_argument("--clear", dest="mark", action="store_const", const="clear",
                      help=_("take the mark off"))
    attend.set_defaults(handler=run_attend, mark="present")
    with_examples(attend, "meetings attend M2026-03 F0001 F0002", "meetings attend M2026-03 \"Zofia Wojcik\"",
                  "meetings attend M2026-03 F0003 --apologies")

    held = commands.add_parser("held", help=_("mark a meeting as held (or planned again)"))
    held.add_argument("meeting", metavar=_("MEETING_REF"))
    held.add_argument("--reopen", action="store_true", help=_("set it back to planned"))
    held.set_defaults(handler=run_held)
    with_examples(held, "meetings held M2026-03", "meetings held M2026-03 --reopen")

    cancel = commands.add_parser("cancel", help=_("cancel a meeting, saying why"))
    cancel.add_argument("meeting", metavar=_("MEETING_REF"))
    cancel.add_argument("--reason", required=True, metavar=_("TEXT"), help=_("why it is cancelled"))
    cancel.set_defaults(handler=run_cancel)
    with_examples(cancel, "meetings cancel M2026-03 --reason \"Snow: the hall is closed\"")

    count = commands.add_parser("count", help=_("record walk-in guests and crèche children"))
    count.add_argument("meeting", metavar=_("MEETING_REF"))
    count.add_argument("--guests", type=int, metavar=_("COUNT"), help=_("walk-in guests"))
    count.add_argument("--creche", type=int, metavar=_("COUNT"), help=_("children in the crèche"))
    count.set_defaults(handler=run_count)
    with_examples(count, "meetings count M2026-03 --guests 4 --creche 6")

    actions = commands.add_parser("actions", help=_("list, add and tick off a meeting's actions"),
                                  description=_("A meeting's actions and the open ones carried forward from "
                                                "earlier meetings, numbered as listed."))
    actions.add_argument("meeting", metavar=_("MEETING_REF"))
    actions.add_argument("--add", metavar=_("TEXT"), help=_("add an action"))
    actions.add_argument("--owner", default="", metavar=_("WHO"),
                         help=_("who does it: a volunteer (V001 or name) or a family (F0001)"))
    actions.add_argument("--due", metavar=_("DATE"), help=_("when it is due"))
    actions.add_argument("--done", type=int, metavar=_("NUMBER"), help=_("tick off the action with this number"))
    actions.add_argument("--undone", type=int, metavar=_("NUMBER"), help=_("open the action with this number again"))
    actions.set_defaults(handler=run_actions)
    with_examples(actions, "meetings actions M2026-03",
                  "meetings actions M2026-03 --add \"Book the hall\" --owner V001 --due 2026-04-01",
                  "meetings actions M2026-03 --done 1")


def _span(args, draft: MeetingDraft) -> MeetingDraft:
    from peer_support.domain.meetings import parse_clock_time
    from peer_support.i18n.formatting import parse_date

    changes = {}
    if args.date is not None:
        changes["on"] = parse_date(args.date)
    if args.time is not None:
        start, dash, end = args.time.partition("-")
        changes["start"] = parse_clock_time(start)
        if dash:
            changes["end"] = parse_clock_time(end)
        elif args.end is None:  # keep the meeting's length
            length = (draft.end.hour * 60 + draft.end.minute) - (draft.start.hour * 60 + draft.start.minute)
            minutes = changes["start"].hour * 60 + changes["start"].minute + max(length, 0)
            if minutes < 24 * 60:
                changes["end"] = changes["start"].replace(hour=minutes // 60, minute=minutes % 60)
    if args.end is not None:
        changes["end"] = parse_clock_time(args.end)
    for field in ("topic", "venue", "online_link", "facilitator", "agenda", "notes"):
        if getattr(args, field) is not None:
            changes[field] = getattr(args, field)
    if args.tags is not None:
        changes["tags"] = tuple(t for t in args.tags.split(",") if t.strip())
    return replace(draft, **changes)


def _shown(record) -> str:
    from peer_support.i18n.formatting import format_date, format_time

    return _("%(reference)s on %(date)s, %(start)s–%(end)s: %(topic)s") % {
        "reference": record.reference, "date": format_date(record.on), "start": format_time(record.starts_at),
        "end": format_time(record.ends_at), "topic": record.topic}


def run_plan(context, args) -> int:
    from peer_support.domain.meetings import MeetingDraft
    from peer_support.i18n.formatting import parse_date

    from peer_support.services.meetings import create_meeting

    draft = _span(args, MeetingDraft(on=parse_date(args.date)))
    record = create_meeting(context, draft).record
    print(_("Planned meeting %(meeting)s.") % {"meeting": _shown(record)})
    return 0


def run_edit(context, args) -> int:
    from peer_support.services.meetings import get_meeting, update_meeting

    current = get_meeting(context, args.meeting)
    draft = _span(args, current.draft())
    if draft == current.draft():
        raise UsageError(_("Say what to change, for example --time or --topic (see '%(prog)s --help')")
                         % {"prog": "peer-support meetings edit"})
    record = update_meeting(context, current.reference, draft).record
    print(_("Saved meeting %(meeting)s.") % {"meeting": _shown(record)})
    return 0


def run_attend(context, args) -> int:
    from peer_support.domain.meetings import AttendanceStatus
    from peer_support.services.family_lookup import find_family
    from peer_support.services.meetings import get_meeting
    from peer_support.services.register import mark_many

    meeting = get_meeting(context, args.meeting)
    # Every name is looked up before anything is written: a typo marks nobody; the rest is one action.
    families = [find_family(context, text) for text in args.families]
    status = None if args.mark == "clear" else AttendanceStatus(args.mark)
    for entry in mark_many(context, meeting.reference, [f.reference for f in families], status).record:
        shown = entry.status.label if entry.status else _("not marked")
        print(_("%(meeting)s: %(reference)s %(name)s, %(status)s")
              % {"meeting": meeting.reference, "reference": entry.family_reference, "name": entry.family_name,
                 "status": shown})
    return 0


def run_held(context, args) -> int:
    from peer_support.domain.meetings import MeetingStatus

    from peer_support.services.meetings import set_meeting_status

    status = MeetingStatus.PLANNED if args.reopen else MeetingStatus.HELD
    record = set_meeting_status(context, args.meeting, status).record
    print(_("Meeting %(reference)s is now %(status)s.") % {"reference": record.reference,
                                                          "status": record.status.label})
    return 0


def run_cancel(context, args) -> int:
    from peer_support.domain.meetings import MeetingStatus
    from peer_support.services.meetings import set_meeting_status

    record = set_meeting_status(context, args.meeting, MeetingStatus.CANCELLED, args.reason).record
    print(_("Meeting %(reference)s is now %(status)s.") % {"reference": record.reference,
                                                          "status": record.status.label})
    return 0


def run_count(context, args) -> int:
    from peer_support.services.meetings import get_meeting, set_door_counts

    if args.guests is None and args.creche is None:
        raise UsageError(_("Give --guests, --creche or both (see '%(prog)s --help')")
                         % {"prog": "peer-support meetings count"})
    current = get_meeting(context, args.meeting)
    record = set_door_counts(context, current.reference,
                             current.walk_in_guests if args.guests is None else args.guests,
                             current.creche_children if args.creche is None else args.creche).record
    print(_("%(meeting)s: walk-in guests: %(guests)d, children in the crèche: %(children)d.")
          % {"meeting": record.reference, "guests": record.walk_in_guests, "children": record.creche_children})
    return 0


def run_actions(context, args) -> int:
    from peer_support.domain.meetings import ActionDraft
    from peer_support.i18n.formatting import format_date, parse_date

    from peer_support.services import actions as service
    from peer_support.services.meetings import get_meeting

    meeting = get_meeting(context, args.meeting)
    if args.add is None and (args.owner or args.due):
        raise UsageError(_("--owner and --due go with --add (see '%(prog)s --help')")
                         % {"prog": "peer-support meetings actions"})
    if args.add is not None:
        due = parse_date(args.due) if args.due else None
        record = service.add_action(context, meeting.reference, ActionDraft(args.add, args.owner, due)).record
        print(_("Added action: %(action)s") % {"action": record.description})
    for number, done in ((args.done, True), (args.undone, False)):
        if number is None:
            continue
        listed = service.actions_for_meeting(context, meeting.reference)
        if not 1 <= number <= len(listed):
            raise NotFoundError(_("Meeting %(meeting)s has no action number %(number)d.")
                                % {"meeting": meeting.reference, "number": number})
        record = service.set_action_done(context, listed[number - 1].id, done).record
        message = _("Done: %(action)s") if done else _("Open again: %(action)s")
        print(message % {"action": record.description})
    rows = []
    for number, action in enumerate(service.actions_for_meeting(context, meeting.reference), 1):
        rows.append([number, action.description, action.owner,
                     format_date(action.due_on) if action.due_on else "",
                     _("done") if action.done else (_("from %(meeting)s") % {"meeting": action.meeting_reference}
                                                    if action.carried_forward else _("open"))])
    print_table([_("No."), _("Action"), _("Who"), _("Due"), _("State")], rows)
    return 0
