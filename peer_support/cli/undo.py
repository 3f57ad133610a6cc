"""``undo`` and ``redo``: the last action of this laptop's user."""

from __future__ import annotations

from peer_support.cli.output import with_examples
from peer_support.i18n import _


def register(subparsers) -> None:
    undo = subparsers.add_parser("undo",
                                 description=_("Undo the last change made by this laptop's user (from the "
                                               "app or a command). Undoing is itself a logged change that "
                                               "syncs to the other laptops."))
    undo.set_defaults(handler=run_undo)
    with_examples(undo, "undo", "redo")
    redo = subparsers.add_parser("redo")
    redo.set_defaults(handler=run_redo)
    with_examples(redo, "redo")


def run_undo(context, args) -> int:
    from peer_support.services.undo_last import undo_last

    print(_("Undone: %(action)s") % {"action": undo_last(context).record})
    return 0


def run_redo(context, args) -> int:
    from peer_support.services.undo_last import redo_last

    print(_("Redone: %(action)s") % {"action": redo_last(context).record})
    return 0
