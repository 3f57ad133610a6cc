"""Erasure of one data subject: exactly their data, as one logged action that syncs.

Which rows belong to a family or a volunteer is declared next to each table
(``storage/ownership.py``); nothing else is touched. A family and the
volunteer record of its parent are different subjects: the volunteer is erased
too only when asked. Runs, deliveries, attendance and actions of other
families keep all their data; an erased volunteer's name shows as "[erased]".

The erasure is one action through the unit of work: the blanked fields, the
archived family and an ``Erasure`` record (which rows, no names) are logged
and sync like any edit. Each laptop, on making or receiving the erasure, keeps
the change log's entries for those rows (that a change happened) but blanks
what they held, drops its sync conflicts about them and rewrites the database
file so no old copy stays in free pages or the write-ahead log. Free text
elsewhere that mentions the subject (another family's notes, meeting notes,
newsletters) is listed for a lead to review, never rewritten by substring.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import delete, event, func, or_, select as sa_select, text
from sqlmodel import Session, col, select

from peer_support.clock import local_today
from peer_support.context import AppContext
from peer_support.domain.changes import Changes, Saved
from peer_support.domain.privacy import TABLE_LABELS, COLUMN_LABELS, ErasurePlan, ErasureResult, ErasureLine, Mention
from peer_support.errors import ValidationError
from peer_support.i18n import _, ngettext
from peer_support.i18n.formatting import format_date, format_money
from peer_support.services.families import find_family_row
from peer_support.storage.change_json import changes_text, read_json
from peer_support.storage.conditions import live
from peer_support.storage.erasure_ledger import read_ledger, write_ledger
from peer_support.storage.family_search import drop_deleted_postings
from peer_support.storage.ownership import (ERASED, FAMILY, VOLUNTEER, file_columns, free_text_columns,
                                            personal_columns, subject_rows)
from peer_support.storage.tables import entity_classes
from peer_support.storage.tables.core import Action, ChangeLog
from peer_support.storage.tables.families import Family, Volunteer
from peer_support.storage.tables.privacy import Erasure
from peer_support.storage.tables.sync import SyncConflict, SyncPending
from peer_support.domain.roles import Permission
from peer_support.services.access import require

log = logging.getLogger(__name__)
MIN_MENTION_LENGTH = 4  # shorter values ("Jo") would list half the notes

Rows = dict[str, list]


# -- finding ---------------------------------------------------------------------------
def _parent_volunteer(session: Session, family: Family) -> Volunteer | None:
    return session.exec(select(Volunteer).where(Volunteer.family_id == family.id,
                                                live(Volunteer))).first()


def _subjects(session: Session, family: Family, also_volunteer: bool) -> list[tuple[str, Family | Volunteer, Rows]]:
    found: list[tuple[str, Family | Volunteer, Rows]] = [(FAMILY, family, subject_rows(session, FAMILY, family.id))]
    volunteer = _parent_volunteer(session, family)
    if also_volunteer and volunteer is not None:
        found.append((VOLUNTEER, volunteer, subject_rows(session, VOLUNTEER, volunteer.id)))
    return found


def _ids(rows: Rows) -> list[str]:
    return sorted({row.id for table_rows in rows.values() for row in table_rows})


def _files(context: AppContext, subject: str, rows: Rows) -> list[Path]:
    """Files copied into the data folder for these rows (receipts)."""
    root = context.data_dir / "files"
    found: list[Path] = []
    for table_rows in rows.values():
        for row in table_rows:
            for column in file_columns(type(row), subject):
                name = getattr(row, column)
                if not name or not root.is_dir():
                    continue
                for candidate in (root / name, *(area / name for area in root.iterdir() if area.is_dir())):
                    if (candidate.is_file() and root in candidate.resolve().parents
                            and candidate not in found):
                        found.append(candidate)
    return found


def _personal_values(session: Session, subject: str, rows: Rows) -> set[str]:
    """Every text the subject's personal columns hold or held (the change log keeps old values)."""
    values: set[str] = set()
    ids_by_table = {table: [row.id for row in table_rows] for table, table_rows in rows.items()}
    models = entity_classes()
    for table, table_rows in rows.items():
        columns = personal_columns(models[table], subject)
        for row in table_rows:
            values.update(getattr(row, c) for c in columns if isinstance(getattr(row, c), str))
        for change in _changes_of(session, ids_by_table[table]):
            for name, pair in read_json(change.changes).items():
                if name in columns:
                    values.update(v for v in pair if isinstance(v, str))
    return {v.strip() for v in values if len(v.strip()) >= MIN_MENTION_LENGTH and v.strip() != ERASED}


