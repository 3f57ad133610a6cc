"""``meetings list|export-ics|register`` and ``cards``."""

from __future__ import annotations

from peer_support.cli.output import StderrProgress, print_table
from peer_support.domain.meetings import MeetingStatus, tag_label
from peer_support.i18n import _, ngettext
from peer_support.i18n.formatting import format_date, format_time
from peer_support.services.meeting_exports import export_family_cards, export_register, export_schedule_ics
from peer_support.services.meetings import list_meetings


def register(subparsers) -> None:
    meetings = subparsers.add_parser("meetings", help=_("list meetings and export the schedule or a register"),
                                     description=_("Monthly meetings: list them, export the schedule to a "
                                                   "calendar file, print a register."))
    commands = meetings.add_subparsers(dest="meetings_command", metavar=_("COMMAND"), required=True)

    listing = commands.add_parser("list", help=_("list meetings"))
    listing.add_argument("--upcoming", action="store_true", help=_("only meetings from today on"))
    listing.set_defaults(handler=run_list)

    ics = commands.add_parser("export-ics", help=_("write the schedule to an iCalendar (.ics) file"))
    ics.add_argument("file", metavar=_("FILE"))
    ics.add_argument("--upcoming", action="store_true", help=_("only meetings from today on"))
    ics.set_defaults(handler=run_export_ics)

    sheet = commands.add_parser("register", help=_("write a meeting's register as a PDF sign-in sheet or CSV"))
    sheet.add_argument("meeting", metavar=_("MEETING_REF"))
    sheet.add_argument("-o", "--output", required=True, metavar=_("FILE"),
                       help=_("a .pdf (sign-in sheet) or .csv file"))
    sheet.set_defaults(handler=run_register)

    cards = subparsers.add_parser("cards", help=_("print family cards with QR codes to a PDF"),
                                  description=_("Family cards with a QR code of the family reference, "
                                                "ten to an A4 page, for a quick sign-in at the door."))
    cards.add_argument("-o", "--output", required=True, metavar=_("FILE"))
    cards.add_argument("--family", action="append", metavar=_("REF"),
                       help=_("only this family (repeat for several); default: every current family"))
    cards.set_defaults(handler=run_cards)


def run_list(context, args) -> int:
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
    count = export_schedule_ics(context, args.file, upcoming_only=args.upcoming)
    print(ngettext("Wrote %(count)d meeting to %(path)s.", "Wrote %(count)d meetings to %(path)s.", count)
          % {"count": count, "path": args.file})
    return 0


def run_register(context, args) -> int:
    export_register(context, args.meeting, args.output)
    print(_("Wrote the register of %(meeting)s to %(path)s.") % {"meeting": args.meeting.upper(),
                                                                  "path": args.output})
    return 0


def run_cards(context, args) -> int:
    count = export_family_cards(context, args.output, args.family, progress=StderrProgress())
    print(ngettext("Wrote %(count)d family card to %(path)s.", "Wrote %(count)d family cards to %(path)s.",
                   count) % {"count": count, "path": args.output})
    return 0
