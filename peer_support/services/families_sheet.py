"""Reading a real-world spreadsheet (CSV or XLSX) into header + numbered rows.

CSV: UTF-8 with or without BOM, UTF-16 (Excel's "Unicode text"), else
Windows-1252; comma, semicolon or tab, whichever the header line uses. XLSX:
the first sheet, every cell a spreadsheet program would show (the sheet's own
``<dimension>`` claim is ignored), values as Excel saved them (dates as dates).
A cell a spreadsheet shows as an error (#VALUE!) or a formula saved without its
result becomes a ``CellFault``, so the importer can say so for that row.
Blank lines are skipped but counted, so row numbers are the ones the user sees.

Any file costs bounded time and memory: only regular files are read (never a
FIFO or /dev/zero), the size is checked before reading, an XLSX's parts are
checked for their unpacked size (zip bombs) and XML entities before any XML is
parsed, and rows, cells and columns are capped while streaming. Anything else
is refused with one clear ValidationError.
"""

from __future__ import annotations

import codecs
import csv
import io
import stat
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from peer_support.errors import ValidationError
from peer_support.i18n import _
from peer_support.i18n.formatting import format_number

MAX_BYTES = 32 * 1024 * 1024          # the file itself, CSV or XLSX
MAX_UNPACKED = 120 * 1024 * 1024      # all parts of an XLSX together, unpacked
MAX_SHARED_STRINGS = 32 * 1024 * 1024  # the XLSX text table, held in memory while reading
MAX_PARTS = 2_000                     # zip members of an XLSX
MAX_ROWS = 100_000                    # rows of data (not counting the header and blank lines)
MAX_CELLS = 2_500_000                 # cells read from the file, blank ones included
MAX_COLUMNS = 256                     # columns looked at; more are ignored
MAX_CELL_TEXT = 32_767                # what a spreadsheet program holds in one cell
_EXCEL_ROWS = 1_048_576
# Spreadsheet XML packs 5 to 50 times; a big part packed far tighter is a bomb.
_BIG_PART, MAX_RATIO = 10 * 1024 * 1024, 500
_CHUNK = 1024 * 1024
# What spreadsheet programs show for a failed calculation (also in CSV files they saved).
ERROR_VALUES = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A",
                          "#GETTING_DATA", "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!",
                          "#CONNECT!", "#BUSY!", "#PYTHON!"})

ERROR_VALUE, NO_RESULT = "error", "no-result"


@dataclass(frozen=True)
class CellFault:
    """A cell that holds no usable value: a spreadsheet error, or a formula saved without its result."""

    kind: str   # ERROR_VALUE or NO_RESULT
    text: str   # "#VALUE!" for an error

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Sheet:
    file_name: str
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[object, ...]], ...]  # (row number as in a spreadsheet, cells)
    description: str  # e.g. "CSV, UTF-8, separated by ;"


def _not_a_sheet(path: Path) -> ValidationError:
    return ValidationError(_("'%(name)s' is not a spreadsheet: choose a CSV or XLSX file.")
                           % {"name": path.name})


def _too_big(path: Path) -> ValidationError:
    return ValidationError(_("'%(name)s' is too big to be a families spreadsheet.") % {"name": path.name})


def _too_many_rows(path: Path) -> ValidationError:
    return ValidationError(_("'%(name)s' has more than %(count)s rows; split it into smaller files.")
                           % {"name": path.name, "count": format_number(MAX_ROWS)})