def _changes_of(session: Session, ids: list[str]) -> list[ChangeLog]:
    found: list[ChangeLog] = []
    for start in range(0, len(ids), 500):
        found.extend(session.exec(select(ChangeLog).where(col(ChangeLog.entity_id).in_(ids[start:start + 500]))))
    return found


def _searchable_values(session: Session, subject: str, row, rows: Rows) -> list[str]:
    """What a mention of the subject looks like: names, phone, email (not addresses: a
    street name is shared by many families)."""
    values = {row.name, getattr(row, "phone", ""), getattr(row, "email", "")}
    values.update(member.name for member in rows.get("family_member", []))
    return sorted((v.strip() for v in values if v and len(v.strip()) >= MIN_MENTION_LENGTH
                   and v.strip() != ERASED), key=len, reverse=True)


def find_mentions(session: Session, values: list[str], exclude: set[str]) -> list[Mention]:
    """Free text in rows not being erased that contains one of ``values`` (any case)."""
    mentions: list[Mention] = []
    if not values:
        return mentions
    folded = [v.casefold() for v in values]
    for table, model in sorted(entity_classes().items()):
        columns = free_text_columns(model)
        if not columns:
            continue
        table_columns = [model.__table__.columns[c] for c in columns]
        wanted = or_(*[func.instr(func.lower(c), v.lower()) > 0 for c in table_columns for v in values])
        for row in session.scalars(sa_select(model).where(live(model), wanted)):
            if row.id in exclude:
                continue
            for column in columns:
                content = getattr(row, column) or ""
                lowered = content.casefold()
                hit = next((v for v in folded if v in lowered), None)
                if hit is None:
                    continue
                at = lowered.index(hit)
                excerpt = content[max(0, at - 40):at + len(hit) + 40].replace("\n", " ")
                mentions.append(Mention(table, row.id, _where(session, table, row, column), excerpt))
    return mentions


def _where(session: Session, table: str, row, column: str) -> str:
    label = _(TABLE_LABELS.get(table, table))
    code = getattr(row, "reference", None) or getattr(row, "code", None) or getattr(row, "number", None)
    if code is None:
        for link in ("meeting_id", "issue_id", "section_id"):
            parent_id = getattr(row, link, None)
            if parent_id is not None:
                parent = session.get(entity_classes()[next(iter(
                    type(row).__table__.columns[link].foreign_keys)).column.table.name], parent_id)
                code = getattr(parent, "reference", None) or getattr(parent, "number", None)
                break
    column_label = _(COLUMN_LABELS.get(column, column))
    if code is None:
        return _("%(record)s, %(field)s") % {"record": label, "field": column_label}
    return _("%(record)s %(code)s, %(field)s") % {"record": label, "code": code, "field": column_label}


# -- preview ---------------------------------------------------------------------------
def plan_erasure(context: AppContext, reference: str, also_volunteer: bool = False) -> ErasurePlan:
    """What erasing the family would remove and keep, and the text elsewhere that mentions it.

    Changes nothing. Raises NotFoundError for an unknown reference.
    """
    require(context, Permission.PRIVACY)
    with context.db.read() as session:
        family = find_family_row(session, reference)
        volunteer = _parent_volunteer(session, family)
        subjects = _subjects(session, family, also_volunteer)
        goes, stays = _summary(session, subjects, local_today(context.clock))
        files = sum(len(_files(context, subject, subject_rows_)) for subject, _row, subject_rows_ in subjects)
        exclude = {i for _s, _r, subject_rows_ in subjects for i in _ids(subject_rows_)}
        values = [v for subject, row, subject_rows_ in subjects
                  for v in _searchable_values(session, subject, row, subject_rows_)]
        mentions = find_mentions(session, values, exclude)
        return ErasurePlan(reference=family.reference, name=family.name,
                           volunteer_reference=volunteer.reference if volunteer else None,
                           volunteer_name=volunteer.name if volunteer else None,
                           also_volunteer=also_volunteer and volunteer is not None,
                           goes=goes, stays=stays, mentions=mentions, files=files)


