"""Newsletter issues: create, edit (one save = one action), duplicate, list.

Building and exporting the printed document is in newsletter_export.py, the
mailing list and labels in newsletter_mailing.py.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

from sqlmodel import Session, col, func, select

from peer_support.clock import local_today
from peer_support.context import AppContext
from peer_support.domain.changes import Saved
from peer_support.domain.newsletter import (AUTOMATIC_SECTIONS, DRAFT, FINAL, IMAGE_SUFFIXES,
                                            RESILIENCE_COMPARTMENTS, STATUSES, TEMPLATES, IssueDraft,
                                            IssueRecord, IssueSummary, SectionRecord, SectionText,
                                            VersionRecord, parse_automatic)
from peer_support.errors import ConflictError, NotFoundError, StorageError, ValidationError
from peer_support.domain.newsletter_sanitise import sanitise
from peer_support.i18n import LANGUAGE_NAMES, SUPPORTED_LANGUAGES, _
from peer_support.storage.conditions import live
from peer_support.storage.tables.newsletter import (NewsletterIssue, NewsletterSection,
                                                    NewsletterSectionText, NewsletterVersion)
from peer_support.domain.roles import Permission
from peer_support.services.access import require

FILES_AREA = "newsletter"
MAX_TEXT = 50_000
MAX_TITLE = 200
MAX_IMAGE_BYTES = 20 * 1024 * 1024
IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")


# -- reading ---------------------------------------------------------------------------
def find_issue_row(session: Session, number: int) -> NewsletterIssue:
    row = session.exec(select(NewsletterIssue).where(NewsletterIssue.number == number,
                                                     live(NewsletterIssue))).first()
    if row is None:
        raise NotFoundError(_("There is no newsletter issue %(number)s.") % {"number": number})
    return row


def issue_record(session: Session, issue: NewsletterIssue) -> IssueRecord:
    versions = session.exec(select(NewsletterVersion).where(
        NewsletterVersion.issue_id == issue.id, live(NewsletterVersion))).all()
    sections = session.exec(select(NewsletterSection).where(
        NewsletterSection.issue_id == issue.id, live(NewsletterSection))
        .order_by(col(NewsletterSection.position))).all()
    texts: dict[str, list[SectionText]] = defaultdict(list)
    if sections:
        for row in session.exec(select(NewsletterSectionText).where(
                col(NewsletterSectionText.section_id).in_([s.id for s in sections]),
                live(NewsletterSectionText))):
            texts[row.section_id].append(SectionText(row.language, row.heading, row.body, row.caption))
    return IssueRecord(
        id=issue.id, number=issue.number, issued_on=issue.issued_on, language=issue.language,
        status=issue.status, template=issue.template, automatic=parse_automatic(issue.automatic),
        tip_compartment=issue.tip_compartment, snapshot=issue.snapshot if issue.status == FINAL else "",
        versions=tuple(sorted((VersionRecord(v.language, v.title, v.tip_text) for v in versions),
                              key=lambda v: (v.language != issue.language, v.language))),
        sections=tuple(SectionRecord(s.id, s.image_file,
                                     tuple(sorted(texts[s.id], key=lambda t: t.language)))
                       for s in sections))


def get_issue(context: AppContext, number: int) -> IssueRecord:
    """One issue with its versions and sections. Raises NotFoundError."""
    with context.db.read() as session:
        return issue_record(session, find_issue_row(session, number))


def list_issues(context: AppContext) -> list[IssueSummary]:
    """All issues, newest first."""
    with context.db.read() as session:
        issues = session.exec(select(NewsletterIssue).where(live(NewsletterIssue))
                              .order_by(col(NewsletterIssue.number).desc())).all()
        versions: dict[str, dict[str, str]] = defaultdict(dict)
        for row in session.exec(select(NewsletterVersion).where(live(NewsletterVersion))):
            versions[row.issue_id][row.language] = row.title
        counts = dict(session.exec(select(NewsletterSection.issue_id, func.count())
                                   .where(live(NewsletterSection))
                                   .group_by(NewsletterSection.issue_id)).all())
    return [IssueSummary(number=i.number, title=versions[i.id].get(i.language, ""), issued_on=i.issued_on,
                         language=i.language,
                         languages=(i.language, *sorted(k for k in versions[i.id] if k != i.language)),
                         status=i.status, sections=counts.get(i.id, 0)) for i in issues]


# -- rules -----------------------------------------------------------------------------
def _language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, code)


def clean_draft(draft: IssueDraft) -> IssueDraft:
    """The draft checked and with rich text reduced to the safe subset. Raises ValidationError."""
    if draft.issued_on is None:
        raise ValidationError(_("Give the issue a date."), field="issued_on")
    if draft.language not in SUPPORTED_LANGUAGES:
        raise ValidationError(_("'%(code)s' is not a language the app knows. Choose one of: %(choices)s.")
                              % {"code": draft.language, "choices": ", ".join(SUPPORTED_LANGUAGES)},
                              field="language")
    if draft.status not in STATUSES:
        raise ValidationError(_("'%(status)s' is not a status: use draft or final.") % {"status": draft.status})
    if draft.template not in TEMPLATES:
        raise ValidationError(_("There is no template called '%(name)s'. Choose one of: %(choices)s.")
                              % {"name": draft.template, "choices": ", ".join(TEMPLATES)}, field="template")
    unknown = [key for key in draft.automatic if key not in AUTOMATIC_SECTIONS]
    if unknown:
        raise ValidationError(_("'%(key)s' is not an automatic section.") % {"key": unknown[0]})
    if draft.tip_compartment and draft.tip_compartment not in RESILIENCE_COMPARTMENTS:
        raise ValidationError(_("'%(key)s' is not a Resilience Framework compartment.")
                              % {"key": draft.tip_compartment}, field="tip_compartment")
    versions: dict[str, VersionRecord] = {}
    for version in draft.versions:
        if version.language not in SUPPORTED_LANGUAGES:
            raise ValidationError(_("'%(code)s' is not a language the app knows. Choose one of: "
                                    "%(choices)s.") % {"code": version.language,
                                                       "choices": ", ".join(SUPPORTED_LANGUAGES)})
        if version.language in versions:
            raise ValidationError(_("The issue has two %(language)s versions.")
                                  % {"language": _language_name(version.language)})
        title = " ".join(version.title.split())
        if len(title) > MAX_TITLE:
            raise ValidationError(_("The title is too long (at most %(count)d characters).")
                                  % {"count": MAX_TITLE}, field="title")
        versions[version.language] = VersionRecord(version.language, title, _checked(version.tip_text))
    main = versions.get(draft.language)
    if main is None or not main.title:
        raise ValidationError(_("Give the issue a title in %(language)s, its main language.")
                              % {"language": _language_name(draft.language)}, field="title")
    sections = []
    for section in draft.sections:
        image = section.image_file.strip()
        if image and (Path(image).name != image or image.startswith(".")):
            raise ValidationError(_("'%(name)s' is not an image of this newsletter.") % {"name": image})
        texts = tuple(SectionText(t.language, " ".join(t.heading.split()), _checked(t.body),
                                  " ".join(t.caption.split()))
                      for t in section.texts if t.language in versions)
        sections.append(SectionRecord(section.id, image, texts))
    ordered_versions = tuple(sorted(versions.values(), key=lambda v: (v.language != draft.language,
                                                                        v.language)))
    return IssueDraft(issued_on=draft.issued_on, language=draft.language, status=draft.status,
                      template=draft.template,
                      automatic=tuple(k for k in AUTOMATIC_SECTIONS if k in draft.automatic),
                      tip_compartment=draft.tip_compartment, versions=ordered_versions,
                      sections=tuple(sections))


def _checked(rich_text: str) -> str:
    if len(rich_text) > MAX_TEXT:
        raise ValidationError(_("A text is too long (at most %(count)d characters).") % {"count": MAX_TEXT})
    return sanitise(rich_text)


# -- writing ---------------------------------------------------------------------------
def next_issue_number(session: Session) -> int:
    # Tombstoned issues keep their number: a number printed once is never reused.
    return int(session.exec(select(func.max(NewsletterIssue.number))).one() or 0) + 1


def write_issue(session: Session, issue: NewsletterIssue, draft: IssueDraft) -> None:
    issue.issued_on, issue.language, issue.status = draft.issued_on, draft.language, draft.status
    issue.template, issue.tip_compartment = draft.template, draft.tip_compartment
    issue.automatic = ",".join(draft.automatic)
    session.add(issue)
    stored_versions = {v.language: v for v in session.exec(select(NewsletterVersion).where(
        NewsletterVersion.issue_id == issue.id, live(NewsletterVersion)))}
    for version in draft.versions:
        version_row = stored_versions.pop(version.language, None) or NewsletterVersion(
            issue_id=issue.id, language=version.language)
        version_row.title, version_row.tip_text = version.title, version.tip_text
        session.add(version_row)
    for version_row in stored_versions.values():
        version_row.deleted = True
        session.add(version_row)
    stored_sections = {s.id: s for s in session.exec(select(NewsletterSection).where(
        NewsletterSection.issue_id == issue.id, live(NewsletterSection)))}
    for position, section in enumerate(draft.sections):
        row = stored_sections.pop(section.id, None) if section.id else None
        if row is None:
            row = NewsletterSection(issue_id=issue.id)
        row.position, row.image_file = position, section.image_file
        session.add(row)
        session.flush()
        _write_texts(session, row, section.texts)
    for row in stored_sections.values():
        row.deleted = True
        session.add(row)
        _write_texts(session, row, ())


def _write_texts(session: Session, section: NewsletterSection, texts: tuple[SectionText, ...]) -> None:
    stored = {t.language: t for t in session.exec(select(NewsletterSectionText).where(
        NewsletterSectionText.section_id == section.id, live(NewsletterSectionText)))}
    for text in texts:
        row = stored.pop(text.language, None) or NewsletterSectionText(section_id=section.id,
                                                                       language=text.language)
        row.heading, row.body, row.caption = text.heading, text.body, text.caption
        session.add(row)
    for row in stored.values():
        row.deleted = True
        session.add(row)


def create_issue(context: AppContext, draft: IssueDraft) -> Saved[IssueRecord]:
    """Add an issue with the next number. Raises ValidationError; commits."""
    require(context, Permission.NEWSLETTER)
    draft = clean_draft(draft)
    title = draft.versions[0].title
    with context.db.transaction(_("Add newsletter “%(title)s”") % {"title": title}) as uow:
        issue = NewsletterIssue(number=next_issue_number(uow.session), issued_on=draft.issued_on)
        write_issue(uow.session, issue, draft)
        uow.session.flush()
        return Saved(issue_record(uow.session, issue), uow.changes)


def save_issue(context: AppContext, number: int, draft: IssueDraft) -> Saved[IssueRecord]:
    """Replace an issue's details, versions and sections with ``draft`` (one action).

    Making an issue final stores the automatic sections as they print now (a
    snapshot it keeps); setting it back to draft drops them.

    Raises ValidationError, NotFoundError, or ConflictError when changing a
    final issue without setting it back to draft. Commits.
    """
    require(context, Permission.NEWSLETTER)
    draft = clean_draft(draft)
    snapshot = None
    if draft.status == FINAL and get_issue(context, number).status != FINAL:
        from peer_support.services.newsletter_snapshot import take_snapshot

        # Taken before the write transaction: the automatic sections read through their own services.
        snapshot = take_snapshot(context, (draft.language, *(v.language for v in draft.versions)),
                                 draft.automatic, draft.issued_on)
    with context.db.transaction(_("Edit newsletter %(number)s") % {"number": number}) as uow:
        issue = find_issue_row(uow.session, number)
        stored = issue_record(uow.session, issue)
        if stored.status == FINAL and draft.status == FINAL and _content_changed(stored, draft):
            raise ConflictError(_("Issue %(number)s is final. Set it back to draft before changing it.")
                                % {"number": number})
        write_issue(uow.session, issue, draft)
        if draft.status != FINAL:
            issue.snapshot = ""  # a draft shows today's figures
        elif stored.status != FINAL and snapshot is not None:
            issue.snapshot = snapshot
        uow.session.flush()
        return Saved(issue_record(uow.session, issue), uow.changes)


def _content_changed(stored: IssueRecord, draft: IssueDraft) -> bool:
    before = stored.as_draft()
    strip = tuple(SectionRecord(None, s.image_file, s.texts) for s in draft.sections)
    return (before.versions, tuple(SectionRecord(None, s.image_file, s.texts) for s in before.sections),
            before.issued_on, before.language, before.tip_compartment) != (
        draft.versions, strip, draft.issued_on, draft.language, draft.tip_compartment)


def duplicate_issue(context: AppContext, number: int) -> Saved[IssueRecord]:
    """A new draft issue, dated today, starting from a copy of issue ``number``. Commits."""
    require(context, Permission.NEWSLETTER)
    source = get_issue(context, number)
    copy = IssueDraft(
        issued_on=local_today(context.clock), language=source.language, status=DRAFT,
        template=source.template, automatic=source.automatic, tip_compartment=source.tip_compartment,
        versions=source.versions,
        sections=tuple(SectionRecord(None, s.image_file, s.texts) for s in source.sections))
    return create_issue(context, copy)


def delete_issue(context: AppContext, number: int) -> Saved[None]:
    """Remove an issue from the list (a tombstone: undo brings it back). Commits."""
    require(context, Permission.NEWSLETTER)
    with context.db.transaction(_("Delete newsletter %(number)s") % {"number": number}) as uow:
        issue = find_issue_row(uow.session, number)
        issue.deleted = True
        uow.session.add(issue)
    return Saved(None, uow.changes)


# -- images ----------------------------------------------------------------------------
def attach_image(context: AppContext, source: str | Path) -> str:
    """Copy a PNG, JPEG or GIF into the data folder; returns its stored file name.

    The copy means the newsletter still prints when the original is moved.
    Raises ValidationError for something that is not such an image, StorageError
    when it cannot be copied. Writes no database row.
    """
    require(context, Permission.NEWSLETTER)
    path = Path(source)
    if path.suffix.lower() not in IMAGE_SUFFIXES or not path.is_file():
        raise ValidationError(_("'%(name)s' is not a picture the newsletter can use. Choose a PNG, "
                                "JPEG or GIF file.") % {"name": path.name})
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
        size = path.stat().st_size
    except OSError as exc:
        raise StorageError(_("Could not read %(path)s: %(reason)s")
                           % {"path": path, "reason": exc.strerror or exc}) from exc
    if not head.startswith(IMAGE_MAGIC):
        raise ValidationError(_("'%(name)s' is not a picture the newsletter can use. Choose a PNG, "
                                "JPEG or GIF file.") % {"name": path.name})
    if size > MAX_IMAGE_BYTES:
        raise ValidationError(_("'%(name)s' is too large for a newsletter picture (at most 20 MB).")
                              % {"name": path.name})
    from peer_support.storage.ids import new_id

    name = f"{new_id()}{path.suffix.lower()}"
    target = context.files_dir(FILES_AREA) / name
    try:
        shutil.copyfile(path, target)
    except OSError as exc:
        target.unlink(missing_ok=True)
        raise StorageError(_("Could not copy %(path)s: %(reason)s")
                           % {"path": path, "reason": exc.strerror or exc}) from exc
    return name


def image_path(context: AppContext, name: str) -> Path:
    return context.files_dir(FILES_AREA) / Path(name).name
