"""Scan mode: focus stays in one field; a code + Enter records the outcome at once.

Built for hours of use with a USB scanner: no dialog ever opens here (a modal
box would swallow the next scan's Enter), feedback is a large coloured panel,
and the recent list is reloaded with a fixed number of rows, never appended to.
"""

from __future__ import annotations

from collections import deque

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (QAbstractItemView, QButtonGroup, QCheckBox, QComboBox, QFormLayout,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QProgressBar, QPushButton, QStyle,
                               QTableView, QVBoxLayout, QWidget)

from peer_support.clock import local_today
from peer_support.context import AppContext
from peer_support.domain.changes import Kind, Saved
from peer_support.domain.packs import (AlreadyDeliveredError, BatchRecord, EventRecord, Outcome, ScanReceipt,
                                       WrongBatchError, check_volunteer, format_code, normalise_code,
                                       status_label)
from peer_support.errors import NotFoundError, PeerSupportError, ValidationError
from peer_support.i18n import _, pgettext
from peer_support.services import deliveries, packs
from peer_support.services.families import list_volunteers
from peer_support.ui.ops import announce, data_changed
from peer_support.ui.packs.models import RecentScansModel
from peer_support.ui.packs.scanner import ScannerBurstFilter
from peer_support.ui.packs.sounds import SOUND_FOR_STATE, ScanSounds
from peer_support.ui.undo import ActionCommand
from peer_support.ui.widgets.flow_layout import flow_row

RECENT_ROWS = 15
STYLES = {  # each state also has its own words, icon and sound: colour is never the only signal
    "idle": "background:palette(base); color:palette(text); border:2px solid palette(mid);",
    "ok": "background:#1b7f3b; color:white; border:2px solid #0f5a28;",
    "warn": "background:#ffc02e; color:#1d1d1d; border:4px solid #a86b00;",
    "error": "background:#b00020; color:white; border:4px solid #6d0014;",
}
ICONS = {"idle": QStyle.StandardPixmap.SP_ArrowForward, "ok": QStyle.StandardPixmap.SP_DialogApplyButton,
         "warn": QStyle.StandardPixmap.SP_MessageBoxWarning, "error": QStyle.StandardPixmap.SP_MessageBoxCritical}
SOUND_KEY = "scan/sound"
# F1 is help everywhere; F5 (or Esc) goes back to "delivered".
OUTCOME_KEYS = ((Outcome.DELIVERED, "F5"), (Outcome.NOT_HOME, "F2"), (Outcome.REFUSED, "F3"),
                (Outcome.RETURNED, "F4"))


