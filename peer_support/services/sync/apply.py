"""Receiving: apply the other laptops' journal files, in sequence order, each exactly once.

One transaction per file: the file's changes, its entries in this laptop's
change log (for history and undo), the ledger row and the new position are
committed together, so a sync killed half-way leaves that file wholly
unapplied and the next run starts with it again. A gap in a laptop's
numbering is reported and waited for, never skipped; a damaged file is
reported, nothing of it is applied, and the other laptops' files go on.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import text

from peer_support.context import AppContext
from peer_support.domain.sync import FileProblem
from peer_support.i18n import _
from peer_support.progress import Progress, check_cancelled
from peer_support.domain.sync import laptop_label
from peer_support.services.sync.derived import recompute_derived
from peer_support.services.sync.journal import (DamagedFile, ForeignFile, JournalFile, JournalRef, device_dirs,
                                                laptop_names, list_journal, read_journal)
from peer_support.services.sync.merge import Merger, UnknownTable
from peer_support.services.sync.rules import run_rules
from peer_support.services.sync.state import (CLOCKS_AHEAD, MAX_AHEAD_MILLIS, OWN_REPLAY, PUBLISHED, applied_vector,
                                              get_json, own_last_seq, own_replay, set_value)
from peer_support.storage.family_search import driver_connection
from peer_support.storage.hlc import HybridClock, parse_stamp
from peer_support.storage.tables.core import DeviceState
from peer_support.storage.tables.sync import SyncAppliedFile, SyncPeer


FILE_CACHE_KIB = 16 * 1024  # the page cache while a file is applied (_page_cache)


@dataclass
class ReceiveResult:
    files_applied: int = 0
    changes_applied: int = 0
    new_conflicts: int = 0
    problems: list[FileProblem] = field(default_factory=list)
    waiting: list[FileProblem] = field(default_factory=list)
    entities: set[str] = field(default_factory=set)


def pending_files(context: AppContext, folder: Path) -> list[JournalRef]:
    """Files in the folder this laptop has not applied yet (not checked)."""
    with context.db.read() as session:
        applied = applied_vector(session)
    own = context.local.device_id
    return [ref for d in device_dirs(folder) if d.name != own
            for ref in list_journal(d) if ref.last_seq > applied.get(d.name, 0)]


def _problem(ref: JournalRef, names: dict[str, str], exc: DamagedFile) -> FileProblem:
    laptop = laptop_label(ref.device_id, names.get(ref.device_id, ""))
    if isinstance(exc, ForeignFile):
        return FileProblem(ref.device_id, ref.path.name, _(
            "The sync file %(file)s in the folder of laptop %(device)s was refused and not applied: "
            "%(reason)s.") % {"file": ref.path.name, "device": laptop, "reason": exc.message}, "foreign")
    return FileProblem(ref.device_id, ref.path.name, _(
        "The sync file %(file)s from laptop %(device)s was not applied: %(reason)s. That laptop writes "
        "it again at its next sync; its later changes wait until then.")
        % {"file": ref.path.name, "device": laptop, "reason": exc.message})


def receive(context: AppContext, folder: Path, key: bytes | None, progress: Progress) -> ReceiveResult:
    """Apply every new file of every other laptop, in order; report what cannot be applied."""
    result = ReceiveResult()
    own = context.local.device_id
    todo = pending_files(context, folder)
    names = laptop_names(folder)
    done = 0
    # Our own files first: after a restore they bring back what we had published, so the others'
    # new changes then meet the records they met everywhere else (a code taken twice is settled
    # the same way as on the other laptops).
    for device_dir in sorted(device_dirs(folder), key=lambda found: found.name != own):
        with context.db.read() as session:
            applied, until = _applied_until(session, own, device_dir.name)
        refused = False
        for ref in list_journal(device_dir):
            if ref.last_seq <= applied or (until is not None and ref.first_seq > until):
                continue
            check_cancelled(progress)
            progress.step(done, len(todo), _("Applying changes from other laptops…"))
            if ref.first_seq > applied + 1:
                if refused:
                    break  # already reported: the file before this one was refused
                try:
                    read_journal(ref, key)
                except DamagedFile as exc:
                    if device_dir.name != own:
                        result.problems.append(_problem(ref, names, exc))
                    continue
                result.waiting.append(FileProblem(ref.device_id, ref.path.name, _(
                    "Waiting for changes %(first)d to %(last)d from laptop %(device)s: that file has "
                    "not reached the sync folder yet.") % {"first": applied + 1, "last": ref.first_seq - 1,
                                                           "device": laptop_label(ref.device_id,
                                                                                  names.get(ref.device_id, ""))},
                    "waiting"))
                break
            try:
                with _collector_paused():
                    merger = apply_file(context, read_journal(ref, key))
                    if merger is not None:
                        result.files_applied += 1
                        result.changes_applied += merger.applied_changes
                        result.new_conflicts += merger.new_conflicts
                        result.entities.update(merger.touched)
                        merger.release()  # the file's rows go now, before the collector is back
                    del merger
            except DamagedFile as exc:
                # Nothing of it is applied; a later file covering the same numbers may still be good.
                if device_dir.name != own:
                    result.problems.append(_problem(ref, names, exc))
                refused = True
                continue
            except UnknownTable:
                result.problems.append(FileProblem(ref.device_id, ref.path.name, _(
                    "The sync file %(file)s from laptop %(device)s was made by a newer version of Peer "
                    "Support. Update this laptop to receive it.") % {
                        "file": ref.path.name, "device": laptop_label(ref.device_id, names.get(ref.device_id, ""))},
                    "newer"))
                break
            refused = False
            applied = max(applied, ref.last_seq)
            done += 1
    progress.step(len(todo), len(todo), _("Applying changes from other laptops…"))
    return result


@contextmanager
def _page_cache(session, kib: int) -> Iterator[None]:
    """SQLite's page cache at ``kib`` KiB on this connection while one file is applied, then as it was.

    A file of thousands of changes dirties more pages (rows, their indexes, the change log, the
    search index) than the default 2 MiB cache holds: SQLite then writes pages to the log before
    the commit and reads them back (measured: 20,000 page writes and 17,000 reads for 10,000 changes
    instead of 14,500 and 4,300). Set back before the commit, which only writes the pages out."""
    connection = driver_connection(session)
    before = connection.execute("PRAGMA cache_size").fetchone()[0]
    connection.execute(f"PRAGMA cache_size = -{kib}")
    try:
        yield
    finally:
        connection.execute(f"PRAGMA cache_size = {int(before)}")


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while one file is decoded and merged: its thousands of
    short-lived dicts and rows would otherwise set off a collection every few hundred of them,
    each walking the young generations (a sixth of a file's CPU time, measured); what the
    file left behind is collected by the next automatic collection after it."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _observe(session, own: str, device_id: str, stamps: list[str], now: datetime) -> None:
    """Move this laptop's clock past every received stamp, so later local edits sort later,
    but never more than a day ahead of this laptop's own clock: a laptop whose clock runs
    further ahead is named in the sync status instead."""
    state = session.get(DeviceState, own)
    if state is None:
        state = DeviceState(device_id=own)
        session.add(state)
    wall = int(now.timestamp() * 1000)
    newest = max(stamps)
    ahead = parse_stamp(newest)[0] - wall
    if device_id != own:
        clocks = get_json(session, CLOCKS_AHEAD, {})
        if ahead > MAX_AHEAD_MILLIS:
            clocks[device_id] = ahead
        else:
            clocks.pop(device_id, None)
        set_value(session, CLOCKS_AHEAD, json.dumps(clocks, sort_keys=True) if clocks else "")
    clock = HybridClock(state.hlc_millis, state.hlc_counter)
    clock.observe(newest, wall, max_ahead=MAX_AHEAD_MILLIS)
    state.hlc_millis, state.hlc_counter = clock.millis, clock.counter
    session.flush()


def _applied_until(session, own: str, device_id: str) -> tuple[int, int | None]:
    """How far this laptop has applied ``device_id``'s files, and the last number to apply from
    them (None: all). From our own files, only the published changes a restored backup lacks
    come back (services/sync/restored.py); without that mark (a database file put back by hand),
    those beyond the database's own numbering do."""
    if device_id != own:
        peer = session.get(SyncPeer, device_id)
        return (peer.applied_seq if peer is not None else 0), None
    replay = own_replay(session)
    if replay is None:
        return own_last_seq(session, own), None
    return replay[0] - 1, replay[1]


