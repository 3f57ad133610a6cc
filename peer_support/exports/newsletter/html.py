"""The newsletter as one self-contained HTML file, for pasting into an email.

Styles are inline (email programs drop <style> blocks), pictures and the QR
code are inlined as data: URIs, and every piece of user text goes through
``escape``: the model holds plain text only, so nothing a user typed can
become markup. Links come from newsletter_sanitise.safe_href (http, https, mailto).
"""

from __future__ import annotations

import base64
import io
from html import escape

from PIL import Image as PILImage

from peer_support.domain.newsletter_document import Document, ListBlock, Paragraph, Section
from peer_support.domain.newsletter_sanitise import runs_to_html, safe_href
from peer_support.exports.pdf import qr_matrix

FONT_STACK = "'DejaVu Sans', Verdana, Arial, sans-serif"
SERIF_STACK = "'DejaVu Serif', Georgia, 'Times New Roman', serif"
_MIME = {b"\x89PNG": "image/png", b"\xff\xd8\xff": "image/jpeg", b"GIF8": "image/gif"}
P = "margin:0 0 0.8em 0;line-height:1.5"


def _data_uri(raw: bytes) -> str:
    mime = next((kind for magic, kind in _MIME.items() if raw.startswith(magic)), "")
    if not mime:
        return ""
    return f"data:{mime};base64,{base64.b64encode(raw).decode('ascii')}"


def qr_png_uri(url: str, module_pixels: int = 6) -> str:
    """The QR code as an inline PNG (email programs block SVG), with a 4-module quiet zone."""
    matrix = qr_matrix(url)
    count = len(matrix) + 8
    image = PILImage.new("1", (count, count), 1)
    for row, line in enumerate(matrix):
        for column, dark in enumerate(line):
            if dark:
                image.putpixel((column + 4, row + 4), 0)
    image = image.resize((count * module_pixels, count * module_pixels), PILImage.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return _data_uri(buffer.getvalue())


def _blocks(section: Section) -> list[str]:
    out = []
    for block in section.blocks:
        if isinstance(block, Paragraph):
            out.append(f'<p style="{P}">{runs_to_html(block.runs)}</p>')
        elif isinstance(block, ListBlock):
            tag = "ol" if block.ordered else "ul"
            items = "".join(f'<li style="margin:0 0 0.3em 0">{runs_to_html(item)}</li>' for item in block.items)
            out.append(f'<{tag} style="margin:0 0 0.8em 1.4em;padding:0;line-height:1.5">{items}</{tag}>')
    return out


def _section(section: Section) -> str:
    boxed = section.kind in ("tip", "contacts")
    style = ("border:2px solid #000;background:#eeeeee;padding:12px 16px;margin:18px 0" if boxed
             else "margin:18px 0")
    parts = [f'<div style="{style}">']
    if section.tag:
        parts.append(f'<div style="font-size:11px;font-weight:bold;letter-spacing:0.05em;color:#555;'
                     f'text-transform:uppercase">{escape(section.tag)}</div>')
    rule = "" if boxed else "border-bottom:1px solid #000;padding-bottom:3px;"
    parts.append(f'<h2 style="font-family:{SERIF_STACK};font-size:21px;margin:2px 0 8px 0;{rule}">'
                 f'{escape(section.heading)}</h2>')
    if section.image is not None:
        try:
            uri = _data_uri(section.image.path.read_bytes())
        except OSError:
            uri = ""
        if uri:
            parts.append(f'<img src="{uri}" alt="{escape(section.image.caption)}" '
                         f'style="display:block;max-width:100%;height:auto;margin:4px auto">')
            if section.image.caption:
                parts.append(f'<p style="{P};font-size:13px;font-style:italic;color:#555;text-align:center">'
                             f'{escape(section.image.caption)}</p>')
    parts.extend(_blocks(section))
    for item in section.items:
        if section.kind == "contacts":
            parts.append(f'<p style="margin:0 0 0.3em 0"><b>{escape(item.title)}:</b> {escape(item.detail)}</p>')
            continue
        detail = "<br>".join(escape(line) for line in item.detail.splitlines())
        parts.append(f'<p style="{P}"><b>{escape(item.title)}</b>'
                     f'{"<br>" + detail if detail else ""}</p>')
    if section.progress is not None:
        percent = round(max(0.0, min(1.0, section.progress)) * 100)
        parts.append('<div style="border:1px solid #000;height:14px;margin:6px 0">'
                     f'<div style="background:#555;height:14px;width:{percent}%"></div></div>')
        if section.progress_label:
            parts.append(f'<p style="{P};font-size:13px">{escape(section.progress_label)}</p>')
    href = safe_href(section.qr_url)
    if href:
        parts.append(f'<p style="{P}"><a href="{escape(href)}"><img src="{qr_png_uri(href)}" '
                     f'alt="{escape(section.qr_label)}" width="150" height="150" '
                     f'style="vertical-align:middle;margin-right:12px"></a>'
                     f'<b>{escape(section.qr_label)}</b><br><a href="{escape(href)}">{escape(href)}</a></p>')
    parts.append("</div>")
    return "\n".join(parts)


def render_html(document: Document) -> str:
    """The whole newsletter as an HTML page (UTF-8)."""
    body = "\n".join(_section(section) for section in document.sections)
    footer = escape(document.footer_line)
    return f"""<!DOCTYPE html>
<html lang="{escape(document.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(document.plain_title())}</title>
</head>
<body style="margin:0;padding:0;background:#ffffff;color:#111111">
<div style="max-width:680px;margin:0 auto;padding:20px;font-family:{FONT_STACK};font-size:16px">
<div style="border-top:6px solid #000;padding-top:8px">
<div style="font-family:{SERIF_STACK};font-size:34px;font-weight:bold;line-height:1.15">{escape(document.group_name)}</div>
<div style="display:flex;justify-content:space-between;flex-wrap:wrap;gap:8px;border-bottom:3px double #000;padding:8px 0 6px 0;margin-top:6px">
<span style="font-family:{SERIF_STACK};font-size:20px">{escape(document.title)}</span>
<span style="font-size:14px;align-self:flex-end">{escape(document.masthead_line)}</span>
</div>
</div>
{body}
<div style="border-top:1px solid #000;margin-top:24px;padding-top:6px;font-size:12px;color:#555">{footer}</div>
</div>
</body>
</html>
"""
