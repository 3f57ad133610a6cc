"""Import and export of the families spreadsheet with hostile real-world files."""

from __future__ import annotations

import csv
import hashlib
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from peer_support.domain.changes import Kind
from peer_support.domain.families import FamilyDraft, FamilyQuery, MemberDraft
from peer_support.domain.families_columns import CANONICAL_HEADERS, guess_mapping, match_header
from peer_support.errors import ExportError, ValidationError
from peer_support.exports.spreadsheet import safe_cell, unneutralise
from peer_support.services.families import create_family, get_family, query_families, search_families
from peer_support.services.families_export import export_families
from peer_support.services.families_import import DUPLICATE, READY, import_file, plan_import
from peer_support.services.families_sheet import read_sheet
from peer_support.services.history import undo_action


def _db_digest(context) -> str:
    return hashlib.sha256(context.database_path.read_bytes()).hexdigest()


def _write(path, text: str, encoding: str = "utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


GERMAN_EXCEL = (
    "Name;Postleitzahl;Telefon;E-Mail;Sprache;Kinder;Einwilligungsdatum\r\n"
    "Jörg Müller;ct9 1ab;07700 900111;jorg@example.org;Deutsch;2;14.03.2024\r\n"
    "\r\n"
    "  Anja Groß  ; CT10 3LS ;07700 900112;;de;;2024-03-15\r\n")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_encodings_and_semicolons_and_blank_lines(tmp_path, context, encoding):
    result = import_file(context, _write(tmp_path / "de.csv", GERMAN_EXCEL, encoding)).record
    assert result.imported == 2 and result.skipped == ()
    jorg = search_families(context, "müller")[0]
    assert (jorg.name, jorg.postcode, jorg.language, jorg.children) == ("Jörg Müller", "CT9 1AB", "de", 2)
    assert jorg.consent_date == date(2024, 3, 14)
    anja = search_families(context, "Groß")[0]
    assert anja.name == "Anja Groß" and anja.postcode == "CT10 3LS" and anja.consent_date == date(2024, 3, 15)


def test_headers_in_four_languages_and_common_variants():
    assert match_header("Post code") == "postcode" and match_header("PLZ") == "postcode"
    assert match_header("Kod pocztowy") == "postcode" and match_header("Postnummer") == "postcode"
    assert match_header("Tel. no") == "phone" and match_header("E-mail address") == "email"
    assert match_header("Number of children") == "children" and match_header("Liczba dzieci") == "children"
    assert match_header("\ufeffreference") == "reference" and match_header("Shoe size") is None
    assert guess_mapping(["Name", "Phone", "Mobile"]) == ["name", "phone", None]


def test_rows_with_errors_are_listed_with_row_number_and_reason(tmp_path, context):
    text = ("name,postcode,phone,email,consent_date,children,needs_internet\n"
            "Good One,CT9 1AB,07700 900001,good@example.org,01/02/2024,1,yes\n"
            ",CT9 1AB,,,,,\n"
            "Bad Postcode,ABC,,,,,\n"
            "Bad Date,,,,31/02/2024,,\n"
            "Bad Many,,12,nope@,,lots,perhaps\n")
    before = _db_digest(context)
    dry_saved = import_file(context, _write(tmp_path / "bad.csv", text), dry_run=True)
    assert _db_digest(context) == before
    assert dry_saved.changes.rows == 0 and not dry_saved.changes.kinds  # nothing to undo or announce
    dry = dry_saved.record
    assert dry.imported == 1
    reasons = {row.row_number: row.problems for row in dry.skipped}
    assert set(reasons) == {3, 4, 5, 6}
    assert any("needs a name" in r for r in reasons[3])
    assert any("not a UK postcode" in r for r in reasons[4])
    assert any("not a date" in r for r in reasons[5])
    assert len(reasons[6]) == 4  # phone, email, children, yes/no: every problem, not just the first
    result = import_file(context, tmp_path / "bad.csv").record
    assert result.imported == 1 and len(search_families(context)) == 1
    assert search_families(context)[0].needs_internet


def test_duplicates_of_kept_families_and_within_the_file_are_flagged(tmp_path, context):
    create_family(context, FamilyDraft(name="Sarah Smith", postcode="CT9 1AB", phone="07700 900123"))
    text = ("name,postcode,phone\n"
            "sarah  smith,ct91ab,\n"              # same name and postcode
            "Someone Else,,+44 7700 900123\n"     # same phone written another way
            "New Family,CT9 2AB,07700 900200\n"
            "New Family,CT9 2AB,\n")              # same as the row above
    plan = plan_import(context, read_sheet(_write(tmp_path / "d.csv", text)))
    statuses = [(row.row_number, row.status, row.duplicate_of) for row in plan.rows]
    assert statuses == [(2, DUPLICATE, "F0001 Sarah Smith"), (3, DUPLICATE, "F0001 Sarah Smith"),
                        (4, READY, ""), (5, DUPLICATE, "row 4")]
    assert import_file(context, tmp_path / "d.csv").record.imported == 1
    assert import_file(context, tmp_path / "d.csv", include_duplicates=True).record.imported == 4


@pytest.mark.parametrize("content,message", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "not a spreadsheet"),
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\x00\x01\x02", "not a spreadsheet"),
    (b"PK\x03\x04 this is not really a zip", "not a spreadsheet"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel"),
    (b"", "empty"),
    (b"Dear all,\nthe meeting is on Tuesday.\nBest wishes\n", "family name"),
])
def test_a_file_that_is_not_a_spreadsheet_is_refused_and_nothing_changes(tmp_path, context, content, message):
    create_family(context, FamilyDraft(name="Kept"))
    before = _db_digest(context)
    path = tmp_path / "families.csv"
    path.write_bytes(content)
    with pytest.raises(ValidationError, match=message) as caught:
        import_file(context, path)
    assert "\n" not in caught.value.message
    assert _db_digest(context) == before


