"""The clocks sync keeps per record: one row for the insert that made it, a row per field set after."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

import pytest

from peer_support.domain.families import FamilyDraft
from peer_support.services import families
from peer_support.services.sync import list_conflicts, sync_now
from peer_support.storage.tables.sync import ROW_CLOCK


@pytest.fixture
def pair(open_laptops):
    return open_laptops(timedelta(0), timedelta(minutes=1))


def clocks(context, entity_id: str) -> dict[str, tuple[str, str, int]]:
    db = sqlite3.connect(context.database_path)
    rows = db.execute("SELECT field, hlc, device_id, seq FROM sync_field_clock WHERE entity_id = ?",
                      (entity_id,)).fetchall()
    db.close()
    return {field: (hlc, device, seq) for field, hlc, device, seq in rows}


def logged(context, entity_id: str, op: str) -> list[tuple[str, str, int]]:
    db = sqlite3.connect(context.database_path)
    rows = db.execute("SELECT hlc, device_id, seq FROM change_log WHERE entity_id = ? AND op = ? ORDER BY seq",
                      (entity_id, op)).fetchall()
    db.close()
    return rows


def test_a_received_record_keeps_one_clock_until_its_fields_are_set_again(pair):
    a, b = pair
    made = families.create_family(a, FamilyDraft(name="Nowak", phone="01111 111111", postcode="CT9 1AA"))
    family_id = made.id
    sync_now(a)
    sync_now(b)
    [insert] = logged(a, family_id, "insert")
    # Twenty-odd columns, one clock: the insert's, on both laptops (on a when it next applies a file).
    assert clocks(b, family_id) == {ROW_CLOCK: insert}
    other = families.create_family(b, FamilyDraft(name="Smith"))
    sync_now(b)
    sync_now(a)
    assert clocks(a, family_id) == {ROW_CLOCK: insert}
    assert clocks(a, other.id) == {ROW_CLOCK: logged(b, other.id, "insert")[0]}
    a.clock.advance(minutes=5)
    families.update_family(a, made.reference, FamilyDraft(name="Nowak", phone="02222 222222",
                                                                  postcode="CT9 1AA"))
    sync_now(a)
    sync_now(b)
    [update] = logged(a, family_id, "update")
    assert clocks(b, family_id) == {ROW_CLOCK: insert, "phone": update}
    assert families.get_family(b, made.reference).phone == "02222 222222"


def test_edits_of_fields_clocked_only_by_the_insert_still_conflict(pair):
    """b received the family (one insert clock), then both laptops edit the same field without
    seeing each other: the later stamp wins on both, and both list the conflict."""
    a, b = pair
    made = families.create_family(a, FamilyDraft(name="Nowak", phone="01111 111111"))
    sync_now(a)
    sync_now(b)
    a.clock.advance(minutes=10)
    families.update_family(a, made.reference, FamilyDraft(name="Nowak", phone="03333 333333"))
    families.update_family(b, made.reference, FamilyDraft(name="Nowak", phone="04444 444444"))
    for laptop in (a, b, a):
        sync_now(laptop)
    assert families.get_family(a, made.reference).phone == "03333 333333"
    assert families.get_family(b, made.reference).phone == "03333 333333"
    assert [(c.field, c.winner) for c in list_conflicts(a)] == [("phone", "local")]
    assert [(c.field, c.winner) for c in list_conflicts(b)] == [("phone", "remote")]
