"""Regenerate the scan-mode sounds in resources/sounds/ (short 16-bit mono WAV files).

The generated files are committed, so this is only needed after changing a sound:

    python packaging/make_sounds.py

Only the standard library (wave, math, struct). The output is the same on every run.

- ok.wav: a short rising two-note chirp (E6 then A6), pleasant and quick: "delivered".
- problem.wav: two low notes falling (A3 then E3), longer: "look at the screen".
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

SOUND_DIR = Path(__file__).resolve().parent.parent / "resources" / "sounds"
RATE = 22_050
# (frequency Hz, milliseconds) per note
SOUNDS = {
    "ok": [(1318.5, 70), (1760.0, 110)],
    "problem": [(220.0, 180), (164.8, 260)],
}
VOLUME = 0.45


def note(frequency: float, milliseconds: int) -> list[float]:
    """A sine with a soft attack and decay (no clicks), plus a little second harmonic for warmth."""
    count = RATE * milliseconds // 1000
    attack, release = int(RATE * 0.008), int(RATE * 0.04)
    samples = []
    for i in range(count):
        t = i / RATE
        envelope = min(1.0, i / attack, (count - i) / release)
        value = math.sin(2 * math.pi * frequency * t) + 0.25 * math.sin(4 * math.pi * frequency * t)
        samples.append(VOLUME * envelope * value / 1.25)
    return samples


def render(notes: list[tuple[float, int]]) -> bytes:
    samples: list[float] = []
    for frequency, milliseconds in notes:
        samples += note(frequency, milliseconds)
        samples += [0.0] * (RATE * 15 // 1000)  # a breath between notes
    return b"".join(struct.pack("<h", round(max(-1.0, min(1.0, s)) * 32767)) for s in samples)


def write(name: str, folder: Path = SOUND_DIR) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(render(SOUNDS[name]))
    return path


def main() -> None:
    for name in SOUNDS:
        print(write(name))


if __name__ == "__main__":
    main()