class ScanView(QWidget):
    scanned = Signal(str)  # "ok", "warn" or "error": the state the feedback panel shows

    def __init__(self, context: AppContext, undo_stack, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._undo_stack = undo_stack
        self._batch: BatchRecord | None = None
        self._rejects: deque[EventRecord] = deque(maxlen=RECENT_ROWS)
        self._mine: deque[tuple[str, ActionCommand, str]] = deque(maxlen=50)  # action, command, code
        self.state = "idle"

        self.volunteer_combo = QComboBox()
        self.volunteer_combo.setObjectName("scan_volunteer")
        self.volunteer_combo.activated.connect(lambda _i: self.code_edit.setFocus())
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("scan_note")
        self.note_edit.setPlaceholderText(_("Optional note for the next scan, e.g. 'card left'"))
        self.note_edit.returnPressed.connect(lambda: self.code_edit.setFocus())

        self.outcome_group = QButtonGroup(self)
        outcome_row = flow_row()  # wraps rather than scroll sideways
        for number, (outcome, key) in enumerate(OUTCOME_KEYS):
            button = QPushButton(_("%(outcome)s (%(key)s)") % {"outcome": status_label(outcome.value), "key": key})
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the code field keeps the focus
            button.setObjectName(f"outcome_{outcome.value}")
            self.outcome_group.addButton(button, number)
            outcome_row.addWidget(button)
            QShortcut(QKeySequence(key), self, activated=lambda b=button: b.setChecked(True))
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, activated=lambda: self.outcome_group.button(0).setChecked(True))
        self.outcome_group.button(0).setChecked(True)
        self.outcome_group.buttonClicked.connect(lambda _button: self.code_edit.setFocus())

        self.code_edit = QLineEdit()
        self.code_edit.setObjectName("scan_code")
        self.code_edit.setAccessibleName(_("Pack code"))
        self.code_edit.setAccessibleDescription(_("Scan or type the pack code, then Enter"))
        self.code_edit.setPlaceholderText(_("Scan or type the pack code, then Enter"))
        # Sizes relative to the system font, so a larger system font makes these larger too.
        self.code_edit.setFont(_scaled(self.code_edit.font(), 2.2))
        self.code_edit.setMaxLength(40)
        self.code_edit.returnPressed.connect(self._on_code_entered)

        self.feedback = QLabel()
        self.feedback.setObjectName("scan_feedback")
        self.feedback.setWordWrap(True)
        self.feedback.setMinimumHeight(120)
        self.feedback.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.feedback.setFont(_scaled(self.feedback.font(), 1.7))
        self.feedback.setAccessibleName(_("Scan result"))
        self.feedback_icon = QLabel()
        self.feedback_icon.setObjectName("scan_feedback_icon")
        self.feedback_icon.setFixedWidth(72)
        self.feedback_icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.sound_box = QCheckBox(_("Sound for each scan"))
        self.sound_box.setObjectName("scan_sound")
        self.sound_box.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._settings = QSettings(str(context.data_dir / "window.ini"), QSettings.Format.IniFormat)
        self.sound_box.setChecked(self._settings.value(SOUND_KEY, True, type=bool))
        self.sound_box.toggled.connect(self._on_sound_toggled)
        self.sounds = ScanSounds(self)

        self.undo_button = QPushButton(_("Undo last scan (F8)"))
        self.undo_button.setObjectName("scan_undo")
        self.undo_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.undo_button.clicked.connect(self.undo_last)
        QShortcut(QKeySequence("F8"), self, activated=self.undo_last)
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("scan_progress")
        self.session_label = QLabel()

        self.recent_model = RecentScansModel(self)
        self.recent_view = QTableView()
        self.recent_view.setModel(self.recent_model)
        self.recent_view.setAccessibleName(_("Latest scans"))
        self.recent_view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.recent_view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.recent_view.verticalHeader().hide()
        self.recent_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.recent_view.horizontalHeader().setStretchLastSection(True)

        form = QFormLayout()
        form.addRow(_("Delivered by"), self.volunteer_combo)
        form.addRow(_("What happened"), outcome_row)
        form.addRow(_("Note"), self.note_edit)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.code_edit)
        feedback_row = QHBoxLayout()
        feedback_row.addWidget(self.feedback_icon)
        feedback_row.addWidget(self.feedback, 1)
        layout.addLayout(feedback_row)
        status_row = QHBoxLayout()
        status_row.addWidget(self.progress_bar, 1)
        status_row.addWidget(self.session_label)
        status_row.addWidget(self.sound_box)
        status_row.addWidget(self.undo_button)
        layout.addLayout(status_row)
        layout.addWidget(QLabel(_("Latest scans")))
        layout.addWidget(self.recent_view, 1)
        self._delivered_here: list[_ScanState] = []  # this session's deliveries, undone or not
        self._burst_filter = ScannerBurstFilter(self, self.code_edit, self.scan_text)
        self._load_volunteers()
        self._show("idle", _("Ready. Scan a pack label."))

    # -- set-up -----------------------------------------------------------------------
    def _load_volunteers(self) -> None:
        current = self.volunteer_combo.currentData()
        self.volunteer_combo.clear()
        self.volunteer_combo.addItem(_("Choose who is delivering…"), None)
        for volunteer in list_volunteers(self._context):
            self.volunteer_combo.addItem(f"{volunteer.name} ({volunteer.reference})", volunteer.id)
        self.volunteer_combo.setCurrentIndex(max(0, self.volunteer_combo.findData(current)))

    def set_batch(self, batch: BatchRecord | None) -> None:
        self._batch = batch
        self._rejects.clear()
        self.code_edit.setEnabled(batch is not None)
        self.refresh()

    def refresh(self) -> None:
        if self._batch is None:
            self.recent_model.set_rows([])
            self.progress_bar.setRange(0, 1)
            self.progress_bar.setValue(0)
            return
        overall, _runs = packs.batch_progress(self._context, self._batch.reference)
        self.progress_bar.setRange(0, max(overall.total, 1))
        self.progress_bar.setValue(overall.delivered)
        self.progress_bar.setFormat(_("%(delivered)d of %(total)d delivered")
                                    % {"delivered": overall.delivered, "total": overall.total})
        events = deliveries.recent_events(self._context, self._batch.id, RECENT_ROWS)
        rows = sorted([*events, *self._rejects], key=lambda e: e.at, reverse=True)[:RECENT_ROWS]
        self.recent_model.today = local_today(self._context.clock)
        self.recent_model.set_rows(rows)
        self.session_label.setText(_("This laptop: %(count)d delivered")
                                   % {"count": sum(state.in_effect for state in self._delivered_here)})

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().showEvent(event)
        self.code_edit.setFocus()
        self._burst_filter.install()

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt API
        self._burst_filter.remove()
        super().hideEvent(event)

    # -- scanning ---------------------------------------------------------------------
    def _show(self, state: str, text: str) -> None:
        self.state = state
        self.feedback.setStyleSheet(f"QLabel {{ {STYLES[state]} border-radius:8px; padding:12px; }}")
        self.feedback.setText(text)
        icon = self.style().standardIcon(ICONS[state])
        self.feedback_icon.setPixmap(icon.pixmap(48, 48))
        # On screen now, before the lists below reload: the volunteer looks at this, not at them.
        self.feedback.repaint()
        self.feedback_icon.repaint()
        if state != "idle":
            self._sound(state)
            self.scanned.emit(state)

    def _on_sound_toggled(self, on: bool) -> None:
        self._settings.setValue(SOUND_KEY, on)
        self.code_edit.setFocus()

    def _sound(self, state: str) -> None:
        """The chirp for delivered, the low tone for a warning or a refused code (if sound is on)."""
        if self.sound_box.isChecked():
            self.sounds.play(SOUND_FOR_STATE[state])

    def _reject(self, code: str, label: str) -> None:
        self._rejects.appendleft(EventRecord(id="", code=code, family_name="", area="", outcome=label,
                                             at=self._context.clock.now(), volunteer="", note="", undone=False))

    def _on_code_entered(self) -> None:
        text = self.code_edit.text()
        self.code_edit.clear()
        self.scan_text(text)

    def scan_text(self, text: str) -> None:
        """Record one scanned or typed code (from the code field or a scanner burst anywhere)."""
        self.code_edit.setFocus()
        if not text.strip() or self._batch is None:
            return
        try:
            volunteer_id = check_volunteer(self.volunteer_combo.currentData())  # the service's own rule
        except ValidationError as exc:
            self._show("warn", exc.message)
            return
        outcome = Outcome.DELIVERED
        checked = self.outcome_group.checkedId()
        if checked > 0:
            outcome = OUTCOME_KEYS[checked][0]
        try:
            saved = deliveries.record_scan(self._context, text, batch_id=self._batch.id,
                                             volunteer_id=volunteer_id, outcome=outcome,
                                             note=self.note_edit.text())
        except AlreadyDeliveredError as exc:
            self._show("warn", "⚠ " + exc.message)
        except WrongBatchError as exc:
            self._reject(exc.pack.code, pgettext("scan result", "Other batch"))
            self._show("error", "✖ " + exc.message)
        except NotFoundError as exc:
            self._reject(normalise_code(text), pgettext("scan result", "Unknown code"))
            self._show("error", "✖ " + exc.message)
        except PeerSupportError as exc:
            self._reject(normalise_code(text)[:12], pgettext("scan result", "Not a code"))
            self._show("error", "✖ " + exc.message)
        else:
            self._recorded(saved, outcome)
        self.refresh()

    def _recorded(self, saved: Saved[ScanReceipt], outcome: Outcome) -> None:
        receipt = saved.record
        summary = _("Pack %(code)s: %(outcome)s") % {"code": format_code(receipt.pack.code),
                                                      "outcome": status_label(outcome.value)}
        state = _ScanState()
        where = receipt.pack.area
        if receipt.pack.run_number:
            where = _("%(area)s, run %(run)d") % {"area": where, "run": receipt.pack.run_number}
        # The feedback is painted first, then the pages are told: their reload would otherwise
        # come before it, and the repaint would also paint every widget the reload changed.
        if outcome == Outcome.DELIVERED:
            self._delivered_here.append(state)
            self._show("ok", _("✔ DELIVERED\n%(family)s · %(where)s · %(code)s")
                       % {"family": receipt.pack.family_name, "where": where, "code": format_code(receipt.pack.code)})
        else:
            self._show("warn", _("%(outcome)s recorded\n%(family)s · %(where)s · %(code)s")
                       % {"outcome": status_label(outcome.value), "family": receipt.pack.family_name,
                          "where": where, "code": format_code(receipt.pack.code)})
        command = announce(self._context, self._undo_stack, saved.changes, summary,
                           _ScanCommand(self._context, saved.changes, summary, state))
        self._mine.append((saved.changes.action_id, command, receipt.pack.code))
        self.note_edit.clear()
        self.outcome_group.button(0).setChecked(True)  # other outcomes apply to one scan only

    def undo_last(self) -> None:
        """Take back this laptop's latest scan that is still in effect."""
        self.code_edit.setFocus()
        if not self._mine:
            self._show("warn", _("There is no scan to undo."))
            return
        action_id, command, code = self._mine.pop()
        top = self._undo_stack.command(self._undo_stack.index() - 1) if self._undo_stack.index() else None
        try:
            if top is command:
                self._undo_stack.undo()
                if command.isObsolete():
                    raise PeerSupportError(_("This scan could not be undone."))
            else:
                deliveries.undo_scan(self._context, action_id)
                command.setObsolete(True)
                command._state.in_effect = False
        except PeerSupportError as exc:
            self._show("error", "✖ " + exc.message)
            return
        self._show("warn", _("↶ Undone: pack %(code)s is back as it was before that scan.")
                   % {"code": format_code(code)})
        data_changed({Kind.PACK})
        self.refresh()


def _scaled(font: QFont, factor: float) -> QFont:
    bigger = QFont(font)
    bigger.setPointSizeF(font.pointSizeF() * factor)
    bigger.setBold(True)
    return bigger


class _ScanState:
    """Whether a delivered scan is still in effect (undo and redo flip it), for the laptop's tally."""

    def __init__(self) -> None:
        self.in_effect = True


class _ScanCommand(ActionCommand):
    def __init__(self, context, changes, text: str, state: _ScanState) -> None:
        super().__init__(context, changes, text)
        self._state = state

    def undo(self) -> None:
        super().undo()
        self._state.in_effect = self.isObsolete()  # an undo that failed leaves the scan in effect

    def redo(self) -> None:
        super().redo()
        self._state.in_effect = True

