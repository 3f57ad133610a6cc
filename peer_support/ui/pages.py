"""The areas of the main window, in navigation order.

Each area lives in ``peer_support.ui.<key>`` with a ``create_page(context,
undo_stack)`` function returning a QWidget. Pages are built the first time
they are shown, which keeps start-up fast. A page may offer ``new_item()``,
``focus_search()`` and ``print_current()``; the menus call them.
"""

from __future__ import annotations

import importlib
from typing import NamedTuple

from peer_support.i18n import N_


class Area(NamedTuple):  # loaded before the first paint: faster to make than a dataclass
    key: str
    title: str  # marked with N_, translated when shown


AREAS = (
    Area("dashboard", N_("Dashboard")),
    Area("families", N_("Families")),
    Area("meetings", N_("Meetings")),
    Area("fund", N_("Fund")),
    Area("packs", N_("Packs")),
    Area("newsletter", N_("Newsletter")),
    Area("outcomes", N_("Feedback")),
    Area("trust", N_("Data and privacy")),
    Area("sync", N_("Sync")),
    Area("settings", N_("Settings")),
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
