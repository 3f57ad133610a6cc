"""Per-laptop settings of the trust area, kept with the window state (window.ini)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings

from peer_support.context import AppContext

LOCK_MINUTES_KEY = "trust/lock_minutes"
DEFAULT_LOCK_MINUTES = 10
# Called with the new value when the lock time changes (the running IdleLock listens).
lock_minutes_changed: list[Callable[[int], None]] = []


def _settings(context: AppContext) -> QSettings:
    return QSettings(str(context.data_dir / "window.ini"), QSettings.Format.IniFormat)


def lock_minutes(context: AppContext) -> int:
    try:
        return max(0, int(_settings(context).value(LOCK_MINUTES_KEY, DEFAULT_LOCK_MINUTES)))
    except (TypeError, ValueError):
        return DEFAULT_LOCK_MINUTES


def set_lock_minutes(context: AppContext, minutes: int) -> None:
    settings = _settings(context)
    settings.setValue(LOCK_MINUTES_KEY, int(minutes))
    settings.sync()
    for listener in list(lock_minutes_changed):
        listener(int(minutes))
