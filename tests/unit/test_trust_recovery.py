"""Damaged data, backups and their rotation, restore, one writer, disk full, read-only."""

from __future__ import annotations

import sqlite3
import subprocess
import os
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event

from peer_support.clock import FixedClock
from peer_support.context import open_context
from peer_support.domain.families import FamilyDraft
from peer_support.errors import NotFoundError, StorageError
from peer_support.services.backups import (auto_backup, back_up_now, preview_backup,
                                           recover_folder, restore_backup)
from peer_support.services.families import create_family, get_family, search_families
from peer_support.storage import backups as store
from peer_support.storage.lock import FolderInUseError
from peer_support.storage.recovery import DamagedDatabaseError, diagnose

DB = "peer-support.sqlite3"
PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f"
       b"\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00"
       b"\x00\x00\x00IEND\xaeB`\x82")


ENV = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 100])


def _garbage(path: Path) -> None:
    path.write_bytes(bytes(range(256)) * 64)


def _zero(path: Path) -> None:
    path.write_bytes(b"")


def _png(path: Path) -> None:
    path.write_bytes(PNG)


def _newer(path: Path) -> None:
    # Raw SQL on purpose (as every DAMAGE writer): a file from a newer app, which no service makes.
    connection = sqlite3.connect(path)
    connection.execute("DELETE FROM alembic_version")
    connection.execute("INSERT INTO alembic_version VALUES ('9999_from_the_future')")
    connection.commit()
    connection.close()


def _scribbled(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data), 8192):  # every other page: b-tree pages become nonsense
        data[offset + 8: offset + 200] = b"\xff" * 192
    path.write_bytes(bytes(data))


def _foreign(path: Path) -> None:
    # Raw SQL on purpose: another program's database, not ours.
    path.unlink()
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    connection.commit()
    connection.close()


DAMAGE = {"truncated": _truncate, "garbage": _garbage, "zero-bytes": _zero, "png": _png,
          "newer-schema": _newer, "scribbled": _scribbled, "other-program": _foreign}


def _with_family_and_backup(data_dir, clock) -> Path:
    context = open_context(data_dir, clock)
    create_family(context, FamilyDraft(name="Kept Safely"))
    backup = auto_backup(context, force=True).path
    create_family(context, FamilyDraft(name="After The Backup"))
    context.close()
    for suffix in ("-wal", "-shm"):
        assert not (data_dir / f"{DB}{suffix}").exists() or suffix == "-shm"
    return backup


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_damaged_file_is_detected_kept_aside_and_newest_backup_restored(data_dir, clock, kind):
    backup = _with_family_and_backup(data_dir, clock)
    DAMAGE[kind](data_dir / DB)
    damaged_bytes = (data_dir / DB).read_bytes()
    with pytest.raises(DamagedDatabaseError) as caught:
        open_context(data_dir, clock)
    message = caught.value.message
    assert "restore" in message.lower() and "Traceback" not in message and "\n" not in message
    assert (data_dir / DB).read_bytes() == damaged_bytes  # nothing written to it

    result = recover_folder(data_dir, clock=clock)
    assert result.restored == backup
    kept = data_dir / "damaged" / result.safety_copy.name
    assert kept.read_bytes() == damaged_bytes
    context = open_context(data_dir, clock)
    try:
        names = [f.name for f in search_families(context)]
        assert names == ["Kept Safely"]
    finally:
        context.close()


def test_damaged_files_are_never_overwritten_by_a_second_recovery(data_dir, clock):
    _with_family_and_backup(data_dir, clock)
    _garbage(data_dir / DB)
    first = recover_folder(data_dir, clock=clock).safety_copy
    _png(data_dir / DB)
    second = recover_folder(data_dir, clock=clock).safety_copy
    assert first != second and first.read_bytes() != second.read_bytes()


def test_no_backup_means_a_clear_message_and_nothing_changes(data_dir, clock):
    _garbage(data_dir / DB)
    with pytest.raises(DamagedDatabaseError, match="No backup"):
        open_context(data_dir, clock)
    with pytest.raises(NotFoundError):
        recover_folder(data_dir, clock=clock)
    assert (data_dir / DB).read_bytes() == bytes(range(256)) * 64


