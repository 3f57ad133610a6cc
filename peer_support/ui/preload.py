"""What start-up does before PySide6 loads: the first window's Qt-free modules, and the data folder.

Once PySide6 is imported, it reads the source file of every module imported
after it, looking for ``from __feature__ import`` (shibokensupport's
feature.py): for the app's own modules that is tens of milliseconds of start-up
on an old laptop. The modules listed here are the ones opening the data folder
and painting the dashboard import anyway; importing them first only changes
when they load. tests/gui/test_startup_order.py fails when the first paint
imports a Qt-free module of the app that is not here.

``Opening`` opens the data folder (lock, file check, migrations check) in a
thread from before PySide6 loads until the window needs it: SQLite's part of it
runs while this thread loads Qt and the window's modules.

Nothing here imports Qt (this module runs before it).
"""

from __future__ import annotations

import importlib
import threading

FIRST_PAINT_MODULES = (
    "peer_support.context",  # the data folder: storage, lock, recovery, migrations check
    "peer_support.services.access",
    "peer_support.services.settings",
    "peer_support.services.summary",  # the dashboard's figures, in plain SQL
    "peer_support.domain.dashboard_figures",
    "peer_support.domain.fund",
    "peer_support.domain.meetings",
    "peer_support.domain.packs",
    "peer_support.i18n.formatting",  # Babel
    "peer_support.ui.help_topics",
    "peer_support.ui.pages",
)


def import_first_paint_modules() -> None:
    for name in FIRST_PAINT_MODULES:
        importlib.import_module(name)


class Opening:
    """Opens the data folder in a thread; the thread's SQLite connections stay its own (storage/db.py)."""

    def __init__(self, data_dir) -> None:
        self.context = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(data_dir,), name="peer-support-open", daemon=True)
        self._thread.start()

    def _run(self, data_dir) -> None:
        from peer_support.context import open_context

        try:
            self.context = open_context(data_dir)
        except BaseException as exc:  # handed to the GUI thread (ui/app.py)
            self.error = exc

    def done(self, timeout: float) -> bool:
        self._thread.join(max(0.0, timeout))
        return not self._thread.is_alive()


def start(data_dir) -> Opening:
    """Start opening the data folder and import the first paint's Qt-free modules meanwhile."""
    importlib.import_module("peer_support.context")
    opening = Opening(data_dir)
    import_first_paint_modules()
    return opening
