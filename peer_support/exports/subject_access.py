"""The subject access ZIP: a readable PDF and HTML page, JSON and CSV of the same sections.

Every CSV cell goes through ``safe_cell`` (like the families export), so a
name typed as ``=HYPERLINK(...)`` is shown as text, never run as a formula.
"""

from __future__ import annotations

import csv
import html
import io
import json
import zipfile
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from peer_support.exports.files import atomic_output
from peer_support.exports.pdf import FONT, FONT_BOLD, PAGE_SIZE, styles
from peer_support.exports.spreadsheet import safe_cell


WIDE = 6  # more columns than this are shown record by record in the PDF
_GRID = TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("FONTNAME", (0, 0), (-1, -1), FONT)])


def _csv(columns: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(c) for c in columns])
    writer.writerows([[safe_cell(v) for v in row] for row in rows])
    return buffer.getvalue().encode("utf-8-sig")  # Excel reads the accents right with a BOM


def render_html(document) -> str:
    parts = [f'<!DOCTYPE html>\n<html lang="{html.escape(document.language)}"><head><meta charset="utf-8">',
             f"<title>{html.escape(document.title)}</title><style>body{{font-family:sans-serif;max-width:60em;"
             "margin:2em auto;padding:0 1em}table{border-collapse:collapse;width:100%;margin-bottom:1.5em}"
             "th,td{border:1px solid #bbb;padding:4px 6px;text-align:left;vertical-align:top}"
             "th{background:#eee}</style></head><body>",
             f"<h1>{html.escape(document.title)}</h1><p>{html.escape(document.intro)}</p>"]
    for section in document.sections:
        parts.append(f"<h2>{html.escape(section.title)}</h2>")
        if not section.rows:
            parts.append(f"<p>{html.escape(document.empty)}</p>")
            continue
        parts.append("<table><tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in section.columns) + "</tr>")
        for row in section.rows:
            cells = "".join(f"<td>{html.escape(v).replace(chr(10), '<br>')}</td>" for v in row)
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</table>")
    parts.append("</body></html>\n")
    return "".join(parts)


def render_pdf(document, path: Path) -> None:
    style = styles()
    cell = style["cell"]
    head = style["cell"].clone("head", fontName=FONT_BOLD)
    heading = style["heading"].clone("section", keepWithNext=1)
    story = [Paragraph(html.escape(document.title), style["title"]),
             Paragraph(html.escape(document.intro), style["body"]), Spacer(1, 4 * mm)]
    width = PAGE_SIZE[0] - 30 * mm
    for section in document.sections:
        story.append(Paragraph(html.escape(section.title), heading))
        if not section.rows:
            story.append(Paragraph(html.escape(document.empty), style["body"]))
            continue

        def para(value: str, kind=cell) -> Paragraph:
            return Paragraph(html.escape(value).replace("\n", "<br/>"), kind)

        if len(section.columns) > WIDE:
            # Too many columns for a page: one small label/value table per record.
            for row in section.rows:
                data = [[para(label, head), para(value)] for label, value in zip(section.columns, row) if value]
                table = Table(data, colWidths=[width * 0.3, width * 0.7])
                table.setStyle(_GRID)
                story += [table, Spacer(1, 3 * mm)]
            continue
        data = [[para(c, head) for c in section.columns]] + [[para(v) for v in row] for row in section.rows]
        parts = section.widths or (1 / len(section.columns),) * len(section.columns)
        table = Table(data, colWidths=[width * part for part in parts], repeatRows=1)
        table.setStyle(TableStyle([*_GRID.getCommands(), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))]))
        story.append(table)
    pdf = SimpleDocTemplate(str(path), pagesize=PAGE_SIZE, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm, title=document.title,
                            author="Peer Support", creator="Peer Support", initialFontName=FONT)
    pdf.build(story)


def as_json(document) -> str:
    return json.dumps({"title": document.title, "reference": document.reference, "language": document.language,
                       "sections": [{"title": s.title, "rows": [dict(zip(s.columns, row)) for row in s.rows]}
                                    for s in document.sections]}, ensure_ascii=False, indent=2)


def write_subject_zip(document, files: list[Path], output) -> None:
    """The ZIP, whole or not at all. Raises ExportError when it cannot be written."""
    with atomic_output(output) as partial:
        pdf_path = partial.with_name(partial.name + ".pdf")
        try:
            render_pdf(document, pdf_path)
            with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
                base = document.reference
                archive.write(pdf_path, f"{base}.pdf")
                archive.writestr(f"{base}.html", render_html(document))
                archive.writestr(f"{base}.json", as_json(document))
                for section in document.sections:
                    archive.writestr(f"csv/{section.key}.csv", _csv(section.columns, section.rows))
                for path in files:
                    archive.write(path, f"files/{path.name}")
        finally:
            pdf_path.unlink(missing_ok=True)
