"""A QTextEdit with the formatting a newsletter needs: bold, italic, lists, links.

What it holds is reduced to the safe subset (domain.newsletter_sanitise.sanitise) when saved.
"""

from __future__ import annotations

from PySide6.QtGui import QKeySequence, QTextCharFormat, QTextListFormat, QFont
from PySide6.QtWidgets import (QHBoxLayout, QInputDialog, QTextEdit, QToolButton, QVBoxLayout, QWidget)

from peer_support.errors import ValidationError
from peer_support.domain.newsletter_sanitise import safe_href, sanitise
from peer_support.i18n import _
from peer_support.ui.errors import show_error


class RichTextEditor(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QTextEdit()
        self.edit.setAcceptRichText(True)
        self.edit.setTabChangesFocus(True)  # Tab moves on, so keyboard users are never trapped
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[str, QToolButton] = {}
        for key, label, tip, shortcut, slot in (
                ("bold", _("B"), _("Bold"), QKeySequence.StandardKey.Bold, self._bold),
                ("italic", _("I"), _("Italic"), QKeySequence.StandardKey.Italic, self._italic),
                ("bullets", "•", _("Bulleted list"), None, lambda: self._list(QTextListFormat.Style.ListDisc)),
                ("numbers", "1.", _("Numbered list"), None,
                 lambda: self._list(QTextListFormat.Style.ListDecimal)),
                ("link", _("Link…"), _("Make the selected words a link"), None, self._link)):
            button = QToolButton()
            button.setText(label)
            button.setToolTip(tip)
            button.setAccessibleName(tip)
            button.setObjectName(f"format_{key}")
            if shortcut is not None:
                button.setShortcut(QKeySequence(shortcut))
            button.clicked.connect(slot)
            bar.addWidget(button)
            self.buttons[key] = button
        self.buttons["bold"].setStyleSheet("font-weight: bold;")
        self.buttons["italic"].setStyleSheet("font-style: italic;")
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.edit)

    def set_safe_html(self, html: str) -> None:
        self.edit.setHtml(html)

    def safe_html(self) -> str:
        if not self.edit.toPlainText().strip():
            return ""
        return sanitise(self.edit.toHtml())

    def _merge(self, fmt: QTextCharFormat) -> None:
        cursor = self.edit.textCursor()
        if not cursor.hasSelection():
            cursor.select(cursor.SelectionType.WordUnderCursor)
        cursor.mergeCharFormat(fmt)
        self.edit.mergeCurrentCharFormat(fmt)
        self.edit.setFocus()

    def _bold(self) -> None:
        fmt = QTextCharFormat()
        bold = self.edit.fontWeight() < QFont.Weight.Bold
        fmt.setFontWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
        self._merge(fmt)

    def _italic(self) -> None:
        fmt = QTextCharFormat()
        fmt.setFontItalic(not self.edit.fontItalic())
        self._merge(fmt)

    def _list(self, style: QTextListFormat.Style) -> None:
        cursor = self.edit.textCursor()
        current = cursor.currentList()
        if current is not None and current.format().style() == style:
            block = cursor.blockFormat()
            current.remove(cursor.block())
            block.setIndent(0)
            cursor.setBlockFormat(block)
        else:
            fmt = QTextListFormat()
            fmt.setStyle(style)
            cursor.createList(fmt)
        self.edit.setFocus()

    def _link(self) -> None:
        url, accepted = QInputDialog.getText(self, _("Link"), _("Web or email address (https://… or "
                                                              "mailto:…):"))
        if not accepted or not url.strip():
            return
        href = safe_href(url)
        if not href:
            show_error(self, ValidationError(_("'%(url)s' cannot be a link: use an address starting with "
                                               "https://, http:// or mailto:.") % {"url": url.strip()}))
            return
        fmt = QTextCharFormat()
        fmt.setAnchor(True)
        fmt.setAnchorHref(href)
        fmt.setFontUnderline(True)
        self._merge(fmt)
