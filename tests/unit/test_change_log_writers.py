"""One writer of the change log: every way a tracked row is written is logged by the unit of work.

The first tests read the source: the change log is written only in storage/unit_of_work.py,
and every statement that writes tracked rows around the ORM (Core INSERT/UPDATE/DELETE, raw
SQL) is one of a known list, each with its reason. A new write path fails here until it is
logged (``UnitOfWork.log_rows``) or justified. The last test drives the write paths (form,
bulk import, undo, merge, sync apply) and replays the change log: every tracked row must be
exactly what its log rows say.
"""

from __future__ import annotations

import ast
import re
import dataclasses
import json
import shutil
from pathlib import Path

from sqlmodel import SQLModel, select

import peer_support
from peer_support.clock import FixedClock
from peer_support.context import open_context
from peer_support.domain.families import FamilyDraft
from peer_support.services import families
from peer_support.services.families_import import import_families
from peer_support.services.families_sheet import Sheet
from peer_support.services.families_merge import merge_families
from peer_support.services.history import undo_action
from peer_support.services.sync import sync_now
from peer_support.services.sync.derived import DERIVED_FIELDS
from peer_support.storage.tables import entity_classes
from peer_support.storage.tables.core import ChangeLog
from peer_support.storage.types import to_json_value

ROOT = Path(peer_support.__file__).parent
WRITERS = {"insert", "update", "delete", "sqlite_insert"}

# (module, function): why this statement may write tracked rows without the flush hook.
KNOWN_WRITES = {
    ("services/families_bulk.py", "finish"): "bulk INSERTs, each batch logged by UnitOfWork.log_rows",
    ("services/sync/merge.py", "add_alias"): "a list item merged on every laptop alike (sync rule, unlogged)",
}


def _untracked_tables() -> set[str]:
    tracked = {model.__name__ for model in entity_classes().values()}
    return {mapper.class_.__name__ for mapper in SQLModel._sa_registry.mappers} - tracked


def _writes() -> dict[tuple[str, str], list[str]]:
    """Every Core or raw-SQL write statement in the app, by (module, enclosing function)."""
    untracked = _untracked_tables()
    found: dict[tuple[str, str], list[str]] = {}
    for path in sorted(ROOT.rglob("*.py")):
        module = path.relative_to(ROOT).as_posix()
        if module.startswith("storage/migrations/"):
            continue
        tree = ast.parse(path.read_text("utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            for node in ast.walk(function):
                if not isinstance(node, ast.Call):
                    continue
                name = node.func.id if isinstance(node.func, ast.Name) else ""
                if name in WRITERS and node.args:
                    table = node.args[0]
                    if isinstance(table, ast.Call) and ast.unparse(table.func) == "table_of" and table.args:
                        table = table.args[0]  # storage.tables.base.table_of(Model)
                    target = ast.unparse(table).removesuffix(".__table__")
                    if target not in untracked:
                        found.setdefault((module, function.name), []).append(ast.unparse(node)[:80])
                if name == "text" and node.args and isinstance(node.args[0], (ast.Constant, ast.JoinedStr)):
                    sql = ast.unparse(node.args[0]).upper()
                    if re.match(r"^\W*F?['\"]+\s*(INSERT|UPDATE|DELETE|REPLACE)\b", sql):
                        found.setdefault((module, function.name), []).append(ast.unparse(node)[:80])
    return found


def test_only_the_unit_of_work_writes_the_change_log():
    writers = []
    for path in sorted(ROOT.rglob("*.py")):
        module = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call):
                called = ast.unparse(node.func)
                first = ast.unparse(node.args[0]) if node.args else ""
                if called == "ChangeLog" or (called in WRITERS and first.startswith("ChangeLog")):
                    writers.append(module)
    assert writers and set(writers) == {"storage/unit_of_work.py"}


def test_every_write_around_the_orm_is_known():
    found = _writes()
    assert set(found) == set(KNOWN_WRITES), {k: v for k, v in found.items() if k not in KNOWN_WRITES}
    bulk = (ROOT / "services/families_bulk.py").read_text("utf-8")
    assert "self.uow.log_rows(" in bulk


def _replayed(session, entity: str, entity_id: str) -> dict:
    values: dict = {}
    for change in session.exec(select(ChangeLog).where(ChangeLog.entity == entity, ChangeLog.entity_id == entity_id)
                               .order_by(ChangeLog.hlc)):
        for field, (_old, new) in json.loads(change.changes).items():
            values[field] = new
    return values


def assert_every_row_logged(context) -> int:
    """Each tracked row equals the replay of its change-log rows (derived columns aside)."""
    checked = 0
    with context.db.read() as session:
        for table, model in entity_classes().items():
            derived = DERIVED_FIELDS.get(table, frozenset())
            for row in session.exec(select(model)):
                logged = _replayed(session, table, row.id)
                assert logged, f"{table} {row.id} was written without its log row"
                for column in model.__table__.columns:
                    if column.name in derived or column.name == "created_at":
                        continue
                    assert to_json_value(getattr(row, column.name)) == logged.get(column.name), (
                        table, column.name)
                checked += 1
    return checked


def test_every_write_path_logs_every_row(tmp_path, empty_template):
    contexts = []
    for name in ("a", "b"):
        shutil.copytree(empty_template, tmp_path / name)
        (tmp_path / name / "local.json").unlink(missing_ok=True)
        contexts.append(open_context(tmp_path / name, FixedClock(peer_support_now())))
    a, b = contexts
    shared = tmp_path / "stick"
    shared.mkdir()
    try:
        saved = families.save_new_family(a, FamilyDraft(name="Nowak", phone="01843 111111", schools=("Dane Court",)))
        sheet = Sheet("families.csv", ("Name", "Area", "Schools"),  # the bulk writer of an import and the sample data
                      tuple((number + 2, (f"Imported {number}", "Westbrook", "Dane Court")) for number in range(30)),
                      "CSV")
        assert import_families(a, sheet).record.imported == 30
        record = families.get_family(a, saved.record.reference)
        edited = families.update_family(a, record.reference, dataclasses.replace(record.draft(), phone="07700 900123"))
        undo_action(a, edited.changes.action_id)
        merge_families(a, "F0002", "F0003")
        assert assert_every_row_logged(a) > 60
        sync_now(a, shared)
        sync_now(b, shared)  # sync apply: the received rows and their log rows, on b
        assert assert_every_row_logged(b) > 60
    finally:
        for context in contexts:
            context.close()


def peer_support_now():
    from datetime import datetime, timezone

    return datetime(2026, 11, 25, 10, 30, tzinfo=timezone.utc)
