"""The Families page and its dialogs, driven like a user would (keyboard first)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QApplication

from peer_support.domain.families import FamilyDraft
from peer_support.services.families import create_family, get_family, search_families
from peer_support.ui.families.form import FamilyDialog
from peer_support.ui.families.import_dialog import ImportDialog
from peer_support.ui.families.merge_dialog import MergeDialog
from peer_support.ui.families.model import PAGE_SIZE
from peer_support.ui.families.page import FamiliesPage
from peer_support.services.families_sheet import read_sheet

pytestmark = pytest.mark.gui


@pytest.fixture
def page(qtbot, context):
    stack = QUndoStack()
    page = FamiliesPage(context, stack)
    page.undo_stack = stack
    qtbot.addWidget(page)
    page.show()
    return page


def _fill(context, count: int) -> None:
    from peer_support.services.families_import import import_families
    from peer_support.services.families_sheet import Sheet

    rows = tuple((number + 2, (f"Parent {number:04d}", "CT9 1AB", "Old Town", f"07700 9{number:05d}"))
                 for number in range(count))
    sheet = Sheet("families.csv", ("Name", "Postcode", "Area", "Phone"), rows, "CSV")
    assert import_families(context, sheet).record.imported == count


def test_the_list_fetches_pages_not_every_row(qtbot, context):
    _fill(context, 3 * PAGE_SIZE + 10)
    page = FamiliesPage(context, QUndoStack())
    qtbot.addWidget(page)
    page.show()
    assert page.model.rowCount() == 3 * PAGE_SIZE + 10
    assert page.model.pages_fetched <= 1  # only what is on screen
    page.view.scrollToBottom()
    QApplication.processEvents()
    last = page.model.index(page.model.rowCount() - 1, 1)
    assert page.model.data(last) == f"Parent {3 * PAGE_SIZE + 9:04d}"
    assert page.model.pages_fetched <= 3
    assert f"{3 * PAGE_SIZE + 10} families" in page.count_label.text()


def test_search_as_you_type_and_filters_and_sorting(qtbot, page, context):
    create_family(context, FamilyDraft(name="Søren Sørensen", postcode="CT9 1AB", language="da"))
    create_family(context, FamilyDraft(name="Anna Nowak", phone="07700 900123", language="pl"))
    create_family(context, FamilyDraft(name="Amy Hill", area="Marina"))
    page.reload()
    qtbot.keyClicks(page.search, "soren")
    qtbot.waitUntil(lambda: page.model.query.text == "soren")
    assert page.model.rowCount() == 1
    assert page.model.data(page.model.index(0, 1)) == "Søren Sørensen"
    page.search.clear()
    qtbot.keyClicks(page.search, "900 123")
    qtbot.waitUntil(lambda: page.model.query.text == "900 123")
    assert page.model.rowCount() == 1
    assert page.model.data(page.model.index(0, 1)) == "Anna Nowak"
    page.search.clear()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3)
    page.language_filter.setCurrentIndex(page.language_filter.findData("pl"))
    assert page.model.rowCount() == 1
    page.language_filter.setCurrentIndex(0)
    page.area_filter.setCurrentIndex(page.area_filter.findData("Marina"))
    assert page.model.rowCount() == 1
    page.area_filter.setCurrentIndex(0)
    page.view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    names = [page.model.data(page.model.index(r, 1)) for r in range(3)]
    assert names == ["Søren Sørensen", "Anna Nowak", "Amy Hill"]


def test_form_saves_with_enter_refuses_bad_input_and_cancels_with_escape(qtbot, context, answer_boxes):
    dialog = FamilyDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name, "Sarah Smith")
    dialog.postcode.setFocus()
    qtbot.keyClicks(dialog.postcode, "nonsense")
    qtbot.keyClick(dialog.postcode, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.saved is None
    assert "postcode" in dialog.error_label.text() and dialog.focusWidget() is dialog.postcode
    dialog.postcode.clear()
    qtbot.keyClicks(dialog.postcode, "ct9 1ab")
    qtbot.keyClick(dialog.postcode, Qt.Key.Key_Return)
    assert dialog.saved is not None and not dialog.isVisible()
    assert get_family(context, "F0001").postcode == "CT9 1AB"

    other = FamilyDialog(context, get_family(context, "F0001"))
    qtbot.addWidget(other)
    other.show()
    other.name.clear()
    qtbot.keyClicks(other.name, "Changed")
    asked = answer_boxes("Discard")  # Escape with typed changes asks first (ui/ask.py)
    qtbot.keyClick(other, Qt.Key.Key_Escape)
    assert asked and not other.isVisible() and other.saved is None
    assert get_family(context, "F0001").name == "Sarah Smith"


def test_tab_order_follows_the_form(qtbot, context):
    dialog = FamilyDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    dialog.name.setFocus()
    order = [dialog.focusWidget()]
    for _step in range(3):
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
        order.append(dialog.focusWidget())
    assert order == [dialog.name, dialog.address, dialog.postcode, dialog.area]


def test_archive_asks_first_and_restore_with_undo(qtbot, page, context, answer_boxes):
    create_family(context, FamilyDraft(name="Amy Hill"))
    page.reload()
    page.view.selectRow(0)
    asked = answer_boxes("Cancel")
    qtbot.mouseClick(page.archive_button, Qt.MouseButton.LeftButton)
    assert asked and "F0001" in asked[0] and page.model.rowCount() == 1  # nothing happened
    answer_boxes("Archive")
    qtbot.mouseClick(page.archive_button, Qt.MouseButton.LeftButton)
    assert search_families(context) == [] and page.model.rowCount() == 0
    page.undo_stack.undo()
    assert search_families(context)[0].name == "Amy Hill"
    page.reload()
    assert page.model.rowCount() == 1


def test_select_all_and_delete_archives_all_as_one_undoable_action(qtbot, page, context, answer_boxes):
    _fill(context, 40)
    page.reload()
    page.view.setFocus()
    page.view.selectRow(0)
    qtbot.keyClick(page.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert len(page.selected_references()) == 40
    asked = answer_boxes("Archive 40")
    qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    assert "Archive 40 families?" in asked[0]
    assert search_families(context) == [] and page.model.rowCount() == 0
    assert page.undo_stack.count() == 1 and page.undo_stack.undoText() == "Archive 40 families"
    page.undo_stack.undo()
    assert len(search_families(context)) == 40
    page.reload()
    assert page.model.rowCount() == 40


def test_import_dialog_previews_and_imports_valid_rows(qtbot, page, context, tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("Navn;Postnummer;Telefon\nMette Jensen;CT9 1AB;07700 900001\nBad;XYZ;\n", encoding="utf-8")
    dialog = ImportDialog(context, read_sheet(path), parent=page)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.mapping() == ["name", "postcode", "phone"]
    assert dialog.preview.rowCount() == 2 and "1 row has errors" in dialog.summary.text()
    assert dialog.import_button.text() == "Import 1 family"
    dialog.mapping_combos[0].setCurrentIndex(0)  # ignore the name column: nothing can be imported
    assert not dialog.import_button.isEnabled()
    dialog.mapping_combos[0].setCurrentIndex(dialog.mapping_combos[0].findData("name"))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.saved is not None, timeout=10_000)
    assert [f.name for f in search_families(context)] == ["Mette Jensen"]


def test_merge_dialog_merges_the_unchosen_record(qtbot, context):
    create_family(context, FamilyDraft(name="Anna Nowak", phone="07700 900001"))
    create_family(context, FamilyDraft(name="A. Nowak", email="anna@example.org"))
    dialog = MergeDialog(context, "F0001", "F0002")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    assert dialog.saved is not None and dialog.saved.record.kept.email == "anna@example.org"
    assert [f.reference for f in search_families(context)] == ["F0001"]


def test_cards_for_the_selected_families(qtbot, page, context, tmp_path):
    import pypdfium2

    for name in ("Anna Nowak", "Ewa Nowak", "Jo Baker"):
        create_family(context, FamilyDraft(name=name))
    page.reload()
    assert not page.cards_button.isEnabled()
    page.view.selectRow(0)
    qtbot.keyClick(page.view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert page.selected_references() == ["F0001", "F0002"] and page.cards_button.isEnabled()
    target = tmp_path / "cards.pdf"
    page.print_cards(str(target))
    qtbot.waitUntil(lambda: target.exists() and page.cards_button.isEnabled(), timeout=20_000)
    text = pypdfium2.PdfDocument(str(target))[0].get_textpage().get_text_range()
    assert "Anna Nowak" in text and "Ewa Nowak" in text and "Jo Baker" not in text


def test_a_new_family_shows_even_while_a_search_hides_it(qtbot, page, context, monkeypatch):
    create_family(context, FamilyDraft(name="Amy Hill"))
    page.reload()
    page.search.setText("Amy")
    page._apply_filters()

    def fill_and_save(dialog):
        dialog.name.setText("Zofia Kowalska")
        dialog._on_save_clicked()
        return dialog.result()

    monkeypatch.setattr(FamilyDialog, "exec", fill_and_save)
    page.new_item()
    assert page.selected_references() == ["F0002"]
    assert page.model.row_at(page.model.row_of("F0002")).name == "Zofia Kowalska"


def test_an_error_goes_once_the_field_is_corrected(qtbot, context):
    dialog = FamilyDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name.setText("Amy Hill")
    dialog.email.setText("not an email")
    dialog._on_save_clicked()
    assert dialog.error_label.isVisible() and "⚠" in dialog.error_label.text()
    qtbot.keyClicks(dialog.email, "x")
    assert not dialog.error_label.isVisible()


def test_import_ends_with_a_summary_and_the_skipped_rows_can_be_saved(qtbot, page, context, tmp_path,
                                                                      monkeypatch, answer_boxes):
    path = tmp_path / "in.csv"
    path.write_text("Name;Postcode\nMette Jensen;CT9 1AB\nBad;XYZ\n", encoding="utf-8")

    def import_all(dialog):
        dialog._on_import_clicked()
        qtbot.waitUntil(lambda: dialog.saved is not None, timeout=10_000)
        return 1

    monkeypatch.setattr(ImportDialog, "exec", import_all)
    asked = answer_boxes("Close")
    page.import_file(str(path))
    assert asked == ["1 family imported. 1 row was not imported."]
    sheet = read_sheet(path)
    from peer_support.services.families_import import import_families

    again = import_families(context, sheet, ["name", "postcode"], False).record
    target = tmp_path / "fix.csv"
    page.save_skipped_rows(sheet, again, str(target))
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "Name,Postcode,Why it was not imported"
    assert lines[1] == "Mette Jensen,CT9 1AB,May be F0001 Mette Jensen"  # imported a moment ago
    assert lines[2].startswith("Bad,XYZ,") and len(lines) == 3


def test_cancelling_a_family_form_with_typed_text_asks_first(qtbot, context, answer_boxes):
    dialog = FamilyDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.reject()  # nothing typed: closes without a question
    assert not dialog.isVisible()
    dialog = FamilyDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.name, "Amy Hill")
    asked = answer_boxes("Cancel")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked and dialog.isVisible() and dialog.name.text() == "Amy Hill"
    answer_boxes("Save")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.saved is not None and search_families(context)[0].name == "Amy Hill"


@pytest.mark.parametrize(("language", "expected"), [("en", "1,001 families"), ("de", "1.001 Familien"),
                                                    ("da", "1.001 familier")])
def test_the_count_is_a_number_in_the_users_language(qtbot, context, language, expected):
    from peer_support import i18n

    _fill(context, 1001)
    i18n.set_language(language)
    page = FamiliesPage(context, QUndoStack())
    qtbot.addWidget(page)
    page.show()
    assert page.count_label.text() == expected
