"""Who gets an issue, in which language version: mailing list CSV and address labels.

Only families who consented to the newsletter and are not archived. Each gets
the version in its own language where the issue has one, else the main one;
lists and labels are grouped by that version so printed copies go in the right
envelopes.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from peer_support.context import AppContext
from peer_support.domain.newsletter import ExportResult, MailingEntry, version_for
from peer_support.errors import ExportError
from peer_support.exports.files import atomic_output, output_format
from peer_support.i18n import LANGUAGE_NAMES, _, ngettext
from peer_support.services.families import search_families
from peer_support.services.newsletter import get_issue
from peer_support.domain.roles import Permission
from peer_support.services.access import require

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def mailing_list(context: AppContext, number: int) -> list[MailingEntry]:
    """Consenting families with the version each gets, grouped by version, then by name.

    Raises NotFoundError. Writes nothing.
    """
    require(context, Permission.NEWSLETTER)
    issue = get_issue(context, number)
    order = {code: index for index, code in enumerate(issue.languages)}
    entries = [MailingEntry(reference=f.reference, name=f.name, address=f.address, postcode=f.postcode,
                            email=f.email, language=version_for(f.language, issue.languages, issue.language))
               for f in search_families(context) if f.consent_newsletter]
    return sorted(entries, key=lambda e: (order[e.language], e.name.casefold(), e.reference))


def mailing_counts(context: AppContext, number: int) -> dict[str, int]:
    """How many families get each language version."""
    require(context, Permission.NEWSLETTER)
    return dict(Counter(entry.language for entry in mailing_list(context, number)))


def _cell(value: str) -> str:
    # A spreadsheet would run "=..." as a formula: keep what people typed as text.
    return f"'{value}" if value.startswith(_FORMULA_START) else value


def export_mailing_csv(context: AppContext, number: int, path: str | Path) -> ExportResult:
    """Write the mailing list as CSV (UTF-8 with BOM, so Excel shows ł and ø). Raises ExportError."""
    require(context, Permission.NEWSLETTER)
    output_format(path, ("csv",))
    entries = mailing_list(context, number)
    with atomic_output(path) as partial:
        with partial.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([_("Version"), _("Language"), _("Reference"), _("Name"), _("Address"),
                             _("Postcode"), _("Email")])
            for entry in entries:
                writer.writerow([entry.language, LANGUAGE_NAMES.get(entry.language, entry.language),
                                 entry.reference, _cell(entry.name),
                                 _cell(", ".join(line.strip() for line in entry.address.splitlines()
                                                 if line.strip())),
                                 _cell(entry.postcode), _cell(entry.email)])
    return ExportResult(str(path))


def export_mailing_labels(context: AppContext, number: int, path: str | Path, sheet: str = "L7163",
                          skip: int = 0) -> ExportResult:
    """Address labels on A4 label sheets (the packs' L7163 or L7160), grouped by version.

    Each label's last line names the version to put in the envelope. Families
    without a postal address are left out and counted in the warnings.
    Raises ExportError, NotFoundError.
    """
    require(context, Permission.NEWSLETTER)
    from peer_support.exports.labels import Label, write_label_sheets

    output_format(path, ("pdf",))
    entries = mailing_list(context, number)
    posted = [e for e in entries if e.address.strip()]
    labels = []
    for entry in posted:
        lines = [entry.name, *[line.strip() for line in entry.address.splitlines() if line.strip()]]
        if entry.postcode:
            lines.append(entry.postcode)
        # Translators: the last line of an address label: which language copy goes in the envelope.
        lines.append(_("Newsletter: %(language)s") % {"language": LANGUAGE_NAMES.get(entry.language,
                                                                                     entry.language)})
        labels.append(Label(tuple(lines)))
    if not labels:
        raise ExportError(_("No family who gets this newsletter has a postal address."))
    issue = get_issue(context, number)
    write_label_sheets(path, labels, sheet, skip=skip,
                       title=_("Newsletter %(number)s: address labels") % {"number": issue.number})
    warnings = []
    if len(posted) < len(entries):
        missing = len(entries) - len(posted)
        warnings.append(ngettext("%(count)d family has no postal address and has no label.",
                                 "%(count)d families have no postal address and have no label.",
                                 missing) % {"count": missing})
    return ExportResult(str(path), tuple(warnings))
