"""Sync at its seams, set up through the services: a hostile folder (plain or forged files in
an encrypted group), a damaged file that its laptop writes again, derived data recomputed
(search text, who delivered a pack), one sync at a time, and a laptop whose clock runs ahead."""

from __future__ import annotations

import dataclasses
import shutil
import threading
from datetime import timedelta

import pytest
from sqlmodel import select

from peer_support.domain.families import FamilyDraft, FamilyQuery, VolunteerDraft
from peer_support.domain.packs import BatchDraft
from peer_support.errors import ValidationError
from peer_support.services import deliveries, families, packs
from peer_support.services.families_search import count_families
from peer_support.services.sync import (SyncBusy, list_conflicts, resolve_conflict, set_passphrase,
                                        sync_now, sync_status)
from peer_support.services.sync.check import canonical_dump
from peer_support.services.sync.guard import one_sync_at_a_time
from peer_support.services.sync.journal import encode, file_name, list_journal
from peer_support.services.sync.labels import clock_warning_text
from peer_support.storage.tables.core import DeviceState
from peer_support.storage.tables.packs import PackEvent

from tests.conftest import FIXED_NOW


@pytest.fixture
def laptops(open_laptops):
    return open_laptops(*(timedelta(minutes=number) for number in range(3)))


def _shared(context):
    return context.data_dir.parent / "shared"


def _own_files(context):
    return list_journal(_shared(context) / "journal" / context.local.device_id)


def _edit(context, reference: str, **values) -> None:
    draft = dataclasses.replace(families.get_family(context, reference).draft(), **values)
    families.update_family(context, reference, draft)


def _found(context, text: str) -> int:
    return count_families(context, FamilyQuery(text=text))


def test_a_plain_file_in_an_encrypted_group_is_refused_and_named(laptops):
    a, b, _c = laptops
    set_passphrase(a, "correct horse battery")
    set_passphrase(b, "correct horse battery")
    families.create_family(a, FamilyDraft(name="Nowak"))
    sync_now(a)
    assert sync_now(b).changes_applied > 0
    # Someone who can write to the stick drops a plain change file in a's folder.
    [real] = _own_files(a)
    payload = {"device_id": a.local.device_id, "schema_rev": "", "actions": {}, "changes": [{
        "change_id": "x", "seq": real.last_seq + 1, "hlc": "999999999999999.000000." + a.local.device_id,
        "action_id": "y", "entity": "family", "entity_id": "forged", "op": "insert", "seen": {},
        "changes": {"id": [None, "forged"], "reference": [None, "F0999"], "name": [None, "Forged"]}}]}
    forged = real.path.with_name(file_name(real.last_seq + 1, real.last_seq + 1))
    forged.write_bytes(encode(payload, a.local.device_id, real.last_seq + 1, real.last_seq + 1, None))
    report = sync_now(b)
    assert report.changes_applied == 0
    assert [p.kind for p in report.problems] == ["foreign"]
    assert "not from this group" in report.problems[0].message
    assert any("not from this group" in p.message for p in sync_status(b).problems)
    assert _found(b, "Forged") == 0
    # An encrypted file of a's moved to another number is refused as well.
    forged.unlink()
    shutil.copyfile(real.path, forged)
    assert [p.kind for p in sync_now(b).problems] == ["foreign"]
    assert _found(b, "Nowak") == 1


def test_a_damaged_file_is_written_again_by_its_laptop(laptops):
    a, b, _c = laptops
    families.create_family(a, FamilyDraft(name="Nowak"))
    sync_now(a)
    families.create_family(a, FamilyDraft(name="Jensen"))
    sync_now(a)
    newest = _own_files(a)[-1].path
    data = bytearray(newest.read_bytes())
    data[-5] ^= 0xFF  # one flipped byte
    newest.write_bytes(bytes(data))
    report = sync_now(b)
    assert report.problems and a.local.device_id[:8] in report.problems[0].message
    assert _found(b, "Nowak") == 1 and _found(b, "Jensen") == 0
    healed = sync_now(a)
    assert healed.files_rewritten == 1
    again = sync_now(b)
    assert not again.problems and _found(b, "Jensen") == 1
    # A file missing from the folder comes back too.
    _own_files(a)[0].path.unlink()
    assert sync_now(a).files_rewritten == 1
    assert len(_own_files(a)) == 2


def test_name_here_and_phone_there_are_both_found_everywhere(laptops):
    a, b, c = laptops
    reference = families.create_family(a, FamilyDraft(name="Kowalska", phone="01843 111111")).reference
    for laptop in (a, b, c):
        sync_now(laptop)
    _edit(a, reference, name="Kowalska-Nowak")
    _edit(b, reference, phone="07700 900123")
    for laptop in (a, b, c, a, b):
        sync_now(laptop)
    for laptop in (a, b, c):
        assert _found(laptop, "Kowalska-Nowak") == 1
        assert _found(laptop, "07700 900123") == 1
        assert _found(laptop, "01843 111111") == 0
    assert canonical_dump(a) == canonical_dump(b) == canonical_dump(c)
    assert not [x for x in list_conflicts(a) if x.field == "search_text"]