def test_a_missing_file_is_one_clear_line(tmp_path, context):
    with pytest.raises(ValidationError, match="no file"):
        import_file(context, tmp_path / "nowhere.csv")


def test_xlsx_with_date_cells_numbers_and_a_lost_leading_zero(tmp_path, context):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([])
    sheet.append(["Family name", "Mobile", "Consent given", "Kids", "No internet", "Schools", "Members"])
    sheet.append(["Ewa Nowak", 7700900123, datetime(2024, 5, 6), 3, True, "Seaview Academy; Bayside School",
                  "Zofia Nowak (child, 9, Seaview Academy); Jakub Nowak (child)"])
    sheet.append([None, None, None, None, None, None, None])
    sheet.append(["Jens Hansen", "07700 900124", 45000, 1.0, "nej", "", ""])
    workbook.save(tmp_path / "f.xlsx")
    result = import_file(context, tmp_path / "f.xlsx").record
    assert result.imported == 2, result.skipped
    ewa = search_families(context, "nowak")[0]
    assert ewa.phone == "07700900123" and ewa.consent_date == date(2024, 5, 6) and ewa.children == 3
    assert ewa.needs_internet and ewa.schools == ("Bayside School", "Seaview Academy")
    assert [(m.name, m.relationship, m.school_year, m.school) for m in ewa.members] == [
        ("Zofia Nowak", "child", 9, "Seaview Academy"), ("Jakub Nowak", "child", None, "")]
    jens = search_families(context, "hansen")[0]
    assert jens.consent_date == date(2023, 3, 15) and not jens.needs_internet  # Excel serial 45000


def test_an_import_is_one_action_that_undo_takes_back(tmp_path, context):
    result = import_file(context, _write(tmp_path / "x.csv", GERMAN_EXCEL))
    assert Kind.FAMILY in result.changes.kinds and result.changes.rows and len(search_families(context)) == 2
    undo_action(context, result.changes.action_id)
    assert search_families(context) == []


def test_safe_cell_neutralises_formulas_and_reading_back_undoes_it():
    for text in ("=1+1", "+44 7700", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(text) == "'" + text and unneutralise(safe_cell(text)) == text
    assert safe_cell("Sarah") == "Sarah" and safe_cell(3) == 3 and safe_cell(None) == ""
    assert unneutralise("'quoted'") == "'quoted'"


def _hostile(context):
    create_family(context, FamilyDraft(
        name="=HYPERLINK(\"http://evil\",\"x\")", phone="+44 7700 900123", notes="@SUM(A1)\nsecond line",
        address="-1 Odd Street\nMargate", postcode="ct9 1ab", area="Old Town", language="pl", children=2,
        schools=("Seaview Academy",), consent_date=date(2025, 1, 2), consent_contact=True,
        members=(MemberDraft("Zofia", "child", 9, "Seaview Academy"), MemberDraft("Piotr", "partner"))))


def test_export_csv_has_canonical_headers_and_no_live_formulas(tmp_path, context):
    _hostile(context)
    path = tmp_path / "out.csv"
    assert export_families(context, path) == 1
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == CANONICAL_HEADERS
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in rows[1])
    with pytest.raises(ExportError, match=r"\.csv, \.xlsx"):
        export_families(context, tmp_path / "out.pdf")


def test_export_xlsx_has_canonical_headers_and_no_formulas(tmp_path, context):
    _hostile(context)
    export_families(context, tmp_path / "out.xlsx")
    sheet = load_workbook(tmp_path / "out.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == CANONICAL_HEADERS
    assert all(cell.data_type != "f" for cell in sheet[2])
    # Text cells keep the value exactly: no apostrophe to see, and still never a formula.
    assert rows[1][1] == "=HYPERLINK(\"http://evil\",\"x\")" and rows[1][6] == "+44 7700 900123"
    assert all(cell.data_type == "s" for cell in sheet[2] if isinstance(cell.value, str))
    with zipfile.ZipFile(tmp_path / "out.xlsx") as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_round_trip_into_an_empty_data_folder_gives_the_same_families(tmp_path, context, extension):
    from peer_support.clock import FixedClock
    from peer_support.context import open_context
    from tests.conftest import FIXED_NOW

    _hostile(context)
    create_family(context, FamilyDraft(name="Søren Sørensen", language="da", email="s@example.dk",
                                       needs_device=True, consent_newsletter=True, consent_photos=True))
    create_family(context, FamilyDraft(name="Plain"))
    path = tmp_path / f"all.{extension}"
    export_families(context, path)
    other = open_context(tmp_path / "empty", FixedClock(FIXED_NOW))
    try:
        result = import_file(other, path).record
        assert result.imported == 3 and result.skipped == ()

        def comparable(ctx):
            return [(r.reference, r.draft().__class__(**{**r.draft().__dict__, "members": tuple(
                (m.name, m.relationship, m.school_year, m.school) for m in r.members)}))
                for r in query_families(ctx, FamilyQuery())]

        assert comparable(other) == comparable(context)
        assert get_family(other, "F0001").notes == "@SUM(A1)\nsecond line"
    finally:
        other.close()
