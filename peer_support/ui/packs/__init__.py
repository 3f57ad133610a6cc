"""The Packs area: batches, delivery runs, progress and scan mode."""

from __future__ import annotations


def create_page(context, undo_stack):
    from peer_support.ui.packs.page import PacksPage

    return PacksPage(context, undo_stack)