def _summary(session: Session, subjects, today) -> tuple[list[ErasureLine], list[ErasureLine]]:
    (_s, family, rows) = subjects[0]
    goes = [ErasureLine(_("The name, address, postcode, phone, email and notes of %(reference)s.")
                        % {"reference": family.reference})]
    members = len(rows.get("family_member", []))
    if members:
        goes.append(ErasureLine(ngettext("The name of %(count)d family member.",
                                         "The names of %(count)d family members.", members) % {"count": members}))
    texts = sum(1 for table in ("fund_application", "pack", "pack_event", "meeting_action", "retention_keep")
                for row in rows.get(table, []) if any(getattr(row, c) for c in personal_columns(type(row), FAMILY)))
    if texts:
        goes.append(ErasureLine(ngettext("The written text of %(count)d related record (fund reasons, pack "
                                         "notes, actions).", "The written text of %(count)d related records "
                                         "(fund reasons, pack notes, actions).", texts) % {"count": texts}))
    receipts = sum(1 for row in rows.get("fund_payment", []) if row.receipt_file)
    if receipts:
        goes.append(ErasureLine(ngettext("%(count)d receipt file.", "%(count)d receipt files.", receipts)
                                % {"count": receipts}))
    goes.append(ErasureLine(_("The values in the history of these records (that changes happened is kept).")))
    if len(subjects) > 1:
        volunteer = subjects[1][1]
        goes.append(ErasureLine(_("Volunteer %(reference)s: name, phone and email; shown as “[erased]” on "
                                  "runs and deliveries.") % {"reference": volunteer.reference}))
    stays = []
    attended = [row for row in rows.get("attendance", []) if not row.deleted]
    if attended:
        stays.append(ErasureLine(ngettext("%(count)d line on a meeting register (dates and status).",
                                          "%(count)d lines on meeting registers (dates and status).",
                                          len(attended)) % {"count": len(attended)}))
    applications = [row for row in rows.get("fund_application", []) if not row.deleted]
    if applications:
        paid = sum(p.amount_pence for p in rows.get("fund_payment", []) if not p.deleted)
        approved = sum(a.approved_pence for a in applications)
        stays.append(ErasureLine(ngettext(
            "%(count)d fund application: %(approved)s approved, %(paid)s paid (amounts, needs and dates).",
            "%(count)d fund applications: %(approved)s approved, %(paid)s paid (amounts, needs and dates).",
            len(applications)) % {"count": len(applications), "approved": format_money(approved),
                                  "paid": format_money(paid)}))
    packs = [row for row in rows.get("pack", []) if not row.deleted]
    if packs:
        stays.append(ErasureLine(ngettext("%(count)d activity pack with its delivery dates and outcomes.",
                                          "%(count)d activity packs with their delivery dates and outcomes.",
                                          len(packs)) % {"count": len(packs)}))
    stays.append(ErasureLine(_("The reference %(reference)s, area, language, number of children, needs and "
                               "consent dates (archived), and the record that it was erased on %(date)s.")
                             % {"reference": family.reference, "date": format_date(today)}))
    volunteer = _parent_volunteer(session, family) if len(subjects) == 1 else None
    if volunteer is not None:
        stays.append(ErasureLine(_("Volunteer record %(reference)s (%(name)s): not erased.")
                                 % {"reference": volunteer.reference, "name": volunteer.name}))
    stays.append(ErasureLine(_("Runs, deliveries, attendance and actions of other families: unchanged.")))
    stays.append(ErasureLine(_("Backups made before today keep the data until they are rotated out; restoring one "
                                 "erases the family again.")))
    return goes, stays


