"""Offline help: short, task-oriented pages in the UI language.

F1 opens the page for the area on screen; the Help menu lists every page.
Each step is its own translated sentence, so translators never see markup.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QHBoxLayout, QListWidget, QTextBrowser, QVBoxLayout, QWidget

from peer_support.i18n import _
from peer_support.ui.help_topics import AREA_TOPICS, TOPICS, HelpTopic, topic_for_area  # noqa: F401


def topic_html(topic: HelpTopic) -> str:
    steps = "".join(f"<li>{escape(_(step))}</li>" for step in topic.steps)
    tip = f"<p><i>{escape(_(topic.tip))}</i></p>" if topic.tip else ""
    return f"<h2>{escape(_(topic.title))}</h2><ol>{steps}</ol>{tip}"


class HelpDialog(QDialog):
    """The help pages: topics on the left, the chosen page on the right; Esc closes."""

    def __init__(self, topic: HelpTopic, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Peer Support help"))
        self.topics = QListWidget()
        self.topics.setObjectName("help_topics")
        self.topics.setAccessibleName(_("Help topics"))
        for entry in TOPICS:
            self.topics.addItem(_(entry.title))
        self.page = QTextBrowser()
        self.page.setObjectName("help_page")
        self.page.setAccessibleName(_("Help page"))
        self.page.setOpenExternalLinks(False)
        self.topics.currentRowChanged.connect(lambda row: self.page.setHtml(topic_html(TOPICS[row])))
        self.topics.setMaximumWidth(260)
        body = QHBoxLayout()
        body.addWidget(self.topics)
        body.addWidget(self.page, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)
        self.resize(820, 480)
        self.topics.setCurrentRow(TOPICS.index(topic))
        self.page.setFocus(Qt.FocusReason.OtherFocusReason)


def show_help(parent: QWidget | None, area: str = "") -> None:
    HelpDialog(topic_for_area(area), parent).exec()
