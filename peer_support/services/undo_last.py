"""Undo and redo without a window: the last action of this laptop's user.

The app's undo stack lives in memory; the command line rebuilds the same
stack from the actions this laptop's user made (``action.undoes`` says which
action an undo reversed), so ``undo`` twice goes two steps back and ``redo``
comes forward again, and any new change clears what could be redone.
"""

from __future__ import annotations

from sqlmodel import col, func, select

from peer_support.context import AppContext
from peer_support.domain.changes import Saved
from peer_support.errors import NotFoundError
from peer_support.i18n import _
from peer_support.services.history import undo_action
from peer_support.storage.tables.core import Action, ChangeLog


def _stacks(context: AppContext) -> tuple[list[str], list[str], dict[str, tuple[str, str | None]]]:
    """(undoable action ids, redoable undo-action ids, id -> (description, undoes)), oldest first."""
    with context.db.read() as session:
        first_seq = func.min(ChangeLog.seq).label("first_seq")
        rows = session.exec(
            select(Action.id, Action.description, Action.undoes, first_seq)
            .join(ChangeLog, col(ChangeLog.action_id) == Action.id)
            .where(Action.device_id == context.db.device_id, ChangeLog.device_id == context.db.device_id,
                   Action.actor == context.actor())
            .group_by(Action.id).order_by(first_seq)).all()
    undo: list[str] = []
    redo: list[str] = []
    actions = {}
    for action_id, description, undoes, _seq in rows:
        actions[action_id] = (description, undoes)
        if undoes is None:
            undo.append(action_id)
            redo.clear()
        elif undoes in undo:
            undo.remove(undoes)
            redo.append(action_id)
        elif undoes in redo:
            redo.remove(undoes)
            undo.append(action_id)
    return undo, redo, actions


def _original(actions: dict, action_id: str) -> str:
    """The first description of an action that may be a redo of a redo."""
    description, undoes = actions[action_id]
    seen = 0
    while undoes is not None and undoes in actions and seen < 1000:
        description, undoes = actions[undoes]
        seen += 1
    return description


def undo_last(context: AppContext) -> Saved[str]:
    """Reverse this user's last action on this laptop (as a new logged action). The record is
    the description of the action undone, as it was first described (also after redo and undo).

    Raises NotFoundError when there is nothing to undo, ConflictError when the
    records changed since; commits.
    """
    undo, _redo, actions = _stacks(context)
    if not undo:
        raise NotFoundError(_("There is nothing to undo."))
    return Saved(_original(actions, undo[-1]), undo_action(context, undo[-1]).changes)


def redo_last(context: AppContext) -> Saved[str]:
    """Do again what the last undo took back. Raises NotFoundError, ConflictError; commits."""
    _undo, redo, actions = _stacks(context)
    if not redo:
        raise NotFoundError(_("There is nothing to redo."))
    return Saved(_original(actions, redo[-1]), undo_action(context, redo[-1]).changes)