def apply_file(context: AppContext, journal: JournalFile) -> Merger | None:
    """Apply the changes of ``journal`` not applied yet, in one transaction.

    How far this laptop has applied the file's laptop is read and written in
    the same transaction (a writer's transaction: one at a time), so a file
    is applied exactly once whatever races. Returns None when nothing was left.
    """
    own = context.local.device_id
    with context.db.transaction(_("Changes from another laptop")) as uow:
        uow.logging = False
        session = uow.session
        applied, replay_until = _applied_until(session, own, journal.device_id)
        until = journal.last_seq if replay_until is None else replay_until
        if journal.last_seq <= applied or journal.first_seq > applied + 1 or journal.first_seq > until:
            return None
        entries = [c for c in journal.changes if applied < c["seq"] <= until]
        with _page_cache(session, FILE_CACHE_KIB):
            # Within the file rows may refer to each other in any order; checked at commit.
            session.execute(text("PRAGMA defer_foreign_keys = ON"))
            if entries:
                _observe(session, own, journal.device_id, [c["hlc"] for c in entries], uow.now)
            merger = Merger(uow, own, uow.now)
            merger.applied_changes = min(journal.last_seq, until) - applied
            merger.catch_up_local()
            merger.prefetch(entries)
            seen = None
            for entry in entries:
                entry["device_id"] = journal.device_id
                if entry["seen"] is not seen:  # read_journal gives a run of entries that saw the same one dict
                    seen = entry["seen"]
                    merger.knowledge.record(journal.device_id, entry["seq"], seen)
                merger.apply(entry)
            merger.flush_rows()
            session.flush()
            run_rules(merger)
            session.flush()
            merger.enforce_erasures(entries)
            session.flush()
            recompute_derived(merger)
            session.flush()
            merger.flush_clocks()
            merger.save_aliases()
            uow.record_received(journal.device_id, journal.actions, entries)
            if journal.device_id == own:
                state = session.get(DeviceState, own)
                assert state is not None  # _observe made it
                state.last_seq = max(state.last_seq, journal.last_seq)
                session.add(state)
                if replay_until is not None:  # taken back up to here
                    next_first = min(journal.last_seq, until) + 1
                    set_value(session, OWN_REPLAY, json.dumps([next_first, until]) if next_first <= until else "")
                published = [tuple(r) for r in get_json(session, PUBLISHED, [])]
                if (journal.first_seq, journal.last_seq) not in published:
                    published.append((journal.first_seq, journal.last_seq))
                    set_value(session, PUBLISHED, json.dumps(sorted(published)))
            else:
                peer = session.get(SyncPeer, journal.device_id) or SyncPeer(device_id=journal.device_id)
                peer.applied_seq, peer.applied_at = journal.last_seq, uow.now
                session.add(peer)
            local_seq = own_last_seq(session, own)
            session.add(SyncAppliedFile(device_id=journal.device_id, first_seq=journal.first_seq,
                                        last_seq=journal.last_seq, file_name=f"{journal.first_seq}-{journal.last_seq}",
                                        sha256=journal.sha256, applied_at=uow.now, local_seq=local_seq))
            session.flush()
            # Our own next changes are made having seen this file.
            merger.knowledge.record(own, local_seq + 1, applied_vector(session))
            uow.before_commit()  # the families' search rows now, while the larger cache holds the file's pages
    return merger