def test_a_backup_is_found_by_what_a_start_asks(context, tmp_path):
    from peer_support.storage.recovery import backup_files, has_backups

    assert not has_backups(tmp_path / "no such folder")
    assert not has_backups(context.backups_dir) and backup_files(context.backups_dir) == []
    context.backups_dir.mkdir(exist_ok=True)
    (context.backups_dir / "notes.txt").write_text("not a backup", encoding="utf-8")
    (context.backups_dir / "folder.sqlite3").mkdir()  # a folder with a backup's name
    assert not has_backups(context.backups_dir)
    made = back_up_now(context).path
    assert has_backups(context.backups_dir)
    assert backup_files(context.backups_dir) == [made]


def test_a_healthy_database_has_no_diagnosis(data_dir):
    assert diagnose(data_dir / DB) is None
    assert diagnose(data_dir / "missing.sqlite3") is None


def test_restore_keeps_a_safety_copy_and_shows_a_preview(context, clock):
    create_family(context, FamilyDraft(name="First Family"))
    backup = back_up_now(context)
    create_family(context, FamilyDraft(name="Second Family"))
    preview = preview_backup(context, backup.path)
    assert preview.restorable and preview.row_counts["family"] == 1
    assert preview.last_change.startswith("Add family")
    result = restore_backup(context, backup.path)
    assert [f.name for f in search_families(context)] == ["First Family"]
    # The data as it was is in the safety copy, which can itself be restored.
    restore_backup(context, result.safety_copy)
    assert [f.name for f in search_families(context)] == ["First Family", "Second Family"]


def test_restoring_a_damaged_backup_changes_nothing(context, tmp_path):
    create_family(context, FamilyDraft(name="Stays"))
    bad = tmp_path / "bad.sqlite3"
    _png(bad)
    assert not preview_backup(context, bad).restorable
    with pytest.raises(StorageError, match="Nothing was changed"):
        restore_backup(context, bad)
    assert [f.name for f in search_families(context)] == ["Stays"]


def test_back_up_now_to_any_folder_and_refuses_a_file(context, tmp_path):
    with pytest.raises(StorageError, match="does not exist"):
        back_up_now(context, tmp_path / "usb-stick")  # not plugged in: never made on the laptop's disk
    assert not (tmp_path / "usb-stick").exists()
    (tmp_path / "usb-stick").mkdir()
    record = back_up_now(context, tmp_path / "usb-stick")
    assert record.path.parent == tmp_path / "usb-stick" and record.size_bytes > 0
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(StorageError, match="not a folder"):
        back_up_now(context, tmp_path / "a-file")
    with pytest.raises(StorageError, match="does not exist"):
        back_up_now(context, tmp_path / "a-file" / "under-a-file")


def test_automatic_backups_only_when_something_changed(context):
    assert auto_backup(context, force=True) is not None
    assert auto_backup(context) is None
    context.clock = FixedClock(context.clock.now() + timedelta(minutes=10))
    create_family(context, FamilyDraft(name="Changed"))
    assert auto_backup(context) is not None


def test_rotation_keeps_the_last_ten_and_one_a_day_for_thirty_days(tmp_path, clock):
    folder = tmp_path / "backups"
    folder.mkdir()
    now = clock.now()
    made = []
    for hours in range(0, 24 * 40, 6):  # four a day for forty days
        path = folder / store.backup_name(store.AUTO_PREFIX, now - timedelta(hours=hours))
        path.write_bytes(b"x")
        made.append(path)
    (folder / "before-upgrade-20200101T000000Z.sqlite3").write_bytes(b"x")
    recent = store.backup_name(store.BEFORE_RESTORE_PREFIX, now - timedelta(days=29))
    (folder / recent).write_bytes(b"x")
    store.rotate(folder, now)
    kept = {p.name for p in folder.iterdir()}
    assert {p.name for p in made[:10]} <= kept
    days = {store.recovery.stamp_of(folder / name).date() for name in kept if name.startswith("auto-")}
    assert len(days) == 31  # today and the thirty days before
    assert min(days) == (now - timedelta(days=30)).date()
    assert len(kept) == 10 + 31 - 3 + 1  # today's newest days overlap with the last ten
    assert "before-upgrade-20200101T000000Z.sqlite3" not in kept and recent in kept


