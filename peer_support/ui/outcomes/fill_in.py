"""A form on screen, for a parent at the laptop, in the language they choose."""

from __future__ import annotations

from PySide6.QtWidgets import (QButtonGroup, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox,
                               QHBoxLayout, QLabel, QLineEdit, QRadioButton, QScrollArea, QVBoxLayout, QWidget)

from peer_support.domain.outcomes import FORM_LANGUAGES, AnswerSheet, FormRecord, QuestionKind
from peer_support.errors import PeerSupportError
from peer_support.i18n import LANGUAGE_NAMES, _, translations_for
from peer_support.services import outcomes


class FillInDialog(QDialog):
    def __init__(self, context, form: FormRecord, meeting: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.form = form
        self._meeting = meeting
        self.saved = None
        self.setWindowTitle(_("Fill in “%(title)s”") % {"title": form.titles["en"]})
        self.language_combo = QComboBox()
        self.language_combo.setAccessibleName(_("Language of the form"))
        for code in FORM_LANGUAGES:
            self.language_combo.addItem(LANGUAGE_NAMES[code], code)
        self.language_combo.currentIndexChanged.connect(lambda _i: self._build())
        self.code_edit = QLineEdit()
        self.code_edit.setAccessibleName(_("Family code"))
        self.code_edit.setPlaceholderText(_("Optional: your family code, e.g. F0042"))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self._questions = QWidget()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._questions)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        top = QFormLayout()
        top.addRow(_("Language:"), self.language_combo)
        top.addRow(_("Family code:"), self.code_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(640, 560)
        self.groups: dict[str, QButtonGroup] = {}
        self.texts: dict[str, QLineEdit] = {}
        self._build()

    def _build(self) -> None:
        language = self.language_combo.currentData()
        words = translations_for(language)
        old = self._questions.layout()
        if old is not None:
            QWidget().setLayout(old)  # hands the old layout and its widgets to a throwaway parent
        layout = QVBoxLayout(self._questions)
        self.groups, self.texts = {}, {}
        for number, question in enumerate(self.form.questions, start=1):
            box = QGroupBox(f"{number}. {question.text(language)}")
            row = QHBoxLayout(box)
            if question.kind is QuestionKind.TEXT:
                edit = QLineEdit()
                edit.setAccessibleName(question.text(language))
                row.addWidget(edit)
                self.texts[question.id] = edit
            else:
                group = QButtonGroup(box)
                if question.kind is QuestionKind.RATING:
                    options = [(value, str(value)) for value in range(1, 6)]
                elif question.kind is QuestionKind.YES_NO:
                    options = [(1, words.pgettext("answer", "Yes")), (2, words.pgettext("answer", "No"))]
                else:
                    options = list(enumerate(question.choice_labels(language), start=1))
                for value, label in options:
                    button = QRadioButton(label)
                    button.setAccessibleName(f"{question.text(language)}: {label}")
                    group.addButton(button, value)
                    row.addWidget(button)
                row.addStretch(1)
                self.groups[question.id] = group
            layout.addWidget(box)
        layout.addStretch(1)

    def _save(self) -> None:
        answers: dict[str, int | str] = {qid: group.checkedId() for qid, group in self.groups.items()
                                         if group.checkedId() > 0}
        answers.update({qid: edit.text() for qid, edit in self.texts.items() if edit.text().strip()})
        sheet = AnswerSheet(self.code_edit.text().strip() or None, answers, self._meeting,
                            language=self.language_combo.currentData(), channel="screen")
        try:
            self.saved = outcomes.record_answers(self._context, self.form.reference, sheet)
        except PeerSupportError as exc:
            self.error.setText(exc.message)
            return
        self.accept()