def test_the_first_delivery_wins_and_the_later_one_is_a_duplicate(laptops):
    a, b, _c = laptops
    families.create_family(a, FamilyDraft(name="Nowak"))
    anna = families.create_volunteer(a, VolunteerDraft(name="Anna Volunteer"))
    ben = families.create_volunteer(a, VolunteerDraft(name="Ben Volunteer"))
    batch = packs.create_batch(a, BatchDraft(name="Winter pack")).record
    [pack] = packs.list_packs(a, batch.reference)
    sync_now(a)
    sync_now(b)
    deliveries.record_scan(a, pack.code, volunteer_id=anna.id)  # 10:30 on a
    deliveries.record_scan(b, pack.code, volunteer_id=ben.id)  # 10:31 on b: later
    for laptop in (b, a, b):
        sync_now(laptop)
    for laptop in (a, b):
        [shown] = packs.list_packs(laptop, batch.reference)
        assert (shown.status, shown.volunteer, shown.status_at) == ("delivered", "Anna Volunteer", FIXED_NOW)
        with laptop.db.read() as session:
            outcomes = sorted(e.outcome for e in session.exec(select(PackEvent)))
        assert outcomes == ["delivered", "duplicate"]
    notices = [x for x in list_conflicts(b) if x.kind == "duplicate"]
    assert len(notices) == 1 and "Ben Volunteer" in notices[0].label
    assert canonical_dump(a) == canonical_dump(b)


def test_conflicts_are_about_typed_fields_and_derived_ones_cannot_be_resolved(laptops):
    a, b, _c = laptops
    reference = families.create_family(a, FamilyDraft(name="Nowak")).reference
    sync_now(a)
    sync_now(b)
    _edit(a, reference, name="Nowak-A")
    _edit(b, reference, name="Nowak-B")
    sync_now(a)
    sync_now(b)
    conflicts = list_conflicts(b)
    assert [c.field for c in conflicts] == ["name"]
    assert conflicts[0].label == f"{reference} Nowak-B" and conflicts[0].field_label == "Name"
    resolve_conflict(b, conflicts[0].id, "local")
    assert _found(b, "Nowak-A") == 0 and _found(b, "Nowak-B") == 1


def test_resolving_a_derived_field_is_refused(laptops):
    from peer_support.services.sync.conflicts import check_decidable

    with pytest.raises(ValidationError):
        check_decidable("family", "search_text")
    with pytest.raises(ValidationError):
        check_decidable("pack", "volunteer_id")
    check_decidable("family", "phone")


def test_one_sync_at_a_time(laptops):
    a, _b, _c = laptops
    families.create_family(a, FamilyDraft(name="Nowak"))
    held, release = threading.Event(), threading.Event()

    def hold():
        with one_sync_at_a_time(a.data_dir):
            held.set()
            release.wait(30)

    worker = threading.Thread(target=hold)
    worker.start()
    held.wait(30)
    try:
        with pytest.raises(SyncBusy):
            sync_now(a)
    finally:
        release.set()
        worker.join()
    assert sync_now(a).sent_changes > 0


def test_a_clock_far_ahead_is_applied_named_and_not_adopted(laptops):
    a, b, _c = laptops
    a.clock.advance(days=330)  # about 11 months ahead
    reference = families.create_family(a, FamilyDraft(name="Nowak")).reference
    sync_now(a)
    sync_now(b)
    assert _found(b, "Nowak") == 1
    [warning] = sync_status(b).clocks_ahead
    assert warning.device_id == a.local.device_id
    text = clock_warning_text(warning)
    assert text.startswith("The clock of laptop ") and a.local.device_id[:8] in text
    assert "is 11 months ahead" in text
    with b.db.read() as session:
        state = session.get(DeviceState, b.local.device_id)
    assert state.hlc_millis <= (b.clock.now() + timedelta(days=1)).timestamp() * 1000
    # A later edit on b still wins everywhere, though b's clock stayed behind a's stamps.
    _edit(b, reference, phone="07700 900123")
    sync_now(b)
    sync_now(a)
    assert families.get_family(a, reference).phone == "07700 900123"
    assert canonical_dump(a) == canonical_dump(b)


def test_a_conflict_on_a_list_item_shows_names_and_keeps_one_of_the_two(laptops):
    a, b, _c = laptops
    reference = families.create_family(a, FamilyDraft(name="Nowak", area="Westbrook")).reference
    sync_now(a)
    sync_now(b)
    _edit(a, reference, area="Garlinge")
    _edit(b, reference, area="Cliftonville")
    sync_now(a)
    sync_now(b)
    [conflict] = list_conflicts(b)
    assert (conflict.field_label, conflict.base_text, conflict.local_text, conflict.remote_text) == (
        "Area", "Westbrook", "Cliftonville", "Garlinge")
    with pytest.raises(ValidationError):
        resolve_conflict(b, conflict.id, "value", "Margate")
    resolve_conflict(b, conflict.id, "local")
    assert families.get_family(b, reference).area == "Cliftonville"


def test_a_damaged_first_line_in_an_encrypted_group_is_damage_and_is_healed(laptops):
    a, b, _c = laptops
    set_passphrase(a, "correct horse battery")
    set_passphrase(b, "correct horse battery")
    families.create_family(a, FamilyDraft(name="Nowak"))
    sync_now(a)
    [own] = _own_files(a)
    data = bytearray(own.path.read_bytes())
    data[0] ^= 0x01  # the header's opening brace
    own.path.write_bytes(bytes(data))
    assert [p.kind for p in sync_now(b).problems] == ["damaged"]
    assert sync_now(a).files_rewritten == 1
    assert not sync_now(b).problems and _found(b, "Nowak") == 1
