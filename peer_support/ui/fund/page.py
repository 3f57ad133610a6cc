"""The Fund page: a pot's overview, the filtered application list (oldest first) and the detail."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QLineEdit,
                               QMessageBox, QPushButton, QSplitter, QTableView, QVBoxLayout, QWidget)

from peer_support.clock import local_today
from peer_support.context import AppContext
from peer_support.domain.changes import Kind
from peer_support.domain.fund import Need, Status
from peer_support.errors import PeerSupportError
from peer_support.i18n import _
from peer_support.services import fund
from peer_support.services.families import list_areas
from peer_support.services.fund_queries import get_application, get_pot, list_applications, list_pots
from peer_support.ui.errors import show_error
from peer_support.ui.fund.application_dialog import ApplicationDialog
from peer_support.ui.fund.decision_dialog import DecisionDialog
from peer_support.ui.fund.detail import ApplicationDetail
from peer_support.ui.fund.models import FAMILY_COLUMN, HIDDEN_COLUMNS, RECORD_ROLE, SORT_ROLE, ApplicationTableModel
from peer_support.ui.fund.overview import PotOverview
from peer_support.ui.fund.payment_dialog import PaymentDialog
from peer_support.ui.fund.pot_dialog import PotDialog
from peer_support.ui.fund.report_dialog import ReportDialog
from peer_support.ui.ops import announce
from peer_support.ui.widgets.flow_layout import flow_row, together

QUEUE = "queue"


class FundPage(QWidget):
    SHOWS = frozenset({Kind.FUND, Kind.FAMILY, Kind.PLACE})

    def __init__(self, context: AppContext, undo_stack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context, self._undo_stack = context, undo_stack
        self.pot_combo = QComboBox()
        self.pot_combo.setObjectName("pot")
        self.pot_combo.setMinimumContentsLength(24)
        self.pot_combo.activated.connect(lambda _i: self.reload())
        self.new_pot_button = self._button(_("New &pot…"), "new_pot", self._on_new_pot_clicked)
        self.edit_pot_button = self._button(_("&Edit pot…"), "edit_pot", self._on_edit_pot_clicked)
        self.new_button = self._button(_("&New application…"), "new_application", self.new_item)
        self.report_button = self._button(_("Funder &report…"), "report", self.print_current)
        pot_label = QLabel(_("P&ot:"))
        pot_label.setBuddy(self.pot_combo)
        top = flow_row(together(pot_label, self.pot_combo), self.new_pot_button, self.edit_pot_button,
                       self.new_button, self.report_button)  # wraps rather than scroll sideways
        self.overview = PotOverview()

        self.status_filter = QComboBox()
        self.status_filter.setObjectName("status_filter")
        self.status_filter.addItem(_("All statuses"), "")
        self.status_filter.addItem(_("Waiting for a decision (oldest first)"), QUEUE)
        for status in Status:
            self.status_filter.addItem(status.label, str(status))
        self.need_filter = QComboBox()
        self.need_filter.setObjectName("need_filter")
        self.need_filter.addItem(_("All needs"), "")
        for need in Need:
            self.need_filter.addItem(need.label, str(need))
        self.area_filter = QComboBox()
        self.area_filter.setObjectName("area_filter")
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setAccessibleName(_("Search applications"))
        self.search.setPlaceholderText(_("Search reference, family or reason"))
        self.search.setClearButtonEnabled(True)
        for combo in (self.status_filter, self.need_filter, self.area_filter):
            combo.activated.connect(lambda _i: self._load_applications())
        self.search.textChanged.connect(lambda _t: self._load_applications())
        for combo in (self.status_filter, self.need_filter, self.area_filter):
            # Long translated choices elide in the closed box (the open list shows them whole), so the
            # row fits a small screen with a large font.
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
        filters = QHBoxLayout()
        filters.addWidget(self.status_filter)
        filters.addWidget(self.need_filter)
        filters.addWidget(self.area_filter)
        filters.addWidget(self.search, 1)

        self.model = ApplicationTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setObjectName("applications")
        self.table.setAccessibleName(_("Applications"))
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(FAMILY_COLUMN, QHeaderView.ResizeMode.Stretch)  # long names elide
        for column in HIDDEN_COLUMNS:
            self.table.setColumnHidden(column, True)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._show_current())
        self.table.activated.connect(lambda _index: self._on_decide())
        self.count_label = QLabel()
        self.count_label.setObjectName("count")

        self.detail = ApplicationDetail(context)
        self.detail.decide_requested.connect(self._on_decide)
        self.detail.pay_requested.connect(self._on_pay)
        self.detail.close_requested.connect(self._on_close)
        self.detail.notes_requested.connect(self._on_edit_notes)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.count_label)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([900, 320])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.overview)
        layout.addWidget(splitter, 1)
        self.setTabOrder(self.pot_combo, self.status_filter)
        self.setTabOrder(self.status_filter, self.need_filter)
        self.setTabOrder(self.need_filter, self.area_filter)
        self.setTabOrder(self.area_filter, self.search)
        self.setTabOrder(self.search, self.table)
        self.reload()

    def _button(self, text: str, name: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(lambda _checked=False: slot())
        return button

    # -- loading ------------------------------------------------------------------------
    def current_pot(self) -> str:
        return self.pot_combo.currentData() or ""

    def reload(self, _kinds: frozenset[Kind] | None = None) -> None:
        chosen = self.current_pot()
        pots = list_pots(self._context)
        self.pot_combo.clear()
        for pot in pots:
            self.pot_combo.addItem(pot.name, pot.name)
        index = self.pot_combo.findData(chosen)
        self.pot_combo.setCurrentIndex(index if index >= 0 else 0)
        area = self.area_filter.currentData()
        self.area_filter.clear()
        self.area_filter.addItem(_("All areas"), "")
        for name in list_areas(self._context):
            self.area_filter.addItem(name, name)
        self.area_filter.setCurrentIndex(max(0, self.area_filter.findData(area)))
        pot = next((p for p in pots if p.name == self.current_pot()), None)
        self.overview.set_pot(pot)
        for widget in (self.edit_pot_button, self.new_button, self.report_button, self.table):
            widget.setEnabled(pot is not None)
        self._load_applications()

    def _load_applications(self) -> None:
        selected = self.detail.record.reference if self.detail.record else ""
        status = self.status_filter.currentData()
        statuses = [Status.RECEIVED] if status == QUEUE else [Status(status)] if status else []
        need = Need(self.need_filter.currentData()) if self.need_filter.currentData() else None
        records = (list_applications(self._context, pot=self.current_pot(), statuses=statuses, need=need,
                                     area=self.area_filter.currentData() or "", text=self.search.text())
                   if self.current_pot() else [])
        self.model.set_records(records)
        self.count_label.setText(_("%(shown)d shown · oldest received first") % {"shown": len(records)})
        if not self.show_item(selected):
            self.detail.show_record(None)

    def _show_current(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            self.detail.show_record(None)
            return
        record = self.proxy.data(index, RECORD_ROLE)
        self.detail.show_record(get_application(self._context, record.reference))

    def show_item(self, reference: str) -> bool:
        row = self.model.row_of(reference) if reference else -1
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        self._show_current()
        return True

    # -- actions (menus call new_item, focus_search, print_current) ---------------------
    def new_item(self) -> None:
        if not self.current_pot():
            self._on_new_pot_clicked()
            return
        dialog = ApplicationDialog(self._context, self._undo_stack, self.current_pot(), self)
        if dialog.exec() and dialog.saved_reference:
            self.show_item(dialog.saved_reference)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def print_current(self) -> None:
        pot = self.current_pot()
        opens_on = get_pot(self._context, pot).opens_on if pot else None
        ReportDialog(self._context, pot, opens_on, self).exec()

    def _on_new_pot_clicked(self) -> None:
        dialog = PotDialog(self._context, self._undo_stack, parent=self)
        if dialog.exec() and dialog.saved_name:
            self.pot_combo.addItem(dialog.saved_name, dialog.saved_name)
            self.pot_combo.setCurrentIndex(self.pot_combo.findData(dialog.saved_name))
            self.reload()

    def _on_edit_pot_clicked(self) -> None:
        if not self.current_pot():
            return
        dialog = PotDialog(self._context, self._undo_stack, get_pot(self._context, self.current_pot()), self)
        if dialog.exec() and dialog.saved_name:
            self.pot_combo.setItemData(self.pot_combo.currentIndex(), dialog.saved_name)
            self.reload()

    def _on_decide(self) -> None:
        record = self.detail.record
        if record is None or not self.detail.decide_button.isEnabled():
            return
        pot = get_pot(self._context, record.pot)
        DecisionDialog(self._context, self._undo_stack, record, pot, self).exec()

    def _on_pay(self) -> None:
        if self.detail.record is not None:
            PaymentDialog(self._context, self._undo_stack, self.detail.record, self).exec()

    def _on_close(self) -> None:
        record = self.detail.record
        if record is None:
            return
        answer = QMessageBox.question(self, _("Close application"), _(
            "Close %(reference)s? It is fully paid; closing it says nothing more will happen.")
            % {"reference": record.reference})
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            saved = fund.close_application(self._context, record.reference, local_today(self._context.clock))
        except PeerSupportError as exc:
            show_error(self, exc)
            return
        announce(self._context, self._undo_stack, saved.changes,
                 _("Close application %(reference)s") % {"reference": record.reference})

    def _on_edit_notes(self) -> None:
        record = self.detail.record
        if record is None:
            return
        text, ok = QInputDialog.getMultiLineText(
            self, _("Eligibility notes"), _("Eligibility notes for %(reference)s") % {"reference": record.reference},
            record.eligibility_notes)
        if not ok or text.strip() == record.eligibility_notes:
            return
        try:
            saved = fund.set_eligibility_notes(self._context, record.reference, text)
        except PeerSupportError as exc:
            show_error(self, exc)
            return
        announce(self._context, self._undo_stack, saved.changes,
                 _("Eligibility notes for %(reference)s") % {"reference": record.reference})
