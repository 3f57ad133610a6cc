"""Sync rules one by one: order, gaps, damage, encryption, conflicts and their resolution,
archive against edit, reference clashes, overspent pots, erasure, joining from a snapshot."""

from __future__ import annotations

import dataclasses
import json
import shutil
from datetime import date, time, timedelta

import pytest
from sqlmodel import select

from peer_support.clock import FixedClock
from peer_support.errors import ConflictError, NotFoundError, StorageError, ValidationError
from peer_support.domain.fund import ApplicationDraft, ApprovalDraft, Channel, Need, PotDraft
from peer_support.domain.meetings import MeetingDraft
from peer_support.services import families
from peer_support.services.families_import import import_families
from peer_support.services.families_sheet import Sheet
from peer_support.services.fund import approve_application, create_application, create_pot
from peer_support.services.meetings import create_meeting
from peer_support.services.register import mark_attendance
from peer_support.services.sync import (list_conflicts, resolve_conflict, set_passphrase, set_sync_folder,
                                        sync_now, sync_status)
from peer_support.services.sync.check import canonical_dump
from peer_support.services.sync.journal import list_journal, read_journal
from peer_support.services.sync.snapshot import join_group, write_snapshot
from peer_support.storage.conditions import live
from peer_support.storage.tables.core import ChangeLog
from peer_support.storage.tables.families import Family

from tests.conftest import FIXED_NOW


@pytest.fixture
def laptops(open_laptops):
    return open_laptops(timedelta(0), timedelta(hours=-20), timedelta(hours=9))


def add_family(context, reference: str, name: str, area: str = "") -> str:
    """A family with a chosen reference, through the import service (the one way to choose one)."""
    sheet = Sheet("families.csv", ("Reference", "Name", "Area"), ((2, (reference, name, area)),), "CSV")
    assert import_families(context, sheet).record.imported == 1
    return families.get_family(context, reference).id


def edit(context, family_id: str, **values) -> None:
    """Edit through the families service: archive/restore, or the form's fields."""
    reference = family(context, family_id).reference
    archived = values.pop("archived", None)
    if archived is not None:
        families.set_family_archived(context, reference, archived)
    if values:
        draft = dataclasses.replace(families.get_family(context, reference).draft(), **values)
        families.update_family(context, reference, draft)


def family(context, family_id: str) -> Family:
    with context.db.read() as session:
        return session.get(Family, family_id)


def own_files(context):
    shared = context.data_dir.parent / "shared"
    return list_journal(shared / "journal" / context.local.device_id)


def test_changes_travel_and_are_applied_once(laptops):
    a, b, _c = laptops
    family_id = add_family(a, "F0001", "Nowak")
    assert sync_now(a).sent_changes == 1
    first = sync_now(b)
    assert (first.files_applied, first.changes_applied) == (1, 1)
    assert family(b, family_id).name == "Nowak"
    again = sync_now(b)
    assert (again.files_applied, again.changes_applied) == (0, 0)
    with b.db.read() as session:  # kept in b's history, under a's device id
        change = session.exec(select(ChangeLog).where(ChangeLog.entity_id == family_id)).one()
    assert change.device_id == a.local.device_id


def test_a_gap_is_reported_and_waited_for(laptops):
    a, b, _c = laptops
    family_id = add_family(a, "F0001", "Nowak")
    sync_now(a)
    edit(a, family_id, phone="01234 567890")
    sync_now(a)
    first, second = own_files(a)
    hidden = first.path.with_name("elsewhere")
    first.path.rename(hidden)
    report = sync_now(b)
    assert report.files_applied == 0 and len(report.waiting) == 1
    assert "Waiting for changes 1 to 1" in report.waiting[0].message
    assert family(b, family_id) is None
    assert sync_status(b).files_waiting == 1
    hidden.rename(first.path)
    assert sync_now(b).files_applied == 2
    assert family(b, family_id).phone == "01234 567890"


def test_a_damaged_file_is_refused_whole_and_others_go_on(laptops):
    a, b, c = laptops
    family_a = add_family(a, "F0001", "Nowak")
    family_c = add_family(c, "F0100", "Jensen")
    sync_now(a)
    sync_now(c)
    path = own_files(a)[0].path
    path.write_bytes(path.read_bytes()[:-10])  # truncated, as by a pulled USB stick
    report = sync_now(b)
    assert len(report.problems) == 1
    assert "incomplete or damaged" in report.problems[0].message
    assert family(b, family_a) is None
    assert family(b, family_c).name == "Jensen"
    assert sync_status(b).problems


