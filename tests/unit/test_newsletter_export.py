"""Newsletter PDF and HTML: A4, embedded fonts, the version's language, safe HTML."""

from __future__ import annotations


import pikepdf
import pypdf
import pytest
from PIL import Image

from peer_support.domain.newsletter import SectionRecord, SectionText, VersionRecord
from peer_support.domain.settings import GroupSettings
from peer_support.errors import ExportError, NotFoundError, ValidationError
from peer_support.domain.newsletter_sanitise import sanitise
from peer_support.services.newsletter import attach_image, create_issue
from peer_support.services.newsletter_export import build_document, export_issue
from peer_support.services.newsletter_mailing import export_mailing_csv, export_mailing_labels
from peer_support.services.settings import save_group_settings
from test_newsletter_issues import add_meetings, make_draft  # tests/unit is on sys.path (rootdir mode)

A4 = (595.28, 841.89)


def pdf_text(path) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def assert_a4_with_embedded_fonts(path) -> None:
    reader = pypdf.PdfReader(path)
    fonts = set()
    for page in reader.pages:
        box = page.mediabox
        assert (round(float(box.width), 2), round(float(box.height), 2)) == A4
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font
                          else font).get("/FontDescriptor")
            assert descriptor is not None and "/FontFile2" in descriptor.get_object(), font["/BaseFont"]
            fonts.add(str(font["/BaseFont"]))
    assert fonts


def qpdf_check(path) -> None:
    """What `qpdf --check` does, through qpdf's own library (pikepdf), so no program is needed."""
    with pikepdf.open(path) as pdf:
        problems = pdf.check_pdf_syntax()
    assert problems == [], problems


@pytest.fixture
def issue(context):
    save_group_settings(context, GroupSettings(group_name="Margate Parents Together",
                                               contact_phone="07700 900123",
                                               signup_url="https://example.org/join"))
    add_meetings(context)
    return create_issue(context, make_draft()).record


@pytest.mark.parametrize("template", ["one_column", "two_column"])
def test_pdf_is_a4_embeds_fonts_passes_qpdf_and_holds_the_automatic_sections(context, issue, tmp_path,
                                                                            template):
    path = tmp_path / f"{template}.pdf"
    result = export_issue(context, issue.number, path, template=template)
    # Only the ticked sections with nothing yet (no packs, no fund, no feedback here) are reported.
    assert all("nothing to show yet" in warning for warning in result.warnings)
    assert_a4_with_embedded_fonts(path)
    qpdf_check(path)
    text = pdf_text(path)
    for expected in ("Winter news", "Issue 1 · November 2026", "Upcoming meetings",
                     "Tuesday, 8 December 2026", "Tip of the month", "RESILIENCE FRAMEWORK: COPING",
                     "Get in touch", "Scan to join the group", "Welcome all"):
        assert expected in text


def test_polish_version_prints_polish_words_while_the_app_runs_in_english(context, issue, tmp_path):
    path = tmp_path / "pl.pdf"
    export_issue(context, issue.number, path, language="pl")
    text = pdf_text(path)
    for expected in ("Wieści zimowe", "listopad 2026", "Najbliższe spotkania", "wtorek, 8 grudnia 2026",
                     "Rada miesiąca", "Cześć", "Witajcie", "Strona 1"):
        assert expected in text
    assert "Upcoming meetings" not in text and "December" not in text
    # The second section has no Polish text: the English one is printed instead of nothing.
    assert "Second" in text


def test_a_version_the_issue_does_not_have_is_refused(context, issue, tmp_path):
    with pytest.raises(NotFoundError, match="Polski"):
        export_issue(context, issue.number, tmp_path / "de.pdf", language="de")
    with pytest.raises(ValidationError):
        export_issue(context, issue.number, tmp_path / "x.pdf", template="poster")
    with pytest.raises(ExportError):
        export_issue(context, issue.number, tmp_path / "x.docx")
    assert not [p for p in tmp_path.iterdir() if p.name != "data"]


def test_missing_image_is_reported_and_the_export_still_works(context, tmp_path):
    picture = tmp_path / "beach.png"
    Image.new("RGB", (300, 150), (30, 30, 30)).save(picture)
    name = attach_image(context, picture)
    section = SectionRecord(None, name, (SectionText("en", "Beach day", "<p>Sun</p>", "On the sand"),))
    issue = create_issue(context, make_draft(sections=(section,))).record
    html = tmp_path / "with.html"
    export_issue(context, issue.number, html)
    assert 'src="data:image/png;base64,' in html.read_text("utf-8")
    (context.files_dir("newsletter") / name).unlink()
    result = export_issue(context, issue.number, tmp_path / "without.pdf")
    pictures = [warning for warning in result.warnings if "nothing to show yet" not in warning]
    assert len(pictures) == 1 and "Beach day" in pictures[0]
    assert "Beach day" in pdf_text(tmp_path / "without.pdf")


