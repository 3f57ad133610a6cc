"""Start the GUI: QApplication, Qt's own translations, the data folder, the window."""

from __future__ import annotations

import argparse
import html
import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QProcess, Qt, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QLabel

from peer_support import i18n
from peer_support.i18n import _
from peer_support.resources import resource_path

# The data layer (SQLAlchemy, the tables) takes a second or two to load on an
# old laptop: it is imported after the splash screen is up, in run_gui.

_BABEL_TO_QT = {"en": "en_GB", "da": "da_DK", "de": "de_DE", "pl": "pl_PL"}


def install_qt_translations(app: QApplication, language: str) -> None:
    """Standard buttons and dialogs (Cancel, Yes, file dialogs) in the user's language."""
    QLocale.setDefault(QLocale(_BABEL_TO_QT.get(language, "en_GB")))
    translator = QTranslator(app)
    if translator.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)


def application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or [sys.argv[0]])
    app.setApplicationName("Peer Support")
    app.setOrganizationName("Peer Support")
    app.setDesktopFileName("org.peersupport.PeerSupport")
    app.setApplicationDisplayName(_("Peer Support"))
    icon = resource_path("icons", "peer-support.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    install_qt_translations(app, i18n.current_language())
    return app


def show_splash(app: QApplication) -> QLabel:
    """Something on screen at once while the data loads.

    A frameless label rather than QSplashScreen, whose show() can wait up to a
    second for the window system to confirm the window is exposed.
    """
    splash = QLabel()
    splash.setWindowFlags(Qt.WindowType.SplashScreen | Qt.WindowType.FramelessWindowHint)
    splash.setAlignment(Qt.AlignmentFlag.AlignCenter)
    icon = resource_path("icons", "peer-support-128.png")
    picture = f'<img src="{icon}"><br>' if icon.exists() else ""
    message = html.escape(_("Opening your data…"))
    splash.setText(f"{picture}<p>{message}</p>")
    splash.setContentsMargins(32, 24, 32, 24)
    splash.show()
    app.processEvents()
    return splash


def _open(args: argparse.Namespace, splash: QLabel):
    from peer_support.context import open_context
    from peer_support.errors import PeerSupportError

    try:
        return open_context(args.data_dir)
    except PeerSupportError:
        # Asks for the passphrase of encrypted data and offers to restore damaged data;
        # those dialogs belong to the splash screen, so they show above it.
        from peer_support.ui.trust.session import open_with_recovery

        return open_with_recovery(args.data_dir, parent=splash)


def run_gui(args: argparse.Namespace) -> int:
    """Splash, data folder, the main window with the dashboard's figures, then everything else.

    Up to the first paint nothing loads SQLAlchemy, SQLModel or the table classes
    (storage/db.py, services/summary.py); they load in a background thread while
    the window is on screen (ui/warm_up.py), and the rest of the start-up (who is
    using it, backups, sync) runs when they are in.
    """
    app = application()
    splash = show_splash(app)
    from peer_support.ui.errors import install_excepthook
    from peer_support.ui.first_run import first_start, is_first_run
    from peer_support.ui.main_window import MainWindow

    context = _open(args, splash)
    if context is None:
        return 6
    start = ""
    if is_first_run(context):  # before "who is using": its answer is not data
        splash.hide()
        context, start = first_start(context)
    install_excepthook(context.data_dir)
    from peer_support.ui import warm_up

    warm_up.hold()
    window = MainWindow(context)
    window.show()
    splash.close()
    app.processEvents()  # on screen, with its figures, before anything slow
    warm_up.start(context)
    warm_up.when_ready(lambda: _after_first_paint(window, context, start))
    code = app.exec()
    context.close()
    if window.restart_requested:
        # The frozen .deb bundle is its own program; elsewhere sys.executable is Python.
        module = [] if getattr(sys, "frozen", False) else ["-m", "peer_support"]
        QProcess.startDetached(sys.executable, [*module, *sys.argv[1:]])
    return code


def _after_first_paint(window, context, start: str) -> None:
    from peer_support.ui.first_run import JOIN, SAMPLE
    from peer_support.ui.sync import install_status_widget
    from peer_support.ui.tasks import run_task
    from peer_support.ui.trust.session import start_session

    start_session(window, context)  # who is using it, start-up backup, auto-backup and idle lock
    install_status_widget(window, context)  # sync state in the status bar, automatic sync
    if start == SAMPLE:
        from peer_support.sample import load_sample_data

        run_task(window, lambda progress: load_sample_data(context, progress),
                 on_done=lambda _seeded: window.reload_all(), label=_("Loading sample data…"))
    elif start == JOIN:
        from peer_support.services.sync import sync_now

        run_task(window, lambda progress: sync_now(context, None, progress),
                 on_done=lambda _report: window.reload_all(), label=_("Syncing with the other laptops…"))
