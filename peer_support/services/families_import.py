"""Importing families from a spreadsheet: plan (preview), then one all-or-nothing transaction.

``plan_import`` reads every row into a draft and says, per row, whether it is
ready, has errors (with reasons) or may be a duplicate of a family already
kept (same name and postcode, or same phone) or of an earlier row.
``import_families`` plans again inside the write transaction (so the checks
see exactly what is stored) and adds the ready rows; duplicates only when asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from peer_support.context import AppContext
from peer_support.domain.families import FamilyDraft
from peer_support.domain.families_columns import (CellError, cell_text, guess_mapping, parse_bool,
                                                  parse_count, parse_date_cell, parse_language, parse_list,
                                                  parse_members, phone_cell)
from peer_support.domain.families_rules import clean_family, family_problems, name_postcode_key, phone_key
from peer_support.errors import ValidationError
from peer_support.exports.spreadsheet import unneutralise
from peer_support.i18n import _
from peer_support.progress import NullProgress, Progress, check_cancelled
from peer_support.services.families_bulk import BulkFamilyWriter
from peer_support.services.families_sheet import ERROR_VALUE, CellFault, Sheet, read_sheet
from peer_support.storage.conditions import live
from peer_support.storage.tables.families import Family, School
from peer_support.domain.changes import Changes, Saved
from peer_support.domain.roles import Permission
from peer_support.services.access import require

READY, ERROR, DUPLICATE = "ready", "error", "duplicate"
_BOOLEAN_FIELDS = ("needs_internet", "needs_device", "consent_contact", "consent_newsletter", "consent_photos")
_TEXT_FIELDS = ("name", "address", "postcode", "area", "email", "notes")


@dataclass(frozen=True)
class ImportRow:
    row_number: int
    draft: FamilyDraft | None
    reference: str = ""
    problems: tuple[str, ...] = ()
    duplicate_of: str = ""  # "F0012 Sarah Smith" or "row 5"

    @property
    def status(self) -> str:
        return ERROR if self.problems else DUPLICATE if self.duplicate_of else READY


@dataclass(frozen=True)
class ImportPlan:
    file_name: str
    description: str
    headers: tuple[str, ...]
    mapping: tuple[str | None, ...]
    rows: tuple[ImportRow, ...]

    def with_status(self, status: str) -> list[ImportRow]:
        return [row for row in self.rows if row.status == status]

    def to_import(self, include_duplicates: bool) -> list[ImportRow]:
        wanted = {READY, DUPLICATE} if include_duplicates else {READY}
        return [row for row in self.rows if row.status in wanted]


@dataclass(frozen=True)
class ImportResult:
    plan: ImportPlan
    imported: int
    skipped: tuple[ImportRow, ...]


def _existing(session: Session) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Keys of the families already kept -> 'F0012 Sarah Smith'."""
    by_name: dict[str, str] = {}
    by_phone: dict[str, str] = {}
    by_reference: dict[str, str] = {}
    for reference, name, postcode, phone in session.exec(select(
            Family.reference, Family.name, Family.postcode, Family.phone).where(live(Family))):
        label = f"{reference} {name}"
        if key := name_postcode_key(name, postcode):
            by_name.setdefault(key, label)
        if key := phone_key(phone):
            by_phone.setdefault(key, label)
        by_reference[reference.upper()] = label
    return by_name, by_phone, by_reference


