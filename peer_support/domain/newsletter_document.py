"""The newsletter document: sections, blocks and runs of text.

This is the structure the stored rich text parses into
(``newsletter_sanitise.parse``) and the one both renderers draw from
(``exports/newsletter``: PDF and HTML). Built once per language version by
``services/newsletter_export.py``; holds only plain text and structure (no
markup), so each renderer escapes for its own format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Run:
    """A piece of text with one formatting; ``text`` may be "\\n" for a line break."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False
    href: str = ""


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    items: tuple[tuple[Run, ...], ...]


Block = Paragraph | ListBlock


@dataclass(frozen=True)
class Item:
    """A line in an automatic section: a meeting, a figure."""

    title: str
    detail: str = ""


@dataclass(frozen=True)
class Image:
    path: Path
    caption: str = ""


@dataclass(frozen=True)
class Section:
    kind: str  # article | tip | meetings | packs | fund | contacts
    heading: str
    blocks: tuple[Block, ...] = ()
    items: tuple[Item, ...] = ()
    image: Image | None = None
    tag: str = ""  # a label above the heading, e.g. "Resilience Framework: Coping"
    progress: float | None = None  # 0..1 drawn as a bar (pack deliveries)
    progress_label: str = ""
    qr_url: str = ""  # a QR code beside the section (sign-up)
    qr_label: str = ""


@dataclass(frozen=True)
class Document:
    language: str
    group_name: str
    title: str  # the title in this language
    masthead_line: str  # "Issue 12 · November 2026", already in this language
    footer_line: str
    page_label: str  # "Page %(page)s", in this language, filled per page
    sections: tuple[Section, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    def plain_title(self) -> str:
        return f"{self.group_name} – {self.title}" if self.group_name else self.title


def plain_text(runs: tuple[Run, ...]) -> str:
    return "".join(run.text for run in runs)
