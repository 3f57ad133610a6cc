"""Joining the group: a new laptop starts from a consistent snapshot plus the journals after it.

Any member writes ``snapshots/<device-id>.pssnap``: a consistent copy of its
database made with SQLite's backup API (storage/backups.py), gzip'd and, with
a passphrase, encrypted, behind the same kind of checked header as journal
files. A new laptop with no data of its own takes the newest snapshot as its
database, keeps its own identity (local.json), records how far the snapshot
had applied every laptop's journal, and then syncs normally.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
from pathlib import Path

from sqlmodel import col, select

from peer_support.clock import Clock
from peer_support.context import AppContext, open_context
from peer_support.domain.sync import GROUP_FILE, SNAPSHOT_DIR
from peer_support.errors import ConflictError, NotFoundError, StorageError
from peer_support.i18n import _
from peer_support.services.sync import crypto
from peer_support.services.sync.journal import DamagedFile, ForeignFile, not_from_group, write_atomically
from peer_support.services.sync.merge import Merger
from peer_support.services.sync.state import (CAUGHT_UP, CLOCKS_AHEAD, FOLDER, GROUP_INFO, KEY, LAST_SYNC, PROBLEMS,
                                              PUBLISHED, VERIFIED, Knowledge, MAX_AHEAD_MILLIS, applied_vector,
                                              own_last_seq, set_value)
from peer_support.storage import encryption
from peer_support.storage.backups import copy_database
from peer_support.storage.db import DATABASE_FILE
from peer_support.storage.hlc import HybridClock
from peer_support.storage.tables.core import ChangeLog, DeviceState
from peer_support.storage.tables.sync import SyncPeer

SUFFIX = ".pssnap"
FORMAT = 2  # 2: bound to the laptop that wrote it
READABLE_FORMATS = (1, 2)


def _associated_data(device_id: str) -> str:
    return f"peer-support snapshot v2/{device_id}"


def write_snapshot(context: AppContext, folder: Path, key: bytes | None) -> Path:
    """Write this laptop's snapshot into the folder (replacing its previous one)."""
    own = context.local.device_id
    with context.db.transaction(_("Prepare a sync snapshot")) as uow:
        uow.logging = False
        merger = Merger(uow, own, uow.now)
        merger.catch_up_local()  # the snapshot's field clocks cover all our own changes
        merger.flush_clocks()
        seq = own_last_seq(uow.session, own)
        applied = applied_vector(uow.session)
    # The scratch copy stays in the data folder (as protected as the data), never in /tmp.
    database_key = getattr(context.db, "key", None)
    with tempfile.TemporaryDirectory(dir=context.data_dir) as scratch:
        copy = copy_database(context.database_path, Path(scratch) / "snapshot.sqlite3", database_key)
        if database_key:  # this laptop's at-rest key is its own; the group key protects the snapshot
            encryption.convert_file(copy, database_key, None)
        body = gzip.compress(copy.read_bytes(), mtime=0)
    name = f"{own}{SUFFIX}"
    header = {"format": FORMAT, "device_id": own, "seq": seq, "applied": applied,
              "created_at": context.clock.now().isoformat(), "schema_rev": context.db.schema_rev,
              "encryption": None}
    if key is not None:
        body, nonce = crypto.encrypt(key, body, _associated_data(own))
        header.update(encryption="aes-256-gcm", nonce=nonce, format=FORMAT)
    header.update(sha256=hashlib.sha256(body).hexdigest(), length=len(body))
    path = folder / SNAPSHOT_DIR / name
    write_atomically(path, json.dumps(header, sort_keys=True).encode("ascii") + b"\n" + body)
    return path


def replace_own_snapshots(context: AppContext, folder: Path, key: bytes | None) -> None:
    """After an erasure: the old snapshot still holds the data, so write a fresh one over it."""
    if (folder / SNAPSHOT_DIR / f"{context.local.device_id}{SUFFIX}").exists():
        write_snapshot(context, folder, key)


