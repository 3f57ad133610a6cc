"""Subject access: everything held about one family, as a ZIP a parent can read.

The rows are the family's by declaration (``storage/ownership.py``), never by
following foreign keys, so a delivery run shared with other families brings
none of them. The document is built once as sections of labelled rows, in the
family's language, with names instead of internal ids, and written as a PDF,
an HTML page, JSON and one CSV per section (cells neutralised like the
families export), plus copies of the family's receipt files.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session, col, select

from peer_support import i18n
from peer_support.context import AppContext
from peer_support.domain.privacy import COLUMN_LABELS, FamilyExportResult
from peer_support.exports.files import output_format
from peer_support.i18n import LANGUAGE_NAMES, _
from peer_support.i18n.formatting import format_date, format_datetime, format_money, to_local
from peer_support.services.families import find_family_row
from peer_support.storage.change_json import read_json
from peer_support.storage.ownership import FAMILY, subject_rows
from peer_support.storage.tables import column_type, entity_classes
from peer_support.storage.tables.core import Action, ChangeLog
from peer_support.storage.tables.families import Family, Volunteer
from peer_support.storage.tables.fund import FundPayment
from peer_support.storage.tables.meetings import Meeting
from peer_support.storage.types import from_json_value
from peer_support.domain.roles import Permission
from peer_support.services.access import require

_REFERENCE = re.compile(r"\bF\d{4,}\b")
_HIDDEN_FIELDS = {"id", "created_at", "search_text", "series_id", "position", "run_position", "status_at",
                  "marked_at", "rows", "left_to_pay_pence",
                  # Who decided or recorded is another person (often a parent of another family):
                  # the history's "Who" column names the app user instead.
                  "decided_by", "recorded_by"}


@dataclass
class Section:
    key: str  # file name of its CSV
    title: str
    columns: list[str]  # translated labels
    rows: list[list[str]] = field(default_factory=list)
    widths: tuple[float, ...] = ()  # parts of the page width per column in the PDF (default: equal)


@dataclass
class SubjectDocument:
    reference: str
    language: str
    title: str
    intro: str
    sections: list[Section]
    empty: str = ""  # "Nothing recorded." in the document's language


@contextmanager
def _in_language(language: str) -> Iterator[None]:
    """Build the document in the family's language (labels of enums use the active catalog)."""
    previous = i18n.current_language()
    i18n.set_language(language)
    try:
        yield
    finally:
        i18n.set_language(previous)


def _yes(value) -> str:
    if value is None:
        return ""
    return _("yes") if value else _("no")


def _day(value) -> str:
    return format_date(value) if value else ""


class _Names:
    """Names and codes instead of ids; another family is never named."""

    def __init__(self, session: Session, family: Family) -> None:
        self.session, self.family = session, family
        self.models = entity_classes()

    def of(self, table: str, row_id: str | None) -> str:
        if not row_id:
            return ""
        if table == "family":
            return self.family.reference if row_id == self.family.id else _("another family")
        row = self.session.get(self.models[table], row_id)
        if row is None:
            return ""
        if isinstance(row, Volunteer) and row.family_id != self.family.id:
            # A volunteer is often a parent of another family: never named here.
            return _("a volunteer")
        if isinstance(row, Meeting):
            return f"{row.reference} · {format_date(to_local(row.starts_at).date())}"
        if isinstance(row, FundPayment):
            return format_date(row.paid_on)
        for name in ("name", "reference", "code"):
            value = getattr(row, name, None)
            if value:
                return str(value)
        return str(getattr(row, "number", "")) or ""

    def value(self, model, name: str, value) -> str:
        column = model.__table__.columns.get(name)
        if value is None or column is None:
            return "" if value is None else str(value)
        if column.foreign_keys:
            return self.of(next(iter(column.foreign_keys)).column.table.name, value)
        if name.endswith("_pence"):
            return format_money(int(value))
        python_type = column_type(model, name)
        if python_type is bool:
            return _yes(value)
        if python_type is not None and python_type.__name__ in ("date", "datetime"):
            parsed = from_json_value(python_type, value) if isinstance(value, str) else value
            return format_datetime(parsed) if python_type.__name__ == "datetime" else format_date(parsed)
        return str(value)

    def text(self, description: str) -> str:
        """An action's description, with any other family's reference left out."""
        return _REFERENCE.sub(lambda m: m.group(0) if m.group(0) == self.family.reference
                              else _("another family"), description)


def _label(name: str) -> str:
    base = name[:-3] if name.endswith("_id") else name
    base = base[:-6] if base.endswith("_pence") else base
    return _(COLUMN_LABELS.get(base, COLUMN_LABELS.get(name, base.replace("_", " "))))


