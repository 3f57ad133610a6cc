"""Errors as dialogs. Known errors show their translated message; anything else
is logged in full and shown as one sentence with where the details are."""

from __future__ import annotations

import logging
import sys
import traceback
from typing import TYPE_CHECKING

from peer_support.errors import Cancelled, PeerSupportError
from peer_support.i18n import _

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

log = logging.getLogger(__name__)
_log_dir = None


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    from PySide6.QtWidgets import QMessageBox  # here: the first window loads no dialog class

    if isinstance(exc, Cancelled):
        return
    if isinstance(exc, PeerSupportError):
        QMessageBox.warning(parent, _("Peer Support"), exc.message)
        return
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    _write_log(details)
    box = QMessageBox(QMessageBox.Icon.Critical, _("Peer Support"),
                      _("Something went wrong and the last action did not finish. "
                        "Your saved data is safe."), parent=parent)
    box.setDetailedText(details)
    box.exec()


def _write_log(details: str) -> None:
    if _log_dir is None:
        log.error(details)
        return
    from peer_support.logs import LOG_FILE

    try:
        with (_log_dir / LOG_FILE).open("a", encoding="utf-8") as log_file:
            log_file.write(details)
    except OSError:
        log.error(details)


def install_excepthook(data_dir) -> None:
    """Uncaught exceptions in slots become a dialog instead of a silent failure."""
    global _log_dir
    _log_dir = data_dir

    def hook(exc_type, exc, tb):
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        show_error(None, exc.with_traceback(tb))

    sys.excepthook = hook
