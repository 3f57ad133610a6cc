"""Scan sounds: real WAV files, played with QSoundEffect when QtMultimedia loads, the system beep
otherwise; regenerated identically by packaging/make_sounds.py."""

from __future__ import annotations

import importlib.util
import sys
import wave
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from peer_support.ui.packs import sounds
from peer_support.ui.packs.sounds import ScanSounds, sound_file

pytestmark = pytest.mark.gui
ROOT = Path(__file__).resolve().parents[2]


def _generator():
    spec = importlib.util.spec_from_file_location("make_sounds", ROOT / "packaging" / "make_sounds.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("kind", ["ok", "problem"])
def test_each_sound_is_a_short_small_wav_that_the_generator_makes_again(kind, tmp_path):
    path = sound_file(kind)
    with wave.open(str(path)) as sound:
        seconds = sound.getnframes() / sound.getframerate()
        assert sound.getnchannels() == 1 and sound.getsampwidth() == 2
    assert 0.1 < seconds < 0.6 and path.stat().st_size < 32_000
    assert _generator().write(kind, tmp_path).read_bytes() == path.read_bytes()


def test_the_ok_sound_is_higher_than_the_problem_sound():
    notes = _generator().SOUNDS
    assert min(f for f, _ms in notes["ok"]) > 2 * max(f for f, _ms in notes["problem"])


def test_without_qtmultimedia_the_system_beep_stands_in(qtbot, monkeypatch):
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", None)  # as when it cannot load
    beeps = []
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: beeps.append(1)))
    player = ScanSounds()
    player.play("ok")
    player.play("problem")
    qtbot.waitUntil(lambda: len(beeps) == 3)  # one beep for ok, two for a problem
    assert player.requested == ["ok", "problem"] and not player.uses_sound_files()


def test_with_qtmultimedia_the_wav_files_are_played(qtbot, monkeypatch):
    played = []

    class FakeEffect:
        class Status:
            Error = "error"

        def __init__(self, parent):
            self.source = None

        def setSource(self, url):  # noqa: N802 - Qt API
            self.source = url.toLocalFile()

        def setVolume(self, volume):  # noqa: N802 - Qt API
            pass

        def status(self):
            return "ready"

        def play(self):
            played.append(Path(self.source).name)

    class FakeOutput:
        def isNull(self):  # noqa: N802 - Qt API
            return False

    class FakeDevices:
        @staticmethod
        def defaultAudioOutput():  # noqa: N802 - Qt API
            return FakeOutput()

    fake = type(sys)("PySide6.QtMultimedia")
    fake.QSoundEffect, fake.QMediaDevices = FakeEffect, FakeDevices
    monkeypatch.setitem(sys.modules, "PySide6.QtMultimedia", fake)
    monkeypatch.setattr(QApplication, "beep", staticmethod(lambda: pytest.fail("beeped")))
    player = ScanSounds()
    player.play("ok")
    player.play("problem")
    assert played == ["ok.wav", "problem.wav"] and player.uses_sound_files()
    assert sounds.SOUND_FOR_STATE == {"ok": "ok", "warn": "problem", "error": "problem"}
