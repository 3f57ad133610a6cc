"""A laptop that restores or recovers an older backup keeps syncing: its new changes reach the others
(never numbered like changes they already applied) and the changes it had published come back."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from peer_support.context import open_context
from peer_support.domain.families import FamilyDraft
from peer_support.services.backups import auto_backup, back_up_now, recover_folder, restore_backup
from peer_support.services.families import create_family, get_family, search_families, update_family
from peer_support.services.sync import sync_now


def _names(context) -> list[str]:
    return sorted(f.name for f in search_families(context))


def _published_after_a_backup(a, b):
    """``a`` adds a family, backs up, adds two more; both laptops sync. Returns the backup."""
    create_family(a, FamilyDraft(name="Before The Backup"))
    sync_now(a)
    backup = auto_backup(a, force=True).path
    create_family(a, FamilyDraft(name="After The Backup One"))
    create_family(a, FamilyDraft(name="After The Backup Two"))
    sync_now(a)
    sync_now(b)
    return backup


EVERYONE = ["After The Backup One", "After The Backup Two", "After The Restore", "Before The Backup", "From B"]


def test_a_change_after_a_restore_reaches_the_other_laptop_and_nothing_is_lost(open_laptops):
    a, b = open_laptops(timedelta(0), timedelta(minutes=5))
    backup = _published_after_a_backup(a, b)
    create_family(b, FamilyDraft(name="From B"))

    restore_backup(a, backup)
    assert _names(a) == ["Before The Backup"]
    create_family(a, FamilyDraft(name="After The Restore"))  # before any sync: the folder may be away
    for laptop in (a, b, a, b):
        sync_now(laptop)

    assert _names(b) == EVERYONE
    assert _names(a) == EVERYONE  # its own published changes came back from its files
    assert all(not report.waiting for report in (sync_now(a), sync_now(b)))


def test_a_recovery_from_damaged_data_keeps_the_numbering_too(open_laptops):
    a, b = open_laptops(timedelta(0), timedelta(minutes=5))
    backup = _published_after_a_backup(a, b)
    create_family(b, FamilyDraft(name="From B"))
    folder, clock = a.data_dir, a.clock
    a.close()
    (folder / "peer-support.sqlite3").write_bytes(bytes(range(256)) * 64)  # the disk damaged it

    assert recover_folder(folder, clock=clock).restored == backup
    a = open_context(folder, clock)
    try:
        create_family(a, FamilyDraft(name="After The Restore"))
        for laptop in (a, b, a, b):
            sync_now(laptop)
        assert _names(b) == EVERYONE and _names(a) == EVERYONE
    finally:
        a.close()


def test_restoring_twice_before_syncing(open_laptops):
    a, b = open_laptops(timedelta(0), timedelta(minutes=5))
    backup = _published_after_a_backup(a, b)
    create_family(b, FamilyDraft(name="From B"))
    restore_backup(a, backup)
    later = back_up_now(a).path  # a backup of the restored data, taken before any sync
    restore_backup(a, later)
    create_family(a, FamilyDraft(name="After The Restore"))
    for laptop in (a, b, a, b):
        sync_now(laptop)
    assert _names(b) == EVERYONE and _names(a) == EVERYONE


def test_a_laptop_that_never_synced_restores_as_before(context):
    create_family(context, FamilyDraft(name="Kept"))
    backup = back_up_now(context).path
    create_family(context, FamilyDraft(name="Dropped By The Restore"))
    restore_backup(context, backup)
    create_family(context, FamilyDraft(name="After"))
    assert _names(context) == ["After", "Kept"]


def test_an_edit_after_a_restore_is_later_than_every_edit_sent_before_it(open_laptops):
    """The restored clock would stamp the new edit before the one it replaces (this laptop's clock
    had moved ahead after a laptop whose clock runs hours fast): the newer edit must win."""
    a, b = open_laptops(timedelta(0), timedelta(hours=9))
    reference = create_family(a, FamilyDraft(name="Clock Family", phone="07700 900001")).reference
    backup = back_up_now(a).path
    create_family(b, FamilyDraft(name="From The Future"))
    sync_now(b)
    sync_now(a)  # a's clock moves up to b's, nine hours ahead of a's wall clock
    _set_phone(a, reference, "07700 900002")
    sync_now(a)

    restore_backup(a, backup)
    _set_phone(a, reference, "07700 900003")  # the edit that replaces the one sent before
    for laptop in (a, b, a, b):
        sync_now(laptop)

    assert get_family(a, reference).phone == get_family(b, reference).phone == "07700 900003"


def test_an_edit_after_a_recovery_is_later_than_every_edit_sent_before_it(open_laptops):
    """The same when the database was damaged: the clock it had is read from local.json."""
    a, b = open_laptops(timedelta(0), timedelta(hours=9))
    reference = create_family(a, FamilyDraft(name="Clock Family", phone="07700 900001")).reference
    auto_backup(a, force=True)
    create_family(b, FamilyDraft(name="From The Future"))
    sync_now(b)
    sync_now(a)  # a's clock moves up to b's, nine hours ahead of a's wall clock
    _set_phone(a, reference, "07700 900002")
    sync_now(a)
    folder, clock = a.data_dir, a.clock
    a.close()
    (folder / "peer-support.sqlite3").write_bytes(bytes(range(256)) * 64)  # the disk damaged it

    recover_folder(folder, clock=clock)
    a = open_context(folder, clock)
    try:
        _set_phone(a, reference, "07700 900003")
        for laptop in (a, b, a, b):
            sync_now(laptop)
        assert get_family(a, reference).phone == get_family(b, reference).phone == "07700 900003"
    finally:
        a.close()


def _set_phone(context, reference: str, phone: str) -> None:
    update_family(context, reference, dataclasses.replace(get_family(context, reference).draft(), phone=phone))
