"""A restore cannot make things worse: the file is checked whole before anything is replaced,
--newest picks the newest valid copy, and lost data on a used laptop is damage, not a fresh start."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from peer_support.cli import main
from peer_support.clock import FixedClock
from peer_support.context import open_context
from peer_support.domain.families import FamilyDraft
from peer_support.errors import StorageError, ValidationError
from peer_support.services.backups import auto_backup, back_up_now, preview_backup, recover_folder, restore_backup
from peer_support.services.families import create_family, search_families
from peer_support.storage import backups as store
from peer_support.storage import migrate
from peer_support.storage.recovery import DamagedDatabaseError, newest_good_backup, validate_backup

DB = "peer-support.sqlite3"


def _sqlite(path: Path, *statements: str) -> Path:
    # Raw SQL on purpose: these files are hostile or broken, which no service could make.
    connection = sqlite3.connect(path)
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()
    return path


def _without_table(source: Path, target: Path, table: str) -> Path:
    shutil.copy(source, target)
    return _sqlite(target, "PRAGMA foreign_keys = OFF", f'DROP TABLE "{table}"')


def _bad_files(folder: Path, good: Path) -> dict[str, Path]:
    """Files that are not this app's database, each the way they turn up on a USB stick."""
    folder.mkdir(exist_ok=True)
    zero = folder / "zero.sqlite3"
    zero.write_bytes(b"")
    text = folder / "notes.sqlite3"
    text.write_text("shopping list", encoding="utf-8")
    truncated = folder / "cut.sqlite3"
    truncated.write_bytes(good.read_bytes()[:8192])
    return {
        "zero bytes": zero,
        "text": text,
        "cut short": truncated,
        "empty sqlite": _sqlite(folder / "empty.sqlite3", "CREATE TABLE t(x)", "DROP TABLE t"),
        "only alembic_version": _sqlite(folder / "alembic.sqlite3",
                                        "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)",
                                        "INSERT INTO alembic_version VALUES ('0002_families')"),
        "no revision": _sqlite(folder / "norev.sqlite3",
                               "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)"),
        "another program": _sqlite(folder / "other.sqlite3", "CREATE TABLE songs (title TEXT)"),
        "newer version": _sqlite(shutil.copy(good, folder / "newer.sqlite3"),
                                 "UPDATE alembic_version SET version_num = '9999_future' "
                                 "WHERE rowid = (SELECT min(rowid) FROM alembic_version)"),
        "a table missing": _without_table(good, folder / "nofamily.sqlite3", "family"),
    }


@pytest.fixture
def good_backup(context) -> Path:
    create_family(context, FamilyDraft(name="In The Backup"))
    return back_up_now(context).path


def test_a_good_backup_is_valid(context, good_backup):
    assert validate_backup(good_backup, None, migrate.known_revisions()) is None


def test_every_file_that_is_not_our_database_is_refused_and_nothing_changes(context, good_backup, tmp_path):
    create_family(context, FamilyDraft(name="Current Data"))
    before = sorted(f.name for f in search_families(context))
    backups_before = sorted(p.name for p in context.backups_dir.iterdir())
    for kind, path in _bad_files(tmp_path / "usb", good_backup).items():
        problem = validate_backup(path, None, migrate.known_revisions())
        assert problem is not None, kind
        assert not preview_backup(context, path).restorable, kind
        with pytest.raises(StorageError, match="Nothing was changed") as caught:
            restore_backup(context, path)
        assert caught.value.exit_code == 6 and "\n" not in caught.value.message, kind
        assert sorted(f.name for f in search_families(context)) == before, kind
        # Refused before anything was done: not even a safety copy was needed.
        assert sorted(p.name for p in context.backups_dir.iterdir()) == backups_before, kind


def test_a_missing_backup_file_is_invalid_input(context, tmp_path):
    with pytest.raises(ValidationError, match="no file") as caught:
        restore_backup(context, tmp_path / "nowhere.sqlite3")
    assert caught.value.exit_code == 3


