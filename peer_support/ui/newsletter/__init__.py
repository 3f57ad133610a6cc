"""The Newsletter page: issues, editor, a preview that is the exported PDF, print and export."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (QComboBox, QFileDialog, QGridLayout, QHBoxLayout, QHeaderView, QMessageBox,
                               QPushButton, QSplitter, QTableView, QTabWidget, QVBoxLayout, QWidget)

from peer_support import i18n
from peer_support.context import AppContext
from peer_support.domain.changes import Kind
from peer_support.domain.newsletter import FINAL, STATUS_LABELS, TEMPLATE_LABELS, TEMPLATES, IssueDraft, \
    IssueSummary, VersionRecord
from peer_support.errors import ExportError, PeerSupportError
from peer_support.i18n import _
from peer_support.i18n.formatting import format_date
from peer_support.services import newsletter as service
from peer_support.services.newsletter_export import export_issue
from peer_support.services.newsletter_mailing import export_mailing_csv, export_mailing_labels
from peer_support.ui.ask import settle_unsaved
from peer_support.ui.errors import show_error
from peer_support.ui.newsletter.editor import IssueEditor
from peer_support.ui.newsletter.pdf_view import PdfPagesView, print_pdf
from peer_support.ui.ops import announce
from peer_support.ui.signals import signals
from peer_support.ui.tasks import run_task
from peer_support.ui.widgets.flow_layout import flow_row
from peer_support.ui.widgets.headed_model import HeadedTableModel

TITLE_COLUMN, LANGUAGES_COLUMN = 2, 4


class IssueTableModel(HeadedTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.issues: list[IssueSummary] = []
        self.headers = [_("No."), _("Date"), _("Title"), _("Status"), _("Languages")]

    def set_issues(self, issues: list[IssueSummary]) -> None:
        self.beginResetModel()
        self.issues = issues
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.issues)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        issue = self.issues[index.row()]
        return [str(issue.number), format_date(issue.issued_on), issue.title,
                _(STATUS_LABELS.get(issue.status, issue.status)),
                ", ".join(i18n.LANGUAGE_NAMES.get(c, c) for c in issue.languages)][index.column()]


class NewsletterPage(QWidget):
    SHOWS = frozenset({Kind.NEWSLETTER, Kind.MEETING, Kind.PACK, Kind.FUND, Kind.SETTINGS})

    def __init__(self, context: AppContext, undo_stack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._undo_stack = undo_stack
        self._number: int | None = None
        self._preview_dir = tempfile.TemporaryDirectory(prefix="peer-support-preview-")
        self.preview_path: Path | None = None
        self._preview_request = 0

        self.model = IssueTableModel()
        self.table = QTableView()
        self.table.setObjectName("issues")
        self.table.setAccessibleName(_("Newsletter issues"))
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TITLE_COLUMN, QHeaderView.ResizeMode.Stretch)  # long titles elide
        self.table.setColumnHidden(LANGUAGES_COLUMN, True)  # the editor shows a tab per language
        self.table.setWordWrap(False)  # one line a row; a long title elides (full title in the editor)
        self.table.verticalHeader().hide()
        self.table.selectionModel().currentRowChanged.connect(self._on_issue_chosen)
        list_buttons = QGridLayout()  # two rows: the editor needs the width on a small screen
        self.buttons: dict[str, QPushButton] = {}
        for index, (name, text, slot) in enumerate((("new", _("New issue"), self.new_item),
                                                    ("duplicate", _("Duplicate"), self._on_duplicate),
                                                    ("delete", _("Delete"), self._on_delete))):
            list_buttons.addWidget(self._button(name, text, slot), index // 2, index % 2)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.table)
        left_layout.addLayout(list_buttons)

        self.editor = IssueEditor(context)
        self.preview = PdfPagesView()
        self.preview_language = QComboBox()
        self.preview_language.setObjectName("preview_language")
        self.preview_template = QComboBox()
        for key in TEMPLATES:
            self.preview_template.addItem(_(TEMPLATE_LABELS[key]), key)
        self.preview_language.activated.connect(lambda _i: self.refresh_preview())
        self.preview_template.activated.connect(lambda _i: self.refresh_preview())
        preview_tab = QWidget()
        preview_layout = QVBoxLayout(preview_tab)
        preview_bar = QHBoxLayout()
        preview_bar.addWidget(self.preview_language)
        preview_bar.addWidget(self.preview_template)
        preview_bar.addStretch(1)
        preview_layout.addLayout(preview_bar)
        preview_layout.addWidget(self.preview)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.editor, _("Write"))
        self.tabs.addTab(preview_tab, _("Preview"))
        self.tabs.currentChanged.connect(lambda index: index == 1 and self.refresh_preview())

        actions = flow_row()  # wraps rather than scroll sideways
        for name, text, slot in (("save", _("Save"), self._on_save),
                                 ("print", _("Print…"), self.print_current),
                                 ("export_pdf", _("Export &PDF…"), lambda: self._on_export("pdf")),
                                 ("export_html", _("Export HT&ML…"), lambda: self._on_export("html")),
                                 ("labels", _("Address labels…"), self._on_labels),
                                 ("mailing", _("Mailing list…"), self._on_mailing)):
            actions.addWidget(self._button(name, text, slot))
        actions.addStretch(1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addLayout(actions)
        right_layout.addWidget(self.tabs)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([400, 1000])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        signals.data_changed.connect(self.reload)
        self.reload()

    def _button(self, name: str, text: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(slot)
        self.buttons[name] = button
        return button

    # -- list --------------------------------------------------------------------------
    def reload(self, kinds: frozenset[Kind] | None = None) -> None:
        if kinds is not None and self.SHOWS.isdisjoint(kinds):
            return
        self.model.set_issues(service.list_issues(self._context))
        self.show_item(str(self._number) if self._number else "")

    def show_item(self, ref: str) -> None:
        rows = [i for i, issue in enumerate(self.model.issues) if str(issue.number) == ref]
        row = rows[0] if rows else (0 if self.model.issues else -1)
        if row >= 0:
            number = self.model.issues[row].number
            if number != self._number and not self.settle():
                return
            self.table.selectionModel().blockSignals(True)
            self.table.selectRow(row)
            self.table.selectionModel().blockSignals(False)
            # Another page's change reloads the list: never throw away what is being typed here.
            if not (number == self._number and self.editor.is_dirty()):
                self._load(number)
        for name in ("save", "print", "export_pdf", "export_html", "labels", "mailing", "duplicate",
                     "delete"):
            self.buttons[name].setEnabled(row >= 0)

    def _on_issue_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        number = self.model.issues[current.row()].number
        if number == self._number:
            return
        if not self.settle():
            self._select_quietly(self._number)
            return
        self._load(number)
        self._select_quietly(number)  # saving reloaded the list

    def _select_quietly(self, number: int | None) -> None:
        rows = [i for i, issue in enumerate(self.model.issues) if issue.number == number]
        self.table.selectionModel().blockSignals(True)
        if rows:
            self.table.selectRow(rows[0])
        self.table.selectionModel().blockSignals(False)

    def settle(self) -> bool:
        """The one unsaved-edits question before the editor shows something else. True: go on."""
        if self._number is None:
            return True
        return settle_unsaved(self, self.editor.is_dirty(),
                              _("Newsletter issue %(number)s has changes that are not saved. Save them?")
                              % {"number": self._number}, self._on_save)

    def can_close(self) -> bool:
        """Before another page or quitting."""
        return self.settle()

    def _load(self, number: int) -> None:
        try:
            issue = service.get_issue(self._context, number)
        except PeerSupportError as exc:
            show_error(self, exc)
            return
        self._number = number
        self.editor.load(issue)
        self.preview_language.clear()
        for code in issue.languages:
            self.preview_language.addItem(i18n.LANGUAGE_NAMES.get(code, code), code)
        self.preview_template.setCurrentIndex(self.preview_template.findData(issue.template))
        self.preview_path = None
        if self.tabs.currentIndex() == 1:
            self.refresh_preview()

    # -- actions -----------------------------------------------------------------------
    def new_item(self) -> None:
        from peer_support.clock import local_today

        if not self.settle():
            return

        draft = IssueDraft(issued_on=local_today(self._context.clock), language="en",
                           versions=(VersionRecord("en", _("New issue")),))
        self._run_action(lambda: service.create_issue(self._context, draft), _("New newsletter issue"))

    def _on_duplicate(self) -> None:
        if self._number is not None and self.settle():
            number = self._number
            self._run_action(lambda: service.duplicate_issue(self._context, number),
                             _("Duplicate newsletter %(number)s") % {"number": number})

    def _run_action(self, action, text: str) -> None:
        try:
            saved = action()
        except PeerSupportError as exc:
            show_error(self, exc)
            return
        self._number = saved.record.number  # before the reload, which selects it
        announce(self._context, self._undo_stack, saved.changes, text)
        self.tabs.setCurrentIndex(0)
        self.editor.versions.setCurrentIndex(0)
        self.editor.tabs()[0].title.setFocus()
        self.editor.tabs()[0].title.selectAll()

    def _on_delete(self) -> None:
        if self._number is None:
            return
        answer = QMessageBox.question(self, _("Delete issue"), _("Delete newsletter issue %(number)s? "
                                                                "You can undo this.") % {"number": self._number})
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            saved = service.delete_issue(self._context, self._number)
        except PeerSupportError as exc:
            show_error(self, exc)
            return
        text = _("Delete newsletter %(number)s") % {"number": self._number}
        self._number = None  # before the reload
        announce(self._context, self._undo_stack, saved.changes, text)

    def _save_before_printing(self) -> bool:
        """Print what is on screen: save a draft first. A final issue prints as saved."""
        issue = self.editor.issue
        if issue is not None and issue.status == FINAL and self.editor.status.currentData() == FINAL:
            return True
        return self._on_save()

    def _on_save(self) -> bool:
        if self._number is None:
            return False
        try:
            saved = service.save_issue(self._context, self._number, self.editor.draft())
        except PeerSupportError as exc:
            show_error(self, exc)
            return False
        self.editor.mark_saved()  # so the reload below shows the saved issue (with its new ids)
        announce(self._context, self._undo_stack, saved.changes,
                 _("Edit newsletter %(number)s") % {"number": saved.record.number})
        signals.status_message.emit(_("Newsletter saved."))
        return True

    # -- preview, print, export --------------------------------------------------------
    def refresh_preview(self, then=None) -> None:
        """Save, export the PDF off the GUI thread, and show its pages."""
        if self._number is None or not self._save_before_printing():
            return
        number, language = self._number, self.preview_language.currentData()
        template = self.preview_template.currentData()
        self._preview_request += 1
        request = self._preview_request
        # One file per request: a newer preview never reads a file an older one is still writing.
        target = Path(self._preview_dir.name) / f"issue-{number}-{language}-{template}-{request}.pdf"

        def done(result) -> None:
            if request != self._preview_request:
                return  # an older request finished late: only the newest preview is shown
            try:
                self.preview.show_pdf(target)
            except Exception as exc:  # noqa: BLE001 - a damaged file is a message, not a crash
                show_error(self, ExportError(_("The preview could not be shown (%(reason)s). "
                                               "Try again or export the PDF.") % {"reason": exc}))
                return
            self.preview_path = target
            for warning in result.warnings:
                signals.status_message.emit(warning)
            if then:
                then(target)

        def failed(exc: BaseException) -> None:
            if request == self._preview_request:  # an older request's failure no longer matters
                show_error(self, exc)

        run_task(self, lambda progress: export_issue(self._context, number, target, template, language,
                                                     progress), done, failed, label=_("Preparing the preview…"))

    def print_current(self) -> None:
        self.refresh_preview(then=lambda path: print_pdf(self, path).exec())

    def _on_export(self, kind: str) -> None:
        if self._number is None or not self._save_before_printing():
            return
        language = self.preview_language.currentData() or ""
        name = f"newsletter-{self._number}-{language}.{kind}"
        filters = _("PDF files (*.pdf)") if kind == "pdf" else _("Web pages (*.html)")
        path, _filter = QFileDialog.getSaveFileName(self, _("Export newsletter"), name, filters)
        if path:
            self.export_to(path, language, self.preview_template.currentData())

    def export_to(self, path: str, language: str, template: str) -> None:
        number = self._number
        run_task(self, lambda progress: export_issue(self._context, number, path, template, language, progress),
                 self._on_exported, label=_("Exporting the newsletter…"))

    def _on_exported(self, result) -> None:
        if result.warnings:
            QMessageBox.warning(self, _("Newsletter exported"), "\n\n".join(result.warnings))
        signals.status_message.emit(_("Wrote %(path)s.") % {"path": result.path})

    def _on_labels(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Address labels"), f"labels-{self._number}.pdf",
                                                    _("PDF files (*.pdf)"))
        if path:
            number = self._number
            run_task(self, lambda progress: export_mailing_labels(self._context, number, path),
                     self._on_exported, label=_("Making address labels…"))

    def _on_mailing(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, _("Mailing list"), f"mailing-{self._number}.csv",
                                                    _("CSV files (*.csv)"))
        if path:
            number = self._number
            run_task(self, lambda progress: export_mailing_csv(self._context, number, path),
                     self._on_exported, label=_("Writing the mailing list…"))


def create_page(context: AppContext, undo_stack) -> QWidget:
    return NewsletterPage(context, undo_stack)
