"""Sync: the shared folder, Sync now, conflicts; and the status-bar button."""

from peer_support.ui.sync.page import SyncPage
from peer_support.ui.sync.status import install_status_widget

__all__ = ["create_page", "install_status_widget"]


def create_page(context, undo_stack):
    return SyncPage(context, undo_stack)