# -- erasing ---------------------------------------------------------------------------
def erase_family(context: AppContext, reference: str, also_volunteer: bool = False,
                 reason: str = "request", rewrite: bool = True) -> Saved[ErasureResult]:
    """Erase the family's personal data (and its parent's volunteer record when asked).

    One action, committed and logged (it syncs); cannot be undone. Rows stay
    with their numbers, dates and links, so counts and money totals stay
    right; copied-in files (receipts) are deleted; the database is rewritten
    so no old copy survives on disk. Free text elsewhere that mentions the
    family is returned in ``mentions`` for a lead to review, not changed.
    Returns Saved(result, changes) like every change.
    Raises NotFoundError for an unknown reference, ValidationError when the
    family was erased already.
    """
    require(context, Permission.PRIVACY)
    key = reference.strip().upper()
    with context.db.transaction(_("Erase the personal data of family %(reference)s") % {"reference": key}) as uow:
        session = uow.session
        family = find_family_row(session, key)
        if session.exec(select(Erasure).where(Erasure.subject_id == family.id,
                                              live(Erasure))).first() is not None:
            raise ValidationError(_("Family %(reference)s was erased already.") % {"reference": family.reference})
        session.execute(text("PRAGMA secure_delete = ON"))
        subjects = _subjects(session, family, also_volunteer)
        exclude = {i for _s, _r, rows in subjects for i in _ids(rows)}
        searchable = [v for subject, row, rows in subjects for v in _searchable_values(session, subject, row, rows)]
        mentions = find_mentions(session, searchable, exclude)
        files = [path for subject, _row, rows in subjects for path in _files(context, subject, rows)]
        today = local_today(context.clock)
        blanked: set[str] = set()
        entries = 0
        volunteer_reference = None
        for subject, row, rows in subjects:
            if subject == VOLUNTEER:
                volunteer_reference = row.reference
            # Only rows that hold the subject's personal data: a run or another family's pack
            # the volunteer delivered has nothing of theirs to blank.
            erased = {t: [r.id for r in rs] for t, rs in rows.items()
                      if personal_columns(type(rs[0]), subject) or t == subject}
            erasure = Erasure(subject=subject, subject_id=row.id, reference=row.reference, erased_on=today,
                              reason=reason, rows=json.dumps(erased, sort_keys=True))
            rows_blanked, history_blanked = _erase(session, erasure, rows, uow.changes.action_id)
            blanked |= rows_blanked
            entries += history_blanked
    for path in files:
        path.unlink(missing_ok=True)
    remember_erasures(context)
    if rewrite:  # retention erases many families and rewrites the file once at the end
        compact(context)
    return Saved(ErasureResult(reference=family.reference, rows_blanked=len(blanked), log_entries_blanked=entries,
                               files_deleted=len(files), volunteer_reference=volunteer_reference,
                               mentions=mentions), uow.changes)


def _rows_named(session: Session, ids_by_table: dict[str, list[str]]) -> Rows:
    """The rows an erasure names that this database holds ({table: [row]})."""
    models = entity_classes()
    return {table: [row for row in (session.get(models[table], i) for i in ids) if row is not None]
            for table, ids in ids_by_table.items() if table in models}


def _erase(session: Session, erasure: Erasure, rows: Rows, action_id: str) -> tuple[set[str], int]:
    """Blank the subject's rows, record the erasure and blank the history of the rows it names.
    Returns the ids of rows that held something to blank and the history entries blanked."""
    values = _personal_values(session, erasure.subject, rows)
    blanked = _blank_rows(session, erasure.subject, rows)
    session.add(erasure)
    session.flush()
    return blanked, _blank_history(session, erasure.subject, json.loads(erasure.rows or "{}"), values, action_id)


def _blank_rows(session: Session, subject: str, rows: Rows) -> set[str]:
    """Blank the subject's personal columns; returns the ids of rows that held something to blank."""
    changed: set[str] = set()
    for table_rows in rows.values():
        for row in table_rows:
            columns = personal_columns(type(row), subject)
            if not columns:
                continue
            if any(getattr(row, column) != value for column, value in columns.items()):
                changed.add(row.id)
            for column, value in columns.items():
                setattr(row, column, value)
            if isinstance(row, Family) and subject == FAMILY:
                row.archived = True
            if isinstance(row, Volunteer) and subject == VOLUNTEER:
                row.active = False
            session.add(row)
    return changed


