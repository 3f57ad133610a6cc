"""Labels: every QR code decodes (300 dpi render) to a code of that batch, and
the text on the label matches it; sheet geometry is the manufacturer's."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest
import zxingcpp
from pypdf import PdfReader

from peer_support.domain.packs import format_code
from peer_support.errors import ExportError
from peer_support.exports.labels import SHEETS, Label, write_label_sheets
from peer_support.exports.pdf import PAGE_SIZE, mm
from peer_support.services import packs


def _decode_pages(path):
    document = pdfium.PdfDocument(str(path))
    try:
        for page in document:
            image = page.render(scale=300 / 72).to_pil()
            yield [result.text for result in zxingcpp.read_barcodes(image)
                   if result.format == zxingcpp.BarcodeFormat.QRCode]
    finally:
        document.close()


@pytest.mark.parametrize("sheet", ["L7163", "L7160"])
def test_every_qr_decodes_to_a_code_of_the_batch_and_matches_its_text(sample_context, tmp_path, sheet):
    path = tmp_path / f"labels-{sheet}.pdf"
    # Runs 1 and 2, in stop order, starting on a partly used first sheet.
    run_packs = packs.list_packs(sample_context, "B01", 1) + packs.list_packs(sample_context, "B01", 2)
    from peer_support.exports.packs_pdf import write_pack_labels
    write_pack_labels(path, run_packs, sheet, "Summer", skip=3)
    batch_codes = {p.code for p in packs.list_packs(sample_context, "B01")}
    expected = [p.code for p in run_packs]
    per_sheet = SHEETS[sheet].per_sheet
    decoded_pages = list(_decode_pages(path))
    texts = [page.extract_text() for page in PdfReader(path).pages]
    assert len(decoded_pages) == -(-(3 + len(expected)) // per_sheet)
    decoded = [code for page in decoded_pages for code in page]
    assert sorted(decoded) == sorted(expected)  # every label's QR read, none twice
    assert set(decoded) <= batch_codes
    for page_codes, text in zip(decoded_pages, texts):
        for code in page_codes:
            assert format_code(code) in text
    for pack in run_packs:
        page = (3 + expected.index(pack.code)) // per_sheet
        assert pack.family_name in texts[page] and pack.postcode in texts[page]


def test_whole_batch_through_the_service_all_530_decode(sample_context, tmp_path):
    path = tmp_path / "all.pdf"
    pages = packs.export_labels(sample_context, "B01", path, "L7160")
    assert pages == 26  # 530 / 21
    decoded = [code for page in _decode_pages(path) for code in page]
    assert sorted(decoded) == sorted(p.code for p in packs.list_packs(sample_context, "B01"))


def test_sheet_geometry_fits_a4_exactly():
    for sheet in SHEETS.values():
        width = 2 * sheet.left_margin + (sheet.columns - 1) * sheet.column_pitch + sheet.label_width
        height = 2 * sheet.top_margin + (sheet.rows - 1) * sheet.row_pitch + sheet.label_height
        assert width == pytest.approx(210, abs=0.05) and height == pytest.approx(297, abs=0.05)
    first = SHEETS["L7163"].label_origin(0)
    assert first == pytest.approx((4.65 * mm, PAGE_SIZE[1] - (15.15 + 38.1) * mm))
    assert SHEETS["L7163"].per_sheet == 14 and SHEETS["L7160"].per_sheet == 21


def test_generic_address_labels_and_long_names_fit(tmp_path):
    from pypdf import PdfReader

    labels = [Label(lines=("Małgorzata Wiśniewska-Szymańska-Dąbrowska von Östergaard", "12 Marine Parade",
                           "Margate", "CT9 1AB"))] * 15
    assert write_label_sheets(tmp_path / "a.pdf", labels, "L7163") == 2
    text = PdfReader(tmp_path / "a.pdf").pages[0].extract_text()
    assert "CT9 1AB" in text and "Małgorzata" in text


def test_bad_label_requests_are_clear(tmp_path):
    with pytest.raises(ExportError, match="no labels"):
        write_label_sheets(tmp_path / "a.pdf", [], "L7163")
    with pytest.raises(ExportError, match="Unknown label sheet"):
        write_label_sheets(tmp_path / "a.pdf", [Label(lines=("x",))], "L9999")
    with pytest.raises(ExportError, match="skip"):
        write_label_sheets(tmp_path / "a.pdf", [Label(lines=("x",))], "L7163", skip=14)
    assert not (tmp_path / "a.pdf").exists()
