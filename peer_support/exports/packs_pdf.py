"""Activity pack documents: QR labels, run sheets with a tick column, and the
outstanding list (PDF and CSV). Qt-free; written whole or not at all."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from itertools import groupby
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from peer_support.domain.packs import (BatchRecord, PackRecord, Progress, RunRecord, format_code,  # noqa: F401
                                      progress_line, status_label)
from peer_support.exports.files import atomic_output
from peer_support.exports.labels import Label, LabelSheet, write_label_sheets
from peer_support.exports.pdf import FONT, PAGE_SIZE, mm, styles
from peer_support.i18n import _, ngettext
from peer_support.i18n.formatting import format_datetime

MARGIN = 14 * mm


def pack_label(pack: PackRecord) -> Label:
    """Family name, area, postcode, run, and the code as text and QR code (the QR holds
    the bare code, so any scanner types exactly what the app expects)."""
    lines = [pack.family_name, pack.area, pack.postcode]
    if pack.run_number is not None:
        lines.append(_("Run %(run)d · stop %(stop)d") % {"run": pack.run_number, "stop": pack.run_position or 0})
    return Label(lines=tuple(line for line in lines if line), code_text=format_code(pack.code),
                 qr_data=pack.code)


def write_pack_labels(path, packs: Sequence[PackRecord], sheet: LabelSheet | str, batch_name: str,
                      skip: int = 0) -> int:
    """Labels for ``packs`` in the given order. Returns pages; raises ExportError."""
    return write_label_sheets(path, [pack_label(pack) for pack in packs], sheet,
                              title=_("Pack labels: %(batch)s") % {"batch": batch_name}, skip=skip)


def _footer(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 7.5)
    canvas.setFillColor(colors.grey)
    canvas.drawString(MARGIN, 8 * mm, _("Personal data: keep this sheet safe and shred it after use."))
    canvas.drawRightString(PAGE_SIZE[0] - MARGIN, 8 * mm, _("Page %(page)d") % {"page": doc.page})
    canvas.restoreState()


def _document(partial, title: str) -> SimpleDocTemplate:
    styles()  # registers the bundled fonts
    return SimpleDocTemplate(str(partial), pagesize=PAGE_SIZE, title=title, author="Peer Support",
                             creator="Peer Support", leftMargin=MARGIN, rightMargin=MARGIN,
                             topMargin=MARGIN, bottomMargin=16 * mm)


def _table(header: list[str], rows: list[list], widths: list[float], tick_column: int | None = None) -> Table:
    cell = styles()["cell"]
    data = [[Paragraph(f"<b>{escape(h)}</b>", cell) for h in header]]
    data += [[Paragraph(escape(str(v)).replace("\n", "<br/>"), cell) if isinstance(v, str) else v
              for v in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1)
    commands = [("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef4")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONT", (0, 0), (-1, -1), FONT, 9),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f6f6f6")])]
    if tick_column is not None:
        commands.append(("BOX", (tick_column, 1), (tick_column, -1), 1.2, colors.black))
    table.setStyle(TableStyle(commands))
    return table


def write_run_sheets(path, batch: BatchRecord, runs: Sequence[tuple[RunRecord, Sequence[PackRecord]]]) -> None:
    """One section per run (new page each): stops in order, address, code, a tick
    box and room for a note. Raises ExportError."""
    s = styles()
    story = []
    for index, (run, packs) in enumerate(runs):
        if index:
            story.append(PageBreak())
        story.append(Paragraph(escape(_("Run %(number)d: %(name)s") % {"number": run.number, "name": run.name}),
                               s["title"]))
        volunteer = run.volunteer or _("not assigned yet")
        story.append(Paragraph(escape(ngettext("%(batch)s · volunteer: %(volunteer)s · %(count)d pack",
                                               "%(batch)s · volunteer: %(volunteer)s · %(count)d packs",
                                               len(packs))
                                      % {"batch": batch.name, "volunteer": volunteer, "count": len(packs)}),
                               s["body"]))
        if batch.contents:
            story.append(Paragraph(escape(_("In each pack: %(items)s") % {"items": ", ".join(batch.contents)}),
                                   s["small"]))
        story.append(Spacer(1, 4 * mm))
        rows = [[str(p.run_position or ""), p.family_name, p.address, p.postcode, format_code(p.code), "", ""]
                for p in packs]
        story.append(_table(["#", _("Family"), _("Address"), _("Postcode"), _("Code"), "✓", _("Note")],
                            rows, [8 * mm, 36 * mm, 46 * mm, 22 * mm, 25 * mm, 12 * mm, 33 * mm],
                            tick_column=5))
    with atomic_output(path) as partial:
        _document(partial, _("Run sheets: %(batch)s") % {"batch": batch.name}).build(
            story, onFirstPage=_footer, onLaterPages=_footer)


def write_outstanding_pdf(path, batch: BatchRecord, progress: Progress, packs: Sequence[PackRecord],
                          now) -> None:
    """Every pack not delivered, grouped by run. Raises ExportError."""
    s = styles()
    story = [Paragraph(escape(_("Outstanding packs: %(batch)s") % {"batch": batch.name}), s["title"]),
             Paragraph(escape(progress_line(progress)), s["body"]),
             Paragraph(escape(_("As of %(when)s") % {"when": format_datetime(now, "short")}), s["small"]),
             Spacer(1, 4 * mm)]
    for run_number, group in groupby(packs, key=lambda p: p.run_number):
        group = list(group)
        heading = (_("Run %(number)d") % {"number": run_number}) if run_number else _("Not in a run")
        story.append(Paragraph(escape(heading), s["heading"]))
        rows = [[str(p.run_position or ""), p.family_name, p.address, p.postcode, format_code(p.code),
                 status_label(p.status), p.note] for p in group]
        story.append(_table(["#", _("Family"), _("Address"), _("Postcode"), _("Code"), _("Status"), _("Note")],
                            rows, [8 * mm, 34 * mm, 42 * mm, 22 * mm, 25 * mm, 28 * mm, 23 * mm]))
    if not packs:
        story.append(Paragraph(escape(_("Every pack has been delivered.")), s["body"]))
    with atomic_output(path) as partial:
        _document(partial, _("Outstanding packs: %(batch)s") % {"batch": batch.name}).build(
            story, onFirstPage=_footer, onLaterPages=_footer)


def _safe_cell(value: str) -> str:
    # A cell starting with = + - @ would run as a formula when opened in a spreadsheet.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def write_outstanding_csv(path, packs: Sequence[PackRecord]) -> None:
    """The outstanding list as CSV (UTF-8 with BOM, so Excel shows ł, ø and ß). Raises ExportError."""
    header = [_("Run"), _("Stop"), _("Family reference"), _("Family"), _("Address"), _("Postcode"),
              _("Area"), _("Code"), _("Status"), _("Last change"), _("Volunteer"), _("Note")]
    with atomic_output(path) as partial:
        with open(partial, "w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for p in packs:
                writer.writerow([_safe_cell(str(v)) for v in (
                    p.run_number or "", p.run_position or "", p.family_reference, p.family_name,
                    p.address.replace("\n", ", "), p.postcode, p.area, format_code(p.code),
                    status_label(p.status), format_datetime(p.status_at, "short") if p.status_at else "",
                    p.volunteer, p.note)])


__all__ = ["pack_label", "progress_line", "write_outstanding_csv",
           "write_outstanding_pdf", "write_pack_labels", "write_run_sheets"]
