"""Colours for text the app colours itself, worked out from the palette in use (light, dark or high
contrast), so such text always keeps WCAG's 4.5:1 contrast against what it is drawn on."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

AA_TEXT = 4.5


def luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def contrast_ratio(first: QColor, second: QColor) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable(colour: QColor | str, background: QColor) -> QColor:
    """The colour if it reads on the background; else the same hue made lighter or darker until it does
    (at worst black or white)."""
    colour = QColor(colour)
    if contrast_ratio(colour, background) >= AA_TEXT:
        return colour
    lighter = luminance(background) < 0.18
    hue, saturation, lightness = colour.hslHue(), colour.hslSaturation(), colour.lightness()
    step = 8 if lighter else -8
    while 0 <= lightness <= 255:
        candidate = QColor.fromHsl(max(hue, 0), saturation, lightness)
        if contrast_ratio(candidate, background) >= AA_TEXT:
            return candidate
        lightness += step
    return QColor("white") if lighter else QColor("black")


def _palette(palette: QPalette | None) -> QPalette:
    return palette if palette is not None else QApplication.palette()


def _mix(text: QColor, background: QColor, text_share: float) -> QColor:
    """Text toned towards its background: ``text_share`` of the text, the rest background."""
    rest = 1 - text_share
    return QColor.fromRgbF(text_share * text.redF() + rest * background.redF(),
                           text_share * text.greenF() + rest * background.greenF(),
                           text_share * text.blueF() + rest * background.blueF())


def muted_text(palette: QPalette | None = None) -> QColor:
    """Secondary text (captions, notes): between the text and window colours, still readable."""
    palette = _palette(palette)
    window = palette.color(QPalette.ColorRole.Window)
    return readable(_mix(palette.color(QPalette.ColorRole.WindowText), window, 0.65), window)


def error_text(palette: QPalette | None = None) -> QColor:
    """Red that reads on the window colour: dark red on light, light red on dark."""
    palette = _palette(palette)
    return readable(QColor("#c62828"), palette.color(QPalette.ColorRole.Window))


def muted_on_base(palette: QPalette | None = None) -> QColor:
    """Greyed rows in lists (archived, past): readable on the list's base colour."""
    palette = _palette(palette)
    base = palette.color(QPalette.ColorRole.Base)
    return readable(_mix(palette.color(QPalette.ColorRole.Text), base, 0.6), base)


def base_colour(palette: QPalette | None = None) -> QColor:
    """What list rows are drawn on."""
    return _palette(palette).color(QPalette.ColorRole.Base)


def row_tint(colour: QColor | str, palette: QPalette | None = None) -> tuple[QColor, QColor]:
    """A status tint for a list row, and the text colour that reads on it. On a light list the light
    tint as it is; on a dark list (dark or high-contrast palettes) the same hue made dark, so marked
    rows do not glare; the text is the list's own text colour, made readable on the tint if need be."""
    palette = _palette(palette)
    return _row_tint(QColor(colour).rgba(), palette.color(QPalette.ColorRole.Base).rgba(),
                     palette.color(QPalette.ColorRole.Text).rgba())


@lru_cache(maxsize=64)  # asked for each painted cell; a few statuses times the palettes in use
def _row_tint(colour: int, base: int, text: int) -> tuple[QColor, QColor]:
    tint = QColor.fromRgba(colour)
    if luminance(QColor.fromRgba(base)) < 0.18:
        tint = QColor.fromHsl(max(tint.hslHue(), 0), tint.hslSaturation(), 56)
    return tint, readable(QColor.fromRgba(text), tint)
