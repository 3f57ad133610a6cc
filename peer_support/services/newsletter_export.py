"""Build a newsletter version's document once and write it as PDF or HTML."""

from __future__ import annotations

from pathlib import Path

from peer_support.context import AppContext
from peer_support.domain import newsletter_sanitise
from peer_support.domain.newsletter import AUTOMATIC_LABELS, TEMPLATES, ExportResult, IssueRecord
from peer_support.domain.newsletter_document import Document, Image, Section
from peer_support.errors import Cancelled, ExportError, NotFoundError, PeerSupportError, ValidationError
from peer_support.exports.files import atomic_output, output_format
from peer_support.i18n import LANGUAGE_NAMES, _
from peer_support.i18n import formatting as fmt
from peer_support.progress import NullProgress, Progress, check_cancelled
from peer_support.services.newsletter import get_issue, image_path
from peer_support.services.newsletter_sections import Words, providers, tip_section
from peer_support.services.newsletter_snapshot import snapshot_sections
from peer_support.services.settings import get_group_settings
from peer_support.domain.roles import Permission
from peer_support.services.access import require


def choose_language(issue: IssueRecord, language: str | None) -> str:
    """The version to print; raises NotFoundError naming the versions the issue has."""
    if not language:
        return issue.language
    if language not in issue.languages:
        raise NotFoundError(_("Issue %(number)s has no %(language)s version. It has: %(versions)s.")
                            % {"number": issue.number, "language": LANGUAGE_NAMES.get(language, language),
                               "versions": ", ".join(LANGUAGE_NAMES.get(code, code)
                                                     for code in issue.languages)})
    return language


def build_document(context: AppContext, number: int, language: str | None = None) -> Document:
    """The abstract document of one language version, automatic sections included.

    Fixed words, dates and money are in the version's language. A missing
    image is left out and reported in ``warnings`` (in the UI language).
    Raises NotFoundError. Writes nothing.
    """
    issue = get_issue(context, number)
    language = choose_language(issue, language)
    words = Words(language)
    settings = get_group_settings(context)
    version = issue.version(language)
    warnings: list[str] = []
    sections: list[Section] = []
    for section in issue.sections:
        text = section.text(language, issue.language)
        image = None
        if section.image_file:
            path = image_path(context, section.image_file)
            if path.is_file():
                image = Image(path, text.caption)
            else:
                warnings.append(_("The picture for “%(heading)s” is missing from the data folder, so "
                                  "the newsletter was made without it. Add the picture again.")
                                % {"heading": text.heading or section.image_file})
        blocks = newsletter_sanitise.parse(text.body)
        if text.heading or blocks or image:
            sections.append(Section("article", text.heading, blocks=blocks, image=image))
    tip = tip_section(language, issue.tip_compartment, version.tip_text)
    if tip is not None:
        sections.append(tip)
    kept = snapshot_sections(issue.snapshot, language)  # a final issue prints what it printed then
    if kept is not None:
        sections.extend(kept)
    else:
        for key, provider in providers().items():
            if key in issue.automatic:
                built = provider.build(context, language, issue.issued_on)
                if built is not None:
                    sections.append(built)
                else:  # ticked but with nothing to show: left out, and the user is told
                    warnings.append(_("The section “%(section)s” is ticked but has nothing to show yet, so it "
                                      "was left out.") % {"section": _(AUTOMATIC_LABELS.get(key, key))})
    group = settings.group_name or words._("Parents' Peer Support")
    return Document(
        language=language, group_name=group, title=version.title or issue.title,
        masthead_line=words._("Issue %(number)s · %(month)s") % {
            "number": issue.number, "month": fmt.format_month(issue.issued_on, language)},
        footer_line=" · ".join(part for part in (group, settings.website, settings.contact_phone) if part),
        page_label=words._("Page %(page)s"), sections=tuple(sections), warnings=tuple(warnings))


def export_issue(context: AppContext, number: int, path: str | Path, template: str | None = None,
                 language: str | None = None, progress: Progress | None = None) -> ExportResult:
    """Write one language version to ``path`` (.pdf or .html), whole or not at all.

    Raises ExportError (bad name, unwritable folder), ValidationError (template),
    NotFoundError (issue or version), Cancelled. Writes nothing to the database.
    """
    require(context, Permission.NEWSLETTER)
    from peer_support.exports.newsletter.html import render_html
    from peer_support.exports.newsletter.pdf import render_pdf

    progress = progress or NullProgress()
    kind = output_format(path, ("pdf", "html"))
    issue = get_issue(context, number)
    template = template or issue.template
    if template not in TEMPLATES:
        raise ValidationError(_("There is no template called '%(name)s'. Choose one of: %(choices)s.")
                              % {"name": template, "choices": ", ".join(TEMPLATES)})
    progress.step(0, 2, _("Preparing the newsletter…"))
    document = build_document(context, number, language)
    check_cancelled(progress)
    progress.step(1, 2, _("Writing %(name)s…") % {"name": Path(path).name})
    with atomic_output(path) as partial:
        try:
            if kind == "pdf":
                render_pdf(document, partial, template)
            else:
                partial.write_text(render_html(document), encoding="utf-8")
        except (PeerSupportError, OSError):
            raise
        except Exception as exc:  # reportlab and Pillow raise their own types
            raise ExportError(_("The newsletter could not be written: %(reason)s") % {"reason": exc}) from exc
        if progress.cancelled:
            raise Cancelled(_("Stopped. Nothing was written."))
    progress.step(2, 2, "")
    return ExportResult(str(path), document.warnings)
