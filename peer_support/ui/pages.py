"""The areas of the main window, in navigation order.

Each area lives in ``peer_support.ui.<key>`` with a ``create_page(context,
undo_stack)`` function returning a QWidget. Pages are built the first time
they are shown, which keeps start-up fast. A page may offer ``new_item()``,
``focus_search()`` and ``print_current()``; the menus call them.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from PySide6.QtWidgets import QStyle

from peer_support.i18n import N_


@dataclass(frozen=True)
class Area:
    key: str
    title: str  # marked with N_, translated when shown
    icon: QStyle.StandardPixmap


AREAS = (
    Area("dashboard", N_("Dashboard"), QStyle.StandardPixmap.SP_DesktopIcon),
    Area("families", N_("Families"), QStyle.StandardPixmap.SP_DirHomeIcon),
    Area("meetings", N_("Meetings"), QStyle.StandardPixmap.SP_FileDialogDetailedView),
    Area("fund", N_("Fund"), QStyle.StandardPixmap.SP_DriveNetIcon),
    Area("packs", N_("Packs"), QStyle.StandardPixmap.SP_DirIcon),
    Area("newsletter", N_("Newsletter"), QStyle.StandardPixmap.SP_FileIcon),
    Area("outcomes", N_("Feedback"), QStyle.StandardPixmap.SP_DialogYesButton),
    Area("trust", N_("Data and privacy"), QStyle.StandardPixmap.SP_DriveHDIcon),
    Area("sync", N_("Sync"), QStyle.StandardPixmap.SP_BrowserReload),
    Area("settings", N_("Settings"), QStyle.StandardPixmap.SP_FileDialogInfoView),
)


def page_factory(key: str):
    """The area's create_page, or None while the area has no page yet."""
    try:
        module = importlib.import_module(f"peer_support.ui.{key}")
    except ModuleNotFoundError as exc:
        if exc.name != f"peer_support.ui.{key}":
            raise
        return None
    return getattr(module, "create_page", None)
