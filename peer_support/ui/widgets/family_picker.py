"""A family field with suggestions from the one family search (services.families_search).

Qt's own completer filtering compares letters as typed, so "kaminski" would not
offer Kamiński; here each edit asks ``find_families`` (folded: accents, ø/oe,
ł, ß; reference, name, members, postcode, phone) and shows its answers as they are.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QCompleter, QLineEdit

from peer_support.errors import PeerSupportError
from peer_support.services.families_search import find_families

SUGGESTIONS = 20
_REFERENCE = re.compile(r"F\d+", re.IGNORECASE)


def attach_family_picker(edit: QLineEdit, context) -> QCompleter:
    model = QStringListModel(edit)
    completer = QCompleter(model, edit)
    completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    edit.setCompleter(completer)

    def suggest(text: str) -> None:
        try:
            rows = find_families(context, text, limit=SUGGESTIONS)
        except PeerSupportError:
            rows = []
        model.setStringList([f"{row.reference} {row.name}" for row in rows])
        if rows:
            completer.complete()

    edit.textEdited.connect(suggest)
    return completer


def picked_reference(context, text: str) -> str:
    """The family reference in a picker's text: its first word when that is a reference, else the
    one family the text finds; the text itself when it finds none or several (the service then
    says so)."""
    text = text.strip()
    first = text.split(" ")[0] if text else ""
    if _REFERENCE.fullmatch(first):
        return first.upper()
    rows = find_families(context, text, limit=2) if text else []
    return rows[0].reference if len(rows) == 1 else text
