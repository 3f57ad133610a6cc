"""Scan mode's sounds: a short chirp for "delivered", a low tone for anything to look at.

The WAV files are in resources/sounds/ (made by packaging/make_sounds.py) and play through
QtMultimedia's QSoundEffect. QtMultimedia is loaded on the first sound, not at start-up; when it
cannot load (no audio library, no audio device, a bundle without it) the system beep stands in:
one beep for "delivered", two for a problem.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, QUrl
from PySide6.QtWidgets import QApplication

from peer_support.resources import resource_path

OK, PROBLEM = "ok", "problem"
SOUND_FOR_STATE = {"ok": OK, "warn": PROBLEM, "error": PROBLEM}
BEEPS = {OK: 1, PROBLEM: 2}
log = logging.getLogger(__name__)


def sound_file(kind: str):
    return resource_path("sounds", f"{kind}.wav")


class ScanSounds(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.requested: list[str] = []  # every sound asked for, in order (tests read it)
        self._effects: dict | None = None  # None: QtMultimedia not tried yet; {}: not available

    def play(self, kind: str) -> None:
        self.requested.append(kind)
        effect = self._effect(kind)
        if effect is not None:
            effect.play()
            return
        for number in range(BEEPS[kind]):
            QTimer.singleShot(number * 220, QApplication.beep)

    def uses_sound_files(self) -> bool:
        return bool(self._load())

    def _effect(self, kind: str):
        effect = self._load().get(kind)
        if effect is None:
            return None
        from PySide6.QtMultimedia import QSoundEffect

        return None if effect.status() == QSoundEffect.Status.Error else effect

    def _load(self) -> dict:
        if self._effects is not None:
            return self._effects
        self._effects = {}
        try:
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect
        except ImportError as exc:  # e.g. libpulse missing, or a bundle without QtMultimedia
            log.info("scan sounds fall back to the system beep: %s", exc)
            return self._effects
        if QMediaDevices.defaultAudioOutput().isNull():
            log.info("scan sounds fall back to the system beep: no audio output")
            return self._effects
        for kind in (OK, PROBLEM):
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(sound_file(kind))))
            effect.setVolume(0.8)
            self._effects[kind] = effect
        return self._effects
