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
