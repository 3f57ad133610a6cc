"""The one path of a change in the GUI (in the spirit of Anki's CollectionOp).

A widget hands ``run_change`` a service call that returns ``Saved(record,
changes)``. On success the action goes on the undo stack and every page hears
which kinds of data changed (``signals.data_changed``); a PeerSupportError is
shown and nothing was changed. Pages reload only for the kinds they show
(``SHOWS``: the main window filters).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from PySide6.QtWidgets import QWidget

from peer_support.context import AppContext
from peer_support.domain.changes import Changes, Kind, Saved
from peer_support.errors import PeerSupportError
from peer_support.ui.errors import show_error
from peer_support.ui.signals import signals
from peer_support.ui.undo import ActionCommand

T = TypeVar("T")


def run_change(parent: QWidget | None, context: AppContext, undo_stack, call: Callable[[], Saved[T]],
               text: str) -> Saved[T] | None:
    """Run ``call``; on success make it one undoable step called ``text`` and announce it.

    Returns what the service saved, or None after showing the error.
    """
    try:
        saved = call()
    except PeerSupportError as exc:
        show_error(parent, exc)
        return None
    announce(context, undo_stack, saved.changes, text)
    return saved


def announce(context: AppContext, undo_stack, changes: Changes | None, text: str,
             command: ActionCommand | None = None) -> ActionCommand | None:
    """After a committed action: push it for undo (``command``, or a plain ActionCommand),
    tell every page, say it in the status bar. Returns the undo command pushed. An action
    that changed nothing is not announced."""
    if changes is None or not changes.rows:
        return None
    command = command or ActionCommand(context, changes, text)
    if undo_stack is not None:
        undo_stack.push(command)
    data_changed(changes.kinds)
    signals.status_message.emit(text)
    return command


def data_changed(kinds: Iterable[Kind]) -> None:
    """Tell the pages these kinds of data changed without an undoable step of this window
    (sync brought changes, a batch was made, a restore replaced everything)."""
    signals.data_changed.emit(frozenset(kinds))
