"""Editing the areas and schools lists: rename, merge two, archive or restore.

Each change is one undoable action; merging asks first, because every family,
member and volunteer of one entry moves to the other.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QGroupBox, QHBoxLayout, QInputDialog, QListWidget, QListWidgetItem, QMessageBox,
                               QPushButton, QTabWidget, QVBoxLayout, QWidget)

from peer_support.context import AppContext
from peer_support.i18n import _, ngettext
from peer_support.services.lists import AREAS, SCHOOLS, list_entries, merge_entries, rename_entry, set_entry_archived
from peer_support.ui.ops import run_change

NameRole = Qt.ItemDataRole.UserRole
ArchivedRole = Qt.ItemDataRole.UserRole + 1


class ListEditor(QWidget):
    """One list (areas or schools) with its buttons."""

    def __init__(self, context: AppContext, undo_stack, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._undo_stack = undo_stack
        self.kind = kind
        self.list = QListWidget()
        self.list.setObjectName(f"{kind}_list")
        self.list.setAccessibleName(_("Areas") if kind == "area" else _("Schools"))
        self.list.currentItemChanged.connect(lambda *_args: self._update_buttons())
        self.rename_button = QPushButton(_("Rename…"))
        self.rename_button.clicked.connect(self._on_rename_clicked)
        self.merge_button = QPushButton(_("Merge into…"))
        self.merge_button.clicked.connect(self._on_merge_clicked)
        self.archive_button = QPushButton(_("Archive"))
        self.archive_button.clicked.connect(self._on_archive_clicked)
        buttons = QVBoxLayout()
        for button in (self.rename_button, self.merge_button, self.archive_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        current = self.current_name()
        self.list.clear()
        for entry in list_entries(self._context, self.kind):
            text = ngettext("%(name)s (%(count)d family)", "%(name)s (%(count)d families)", entry.families) % {
                "name": entry.name, "count": entry.families}
            if entry.archived:
                text = _("%(entry)s, archived") % {"entry": text}
            item = QListWidgetItem(text)
            item.setData(NameRole, entry.name)
            item.setData(ArchivedRole, entry.archived)
            if entry.archived:
                item.setForeground(self.palette().placeholderText())
            self.list.addItem(item)
            if entry.name == current:
                self.list.setCurrentItem(item)
        self._update_buttons()

    def current_name(self) -> str | None:
        item = self.list.currentItem()
        return item.data(NameRole) if item is not None else None

    def names(self) -> list[str]:
        return [self.list.item(row).data(NameRole) for row in range(self.list.count())]

    def select(self, name: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(NameRole) == name:
                self.list.setCurrentRow(row)

    def _update_buttons(self) -> None:
        item = self.list.currentItem()
        for button in (self.rename_button, self.merge_button, self.archive_button):
            button.setEnabled(item is not None)
        self.merge_button.setEnabled(item is not None and self.list.count() > 1)
        archived = bool(item is not None and item.data(ArchivedRole))
        self.archive_button.setText(_("Restore") if archived else _("Archive"))

    # -- the actions (also called by tests) -------------------------------------------------------
    def _run(self, action, text: str) -> bool:
        if run_change(self, self._context, self._undo_stack, action, text) is None:
            return False
        self.reload()
        return True

    def rename(self, name: str, new_name: str) -> bool:
        text = (_("Rename area %(old)s to %(new)s") if self.kind == AREAS else
                _("Rename school %(old)s to %(new)s")) % {"old": name, "new": new_name.strip()}
        done = self._run(lambda: rename_entry(self._context, self.kind, name, new_name), text)
        if done:
            self.select(" ".join(new_name.split()))
        return done

    def merge(self, name: str, into: str) -> bool:
        text = (_("Merge area %(old)s into %(new)s") if self.kind == AREAS else
                _("Merge school %(old)s into %(new)s")) % {"old": name, "new": into}
        return self._run(lambda: merge_entries(self._context, self.kind, name, into), text)

    def set_archived(self, name: str, archived: bool) -> bool:
        if self.kind == AREAS:
            text = _("Archive area %(name)s") if archived else _("Restore area %(name)s")
        else:
            text = _("Archive school %(name)s") if archived else _("Restore school %(name)s")
        return self._run(lambda: set_entry_archived(self._context, self.kind, name, archived),
                         text % {"name": name})

    # -- the dialogs --------------------------------------------------------------------------------
    def _on_rename_clicked(self) -> None:
        name = self.current_name()
        if name is None:
            return
        new_name, ok = QInputDialog.getText(self, _("Rename"), _("New name for %(name)s:") % {"name": name},
                                            text=name)
        if ok and new_name.strip() and new_name.strip() != name:
            self.rename(name, new_name)

    def _on_merge_clicked(self) -> None:
        name = self.current_name()
        others = [other for other in self.names() if other != name]
        if name is None or not others:
            return
        into, ok = QInputDialog.getItem(self, _("Merge"), _("Move everything from %(name)s to:") % {"name": name},
                                        others, 0, False)
        if not ok:
            return
        answer = QMessageBox.question(
            self, _("Merge"),
            _("Every family, member and volunteer of %(name)s moves to %(into)s, and %(name)s is archived. "
              "You can undo this.") % {"name": name, "into": into})
        if answer == QMessageBox.StandardButton.Yes:
            self.merge(name, into)

    def _on_archive_clicked(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.set_archived(item.data(NameRole), not item.data(ArchivedRole))


class ListsBox(QGroupBox):
    """The Settings page's box with the areas and schools lists."""

    def __init__(self, context: AppContext, undo_stack, parent: QWidget | None = None) -> None:
        super().__init__(_("Areas and schools"), parent)
        self.areas = ListEditor(context, undo_stack, AREAS)
        self.schools = ListEditor(context, undo_stack, SCHOOLS)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.areas, _("Areas"))
        self.tabs.addTab(self.schools, _("Schools"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)

    def reload(self) -> None:
        self.areas.reload()
        self.schools.reload()