def read_sheet(path: str | Path) -> Sheet:
    """Read a CSV or XLSX file. Raises ValidationError with one clear sentence when it cannot."""
    path = Path(path)
    data = _read_bounded(path)
    if data.startswith(b"PK\x03\x04"):
        return _read_xlsx(path, data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ValidationError(_("'%(name)s' is an old Excel (.xls) file. Open it in your spreadsheet "
                                "program and save it as .xlsx or CSV.") % {"name": path.name})
    return _read_csv(path, data)


def _read_bounded(path: Path) -> bytes:
    """The file's bytes, after checking it is an ordinary file of a sensible size.

    ``stat`` never blocks (opening a FIFO would), and the read stops at the
    limit even when the file grows while it is read.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ValidationError(_("There is no file called %(path)s.") % {"path": path}) from None
    except OSError as exc:
        raise ValidationError(_("Could not read %(path)s: %(reason)s")
                              % {"path": path, "reason": exc.strerror or exc}) from None
    if stat.S_ISDIR(info.st_mode):
        raise ValidationError(_("%(path)s is a folder, not a file.") % {"path": path})
    if not stat.S_ISREG(info.st_mode):
        raise ValidationError(_("%(path)s is not an ordinary file (it is a device or a pipe), so it "
                                "cannot be a spreadsheet.") % {"path": path})
    if info.st_size > MAX_BYTES:
        raise _too_big(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise ValidationError(_("Could not read %(path)s: %(reason)s")
                              % {"path": path, "reason": exc.strerror or exc}) from None
    if len(data) > MAX_BYTES:
        raise _too_big(path)
    return data


# -- CSV --------------------------------------------------------------------------------------
def _encoding(path: Path, data: bytes) -> tuple[str, str]:
    """(codec, name shown) without decoding the whole file into one string."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", "UTF-16"
    if b"\x00" in data[:4096]:
        raise _not_a_sheet(path)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(0, len(data), _CHUNK):
            decoder.decode(data[start:start + _CHUNK])
        decoder.decode(b"", final=True)
        return "utf-8-sig", "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        windows = codecs.getincrementaldecoder("cp1252")()
        for start in range(0, len(data), _CHUNK):
            windows.decode(data[start:start + _CHUNK])
        return "cp1252", "Windows-1252"
    except UnicodeDecodeError:
        return "latin-1", "ISO-8859-1"


def _looks_like_text(text: str) -> bool:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n")
    return controls <= len(text) // 200


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


def _text_stream(data: bytes, codec: str) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding=codec, errors="strict", newline="")


def _read_csv(path: Path, data: bytes) -> Sheet:
    codec, encoding = _encoding(path, data)
    try:
        sample = _text_stream(data, codec).read(20_000)
    except UnicodeDecodeError:
        raise _not_a_sheet(path) from None
    if not _looks_like_text(sample):
        raise _not_a_sheet(path)
    delimiter = _delimiter(sample)
    shown = {",": ",", ";": ";", "\t": _("tab")}[delimiter]
    description = _("CSV, %(encoding)s, separated by %(separator)s") % {"encoding": encoding,
                                                                         "separator": shown}
    records = csv.reader(_text_stream(data, codec), delimiter=delimiter)

    def numbered() -> Iterator[tuple[int, Sequence[object]]]:
        cells_read = 0
        try:
            for number, record in enumerate(records, start=1):
                cells_read += len(record)
                if cells_read > MAX_CELLS or number > _EXCEL_ROWS:
                    raise _too_big(path)
                yield number, [_csv_cell(value) for value in record[:MAX_COLUMNS]]
        except csv.Error as exc:
            raise ValidationError(_("'%(name)s' is not a readable CSV file: %(reason)s")
                                  % {"name": path.name, "reason": exc}) from None
        except UnicodeDecodeError:
            raise _not_a_sheet(path) from None

    return _collect(path, numbered(), description)


def _csv_cell(value: str) -> object:
    return CellFault(ERROR_VALUE, value.strip()) if value.strip() in ERROR_VALUES else value


