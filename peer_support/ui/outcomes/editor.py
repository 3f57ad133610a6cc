"""Build or edit a form: title and questions in English, with Danish, German and Polish versions.

Which languages still lack wording is shown as the lead types, so a form is
never printed for a Polish family with English questions by surprise.
"""

from __future__ import annotations

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGridLayout,
                               QHBoxLayout, QLabel, QLineEdit, QListWidget, QPlainTextEdit, QPushButton,
                               QTabWidget, QVBoxLayout, QWidget)

from peer_support.domain.outcomes import (COMPARTMENTS, FORM_LANGUAGES, LANGUAGE_LABELS, FormDraft, FormRecord,
                                          QuestionDraft, QuestionKind, compartment_label, missing_languages)
from peer_support.errors import PeerSupportError
from peer_support.i18n import LANGUAGE_NAMES, _


def _blank_question() -> QuestionDraft:
    return QuestionDraft(QuestionKind.RATING, "belonging", {"en": ""})


class FormEditorDialog(QDialog):
    """Returns a FormDraft through ``draft()`` once accepted; ``save`` is the service call."""

    def __init__(self, form: FormRecord | None, save, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._save = save
        self.saved = None
        self.setWindowTitle(_("Edit feedback form") if form else _("New feedback form"))
        draft = form.as_draft() if form else FormDraft({"en": ""}, False, (_blank_question(),))
        self.questions: list[QuestionDraft] = list(draft.questions)
        self._current = -1

        self.title_edits: dict[str, QLineEdit] = {}
        titles = QGridLayout()
        for row, code in enumerate(FORM_LANGUAGES):
            edit = QLineEdit(draft.titles.get(code, ""))
            edit.setAccessibleName(_("Title in %(language)s") % {"language": _(LANGUAGE_LABELS[code])})
            edit.textChanged.connect(self._update_missing)
            self.title_edits[code] = edit
            titles.addWidget(QLabel(LANGUAGE_NAMES[code]), row, 0)
            titles.addWidget(edit, row, 1)
        self.repeated = QCheckBox(_("Asked again over time (a check-in): show the change per family"))
        self.repeated.setChecked(draft.repeated)

        self.question_list = QListWidget()
        self.question_list.setAccessibleName(_("Questions"))
        self.question_list.currentRowChanged.connect(self._show_question)
        add, remove, up, down = (QPushButton(text) for text in
                                 (_("Add question"), _("Remove"), _("Move up"), _("Move down")))
        add.clicked.connect(self._add)
        remove.clicked.connect(self._remove)
        up.clicked.connect(lambda: self._move(-1))
        down.clicked.connect(lambda: self._move(1))
        list_buttons = QHBoxLayout()
        for button in (add, remove, up, down):
            list_buttons.addWidget(button)

        self.kind_combo = QComboBox()
        self.kind_combo.setAccessibleName(_("Kind of question"))
        for kind in QuestionKind:
            self.kind_combo.addItem(kind.label, kind.value)
        self.compartment_combo = QComboBox()
        self.compartment_combo.setAccessibleName(_("Resilience Framework compartment"))
        for key in COMPARTMENTS:
            self.compartment_combo.addItem(compartment_label(key), key)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.language_tabs = QTabWidget()
        self.text_edits: dict[str, QLineEdit] = {}
        self.choice_edits: dict[str, QPlainTextEdit] = {}
        for code in FORM_LANGUAGES:
            page = QWidget()
            form_layout = QFormLayout(page)
            text = QLineEdit()
            text.setAccessibleName(_("Question in %(language)s") % {"language": _(LANGUAGE_LABELS[code])})
            choices = QPlainTextEdit()
            choices.setAccessibleName(_("Choices in %(language)s, one per line") % {"language": _(LANGUAGE_LABELS[code])})
            choices.setMaximumHeight(90)
            choices.setTabChangesFocus(True)  # Tab moves on: keyboard users are never trapped
            text.textChanged.connect(self._store)
            choices.textChanged.connect(self._store)
            form_layout.addRow(_("Question:"), text)
            form_layout.addRow(_("Choices, one per line:"), choices)
            self.text_edits[code] = text
            self.choice_edits[code] = choices
            self.language_tabs.addTab(page, LANGUAGE_NAMES[code])
        details = QFormLayout()
        details.addRow(_("Kind:"), self.kind_combo)
        details.addRow(_("Compartment:"), self.compartment_combo)
        self.compartment_combo.currentIndexChanged.connect(self._store)

        self.missing = QLabel()
        self.missing.setObjectName("missing_languages")
        self.missing.setWordWrap(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._on_save)
        buttons.rejected.connect(self.reject)

        columns = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(self.question_list, 1)
        left.addLayout(list_buttons)
        right = QVBoxLayout()
        right.addLayout(details)
        right.addWidget(self.language_tabs)
        columns.addLayout(left, 2)
        columns.addLayout(right, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(titles)
        layout.addWidget(self.repeated)
        layout.addLayout(columns, 1)
        layout.addWidget(self.missing)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(900, 560)
        self._refill_list(0)

    # -- the question being edited -------------------------------------------------------------
    def _refill_list(self, select: int) -> None:
        self._current = -1
        self.question_list.clear()
        for number, question in enumerate(self.questions, start=1):
            self.question_list.addItem(f"{number}. {question.texts.get('en', '') or _('(no wording yet)')}")
        self.question_list.setCurrentRow(min(select, len(self.questions) - 1))
        self._update_missing()

    def _show_question(self, row: int) -> None:
        self._current = -1  # no storing while the fields are filled
        if 0 <= row < len(self.questions):
            question = self.questions[row]
            self.kind_combo.setCurrentIndex(self.kind_combo.findData(question.kind.value))
            self.compartment_combo.setCurrentIndex(self.compartment_combo.findData(question.compartment))
            for code in FORM_LANGUAGES:
                self.text_edits[code].setText(question.texts.get(code, ""))
                self.choice_edits[code].setPlainText("\n".join(question.choices.get(code, ())))
            self._kind_changed()
        self._current = row

    def _kind_changed(self, _index: int = 0) -> None:
        is_choice = self.kind_combo.currentData() == QuestionKind.CHOICE.value
        for edit in self.choice_edits.values():
            edit.setEnabled(is_choice)
        self._store()

    def _store(self, *_args) -> None:
        row = self._current
        if not 0 <= row < len(self.questions):
            return
        kind = QuestionKind(self.kind_combo.currentData())
        choices = ({code: tuple(line.strip() for line in edit.toPlainText().splitlines() if line.strip())
                    for code, edit in self.choice_edits.items()} if kind is QuestionKind.CHOICE else {})
        self.questions[row] = QuestionDraft(kind, self.compartment_combo.currentData(),
                                            {code: edit.text() for code, edit in self.text_edits.items()},
                                            {code: values for code, values in choices.items() if values})
        item = self.question_list.item(row)
        if item is not None:
            item.setText(f"{row + 1}. {self.questions[row].texts.get('en', '') or _('(no wording yet)')}")
        self._update_missing()

    def _add(self) -> None:
        self.questions.append(_blank_question())
        self._refill_list(len(self.questions) - 1)
        self.text_edits["en"].setFocus()

    def _remove(self) -> None:
        row = self.question_list.currentRow()
        if 0 <= row < len(self.questions) and len(self.questions) > 1:
            del self.questions[row]
            self._refill_list(row)

    def _move(self, step: int) -> None:
        row = self.question_list.currentRow()
        target = row + step
        if 0 <= row < len(self.questions) and 0 <= target < len(self.questions):
            self.questions[row], self.questions[target] = self.questions[target], self.questions[row]
            self._refill_list(target)

    # -- the whole form --------------------------------------------------------------------------
    def draft(self) -> FormDraft:
        return FormDraft({code: edit.text() for code, edit in self.title_edits.items()},
                         self.repeated.isChecked(), tuple(self.questions))

    def _update_missing(self, *_args) -> None:
        missing = missing_languages(self.draft())
        if missing:
            names = ", ".join(LANGUAGE_NAMES[code] for code in missing)
            self.missing.setText(_("Still to translate: %(languages)s. Families with these languages get "
                                   "the English wording where it is missing.") % {"languages": names})
        else:
            self.missing.setText(_("Every question is written in all four languages."))

    def _on_save(self) -> None:
        try:
            self.saved = self._save(self.draft())
        except PeerSupportError as exc:
            self.error.setText(exc.message)
            return
        self.accept()