def test_rotation_never_deletes_the_only_backup(tmp_path, clock):
    folder = tmp_path / "backups"
    folder.mkdir()
    old = folder / store.backup_name(store.MANUAL_PREFIX, clock.now() - timedelta(days=400))
    old.write_bytes(b"x")
    store.rotate(folder, clock.now())
    assert old.exists()


def test_disk_full_is_a_clear_message_and_saved_data_stays(context):
    saved = create_family(context, FamilyDraft(name="Saved Before"))
    engine = context.db.engine
    engine.dispose()

    @event.listens_for(engine, "connect")  # raw pragma on purpose: the disk "fills" after the saved data
    def _full(dbapi_connection, _record):
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    with pytest.raises(StorageError, match="disk is full"):
        for number in range(200):
            create_family(context, FamilyDraft(name=f"Filler {number}", notes="x" * 4000))
    event.remove(engine, "connect", _full)
    engine.dispose()
    assert get_family(context, saved.reference).name == "Saved Before"
    from peer_support.services.info import check_database
    assert check_database(context) == []


def test_read_only_database_is_a_clear_message(context):
    saved = create_family(context, FamilyDraft(name="Saved Before"))
    context.db.dispose()  # every connection, the plain-SQL one too
    path = context.database_path
    subprocess.run(["chattr", "+i", str(path)], check=True)  # stops even root from writing
    try:
        with pytest.raises(StorageError, match="cannot be written|busy|could not be saved"):
            create_family(context, FamilyDraft(name="Refused"))
    finally:
        context.db.dispose()
        subprocess.run(["chattr", "-i", str(path)], check=True)
    assert [f.name for f in search_families(context)] == [saved.name]


HOLDER = textwrap.dedent("""
    import sys
    from peer_support.context import open_context
    context = open_context(sys.argv[1])
    print("ready", flush=True)
    sys.stdin.readline()
    context.close()
""")


def test_a_second_program_on_the_same_folder_is_told_clearly(data_dir, clock):
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(data_dir)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=ENV)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(FolderInUseError, match="already open"):
            open_context(data_dir, clock)
        code = subprocess.run([sys.executable, "-m", "peer_support", "--data-dir", str(data_dir), "info"],
                              capture_output=True, text=True, timeout=120, env=ENV)
        assert code.returncode == 6 and "already open" in code.stderr
        assert len(code.stderr.strip().splitlines()) == 1
    finally:
        holder.communicate("\n", timeout=60)
    context = open_context(data_dir, clock)  # free again once the other one closed
    try:
        from peer_support.services.info import check_database
        assert check_database(context) == []
    finally:
        context.close()


def test_the_same_process_may_open_a_folder_twice(data_dir, clock):
    first = open_context(data_dir, clock)
    second = open_context(data_dir, clock)
    second.close()
    create_family(first, FamilyDraft(name="Still Writable"))
    first.close()


def test_a_read_only_data_folder_is_a_clear_message(data_dir, clock, tmp_path):
    context = open_context(data_dir, clock)
    saved = create_family(context, FamilyDraft(name="Saved Before"))
    usb = tmp_path / "usb"
    usb.mkdir()
    subprocess.run(["chattr", "+i", str(usb)], check=True)  # a write-protected stick, even for root
    try:
        with pytest.raises(StorageError, match="could not be written"):
            back_up_now(context, usb)
        assert list(usb.iterdir()) == []
    finally:
        subprocess.run(["chattr", "-i", str(usb)], check=True)
    context.close()
    subprocess.run(["chattr", "+i", str(data_dir)], check=True)
    try:
        with pytest.raises(StorageError, match="cannot be written to"):
            open_context(data_dir, clock)
    finally:
        subprocess.run(["chattr", "-i", str(data_dir)], check=True)
    context = open_context(data_dir, clock)
    assert get_family(context, saved.reference).name == "Saved Before"
    context.close()