def _blank_history(session: Session, subject: str, ids_by_table: dict[str, list[str]], values: set[str],
                   erasing_action: str | None = None) -> int:
    """Keep that each change to these rows happened; blank what it held. Returns entries changed.

    The erasure's own entries keep their new values (the erased ones, which other laptops apply)."""
    models = entity_classes()
    count = 0
    action_ids: set[str] = set()
    for table, ids in ids_by_table.items():
        model = models.get(table)
        if model is None:
            continue
        columns = personal_columns(model, subject)
        for change in _changes_of(session, sorted(ids)):
            action_ids.add(change.action_id)
            fields = read_json(change.changes)
            own = change.action_id == erasing_action
            cleaned = {name: ([None if old is None else columns[name], new if own or new is None else columns[name]]
                              if name in columns else [old, new]) for name, (old, new) in fields.items()}
            if cleaned != fields:
                change.changes = changes_text(cleaned)
                session.add(change)
                count += 1
        ordered = sorted(ids)
        for start in range(0, len(ordered), 500):
            chunk = ordered[start:start + 500]
            session.execute(delete(SyncConflict).where(col(SyncConflict.entity_id).in_(chunk)))
            session.execute(delete(SyncPending).where(col(SyncPending.entity_id).in_(chunk)))
    # The description of an action on the subject's own records may name them ("Add family
    # Lisa Baker"): those descriptions, and only those, lose the name.
    ordered_values = sorted(values, key=len, reverse=True)
    for action_id in sorted(action_ids):
        action = session.get(Action, action_id)
        if action is None:
            continue
        description = action.description
        for value in ordered_values:
            description = description.replace(value, ERASED)
        if description != action.description:
            action.description = description
            session.add(action)
    session.flush()
    return count


def apply_received_erasures(session: Session, erasure_ids: Iterable[str]) -> set[str]:
    """On a laptop receiving erasures by sync: blank its own history of the erased rows.

    Called by the sync merge rule for the ``erasure`` table, inside the file's
    transaction (nothing new is logged: every laptop does the same). After the
    commit the database file is rewritten. Returns the ids of the erased rows.
    """
    erased: set[str] = set()
    for erasure_id in sorted(erasure_ids):
        erasure = session.get(Erasure, erasure_id)
        if erasure is None or erasure.deleted:
            continue
        ids_by_table = json.loads(erasure.rows or "{}")
        rows = _rows_named(session, ids_by_table)
        session.execute(text("PRAGMA secure_delete = ON"))
        values = _personal_values(session, erasure.subject, rows)
        _blank_history(session, erasure.subject, ids_by_table, values)
        erased.update(i for ids in ids_by_table.values() for i in ids)
    if erased and not session.info.get("privacy_compact"):
        session.info["privacy_compact"] = True
        bind = session.get_bind()
        event.listen(session, "after_commit", lambda _s: _rewrite_file(bind), once=True)
    return erased


# -- erasures outlive a restore ---------------------------------------------------------------
def _erasure_entry(erasure: Erasure) -> dict[str, Any]:
    return {"id": erasure.id, "subject": erasure.subject, "subject_id": erasure.subject_id,
            "reference": erasure.reference, "erased_on": erasure.erased_on.isoformat(),
            "reason": erasure.reason, "rows": erasure.rows}


def _live_erasures(context: AppContext) -> dict[str, dict[str, Any]]:
    """The erasures this laptop's database holds, by id, as the list beside it writes them."""
    with context.db.read() as session:
        return {e.id: _erasure_entry(e) for e in session.exec(select(Erasure).where(live(Erasure)))}


