"""Merge two records of one household: choose which to keep, see what moves, confirm."""

from __future__ import annotations

from PySide6.QtWidgets import (QButtonGroup, QDialog, QDialogButtonBox, QGroupBox, QLabel, QRadioButton,
                               QVBoxLayout, QWidget)

from peer_support.context import AppContext
from peer_support.domain.changes import Saved
from peer_support.domain.families import FamilyRecord
from peer_support.i18n import _, ngettext
from peer_support.services.families import get_family
from peer_support.services.families_merge import MergeResult, merge_families, merge_preview
from peer_support.ui.ops import run_change


def _summary(record: FamilyRecord) -> str:
    lines = [f"{record.reference}  {record.name}", record.postcode, record.phone, record.email,
             ngettext("%(count)d other member", "%(count)d other members", len(record.members))
             % {"count": len(record.members)}]
    return "\n".join(line for line in lines if line)


class MergeDialog(QDialog):
    """Merges on the button (one undoable step on ``undo_stack``, announced to the pages);
    ``saved`` holds what the merge saved."""

    def __init__(self, context: AppContext, first: str, second: str, parent: QWidget | None = None,
                 undo_stack=None) -> None:
        super().__init__(parent)
        self._context = context
        self._undo_stack = undo_stack
        self.saved: Saved[MergeResult] | None = None
        self.description = ""
        self.setWindowTitle(_("Merge two family records"))
        self._records = [get_family(context, first), get_family(context, second)]
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_("Which record should stay? Everything of the other one (meetings, "
                                  "applications, payments, packs, members) moves to it, and the other "
                                  "record is removed. Undo takes it all back.")))
        self.choice = QButtonGroup(self)
        for number, record in enumerate(self._records):
            box = QGroupBox()
            inner = QVBoxLayout(box)
            radio = QRadioButton(_("Keep %(reference)s") % {"reference": record.reference})
            radio.setObjectName(f"keep_{number}")
            self.choice.addButton(radio, number)
            inner.addWidget(radio)
            inner.addWidget(QLabel(_summary(record)))
            layout.addWidget(box)
        self.choice.button(0).setChecked(True)
        self.moves = QLabel()
        self.moves.setWordWrap(True)
        layout.addWidget(self.moves)
        self.choice.idToggled.connect(lambda _id, checked: checked and self._update_moves())
        buttons = QDialogButtonBox()
        self.merge_button = buttons.addButton(_("Merge"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.merge_button.setObjectName("merge")
        buttons.addButton(_("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._on_merge_clicked)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._update_moves()

    def _pair(self) -> tuple[FamilyRecord, FamilyRecord]:
        keep = self.choice.checkedId()
        return self._records[keep], self._records[1 - keep]

    def _update_moves(self) -> None:
        keep, merge = self._pair()
        counts = merge_preview(self._context, keep.reference, merge.reference)
        total = sum(counts.values())
        self.moves.setText(ngettext("%(count)d record of %(merged)s moves to %(kept)s.",
                                    "%(count)d records of %(merged)s move to %(kept)s.", total)
                           % {"count": total, "merged": merge.reference, "kept": keep.reference})

    def _on_merge_clicked(self) -> None:
        keep, merge = self._pair()
        description = _("Merge family %(merged)s into %(kept)s") % {"merged": merge.reference,
                                                                     "kept": keep.reference}
        saved = run_change(self, self._context, self._undo_stack,
                           lambda: merge_families(self._context, keep.reference, merge.reference), description)
        if saved is None:
            return
        self.saved, self.description = saved, description
        self.accept()
