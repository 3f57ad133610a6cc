"""The command line's door to the GUI: what start-up does before PySide6 loads.

``run(args)`` imports the first window's Qt-free modules and starts opening the
data folder, then loads Qt and hands over to ``ui/app.run_gui``.

Once PySide6 is imported, it reads the source file of every module imported
after it, looking for ``from __feature__ import`` (shibokensupport's
feature.py): for the app's own modules that is tens of milliseconds of start-up
on an old laptop. The modules listed here are the ones opening the data folder
and painting the dashboard import anyway; importing them first only changes
when they load. tests/gui/test_fast_start.py fails when the first paint
imports a Qt-free module of the app that is not here.

The data folder (lock, file check, migrations check) opens in a thread
(ui/opening.py) from before PySide6 loads until the window needs it: SQLite's
part of it runs while this thread loads Qt and the window's modules.

Nothing here imports Qt before ``run`` hands over.
"""

from __future__ import annotations

import importlib

from peer_support.ui.opening import Opening

FIRST_PAINT_MODULES = (
    "peer_support.context",  # the data folder: storage, lock, recovery, migrations check
    "peer_support.services.access",
    "peer_support.services.settings",
    "peer_support.services.summary",  # the dashboard's figures, in plain SQL
    "peer_support.domain.dashboard_figures",
    "peer_support.domain.fund_status",
    "peer_support.domain.meeting_status",
    "peer_support.domain.pack_status",
    "peer_support.i18n.formatting",  # Babel
    "peer_support.ui.help_topics",
    "peer_support.ui.pages",
)


def import_first_paint_modules() -> None:
    for name in FIRST_PAINT_MODULES:
        importlib.import_module(name)


def run(args) -> int:
    """Open the data folder and load the first paint's Qt-free modules, then run the GUI."""
    importlib.import_module("peer_support.context")  # here first: the thread would wait on its import lock
    opening = Opening(args.data_dir)
    import_first_paint_modules()
    from peer_support.ui.app import run_gui  # the first import of PySide6

    return run_gui(args, opening)
