"""Typing in returned paper forms, keyboard only: code (scan or type), keys, Enter.

The code field takes a USB scanner's burst (it types the card's code and Enter);
Enter there moves to the keys. One digit per numbered question, 0 for a blank
one; Enter saves, says what was saved, clears and returns to the code field.
An empty code saves an anonymous form.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget, QPushButton,
                               QStyle, QVBoxLayout, QWidget)

from peer_support.domain.outcomes import FormRecord, QuestionKind, feedback_description
from peer_support.errors import PeerSupportError
from peer_support.i18n import _, current_language, ngettext
from peer_support.services import outcomes
from peer_support.ui.ops import announce


def key_hint(form: FormRecord) -> str:
    """What each key means, question by question, in the UI language."""
    language = current_language()
    lines = []
    for number, question in enumerate(form.keyed_questions, start=1):
        if question.kind is QuestionKind.RATING:
            meaning = _("1–5")
        elif question.kind is QuestionKind.YES_NO:
            meaning = _("1 yes, 2 no")
        else:
            meaning = ", ".join(f"{key} {label}" for key, label in
                                enumerate(question.choice_labels(language), start=1))
        lines.append(_("%(number)d. %(question)s — %(keys)s")
                     % {"number": number, "question": question.text(language), "keys": meaning})
    return "\n".join(lines)


class EntryPanel(QWidget):
    def __init__(self, context, undo_stack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._undo_stack = undo_stack
        self.form: FormRecord | None = None

        self.meeting_combo = QComboBox()
        self.meeting_combo.setObjectName("entry_meeting")
        self.meeting_combo.setAccessibleName(_("Meeting the forms were handed in at"))
        self._meeting_chosen = False
        self.meeting_combo.activated.connect(lambda _i: setattr(self, "_meeting_chosen", True))
        self.code_edit = QLineEdit()
        self.code_edit.setObjectName("entry_code")
        self.code_edit.setPlaceholderText(_("Scan or type the family code; empty for an anonymous form"))
        self.code_edit.setAccessibleName(_("Family code"))
        self.code_edit.returnPressed.connect(self._on_code_entered)
        self.keys_edit = QLineEdit()
        self.keys_edit.setObjectName("entry_keys")
        self.keys_edit.setPlaceholderText(_("One digit per numbered question, 0 if blank"))
        self.keys_edit.setAccessibleName(_("Answers, one digit per question"))
        self.keys_edit.returnPressed.connect(self.save)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text_form = QFormLayout()
        self.text_edits: list[QLineEdit] = []
        self.save_button = QPushButton(_("Save form (Enter)"))
        self.save_button.setObjectName("entry_save")
        self.save_button.clicked.connect(self.save)
        self.feedback = QLabel()
        self.feedback.setObjectName("entry_feedback")
        self.feedback.setWordWrap(True)
        self.feedback.setAccessibleName(_("What happened"))
        self.icon = QLabel()
        self.recent = QListWidget()
        self.recent.setObjectName("entry_recent")
        self.recent.setAccessibleName(_("Forms saved in this session"))

        fields = QFormLayout()
        fields.addRow(_("Meeting:"), self.meeting_combo)
        fields.addRow(_("Family code:"), self.code_edit)
        fields.addRow(_("Answers:"), self.keys_edit)
        feedback_row = QHBoxLayout()
        feedback_row.addWidget(self.icon)
        feedback_row.addWidget(self.feedback, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(fields)
        layout.addWidget(self.hint)
        layout.addLayout(self.text_form)
        layout.addWidget(self.save_button, alignment=Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(feedback_row)
        layout.addWidget(QLabel(_("Saved in this session:")))
        layout.addWidget(self.recent, 1)

    def set_form(self, form: FormRecord | None, meetings: list[tuple[str, str]]) -> None:
        """Show ``form``'s questions; ``meetings`` are (reference, label), newest first."""
        self.form = form
        current = self.meeting_combo.currentData()
        self.meeting_combo.clear()
        self.meeting_combo.addItem(_("No meeting"), None)
        for reference, label in meetings:
            self.meeting_combo.addItem(label, reference)
        if self._meeting_chosen:
            self.meeting_combo.setCurrentIndex(max(0, self.meeting_combo.findData(current)))
        else:  # at first, the latest meeting: forms are usually typed in the day after
            self.meeting_combo.setCurrentIndex(min(1, self.meeting_combo.count() - 1))
        while self.text_form.rowCount():
            self.text_form.removeRow(0)
        self.text_edits = []
        if form is None:
            self.hint.setText(_("Choose a form."))
            return
        self.hint.setText(key_hint(form))
        for question in form.text_questions:
            edit = QLineEdit()
            edit.setAccessibleName(question.text(current_language()))
            edit.returnPressed.connect(self.save)
            self.text_edits.append(edit)
            self.text_form.addRow(QLabel(question.text(current_language())), edit)
        self.keys_edit.setMaxLength(len(form.keyed_questions))
        # Tab goes from the keys to the written answers, then to Save (they are created after it).
        chain = [self.keys_edit, *self.text_edits, self.save_button]
        for first, second in zip(chain, chain[1:]):
            self.setTabOrder(first, second)

    def _on_code_entered(self) -> None:
        self.keys_edit.setFocus()
        self.keys_edit.selectAll()

    def _say(self, text: str, ok: bool) -> None:
        icon = QStyle.StandardPixmap.SP_DialogApplyButton if ok else QStyle.StandardPixmap.SP_MessageBoxWarning
        self.icon.setPixmap(self.style().standardIcon(icon).pixmap(20, 20))
        self.feedback.setText(text)

    def save(self) -> None:
        if self.form is None:
            return
        form = self.form
        code = self.code_edit.text().strip() or None
        texts = [edit.text() for edit in self.text_edits]
        try:
            saved = outcomes.record_keyed(self._context, form.reference, code, self.keys_edit.text(), texts,
                                          meeting_reference=self.meeting_combo.currentData())
        except PeerSupportError as exc:
            self._say(exc.message, ok=False)
            self.keys_edit.setFocus()
            return
        record = saved.record
        who = record.family_reference or _("anonymous")
        text = ngettext("Saved for %(who)s: %(count)d answer.", "Saved for %(who)s: %(count)d answers.",
                        len(record.answers)) % {"who": who, "count": len(record.answers)}
        announce(self._context, self._undo_stack, saved.changes,
                 feedback_description(form.reference, record.family_reference))
        self._say(text, ok=True)
        self.recent.insertItem(0, text)
        self.code_edit.clear()
        self.keys_edit.clear()
        for edit in self.text_edits:
            edit.clear()
        self.code_edit.setFocus()