def test_encrypted_files_need_the_group_passphrase(laptops):
    a, b, c = laptops
    set_passphrase(a, "seaside group 2026")
    family_id = add_family(a, "F0001", "Kowalska")
    sync_now(a)
    assert b"Kowalska" not in own_files(a)[0].path.read_bytes()
    with pytest.raises(ValidationError, match="encrypted"):
        sync_now(b)
    with pytest.raises(ValidationError, match="not the group's passphrase"):
        set_passphrase(b, "wrong passphrase")
    set_passphrase(b, "seaside group 2026")
    assert sync_now(b).files_applied == 1
    assert family(b, family_id).name == "Kowalska"
    with pytest.raises(ValidationError):
        set_passphrase(c, "short")


def test_concurrent_edits_become_a_conflict_and_the_resolution_syncs(laptops):
    a, b, _c = laptops
    family_id = add_family(a, "F0001", "Nowak")
    sync_now(a)
    sync_now(b)
    a.clock.advance(minutes=5)  # b's wall clock is far behind: its stamp stays at a's last one
    edit(a, family_id, phone="01111 111111")
    edit(b, family_id, phone="02222 222222")
    sync_now(a)
    sync_now(b)
    sync_now(a)
    assert family(a, family_id).phone == family(b, family_id).phone == "01111 111111"
    [on_b] = list_conflicts(b)
    assert (on_b.field, on_b.local_value, on_b.remote_value, on_b.winner) == ("phone", "02222 222222", "01111 111111", "remote")
    [on_a] = list_conflicts(a)
    assert (on_a.local_value, on_a.remote_value, on_a.winner) == ("01111 111111", "02222 222222", "local")
    resolve_conflict(b, on_b.short_id, "local")  # the lead keeps b's number after all
    assert family(b, family_id).phone == "02222 222222"
    with pytest.raises(ConflictError):
        resolve_conflict(b, on_b.id, "remote")
    sync_now(b)
    sync_now(a)
    assert family(a, family_id).phone == "02222 222222"
    assert list_conflicts(a) == []
    assert [c.resolution for c in list_conflicts(a, include_resolved=True)] == ["local"]


def test_resolving_with_a_typed_value(laptops):
    a, b, _c = laptops
    family_id = add_family(a, "F0001", "Nowak")
    sync_now(a)
    sync_now(b)
    edit(a, family_id, children=2)
    edit(b, family_id, children=3)
    sync_now(a)
    sync_now(b)
    [conflict] = list_conflicts(b)
    with pytest.raises(ValidationError):
        resolve_conflict(b, conflict.id, "value", "two")
    with pytest.raises(NotFoundError):
        resolve_conflict(b, "ffffffff", "local")
    resolve_conflict(b, conflict.id, "value", "4")
    assert family(b, family_id).children == 4


def test_an_edit_to_an_archived_record_is_kept_and_raises_a_conflict(laptops):
    a, b, _c = laptops
    family_id = add_family(a, "F0001", "Nowak")
    sync_now(a)
    sync_now(b)
    edit(a, family_id, archived=True)
    edit(b, family_id, notes="Moved to Margate, new number soon")
    for laptop in (a, b, a):
        sync_now(laptop)
    for laptop in (a, b):
        row = family(laptop, family_id)
        assert row.archived and row.notes == "Moved to Margate, new number soon"
        [conflict] = list_conflicts(laptop)
        assert (conflict.kind, conflict.field) == ("archive", "archived")
    [on_a] = list_conflicts(a)
    resolve_conflict(a, on_a.id, "remote")  # bring the family back: someone is still helping them
    assert not family(a, family_id).archived


def test_clashing_references_are_renumbered_on_one_side(laptops):
    a, b, c = laptops
    first = add_family(a, "F0531", "Nowak")
    second = add_family(b, "F0531", "Jensen")  # b's clock is behind: its code is "earlier"
    for laptop in (a, b, c, a, b, c):
        sync_now(laptop)
    dumps = [canonical_dump(x) for x in laptops]
    assert dumps[0] == dumps[1] == dumps[2]
    assert family(c, second).reference == "F0531"
    assert family(c, first).reference == "F0532"
    [notice] = list_conflicts(a)
    assert (notice.kind, notice.local_value, notice.remote_value) == ("renumbered", "F0531", "F0532")


def test_one_reference_made_on_three_laptops_the_same_day_ends_as_three_codes(laptops):
    """Two records give the code up at once; until their laptops renumber them, each shows a
    provisional code made from its id's random end: ids made the same day begin alike."""
    a, b, c = laptops
    made = [add_family(laptop, "F0531", name) for laptop, name in zip(laptops, ("Nowak", "Jensen", "Weber"))]
    # b's code is the earliest: it receives a's and c's at once, both sent before a renumbering.
    for laptop in (c, a, b, c, a, b, c, a):
        sync_now(laptop)
    dumps = [canonical_dump(x) for x in laptops]
    assert dumps[0] == dumps[1] == dumps[2]
    references = sorted(family(laptops[0], family_id).reference for family_id in made)
    assert references == ["F0531", "F0532", "F0533"]


