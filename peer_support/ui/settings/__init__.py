"""Settings: group details and this laptop's language."""

from peer_support.ui.settings.page import SettingsPage


def create_page(context, undo_stack):
    return SettingsPage(context, undo_stack)
