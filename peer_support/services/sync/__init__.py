"""Several laptops, no server: exchange and merge changes through a shared folder.

The folder (a USB stick, or one kept in step by Syncthing, OneDrive, Dropbox
or a network share) holds only journal files, snapshots and small status
files, never the live database. Each laptop writes only below
``journal/<its device id>/``. ``sync_now`` applies the other laptops' new
files (apply.py, merge.py), then writes this laptop's new changes
(journal.py), writes again any of its own files that are damaged or missing
in the folder (self-healing: it keeps the list of the files it published),
publishes what it has applied, and compacts journal files that held erased
personal data once every laptop has them (compact.py). One sync runs at a
time per laptop (guard.py).
"""

from __future__ import annotations

import json
import os
import platform
from datetime import datetime, timedelta
from pathlib import Path

from peer_support.context import AppContext
from peer_support.domain.sync import (GROUP_FILE, JOURNAL_DIR, ClockWarning, FileProblem, PeerStatus, SyncReport,
                                      SyncStatus)
from peer_support.errors import StorageError, ValidationError
from peer_support.i18n import _
from peer_support.progress import NullProgress, Progress
from peer_support.services.sync import crypto
from peer_support.services.sync.apply import pending_files, receive
from peer_support.services.sync.conflicts import count_open_conflicts, list_conflicts, resolve_conflict
from peer_support.services.sync.guard import SyncBusy, one_sync_at_a_time
from peer_support.services.sync.journal import (STATUS_FILE, DamagedFile, device_dirs, laptop_names,
                                                last_written_seq, list_journal, read_journal, write_atomically, write_journal, write_range)
from peer_support.services.sync.state import (CLOCKS_AHEAD, FOLDER, GROUP_INFO, KEY, LAST_SYNC, PROBLEMS, PUBLISHED,
                                              VERIFIED, applied_vector, get_json, get_time, get_value,
                                              own_last_seq, set_value)
from peer_support.storage.hlc import format_stamp
from peer_support.storage.kinds import kinds_of
from peer_support.storage.tables.core import DeviceState


QUIT_WAIT_SECONDS = 20.0  # at quit, a background sync gets this long to finish first

__all__ = ["SyncBusy", "configured_folder", "laptop_names", "list_conflicts", "resolve_conflict", "set_passphrase",
           "set_sync_folder", "send_now", "snapshot_now", "sync_now", "sync_status"]


def configured_folder(context: AppContext) -> Path | None:
    with context.db.read() as session:
        value = get_value(session, FOLDER)
    return Path(value) if value else None


def _check_folder(context: AppContext, folder: Path) -> Path:
    folder = folder.expanduser()
    try:
        resolved, data = folder.resolve(), context.data_dir.resolve()
    except OSError as exc:
        raise StorageError(_("The sync folder %(folder)s cannot be reached: %(reason)s")
                           % {"folder": folder, "reason": exc}) from exc
    if resolved == data or data in resolved.parents or resolved in data.parents:
        raise ValidationError(_("The sync folder must be separate from the data folder: a live "
                                "database inside a synced folder gets damaged."), field="folder")
    if not folder.is_dir():
        raise StorageError(_("The sync folder %(folder)s cannot be reached. Is the USB stick plugged "
                             "in, or the shared folder available?") % {"folder": folder})
    return folder


def set_sync_folder(context: AppContext, folder: str | Path) -> Path:
    """Choose the shared folder (created if its parent exists). Raises ValidationError, StorageError."""
    path = Path(folder).expanduser()
    if not str(folder).strip():
        raise ValidationError(_("Choose a folder."), field="folder")
    try:
        if not path.exists() and path.parent.is_dir():
            path.mkdir()
    except OSError as exc:
        raise StorageError(_("The sync folder could not be created: %(reason)s") % {"reason": exc}) from exc
    path = _check_folder(context, path)
    with context.db.transaction(_("Choose the sync folder")) as uow:
        set_value(uow.session, FOLDER, str(path.resolve()))
    return path


def set_passphrase(context: AppContext, passphrase: str) -> None:
    """Encrypt this group's sync files with ``passphrase`` (the same on every laptop).

    The first laptop to set it creates the folder's key file; the others must
    give the same passphrase. Raises ValidationError, StorageError. Commits.
    """
    folder = configured_folder(context)
    if folder is None:
        raise ValidationError(_("Choose the sync folder first."), field="folder")
    folder = _check_folder(context, folder)
    key = crypto.group_key(folder, passphrase)
    with context.db.transaction(_("Set the sync passphrase")) as uow:
        set_value(uow.session, KEY, key.hex())
        set_value(uow.session, GROUP_INFO, (folder / GROUP_FILE).read_text("utf-8"))


