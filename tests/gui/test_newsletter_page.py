"""The Newsletter page: list, edit and save, language versions, preview from the PDF, export."""

from __future__ import annotations

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor, QUndoStack

from peer_support.services.newsletter import get_issue, list_issues
from peer_support.ui.newsletter import create_page

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot, sample_context):
    widget = create_page(sample_context, QUndoStack())
    qtbot.addWidget(widget)
    widget.resize(1300, 850)
    widget.show()
    return widget


def test_list_shows_issues_and_the_editor_has_a_tab_per_version(page):
    assert page.model.rowCount() == 4
    page.show_item("3")
    assert [tab.language for tab in page.editor.tabs()] == ["en", "pl"]
    assert page.editor.tabs()[1].title.text() == "W kontakcie"
    assert page.editor.section_list.count() == 2


def test_typing_formatting_and_saving_a_section(page, qtbot, sample_context):
    page.show_item("4")
    qtbot.mouseClick(page.editor.findChild(type(page.buttons["save"]), "add_section"), Qt.MouseButton.LeftButton)
    english = page.editor.tabs()[0]
    english.heading.setText("Thank you")
    qtbot.keyClicks(english.body.edit, "Thank you all")
    english.body.edit.moveCursor(QTextCursor.MoveOperation.Start)
    english.body.edit.moveCursor(QTextCursor.MoveOperation.EndOfWord, QTextCursor.MoveMode.KeepAnchor)
    qtbot.mouseClick(english.body.buttons["bold"], Qt.MouseButton.LeftButton)
    page.editor.automatic["fund"].setChecked(False)
    qtbot.mouseClick(page.buttons["save"], Qt.MouseButton.LeftButton)
    issue = get_issue(sample_context, 4)
    assert issue.sections[-1].text("en", "en").heading == "Thank you"
    assert issue.sections[-1].text("en", "en").body == "<p><b>Thank</b> you all</p>"
    assert "fund" not in issue.automatic
    assert page._undo_stack.count() == 1  # adding a section and saving is one action
    page._undo_stack.undo()
    assert len(get_issue(sample_context, 4).sections) == len(issue.sections) - 1


def test_adding_a_language_version(page, sample_context):
    page.show_item("4")
    page.editor.add_version("de")
    german = page.editor.tabs()[-1]
    german.title.setText("Ausblick")
    german.heading.setText("Ein Jahr der Solidarität")
    page._on_save()
    issue = get_issue(sample_context, 4)
    assert issue.languages == ("en", "de")
    assert issue.sections[0].text("de", "en").heading == "Ein Jahr der Solidarität"


def test_duplicate_makes_a_new_draft(page, qtbot, sample_context):
    page.show_item("3")
    qtbot.mouseClick(page.buttons["duplicate"], Qt.MouseButton.LeftButton)
    assert [i.number for i in list_issues(sample_context)][0] == 5
    assert page.model.rowCount() == 5 and page._number == 5


def test_preview_shows_the_pdf_pages_and_export_writes_the_file(page, qtbot, tmp_path):
    page.show_item("3")
    page.preview_language.setCurrentIndex(page.preview_language.findData("pl"))
    page.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: bool(page.preview.pages), timeout=20000)
    assert page.preview.pages[0].pixmap().width() > 300
    target = tmp_path / "out.pdf"
    page.export_to(str(target), "pl", "one_column")
    qtbot.waitUntil(target.exists, timeout=20000)
    assert "Najbliższe spotkania" in "".join(p.extract_text() for p in pypdf.PdfReader(target).pages)


def test_an_unsaved_title_is_never_dropped_silently(page, sample_context, answer_boxes):
    from peer_support.domain.changes import Kind
    from peer_support.ui.signals import signals

    page.show_item("4")  # a draft
    page.editor.tabs()[0].title.setText("Looking ahead, again")
    signals.data_changed.emit(frozenset({Kind.PACK}))  # another page's change reloads the list, not the editor
    assert page.editor.tabs()[0].title.text() == "Looking ahead, again"
    rows = {issue.number: row for row, issue in enumerate(page.model.issues)}
    asked = answer_boxes("Cancel")
    page.table.selectRow(rows[3])
    assert asked and "4" in asked[0]
    assert page._number == 4 and page.editor.tabs()[0].title.text() == "Looking ahead, again"
    assert not page.can_close()  # another page or Ctrl+Q: the same question
    answer_boxes("Save")
    page.table.selectRow(rows[3])
    assert page._number == 3 and get_issue(sample_context, 4).title == "Looking ahead, again"
    page.show_item("4")
    page.editor.tabs()[0].title.setText("Not wanted")
    answer_boxes("Discard")
    page.show_item("3")
    assert page._number == 3 and get_issue(sample_context, 4).title == "Looking ahead, again"
    assert not page.editor.is_dirty()