def test_the_current_data_is_copied_aside_before_a_restore(context, good_backup):
    create_family(context, FamilyDraft(name="Current Data"))
    result = restore_backup(context, good_backup)
    assert result.safety_copy.name.startswith(store.BEFORE_RESTORE_PREFIX)
    assert validate_backup(result.safety_copy, None, migrate.known_revisions()) is None
    assert [f.name for f in search_families(context)] == ["In The Backup"]


def test_newest_picks_the_newest_valid_copy_before_restore_copies_included(context, good_backup, tmp_path):
    now = context.clock.now()
    backups = context.backups_dir
    # A good safety copy taken before a restore, an hour after the good backup...
    safety = backups / store.backup_name(store.BEFORE_RESTORE_PREFIX, now + timedelta(hours=1))
    shutil.copy(good_backup, safety)
    # ...and newer copies that are broken in every way a before-upgrade or automatic copy can be.
    bad = _bad_files(tmp_path / "bad", good_backup)
    for hours, kind in enumerate(["only alembic_version", "zero bytes", "empty sqlite", "a table missing"], 2):
        prefix = "before-upgrade-" if hours % 2 else store.AUTO_PREFIX
        shutil.copy(bad[kind], backups / store.backup_name(prefix, now + timedelta(hours=hours)))
    assert newest_good_backup(backups, None, migrate.known_revisions()) == safety


def test_restore_newest_on_the_command_line_skips_broken_copies(capsys, sample_dir, tmp_path):
    folder = str(sample_dir)
    assert main(["--data-dir", folder, "backup"]) == 0
    capsys.readouterr()
    good = next((sample_dir / "backups").glob("peer-support-*.sqlite3"))
    _sqlite(sample_dir / "backups" / "before-upgrade-29990101T000000Z.sqlite3",
            "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)",
            "INSERT INTO alembic_version VALUES ('0002_families')")
    assert main(["--data-dir", folder, "restore", "--newest"]) == 0
    out = capsys.readouterr().out
    assert f"Restored {good.name}" in out and "530" in out


@pytest.mark.parametrize("kind", ["empty sqlite", "only alembic_version", "zero bytes"])
def test_restore_of_a_bad_file_on_the_command_line_is_one_line_exit_6(capsys, sample_dir, tmp_path, kind):
    folder = str(sample_dir)
    assert main(["--data-dir", folder, "backup"]) == 0
    capsys.readouterr()
    path = _bad_files(tmp_path / "usb", next((sample_dir / "backups").glob("*.sqlite3")))[kind]
    code = main(["--data-dir", folder, "restore", str(path)])
    err = capsys.readouterr().err
    assert code == 6 and len(err.strip().splitlines()) == 1 and "Nothing was changed" in err
    assert main(["--data-dir", folder, "check"]) == 0
    assert main(["--data-dir", folder, "families", "list", "--search", "a"]) == 0


# -- 4. damage, not a fresh start -------------------------------------------------------------
def _used_laptop(data_dir: Path, clock, with_backup: bool) -> None:
    context = open_context(data_dir, clock)
    create_family(context, FamilyDraft(name="Had Data"))
    if with_backup:
        auto_backup(context, force=True)
    context.close()


@pytest.mark.parametrize("loss", ["zero bytes", "missing"])
@pytest.mark.parametrize("with_backup", [True, False])
def test_lost_data_on_a_used_laptop_is_damage_not_a_fresh_start(data_dir, clock, loss, with_backup):
    _used_laptop(data_dir, clock, with_backup)
    database = data_dir / DB
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    if loss == "zero bytes":
        database.write_bytes(b"")
    with pytest.raises(DamagedDatabaseError) as caught:
        open_context(data_dir, clock)
    message = caught.value.message
    assert "\n" not in message and ("restore --newest" in message) == with_backup
    assert (database.exists() and database.stat().st_size == 0) if loss == "zero bytes" else not database.exists()
    if with_backup:
        result = recover_folder(data_dir, clock=clock)
        if loss == "zero bytes":
            assert result.safety_copy.parent.name == "damaged" and result.safety_copy.stat().st_size == 0
        context = open_context(data_dir, clock)
        try:
            assert [f.name for f in search_families(context)] == ["Had Data"]
        finally:
            context.close()


