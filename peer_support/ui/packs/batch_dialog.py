"""New batch: name, description, contents checklist, date and which families get a pack."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QDialog, QDialogButtonBox, QFormLayout, QLineEdit,
                               QListWidget, QListWidgetItem, QPlainTextEdit, QSpinBox, QVBoxLayout)

from peer_support.clock import local_today
from peer_support.context import AppContext
from peer_support.domain.packs import BatchDraft, BatchRecord
from peer_support.i18n import _
from peer_support.services import packs
from peer_support.services.families import list_areas, list_schools
from peer_support.ui.ops import run_change
from peer_support.ui.widgets.date_edit import date_edit


def _checklist(names: list[str]) -> QListWidget:
    widget = QListWidget()
    widget.setMaximumHeight(110)
    for name in names:
        item = QListWidgetItem(name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        widget.addItem(item)
    return widget


def _checked(widget: QListWidget) -> tuple[str, ...]:
    return tuple(widget.item(i).text() for i in range(widget.count())
                 if widget.item(i).checkState() == Qt.CheckState.Checked)


class BatchDialog(QDialog):
    def __init__(self, context: AppContext, undo_stack=None, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("New pack batch"))
        self._context, self._undo_stack = context, undo_stack
        self.created: BatchRecord | None = None
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("batch_name")
        self.description_edit = QLineEdit()
        self.contents_edit = QPlainTextEdit()
        self.contents_edit.setPlaceholderText(_("One item per line"))
        self.contents_edit.setTabChangesFocus(True)
        self.contents_edit.setMaximumHeight(90)
        self.date_edit = date_edit(local_today(context.clock))
        self.areas = _checklist(list_areas(context))
        self.schools = _checklist(list_schools(context))
        self.needs_internet = QCheckBox(_("Only families who need internet"))
        self.needs_device = QCheckBox(_("Only families who need a device"))
        self.per_family = QSpinBox()
        self.per_family.setRange(1, packs.MAX_PACKS_PER_FAMILY)
        self.runs = QSpinBox()
        self.runs.setRange(1, packs.MAX_RUNS)
        self.runs.setValue(20)
        form = QFormLayout()
        form.addRow(_("Name"), self.name_edit)
        form.addRow(_("Description"), self.description_edit)
        form.addRow(_("Contents"), self.contents_edit)
        form.addRow(_("Date"), self.date_edit)
        form.addRow(_("Areas (none ticked: all)"), self.areas)
        form.addRow(_("Schools (none ticked: all)"), self.schools)
        form.addRow("", self.needs_internet)
        form.addRow("", self.needs_device)
        form.addRow(_("Packs per family"), self.per_family)
        form.addRow(_("Delivery runs"), self.runs)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Create batch"))
        buttons.accepted.connect(self._on_create_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def draft(self) -> BatchDraft:
        return BatchDraft(
            name=self.name_edit.text(), description=self.description_edit.text(),
            contents=tuple(self.contents_edit.toPlainText().splitlines()),
            packed_on=self.date_edit.date().toPython(), areas=_checked(self.areas), schools=_checked(self.schools),
            needs_internet=self.needs_internet.isChecked(), needs_device=self.needs_device.isChecked(),
            packs_per_family=self.per_family.value())

    def _on_create_clicked(self) -> None:
        draft, runs = self.draft(), self.runs.value()
        saved = run_change(self, self._context, self._undo_stack,
                           lambda: packs.create_batch(self._context, draft, runs), packs.batch_description(draft))
        if saved is None:
            return  # the error was shown; nothing was written
        self.created = saved.record
        self.accept()
