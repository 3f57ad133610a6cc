"""Regenerate the app icon bitmaps from resources/icons/peer-support.svg.

The generated files are committed, so this is only needed after editing the SVG:

    python packaging/make_icons.py

Needs `rsvg-convert` (Debian package librsvg2-bin) and Pillow. Neither is needed
at runtime or to build the app.
"""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

from PIL import Image

ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons"
SVG = ICON_DIR / "peer-support.svg"
PNG_SIZES = (16, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICNS_SIZES = (16, 32, 64, 128, 256, 512, 1024)


def render(size: int) -> Image.Image:
    """Render the SVG to a square RGBA image of `size` pixels."""
    png = subprocess.run(
        ["rsvg-convert", "-w", str(size), "-h", str(size), str(SVG)],
        check=True,
        capture_output=True,
    ).stdout
    return Image.open(io.BytesIO(png)).convert("RGBA")


def main() -> None:
    renders = {size: render(size) for size in sorted(set(PNG_SIZES + ICO_SIZES + ICNS_SIZES))}

    for size in PNG_SIZES:
        renders[size].save(ICON_DIR / f"peer-support-{size}.png", optimize=True)

    # Windows: one .ico holding every size, each rendered natively from the SVG.
    largest = renders[max(ICO_SIZES)]
    largest.save(
        ICON_DIR / "peer-support.ico",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[renders[s] for s in ICO_SIZES if s != max(ICO_SIZES)],
    )

    # macOS: Pillow writes .icns on any platform.
    renders[1024].save(
        ICON_DIR / "peer-support.icns",
        append_images=[renders[s] for s in ICNS_SIZES if s != 1024],
    )
    print(f"Wrote icons to {ICON_DIR}")


if __name__ == "__main__":
    main()