def test_a_new_laptop_still_starts_with_a_new_database(tmp_path, clock):
    context = open_context(tmp_path / "new", clock)
    context.close()
    assert (tmp_path / "new" / DB).stat().st_size > 0


@pytest.mark.parametrize("loss", ["zero bytes", "missing"])
def test_the_command_line_says_so_in_one_line_and_restore_newest_fixes_it(capsys, data_dir, clock, loss):
    _used_laptop(data_dir, clock, with_backup=True)
    database = data_dir / DB
    database.unlink()
    if loss == "zero bytes":
        database.write_bytes(b"")
    code = main(["--data-dir", str(data_dir), "info"])
    err = capsys.readouterr().err
    assert code == 6 and len(err.strip().splitlines()) == 1 and "restore --newest" in err
    assert main(["--data-dir", str(data_dir), "restore", "--newest"]) == 0
    assert "Had Data" in (capsys.readouterr(), main(["--data-dir", str(data_dir), "families", "list"]),
                          capsys.readouterr().out)[2]


def test_sync_state_alone_is_history(tmp_path, clock):
    folder = tmp_path / "synced"
    folder.mkdir()
    (folder / ".sync.lock").write_text("", encoding="utf-8")
    with pytest.raises(DamagedDatabaseError):
        open_context(folder, FixedClock(clock.now()))


# -- readable with the current key, and no library noise ----------------------------------------
PASSPHRASE = "seaside-lanterns-42"


def _encrypted_backup(folder: Path, clock, passphrase: str) -> Path:
    from peer_support.services.encryption import enable_encryption

    context = open_context(folder, clock)
    try:
        create_family(context, FamilyDraft(name=f"Encrypted {passphrase[:4]}"))
        enable_encryption(context, passphrase, passphrase)
        return back_up_now(context).path
    finally:
        context.close()


def test_a_backup_under_another_passphrase_is_refused_and_skipped_by_newest(tmp_path, clock, monkeypatch):
    monkeypatch.delenv("PEER_SUPPORT_PASSPHRASE", raising=False)
    foreign = _encrypted_backup(tmp_path / "other-laptop", clock, "another-group-passphrase")
    ours = tmp_path / "ours"
    own_backup = _encrypted_backup(ours, clock, PASSPHRASE)
    context = open_context(ours, clock, passphrase=PASSPHRASE)
    try:
        assert validate_backup(foreign, PASSPHRASE, migrate.known_revisions()).kind == "wrong-key"
        with pytest.raises(StorageError, match="Nothing was changed"):
            restore_backup(context, foreign)
        shutil.copy(foreign, context.backups_dir / store.backup_name(store.AUTO_PREFIX,
                                                                      clock.now() + timedelta(days=1)))
        assert newest_good_backup(context.backups_dir, PASSPHRASE, migrate.known_revisions()) == own_backup
        assert [f.name for f in search_families(context)] == ["Encrypted seas"]
    finally:
        context.close()


def test_a_wrong_passphrase_is_our_one_line_without_sqlcipher_noise(tmp_path, clock):
    import os
    import subprocess
    import sys

    import peer_support

    _encrypted_backup(tmp_path / "data", clock, PASSPHRASE)
    environment = {**os.environ, "PYTHONPATH": str(Path(peer_support.__file__).parent.parent),
                   "PEER_SUPPORT_PASSPHRASE": "not-the-passphrase"}
    for argv in (["info"], ["restore", "--newest"], ["families", "list"]):
        done = subprocess.run([sys.executable, "-m", "peer_support", "--data-dir", str(tmp_path / "data"),
                               "--lang", "en", *argv], capture_output=True, text=True, env=environment,
                              timeout=120)
        assert done.returncode == 6, done.stderr
        assert done.stderr == "peer-support: The passphrase is not right for this data.\n", argv
