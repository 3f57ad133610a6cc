"""The main window: navigation between areas, menus, undo stack, status bar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6 import QtCore
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (QFrame, QHBoxLayout, QLabel, QScrollArea, QListWidget, QMainWindow,
                               QStackedWidget, QVBoxLayout, QWidget)

from peer_support.context import AppContext
from peer_support.domain.changes import EVERYTHING, Kind
from peer_support.i18n import _
from peer_support.services.settings import get_group_settings
from peer_support.ui import after_paint
from peer_support.ui.ops import data_changed
from peer_support.ui.pages import AREAS, page_factory
from peer_support.ui.signals import signals
from peer_support.domain.roles import AREA_PERMISSIONS
from peer_support.services import access

if TYPE_CHECKING:  # the event class loads when first used (ui/after_paint.py)
    from PySide6.QtGui import QCloseEvent

GEOMETRY_KEY = "main_window/geometry"
# A calm sidebar: text only (stock icons differ by platform), roomy rows.
NAV_STYLE = """
QListWidget#navigation { border: none; padding-top: 6px; outline: 0; }
QListWidget#navigation::item { padding: 9px 12px; border-radius: 4px; margin: 1px 6px; }
QListWidget#navigation::item:selected { background: palette(highlight); color: palette(highlighted-text); }
"""
STATE_KEY = "main_window/state"


def redo_shortcuts() -> list[QKeySequence]:
    """Ctrl+Y and Ctrl+Shift+Z on every platform, each once: the platform's own Redo keys
    already hold one of them, and a key bound twice is ambiguous and does nothing."""
    keys: list[QKeySequence] = []
    for key in (QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z"),
                *QKeySequence.keyBindings(QKeySequence.StandardKey.Redo)):
        if key not in keys:
            keys.append(key)
    return keys


def window_settings(context: AppContext) -> QSettings:
    """Per-laptop window state, kept in the data folder beside local.json."""
    return QSettings(str(context.data_dir / "window.ini"), QSettings.Format.IniFormat)


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.restart_requested = False
        # Deleted on close, so it stops listening to the app-wide signals.
        after_paint.later(lambda: self.setAttribute(QtCore.Qt.WidgetAttribute.WA_DeleteOnClose))
        self.undo_stack = QUndoStack(self)
        self._pages: dict[str, QWidget] = {}
        # Each page's scroll area in the stack, kept here: asking Qt for a page's parentWidget()
        # makes PySide wrap the scroll area's viewport, which loads every QtWidgets class.
        self._holders: dict[str, QScrollArea] = {}

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setStyleSheet(NAV_STYLE)
        nav_font = self.nav.font()  # a little larger than the system font, and following it
        nav_font.setPointSizeF(nav_font.pointSizeF() * 1.1)
        self.nav.setFont(nav_font)
        self.nav.setAccessibleName(_("Parts of Peer Support"))
        self.nav.addItems([_(area.title) for area in AREAS])  # row i is AREAS[i]
        self.nav.setFixedWidth(max(150, self.nav.sizeHintForColumn(0) + 24))
        self.stack = QStackedWidget()
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label)
        # A bound slot, not a lambda: Qt drops it when the window is deleted.
        signals.status_message.connect(self._show_status)
        signals.data_changed.connect(self._on_data_changed)
        signals.navigate_requested.connect(self.show_area)
        self.nav.currentRowChanged.connect(self._on_area_chosen)
        self._update_title()
        self._restore_geometry()
        self.apply_roles()
        if self.nav.currentRow() < 0:
            self.nav.setCurrentRow(0)

    # -- menus --------------------------------------------------------------------
    def _build_menus(self) -> None:
        # Shortcuts are set with setShortcuts: PySide weighing setShortcut's overloads builds
        # Qt's whole Qt namespace before the first paint (ui/after_paint.py).
        file_menu = self.menuBar().addMenu(_("&File"))
        self.new_action = self._action(_("&New…"), QKeySequence.StandardKey.New, "new_item")
        self.print_action = self._action(_("&Print…"), QKeySequence.StandardKey.Print, "print_current")
        file_menu.addActions([self.new_action, self.print_action])
        file_menu.addSeparator()
        quit_action = QAction(_("&Quit"), self)
        quit_action.setShortcuts(QKeySequence.StandardKey.Quit)
        after_paint.later(lambda: quit_action.setShortcutContext(QtCore.Qt.ShortcutContext.ApplicationShortcut))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        edit_menu = self.menuBar().addMenu(_("&Edit"))
        undo = self.undo_stack.createUndoAction(self, _("&Undo"))
        undo.setShortcuts(QKeySequence.StandardKey.Undo)
        redo = self.undo_stack.createRedoAction(self, _("&Redo"))
        redo.setShortcuts(redo_shortcuts())
        self.find_action = self._action(_("&Find…"), QKeySequence.StandardKey.Find, "focus_search")
        edit_menu.addActions([undo, redo])
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)

        go_menu = self.menuBar().addMenu(_("&Go"))
        self._go_actions: dict[str, QAction] = {}
        for number, area in enumerate(AREAS, start=1):
            action = QAction(_(area.title), self)
            action.setShortcuts([QKeySequence(f"Ctrl+{number % 10}")])  # the tenth area is Ctrl+0
            action.triggered.connect(lambda _checked=False, key=area.key: self.show_area(key))
            go_menu.addAction(action)
            self._go_actions[area.key] = action

        help_menu = self.menuBar().addMenu(_("&Help"))
        self.help_action = QAction(_("&Help for this page"), self)
        help_keys = [QKeySequence("F1")]
        help_keys += [k for k in QKeySequence.keyBindings(QKeySequence.StandardKey.HelpContents) if k not in help_keys]
        self.help_action.setShortcuts(help_keys)  # F1 everywhere, each key once (never ambiguous)
        self.help_action.triggered.connect(self.show_help)
        help_menu.addAction(self.help_action)
        from peer_support.ui.help_topics import TOPICS  # data only: the help window loads when opened

        topics_menu = help_menu.addMenu(_("Help &topics"))
        for topic in TOPICS:
            action = QAction(_(topic.title), self)
            action.triggered.connect(lambda _checked=False, key=topic.key: self.show_help(topic=key))
            topics_menu.addAction(action)
        help_menu.addSeparator()
        about = QAction(_("&About Peer Support"), self)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        about.triggered.connect(self._show_about)
        help_menu.addAction(about)

    def show_help(self, _checked: bool = False, topic: str = "") -> None:
        """F1: the help page for the area on screen (or the chosen topic), in the UI language."""
        from peer_support.ui.help import TOPICS, HelpDialog, topic_for_area

        row = self.nav.currentRow()
        chosen = next((t for t in TOPICS if t.key == topic), None) or topic_for_area(
            AREAS[row].key if row >= 0 else "")
        HelpDialog(chosen, self).exec()

    def _action(self, text: str, shortcut, page_method: str) -> QAction:
        """A menu action that forwards to the current page, when the page offers it."""
        action = QAction(text, self)
        action.setShortcuts(shortcut)
        action.triggered.connect(lambda: getattr(self.current_page(), page_method)())
        action.setData(page_method)
        return action

    def _update_page_actions(self) -> None:
        page = self.current_page()
        for action in (self.new_action, self.print_action, self.find_action):
            action.setEnabled(callable(getattr(page, action.data(), None)))

    # -- areas --------------------------------------------------------------------
    def current_page(self) -> QWidget | None:
        holder = self.stack.currentWidget()
        return holder.widget() if holder is not None else None

    def area_allowed(self, key: str) -> bool:
        permission = AREA_PERMISSIONS.get(key)
        return permission is None or access.allowed(self.context, permission)

    def apply_roles(self) -> None:
        """Show only the areas the person using the app may open (domain/roles.py). Pages built for
        someone else are dropped, so nothing they could see stays on screen."""
        allowed = {area.key: self.area_allowed(area.key) for area in AREAS}
        if allowed == getattr(self, "_allowed", None):
            return
        self._allowed = allowed
        for row, area in enumerate(AREAS):
            self.nav.item(row).setHidden(not allowed[area.key])
            self._go_actions[area.key].setEnabled(allowed[area.key])
        for key in list(self._pages):
            holder = self._holders.pop(key, None)
            if holder is not None:
                self.stack.removeWidget(holder)
                holder.deleteLater()
            del self._pages[key]
        first = next((row for row, area in enumerate(AREAS) if allowed[area.key]), None)
        current = self.nav.currentRow()
        if first is not None:
            if current < 0 or not allowed[AREAS[current].key]:
                self.nav.setCurrentRow(first)
            else:
                self._on_area_chosen(current)

    def show_area(self, key: str, item: str = "") -> None:
        if not self.area_allowed(key):
            signals.status_message.emit(_("That part of Peer Support is not open to you: ask a lead."))
            return
        row = next(i for i, area in enumerate(AREAS) if area.key == key)
        self.nav.setCurrentRow(row)
        page = self.current_page()
        if item and callable(getattr(page, "show_item", None)):
            page.show_item(item)

    def _on_area_chosen(self, row: int) -> None:
        if row < 0 or not self._may_leave_current_page():
            return
        area = AREAS[row]
        if not self.area_allowed(area.key):
            return
        page = self._pages.get(area.key)
        if page is None:
            factory = page_factory(area.key)
            page = factory(self.context, self.undo_stack) if factory else self._coming_page()
            if hasattr(page, "language_changed"):
                page.language_changed.connect(self._on_language_changed)
            self._pages[area.key] = page
            self._holders[area.key] = _scrollable(page)
            self.stack.addWidget(self._holders[area.key])
        self.stack.setCurrentWidget(self._holders[area.key])
        self._update_page_actions()

    def _may_leave_current_page(self) -> bool:
        """Unsaved edits on the page being left are saved or discarded on purpose (ui/ask.py);
        on Cancel the navigation goes back to that page."""
        page = self.current_page()
        can_close = getattr(page, "can_close", None)
        if not callable(can_close) or can_close():
            return True
        holder = self.stack.currentWidget()
        for row, area in enumerate(AREAS):
            if self._pages.get(area.key) is page or (holder is not None and self._pages.get(area.key) is holder):
                self.nav.blockSignals(True)
                self.nav.setCurrentRow(row)
                self.nav.blockSignals(False)
        return False

    def _coming_page(self) -> QWidget:
        page = QWidget()
        label = QLabel(_("This part of Peer Support is not ready yet."))
        label.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        QVBoxLayout(page).addWidget(label)
        return page

    def _show_about(self) -> None:
        from peer_support.ui.about import show_about  # not before the first paint (it loads html)

        show_about(self, self.context)

    def _show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, 5000)

    def _on_data_changed(self, kinds: frozenset[Kind]) -> None:
        if Kind.SETTINGS in kinds:
            self._update_title()
        if Kind.USER in kinds:
            access.forget_session(self.context)
            self.apply_roles()
        for page in self._pages.values():
            reload = getattr(page, "reload", None)
            shows = getattr(page, "SHOWS", EVERYTHING)  # the kinds of data a page subscribes to
            if callable(reload) and not shows.isdisjoint(kinds):
                reload(kinds)

    def reload_all(self) -> None:
        data_changed(EVERYTHING)

    def _update_title(self) -> None:
        name = get_group_settings(self.context).group_name
        self.setWindowTitle(_("%(group)s – Peer Support") % {"group": name} if name else _("Peer Support"))
        self.status_label.setText(_("Data: %(folder)s") % {"folder": self.context.data_dir})

    def _on_language_changed(self, _code: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(
            self, _("Peer Support"),
            _("The new language is used after a restart. Restart Peer Support now? "
              "Everything you saved is kept."),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.restart_requested = True
            self.close()

    # -- window state -------------------------------------------------------------
    def _restore_geometry(self) -> None:
        settings = window_settings(self.context)
        geometry = settings.value(GEOMETRY_KEY)
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1100, 720)
        state = settings.value(STATE_KEY)
        if state is not None:
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:
        for page in self._pages.values():
            can_close = getattr(page, "can_close", None)
            if callable(can_close) and not can_close():
                event.ignore()
                return
        settings = window_settings(self.context)
        settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        settings.setValue(STATE_KEY, self.saveState())
        settings.sync()
        event.accept()


def _scrollable(page: QWidget) -> QScrollArea:
    """Pages scroll rather than force the window wider than a small laptop screen."""
    holder = QScrollArea()
    holder.setWidgetResizable(True)
    holder.setFrameShape(QFrame.Shape.NoFrame)
    # Not a stop of its own for Tab: the next key after the navigation list reaches the page's
    # first control (the area still scrolls to whatever control gets the focus).
    after_paint.later(lambda: holder.setFocusPolicy(QtCore.Qt.FocusPolicy.NoFocus))
    holder.setWidget(page)
    return holder