def build_document(session: Session, family: Family, now) -> SubjectDocument:
    """Everything held about the family, as readable sections (in the active language)."""
    from peer_support.domain.fund import Channel, Need, PaymentMethod, Status
    from peer_support.domain.meetings import AttendanceStatus

    rows = subject_rows(session, FAMILY, family.id)
    names = _Names(session, family)
    live = {table: [row for row in table_rows if not row.deleted] for table, table_rows in rows.items()}
    sections: list[Section] = []

    details = Section("details", _("Details"), [_("Field"), _("Value")])
    for name in ("reference", "name", "address", "postcode", "area_id", "phone", "email", "language",
                 "children", "needs_internet", "needs_device", "notes", "archived"):
        value = getattr(family, name)
        shown = LANGUAGE_NAMES.get(value, value) if name == "language" else names.value(Family, name, value)
        details.rows.append([_label(name), shown])
    added = family.created_at  # always set once saved
    details.rows.append([_("Added on"), format_date(to_local(added).date()) if added else ""])
    sections.append(details)

    consent = Section("consent", _("Consent"), [_("Field"), _("Value")])
    for name in ("consent_date", "consent_contact", "consent_newsletter", "consent_photos"):
        consent.rows.append([_label(name), names.value(Family, name, getattr(family, name))])
    sections.append(consent)
    sections.append(_consent_history(session, family, names))

    members = Section("members", _("Family members"), [_("Name"), _("Relationship"), _("School year"), _("School")])
    for member in sorted(live.get("family_member", []), key=lambda m: m.position):
        members.rows.append([member.name, member.relationship, "" if member.school_year is None
                             else str(member.school_year), names.of("school", member.school_id)])
    sections.append(members)

    schools = Section("schools", _("Schools"), [_("School")])
    schools.rows = [[names.of("school", link.school_id)] for link in live.get("family_school", [])]
    sections.append(schools)

    volunteers = Section("volunteer", _("Volunteer record"), [_("Reference"), _("Name"), _("Phone"), _("Email")])
    volunteers.rows = [[v.reference, v.name, v.phone, v.email] for v in live.get("volunteer", [])]
    if volunteers.rows:
        sections.append(volunteers)

    attendance = Section("meetings", _("Meetings attended"), [_("Date"), _("Topic"), _("Status")])
    for line in live.get("attendance", []):
        meeting = session.get_one(Meeting, line.meeting_id)
        status = AttendanceStatus(line.status).label if line.status in {s.value for s in AttendanceStatus} \
            else line.status
        attendance.rows.append([format_date(to_local(meeting.starts_at).date()), meeting.topic, status])
    attendance.rows.sort(key=lambda r: r[0])
    sections.append(attendance)

    actions = Section("actions", _("Actions agreed at meetings"),
                      [_("Meeting"), _("Description"), _("Due on"), _("Done")])
    actions.rows = [[names.of("meeting", a.meeting_id), a.description, _day(a.due_on), _yes(a.done)]
                    for a in live.get("meeting_action", [])]
    sections.append(actions)

    applications = Section("fund_applications", _("Fund applications"), [
        _("Reference"), _("Fund pot"), _("Received on"), _("How it came in"), _("Need"), _("Requested"),
        _("Approved"), _("Status"), _("Reason"), _("Eligibility notes"), _("Decided on"), _("Why it ended")])
    for a in sorted(live.get("fund_application", []), key=lambda a: a.received_on):
        applications.rows.append([
            a.reference, names.of("fund_pot", a.pot_id), format_date(a.received_on), _enum(Channel, a.channel),
            _enum(Need, a.need), format_money(a.requested_pence), format_money(a.approved_pence),
            _enum(Status, a.status), a.reason, a.eligibility_notes, _day(a.decided_on),
            a.outcome_reason])
    sections.append(applications)

    payments = Section("fund_payments", _("Fund payments"), [
        _("Application"), _("Paid on"), _("Amount"), _("Method"), _("Supplier"), _("Receipt")])
    for p in sorted(live.get("fund_payment", []), key=lambda p: p.paid_on):
        payments.rows.append([names.of("fund_application", p.application_id), format_date(p.paid_on),
                              format_money(p.amount_pence), _enum(PaymentMethod, p.method), p.supplier,
                              p.receipt_file])
    sections.append(payments)

    packs = Section("packs", _("Activity packs"), [_("Pack batch"), _("Pack code"), _("Status"), _("Note")])
    packs.rows = [[names.of("pack_batch", p.batch_id), p.code, _outcome(p.status), p.note]
                  for p in live.get("pack", [])]
    sections.append(packs)

    deliveries = Section("deliveries", _("Pack deliveries"), [_("Pack code"), _("When"), _("Outcome"), _("Note")])
    for event in sorted(live.get("pack_event", []), key=lambda e: e.at):
        deliveries.rows.append([names.of("pack", event.pack_id), format_datetime(event.at), _outcome(event.outcome),
                                event.note])
    sections.append(deliveries)

    kept = Section("retention", _("Kept past the retention period"), [_("Kept on"), _("Reason")])
    kept.rows = [[format_date(k.kept_on), k.reason] for k in live.get("retention_keep", [])]
    if kept.rows:
        sections.append(kept)

    sections.append(_history(session, rows, names))
    title = _("Everything Peer Support holds about family %(reference)s") % {"reference": family.reference}
    intro = _("Made on %(date)s at your request. It lists your details, your family members, schools, "
              "consents, the meetings you came to, fund applications and payments, activity packs and "
              "deliveries, and every change to your records (when and by whom).") % {
        "date": format_date(to_local(now).date())}
    return SubjectDocument(family.reference, i18n.current_language(), title, intro, sections,
                           _("Nothing recorded."))


