"""The Families page: the register (search, filters, sortable lazy list) and volunteers.

Keyboard: Ctrl+F to search, Enter in the search box or the list opens the
selected family, Ctrl+N adds one, Delete archives, Ctrl+Z undoes.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFileDialog, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QMessageBox, QPushButton, QTableView, QTabWidget, QVBoxLayout, QWidget)

from peer_support.context import AppContext
from peer_support.domain.changes import Changes, Kind
from peer_support.domain.families import SUPPORTED_FAMILY_LANGUAGES
from peer_support.errors import PeerSupportError
from peer_support.i18n import LANGUAGE_NAMES, _, ngettext
from peer_support.i18n.formatting import format_number
from peer_support.services.families import get_family, list_areas, list_schools, set_families_archived
from peer_support.services.families_export import export_families
from peer_support.services.families_import import write_skipped_rows
from peer_support.services.families_sheet import read_sheet
from peer_support.ui.ask import confirm
from peer_support.ui.errors import show_error
from peer_support.ui.families.form import FamilyDialog
from peer_support.ui.families.model import FAMILY_COLUMNS, FamilyTableModel, ReferenceRole
from peer_support.ui.families.volunteers import VolunteersView
from peer_support.ui.ops import announce
from peer_support.ui.signals import signals
from peer_support.ui.tasks import run_task
from peer_support.ui.widgets.filter_combo import FilterCombo
from peer_support.ui.widgets.flow_layout import flow_row

SEARCH_DELAY_MS = 120  # wait for a pause in typing; each search itself takes a few ms


class FamiliesPage(QWidget):
    SHOWS = frozenset({Kind.FAMILY, Kind.PLACE, Kind.VOLUNTEER})

    def __init__(self, context: AppContext, undo_stack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._undo_stack = undo_stack
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_families_tab(), _("Families"))
        self.volunteers = VolunteersView(context, undo_stack)
        self.tabs.addTab(self.volunteers, _("Volunteers"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.tabs)
        self._update_buttons()

    # -- building --------------------------------------------------------------------------------
    def _build_families_tab(self) -> QWidget:
        tab = QWidget()
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setAccessibleName(_("Search families"))
        self.search.setAccessibleDescription(_("Search name, reference, postcode or phone"))
        self.search.setPlaceholderText(_("Search name, reference, postcode or phone"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(240)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_filters)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self._on_search_return)

        self.area_filter = self._combo("area_filter", _("All areas"), [(n, n) for n in list_areas(self._context)])
        self.school_filter = self._combo("school_filter", _("All schools"),
                                         [(n, n) for n in list_schools(self._context)])
        self.language_filter = self._combo("language_filter", _("All languages"),
                                           [(LANGUAGE_NAMES[c], c) for c in SUPPORTED_FAMILY_LANGUAGES])
        self.needs_filter = self._combo("needs_filter", _("Any needs"), [
            (_("No home internet"), "internet"), (_("No suitable device"), "device"),
            (_("Internet or device"), "any")])
        self.archived_filter = FilterCombo()
        self.archived_filter.setObjectName("archived_filter")
        for text, value in ((_("Current families"), "active"), (_("Archived families"), "archived"),
                            (_("All families"), "all")):
            self.archived_filter.addItem(text, value)
        self.archived_filter.currentIndexChanged.connect(self._apply_filters)

        # Shown when the page lists one of the dashboard's lists (missing consent, lapsed).
        self.special_label = QLabel()
        self.special_label.setObjectName("special_list")
        self.special_clear = self._button("special_clear", _("Show all families"), self.clear_special)
        special_row = QHBoxLayout()
        special_row.addWidget(self.special_label, 1)
        special_row.addWidget(self.special_clear)
        self.special_label.hide()
        self.special_clear.hide()

        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)  # what the filters leave
        for combo in (self.area_filter, self.school_filter, self.language_filter, self.needs_filter,
                      self.archived_filter):
            filters.addWidget(combo)

        self.model = FamilyTableModel(self._context, self)
        self.view = QTableView()
        self.view.setObjectName("families")
        self.view.setAccessibleName(_("Families"))
        self.view.setAccessibleDescription(_("Enter opens the family, Delete archives the selected families."))
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setTabKeyNavigation(False)
        self.view.verticalHeader().hide()
        # Fixed row heights and column widths: the view never measures all 50,000 rows.
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.view.horizontalHeader()
        widths = {"reference": 80, "name": 220, "postcode": 110, "area": 120, "phone": 120, "language": 90,
                  "children": 70, "needs": 130}
        for column, (key, _label) in enumerate(FAMILY_COLUMNS):
            header.resizeSection(column, widths[key])
        header.setStretchLastSection(True)
        self.view.doubleClicked.connect(lambda _index: self.edit_selected())
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            QShortcut(QKeySequence(key), self.view, activated=self.edit_selected,
                      context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.view, activated=self.toggle_archived,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_count)

        self.new_button = self._button("new", _("New family"), self.new_item)
        self.edit_button = self._button("edit", _("Open"), self.edit_selected)
        self.archive_button = self._button("archive", _("Archive"), self.toggle_archived)
        self.merge_button = self._button("merge", _("Merge…"), self.merge_selected)
        self.cards_button = self._button("cards", _("Print cards…"), self.print_cards)
        self.cards_button.setToolTip(_("Family cards with a QR code for the selected families, for a quick "
                                       "sign-in at the door"))
        self.import_button = self._button("import", _("Import…"), self.import_file)
        self.export_button = self._button("export", _("Export…"), self.export_file)
        self.count_label = QLabel()
        self.count_label.setObjectName("count")
        buttons = flow_row(self.new_button, self.edit_button, self.archive_button, self.merge_button,
                           self.cards_button, self.count_label, self.import_button,
                           self.export_button)  # wraps rather than scroll sideways

        layout = QVBoxLayout(tab)
        layout.addLayout(filters)
        layout.addLayout(special_row)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self._update_count()
        return tab

    def _combo(self, name: str, everything: str, items: list[tuple[str, str]]) -> QComboBox:
        combo = FilterCombo()
        combo.setObjectName(name)
        combo.addItem(everything, "")
        for text, value in items:
            combo.addItem(text, value)
        combo.currentIndexChanged.connect(self._apply_filters)
        return combo

    def _button(self, name: str, text: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    # -- list state ------------------------------------------------------------------------------
    def _apply_filters(self) -> None:
        self._search_timer.stop()
        query = replace(self.model.query, text=self.search.text(), area=self.area_filter.currentData(),
                        school=self.school_filter.currentData(), language=self.language_filter.currentData(),
                        needs=self.needs_filter.currentData(), archived=self.archived_filter.currentData())
        if query != self.model.query:
            self.model.set_query(query)
            if self.model.rowCount():
                self.view.selectRow(0)

    def _update_count(self) -> None:
        count = self.model.rowCount()
        self.count_label.setText(ngettext("%(count)s family", "%(count)s families", count) % {"count": format_number(count)})
        self._update_buttons()

    def selected_references(self) -> list[str]:
        rows = sorted({index.row() for index in self.view.selectionModel().selectedRows()})
        return [self.model.data(self.model.index(row, 0), ReferenceRole) for row in rows]

    def _update_buttons(self) -> None:
        if not hasattr(self, "view"):
            return
        selected = self.selected_references()
        self.edit_button.setEnabled(len(selected) == 1)
        self.archive_button.setEnabled(len(selected) >= 1)
        self.merge_button.setEnabled(len(selected) == 2)
        self.cards_button.setEnabled(len(selected) >= 1)
        row = self.model.row_of(selected[0]) if selected else None
        family = self.model.row_at(row) if row is not None else None
        self.archive_button.setText(_("Restore") if family and family.archived else _("Archive"))

    def _select(self, reference: str) -> None:
        row = self.model.row_of(reference)
        if row is not None:
            self.view.selectionModel().setCurrentIndex(
                self.model.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows)
            self.view.scrollTo(self.model.index(row, 0))

    def _on_search_return(self) -> None:
        self._apply_filters()
        if self.model.rowCount() == 1:
            self.view.selectRow(0)
            self.edit_selected()
        elif self.model.rowCount():
            self.view.setFocus()
            if not self.view.selectionModel().hasSelection():
                self.view.selectRow(0)

    # -- page protocol (menus, other pages) ------------------------------------------------------
    def focus_search(self) -> None:
        self.tabs.setCurrentIndex(0)
        self.search.setFocus()
        self.search.selectAll()

    def new_item(self) -> None:
        if self.tabs.currentWidget() is self.volunteers:
            self.volunteers.new_item()
            return
        dialog = FamilyDialog(self._context, parent=self)
        if dialog.exec() and dialog.saved:
            self._after_save(dialog.saved, _("Add family %(name)s") % {"name": dialog.saved.record.name})

    def show_item(self, reference: str) -> None:
        if reference.startswith("filter:"):
            self.show_special(reference)
            return
        self.tabs.setCurrentIndex(0)
        self._select(reference)
        self._open(reference)

    def show_special(self, name: str) -> None:
        """List only the families of one dashboard list (current ones), other filters cleared."""
        from peer_support.clock import local_today
        from peer_support.domain.families import FamilyQuery
        from peer_support.services.family_lists import family_list_title

        self.tabs.setCurrentIndex(0)
        for widget in (self.search, self.area_filter, self.school_filter, self.language_filter,
                       self.needs_filter, self.archived_filter):
            widget.blockSignals(True)
        self.search.clear()
        for combo in (self.area_filter, self.school_filter, self.language_filter, self.needs_filter,
                      self.archived_filter):
            combo.setCurrentIndex(0)
        for widget in (self.search, self.area_filter, self.school_filter, self.language_filter,
                       self.needs_filter, self.archived_filter):
            widget.blockSignals(False)
        self.model.set_query(FamilyQuery(special=name, as_of=local_today(self._context.clock)))
        self.special_label.setText(_("Showing: %(list)s") % {"list": family_list_title(name)})
        self.special_label.show()
        self.special_clear.show()
        if self.model.rowCount():
            self.view.selectRow(0)

    def clear_special(self) -> None:
        self.special_label.hide()
        self.special_clear.hide()
        self.model.set_query(replace(self.model.query, special="", as_of=None))

    def _refresh_lists(self) -> None:
        """New areas or schools (added in a form or an import) appear in the filters."""
        for combo, names in ((self.area_filter, list_areas(self._context)),
                             (self.school_filter, list_schools(self._context))):
            current = combo.currentData()
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for name in names:
                combo.addItem(name, name)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)

    def reload(self, kinds: frozenset[Kind] | None = None) -> None:
        if kinds is None or Kind.PLACE in kinds:
            self._refresh_lists()
        if kinds is None or not kinds.isdisjoint({Kind.FAMILY, Kind.PLACE}):
            selected = self.selected_references()
            self.model.refresh()
            if selected:
                self.model.row_at(0)
                self._select(selected[0])
        if kinds is None or not kinds.isdisjoint({Kind.VOLUNTEER, Kind.FAMILY, Kind.PLACE}):
            self.volunteers.reload()

    # -- actions ---------------------------------------------------------------------------------
    def edit_selected(self) -> None:
        selected = self.selected_references()
        if len(selected) == 1:
            self._open(selected[0])

    def _open(self, reference: str) -> None:
        try:
            record = get_family(self._context, reference)
        except PeerSupportError as exc:
            show_error(self, exc)
            return
        dialog = FamilyDialog(self._context, record, parent=self)
        if dialog.exec() and dialog.saved and dialog.saved.changes.rows:
            self._after_save(dialog.saved, _("Edit family %(reference)s") % {"reference": reference})

    def _pushed(self, changes: Changes, text: str) -> None:
        """After an action: put it on the undo stack, tell the pages, reload here."""
        announce(self._context, self._undo_stack, changes, text)
        self.reload(changes.kinds)

    def _after_save(self, saved, text: str) -> None:
        self._pushed(saved.changes, text)
        signals.status_message.emit(_("Saved %(reference)s %(name)s.")
                                    % {"reference": saved.record.reference, "name": saved.record.name})
        self.model.row_at(0)
        reference = saved.record.reference
        if self.model.row_of(reference) is None:
            # Hidden by the search or a filter (or far down a long list): show it rather than
            # leave the user wondering where it went.
            for combo in (self.area_filter, self.school_filter, self.language_filter, self.needs_filter):
                combo.setCurrentIndex(0)
            self.archived_filter.setCurrentIndex(self.archived_filter.findData("all"))
            self.search.setText(reference)
            self._apply_filters()
            self.model.row_at(0)
        self._select(reference)

    def toggle_archived(self) -> None:
        """Archive the selection (or restore it, when the first selected is archived) as ONE action.

        Archiving asks first and says how many; restoring asks nothing (it loses nothing).
        """
        selected = self.selected_references()
        if not selected:
            return
        row = self.model.row_of(selected[0])
        first = self.model.row_at(row) if row is not None else None
        archive = not (first and first.archived)
        count = len(selected)
        if archive:
            if count == 1:
                question = (_("Archive family %(reference)s? It disappears from the lists; "
                              "you can restore it or undo.") % {"reference": selected[0]})
            else:
                question = ngettext("Archive %(count)s family? They disappear from the lists; "
                                    "you can restore them or undo.",
                                    "Archive %(count)s families? They disappear from the lists; "
                                    "you can restore them or undo.", count) % {"count": format_number(count)}
            action = ngettext("Archive %(count)s family", "Archive %(count)s families", count) % {"count": format_number(count)}
            if not confirm(self, _("Archive families"), question, action):
                return
        try:
            saved = set_families_archived(self._context, selected, archive)
        except PeerSupportError as exc:
            show_error(self, exc)
            return
        if count == 1:
            text = (_("Archive family %(reference)s") if archive else _("Restore family %(reference)s")) % {
                "reference": selected[0]}
        else:
            text = (ngettext("Archive %(count)s family", "Archive %(count)s families", count) if archive
                    else ngettext("Restore %(count)s family", "Restore %(count)s families", count)) % {
                "count": format_number(count)}
        if saved.changes.rows:
            self._pushed(saved.changes, text)
        done = saved.record
        message = (ngettext("%(count)s family archived. Undo with Ctrl+Z.",
                            "%(count)s families archived. Undo with Ctrl+Z.", done) if archive
                   else ngettext("%(count)s family restored.", "%(count)s families restored.", done))
        signals.status_message.emit(message % {"count": format_number(done)})

    def merge_selected(self) -> None:
        from peer_support.ui.families.merge_dialog import MergeDialog

        selected = self.selected_references()
        if len(selected) != 2:
            return
        # The dialog merges, pushes the undo step and announces it: this page reloads for the kinds heard.
        MergeDialog(self._context, selected[0], selected[1], parent=self, undo_stack=self._undo_stack).exec()

    def import_file(self, path: str | None = None) -> None:
        from peer_support.ui.families.import_dialog import ImportDialog

        if not path:
            path, _filter = QFileDialog.getOpenFileName(self, _("Import families"), str(Path.home()),
                                                        _("Spreadsheets (*.csv *.xlsx *.txt);;All files (*)"))
        if not path:
            return
        try:
            sheet = read_sheet(path)
        except PeerSupportError as exc:
            show_error(self, exc)
            return
        dialog = ImportDialog(self._context, sheet, parent=self, undo_stack=self._undo_stack)
        if not dialog.exec() or dialog.saved is None:
            return  # else the dialog pushed the undo step and announced it: this page reloads for the kinds heard
        self._report_import(sheet, dialog.saved.record, path)

    def _report_import(self, sheet, result, path: str) -> None:
        """Say what the import did; offer to save the rows it skipped, to fix and import again."""
        skipped = len(result.skipped)
        text = ngettext("%(count)s family imported.", "%(count)s families imported.", result.imported) % {
            "count": format_number(result.imported)}
        if skipped:
            text += " " + ngettext("%(count)s row was not imported.", "%(count)s rows were not imported.",
                                   skipped) % {"count": format_number(skipped)}
        signals.status_message.emit(text)
        box = QMessageBox(QMessageBox.Icon.Information, _("Import finished"), text, parent=self)
        save = box.addButton(_("Save skipped rows…"), QMessageBox.ButtonRole.ActionRole) if skipped else None
        box.addButton(_("Close"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if save is None or box.clickedButton() is not save:
            return
        source = Path(path)
        target, _filter = QFileDialog.getSaveFileName(
            self, _("Save skipped rows"), str(source.with_name(f"{source.stem}-not-imported.csv")),
            _("CSV file (*.csv);;Excel workbook (*.xlsx)"))
        if target:
            self.save_skipped_rows(sheet, result, target)

    def save_skipped_rows(self, sheet, result, target: str) -> None:
        try:
            written = write_skipped_rows(sheet, result.skipped, target)
        except PeerSupportError as exc:
            show_error(self, exc)
            return
        signals.status_message.emit(_("Skipped rows saved to %(file)s.") % {"file": written})

    def export_file(self, path: str | None = None) -> None:
        if not path:
            path, chosen = QFileDialog.getSaveFileName(
                self, _("Export families"), str(Path.home() / "families.xlsx"),
                _("Excel workbook (*.xlsx);;CSV file (*.csv)"))
            if path and Path(path).suffix.lower() not in (".csv", ".xlsx"):
                path += ".csv" if "csv" in chosen.lower() else ".xlsx"
        if not path:
            return
        query = self.model.query
        self.export_button.setEnabled(False)

        def done(count: int) -> None:
            self.export_button.setEnabled(True)
            signals.status_message.emit(ngettext("%(count)s family written to %(file)s.",
                                                 "%(count)s families written to %(file)s.", count)
                                        % {"count": format_number(count), "file": path})

        def failed(exc: BaseException) -> None:
            self.export_button.setEnabled(True)
            show_error(self, exc)

        run_task(self, lambda progress: export_families(self._context, path, query, progress), done, failed,
                 label=_("Exporting families…"))

    def print_cards(self, path: str | None = None) -> None:
        """Family cards (PDF) for the selected families, written in the background."""
        from peer_support.services.meeting_exports import export_family_cards

        references = self.selected_references()
        if not references:
            return
        if not path:
            name = f"{_('family cards')} {references[0]}.pdf" if len(references) == 1 else f"{_('family cards')}.pdf"
            path, _filter = QFileDialog.getSaveFileName(self, _("Print family cards"), str(Path.home() / name),
                                                        "PDF (*.pdf)")
            if path and Path(path).suffix.lower() != ".pdf":
                path += ".pdf"
        if not path:
            return
        self.cards_button.setEnabled(False)

        def done(count: int) -> None:
            self._update_buttons()
            signals.status_message.emit(ngettext("Wrote %(count)s family card to %(path)s.",
                                                 "Wrote %(count)s family cards to %(path)s.", count)
                                        % {"count": format_number(count), "path": path})

        def failed(exc: BaseException) -> None:
            self._update_buttons()
            show_error(self, exc)

        run_task(self, lambda progress: export_family_cards(self._context, path, references, progress), done,
                 failed, label=_("Printing family cards…"))
