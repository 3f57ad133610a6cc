"""Newsletter issues: rules for saving, duplicating, language versions and mailing."""

from __future__ import annotations

from datetime import date, time

import pytest

from peer_support.domain.changes import Kind
from peer_support.domain.families import FamilyDraft
from peer_support.domain.meetings import MeetingDraft
from peer_support.domain.newsletter import (FINAL, IssueDraft, SectionRecord, SectionText, VersionRecord,
                                            version_for)
from peer_support.errors import ConflictError, NotFoundError, ValidationError
from peer_support.services.families import create_family
from peer_support.services.meetings import create_meeting
from peer_support.services.newsletter import (attach_image, create_issue, delete_issue, duplicate_issue,
                                              get_issue, list_issues, save_issue)
from peer_support.services.newsletter_mailing import mailing_counts, mailing_list


def make_draft(**changes) -> IssueDraft:
    values = dict(
        issued_on=date(2026, 11, 20), language="en", tip_compartment="coping",
        versions=(VersionRecord("en", "Winter news", "<p>Breathe slowly.</p>"),
                  VersionRecord("pl", "Wieści zimowe", "<p>Oddychaj powoli.</p>")),
        sections=(SectionRecord(None, "", (SectionText("en", "Hello", "<p>Welcome <b>all</b></p>"),
                                           SectionText("pl", "Cześć", "<p>Witajcie</p>"))),
                  SectionRecord(None, "", (SectionText("en", "Second", "Plain text\n\nTwo paragraphs"),))))
    values.update(changes)
    return IssueDraft(**values)


def add_meetings(context) -> None:
    for day in (date(2026, 12, 8), date(2027, 1, 12)):
        create_meeting(context, MeetingDraft(on=day, start=time(18, 0), end=time(19, 30),
                                             venue="Harbour Community Centre", topic="Winter worries"))


def test_create_numbers_issues_and_sanitises_rich_text(context):
    first = create_issue(context, make_draft()).record
    second = create_issue(context, make_draft(
        sections=(SectionRecord(None, "", (SectionText("en", "X", '<p onclick="x()">Hi<script>alert(1)'
                                                                  '</script></p>'),)),))).record
    assert (first.number, second.number) == (1, 2)
    assert second.sections[0].texts[0].body == "<p>Hi</p>"
    assert first.sections[1].texts[0].body == "<p>Plain text</p><p>Two paragraphs</p>"
    assert first.languages == ("en", "pl")
    assert [i.number for i in list_issues(context)] == [2, 1]


@pytest.mark.parametrize("changes, field", [
    ({"versions": (VersionRecord("en", "  "),)}, "title"),
    ({"versions": (VersionRecord("pl", "Tylko po polsku"),)}, "title"),
    ({"template": "three_column"}, "template"),
    ({"language": "fr"}, "language"),
    ({"tip_compartment": "happiness"}, "tip_compartment"),
])
def test_bad_drafts_are_refused_and_change_nothing(context, changes, field):
    with pytest.raises(ValidationError) as raised:
        create_issue(context, make_draft(**changes)).record
    assert raised.value.field == field
    assert list_issues(context) == []


def test_an_image_name_cannot_point_outside_the_newsletter_folder(context):
    section = SectionRecord(None, "../../peer-support.sqlite3", (SectionText("en", "x", "y"),))
    with pytest.raises(ValidationError):
        create_issue(context, make_draft(sections=(section,))).record


def test_save_reorders_edits_and_removes_sections_in_one_action(context):
    issue = create_issue(context, make_draft()).record
    first, second = issue.sections
    edited = SectionRecord(second.id, "", (SectionText("en", "Second, now first", "<p>new</p>"),))
    result = save_issue(context, issue.number, make_draft(sections=(edited,)))
    saved = result.record
    assert [s.id for s in saved.sections] == [second.id]
    assert saved.sections[0].text("en", "en").heading == "Second, now first"
    assert saved.sections[0].text("pl", "en").heading == "Second, now first"  # falls back to main
    assert result.changes.kinds == {Kind.NEWSLETTER} and result.changes.rows >= 2


def test_a_final_issue_must_go_back_to_draft_before_its_words_change(context):
    issue = create_issue(context, make_draft(status=FINAL)).record
    with pytest.raises(ConflictError):
        save_issue(context, issue.number, make_draft(status=FINAL, versions=(VersionRecord("en", "New"),)))
    saved = save_issue(context, issue.number, make_draft(status="draft",
                                                         versions=(VersionRecord("en", "New"),))).record
    assert saved.title == "New" and saved.status == "draft"


def test_duplicate_starts_a_new_draft_dated_today(context):
    issue = create_issue(context, make_draft(status=FINAL)).record
    copy = duplicate_issue(context, issue.number).record
    assert copy.number == 2 and copy.status == "draft" and copy.issued_on == date(2026, 11, 25)
    assert [s.texts for s in copy.sections] == [s.texts for s in issue.sections]
    assert {s.id for s in copy.sections}.isdisjoint({s.id for s in issue.sections})


def test_deleted_issue_is_gone_and_its_number_never_reused(context):
    create_issue(context, make_draft()).record
    delete_issue(context, 1)
    with pytest.raises(NotFoundError):
        get_issue(context, 1)
    assert create_issue(context, make_draft()).record.number == 2


def test_attach_image_copies_real_images_only(context, tmp_path):
    fake = tmp_path / "photo.png"
    fake.write_text("<script>not a picture</script>")
    with pytest.raises(ValidationError):
        attach_image(context, fake)
    with pytest.raises(ValidationError):
        attach_image(context, tmp_path / "missing.png")
    from PIL import Image

    real = tmp_path / "real.PNG"
    Image.new("RGB", (20, 10), "white").save(real, "PNG")
    name = attach_image(context, real)
    assert name.endswith(".png") and (context.files_dir("newsletter") / name).is_file()


def test_each_family_gets_its_own_language_where_the_issue_has_it(context):
    assert version_for("pl", ("en", "pl"), "en") == "pl"
    assert version_for("de", ("en", "pl"), "en") == "en"
    for name, language, consent in (("Anna Nowak", "pl", True), ("Jörg Weiß", "de", True),
                                    ("Amy Hill", "en", True), ("No Consent", "pl", False)):
        create_family(context, FamilyDraft(name=name, language=language, consent_newsletter=consent,
                                           address="1 Harbour Street\nMargate", postcode="CT9 1AB"))
    create_issue(context, make_draft()).record
    entries = mailing_list(context, 1)
    assert [(e.name, e.language) for e in entries] == [("Amy Hill", "en"), ("Jörg Weiß", "en"),
                                                       ("Anna Nowak", "pl")]
    assert mailing_counts(context, 1) == {"en": 2, "pl": 1}


def test_sample_has_three_past_issues_and_a_draft_one_in_polish(sample_context):
    issues = list_issues(sample_context)
    assert [i.status for i in issues] == ["draft", "final", "final", "final"]
    assert [i.languages for i in issues].count(("en", "pl")) == 1
    for summary in issues:
        issue = get_issue(sample_context, summary.number)
        assert issue.sections and issue.tip_compartment and issue.version("en").tip_text