def _enum(kind, value: str) -> str:
    try:
        return kind(value).label
    except ValueError:
        return value


def _outcome(value: str) -> str:
    from peer_support.domain.packs import status_label

    return status_label(value)


_CONSENT_FIELDS = ("consent_date", "consent_contact", "consent_newsletter", "consent_photos")


def _consent_history(session: Session, family: Family, names: _Names) -> Section:
    """Every recorded change of the family's consents: when, by whom, from what to what."""
    section = Section("consent_history", _("Consent history"), [_("When"), _("Who"), _("What changed")],
                      widths=(0.25, 0.2, 0.55))
    for change in session.exec(select(ChangeLog).where(ChangeLog.entity == "family", ChangeLog.entity_id == family.id)
                               .order_by(ChangeLog.hlc)):
        fields = read_json(change.changes)
        parts = [f"{_label(name)}: {names.value(Family, name, fields[name][1])}" if change.op == "insert" else
                 f"{_label(name)}: {names.value(Family, name, fields[name][0])} → "
                 f"{names.value(Family, name, fields[name][1])}" for name in _CONSENT_FIELDS if name in fields]
        if parts:
            section.rows.append([format_datetime(change.at), change.actor, "; ".join(parts)])
    return section


def _history(session: Session, rows: dict[str, list], names: _Names) -> Section:
    section = Section("history", _("History of changes"), [_("When"), _("Who"), _("Action"), _("Record"),
                                                          _("What changed")],
                      widths=(0.15, 0.1, 0.17, 0.15, 0.43))
    models = entity_classes()
    ids = sorted(row.id for table_rows in rows.values() for row in table_rows)
    from peer_support.domain.privacy import TABLE_LABELS

    found: list[tuple[ChangeLog, Action]] = []
    for start in range(0, len(ids), 500):
        found.extend(session.exec(select(ChangeLog, Action).join(Action, col(Action.id) == ChangeLog.action_id)
                                  .where(col(ChangeLog.entity_id).in_(ids[start:start + 500]))))
    for change, action in sorted(found, key=lambda pair: pair[0].hlc):
        model = models.get(change.entity)
        if model is None:
            continue
        parts = []
        for name, (old, new) in sorted(read_json(change.changes).items()):
            if name in _HIDDEN_FIELDS or name.endswith("_file") or (
                    change.op == "insert" and (new in (None, "") or name == "deleted")):
                continue
            shown_new = names.value(model, name, new)
            if change.op == "insert":
                parts.append(f"{_label(name)}: {shown_new}")
            else:
                parts.append(f"{_label(name)}: {names.value(model, name, old)} → {shown_new}")
        section.rows.append([format_datetime(change.at), change.actor, names.text(action.description),
                             _(TABLE_LABELS.get(change.entity, change.entity)), "; ".join(parts)])
    return section


def _answers(context: AppContext, family: Family) -> Section:
    """The feedback forms the family returned with its code (never anonymous ones)."""
    from peer_support.services.outcomes import family_answers

    section = Section("feedback", _("Feedback forms"), [_("Form"), _("Answered on"), _("Meeting"),
                                                        _("Question"), _("Answer")])
    for response in family_answers(context, family.reference, family.language or "en"):
        for question, answer in response.answers:
            section.rows.append([response.form_reference, format_date(response.answered_on),
                                 response.meeting_reference or "", question, answer])
    return section


def export_family(context: AppContext, reference: str, output: str | Path) -> FamilyExportResult:
    """Write everything held about the family to a ZIP: PDF and HTML in the family's language,
    JSON and CSV, and copies of its receipt files.

    Changes nothing. Raises NotFoundError for an unknown reference and
    ExportError when the file cannot be written.
    """
    require(context, Permission.PRIVACY)
    from peer_support.exports.subject_access import write_subject_zip
    from peer_support.services.privacy import family_files

    output_format(output, ("zip",))
    with context.db.read() as session:
        family = find_family_row(session, reference)
        rows = subject_rows(session, FAMILY, family.id)
        with _in_language(family.language or "en"):
            document = build_document(session, family, context.clock.now())
            document.sections.insert(-1, _answers(context, family))
        files = family_files(context, rows)
    write_subject_zip(document, files, output)
    return FamilyExportResult(path=Path(output), tables={s.key: len(s.rows) for s in document.sections},
                              files=len(files))
