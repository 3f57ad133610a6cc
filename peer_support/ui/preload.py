"""The Qt-free modules the first window needs, imported before PySide6.

Once PySide6 is imported, it reads the source file of every module imported
after it, looking for ``from __feature__ import`` (shibokensupport's
feature.py): for the app's own modules that is tens of milliseconds of start-up
on an old laptop. The modules listed here are the ones opening the data folder
and painting the dashboard import anyway; importing them first only changes
when they load. tests/gui/test_startup_order.py fails when the first paint
imports a Qt-free module of the app that is not here.

Nothing here imports Qt (this module runs before it).
"""

from __future__ import annotations

import importlib

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