def read_snapshot(path: Path, key: bytes | None) -> tuple[dict, bytes]:
    """(header, database bytes). Raises DamagedFile."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DamagedFile(_("it cannot be read: %(reason)s") % {"reason": exc.strerror or exc}) from exc
    line, _newline, body = data.partition(b"\n")
    try:
        header = json.loads(line.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        raise DamagedFile(_("it is not a Peer Support snapshot")) from None
    if not isinstance(header, dict) or header.get("format") not in READABLE_FORMATS \
            or len(body) != header.get("length") or hashlib.sha256(body).hexdigest() != header.get("sha256"):
        raise DamagedFile(_("it is incomplete or damaged (its checksum does not match)"))
    if key is not None and not header.get("encryption"):
        raise ForeignFile(not_from_group())
    if header.get("encryption"):
        if key is None:
            raise DamagedFile(_("it is encrypted; give the group's passphrase"))
        device = path.name[:-len(SUFFIX)]
        label = _associated_data(device) if header.get("format") == 2 else path.name
        try:
            body = crypto.decrypt(key, body, str(header.get("nonce", "")), label)
        except crypto.DecryptError:
            raise ForeignFile(not_from_group()) from None
        if header.get("device_id") != device:
            raise ForeignFile(not_from_group())
    try:
        return header, gzip.decompress(body)
    except (OSError, EOFError):
        raise DamagedFile(_("its content is damaged")) from None


def newest_snapshot(folder: Path) -> Path | None:
    found = []
    for path in (folder / SNAPSHOT_DIR).glob(f"*{SUFFIX}") if (folder / SNAPSHOT_DIR).is_dir() else ():
        try:
            with path.open("rb") as handle:
                header = json.loads(handle.readline().decode("ascii"))
            found.append((header.get("created_at", ""), path))
        except (OSError, ValueError, UnicodeDecodeError):
            continue
    return max(found)[1] if found else None


def join_group(data_dir: Path, folder: Path, passphrase: str = "", clock: Clock | None = None,
               database_passphrase: str | None = None) -> AppContext:
    """Make this laptop a member: its database becomes the newest snapshot in ``folder``.

    Only for a laptop with no changes of its own yet (else its data would be
    lost). Returns an opened context (the caller syncs and closes it).
    Raises NotFoundError (no snapshot), ConflictError (this laptop has data),
    ValidationError (passphrase), StorageError (damaged snapshot, folder).
    """
    folder = Path(folder).expanduser()
    context = open_context(data_dir, clock, passphrase=database_passphrase)
    try:
        with context.db.read() as session:
            # Choosing "who is using" adds a user before anything else: that is not data to lose.
            has_data = session.exec(select(ChangeLog.change_id).where(ChangeLog.entity != "app_user")
                                    .limit(1)).first() is not None
        if has_data:
            raise ConflictError(_("This laptop already has data of its own. Joining a group replaces "
                                  "it, so it is only possible on a new installation."))
        key = crypto.group_key(folder, passphrase) if crypto.folder_is_encrypted(folder) else None
        path = newest_snapshot(folder)
        if path is None:
            raise NotFoundError(_("The sync folder has no snapshot yet. On a laptop that is already "
                                  "in the group, choose 'Write a snapshot' in Sync."))
        try:
            header, database = read_snapshot(path, key)
        except DamagedFile as exc:
            raise StorageError(_("The snapshot %(file)s cannot be used: %(reason)s.")
                               % {"file": path.name, "reason": exc.message}) from exc
        group_info = (folder / GROUP_FILE).read_text("utf-8") if key else ""
        database_key = getattr(context.db, "key", None)
    finally:
        context.close()
    target = context.data_dir / DATABASE_FILE
    partial = target.with_name(target.name + ".joining")
    partial.write_bytes(database)
    if database_key:  # this laptop encrypts its data at rest: the snapshot gets its key
        encryption.convert_file(partial, None, database_key)
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    os.replace(partial, target)
    context = open_context(data_dir, clock, passphrase=database_passphrase)
    _adopt(context, header, folder, key, group_info)
    return context


def _adopt(context: AppContext, header: dict, folder: Path, key: bytes | None, group_info: str) -> None:
    """The snapshot's laptop becomes a peer applied up to the snapshot; our own state starts fresh."""
    own = context.local.device_id
    with context.db.transaction(_("Join the group")) as uow:
        session = uow.session
        source = header["device_id"]
        peer = session.get(SyncPeer, source) or SyncPeer(device_id=source)
        peer.applied_seq = max(peer.applied_seq, int(header["seq"]))
        session.add(peer)
        set_value(session, CAUGHT_UP, "0")
        set_value(session, LAST_SYNC, "")
        set_value(session, FOLDER, str(folder.resolve()))
        set_value(session, KEY, key.hex() if key else "")
        set_value(session, GROUP_INFO, group_info)
        set_value(session, PROBLEMS, "[]")
        set_value(session, "compacted", "{}")
        set_value(session, PUBLISHED, "[]")  # the snapshot's laptop published those, not this one
        set_value(session, VERIFIED, "")
        set_value(session, CLOCKS_AHEAD, "")
        state = session.get(DeviceState, own) or DeviceState(device_id=own)
        stamps = session.exec(select(ChangeLog.hlc).order_by(col(ChangeLog.hlc).desc()).limit(1)).first()
        if stamps:
            clock = HybridClock(state.hlc_millis, state.hlc_counter)
            clock.observe(stamps, int(uow.now.timestamp() * 1000), max_ahead=MAX_AHEAD_MILLIS)
            state.hlc_millis, state.hlc_counter = clock.millis, clock.counter
        session.add(state)
        session.flush()
        Knowledge(session).record(own, own_last_seq(session, own) + 1, applied_vector(session))
