"""Questions asked before something is lost: one look and one wording everywhere.

`confirm` guards a destructive action (it says how many things it touches);
`settle_unsaved` is the one unsaved-edits pattern: before another record, another
page or quitting replaces typed text, the user chooses Save, Discard or Cancel.
Both build the box and call ``exec()`` (never the static helpers), so tests can
answer them.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget

from peer_support.i18n import _

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


def confirm(parent: QWidget | None, title: str, text: str, action: str) -> bool:
    """True when the user pressed the `action` button; Escape, Enter-by-default and closing cancel."""
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=parent)
    yes = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    no = box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no)  # a second slip of the Enter key changes nothing
    box.setEscapeButton(no)
    box.exec()
    return box.clickedButton() is yes


def ask_unsaved(parent: QWidget | None, text: str) -> str:
    """SAVE, DISCARD or CANCEL for edits that are not saved yet."""
    box = QMessageBox(QMessageBox.Icon.Question, _("Unsaved changes"), text, parent=parent)
    save = box.addButton(_("Save"), QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(_("Discard changes"), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    return SAVE if clicked is save else DISCARD if clicked is discard else CANCEL


def settle_unsaved(parent: QWidget | None, dirty: bool, text: str, save: Callable[[], bool],
                   discard: Callable[[], None] | None = None) -> bool:
    """True when it is fine to move on: nothing unsaved, saved now, or discarded on purpose."""
    if not dirty:
        return True
    answer = ask_unsaved(parent, text)
    if answer == SAVE:
        return bool(save())
    if answer == DISCARD:
        if discard is not None:
            discard()
        return True
    return False
