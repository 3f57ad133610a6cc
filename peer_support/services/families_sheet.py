"""Reading a real-world spreadsheet (CSV or XLSX) into header + numbered rows.

CSV: UTF-8 with or without BOM, UTF-16 (Excel's "Unicode text"), else
Windows-1252; comma, semicolon or tab, whichever the header line uses. XLSX:
the first sheet, cell values as Excel holds them (dates as dates). Blank lines
are skipped but counted, so row numbers are the ones the user sees in Excel.
Anything else is refused with one clear ValidationError.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from peer_support.errors import ValidationError
from peer_support.i18n import _

MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Sheet:
    file_name: str
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[object, ...]], ...]  # (row number as in a spreadsheet, cells)
    description: str  # e.g. "CSV, UTF-8, separated by ;"


def _not_a_sheet(path: Path) -> ValidationError:
    return ValidationError(_("'%(name)s' is not a spreadsheet: choose a CSV or XLSX file.")
                           % {"name": path.name})


def read_sheet(path: str | Path) -> Sheet:
    """Read a CSV or XLSX file. Raises ValidationError with one clear sentence when it cannot."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ValidationError(_("There is no file called %(path)s.") % {"path": path}) from None
    except OSError as exc:
        raise ValidationError(_("Could not read %(path)s: %(reason)s")
                              % {"path": path, "reason": exc.strerror or exc}) from None
    if len(data) > MAX_BYTES:
        raise ValidationError(_("'%(name)s' is too big to be a families spreadsheet.") % {"name": path.name})
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(path, data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationError(_("'%(name)s' is an old Excel (.xls) file. Open it in your spreadsheet "
                                "program and save it as .xlsx or CSV.") % {"name": path.name})
    return _read_csv(path, data)


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    if b"\x00" in data[:4096]:
        raise _not_a_sheet(path)
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "ISO-8859-1"


def _looks_like_text(text: str) -> bool:
    sample = text[:20_000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\r\n")
    return controls <= len(sample) // 200


def _delimiter(text: str) -> str:
    """The separator the first non-blank line uses most (outside quotes)."""
    for line in text.splitlines():
        if line.strip():
            counts = {d: 0 for d in (",", ";", "\t")}
            quoted = False
            for ch in line:
                if ch == '"':
                    quoted = not quoted
                elif not quoted and ch in counts:
                    counts[ch] += 1
            best = max(counts, key=lambda d: counts[d])
            return best if counts[best] else ","
    return ","


def _read_csv(path: Path, data: bytes) -> Sheet:
    text, encoding = _decode(path, data)
    if not text.strip():
        raise ValidationError(_("'%(name)s' is empty.") % {"name": path.name})
    if not _looks_like_text(text):
        raise _not_a_sheet(path)
    delimiter = _delimiter(text)
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise ValidationError(_("'%(name)s' is not a readable CSV file: %(reason)s")
                              % {"name": path.name, "reason": exc}) from None
    shown = {",": ",", ";": ";", "\t": _("tab")}[delimiter]
    description = _("CSV, %(encoding)s, separated by %(separator)s") % {"encoding": encoding,
                                                                         "separator": shown}
    return _sheet(path, [(number, tuple(record)) for number, record in enumerate(records, start=1)],
                  description)


def _read_xlsx(path: Path, data: bytes) -> Sheet:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise _not_a_sheet(path) from exc
    except Exception as exc:  # openpyxl raises its own InvalidFileException and friends
        raise _not_a_sheet(path) from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise ValidationError(_("'%(name)s' is empty.") % {"name": path.name})
        rows = [(number, tuple(values)) for number, values in
                enumerate(sheet.iter_rows(values_only=True), start=1)]
        title = sheet.title
    finally:
        workbook.close()
    return _sheet(path, rows, _("Excel workbook, sheet %(sheet)s") % {"sheet": title})


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _sheet(path: Path, rows: list[tuple[int, tuple[object, ...]]], description: str) -> Sheet:
    rows = [(number, cells) for number, cells in rows if not all(_blank(c) for c in cells)]
    if not rows:
        raise ValidationError(_("'%(name)s' is empty.") % {"name": path.name})
    header_cells = rows[0][1]
    width = max(i + 1 for i, c in enumerate(header_cells) if not _blank(c))
    headers = tuple(("" if c is None else str(c)).strip().lstrip("\ufeff") for c in header_cells[:width])
    body = tuple((number, tuple(cells[:width]) + ("",) * (width - len(cells))) for number, cells in rows[1:])
    return Sheet(file_name=path.name, headers=headers, rows=body, description=description)
