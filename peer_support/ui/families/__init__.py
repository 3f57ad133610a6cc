"""Families and volunteers: the register, its form, import, export and merge."""

from peer_support.ui.families.page import FamiliesPage


def create_page(context, undo_stack):
    return FamiliesPage(context, undo_stack)
