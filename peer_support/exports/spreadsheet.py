"""CSV and XLSX writing shared by every area, safe to open in Excel or LibreOffice.

Text must never run as a formula (CSV injection, OWASP). In CSV, ``safe_cell``
gives a cell starting with = + - @, a tab or a carriage return a leading
apostrophe, which spreadsheets take as "this is text"; importers undo it with
``unneutralise``. In XLSX the cell itself says it holds text (``append_row``
stores every string as a text cell), so the value is kept exactly, with no
apostrophe to see. A value longer than a format can hold (an XLSX cell holds
32,767 characters) is refused with the row and column, never cut. Files are
written through ``atomic_output``: whole or not at all.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

from peer_support.errors import ExportError
from peer_support.exports.files import atomic_output, output_format
from peer_support.i18n import _
from peer_support.i18n.formatting import format_number

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Pounds and pence in a spreadsheet cell, whatever the reader's own currency.
GBP_FORMAT = '"£"#,##0.00'
SPREADSHEET_FORMATS = ("csv", "xlsx")
# Excel's limit for one cell; longer text would be cut (or refused) when opened, so it is refused here.
MAX_CELL = 32_767


def safe_cell(value: object) -> object:
    """A value as a spreadsheet cell: text that would run as a formula gets a leading apostrophe.

    Numbers, dates and booleans pass through unchanged (they are never formulas).
    """
    if value is None:
        return ""
    if isinstance(value, str):
        if value.startswith(FORMULA_STARTS):
            return "'" + value
        return value
    return value


def unneutralise(text: str) -> str:
    """Undo ``safe_cell`` on text read back from a file we (or a careful tool) wrote."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def _as_text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def write_csv(path: str | os.PathLike, headers: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    """UTF-8 with BOM (so Excel reads the accents right), comma-separated, quoted where needed."""
    target = Path(path)
    with atomic_output(target) as partial:
        with partial.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle, quoting=csv.QUOTE_MINIMAL)
            writer.writerow([safe_cell(h) for h in headers])
            for row in rows:
                writer.writerow([safe_cell(_as_text(v) if v is not None and not isinstance(v, str) else v)
                                 for v in row])
    return target


def append_row(sheet, values: Sequence[object], formula_columns: Collection[int] = ()) -> int:
    """Append one row to an openpyxl sheet with every string stored as text; returns its row number.

    Text is never taken as a formula and shows exactly as it is (no apostrophe);
    characters XLSX cannot hold (control characters) are dropped. Only the
    0-based ``formula_columns`` may hold the caller's own formulas. Raises
    ExportError when a text is longer than an XLSX cell holds.
    """
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.utils import get_column_letter

    cleaned = ["" if value is None else ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str)
               else value for value in values]
    sheet.append(cleaned)
    row_number = sheet.max_row
    for index, value in enumerate(cleaned):
        if not isinstance(value, str) or index in formula_columns:
            continue
        if len(value) > MAX_CELL:
            raise ExportError(_("The text in row %(row)d, column %(column)s of the sheet %(sheet)s has "
                                "%(count)s characters, but an XLSX cell holds at most %(limit)s. Export to "
                                "CSV instead, or shorten the text.")
                              % {"row": row_number, "column": get_column_letter(index + 1),
                                 "sheet": sheet.title, "count": format_number(len(value)),
                                 "limit": format_number(MAX_CELL)})
        sheet.cell(row=row_number, column=index + 1).data_type = "s"  # text, even when it starts with =
    return row_number


def write_xlsx(path: str | os.PathLike, headers: Sequence[str], rows: Iterable[Sequence[object]],
               sheet_title: str = "") -> Path:
    """One sheet, bold frozen header row, dates as real date cells, text always text.

    Raises ExportError (nothing written) when a text is too long for a cell.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    target = Path(path)
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = (sheet_title or _("Sheet"))[:31]
    append_row(sheet, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(str(h)) for h in headers]
    for row in rows:
        row_number = append_row(sheet, row)
        for index, cell in enumerate(sheet[row_number]):
            if isinstance(cell.value, str):
                if index < len(widths):
                    widths[index] = max(widths[index], min(50, max(len(p) for p in cell.value.split("\n"))))
                if "\n" in cell.value:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width + 2
    sheet.freeze_panes = "A2"
    with atomic_output(target) as partial:
        try:
            workbook.save(partial)
        except (ValueError, TypeError) as exc:  # openpyxl refuses values it cannot store
            raise ExportError(_("Could not write %(path)s: %(reason)s") % {"path": target, "reason": exc}) from exc
    return target


def write_spreadsheet(path: str | os.PathLike, headers: Sequence[str], rows: Iterable[Sequence[object]],
                      sheet_title: str = "") -> Path:
    """CSV or XLSX chosen by the file name's extension; raises ExportError for others."""
    if output_format(path, SPREADSHEET_FORMATS) == "xlsx":
        return write_xlsx(path, headers, rows, sheet_title)
    return write_csv(path, headers, rows)
