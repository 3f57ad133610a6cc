"""An erasure on one laptop of a group with the sample data: every laptop ends identical and clean."""

from __future__ import annotations

from sqlalchemy import text

from peer_support.clock import FixedClock
from peer_support.services.privacy import erase_family
from peer_support.services.sync import set_sync_folder, sync_now
from peer_support.services.sync.check import canonical_dump
from peer_support.services.sync.snapshot import join_group, write_snapshot

from tests.conftest import FIXED_NOW

PERSON = "Lisa Baker"


def _database_bytes(folder) -> bytes:
    return b"".join(p.read_bytes() for p in folder.glob("peer-support.sqlite3*"))


def _folder_bytes(folder) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


def test_a_second_laptop_receives_the_erasure_and_ends_identical(sample_context, tmp_path, empty_template):
    import shutil

    first = sample_context
    shared = tmp_path / "shared"
    shared.mkdir()
    set_sync_folder(first, shared)
    sync_now(first)
    write_snapshot(first, shared, None)
    second_dir = tmp_path / "second"
    shutil.copytree(empty_template, second_dir)
    (second_dir / "local.json").unlink(missing_ok=True)
    second = join_group(second_dir, shared, clock=FixedClock(FIXED_NOW))
    try:
        sync_now(second)
        assert PERSON.encode() in _database_bytes(second_dir)
        erase_family(first, "F0001", also_volunteer=True)
        for laptop in (first, second, first, second):
            sync_now(laptop)
        assert canonical_dump(first) == canonical_dump(second)
        with second.db.read() as session:
            history = "\n".join(str(r) for r in session.execute(text("SELECT changes FROM change_log")))
            actions = "\n".join(str(r) for r in session.execute(text("SELECT description FROM action")))
            erasures = session.execute(text("SELECT reference, subject FROM erasure ORDER BY subject")).all()
        assert PERSON not in history and PERSON not in actions
        assert [tuple(r) for r in erasures] == [("F0001", "family"), ("V001", "volunteer")]
        second.close()
        first.close()
        for folder in (sample_context.data_dir, second_dir):
            assert PERSON.encode() not in _database_bytes(folder), folder
        assert PERSON.encode() not in _folder_bytes(shared)  # journal files are encrypted or compacted
    finally:
        second.close()


def test_an_edit_made_before_the_erasure_arrived_never_brings_the_data_back(tmp_path, open_laptops):
    """Laptop C (clock 9 hours ahead: its stamps are later) edits a family before it has
    received laptop A's erasure of it; the files arrive in every order on A, B and C."""
    import dataclasses
    from datetime import timedelta

    from peer_support.domain.families import FamilyDraft
    from peer_support.services import families
    from peer_support.services.sync import list_conflicts
    from peer_support.services.sync.labels import conflict_summary, kind_label

    laptops = open_laptops(timedelta(0), timedelta(hours=-20), timedelta(hours=9))
    a, b, c = laptops
    try:
        reference = families.create_family(a, FamilyDraft(name=PERSON, phone="01843 111222",
                                                          notes="Prefers mornings")).reference
        for laptop in (a, b, c):
            sync_now(laptop)
        draft = families.get_family(c, reference).draft()
        families.update_family(c, reference, dataclasses.replace(
            draft, name="Lisa Baker-Okafor", phone="07700 900123", notes="New flat on Ramsgate Road"))
        sync_now(c)  # c's edit is in the folder; a and b have not seen it
        erase_family(a, reference)
        sync_now(a)  # a: the edit arrives after its own erasure
        sync_now(b)  # b: both arrive in one run
        sync_now(c)  # c: the erasure arrives after its own edit
        for laptop in (a, b, c, a, b, c):
            sync_now(laptop)
        dumps = [canonical_dump(laptop) for laptop in laptops]
        assert dumps[0] == dumps[1] == dumps[2]
        [row] = [r for r in dumps[0]["family"] if r["reference"] == reference]
        assert (row["name"], row["phone"], row["notes"]) == ("", "", "")
        for laptop in laptops:
            notices = [n for n in list_conflicts(laptop) if n.kind == "erased_edit"]
            assert len(notices) == 1, laptop.data_dir
            assert kind_label("erased_edit") == "Edit of erased data discarded"
            assert "was discarded" in conflict_summary(notices[0])
            assert "Name" in conflict_summary(notices[0]) and "Phone" in conflict_summary(notices[0])
    finally:
        for laptop in laptops:
            laptop.close()
    secrets = (PERSON, "Baker-Okafor", "07700 900123", "Ramsgate Road", "01843 111222")
    for number in range(3):
        content = _database_bytes(tmp_path / f"laptop{number}")
        assert not [s for s in secrets if s.encode() in content], number
    assert not [s for s in secrets if s.encode() in _folder_bytes(tmp_path / "shared")]