def test_approvals_that_overspend_a_pot_are_flagged(laptops):
    a, b, _c = laptops
    create_pot(a, PotDraft(name="Winter", budget_pence=10000, opens_on=date(2026, 11, 1)))
    applications = []
    for number in (1, 2):
        add_family(a, f"F000{number}", f"Family {number}")
        saved = create_application(a, ApplicationDraft("Winter", f"F000{number}", date(2026, 11, 2), Channel.PHONE,
                                                       Need.MOBILE_DATA, 7000))
        applications.append(saved.record.reference)
    sync_now(a)
    sync_now(b)
    for laptop, reference in ((a, applications[0]), (b, applications[1])):  # each within the pot it sees
        approve_application(laptop, reference, ApprovalDraft(7000, "Lead", date(2026, 11, 20)))
    for laptop in (a, b, a):
        sync_now(laptop)
    for laptop in (a, b):
        [notice] = list_conflicts(laptop)
        assert (notice.kind, notice.local_value, notice.remote_value) == ("overspend", 10000, 14000)


def test_erasure_reaches_every_laptop_and_leaves_no_copy_in_the_folder(laptops):
    from peer_support.services.privacy import erase_family

    a, b, _c = laptops
    family_id = add_family(a, "F0001", "Wiśniewska-Hartley")
    edit(a, family_id, phone="07700 900999")
    sync_now(a)
    sync_now(b)
    edit(b, family_id, notes="Call Wiśniewska-Hartley after 5")
    sync_now(b)
    sync_now(a)
    erase_family(a, "F0001")
    for laptop in (a, b, a, b):
        sync_now(laptop)
    assert family(b, family_id).name == "" and family(b, family_id).phone == ""
    with b.db.read() as session:
        history = " ".join(c.changes for c in session.exec(select(ChangeLog)))
    assert "Wiśniewska-Hartley" not in history and "07700 900999" not in history
    for laptop in (a, b):
        for ref in own_files(laptop):
            text = json.dumps(read_journal(ref, None).changes, ensure_ascii=False)
            assert "Wiśniewska-Hartley" not in text and "07700 900999" not in text


def test_a_new_laptop_joins_from_a_snapshot(laptops, tmp_path, empty_template):
    a, b, _c = laptops
    add_family(a, "F0001", "Nowak")
    sync_now(a)
    sync_now(b)
    add_family(b, "F0002", "Jensen")
    sync_now(b)
    write_snapshot(b, tmp_path / "shared", None)
    add_family(a, "F0003", "Schmidt")  # after the snapshot: arrives through the journal
    sync_now(a)
    newcomer_dir = tmp_path / "newcomer"
    shutil.copytree(empty_template, newcomer_dir)
    (newcomer_dir / "local.json").unlink(missing_ok=True)
    newcomer = join_group(newcomer_dir, tmp_path / "shared", clock=FixedClock(FIXED_NOW))
    try:
        assert newcomer.local.device_id not in (a.local.device_id, b.local.device_id)
        sync_now(newcomer)
        add_family(newcomer, "F0004", "Larsen")
        sync_now(newcomer)
        for laptop in (a, b, a):
            sync_now(laptop)
        sync_now(newcomer)
        assert canonical_dump(newcomer) == canonical_dump(a) == canonical_dump(b)
        assert len(canonical_dump(a)["family"]) == 4
        with pytest.raises(ConflictError):  # it has data of its own now
            join_group(newcomer_dir, tmp_path / "shared", clock=FixedClock(FIXED_NOW))
    finally:
        newcomer.close()


def test_the_sync_folder_must_not_hold_the_live_database(laptops):
    a = laptops[0]
    with pytest.raises(ValidationError, match="separate"):
        set_sync_folder(a, a.data_dir)
    with pytest.raises(ValidationError, match="separate"):
        set_sync_folder(a, a.data_dir / "sync")


def test_an_unplugged_stick_gives_a_clear_message(laptops, tmp_path):
    with pytest.raises(StorageError, match="cannot be reached"):
        sync_now(laptops[0], tmp_path / "no-stick-here")


