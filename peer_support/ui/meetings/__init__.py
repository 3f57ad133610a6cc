"""Meetings: plan the year, take the register at the door, follow up actions."""


def create_page(context, undo_stack):
    from peer_support.ui.meetings.page import MeetingsPage

    return MeetingsPage(context, undo_stack)