def _group_key(context: AppContext, folder: Path) -> bytes | None:
    """This laptop's group key; refuses to mix plain and encrypted files in one folder."""
    with context.db.read() as session:
        key, group_info = get_value(session, KEY), get_value(session, GROUP_INFO)
    if key and not crypto.folder_is_encrypted(folder):
        write_atomically(folder / GROUP_FILE, group_info.encode("utf-8"))  # a new stick for the same group
    if crypto.folder_is_encrypted(folder):
        if not key:
            raise ValidationError(_("This sync folder is encrypted. Enter the group's passphrase in "
                                    "Sync settings first."), field="passphrase")
        if json.loads((folder / GROUP_FILE).read_text("utf-8")) != json.loads(group_info or "{}"):
            raise ValidationError(_("This sync folder belongs to a group with another passphrase. "
                                    "Enter that group's passphrase in Sync settings."), field="passphrase")
    return bytes.fromhex(key) if key else None


def _publish_state(context: AppContext, folder: Path) -> None:
    """What this laptop has applied, for the others' status and compaction."""
    with context.db.read() as session:
        state = {"device_id": context.local.device_id, "applied": applied_vector(session),
                 "written_seq": last_written_seq(folder, context.local.device_id),
                 "name": platform.node()[:40], "at": context.clock.now().isoformat()}
    write_atomically(folder / JOURNAL_DIR / context.local.device_id / STATUS_FILE,
                     json.dumps(state, indent=1, sort_keys=True).encode("utf-8"))


def _remember_published(context: AppContext, published: list) -> None:
    """Keep the last published number and the clock in local.json too: a recovery from a damaged
    database still knows which numbers the other laptops have applied and which stamps they hold
    (services/sync/restored.py)."""
    last = max((last for _first, last in published), default=0)
    if last <= context.local.published_seq:
        return
    with context.db.read() as session:
        state = session.get(DeviceState, context.local.device_id)
        if state is not None:
            context.local.published_stamp = format_stamp(state.hlc_millis, state.hlc_counter, state.device_id)
    context.local.published_seq = last
    context.local.save(context.data_dir)


