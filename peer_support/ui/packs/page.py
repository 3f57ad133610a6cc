"""The Packs page: choose a batch, then scan, follow progress, or plan runs and print."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QTabWidget, QVBoxLayout, QWidget

from peer_support.context import AppContext
from peer_support.domain.changes import Kind
from peer_support.i18n import _, ngettext
from peer_support.services import packs
from peer_support.ui.packs.batch_dialog import BatchDialog
from peer_support.ui.packs.progress import ProgressView
from peer_support.ui.packs.runs import RunsView
from peer_support.ui.packs.scan import ScanView
from peer_support.domain.roles import Permission
from peer_support.services import access

class PacksPage(QWidget):
    SHOWS = frozenset({Kind.PACK_BATCH, Kind.PACK, Kind.VOLUNTEER, Kind.FAMILY})

    def __init__(self, context: AppContext, undo_stack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context, self._undo_stack = context, undo_stack
        self._batches = []
        self.batch_combo = QComboBox()
        self.batch_combo.setObjectName("batch")
        self.batch_combo.currentIndexChanged.connect(self._on_batch_chosen)
        self.batch_info = QLabel()
        self.batch_info.setWordWrap(True)
        new_button = QPushButton(_("New batch…"))
        new_button.clicked.connect(self.new_item)
        self.scan_view = ScanView(context, undo_stack)
        self.progress_view = ProgressView(context)
        self.runs_view = RunsView(context, undo_stack)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.scan_view, _("Scan deliveries"))
        self.tabs.addTab(self.progress_view, _("Progress"))
        self.tabs.addTab(self.runs_view, _("Runs and printing"))
        if not access.allowed(context, Permission.PACKS):  # a volunteer: scan mode and progress only
            self.tabs.removeTab(self.tabs.indexOf(self.runs_view))
            new_button.hide()
        self._stale_views: set = set()
        self.tabs.currentChanged.connect(self._on_tab_changed)
        top = QHBoxLayout()
        top.addWidget(QLabel(_("Batch")))
        top.addWidget(self.batch_combo, 1)
        top.addWidget(new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.batch_info)
        layout.addWidget(self.tabs, 1)
        self._load_batches()

    def _load_batches(self, select: str | None = None) -> None:
        current = select or self.batch_combo.currentData()
        self._batches = packs.list_batches(self._context)
        self.batch_combo.blockSignals(True)
        self.batch_combo.clear()
        for batch in self._batches:
            self.batch_combo.addItem(f"{batch.reference} · {batch.name}", batch.reference)
        index = self.batch_combo.findData(current)
        self.batch_combo.setCurrentIndex(index if index >= 0 else len(self._batches) - 1)
        self.batch_combo.blockSignals(False)
        self._on_batch_chosen()

    def current_batch(self):
        reference = self.batch_combo.currentData()
        return next((b for b in self._batches if b.reference == reference), None)

    def _on_batch_chosen(self, *_args) -> None:
        batch = self.current_batch()
        if batch is None:
            self.batch_info.setText(_("No batches yet. Create one with “New batch…”."))
        else:
            text = ngettext("%(count)d pack", "%(count)d packs", batch.pack_count) % {"count": batch.pack_count}
            if batch.contents:
                text = _("%(packs)s · in each pack: %(items)s") % {"packs": text, "items": ", ".join(batch.contents)}
            self.batch_info.setText(text)
        for view in (self.scan_view, self.progress_view, self.runs_view):
            view.set_batch(batch)

    def reload(self, kinds: frozenset[Kind]) -> None:
        if Kind.PACK_BATCH in kinds:
            self._load_batches()
        else:
            # Only the tab on screen reloads now (a scan must not wait for the hidden lists);
            # the others reload when shown.
            for view in (self.scan_view, self.progress_view, self.runs_view):
                if view is self.tabs.currentWidget() and self.isVisible():
                    view.refresh()
                else:
                    self._stale_views.add(view)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self._on_tab_changed(self.tabs.currentIndex())

    def _on_tab_changed(self, _index: int) -> None:
        view = self.tabs.currentWidget()
        if view in self._stale_views:
            self._stale_views.discard(view)
            view.refresh()

    def new_item(self) -> None:
        dialog = BatchDialog(self._context, self._undo_stack, self)
        if dialog.exec() and dialog.created:  # run_change pushed the undo step and told the pages
            self._load_batches(dialog.created.reference)

    def print_current(self) -> None:
        self.tabs.setCurrentWidget(self.runs_view)
        self.runs_view._on_labels_clicked()

    def show_scan_mode(self) -> None:
        self.tabs.setCurrentWidget(self.scan_view)
        self.scan_view.code_edit.setFocus()
