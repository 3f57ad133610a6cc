"""The Feedback page: short forms parents fill in, on paper first.

Choose a form; then print it (tonight's stack, one family, anonymous copies),
type in the returned ones, or see what the answers add up to.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtWidgets import (QComboBox, QFileDialog, QFormLayout, QGroupBox, QLabel, QLineEdit,
                               QMessageBox, QPushButton, QSpinBox, QTabWidget, QVBoxLayout, QWidget)

from peer_support.clock import local_today
from peer_support.domain.changes import Kind
from peer_support.domain.outcomes import FORM_LANGUAGES, LANGUAGE_LABELS, feedback_description
from peer_support.errors import PeerSupportError
from peer_support.i18n import LANGUAGE_NAMES, _, current_language, ngettext
from peer_support.i18n.formatting import format_date
from peer_support.services import outcomes
from peer_support.services.meetings import list_meetings
from peer_support.ui.errors import show_error
from peer_support.ui.meetings.common import to_qdate
from peer_support.ui.ops import announce
from peer_support.ui.outcomes.editor import FormEditorDialog
from peer_support.ui.outcomes.entry import EntryPanel
from peer_support.ui.outcomes.fill_in import FillInDialog
from peer_support.ui.outcomes.results import ResultsPanel
from peer_support.ui.signals import signals
from peer_support.ui.tasks import run_task
from peer_support.ui.widgets.flow_layout import flow_row, together



class FeedbackPage(QWidget):
    SHOWS = frozenset({Kind.FEEDBACK, Kind.MEETING, Kind.FAMILY})

    def __init__(self, context, undo_stack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._undo_stack = undo_stack
        self._print_dir = tempfile.TemporaryDirectory(prefix="peer-support-forms-")

        self.form_combo = QComboBox()
        self.form_combo.setObjectName("form_choice")
        self.form_combo.setAccessibleName(_("Feedback form"))
        self.form_combo.currentIndexChanged.connect(lambda _i: self._show_form())
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        new_button = QPushButton(_("New form…"))
        new_button.clicked.connect(self.new_item)
        self.edit_button = QPushButton(_("Edit form…"))
        self.edit_button.clicked.connect(self._edit)
        self.fill_button = QPushButton(_("Fill in on screen…"))
        self.fill_button.clicked.connect(self._fill_in)
        top = flow_row(together(QLabel(_("Form:")), self.form_combo), new_button, self.edit_button,
                       self.fill_button)  # wraps rather than scroll sideways

        self.entry = EntryPanel(context, undo_stack)
        self.results = ResultsPanel()
        self.results.show_button.clicked.connect(self.refresh_results)
        self.results.export_button.clicked.connect(self._export_results)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._print_panel(), _("Print"))
        self.tabs.addTab(self.entry, _("Type in returned forms"))
        self.tabs.addTab(self.results, _("Results"))
        self.tabs.currentChanged.connect(lambda _i: self._on_tab())
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.missing)
        layout.addWidget(self.tabs, 1)
        today = local_today(context.clock)
        self.results.start_edit.setDate(to_qdate(today.replace(year=today.year - 1)))
        self.results.end_edit.setDate(to_qdate(today))
        try:
            outcomes.add_ready_made_forms(context)  # the two ready-made forms are there from the first visit
        except PeerSupportError as exc:
            show_error(self, exc)
        self.reload()

    # -- print ----------------------------------------------------------------------------------
    def _print_panel(self) -> QWidget:
        panel = QWidget()
        self.print_meeting = QComboBox()
        self.print_meeting.setAccessibleName(_("Meeting to print for"))
        tonight = QPushButton(_("Print for the meeting…"))
        tonight.setObjectName("print_meeting")
        tonight.clicked.connect(lambda: self._print("meeting"))
        self.print_family = QLineEdit()
        self.print_family.setAccessibleName(_("Family code to print for"))
        self.print_family.setPlaceholderText(_("e.g. F0042"))
        one = QPushButton(_("Print for this family…"))
        one.clicked.connect(lambda: self._print("family"))
        self.print_family.returnPressed.connect(one.click)
        self.print_language = QComboBox()
        self.print_language.setAccessibleName(_("Language of anonymous copies"))
        for code in FORM_LANGUAGES:
            self.print_language.addItem(LANGUAGE_NAMES[code], code)
        self.print_copies = QSpinBox()
        self.print_copies.setRange(1, 500)
        self.print_copies.setValue(10)
        self.print_copies.setAccessibleName(_("Number of anonymous copies"))
        anonymous = QPushButton(_("Print anonymous copies…"))
        anonymous.clicked.connect(lambda: self._print("anonymous"))
        self.save_pdf = QPushButton(_("Save the last print as PDF…"))
        self.save_pdf.setEnabled(False)
        self.save_pdf.clicked.connect(self._save_last_pdf)
        self.print_note = QLabel(_("Each family's copy is in the family's language and carries the code from "
                                   "their card, so it can be scanned when typing in the answers."))
        self.print_note.setWordWrap(True)

        meeting_box = QGroupBox(_("Tonight's stack"))
        meeting_form = QFormLayout(meeting_box)
        meeting_form.addRow(_("Meeting:"), self.print_meeting)
        meeting_form.addRow(tonight)
        family_box = QGroupBox(_("One family"))
        family_form = QFormLayout(family_box)
        family_form.addRow(_("Family code:"), self.print_family)
        family_form.addRow(one)
        anonymous_box = QGroupBox(_("Anonymous copies"))
        anonymous_form = QFormLayout(anonymous_box)
        anonymous_form.addRow(_("Language:"), self.print_language)
        anonymous_form.addRow(_("Copies:"), self.print_copies)
        anonymous_form.addRow(anonymous)
        boxes = flow_row(meeting_box, family_box, anonymous_box)
        layout = QVBoxLayout(panel)
        layout.addWidget(self.print_note)
        layout.addLayout(boxes)
        layout.addWidget(self.save_pdf)
        layout.addStretch(1)
        self.last_pdf: Path | None = None
        return panel

    def _copies(self, kind: str):
        if kind == "meeting":
            return outcomes.copies_for_meeting(self._context, self.print_meeting.currentData() or "")
        if kind == "family":
            return [outcomes.copy_for_family(self._context, self.print_family.text())]
        return [outcomes.PrintCopy(self.print_language.currentData())] * self.print_copies.value()

    def print_to_file(self, kind: str, then=None) -> None:
        """Write the chosen copies to a temporary PDF off the GUI thread; ``then(path)`` when done."""
        form = self.current_form()
        if form is None:
            return
        try:
            copies = self._copies(kind)
        except PeerSupportError as exc:
            show_error(self, exc)
            return
        target = Path(self._print_dir.name) / f"{form.reference}-{kind}.pdf"

        def done(pages: int) -> None:
            self.last_pdf = target
            self.save_pdf.setEnabled(True)
            signals.status_message.emit(ngettext("%(count)d form ready to print.", "%(count)d forms ready to print.",
                                                 pages) % {"count": pages})
            if then:
                then(target)

        run_task(self, lambda _progress: outcomes.print_forms(self._context, form.reference, target, copies),
                 done, label=_("Preparing the forms…"))

    def _print(self, kind: str) -> None:
        from peer_support.ui.newsletter.pdf_view import print_pdf

        self.print_to_file(kind, then=lambda path: print_pdf(self, path).exec())

    def _save_last_pdf(self) -> None:
        if self.last_pdf is None:
            return
        path, _filter = QFileDialog.getSaveFileName(self, _("Save forms as PDF"), self.last_pdf.name,
                                                    _("PDF files (*.pdf)"))
        if path:
            try:
                Path(path).write_bytes(self.last_pdf.read_bytes())
            except OSError as exc:
                QMessageBox.warning(self, _("Save forms as PDF"), _("Could not write %(path)s: %(reason)s")
                                    % {"path": path, "reason": exc.strerror or exc})

    # -- forms ------------------------------------------------------------------------------------
    def current_form(self):
        reference = self.form_combo.currentData()
        return next((form for form in self._forms if form.reference == reference), None)

    def reload(self, _kinds: frozenset[Kind] | None = None) -> None:
        self._forms = outcomes.list_forms(self._context)
        current = self.form_combo.currentData()
        self.form_combo.blockSignals(True)
        self.form_combo.clear()
        language = current_language()
        for form in self._forms:
            self.form_combo.addItem(f"{form.reference} – {form.title(language)}", form.reference)
        index = self.form_combo.findData(current)
        self.form_combo.setCurrentIndex(max(0, index))
        self.form_combo.blockSignals(False)
        meetings = sorted(list_meetings(self._context), key=lambda m: m.starts_at, reverse=True)
        today = local_today(self._context.clock)
        recent = [m for m in meetings if m.on <= today][:12] + [m for m in reversed(meetings) if m.on > today][:1]
        recent.sort(key=lambda m: m.starts_at, reverse=True)
        self._meetings = [(m.reference, f"{format_date(m.on)} – {m.topic or m.reference}") for m in recent]
        chosen = self.print_meeting.currentData()
        self.print_meeting.clear()
        upcoming = [m for m in reversed(meetings) if m.on >= today][:3] + [m for m in meetings if m.on < today][:3]
        for meeting in upcoming:
            self.print_meeting.addItem(f"{format_date(meeting.on)} – {meeting.topic or meeting.reference}",
                                       meeting.reference)
        self.print_meeting.setCurrentIndex(max(0, self.print_meeting.findData(chosen)))
        chosen = self.results.meeting_combo.currentData()
        self.results.meeting_combo.clear()
        self.results.meeting_combo.addItem(_("All meetings"), None)
        for reference, label in self._meetings:
            self.results.meeting_combo.addItem(label, reference)
        self.results.meeting_combo.setCurrentIndex(max(0, self.results.meeting_combo.findData(chosen)))
        self._show_form()

    def _show_form(self) -> None:
        form = self.current_form()
        self.entry.set_form(form, self._meetings)
        for button in (self.edit_button, self.fill_button):
            button.setEnabled(form is not None)
        missing = form.missing_languages() if form else ()
        self.missing.setText(_("Still to translate: %(languages)s.")
                             % {"languages": ", ".join(_(LANGUAGE_LABELS[code]) for code in missing)}
                             if missing else "")
        self.missing.setVisible(bool(missing))
        if self.tabs.currentWidget() is self.results:
            self.refresh_results()

    def _on_tab(self) -> None:
        if self.tabs.currentWidget() is self.results:
            self.refresh_results()
        elif self.tabs.currentWidget() is self.entry:
            self.entry.code_edit.setFocus()

    def refresh_results(self) -> None:
        form = self.current_form()
        if form is None:
            return
        start, end = self.results.period()
        try:
            results = outcomes.form_results(self._context, form.reference, start, end,
                                            self.results.meeting_combo.currentData())
        except PeerSupportError as exc:
            show_error(self, exc)
            return
        self.results.show_results(results)

    def _export_results(self) -> None:
        form = self.current_form()
        if form is None:
            return
        path, _filter = QFileDialog.getSaveFileName(self, _("Save results"), f"{form.reference}-results.xlsx",
                                                    _("Excel workbooks (*.xlsx)"))
        if not path:
            return
        start, end = self.results.period()
        meeting = self.results.meeting_combo.currentData()
        run_task(self, lambda _p: outcomes.export_results(self._context, form.reference, path, start, end, meeting),
                 lambda _r: signals.status_message.emit(_("Saved %(path)s.") % {"path": path}),
                 label=_("Saving the results…"))

    def new_item(self) -> None:
        self._open_editor(None)

    def _edit(self) -> None:
        self._open_editor(self.current_form())

    def _open_editor(self, form) -> None:
        if form is None:
            save = lambda draft: outcomes.create_form(self._context, draft)  # noqa: E731
        else:
            save = lambda draft: outcomes.update_form(self._context, form.reference, draft)  # noqa: E731
        dialog = FormEditorDialog(form, save, self)
        if dialog.exec() and dialog.saved is not None:
            saved = dialog.saved
            text = (_("Edit feedback form %(reference)s") if form else _("New feedback form “%(title)s”")) % {
                "reference": saved.record.reference, "title": saved.record.titles["en"]}
            announce(self._context, self._undo_stack, saved.changes, text)
            self.reload()
            self.form_combo.setCurrentIndex(self.form_combo.findData(saved.record.reference))

    def _fill_in(self) -> None:
        form = self.current_form()
        if form is None:
            return
        dialog = FillInDialog(self._context, form, self.entry.meeting_combo.currentData(), self)
        if dialog.exec() and dialog.saved is not None:
            saved = dialog.saved
            announce(self._context, self._undo_stack, saved.changes,
                     feedback_description(form.reference, saved.record.family_reference))
            signals.status_message.emit(_("Thank you: the form is saved."))


def create_page(context, undo_stack) -> FeedbackPage:
    return FeedbackPage(context, undo_stack)
