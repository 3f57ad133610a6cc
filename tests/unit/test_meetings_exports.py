"""Meeting files: iCalendar across the clock change, family-card QR codes, register PDF and CSV."""

from __future__ import annotations

import csv
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

import pypdfium2
import pytest
import zxingcpp
from icalendar import Calendar

from peer_support.domain.families import FamilyDraft
from peer_support.domain.meetings import MeetingDraft, MeetingStatus, ScheduleRule
from peer_support.errors import ExportError, NotFoundError, ValidationError
from peer_support.services.families import create_family
from peer_support.services.meeting_exports import export_family_cards, export_register, export_schedule_ics
from peer_support.services.meetings import set_meeting_status
from peer_support.services.meetings_schedule import create_schedule
from peer_support.services.register import check_in

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def schedule(context):
    rule = ScheduleRule(first_on=date(2027, 1, 1), last_on=date(2027, 12, 31), weekday=1, nth=2,
                        start=time(18, 0), end=time(19, 30), skip=(date(2027, 8, 10),))
    made = create_schedule(context, rule, MeetingDraft(on=date(2027, 1, 1), venue="Church hall",
                                                       topic="Monthly meeting", tags=("coping",))).record
    set_meeting_status(context, "M2027-12", MeetingStatus.CANCELLED, "Christmas")
    return made


def test_ics_has_each_meeting_at_18_00_london_on_both_sides_of_bst(context, schedule, tmp_path):
    path = tmp_path / "meetings.ics"
    assert export_schedule_ics(context, path) == 11
    raw = path.read_bytes()
    calendar = Calendar.from_ical(raw)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    events = {event.decoded("dtstart").date(): event for event in calendar.walk("VEVENT")}
    assert len(events) == 11 and date(2027, 8, 10) not in events
    march, april = events[date(2027, 3, 9)], events[date(2027, 4, 13)]
    assert b"DTSTART;TZID=Europe/London:20270309T180000" in raw
    assert b"DTSTART;TZID=Europe/London:20270413T180000" in raw
    assert march.decoded("dtstart").astimezone(timezone.utc) == datetime(2027, 3, 9, 18, tzinfo=timezone.utc)
    assert april.decoded("dtstart").astimezone(timezone.utc) == datetime(2027, 4, 13, 17, tzinfo=timezone.utc)
    assert april.decoded("dtend").astimezone(timezone.utc) == datetime(2027, 4, 13, 18, 30, tzinfo=timezone.utc)
    assert str(events[date(2027, 12, 14)]["STATUS"]) == "CANCELLED"
    assert all(str(e["LOCATION"]) == "Church hall" for e in events.values())
    uids = [str(e["UID"]) for e in events.values()]
    assert len(set(uids)) == 11
    # The UIDs stay the same when exported again, so calendars update instead of duplicating.
    export_schedule_ics(context, tmp_path / "again.ics")
    again = Calendar.from_ical((tmp_path / "again.ics").read_bytes())
    assert sorted(str(e["UID"]) for e in again.walk("VEVENT")) == sorted(uids)
    # The VTIMEZONE itself agrees with zoneinfo in summer and winter.
    for component in calendar.walk("VTIMEZONE")[0].subcomponents:
        offset = component.decoded("TZOFFSETTO")
        sample = datetime(2027, 7, 1, tzinfo=LONDON) if component.name == "DAYLIGHT" else datetime(2027, 1, 1, tzinfo=LONDON)
        assert sample.utcoffset() == offset


def test_ics_needs_the_right_extension_and_writes_no_half_file(context, schedule, tmp_path):
    with pytest.raises(ExportError):
        export_schedule_ics(context, tmp_path / "meetings.txt")
    out = tmp_path / "out"
    out.mkdir()
    blocker = out / "file"
    blocker.write_text("x")
    with pytest.raises(ExportError):
        export_schedule_ics(context, blocker / "m.ics")
    assert list(out.iterdir()) == [blocker]


def decode_pdf_qr_codes(path) -> list[str]:
    found = []
    document = pypdfium2.PdfDocument(str(path))
    for page in document:
        image = page.render(scale=300 / 72).to_pil()
        found.extend(result.text for result in zxingcpp.read_barcodes(image))
    return found


def test_family_card_qr_codes_decode_to_the_references(context, tmp_path):
    families = [create_family(context, FamilyDraft(name=name)) for name in
                ["Łucja Wiśniewska-Dąbrowska", "Søren Østergaard", "Jürgen Groß", "Sarah Smith",
                 "A very long family name that will not fit on one card line at all", "Ann Lee",
                 "Emma Jones", "Mark Hall", "Lee Wood", "Gemma King", "Paul Ward", "Kelly Hill"]]
    path = tmp_path / "cards.pdf"
    assert export_family_cards(context, path) == 12
    assert len(pypdfium2.PdfDocument(str(path))) == 2  # ten to a page
    assert sorted(decode_pdf_qr_codes(path)) == sorted(f.reference for f in families)
    text = pypdfium2.PdfDocument(str(path))[0].get_textpage().get_text_range()
    assert "Søren Østergaard" in text and "Łucja" in text
    one = tmp_path / "one.pdf"
    assert export_family_cards(context, one, ["f3"]) == 1
    assert decode_pdf_qr_codes(one) == ["F0003"]
    with pytest.raises(NotFoundError):
        export_family_cards(context, tmp_path / "bad.pdf", ["F0003", "F0999"])
    assert not (tmp_path / "bad.pdf").exists()


def test_no_families_no_cards(context, tmp_path):
    with pytest.raises(ValidationError):
        export_family_cards(context, tmp_path / "cards.pdf")


def test_register_as_csv_and_sign_in_sheet(context, schedule, tmp_path):
    create_family(context, FamilyDraft(name="=cmd|' /C calc'!A0"))
    create_family(context, FamilyDraft(name="Małgorzata Nowak"))
    check_in(context, "M2027-01", "F0002")
    check_in(context, "M2027-01", "F0001")
    path = tmp_path / "register.csv"
    export_register(context, "M2027-01", path)
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert rows[0] == ["Meeting", "Date", "Family reference", "Family", "Status"]
    assert ["M2027-01", "2027-01-12", "F0002", "Małgorzata Nowak", "Present"] in rows
    assert any(row[3].startswith("'=") for row in rows)  # no formula injection
    pdf = tmp_path / "register.pdf"
    export_register(context, "M2027-01", pdf)
    text = pypdfium2.PdfDocument(str(pdf))[0].get_textpage().get_text_range()
    assert "M2027-01" in text and "Małgorzata Nowak" in text and "18:00" in text
    with pytest.raises(ExportError):
        export_register(context, "M2027-01", tmp_path / "register.docx")
    with pytest.raises(NotFoundError):
        export_register(context, "M2031-01", tmp_path / "x.pdf")
