"""The app's undo stack holds whole user actions, undone through the change log."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from peer_support.context import AppContext
from peer_support.domain.changes import Changes
from peer_support.ui.errors import show_error
from peer_support.ui.signals import signals


class ActionCommand(QUndoCommand):
    """A committed action. Its first redo (on push) does nothing: it already happened."""

    def __init__(self, context: AppContext, changes: Changes, text: str) -> None:
        super().__init__(text)
        self._context = context
        self._current = changes
        self._pushed = False

    def _reverse(self) -> None:
        from peer_support.services.history import undo_action  # the data layer loads after the first paint

        try:
            self._current = undo_action(self._context, self._current.action_id).changes
        except Exception as exc:  # noqa: BLE001 - shown to the user, stack made obsolete
            self.setObsolete(True)
            show_error(None, exc)
            return
        signals.data_changed.emit(frozenset(self._current.kinds))

    def redo(self) -> None:
        if not self._pushed:
            self._pushed = True
            return
        self._reverse()

    def undo(self) -> None:
        self._reverse()
