"""The About dialog."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QMessageBox, QWidget

from peer_support import __version__
from peer_support.context import AppContext
from peer_support.i18n import _


def about_text(context: AppContext) -> str:
    return "<h3>{title}</h3><p>{version}</p><p>{purpose}</p><p>{data}</p>".format(
        title=html.escape(_("Peer Support")),
        version=html.escape(_("Version %(version)s") % {"version": __version__}),
        purpose=html.escape(_("Families, meetings, the connectivity fund, activity packs and "
                              "newsletters for a parent peer-support group. Works without the "
                              "internet; your data stays on this computer.")),
        data=html.escape(_("Data folder: %(folder)s") % {"folder": context.data_dir}))


def show_about(parent: QWidget, context: AppContext) -> None:
    QMessageBox.about(parent, _("About Peer Support"), about_text(context))
