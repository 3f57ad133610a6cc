"""The Feedback page through real widgets: keyboard-only entry, the on-screen form, the editor,
printing tonight's stack, and results."""

from __future__ import annotations

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from peer_support.domain.outcomes import QuestionKind
from peer_support.services import outcomes
from peer_support.ui.outcomes import create_page
from peer_support.ui.outcomes.editor import FormEditorDialog
from peer_support.ui.outcomes.fill_in import FillInDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot, sample_context):
    stack = QUndoStack()
    widget = create_page(sample_context, stack)
    widget.undo_stack = stack
    qtbot.addWidget(widget)
    widget.resize(1280, 680)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _responses(context, reference="Q01") -> int:
    return outcomes.form_results(context, reference).responses


def test_a_returned_form_is_typed_in_with_the_keyboard_only(qtbot, page, sample_context):
    page.form_combo.setCurrentIndex(page.form_combo.findData("Q01"))
    page.tabs.setCurrentWidget(page.entry)
    entry = page.entry
    assert entry.code_edit.hasFocus()
    before = _responses(sample_context)
    qtbot.keyClicks(entry.code_edit, "F0001")
    qtbot.keyClick(entry.code_edit, Qt.Key.Key_Return)  # a scanner ends its burst with Enter
    assert entry.keys_edit.hasFocus()
    qtbot.keyClicks(entry.keys_edit, "41")
    qtbot.keyClick(entry.keys_edit, Qt.Key.Key_Tab)
    qtbot.keyClicks(QApplication.focusWidget(), "More about exams")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert _responses(sample_context) == before + 1
    assert "F0001" in entry.feedback.text() and "3 answers" in entry.feedback.text()
    assert entry.code_edit.hasFocus() and entry.code_edit.text() == "" and entry.keys_edit.text() == ""
    assert entry.recent.count() == 1 and page.undo_stack.count() == 1
    # an anonymous form: no code, straight to the keys
    qtbot.keyClick(entry.code_edit, Qt.Key.Key_Return)
    qtbot.keyClicks(entry.keys_edit, "52")
    qtbot.keyClick(entry.keys_edit, Qt.Key.Key_Return)
    assert _responses(sample_context) == before + 2 and "anonymous" in entry.feedback.text()
    page.undo_stack.undo()
    assert _responses(sample_context) == before + 1


def test_bad_keys_say_why_keep_the_entry_and_save_nothing(qtbot, page, sample_context):
    page.form_combo.setCurrentIndex(page.form_combo.findData("Q01"))
    entry = page.entry
    before = _responses(sample_context)
    entry.code_edit.setText("F0001")
    entry.keys_edit.setFocus()
    qtbot.keyClicks(entry.keys_edit, "93")
    qtbot.keyClick(entry.keys_edit, Qt.Key.Key_Return)
    assert _responses(sample_context) == before
    assert "from 1 to 5" in entry.feedback.text()
    assert entry.code_edit.text() == "F0001" and entry.keys_edit.text() == "93" and entry.keys_edit.hasFocus()


def test_a_parent_fills_the_form_in_on_screen_in_polish(qtbot, sample_context):
    outcomes.add_ready_made_forms(sample_context)
    form = outcomes.get_form(sample_context, "Q01")
    dialog = FillInDialog(sample_context, form, None)
    qtbot.addWidget(dialog)
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("pl"))
    rating, welcome = (dialog.groups[q.id] for q in form.questions if q.kind is not QuestionKind.TEXT)
    rating.button(5).click()
    welcome.button(1).click()
    assert welcome.button(1).text() == "Tak"
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.saved is not None and dialog.saved.record.family_reference is None
    assert ("Jak przydatne było dla Ciebie dzisiejsze spotkanie?", "5") in dialog.saved.record.answers


def test_a_lead_builds_a_form_and_sees_which_languages_are_missing(qtbot, sample_context):
    dialog = FormEditorDialog(None, lambda draft: outcomes.create_form(sample_context, draft))
    qtbot.addWidget(dialog)
    dialog.title_edits["en"].setText("Coffee morning")
    dialog.text_edits["en"].setText("Did you enjoy the coffee morning?")
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(QuestionKind.YES_NO.value))
    assert "Dansk" in dialog.missing.text() and "Polski" in dialog.missing.text()
    for code, title in (("da", "Kaffemorgen"), ("de", "Kaffeemorgen"), ("pl", "Poranna kawa")):
        dialog.title_edits[code].setText(title)
        dialog.text_edits[code].setText(f"{title}?")
    assert "all four languages" in dialog.missing.text()
    dialog._add()
    dialog.text_edits["en"].setText("Which day suits you?")
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(QuestionKind.CHOICE.value))
    dialog.choice_edits["en"].setPlainText("Saturday\nSunday")
    assert "Dansk" in dialog.missing.text()
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    saved = dialog.saved.record
    assert saved.reference == "Q03" and [q.kind for q in saved.questions] == [QuestionKind.YES_NO, QuestionKind.CHOICE]
    assert saved.questions[1].choices["en"] == ("Saturday", "Sunday") and saved.missing_languages() == ("da", "de", "pl")


def test_an_invalid_form_stays_open_with_the_reason(qtbot, sample_context):
    dialog = FormEditorDialog(None, lambda draft: outcomes.create_form(sample_context, draft))
    qtbot.addWidget(dialog)
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
    assert dialog.saved is None and "English title" in dialog.error.text()


def test_tonights_stack_is_printed_in_the_families_languages(qtbot, page):
    page.form_combo.setCurrentIndex(page.form_combo.findData("Q01"))
    written = []
    page.print_to_file("meeting", then=written.append)
    qtbot.waitUntil(lambda: bool(written), timeout=30_000)
    texts = [p.extract_text() for p in PdfReader(written[0]).pages]
    assert any("Po spotkaniu" in text for text in texts) and any("Family code: F0" in text for text in texts)
    assert page.save_pdf.isEnabled()


def test_results_show_suppressed_and_real_figures(qtbot, page, sample_context):
    page.form_combo.setCurrentIndex(page.form_combo.findData("Q02"))
    page.tabs.setCurrentWidget(page.results)
    table = page.results.table
    assert table.rowCount() == 7
    expected = outcomes.form_results(sample_context, "Q02", *page.results.period())
    assert table.item(0, 2).text() == f"{expected.questions[0].answered:,}"
    assert "families answered at least twice" in page.results.summary.text()
    form = outcomes.create_form(sample_context, outcomes.get_form(sample_context, "Q01").as_draft()).record
    outcomes.record_keyed(sample_context, form.reference, None, "41")
    page.reload()
    page.form_combo.setCurrentIndex(page.form_combo.findData(form.reference))
    page.refresh_results()
    assert table.item(0, 2).text() == "fewer than 5"


def test_undo_from_the_page_is_one_step_per_form(qtbot, page, sample_context):
    page.form_combo.setCurrentIndex(page.form_combo.findData("Q01"))
    entry = page.entry
    before = _responses(sample_context)
    for keys in ("41", "31"):
        entry.code_edit.clear()
        entry.keys_edit.setText(keys)
        entry.save()
    assert _responses(sample_context) == before + 2
    page.undo_stack.undo()
    page.undo_stack.undo()
    assert _responses(sample_context) == before