def _row_values(cells: tuple[object, ...], mapping: tuple[str | None, ...],
                headers: tuple[str, ...] = ()) -> tuple[dict[str, object], dict[str, str]]:
    """The mapped cells by field, and a reason for each cell that holds no usable value.

    A spreadsheet error (#VALUE!), a formula saved without its result, or
    TRUE/FALSE where text belongs is a problem of its own; the cell is then
    read as empty so it is not reported twice.
    """
    values: dict[str, object] = {}
    problems: dict[str, str] = {}  # field -> reason
    for index, (cell, field_name) in enumerate(zip(cells, mapping)):
        if not field_name:
            continue
        column = headers[index] if index < len(headers) and headers[index] else str(index + 1)
        if isinstance(cell, CellFault):
            if cell.kind == ERROR_VALUE:
                problems[field_name] = (_("Column '%(column)s' shows the spreadsheet error %(value)s, "
                                          "not a value.") % {"column": column, "value": cell.text})
            else:
                problems[field_name] = (_("Column '%(column)s' holds a formula whose result was not saved "
                                          "in the file: open the file in your spreadsheet program, save "
                                          "it, and import it again.") % {"column": column})
            cell = None
        elif isinstance(cell, bool) and field_name not in _BOOLEAN_FIELDS:
            problems[field_name] = (_("Column '%(column)s' holds TRUE or FALSE where text is expected.")
                                    % {"column": column})
            cell = None
        values[field_name] = unneutralise(cell) if isinstance(cell, str) else cell
    return values, problems


def _draft(values: dict[str, object], known_schools: set[str]) -> tuple[FamilyDraft, list[str]]:
    problems: list[str] = []
    fields: dict[str, Any] = {key: cell_text(values.get(key)).strip() for key in _TEXT_FIELDS}
    fields["phone"] = phone_cell(values.get("phone"))
    parsers = {"language": parse_language, "children": parse_count, "consent_date": parse_date_cell,
               **{key: parse_bool for key in _BOOLEAN_FIELDS}}
    for key, parse in parsers.items():
        if key in values:
            try:
                fields[key] = parse(values[key])
            except CellError as exc:
                problems.append(str(exc))
    fields["schools"] = parse_list(values.get("schools"))
    fields["members"] = parse_members(values.get("members"), known_schools)
    return clean_family(FamilyDraft(**fields)), problems


def plan_rows(session: Session, sheet: Sheet, mapping: tuple[str | None, ...]) -> ImportPlan:
    by_name, by_phone, by_reference = _existing(session)
    known_schools = {name.lower() for name in session.exec(select(School.name))}
    seen_references: dict[str, int] = {}
    rows = []
    for row_number, cells in sheet.rows:
        values, faults = _row_values(cells, mapping, sheet.headers)
        draft, problems = _draft(values, known_schools)
        problems = list(faults.values()) + problems
        # A faulty cell is reported once, with its own reason, not also as "missing".
        problems += [message for field_name, message in family_problems(draft) if field_name not in faults]
        reference = cell_text(values.get("reference")).strip().upper()
        duplicate = ""
        if reference:
            if not reference.isalnum() or len(reference) > 16:
                problems.append(_("'%(reference)s' is not a family reference, for example F0001.")
                                % {"reference": reference})
            elif reference in seen_references:
                problems.append(_("The reference %(reference)s is also on row %(row)d.")
                                % {"reference": reference, "row": seen_references[reference]})
            elif reference in by_reference:
                duplicate = by_reference[reference]
            seen_references.setdefault(reference, row_number)
        if not problems and not duplicate:
            duplicate = (by_name.get(name_postcode_key(draft.name, draft.postcode) or "")
                         or by_phone.get(phone_key(draft.phone) or "") or "")
        if not problems and not duplicate:
            label = _("row %(row)d") % {"row": row_number}
            if key := name_postcode_key(draft.name, draft.postcode):
                by_name.setdefault(key, label)
            if key := phone_key(draft.phone):
                by_phone.setdefault(key, label)
        rows.append(ImportRow(row_number, draft, reference, tuple(problems), duplicate))
    return ImportPlan(sheet.file_name, sheet.description, sheet.headers, tuple(mapping), tuple(rows))