def test_a_laptop_encrypted_at_rest_writes_a_snapshot_others_can_join_from(laptops, tmp_path, empty_template):
    from peer_support.services.encryption import enable_encryption

    a, b, _c = laptops
    enable_encryption(a, "at-rest passphrase", "at-rest passphrase")
    set_passphrase(a, "group passphrase 1")
    add_family(a, "F0001", "Nowak")
    sync_now(a)
    snapshot = write_snapshot(a, tmp_path / "shared", bytes.fromhex(_group_key_hex(a)))
    assert b"Nowak" not in snapshot.read_bytes()
    newcomer_dir = tmp_path / "newcomer"
    shutil.copytree(empty_template, newcomer_dir)
    (newcomer_dir / "local.json").unlink(missing_ok=True)
    with pytest.raises(ValidationError):
        join_group(newcomer_dir, tmp_path / "shared", "wrong passphrase", FixedClock(FIXED_NOW))
    newcomer = join_group(newcomer_dir, tmp_path / "shared", "group passphrase 1", FixedClock(FIXED_NOW))
    try:
        sync_now(newcomer)
        assert canonical_dump(newcomer)["family"] == canonical_dump(a)["family"]
    finally:
        newcomer.close()


def _group_key_hex(context) -> str:
    from peer_support.services.sync.state import KEY, get_value

    with context.db.read() as session:
        return get_value(session, KEY)


def test_a_laptop_restored_from_an_old_backup_gets_its_later_changes_back(laptops, tmp_path):
    from peer_support.storage.backups import copy_database

    a, b, _c = laptops
    first = add_family(a, "F0001", "Nowak")
    sync_now(a)
    old_copy = copy_database(a.database_path, tmp_path / "old.sqlite3")
    second = add_family(a, "F0002", "Jensen")
    sync_now(a)
    a.db.dispose()
    shutil.copyfile(old_copy, a.database_path)
    for suffix in ("-wal", "-shm"):
        (a.data_dir / f"peer-support.sqlite3{suffix}").unlink(missing_ok=True)
    assert family(a, second) is None  # the restore lost it...
    sync_now(a)
    assert family(a, second).name == "Jensen"  # ...and the sync folder gave it back
    third = add_family(a, "F0003", "Schmidt")
    sync_now(a)
    sync_now(b)
    assert {family(b, x).name for x in (first, second, third)} == {"Nowak", "Jensen", "Schmidt"}


def test_attendance_ticked_on_two_laptops_is_one_attendance(laptops):
    from peer_support.storage.tables.meetings import Attendance

    a, b, c = laptops
    meeting = create_meeting(a, MeetingDraft(on=date(2026, 11, 25), start=time(10, 0), end=time(12, 0))).record
    add_family(a, "F0001", "Nowak")
    sync_now(a)
    sync_now(b)
    for laptop in (a, b):  # both leads tick the same family at the door
        mark_attendance(laptop, meeting.reference, "F0001", "present")
    for laptop in (a, b, c, a):
        sync_now(laptop)
    for laptop in laptops:
        with laptop.db.read() as session:
            rows = session.exec(select(Attendance).where(live(Attendance))).all()
        assert len(rows) == 1
    assert canonical_dump(a) == canonical_dump(b) == canonical_dump(c)
    assert [n.kind for n in list_conflicts(c)] == ["duplicate"]


def test_an_area_added_on_two_laptops_becomes_one(laptops):
    a, b, c = laptops
    first = add_family(a, "F0001", "Nowak", area="Westbrook")  # each laptop adds the new area
    second = add_family(b, "F0002", "Jensen", area="Westbrook")
    sync_now(b)
    sync_now(c)  # c sees b's Westbrook first, then a's
    for laptop in (a, b, c, a, b, c):
        sync_now(laptop)
    dumps = [canonical_dump(x) for x in laptops]
    assert dumps[0] == dumps[1] == dumps[2]
    live = [row for row in dumps[0]["area"] if not row["deleted"]]
    assert [row["name"] for row in live] == ["Westbrook"]
    assert family(c, first).area_id == family(c, second).area_id == live[0]["id"]
    assert "merged" in [n.kind for n in list_conflicts(a)]


def test_a_typed_resolution_passes_the_checks_of_the_form(laptops):
    a, b, _c = laptops
    family_id = add_family(a, "F0001", "Nowak")
    sync_now(a)
    sync_now(b)
    edit(a, family_id, phone="01843 111111")
    edit(b, family_id, phone="01843 222222")
    sync_now(a)
    sync_now(b)
    [conflict] = list_conflicts(b)
    before = family(b, family_id).phone
    with pytest.raises(ValidationError, match="not a phone number"):  # the family form refuses it too
        resolve_conflict(b, conflict.id, "value", "0444")
    assert family(b, family_id).phone == before
    assert list_conflicts(b) == [conflict]  # still open: nothing changed
    resolve_conflict(b, conflict.id, "value", "01843 444444")
    assert family(b, family_id).phone == "01843 444444"
