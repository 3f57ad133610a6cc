"""An erasure is final: restoring or recovering a backup taken before it never brings the data back."""

from __future__ import annotations

from datetime import timedelta

from peer_support.cli import main
from peer_support.context import open_context
from peer_support.domain.families import FamilyDraft
from peer_support.services.backups import auto_backup, back_up_now, recover_folder, restore_backup
from peer_support.services.families import create_family, get_family, search_families
from peer_support.services.families_volunteers import list_volunteers
from peer_support.services.privacy import erase_family
from peer_support.services.sync import sync_now
from peer_support.storage.erasure_ledger import LEDGER_FILE

PERSON = "Lisa Baker"  # F0001's parent, also volunteer V001
PHONE = "07484 184287"  # F0001's phone
ADDRESS = "171 Sweyn Road"  # F0001's address


def _database_bytes(folder) -> bytes:
    return b"".join(p.read_bytes() for p in folder.glob("peer-support.sqlite3*"))


def _is_erased(context, reference: str = "F0001") -> bool:
    family = get_family(context, reference)
    return (family.name, family.phone, family.address, family.archived) == ("", "", "", True)


def test_restoring_a_backup_from_before_an_erasure_erases_again(sample_context, sample_dir):
    context = sample_context
    others = {f.reference: f.name for f in search_families(context) if f.reference != "F0001"}
    backup = back_up_now(context).path
    erase_family(context, "F0001", also_volunteer=True)

    result = restore_backup(context, backup)

    assert result.erasures_reapplied == ("F0001", "V001")
    assert _is_erased(context)
    assert [v.name for v in list_volunteers(context, include_inactive=True) if v.reference == "V001"] == ["[erased]"]
    for value in (PERSON, PHONE, ADDRESS):
        assert value.encode() not in _database_bytes(sample_dir), value  # nor in free pages or the log
    assert {f.reference: f.name for f in search_families(context) if f.reference != "F0001"} == others
    assert PERSON.encode() in backup.read_bytes()  # the backup itself is as it was taken


def test_a_backup_taken_after_the_erasure_needs_nothing_again(sample_context):
    context = sample_context
    erase_family(context, "F0001")
    backup = back_up_now(context).path
    create_family(context, FamilyDraft(name="After The Backup"))

    result = restore_backup(context, backup)

    assert result.erasures_reapplied == ()
    assert _is_erased(context)
    assert "After The Backup" not in [f.name for f in search_families(context)]


def test_recovering_damaged_data_from_an_older_backup_erases_again(sample_dir, clock):
    context = open_context(sample_dir, clock)
    backup = auto_backup(context, force=True).path
    erase_family(context, "F0001")
    context.close()
    (sample_dir / "peer-support.sqlite3").write_bytes(bytes(range(256)) * 64)  # the disk damaged it

    result = recover_folder(sample_dir, clock=clock)

    assert result.restored == backup and result.erasures_reapplied == ("F0001",)
    context = open_context(sample_dir, clock)
    try:
        assert _is_erased(context)
    finally:
        context.close()
    for value in (PHONE, ADDRESS):  # the family's own (its parent's volunteer record was not erased)
        assert value.encode() not in _database_bytes(sample_dir), value


def test_an_erasure_received_by_sync_is_not_undone_by_a_restore(open_laptops):
    a, b = open_laptops(timedelta(0), timedelta(minutes=5))
    reference = create_family(a, FamilyDraft(name="Agnieszka Wiśniewska", phone="07700 900123")).reference
    sync_now(a)
    sync_now(b)
    backup = back_up_now(b).path
    erase_family(a, reference)
    sync_now(a)
    sync_now(b)
    assert _is_erased(b, reference)
    assert f'"reference": "{reference}"' in (b.data_dir / LEDGER_FILE).read_text(encoding="utf-8")

    assert restore_backup(b, backup).erasures_reapplied == (reference,)
    assert _is_erased(b, reference)
    assert "Wiśniewska".encode() not in _database_bytes(b.data_dir)


def test_an_unreadable_list_still_erases_again_from_the_database(sample_context, sample_dir):
    context = sample_context
    backup = back_up_now(context).path
    erase_family(context, "F0001")
    (sample_dir / LEDGER_FILE).write_text("{not json", encoding="utf-8")

    assert restore_backup(context, backup).erasures_reapplied == ("F0001",)
    assert _is_erased(context)
    assert '"reference": "F0001"' in (sample_dir / LEDGER_FILE).read_text(encoding="utf-8")  # written again


def test_the_list_of_erasures_beside_the_database_holds_no_personal_data(sample_context, sample_dir):
    erase_family(sample_context, "F0001", also_volunteer=True)
    listed = (sample_dir / LEDGER_FILE).read_text(encoding="utf-8")
    assert '"reference": "F0001"' in listed and '"reference": "V001"' in listed
    for value in (PERSON, PHONE, "Baker", ADDRESS):
        assert value not in listed


def test_restoring_twice_erases_again_once_each_time(sample_context):
    context = sample_context
    backup = back_up_now(context).path
    erase_family(context, "F0001")
    assert restore_backup(context, backup).erasures_reapplied == ("F0001",)
    assert restore_backup(context, backup).erasures_reapplied == ("F0001",)
    assert _is_erased(context)


def test_the_command_line_restore_says_what_it_erased_again(capsys, sample_dir):
    folder = str(sample_dir)
    assert main(["--data-dir", folder, "backup"]) == 0
    backup = next((sample_dir / "backups").glob("peer-support-*.sqlite3"))
    assert main(["--data-dir", folder, "erase", "F0001", "--yes"]) == 0
    capsys.readouterr()
    assert main(["--data-dir", folder, "restore", str(backup)]) == 0
    out = capsys.readouterr().out
    assert f"Restored {backup.name}" in out
    assert "Erased again, because they were erased after this backup was taken: F0001." in out