def _with_listed(entries: dict[str, dict[str, Any]], listed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for entry in listed:
        entries.setdefault(entry["id"], entry)
    return sorted(entries.values(), key=lambda entry: entry["id"])


def known_erasures(context: AppContext) -> list[dict[str, Any]]:
    """Every erasure this laptop has made or received: its database's and its list's
    (storage/erasure_ledger.py), so one that only one of them still holds counts too."""
    return _with_listed(_live_erasures(context), read_ledger(context.data_dir))


def remember_erasures(context: AppContext) -> None:
    """Keep the list of erasures beside the database up to date (after an erasure is made or
    received). The erasure itself is committed already: a list that cannot be written is logged,
    and the next erasure or sync writes it again."""
    listed = read_ledger(context.data_dir)
    entries = _with_listed(_live_erasures(context), listed)
    if entries == listed:
        return
    try:
        write_ledger(context.data_dir, entries)
    except OSError as exc:
        log.warning("Could not write the list of erasures: %s", exc)


def reapply_erasures(context: AppContext, entries: list[dict[str, Any]]) -> Saved[tuple[str, ...]]:
    """Erase again what ``entries`` erased and the database (just restored from a backup) has
    back: one logged action that syncs, then the file is rewritten. An erasure is final, whoever
    restores what. Returns the references erased again, in order (none: nothing changed)."""
    present = _live_erasures(context)
    missing = [entry for entry in entries if entry["id"] not in present]
    if not missing:
        return Saved((), Changes(action_id=""))
    files: list[Path] = []
    with context.db.transaction(ngettext("Erase again %(count)d erasure made after the restored backup",
                                         "Erase again %(count)d erasures made after the restored backup",
                                         len(missing)) % {"count": len(missing)}) as uow:
        session = uow.session
        session.execute(text("PRAGMA secure_delete = ON"))
        for entry in missing:
            rows = _rows_named(session, json.loads(entry["rows"] or "{}"))
            files += _files(context, entry["subject"], rows)
            erasure = Erasure(id=entry["id"], subject=entry["subject"], subject_id=entry["subject_id"],
                              reference=entry["reference"], erased_on=date.fromisoformat(entry["erased_on"]),
                              reason=entry["reason"], rows=entry["rows"])
            _erase(session, erasure, rows, uow.changes.action_id)
    for path in files:
        path.unlink(missing_ok=True)
    remember_erasures(context)
    compact(context)
    return Saved(tuple(sorted(entry["reference"] for entry in missing)), uow.changes)


def erased_rows(session: Session) -> dict[tuple[str, str], dict[str, object]]:
    """Every row an erasure this laptop knows of covers: {(table, id): {column: erased value}}.

    Sync uses it so an erasure wins over any edit of those rows, whatever its
    stamp: an edit made on a laptop that had not received the erasure yet never
    brings the erased values back (services/sync/merge.py)."""
    models = entity_classes()
    found: dict[tuple[str, str], dict[str, object]] = {}
    for subject, rows in session.execute(sa_select(col(Erasure.subject), col(Erasure.rows)).where(
            live(Erasure))):
        for table, ids in json.loads(rows or "{}").items():
            model = models.get(table)
            if model is None:
                continue
            blanks = personal_columns(model, subject)
            for entity_id in ids:
                found.setdefault((table, entity_id), {}).update(blanks)
    return found


def erasure_count(session: Session) -> int:
    """How many erasures this laptop knows of (sync compacts its files when this changes)."""
    return session.exec(select(func.count()).select_from(Erasure)).one()


# How long an erasure waits for the write-ahead log to be free: a background checkpoint
# (storage/checkpoints.py) takes milliseconds, a reader's snapshot a query's time.
LOG_PATIENCE_SECONDS = 10.0


def _rewrite_file(engine) -> None:
    """The search index without the erased rows' old entries, then VACUUM, then empty the
    write-ahead log: no old copy of erased text stays in the index, free pages or the log.

    SQLite empties the log only when no other checkpoint is running and no reader
    still uses its pages; otherwise it answers "busy" at once and the log keeps the
    erased text. So the emptying is tried again until it is done."""
    raw = engine.raw_connection()
    try:
        # Outside SQLAlchemy's transaction (the connection is in autocommit, storage/db.py):
        # VACUUM cannot run inside one.
        connection = raw.driver_connection
        connection.execute("PRAGMA secure_delete = ON")
        drop_deleted_postings(connection)
        connection.execute("VACUUM")
        deadline = time.monotonic() + LOG_PATIENCE_SECONDS
        while connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]:  # 1: busy
            if time.monotonic() > deadline:
                log.warning("The write-ahead log stayed busy after an erasure; the next checkpoint empties it")
                break
            time.sleep(0.02)
    except Exception as exc:  # noqa: BLE001 - the erasure itself is committed; the next one retries
        log.warning("Could not rewrite the database file after an erasure: %s", exc)
    finally:
        raw.close()


def compact(context: AppContext) -> None:
    """Rewrite the database so no erased text survives in free pages or the write-ahead log."""
    _rewrite_file(context.db.engine)


def family_files(context: AppContext, rows: Rows) -> list[Path]:
    """The files copied into the data folder for a family's rows (receipts)."""
    require(context, Permission.PRIVACY)
    return _files(context, FAMILY, rows)
