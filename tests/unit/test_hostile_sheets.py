"""Spreadsheets made by other programs and by attackers: read what a spreadsheet program reads,
refuse bombs quickly with one line, change nothing."""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

import peer_support
from peer_support.domain.families import FamilyDraft, FamilyQuery
from peer_support.errors import ValidationError
from peer_support.services import families_sheet
from peer_support.services.families import create_family, query_families, search_families
from peer_support.services.families_import import ERROR, import_file, plan_import
from peer_support.services.families_sheet import CellFault, read_sheet

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
        '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
        '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Families" sheetId="1" '
        'r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
}
HEAD = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'.encode()
TAIL = b"</sheetData></worksheet>"


def _text(row: int, column: str, text: str) -> str:
    return f'<c r="{column}{row}" t="inlineStr"><is><t>{text}</t></is></c>'


def _xlsx(path: Path, sheet) -> Path:
    """A minimal workbook as Excel lays it out; ``sheet`` is the XML text or a writer(handle)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _PARTS.items():
            archive.writestr(name, text)
        if callable(sheet):
            with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as handle:
                sheet(handle)
        else:
            archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return path


def _rows_xml(rows: list[str]) -> str:
    return (HEAD + "".join(f'<row r="{n}">{cells}</row>' for n, cells in enumerate(rows, 1)).encode()
            + TAIL).decode()


def _families(context) -> int:
    return len(query_families(context, FamilyQuery()))


# -- 1. what a spreadsheet program reads ------------------------------------------------------
@pytest.mark.parametrize("claimed", ["A1:D3", "A1"])
def test_a_stale_dimension_does_not_hide_rows(tmp_path, context, claimed):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Postcode", "Phone", "Notes"])
    for number in range(10):
        sheet.append([f"Family {number}", "CT9 1AB", f"07700 90010{number}", "kept"])
    workbook.save(tmp_path / "made.xlsx")
    # Rewrite the sheet's <dimension> the way a careless exporter leaves it.
    with zipfile.ZipFile(tmp_path / "made.xlsx") as source, \
            zipfile.ZipFile(tmp_path / "stale.xlsx", "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(rb'<dimension ref="[^"]*"', f'<dimension ref="{claimed}"'.encode(), data)
                assert count == 1
            target.writestr(item, data)
    result = import_file(context, tmp_path / "stale.xlsx").record
    assert result.imported == 10 and not result.skipped
    assert len(search_families(context, "family")) == 10


def test_error_values_formulas_without_result_and_booleans_are_row_errors(tmp_path, context):
    path = _xlsx(tmp_path / "faults.xlsx", _rows_xml([
        _text(1, "A", "Name") + _text(1, "B", "Postcode") + _text(1, "C", "Notes"),
        _text(2, "A", "Good Family") + _text(2, "B", "CT9 1AB"),
        '<c r="A3" t="e"><f>1/0</f><v>#DIV/0!</v></c>' + _text(3, "B", "CT9 1AC"),
        '<c r="A4"><f>B4&amp;"x"</f></c>' + _text(4, "B", "CT9 1AD"),
        '<c r="A5" t="b"><v>1</v></c>',
        _text(6, "A", "Notes Family") + '<c r="C6" t="str"><f>UPPER("x")</f></c>',
        '<c r="A7" t="str"><f>"Cached"&amp;" Family"</f><v>Cached Family</v></c>',
        '<c r="A8" t="e"><v>#VALUE!</v></c>',
        '<c r="A9" t="inlineStr"><is><r><t>Rich </t></r><r><t>Text</t></r><rPh sb="0" eb="1"><t>hint</t>'
        '</rPh></is></c>',
    ]))
    sheet = read_sheet(path)
    assert sheet.rows[1][1][0] == CellFault("error", "#DIV/0!")
    plan = plan_import(context, sheet)
    reasons = {row.row_number: row.problems for row in plan.with_status(ERROR)}
    assert set(reasons) == {3, 4, 5, 6, 8}
    assert reasons[3] == ("Column 'Name' shows the spreadsheet error #DIV/0!, not a value.",)
    assert "formula whose result was not saved" in reasons[4][0] and len(reasons[4]) == 1
    assert reasons[5] == ("Column 'Name' holds TRUE or FALSE where text is expected.",)
    assert "Column 'Notes'" in reasons[6][0]  # not dropped silently from the notes
    assert "#VALUE!" in reasons[8][0]
    assert sheet.rows[-1][1][0] == "Rich Text"  # runs joined, the phonetic hint left out
    result = import_file(context, path).record
    assert result.imported == 3  # Good Family, the formula with its saved result, Rich Text
    assert search_families(context, "cached")[0].name == "Cached Family"


def test_error_values_saved_into_a_csv_are_row_errors(tmp_path, context):
    path = tmp_path / "errors.csv"
    path.write_text("name,postcode\n#N/A,CT9 1AB\nAnna Berg,#REF!\nReal Family,CT9 1AB\n", encoding="utf-8")
    plan = plan_import(context, read_sheet(path))
    assert [row.row_number for row in plan.with_status(ERROR)] == [2, 3]
    assert "#REF!" in plan.rows[1].problems[0]


# -- 2. bounded cost: a test per kind of bomb -------------------------------------------------
def _spaces(size: int):
    def write(handle):
        handle.write(HEAD)
        chunk = b" " * (1 << 20)
        for _ in range(size >> 20):
            handle.write(chunk)
        handle.write(TAIL)
    return write


def _many_rows(count: int):
    def write(handle):
        handle.write(HEAD + _text(1, "A", "Name").join([b'<row r="1">'.decode(), "</row>"]).encode())
        for number in range(2, count + 2):
            handle.write(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>F</t></is></c></row>' % (number, number))
        handle.write(TAIL)
    return write


def _empty_cells(rows: int, per_row: int):
    def write(handle):
        handle.write(HEAD + ('<row r="1">' + _text(1, "A", "Name") + "</row>").encode())
        for number in range(2, rows + 2):
            handle.write(b'<row r="%d">' % number + b"<c/>" * per_row + b"</row>")
        handle.write(TAIL)
    return write


def _giant_cell(handle):
    handle.write(HEAD + ('<row r="1">' + _text(1, "A", "Name") + "</row>").encode())
    handle.write(b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + b"A" * (5 << 20) + b"</t></is></c></row>")
    handle.write(TAIL)


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + f']><worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is>'
    '</c></row></sheetData></worksheet>')


def _bomb(kind: str, folder: Path) -> Path:
    """Build one hostile file of ``kind`` in ``folder``."""
    if kind == "zip bomb":  # 130 MB of XML packed into a few hundred KB
        return _xlsx(folder / "bomb.xlsx", _spaces(130 << 20))
    if kind == "packed too tight":  # under the total cap, but no spreadsheet packs 1000 to 1
        return _xlsx(folder / "tight.xlsx", _spaces(40 << 20))
    if kind == "entity bomb":
        return _xlsx(folder / "laughs.xlsx", BILLION_LAUGHS)
    if kind == "entity bomb in shared strings":  # behind 100 KB of comment, where a quick look stops
        path = _xlsx(folder / "strings.xlsx", _rows_xml(['<c r="A1" t="s"><v>0</v></c>']))
        with zipfile.ZipFile(path, "a") as archive:
            archive.writestr("xl/sharedStrings.xml", BILLION_LAUGHS.replace(
                '<?xml version="1.0"?>', '<?xml version="1.0"?><!--' + " " * 100_000 + "-->").replace(
                f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t>'
                "</is></c></row></sheetData></worksheet>",
                f'<sst xmlns="{MAIN}" count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>'))
        return path
    if kind == "too many rows":
        return _xlsx(folder / "rows.xlsx", _many_rows(families_sheet.MAX_ROWS + 1))
    if kind == "giant cell":
        return _xlsx(folder / "cell.xlsx", _giant_cell)
    if kind == "csv too many rows":
        path = folder / "rows.csv"
        path.write_bytes(b"name\n" + b"F\n" * (families_sheet.MAX_ROWS + 1))
        return path
    if kind == "csv giant field":
        path = folder / "field.csv"
        path.write_bytes(b'name\n"' + b"A" * (1 << 20) + b'"\n')
        return path
    if kind == "too big":
        path = folder / "huge.csv"
        with open(path, "wb") as handle:  # sparse: 3 GB on paper, nothing on disk
            handle.truncate(3 << 30)
        return path
    if kind == "fifo":
        path = folder / "pipe.csv"
        os.mkfifo(path)
        return path
    if kind == "device":
        return Path("/dev/zero")
    if kind == "folder":
        path = folder / "folder.csv"
        path.mkdir()
        return path
    raise AssertionError(kind)


BOMBS = ["zip bomb", "packed too tight", "entity bomb", "entity bomb in shared strings", "too many rows", "giant cell",
         "csv too many rows", "csv giant field", "too big", "fifo", "device", "folder"]


@pytest.mark.parametrize("kind", BOMBS)
def test_every_kind_of_bomb_is_refused_with_one_line(tmp_path, context, kind):
    create_family(context, FamilyDraft(name="Kept Family"))
    path = _bomb(kind, tmp_path)
    with pytest.raises(ValidationError) as caught:
        import_file(context, path)
    assert "\n" not in caught.value.message and caught.value.exit_code == 3
    assert _families(context) == 1


def test_too_many_cells_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(families_sheet, "MAX_CELLS", 10_000)
    path = _xlsx(tmp_path / "cells.xlsx", _empty_cells(100, 200))
    with pytest.raises(ValidationError, match="too big"):
        read_sheet(path)


def test_a_sheet_at_the_row_limit_is_read(tmp_path):
    sheet = read_sheet(_xlsx(tmp_path / "rows.xlsx", _many_rows(families_sheet.MAX_ROWS)))
    assert len(sheet.rows) == families_sheet.MAX_ROWS


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["zip bomb", "entity bomb", "too many rows", "giant cell",
                                  "csv too many rows", "too big", "fifo", "device"])
def test_the_command_ends_a_bomb_in_bounded_memory(tmp_path, data_dir, kind):
    """The real command in a child limited to 400 MB of address space: one line, exit 3, nothing changed."""
    path = _bomb(kind, tmp_path)
    environment = {**os.environ, "PYTHONPATH": str(Path(peer_support.__file__).parent.parent)}
    limit = 400 << 20

    def cap_memory():
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    before = (data_dir / "peer-support.sqlite3").stat().st_size
    done = subprocess.run([sys.executable, "-m", "peer_support", "--data-dir", str(data_dir), "--lang", "en",
                           "families", "import", str(path)], capture_output=True, text=True,
                          env=environment, preexec_fn=cap_memory, timeout=120)
    assert done.returncode == 3, done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert done.stdout == ""
    assert (data_dir / "peer-support.sqlite3").stat().st_size == before
