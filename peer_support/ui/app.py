"""Start the GUI: QApplication, Qt's own translations, the data folder, the window."""

from __future__ import annotations

import argparse
import sys
import time

from PySide6 import QtCore
from PySide6.QtCore import QLocale
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QLabel

from peer_support import i18n
from peer_support.i18n import _
from peer_support.resources import resource_path
from peer_support.ui import after_paint
from peer_support.ui.opening import Opening

# The data layer (SQLAlchemy, the tables) takes a second or two to load on an
# old laptop: it is imported after the window is up (ui/warm_up.py).

# The splash screen shows only when the window is not on its way by then (a slow disk, a big
# database, an upgrade, a passphrase to ask for): on a usual start it would only delay the window.
SPLASH_AFTER_SECONDS = 0.5

_BABEL_TO_QT = {"en": "en_GB", "da": "da_DK", "de": "de_DE", "pl": "pl_PL"}


def install_qt_translations(app: QApplication, language: str) -> None:
    """Standard buttons and dialogs (Cancel, Yes, file dialogs) in the user's language."""
    QLocale.setDefault(QLocale(_BABEL_TO_QT.get(language, "en_GB")))
    if language == "en":
        return  # Qt's own language: there is no catalog to load
    from PySide6.QtCore import QLibraryInfo, QTranslator

    translator = QTranslator(app)
    if translator.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)


ICON_SIZES = (16, 32, 48, 64, 128, 256, 512)
# A window's icon is decoded and handed to the window system, every size of it, when the window
# is shown: 256 and 512 px take some 20 ms on X. Taskbars and title bars use these; the large
# sizes (big docks, HiDPI) follow once the window is on screen.
FIRST_ICON_SIZES = (16, 32, 48, 64, 128)


def window_icon(sizes: tuple[int, ...] = ICON_SIZES) -> QIcon:
    """The app's icon from its bitmaps (made from the SVG by packaging/make_icons.py): showing a
    window with the SVG itself loads Qt's SVG module and renders it at every size first."""
    icon = QIcon()
    for size in sizes:
        path = resource_path("icons", f"peer-support-{size}.png")
        if path.exists():
            icon.addFile(str(path))
    if icon.isNull():
        svg = resource_path("icons", "peer-support.svg")
        if svg.exists():
            icon = QIcon(str(svg))
    return icon


def application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or [sys.argv[0]])
    app.setApplicationName("Peer Support")
    app.setOrganizationName("Peer Support")
    app.setDesktopFileName("org.peersupport.PeerSupport")
    app.setApplicationDisplayName(_("Peer Support"))
    app.setWindowIcon(window_icon(FIRST_ICON_SIZES))
    after_paint.later(lambda: app.setWindowIcon(window_icon()))
    install_qt_translations(app, i18n.current_language())
    return app


def show_splash(app: QApplication) -> QLabel:
    """Something on screen at once while the data loads.

    A frameless label rather than QSplashScreen, whose show() can wait up to a
    second for the window system to confirm the window is exposed.
    """
    import html

    splash = QLabel()
    splash.setWindowFlags(QtCore.Qt.WindowType.SplashScreen | QtCore.Qt.WindowType.FramelessWindowHint)
    splash.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
    icon = resource_path("icons", "peer-support-128.png")
    picture = f'<img src="{icon}"><br>' if icon.exists() else ""
    message = html.escape(_("Opening your data…"))
    splash.setText(f"{picture}<p>{message}</p>")
    splash.setContentsMargins(32, 24, 32, 24)
    splash.show()
    app.processEvents()
    return splash


def _open(args: argparse.Namespace, opening: Opening, splash: QLabel | None, app: QApplication,
          started: float):
    """The open context; the splash (made when needed) is returned for what follows to close."""
    from peer_support.errors import PeerSupportError

    if splash is None and not opening.done(SPLASH_AFTER_SECONDS - (time.monotonic() - started)):
        splash = show_splash(app)
    while not opening.done(0.05):
        app.processEvents()
    if opening.error is None:
        return opening.context, splash
    if not isinstance(opening.error, PeerSupportError):
        raise opening.error
    # Asks for the passphrase of encrypted data and offers to restore damaged data;
    # those dialogs belong to the splash screen, so they show above it.
    from peer_support.ui.trust.session import open_with_recovery

    splash = splash or show_splash(app)
    return open_with_recovery(args.data_dir, parent=splash), splash


def run_gui(args: argparse.Namespace, opening: Opening | None = None) -> int:
    """Data folder, the main window with the dashboard's figures, then everything else.

    The data folder opens in a thread while the window's modules load (started before
    PySide6 by the command line, ui/launch.py, else here); a splash
    screen shows only when that takes longer than SPLASH_AFTER_SECONDS. Up to the
    first paint nothing loads SQLAlchemy, SQLModel or the table classes
    (storage/db.py, services/summary.py); they load in a background thread while
    the window is on screen (ui/warm_up.py), and the rest of the start-up (who is
    using it, backups, sync) runs when they are in. What the first window leaves for
    after its paint (ui/after_paint.py) runs then, or on the way out if it never shows.
    """
    after_paint.hold()
    try:
        return _run_gui(args, opening)
    finally:
        after_paint.release()


def _run_gui(args: argparse.Namespace, opening: Opening | None) -> int:
    from peer_support.ui import warm_up

    started = time.monotonic()
    app = application()
    opening = opening or Opening(args.data_dir)
    from peer_support.services.summary import is_first_run  # plain SQL
    from peer_support.ui.errors import install_excepthook
    from peer_support.ui.main_window import MainWindow

    # Loading those took long (a slow or cold disk): something on screen now.
    splash = show_splash(app) if time.monotonic() - started > SPLASH_AFTER_SECONDS else None
    context, splash = _open(args, opening, splash, app, started)
    if context is None:
        if splash is not None:
            splash.close()
        return 6
    start = ""
    if is_first_run(context):  # before "who is using": its answer is not data
        from peer_support.ui.first_run import first_start

        if splash is not None:
            splash.hide()
        context, start = first_start(context)
    install_excepthook(context.data_dir)
    warm_up.hold()
    window = MainWindow(context)
    window.show()
    if splash is not None:
        splash.close()
    app.processEvents()  # on screen, with its figures, before anything slow
    after_paint.release_when_painted(window)
    warm_up.start(context)
    warm_up.when_ready(lambda: _after_first_paint(window, context, start))
    code = app.exec()
    context.close()
    if window.restart_requested:
        # The frozen .deb bundle is its own program; elsewhere sys.executable is Python.
        module = [] if getattr(sys, "frozen", False) else ["-m", "peer_support"]
        from PySide6.QtCore import QProcess

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