def _checked_mapping(sheet: Sheet, mapping: list[str | None] | tuple | None) -> tuple[str | None, ...]:
    mapping = tuple(mapping) if mapping is not None else tuple(guess_mapping(list(sheet.headers)))
    if "name" not in mapping:
        raise ValidationError(_("No column of '%(name)s' is the family name, so it does not look like a "
                                "families spreadsheet. Its first row should hold headers such as name, "
                                "postcode, phone.") % {"name": sheet.file_name})
    return mapping


def plan_import(context: AppContext, sheet: Sheet,
                mapping: list[str | None] | tuple[str | None, ...] | None = None) -> ImportPlan:
    """The preview: every row with its status and reasons. Changes nothing. Raises ValidationError."""
    require(context, Permission.EXPORTS)
    checked = _checked_mapping(sheet, mapping)
    with context.db.read() as session:
        return plan_rows(session, sheet, checked)


def import_families(context: AppContext, sheet: Sheet, mapping: list[str | None] | None = None,
                    include_duplicates: bool = False, dry_run: bool = False,
                    progress: Progress | None = None) -> Saved[ImportResult]:
    """Add every ready row (and possible duplicates when asked) in one transaction.

    Rows with errors are skipped and listed. With ``dry_run`` nothing is written (the changes
    are empty: no action, no rows).
    Raises ValidationError (no name column), Cancelled (nothing written); commits.
    """
    require(context, Permission.EXPORTS)
    progress = progress or NullProgress()
    checked = _checked_mapping(sheet, mapping)
    if dry_run:
        plan = plan_import(context, sheet, checked)
        chosen = plan.to_import(include_duplicates)
        return Saved(ImportResult(plan, len(chosen), _left_out(plan, chosen)), Changes(action_id=""))
    with context.db.transaction(_("Import families from %(file)s") % {"file": sheet.file_name}) as uow:
        plan = plan_rows(uow.session, sheet, checked)
        chosen = plan.to_import(include_duplicates)
        writer = BulkFamilyWriter(uow)
        for done, row in enumerate(chosen):
            if done % 200 == 0:
                check_cancelled(progress)
                progress.step(done, len(chosen), _("Importing families…"))
            # A duplicate's reference belongs to the family already kept: give it a new one.
            reference = row.reference if row.status == READY else None
            if row.draft is not None:  # always: rows with errors have no draft and are never chosen
                writer.add(row.draft, reference, validated=True)
        imported = writer.finish()
        progress.step(len(chosen), len(chosen), _("Importing families…"))
    return Saved(ImportResult(plan, imported, _left_out(plan, chosen)), uow.changes)


def _left_out(plan: ImportPlan, chosen: list[ImportRow]) -> tuple[ImportRow, ...]:
    numbers = {row.row_number for row in chosen}
    return tuple(row for row in plan.rows if row.row_number not in numbers)


def import_file(context: AppContext, path: str | Path | Sheet, dry_run: bool = False,
                include_duplicates: bool = False, progress: Progress | None = None) -> Saved[ImportResult]:
    """Read (unless given a Sheet already read) and import a file with the guessed column mapping."""
    require(context, Permission.EXPORTS)
    sheet = path if isinstance(path, Sheet) else read_sheet(path)
    return import_families(context, sheet, None, include_duplicates, dry_run, progress)


def write_skipped_rows(sheet: Sheet, skipped: tuple[ImportRow, ...], path: str | Path) -> Path:
    """The skipped rows exactly as they were in the file, with a last column saying why, so they
    can be fixed and imported again. CSV or XLSX by the file name; raises ExportError. Writes only
    the file (whole or not at all)."""
    from peer_support.exports.spreadsheet import write_spreadsheet

    cells = dict(sheet.rows)
    problem_header = _("Why it was not imported")
    rows = []
    for row in skipped:
        reasons = list(row.problems) or ([_("May be %(family)s") % {"family": row.duplicate_of}]
                                         if row.duplicate_of else [])
        rows.append([*cells.get(row.row_number, ()), "; ".join(reasons)])
    return write_spreadsheet(path, [*sheet.headers, problem_header], rows, sheet_title=_("Not imported"))
