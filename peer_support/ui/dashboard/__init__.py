"""Dashboard: the week's to-dos as cards, and charts of how the group is doing."""

from peer_support.ui.dashboard.page import DashboardPage


def create_page(context, undo_stack):
    return DashboardPage(context, undo_stack)
