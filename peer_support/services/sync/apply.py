"""Receiving: apply the other laptops' journal files, in sequence order, each exactly once.

One transaction per file: the file's changes, its entries in this laptop's
change log (for history and undo), the ledger row and the new position are
committed together, so a sync killed half-way leaves that file wholly
unapplied and the next run starts with it again. A gap in a laptop's
numbering is reported and waited for, never skipped; a damaged file is
reported, nothing of it is applied, and the other laptops' files go on.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from peer_support.context import AppContext
from peer_support.domain.sync import FileProblem
from peer_support.i18n import _
from peer_support.progress import Progress, check_cancelled
from peer_support.services.sync.journal import (DamagedFile, JournalFile, JournalRef, device_dirs,
                                                list_journal, read_journal)
from peer_support.services.sync.merge import Merger, UnknownTable
from peer_support.services.sync.rules import run_rules
from peer_support.services.sync.state import applied_vector, own_last_seq
from peer_support.storage.hlc import HybridClock
from peer_support.storage.tables.core import Action, ChangeLog, DeviceState
from peer_support.storage.tables.sync import SyncAppliedFile, SyncPeer
from peer_support.storage.types import from_json_value


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


def receive(context: AppContext, folder: Path, key: bytes | None, progress: Progress) -> ReceiveResult:
    result = ReceiveResult()
    own = context.local.device_id
    todo = pending_files(context, folder)
    done = 0
    for device_dir in device_dirs(folder):
        with context.db.read() as session:
            if device_dir.name == own:
                # Our own files beyond our database: it was restored from an older backup.
                # Their changes come back, and new changes get numbers never used before.
                applied = own_last_seq(session, own)
            else:
                peer = session.get(SyncPeer, device_dir.name)
                applied = peer.applied_seq if peer else 0
        for ref in list_journal(device_dir):
            if ref.last_seq <= applied:
                continue
            check_cancelled(progress)
            progress.step(done, len(todo), _("Applying changes from other laptops…"))
            if ref.first_seq > applied + 1:
                result.waiting.append(FileProblem(ref.device_id, ref.path.name, _(
                    "Waiting for changes %(first)d to %(last)d from laptop %(device)s: that file has "
                    "not reached the sync folder yet.") % {"first": applied + 1, "last": ref.first_seq - 1,
                                                           "device": ref.device_id[:8]}))
                break
            try:
                journal = read_journal(ref, key)
                merger = apply_file(context, journal, applied)
            except DamagedFile as exc:
                result.problems.append(FileProblem(ref.device_id, ref.path.name, _(
                    "The sync file %(file)s from laptop %(device)s was not applied: %(reason)s.")
                    % {"file": ref.path.name, "device": ref.device_id[:8], "reason": exc.message}))
                break
            except UnknownTable:
                result.problems.append(FileProblem(ref.device_id, ref.path.name, _(
                    "The sync file %(file)s from laptop %(device)s was made by a newer version of Peer "
                    "Support. Update this laptop to receive it.") % {"file": ref.path.name,
                                                                     "device": ref.device_id[:8]}))
                break
            result.files_applied += 1
            result.changes_applied += ref.last_seq - max(applied, ref.first_seq - 1)
            result.new_conflicts += merger.new_conflicts
            result.entities.update(merger.touched)
            applied = ref.last_seq
            done += 1
    progress.step(len(todo), len(todo), _("Applying changes from other laptops…"))
    return result


def _observe(session, device_id: str, stamps: list[str], now: datetime) -> None:
    """Move this laptop's clock past every received stamp, so later local edits sort later."""
    state = session.get(DeviceState, device_id)
    if state is None:
        state = DeviceState(device_id=device_id)
        session.add(state)
    clock = HybridClock(state.hlc_millis, state.hlc_counter)
    clock.observe(max(stamps), int(now.timestamp() * 1000))
    state.hlc_millis, state.hlc_counter = clock.millis, clock.counter
    session.flush()


def apply_file(context: AppContext, journal: JournalFile, applied: int) -> Merger:
    """Apply the changes of ``journal`` numbered after ``applied``, in one transaction."""
    own = context.local.device_id
    entries = [c for c in journal.changes if c["seq"] > applied]
    with context.db.transaction(_("Changes from another laptop")) as uow:
        uow.logging = False
        session = uow.session
        # Within the file rows may refer to each other in any order; checked at commit.
        session.execute(text("PRAGMA defer_foreign_keys = ON"))
        if entries:
            _observe(session, own, [c["hlc"] for c in entries], uow.now)
        merger = Merger(uow, own, uow.now)
        merger.catch_up_local()
        merger.prefetch(entries)
        for entry in entries:
            entry["device_id"] = journal.device_id
            merger.knowledge.record(journal.device_id, entry["seq"], entry["seen"])
            merger.apply(entry)
        session.flush()
        run_rules(merger)
        session.flush()
        merger.flush_clocks()
        merger.save_aliases()
        _record_history(session, journal, entries)
        if journal.device_id == own:
            state = session.get(DeviceState, own)
            state.last_seq = max(state.last_seq, journal.last_seq)
            session.add(state)
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
    return merger


def _record_history(session, journal: JournalFile, entries: list[dict]) -> None:
    """The received changes into this laptop's change log and actions (audit trail, undo)."""
    if not entries:
        return
    actions = [{"id": action_id, "description": a.get("description", ""), "actor": a.get("actor", ""),
                "device_id": a.get("device_id", journal.device_id),
                "at": from_json_value(datetime, a.get("at")), "undoes": a.get("undoes")}
               for action_id, a in journal.actions.items()]
    if actions:
        session.execute(sqlite_insert(Action.__table__).on_conflict_do_nothing(), actions)
    rows = [{"change_id": c["change_id"], "device_id": journal.device_id, "seq": c["seq"], "hlc": c["hlc"],
             "action_id": c["action_id"], "entity": c["entity"], "entity_id": c["entity_id"], "op": c["op"],
             "changes": json.dumps(c["changes"], ensure_ascii=False, sort_keys=True),
             "actor": c.get("actor", ""), "at": from_json_value(datetime, c["at"]),
             "schema_rev": c.get("schema_rev", "")} for c in entries]
    session.execute(sqlite_insert(ChangeLog.__table__).on_conflict_do_nothing(), rows)

