"""The issue editor: details, automatic sections, tip of the month, ordered sections,
and one tab per language version (each section translated by the organiser)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFileDialog, QFormLayout, QGroupBox,
                               QHBoxLayout, QInputDialog, QLabel, QLineEdit, QListWidget, QPushButton,
                               QTabWidget, QVBoxLayout, QWidget)

from peer_support import i18n
from peer_support.context import AppContext
from peer_support.domain.newsletter import (AUTOMATIC_LABELS, AUTOMATIC_SECTIONS, COMPARTMENT_LABELS,
                                            RESILIENCE_COMPARTMENTS, STATUS_LABELS, STATUSES,
                                            TEMPLATE_LABELS, TEMPLATES, IssueDraft, IssueRecord,
                                            SectionRecord, SectionText, VersionRecord)
from peer_support.errors import PeerSupportError
from peer_support.i18n import _
from peer_support.services.newsletter import attach_image
from peer_support.ui.errors import show_error
from peer_support.ui.newsletter.rich_text import RichTextEditor
from peer_support.ui.widgets.date_edit import date_edit
from peer_support.ui.widgets.flow_layout import flow_row


class VersionTab(QWidget):
    """One language's words: the title, the tip, and the selected section."""

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language
        self.title = QLineEdit()
        self.title.setObjectName(f"title_{language}")
        self.tip = RichTextEditor()
        self.tip.setMaximumHeight(120)
        self.heading = QLineEdit()
        self.heading.setObjectName(f"heading_{language}")
        self.body = RichTextEditor()
        self.body.edit.setObjectName(f"body_{language}")
        self.caption = QLineEdit()
        form = QFormLayout(self)
        # Labels go above their fields: the writing area needs the width on a small screen.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.addRow(_("Title"), self.title)
        form.addRow(_("Tip of the month"), self.tip)
        self.tip.edit.setAccessibleName(_("Tip of the month"))
        form.addRow(_("Section heading"), self.heading)
        form.addRow(_("Section text"), self.body)
        self.body.edit.setAccessibleName(_("Section text"))
        form.addRow(_("Picture caption"), self.caption)


