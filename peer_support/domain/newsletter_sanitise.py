"""Organiser rich text, reduced to a safe subset.

Whatever comes in (QTextEdit's HTML, pasted markup, plain text) becomes blocks
of ``newsletter_document.Run``: bold, italic, underline and links (http, https, mailto only);
paragraphs, line breaks and bulleted or numbered lists. Everything else (scripts,
styles, event attributes, images, javascript: links) is dropped. The safe form
stored in the database is ``to_safe_html(parse(text))``: only
b/i/u/ul/ol/li/p/br/a[href].
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from html.parser import HTMLParser

from peer_support.domain.newsletter_document import Block, ListBlock, Paragraph, Run

SAFE_SCHEMES = ("http://", "https://", "mailto:")
_SKIP_CONTENT = {"script", "style", "head", "title", "template", "noscript", "iframe", "object"}
_BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "tr"}
_SPACES = re.compile(r"\s+")


def safe_href(href: str) -> str:
    """The link if its scheme is allowed, else ''. Browsers ignore control characters
    and spaces inside a scheme ("java\\tscript:"), so they are removed before checking."""
    cleaned = "".join(ch for ch in href.strip() if ch > " ")
    return cleaned if cleaned.lower().startswith(SAFE_SCHEMES) else ""


@dataclass(frozen=True)
class _Format:
    """What an open tag switches on (or, summed over the open tags, the current formatting)."""

    bold: bool = False
    italic: bool = False
    underline: bool = False
    href: str = ""


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._runs: list[Run] = []
        self._format: list[tuple[str, _Format]] = []  # open tags and what they switch on
        self._skip = 0
        self._list: tuple[bool, list[tuple[Run, ...]]] | None = None
        self._in_item = False

    # -- formatting state ---------------------------------------------------------
    def _current(self) -> _Format:
        bold = italic = underline = False
        href = ""
        for _tag, switches in self._format:
            bold = bold or switches.bold
            italic = italic or switches.italic
            underline = underline or switches.underline
            href = switches.href or href  # the innermost link wins
        return _Format(bold, italic, underline, href)

    def _flush(self) -> None:
        runs = _trim(self._runs)
        self._runs = []
        if not runs:
            return
        if self._list is not None and self._in_item:
            self._list[1].append(runs)
        elif self._list is not None:
            self._list[1].append(runs)  # stray text inside a list: an item of its own
        else:
            self.blocks.append(Paragraph(runs))

    def _close_list(self) -> None:
        self._flush()
        if self._list is not None and self._list[1]:
            self.blocks.append(ListBlock(self._list[0], tuple(self._list[1])))
        self._list = None

    # -- HTMLParser ---------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k.lower(): (v or "") for k, v in attrs}
        if tag in _SKIP_CONTENT:
            self._skip += 1
            return
        if self._skip:
            return
        if tag == "br":
            self._runs.append(Run("\n"))
        elif tag in ("ul", "ol"):
            if self._list is None:
                self._flush()
                self._list = (tag == "ol", [])
        elif tag == "li":
            self._flush()
            self._in_item = True
        elif tag in _BLOCK_TAGS:
            self._flush()
        switches = _switches(tag, attributes)
        if switches is not None:
            self._format.append((tag, switches))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag != "br":
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_CONTENT:
            self._skip = max(0, self._skip - 1)
            return
        if self._skip:
            return
        for index in range(len(self._format) - 1, -1, -1):
            if self._format[index][0] == tag:
                del self._format[index]
                break
        if tag in ("ul", "ol"):
            self._close_list()
        elif tag == "li":
            self._flush()
            self._in_item = False
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._skip or not data:
            return
        text = _SPACES.sub(" ", data)
        if text:
            state = self._current()
            self._runs.append(Run(text, state.bold, state.italic, state.underline, state.href))

    def close(self) -> None:
        super().close()
        self._close_list()
        self._flush()


def _switches(tag: str, attributes: dict[str, str]) -> _Format | None:
    """What the tag switches on, or None when it switches nothing on."""
    style = attributes.get("style", "").lower().replace(" ", "")
    switches = _Format(
        bold=tag in ("b", "strong") or "font-weight:bold" in style
        or bool(re.search(r"font-weight:[6-9]00", style)),
        italic=tag in ("i", "em") or "font-style:italic" in style,
        underline=tag == "u" or ("text-decoration:" in style and "underline" in style),
        href=safe_href(attributes.get("href", "")) if tag == "a" else "",
    )
    return switches if switches != _Format() else None


def _trim(runs: list[Run]) -> tuple[Run, ...]:
    """Drop leading/trailing spaces and breaks; merge neighbours with the same format."""
    merged: list[Run] = []
    for run in runs:
        if merged and _same_format(merged[-1], run) and "\n" not in (run.text, merged[-1].text):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic, run.underline, run.href)
        else:
            merged.append(run)
    while merged and not merged[0].text.strip():
        merged.pop(0)
    while merged and not merged[-1].text.strip():
        merged.pop()
    if merged:
        first, last = merged[0], merged[-1]
        merged[0] = Run(first.text.lstrip(), first.bold, first.italic, first.underline, first.href)
        last = merged[-1]
        merged[-1] = Run(last.text.rstrip(), last.bold, last.italic, last.underline, last.href)
    return tuple(merged)


def _same_format(a: Run, b: Run) -> bool:
    return (a.bold, a.italic, a.underline, a.href) == (b.bold, b.italic, b.underline, b.href)


def parse(text: str) -> tuple[Block, ...]:
    """Blocks from organiser rich text; plain text (no tags) keeps its paragraphs and lines."""
    if "<" not in text:
        paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
        text = "".join("<p>" + escape(p.strip()).replace("\n", "<br>") + "</p>" for p in paragraphs)
    parser = _Parser()
    parser.feed(text)
    parser.close()
    return tuple(parser.blocks)


def runs_markup(runs: tuple[Run, ...], *, line_break: str, text: Callable[[str], str],
                link: Callable[[str, str], str]) -> str:
    """Runs as inline markup (<b>, <i>, <u>, links); ``text`` escapes every piece of text.

    HTML and reportlab's paragraph markup differ only in the line break, the
    escaping and how a link is written, which the caller passes in.
    """
    out = []
    for run in runs:
        if run.text == "\n":
            out.append(line_break)
            continue
        piece = text(run.text)
        if run.underline:
            piece = f"<u>{piece}</u>"
        if run.italic:
            piece = f"<i>{piece}</i>"
        if run.bold:
            piece = f"<b>{piece}</b>"
        if run.href:
            piece = link(run.href, piece)
        out.append(piece)
    return "".join(out)


def runs_to_html(runs: tuple[Run, ...]) -> str:
    """Runs as the safe HTML subset; every piece of text is escaped."""
    return runs_markup(runs, line_break="<br>", text=lambda t: escape(t, quote=False),
                       link=lambda href, piece: f'<a href="{escape(href, quote=True)}">{piece}</a>')


def to_safe_html(blocks: tuple[Block, ...]) -> str:
    out = []
    for block in blocks:
        if isinstance(block, Paragraph):
            out.append(f"<p>{runs_to_html(block.runs)}</p>")
        else:
            tag = "ol" if block.ordered else "ul"
            items = "".join(f"<li>{runs_to_html(item)}</li>" for item in block.items)
            out.append(f"<{tag}>{items}</{tag}>")
    return "".join(out)


def sanitise(text: str) -> str:
    """Organiser rich text reduced to the stored safe subset."""
    return to_safe_html(parse(text))


def plain(text: str) -> str:
    """The words only, one paragraph or list item per line (for lists and search)."""
    lines: list[str] = []
    for block in parse(text):
        items = [block.runs] if isinstance(block, Paragraph) else list(block.items)
        lines.extend("".join(r.text for r in runs) for runs in items)
    return "\n".join(lines)
