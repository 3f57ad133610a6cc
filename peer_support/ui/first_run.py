"""First start: choose between an empty database and the sample data."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from peer_support.context import AppContext
from peer_support.i18n import _
from peer_support.services.info import app_info


def is_first_run(context: AppContext) -> bool:
    return not any(app_info(context).row_counts.values())


def ask_load_sample(parent: QWidget | None) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, _("Welcome to Peer Support"),
                      _("There is no data yet. Would you like to try the app with sample data "
                        "(530 made-up families), or start with an empty list?"), parent=parent)
    sample = box.addButton(_("Load sample data"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("Start empty"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(sample)
    box.exec()
    return box.clickedButton() is sample
