"""Data and privacy: backups and restore, a family's data, users and audit log, encryption and lock."""

from __future__ import annotations


def create_page(context, undo_stack):
    from peer_support.ui.trust.page import TrustPage

    return TrustPage(context, undo_stack)