class IssueEditor(QWidget):
    changed = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._issue: IssueRecord | None = None
        self._sections: list[dict] = []  # {"id", "image_file", "texts": {lang: SectionText}}
        self._current = -1

        self.issued_on = date_edit()
        self.language = QComboBox()
        for code in i18n.SUPPORTED_LANGUAGES:
            self.language.addItem(i18n.LANGUAGE_NAMES[code], code)
        self.status = QComboBox()
        for key in STATUSES:
            self.status.addItem(_(STATUS_LABELS[key]), key)
        self.template = QComboBox()
        for key in TEMPLATES:
            self.template.addItem(_(TEMPLATE_LABELS[key]), key)
        self.compartment = QComboBox()
        self.compartment.addItem(_("(none)"), "")
        for key in RESILIENCE_COMPARTMENTS:
            self.compartment.addItem(_(COMPARTMENT_LABELS[key]), key)
        details = QGroupBox(_("Issue"))
        form = QFormLayout(details)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(_("Date"), self.issued_on)
        form.addRow(_("Main language"), self.language)
        form.addRow(_("Status"), self.status)
        form.addRow(_("Layout"), self.template)
        form.addRow(_("Tip of the month: Resilience Framework compartment"), self.compartment)

        # The long title is a wrapping label, not the group's title: a group box is never narrower
        # than its title, and this one made the editor wider than a small screen in German.
        automatic = QGroupBox()
        automatic_layout = QVBoxLayout(automatic)
        automatic_title = QLabel(_("Automatic sections (made from the data when printed)"))
        automatic_title.setWordWrap(True)
        automatic.setAccessibleName(automatic_title.text())
        automatic_layout.addWidget(automatic_title)
        self.automatic: dict[str, QCheckBox] = {}
        for key in AUTOMATIC_SECTIONS:
            box = QCheckBox(_(AUTOMATIC_LABELS[key]))
            box.setObjectName(f"auto_{key}")
            automatic_layout.addWidget(box)
            self.automatic[key] = box

        self.section_list = QListWidget()
        self.section_list.setObjectName("sections")
        self.section_list.currentRowChanged.connect(self._on_section_chosen)
        buttons = flow_row()  # wraps rather than scroll sideways
        for name, text, slot in (("add_section", _("Add section"), self._on_add_section),
                                 ("remove_section", _("Remove"), self._on_remove_section),
                                 ("up", _("Move up"), lambda: self._move(-1)),
                                 ("down", _("Move down"), lambda: self._move(1))):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        self.image_label = QLabel()
        self.image_label.setWordWrap(True)
        image_buttons = QHBoxLayout()
        choose = QPushButton(_("Choose picture…"))
        choose.clicked.connect(self._on_choose_image)
        clear = QPushButton(_("No picture"))
        clear.clicked.connect(self._on_clear_image)
        image_buttons.addWidget(choose)
        image_buttons.addWidget(clear)
        sections_box = QGroupBox(_("Sections, in printed order"))
        sections_layout = QVBoxLayout(sections_box)
        sections_layout.addWidget(self.section_list)
        sections_layout.addLayout(buttons)
        sections_layout.addWidget(self.image_label)
        sections_layout.addLayout(image_buttons)

        self.versions = QTabWidget()
        self.versions.setObjectName("versions")
        add_version = QPushButton(_("Add language version…"))
        add_version.setObjectName("add_version")
        add_version.clicked.connect(self._on_add_version)
        versions_column = QVBoxLayout()  # the button below the tabs: beside them it widened the editor
        versions_column.addWidget(self.versions, 1)
        versions_column.addWidget(add_version, 0, Qt.AlignmentFlag.AlignRight)

        left = QVBoxLayout()
        left.addWidget(details)
        left.addWidget(automatic)
        left.addWidget(sections_box, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 2)
        layout.addLayout(versions_column, 3)

    # -- loading -----------------------------------------------------------------------
    def tabs(self) -> list[VersionTab]:
        return [self.versions.widget(i) for i in range(self.versions.count())]

    def _tab(self, language: str) -> VersionTab:
        tab = VersionTab(language)
        self.versions.addTab(tab, i18n.LANGUAGE_NAMES.get(language, language))
        return tab

    @property
    def issue(self) -> IssueRecord | None:
        """The issue as last loaded (saved)."""
        return self._issue

    def load(self, issue: IssueRecord) -> None:
        self._issue = issue
        self.issued_on.setDate(QDate(issue.issued_on.year, issue.issued_on.month, issue.issued_on.day))
        self.language.setCurrentIndex(self.language.findData(issue.language))
        self.status.setCurrentIndex(self.status.findData(issue.status))
        self.template.setCurrentIndex(self.template.findData(issue.template))
        self.compartment.setCurrentIndex(max(0, self.compartment.findData(issue.tip_compartment)))
        for key, box in self.automatic.items():
            box.setChecked(key in issue.automatic)
        self._sections = [{"id": s.id, "image_file": s.image_file, "texts": {t.language: t for t in s.texts}}
                          for s in issue.sections]
        self.versions.clear()
        for language in issue.languages:
            version = issue.version(language)
            tab = self._tab(language)
            tab.title.setText(version.title)
            tab.tip.set_safe_html(version.tip_text)
        self._current = -1
        self._refresh_list(0 if self._sections else -1)
        self._baseline = self.draft()

    def mark_saved(self) -> None:
        """What is on screen is now what is saved."""
        self._baseline = self.draft()

    def is_dirty(self) -> bool:
        """True when the editor holds typed changes that are not saved."""
        return self._issue is not None and self.draft() != self._baseline

    def _refresh_list(self, row: int) -> None:
        self.section_list.blockSignals(True)
        self.section_list.clear()
        main = self.language.currentData()
        for number, section in enumerate(self._sections, start=1):
            text = section["texts"].get(main) or SectionText(main)
            self.section_list.addItem(text.heading or _("Section %(number)s") % {"number": number})
        self.section_list.blockSignals(False)
        self._current = -1
        self.section_list.setCurrentRow(row)
        self._on_section_chosen(row)

    # -- sections ----------------------------------------------------------------------
    def _store_current(self) -> None:
        if not 0 <= self._current < len(self._sections):
            return
        texts = self._sections[self._current]["texts"]
        for tab in self.tabs():
            texts[tab.language] = SectionText(tab.language, tab.heading.text(), tab.body.safe_html(),
                                              tab.caption.text())

    def _on_section_chosen(self, row: int) -> None:
        self._store_current()
        self._current = row
        has_section = 0 <= row < len(self._sections)
        for tab in self.tabs():
            text = self._sections[row]["texts"].get(tab.language) if has_section else None
            text = text or SectionText(tab.language)
            tab.heading.setText(text.heading)
            tab.body.set_safe_html(text.body)
            tab.caption.setText(text.caption)
            for widget in (tab.heading, tab.body, tab.caption):
                widget.setEnabled(has_section)
        image = self._sections[row]["image_file"] if has_section else ""
        self.image_label.setText(_("Picture: %(file)s") % {"file": image} if image else _("No picture."))

    def _on_add_section(self) -> None:
        self._store_current()
        self._sections.append({"id": None, "image_file": "", "texts": {}})
        self._refresh_list(len(self._sections) - 1)
        tabs = self.tabs()
        if tabs:
            self.versions.setCurrentIndex(0)
            tabs[0].heading.setFocus()

    def _on_remove_section(self) -> None:
        row = self.section_list.currentRow()
        if 0 <= row < len(self._sections):
            self._current = -1
            del self._sections[row]
            self._refresh_list(min(row, len(self._sections) - 1))

    def _move(self, step: int) -> None:
        row = self.section_list.currentRow()
        target = row + step
        if 0 <= row < len(self._sections) and 0 <= target < len(self._sections):
            self._store_current()
            self._sections[row], self._sections[target] = self._sections[target], self._sections[row]
            self._current = -1
            self._refresh_list(target)

    def _on_choose_image(self) -> None:
        row = self.section_list.currentRow()
        if not 0 <= row < len(self._sections):
            return
        path, _filter = QFileDialog.getOpenFileName(self, _("Choose a picture"), "",
                                                    _("Pictures (*.png *.jpg *.jpeg *.gif)"))
        if path:
            self.set_image(row, path)

    def set_image(self, row: int, path: str) -> None:
        try:
            self._sections[row]["image_file"] = attach_image(self._context, path)
        except PeerSupportError as exc:
            show_error(self, exc)
            return
        self._on_section_chosen_refresh(row)

    def _on_clear_image(self) -> None:
        row = self.section_list.currentRow()
        if 0 <= row < len(self._sections):
            self._sections[row]["image_file"] = ""
            self._on_section_chosen_refresh(row)

    def _on_section_chosen_refresh(self, row: int) -> None:
        self._store_current()
        self._current = -1
        self._on_section_chosen(row)

    # -- versions ----------------------------------------------------------------------
    def _on_add_version(self) -> None:
        present = {tab.language for tab in self.tabs()}
        choices = [code for code in i18n.SUPPORTED_LANGUAGES if code not in present]
        if not choices:
            return
        names = [i18n.LANGUAGE_NAMES[code] for code in choices]
        name, accepted = QInputDialog.getItem(self, _("Add language version"), _("Language"), names, 0, False)
        if accepted:
            self.add_version(choices[names.index(name)])

    def add_version(self, language: str) -> None:
        self._store_current()
        tab = self._tab(language)
        self.versions.setCurrentWidget(tab)
        self._current = -1
        self._on_section_chosen(self.section_list.currentRow())
        tab.title.setFocus()

    # -- saving ------------------------------------------------------------------------
    def draft(self) -> IssueDraft:
        self._store_current()
        qdate = self.issued_on.date()
        versions = tuple(VersionRecord(tab.language, tab.title.text(), tab.tip.safe_html())
                         for tab in self.tabs())
        sections = tuple(SectionRecord(s["id"], s["image_file"], tuple(s["texts"].values()))
                         for s in self._sections)
        return IssueDraft(issued_on=date(qdate.year(), qdate.month(), qdate.day()),
                          language=self.language.currentData(), status=self.status.currentData(),
                          template=self.template.currentData(),
                          automatic=tuple(k for k, box in self.automatic.items() if box.isChecked()),
                          tip_compartment=self.compartment.currentData(), versions=versions,
                          sections=sections)