def test_html_escapes_injected_markup_and_is_self_contained(context, tmp_path):
    save_group_settings(context, GroupSettings(group_name='<b onmouseover="x()">Group</b>',
                                               signup_url="https://example.org/join?a=1&b=2"))
    evil = ('<p>Hi <img src=x onerror="alert(1)"><script>alert(2)</script>'
            '<a href="javascript:alert(3)">click</a> <a href="https://ok.example/">ok</a></p>')
    section = SectionRecord(None, "", (SectionText("en", "<script>alert(4)</script>", evil,
                                                   '" onload="alert(5)'),))
    issue = create_issue(context, make_draft(
        versions=(VersionRecord("en", "<img src=x onerror=alert(6)>", "<p>tip</p>"),), sections=(section,))).record
    path = tmp_path / "news.html"
    export_issue(context, issue.number, path)
    html = path.read_text("utf-8")
    tags = parsed_tags(html)
    assert not [t for t, attrs in tags if t in ("script", "iframe", "object", "style")]
    assert not [(t, k) for t, attrs in tags for k, v in attrs if k.startswith("on")]
    assert all(v.startswith(("https://", "mailto:")) for t, attrs in tags for k, v in attrs if k == "href")
    images = [dict(attrs)["src"] for t, attrs in tags if t == "img"]
    assert len(images) == 1 and images[0].startswith("data:image/png;base64,")  # the QR code, inline
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(6)&gt;" in html
    assert '<a href="https://ok.example/">ok</a>' in html


def parsed_tags(html: str) -> list[tuple[str, list[tuple[str, str]]]]:
    from html.parser import HTMLParser

    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, [(k.lower(), (v or "").strip().lower()) for k, v in attrs]))

    Collector().feed(html)
    return found


def test_sanitiser_keeps_only_the_safe_subset():
    qt_html = ('<html><head><style>p {}</style></head><body><p style="margin:0">'
               '<span style=" font-weight:700;">Bold</span> <span style=" font-style:italic;">it</span> '
               '<span style=" text-decoration: underline;">u</span></p><ol><li>one</li></ol>'
               '<a href="java\tscript:alert(1)">x</a><a href="mailto:a@b.org">m</a></body></html>')
    assert sanitise(qt_html) == ('<p><b>Bold</b> <i>it</i> <u>u</u></p><ol><li>one</li></ol>'
                                 '<p>x<a href="mailto:a@b.org">m</a></p>')


def test_document_is_built_once_for_both_renderers(context, issue):
    document = build_document(context, issue.number, "pl")
    kinds = [section.kind for section in document.sections]
    assert kinds[:2] == ["article", "article"] and "tip" in kinds and "meetings" in kinds
    assert kinds[-1] == "contacts"


def test_mailing_csv_and_labels(context, issue, tmp_path):
    from peer_support.domain.families import FamilyDraft
    from peer_support.services.families import create_family

    create_family(context, FamilyDraft(name="=HYPERLINK(\"x\")", language="pl", consent_newsletter=True,
                                       address="2 Zion Place\nMargate", postcode="CT9 1AA"))
    create_family(context, FamilyDraft(name="Amy Hill", consent_newsletter=True))
    csv_path = tmp_path / "mailing.csv"
    export_mailing_csv(context, issue.number, csv_path)
    lines = csv_path.read_text("utf-8-sig").splitlines()
    assert lines[0].startswith("Version,Language,Reference")
    assert lines[1].startswith("en,English") and lines[2].startswith("pl,Polski")
    assert "'=HYPERLINK" in lines[2]
    labels = tmp_path / "labels.pdf"
    result = export_mailing_labels(context, issue.number, labels)
    assert len(result.warnings) == 1  # Amy Hill has no address
    assert "Biuletyn" not in pdf_text(labels) and "Newsletter: Polski" in pdf_text(labels)
    assert_a4_with_embedded_fonts(labels)
    qpdf_check(labels)


def test_the_pack_progress_section_keeps_its_bar_with_its_words():
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether

    from peer_support.domain.newsletter_document import Item, Section
    from peer_support.exports.newsletter.pdf import ProgressBar, _section, _styles

    section = Section("packs", "Summer packs", items=(Item("400 of 530 delivered", "102 to go"),),
                      progress=400 / 530, progress_label="400 of 530 delivered")
    flowables = _section(section, _styles("two_column"), 80 * mm)
    kept = [f for f in flowables if isinstance(f, KeepTogether)]
    assert len(kept) == 1
    inside = kept[0]._content
    assert any(isinstance(f, ProgressBar) for f in inside)
    assert not any(isinstance(f, ProgressBar) for f in flowables)  # never loose after a break


def test_a_ticked_section_with_nothing_to_show_is_left_out_and_said(context):
    record = create_issue(context, make_draft(automatic=("contacts", "meetings"))).record  # no contacts in Settings
    document = build_document(context, record.number)
    assert [s.kind for s in document.sections if s.kind == "contacts"] == []
    assert any("Contacts and sign-up QR code" in warning and "left out" in warning
               for warning in document.warnings)
