"""Subject access export and erasure of one family's personal data.

"Everything held about a family" is found generically, so areas added later
are covered without changes here: the family row, then every row of any table
whose foreign key points at a row already found (members, attendance, fund
applications and their payments, pack deliveries...), repeated until nothing
new turns up, plus the change-log entries and files of those rows.

Erasure blanks the text of those rows but keeps the rows themselves, their
links, numbers, dates and yes/no fields, so counts and money totals stay
right. Kept text columns are codes, not personal data (``KEEP_TEXT``); a table
may name more in ``__erasure_keep__``. The change log keeps that each change
happened and blanks what it held; the family's names, phone numbers and
addresses are also removed wherever else they appear as text. Afterwards the
database is vacuumed, so no old copy of the text survives in free pages or
in the write-ahead log.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import defaultdict
from pathlib import Path

from sqlalchemy import String, Text, text
from sqlmodel import Session, select

from peer_support.context import AppContext
from peer_support.domain.trust import ErasureResult, FamilyExportResult
from peer_support.exports.files import atomic_output, output_format
from peer_support.i18n import _
from peer_support.services.families import find_family_row
from peer_support.storage.tables import entity_classes
from peer_support.storage.tables.base import Entity
from peer_support.storage.tables.core import Action, ChangeLog
from peer_support.storage.types import to_json_value

# Text columns that hold codes or the names of the volunteers who acted, not a family's data.
KEEP_TEXT = {"id", "reference", "status", "method", "channel", "need", "language", "kind", "type",
             "category", "state", "currency", "op", "decided_by", "recorded_by", "outcome",
             "relationship", "template", "tip_compartment", "code"}
ERASED = "[erased]"  # not translated: it is data, and syncs to laptops in other languages
MIN_SCRUB_LENGTH = 6  # shorter values ("Anna") would also wipe other families' text


def _is_text(column) -> bool:
    column_type = getattr(column.type, "impl_instance", column.type)  # SQLModel's AutoString decorates String
    return isinstance(column_type, (String, Text)) and not column.foreign_keys and not column.primary_key


def personal_columns(model: type[Entity]) -> list[str]:
    keep = KEEP_TEXT | set(getattr(model, "__erasure_keep__", ()))
    return [c.name for c in model.__table__.columns if _is_text(c) and c.name not in keep
            and not c.name.endswith("_id")]


def _file_columns(model: type[Entity]) -> list[str]:
    return [c.name for c in model.__table__.columns if c.name.endswith("_file")]


def family_rows(session: Session, family_id: str) -> dict[str, list[Entity]]:
    """Every row held about the family, by table name, following foreign keys."""
    models = entity_classes()
    found: dict[str, dict[str, Entity]] = defaultdict(dict)
    found["family"][family_id] = session.get(models["family"], family_id)
    pending = {("family", family_id)}
    while pending:
        targets: dict[str, set[str]] = defaultdict(set)
        for table, row_id in pending:
            targets[table].add(row_id)
        pending = set()
        for name, model in models.items():
            for column in model.__table__.columns:
                pointed = {fk.column.table.name for fk in column.foreign_keys}
                if column.name == "family_id":
                    pointed.add("family")  # also when an area forgot to declare the key
                for target in pointed:
                    ids = targets.get(target)
                    if not ids:
                        continue
                    for row in session.exec(select(model).where(column.in_(ids))):
                        if row.id not in found[name]:
                            found[name][row.id] = row
                            pending.add((name, row.id))
    return {name: list(rows.values()) for name, rows in found.items() if rows}


def _plain(row: Entity) -> dict:
    return {c.name: to_json_value(getattr(row, c.name)) for c in row.__table__.columns}


def _find_file(context: AppContext, name: str) -> Path | None:
    root = context.data_dir / "files"
    if not name or not root.is_dir():
        return None
    for candidate in (root / name, *(area / name for area in root.iterdir() if area.is_dir())):
        if candidate.is_file() and root in candidate.resolve().parents:
            return candidate
    return None


def _files_of(context: AppContext, rows: dict[str, list[Entity]]) -> list[Path]:
    """Files copied into the data folder for these rows (receipts, photos)."""
    found = []
    for table_rows in rows.values():
        for row in table_rows:
            for column in _file_columns(type(row)):
                path = _find_file(context, getattr(row, column))
                if path is not None and path not in found:
                    found.append(path)
    return found


def export_family(context: AppContext, reference: str, output: str | Path) -> FamilyExportResult:
    """Write everything held about the family to a ZIP (JSON, one CSV per table, history, files).

    Changes nothing in the data. Raises NotFoundError for an unknown
    reference and ExportError when the file cannot be written.
    """
    output_format(output, ("zip",))
    with context.db.read() as session:
        family = find_family_row(session, reference)
        rows = family_rows(session, family.id)
        ids = [row.id for table_rows in rows.values() for row in table_rows]
        history = session.exec(select(ChangeLog, Action).join(Action, Action.id == ChangeLog.action_id)
                               .where(ChangeLog.entity_id.in_(ids)).order_by(ChangeLog.hlc)).all()
        files = _files_of(context, rows)
    data = {table: [_plain(row) for row in table_rows] for table, table_rows in sorted(rows.items())}
    log = [{"at": to_json_value(change.at), "who": change.actor, "action": action.description,
            "table": change.entity, "record": change.entity_id, "change": change.op,
            "fields": json.loads(change.changes)} for change, action in history]
    document = {"family": family.reference, "exported_at": to_json_value(context.clock.now()),
                "records": data, "history": log}
    with atomic_output(output) as partial:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("family.json", json.dumps(document, ensure_ascii=False, indent=2, default=str))
            for table, table_rows in data.items():
                archive.writestr(f"csv/{table}.csv", _csv(table_rows))
            archive.writestr("csv/history.csv", _csv([{**entry, "fields": json.dumps(entry["fields"],
                                                       ensure_ascii=False)} for entry in log]))
            for path in files:
                archive.write(path, f"files/{path.parent.name}/{path.name}")
    return FamilyExportResult(path=Path(output), tables={t: len(r) for t, r in data.items()}, files=len(files))


def _csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return buffer.getvalue()


def _scrub_values(rows: dict[str, list[Entity]]) -> list[str]:
    """The personal text of the family, line by line, longest first (for replace())."""
    values = set()
    for table_rows in rows.values():
        for row in table_rows:
            for column in personal_columns(type(row)):
                value = getattr(row, column)
                if isinstance(value, str):
                    for part in (value, *value.splitlines()):
                        if len(part.strip()) >= MIN_SCRUB_LENGTH:
                            values.add(part.strip())
    return sorted(values, key=len, reverse=True)


def _blank(value):
    return "" if isinstance(value, str) else value


def erase_family(context: AppContext, reference: str) -> ErasureResult:
    """Erase the family's personal data; keep the rows so counts and totals stay right.

    The family is archived with blank name, address and contact details; its
    related rows lose their free text; the change log keeps that each change
    happened but not the values; copied-in files (receipts) are deleted. One
    action, committed; cannot be undone. Raises NotFoundError.
    """
    with context.db.transaction(_("Erase the personal data of family %(reference)s")
                                % {"reference": reference.strip().upper()}) as uow:
        session = uow.session
        family = find_family_row(session, reference)
        rows = family_rows(session, family.id)
        scrub = _scrub_values(rows)
        files = _files_of(context, rows)
        blanked = 0
        for table_rows in rows.values():
            for row in table_rows:
                model = type(row)
                unique = {c.name for c in model.__table__.columns if c.unique}
                for column in personal_columns(model):
                    value = getattr(row, column)
                    if isinstance(value, str) and value:
                        setattr(row, column, f"erased-{row.id[:8]}" if column in unique else "")
                if hasattr(row, "archived") and model.__tablename__ == "family":
                    row.archived = True
                session.add(row)
                blanked += 1
        session.flush()
        ids = [row.id for table_rows in rows.values() for row in table_rows]
        entries = _blank_change_log(session, rows, ids)
        _scrub_everywhere(session, scrub)
    for path in files:
        path.unlink(missing_ok=True)
    compact(context)
    return ErasureResult(reference=family.reference, rows_blanked=blanked, log_entries_blanked=entries,
                         files_deleted=len(files))


def _blank_change_log(session: Session, rows: dict[str, list[Entity]], ids: list[str]) -> int:
    personal = {table: set(personal_columns(type(table_rows[0]))) for table, table_rows in rows.items()}
    count = 0
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start:chunk_start + 500]
        for change in session.exec(select(ChangeLog).where(ChangeLog.entity_id.in_(chunk))):
            fields = json.loads(change.changes)
            hidden = personal.get(change.entity, set())
            cleaned = {name: [_blank(v) for v in pair] if name in hidden else pair
                       for name, pair in fields.items()}
            if cleaned != fields:
                change.changes = json.dumps(cleaned, ensure_ascii=False, sort_keys=True)
                session.add(change)
                count += 1
    session.flush()
    return count


def _scrub_everywhere(session: Session, values: list[str]) -> None:
    """Replace the family's names, phones and addresses in every text column of every table.

    Raw SQL on purpose: this also reaches the action descriptions, the change
    log and the bookkeeping tables of other areas (sync) that hold copies.
    """
    if not values:
        return
    marker = ERASED
    tables = [row[0] for row in session.execute(text(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))]
    for table in tables:
        columns = [row[1] for row in session.execute(text(f'PRAGMA table_info("{table}")'))
                   if (row[2] or "").upper() in ("", "TEXT", "JSON") or "CHAR" in (row[2] or "").upper()]
        for column in columns:
            for value in values:
                session.execute(text(f'UPDATE "{table}" SET "{column}" = replace("{column}", :v, :m) '
                                     f'WHERE instr("{column}", :v) > 0'), {"v": value, "m": marker})
                escaped = json.dumps(value, ensure_ascii=False)[1:-1]
                if escaped != value:
                    session.execute(text(f'UPDATE "{table}" SET "{column}" = replace("{column}", :v, :m) '
                                         f'WHERE instr("{column}", :v) > 0'), {"v": escaped, "m": marker})


def compact(context: AppContext) -> None:
    """Rewrite the database so no erased text survives in free pages or the write-ahead log."""
    raw = context.db.engine.raw_connection()
    try:
        # Outside SQLAlchemy's transaction: VACUUM cannot run inside one.
        raw.driver_connection.execute("VACUUM")
        raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()


