"""Migration 0034_sync_row_clocks: a record's insert clock as one row, and back.

Set up through the services on two laptops (a family made, synced, one field
edited, synced again); the downgrade must give every merged field its clock as
the old layout kept it (one row per column, the insert's stamp until edited),
and the upgrade must give back exactly what the app writes at head.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timezone

from peer_support.clock import FixedClock
from peer_support.context import open_context
from peer_support.domain.families import FamilyDraft
from peer_support.services import families
from peer_support.services.sync import set_sync_folder, sync_now

from tests.migrations.downgrades import downgrade, earlier_schema

NOW = datetime(2026, 11, 25, 10, 30, tzinfo=timezone.utc)
REVISION = "0034_sync_row_clocks"


def clock_rows(folder) -> dict[tuple[str, str, str], tuple[str, str, int]]:
    db = sqlite3.connect(folder / "peer-support.sqlite3")
    rows = db.execute("SELECT entity, entity_id, field, hlc, device_id, seq FROM sync_field_clock").fetchall()
    db.close()
    return {(e, i, f): (h, d, s) for e, i, f, h, d, s in rows}


def test_the_insert_clock_unfolds_into_field_clocks_and_folds_back(tmp_path, empty_template):
    folders = []
    for number in range(2):
        folder = tmp_path / f"laptop{number}"
        shutil.copytree(empty_template, folder)
        (folder / "local.json").unlink(missing_ok=True)
        folders.append(folder)
    (tmp_path / "shared").mkdir()
    clock = FixedClock(NOW)
    a, b = (open_context(folder, clock) for folder in folders)
    for context in (a, b):
        set_sync_folder(context, tmp_path / "shared")
    made = families.create_family(a, FamilyDraft(name="Nowak", phone="01111 111111"))
    sync_now(a)
    sync_now(b)
    clock.advance(minutes=5)
    families.update_family(a, made.reference, FamilyDraft(name="Nowak", phone="02222 222222"))
    sync_now(a)
    sync_now(b)
    database = sqlite3.connect(b.database_path)
    columns = {row[1] for row in database.execute("PRAGMA table_info(family)")}
    [insert] = database.execute("SELECT hlc, device_id, seq FROM change_log WHERE entity_id = ? AND op = 'insert'",
                                (made.id,)).fetchall()
    [update] = database.execute("SELECT hlc, device_id, seq FROM change_log WHERE entity_id = ? AND op = 'update'",
                                (made.id,)).fetchall()
    database.close()
    a.close()
    b.close()
    head = clock_rows(folders[1])
    assert {k: v for k, v in head.items() if k[1] == made.id} == {
        ("family", made.id, "__row__"): insert, ("family", made.id, "phone"): update}

    downgrade(folders[1], clock, earlier_schema(REVISION))
    before = clock_rows(folders[1])
    assert not any(field == "__row__" for _e, _i, field in before)
    # As the layout before kept it: every merged column has the insert's stamp, the edited one its edit's.
    assert {k[2]: v for k, v in before.items() if k[1] == made.id} == {
        **{column: tuple(insert) for column in columns - {"search_text"}}, "phone": update}

    open_context(folders[1], clock).close()  # upgrades, as at start-up
    assert clock_rows(folders[1]) == head