def _file_stamp(path: Path) -> list[int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def publish_own(context: AppContext, folder: Path, key: bytes | None) -> tuple[int, int, int]:
    """Write this laptop's new changes, and again any file it published that is damaged or
    missing in the folder. Returns (changes sent, files written, files written again)."""
    own = context.local.device_id
    own_dir = folder / JOURNAL_DIR / own
    refs = {(r.first_seq, r.last_seq): r for r in list_journal(own_dir)}
    with context.db.read() as session:
        published = [tuple(r) for r in get_json(session, PUBLISHED, None) or []]
        known = get_value(session, PUBLISHED) != ""
        verified_all = get_json(session, VERIFIED, {})
    verified = verified_all.get(str(folder.resolve()), {}) if isinstance(verified_all, dict) else {}
    if not known:  # first sync of this version: adopt the files already in the folder that read well
        for (first, last), found in sorted(refs.items()):
            try:
                read_journal(found, key)
            except DamagedFile:
                continue
            if first != (published[-1][1] + 1 if published else 1):
                break
            published.append((first, last))
    healed = 0
    with context.db.read() as session:
        for first, last in published:
            name = f"{first:012d}-{last:012d}.psj"
            ref = refs.get((first, last))
            if ref is not None and verified.get(name) == _file_stamp(ref.path):
                continue
            if ref is not None:
                try:
                    read_journal(ref, key)
                    verified[name] = _file_stamp(ref.path)
                    continue
                except DamagedFile:
                    pass
            if write_range(session, folder, own, first, last, key):
                healed += 1
                verified[name] = _file_stamp(own_dir / name)
        start = max((last for _first, last in published), default=0)
        sent, ranges = write_journal(session, folder, own, key, start)
    for first, last in ranges:
        name = f"{first:012d}-{last:012d}.psj"
        verified[name] = _file_stamp(own_dir / name)
    published.extend(ranges)
    _remember_published(context, published)
    with context.db.transaction(_("Sync")) as uow:
        set_value(uow.session, PUBLISHED, json.dumps(published))
        verified_all = verified_all if isinstance(verified_all, dict) else {}
        verified_all[str(folder.resolve())] = {k: v for k, v in verified.items() if v is not None}
        set_value(uow.session, VERIFIED, json.dumps(verified_all, sort_keys=True))
    return sent, len(ranges), healed


def sync_now(context: AppContext, folder: str | Path | None = None,
             progress: Progress | None = None) -> SyncReport:
    """Apply the other laptops' new files, then write this laptop's new changes.

    Each received file is applied in its own transaction (commits). Damaged
    files and gaps are reported in the result, not raised. Raises
    ValidationError (no folder, passphrase needed), StorageError (folder
    unreachable or not writable), Cancelled.
    """
    progress = progress or NullProgress()
    if folder is None:
        folder = configured_folder(context)
        if folder is None:
            raise ValidationError(_("Choose a sync folder first (Settings, Sync)."), field="folder")
    with one_sync_at_a_time(context.data_dir):
        return _sync(context, Path(folder), progress)


def _sync(context: AppContext, folder: Path, progress: Progress) -> SyncReport:
    from peer_support.services.privacy import remember_erasures
    from peer_support.services.sync.compact import compact_journal

    folder = _check_folder(context, folder)
    key = _group_key(context, folder)
    received = receive(context, folder, key, progress)
    if received.files_applied:
        remember_erasures(context)  # received ones too: a restore must not bring them back
    try:
        sent, files, healed = publish_own(context, folder, key)
        _publish_state(context, folder)
        compact_journal(context, folder, key)
    except OSError as exc:
        raise StorageError(_("This laptop's changes could not be written to the sync folder: %(reason)s")
                           % {"reason": exc.strerror or exc}) from exc
    problems = received.problems + received.waiting
    with context.db.transaction(_("Sync")) as uow:
        set_value(uow.session, LAST_SYNC, uow.now.isoformat())
        set_value(uow.session, PROBLEMS, json.dumps([[p.device_id, p.file_name, p.message, p.kind]
                                                     for p in problems]))
    return SyncReport(sent_changes=sent, files_written=files, files_applied=received.files_applied,
                      changes_applied=received.changes_applied, new_conflicts=received.new_conflicts,
                      problems=tuple(received.problems), waiting=tuple(received.waiting),
                      kinds=frozenset(kinds_of(received.entities)), files_rewritten=healed)


def send_now(context: AppContext, wait_seconds: float = QUIT_WAIT_SECONDS) -> int:
    """Only write this laptop's new changes (at quit: quick, applies nothing).

    Waits up to ``wait_seconds`` for a sync already running. Returns the
    number of changes written; 0 when no folder is chosen or it cannot be
    reached. Raises nothing but ValidationError for a passphrase.
    """
    folder = configured_folder(context)
    if folder is None or not folder.is_dir():
        return 0
    try:
        with one_sync_at_a_time(context.data_dir, wait_seconds):
            folder = _check_folder(context, folder)
            key = _group_key(context, folder)
            sent, _files, _healed = publish_own(context, folder, key)
            _publish_state(context, folder)
    except (OSError, StorageError, SyncBusy):
        return 0
    return sent


def snapshot_now(context: AppContext) -> Path:
    """Write this laptop's snapshot into the sync folder, for new laptops to join from.

    Raises ValidationError (no folder), StorageError (folder unreachable). Commits bookkeeping only.
    """
    from peer_support.services.sync.snapshot import write_snapshot

    folder = configured_folder(context)
    if folder is None:
        raise ValidationError(_("Choose a sync folder first (Settings, Sync)."), field="folder")
    folder = _check_folder(context, folder)
    key = _group_key(context, folder)
    try:
        with one_sync_at_a_time(context.data_dir, wait_seconds=5.0):
            return write_snapshot(context, folder, key)
    except OSError as exc:
        raise StorageError(_("The snapshot could not be written to the sync folder: %(reason)s")
                           % {"reason": exc.strerror or exc}) from exc


def sync_status(context: AppContext) -> SyncStatus:
    """Where sync stands; reads the folder when it is reachable. Changes nothing."""
    with context.db.read() as session:
        folder_text = get_value(session, FOLDER)
        last_sync: datetime | None = get_time(session, LAST_SYNC)
        open_conflicts = count_open_conflicts(session)
        own_seq = own_last_seq(session, context.local.device_id)
        applied = applied_vector(session)
        encrypted = bool(get_value(session, KEY))
        problems = tuple(FileProblem(*p) for p in get_json(session, PROBLEMS, []))
        ahead = get_json(session, CLOCKS_AHEAD, {})
    folder = Path(folder_text) if folder_text else None
    reachable = bool(folder and folder.is_dir() and os.access(folder, os.W_OK))
    names = laptop_names(folder) if reachable else {}
    unsent, waiting, peers = own_seq, 0, []
    if folder is not None and reachable:
        unsent = max(0, own_seq - last_written_seq(folder, context.local.device_id))
        refused = {(p.device_id, p.file_name) for p in problems if p.kind == "foreign"}
        waiting = len([r for r in pending_files(context, folder) if (r.device_id, r.path.name) not in refused])
        for device_dir in device_dirs(folder):
            if device_dir.name != context.local.device_id:
                available = max((r.last_seq for r in list_journal(device_dir)
                                 if (r.device_id, r.path.name) not in refused), default=0)
                peers.append(PeerStatus(device_dir.name, applied.get(device_dir.name, 0), available,
                                        None, names.get(device_dir.name, "")))
    clocks = tuple(ClockWarning(device, names.get(device, ""), timedelta(milliseconds=int(millis)))
                   for device, millis in sorted(ahead.items()))
    return SyncStatus(folder=folder_text, folder_reachable=reachable, last_sync_at=last_sync,
                      unsent_changes=unsent, files_waiting=waiting, open_conflicts=open_conflicts,
                      encrypted=encrypted, peers=tuple(peers), problems=problems, clocks_ahead=clocks)