# -- XLSX -------------------------------------------------------------------------------------
def _check_package(path: Path, data: bytes) -> zipfile.ZipFile:
    """The XLSX as a zip, refused when unpacking it would cost too much or its XML declares entities.

    Members' declared sizes are what zipfile will ever produce (it stops there
    and checks the CRC), so summing them bounds the work before any XML is read.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise _not_a_sheet(path) from exc
    if len(members) > MAX_PARTS or sum(m.file_size for m in members) > MAX_UNPACKED or any(
            (m.filename.lower().endswith("sharedstrings.xml") and m.file_size > MAX_SHARED_STRINGS)
            or (m.file_size > _BIG_PART and m.file_size > MAX_RATIO * max(m.compress_size, 1))
            for m in members):
        raise _too_big(path)
    for member in members:
        if member.filename.lower().endswith((".xml", ".rels", ".vml")):
            try:
                with archive.open(member) as handle:
                    declares = _declares_doctype(handle)
            except (zipfile.BadZipFile, NotImplementedError, ValueError, OSError, EOFError) as exc:
                raise _not_a_sheet(path) from exc
            # No spreadsheet program writes a DOCTYPE; entities are how XML bombs multiply.
            if declares:
                raise _not_a_sheet(path)
    return archive


def _declares_doctype(handle) -> bool:
    """Whether the XML's prolog (everything before its first element) declares a DOCTYPE.

    Only the prolog is read, however much padding or comment comes before it.
    """
    import xml.parsers.expat

    class Done(Exception):
        pass

    found = []

    def doctype(*_args) -> None:
        found.append(True)
        raise Done

    def element(*_args) -> None:
        raise Done

    parser = xml.parsers.expat.ParserCreate()
    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = element
    try:
        while chunk := handle.read(_CHUNK):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except Done:
        pass
    except xml.parsers.expat.ExpatError:
        pass  # malformed: openpyxl refuses it next, with the same one line
    return bool(found)


def _read_xlsx(path: Path, data: bytes) -> Sheet:
    _check_package(path, data).close()
    workbook, shared_strings, title, sheet_path, archive = _open_workbook(path, data)
    try:
        reader = _SheetReader(path, workbook, shared_strings)
        try:
            with archive.open(sheet_path) as source:
                rows = reader.read(source)
        except _Stop as stop:
            raise stop.error from None
        except MemoryError:
            raise _too_big(path) from None
        except Exception as exc:  # malformed XML, a bad shared-string index or number
            raise _not_a_sheet(path) from exc
    finally:
        archive.close()
    description = _("Excel workbook, sheet %(sheet)s") % {"sheet": title}
    return _collect(path, rows, description)


def _open_workbook(path: Path, data: bytes):
    """openpyxl reads the workbook around the cells: sheet names, shared strings, date styles.

    Its worksheet objects are not made: in read-only mode each one scans the
    whole sheet for a <dimension> entry before anything is read.
    """
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.styles.stylesheet import apply_stylesheet

    try:
        reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=True)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        sheets = [(sheet.name, rel.target) for sheet, rel in reader.parser.find_sheets()
                  if rel.target in reader.valid_files and "chartsheet" not in rel.Type]
    except MemoryError:
        raise _too_big(path) from None
    except Exception as exc:  # openpyxl raises its own InvalidFileException, KeyError, ValueError...
        raise _not_a_sheet(path) from exc
    if not sheets:
        reader.archive.close()
        raise ValidationError(_("'%(name)s' is empty.") % {"name": path.name})
    title, sheet_path = sheets[0]
    return reader.wb, reader.shared_strings, title, sheet_path, reader.archive


class _Stop(Exception):
    """Raised inside the XML handlers to end parsing early."""

    def __init__(self, error: ValidationError) -> None:
        super().__init__(error.message)
        self.error = error


def _column_number(reference: str) -> int:
    number = 0
    for ch in reference:
        if "A" <= ch <= "Z":
            number = number * 26 + ord(ch) - 64
        elif "a" <= ch <= "z":
            number = number * 26 + ord(ch) - 96
        else:
            break
    return number


class _SheetReader:
    """Streams a worksheet's XML with expat: every <row> and <c> there is, values as Excel saved them.

    openpyxl reads the workbook around it (sheet names, shared strings, date
    styles); the cells are read here because a stale <dimension> must not hide
    rows, because formulas without a saved result and error values must be told
    apart from empty cells, and because expat is several times faster, which
    keeps the cost of a hostile file to seconds.
    """

    def __init__(self, path: Path, workbook, shared_strings) -> None:
        self.path = path
        self.shared = shared_strings
        self.epoch = workbook.epoch
        self.date_styles = set(workbook._date_formats)
        self.duration_styles = set(workbook._timedelta_formats)
        self.rows: list[tuple[int, list[object]]] = []
        self.row_number = 0
        self.row: list[object] = []
        self.cells_read = 0
        self.column = 0
        self.cell: dict[str, str] = {}
        self.has_formula = self.has_value = False
        self.text: list[str] = []
        self.text_length = 0
        self.collecting = self.phonetic = False
        self.names: dict[str, str] = {}
        from openpyxl.utils.datetime import from_excel, from_ISO8601

        self.from_excel, self.from_iso = from_excel, from_ISO8601

    # expat handlers ---------------------------------------------------------------------------
    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = self.names.get(name) or self.names.setdefault(name, name.rpartition(":")[2])
        if local == "c":
            self.cells_read += 1
            if self.cells_read > MAX_CELLS:
                raise _Stop(_too_big(self.path))
            self.cell = attrs
            reference = attrs.get("r")
            self.column = _column_number(reference) if reference else self.column + 1
            self.has_formula = self.has_value = False
            self.text, self.text_length = [], 0
        elif local == "row":
            reference = attrs.get("r")
            self.row_number = int(reference) if reference and reference.isdigit() else self.row_number + 1
            if self.row_number > _EXCEL_ROWS:
                raise _Stop(_too_big(self.path))
            self.row, self.column = [], 0
        elif local == "v":
            self.has_value, self.collecting = True, True
        elif local == "t":
            self.collecting = not self.phonetic
        elif local == "f":
            self.has_formula = True
        elif local == "rPh":  # phonetic hints (their own <t>) are not part of the value
            self.phonetic = True

    def end(self, name: str) -> None:
        local = self.names[name]
        if local in ("v", "t"):
            self.collecting = False
        elif local == "rPh":
            self.phonetic = False
        elif local == "c":
            if not (self.has_value or self.has_formula or self.text):
                return  # an empty (perhaps formatted) cell: the common case in a bomb
            value = self._value()
            if value is not None and 0 < self.column <= MAX_COLUMNS:
                self.row.extend([None] * (self.column - len(self.row)))
                self.row[self.column - 1] = value
        elif local == "row" and not all(_blank(c) for c in self.row):
            self.rows.append((self.row_number, self.row))
            if len(self.rows) > MAX_ROWS + 1:  # the header and MAX_ROWS rows of data
                raise _Stop(_too_many_rows(self.path))

    def data(self, text: str) -> None:
        if self.collecting:
            self.text_length += len(text)
            if self.text_length > MAX_CELL_TEXT:
                raise _Stop(_too_big(self.path))
            self.text.append(text)

    def refuse_doctype(self, *_args) -> None:
        # No spreadsheet program writes a DOCTYPE; entities are how XML bombs multiply.
        raise _Stop(_not_a_sheet(self.path))

    # values -----------------------------------------------------------------------------------
    def _value(self) -> object:
        kind = self.cell.get("t", "n")
        text = "".join(self.text)
        if self.has_formula and not self.has_value:
            return CellFault(NO_RESULT, "")
        if kind == "inlineStr":
            return text
        if not self.has_value or (text == "" and kind != "str"):
            return None
        if kind == "s":
            return self.shared[int(text)]
        if kind == "str":
            return text
        if kind == "b":
            return text.strip() in ("1", "true")
        if kind == "e":
            return CellFault(ERROR_VALUE, text.strip() or "#VALUE!")
        if kind == "d":
            return self.from_iso(text)
        number = float(text) if any(ch in text for ch in ".eE") else int(text)
        style = int(self.cell.get("s") or 0)
        if style in self.date_styles:
            try:
                return self.from_excel(number, self.epoch, timedelta=style in self.duration_styles)
            except (OverflowError, ValueError):
                return CellFault(ERROR_VALUE, "#VALUE!")
        return number

    def read(self, source) -> list[tuple[int, list[object]]]:
        import xml.parsers.expat

        parser = xml.parsers.expat.ParserCreate()  # names as written: "c", or "x:c" with a prefix
        parser.buffer_text = True
        parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.data
        parser.StartDoctypeDeclHandler = self.refuse_doctype
        parser.EntityDeclHandler = self.refuse_doctype
        parser.ParseFile(source)
        return self.rows


# -- both -------------------------------------------------------------------------------------
def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _collect(path: Path, records: Iterable[tuple[int, Sequence[object]]], description: str) -> Sheet:
    """Header (the first non-blank row) and data rows cut to its width, streaming with the caps."""
    headers: tuple[str, ...] | None = None
    width = 0
    body: list[tuple[int, tuple[object, ...]]] = []
    for number, cells in records:
        if all(_blank(c) for c in cells):
            continue
        if headers is None:
            width = max(i + 1 for i, c in enumerate(cells) if not _blank(c))
            headers = tuple(("" if c is None else str(c)).strip().lstrip("\ufeff") for c in cells[:width])
            continue
        if len(body) >= MAX_ROWS:
            raise _too_many_rows(path)
        kept = tuple(cells[:width])
        body.append((number, kept + ("",) * (width - len(kept))))
    if headers is None:
        raise ValidationError(_("'%(name)s' is empty.") % {"name": path.name})
    return Sheet(file_name=path.name, headers=headers, rows=tuple(body), description=description)
