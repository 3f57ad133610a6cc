"""After an erasure: no copy of the family's data may stay in the sync folder.

The erasure itself (services/privacy.py) blanks the family's rows, which sync
as normal changes, and blanks this laptop's change log. The journal files
already in the folder still hold the old values, so once every laptop has
applied them, this laptop rewrites its own files from its (now blanked)
change log: same numbers and stamps, the values gone. Only this laptop's own
files are rewritten, by this laptop, so there is still one writer per file.
Receiving laptops blank their copies through the ``erasure`` merge rule below.

Compaction runs when the number of erasures changed, and then for
files the other laptops have since applied.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlmodel import Session, select

from peer_support.context import AppContext
from peer_support.domain.sync import JOURNAL_DIR
from peer_support.i18n import _
from peer_support.services.sync.journal import (DamagedFile, action_entry, change_entry, encode, list_journal, peer_states,
                                                read_journal, write_atomically)
from peer_support.services.sync.state import get_value, set_value
from peer_support.storage.tables.core import Action, ChangeLog

COMPACTED = "compacted"  # JSON {"erased": count of erased families, "upto": own seq checked}


def erased_family_count(session: Session) -> int:
    """How many erasures this laptop knows of (families and volunteers)."""
    from peer_support.services.privacy import erasure_count

    return erasure_count(session)


def applied_by_everyone(folder: Path, own: str, written: int) -> int:
    """The highest own sequence number every other laptop has applied (from their state files)."""
    states = peer_states(folder, own)
    return min((int(s.get("applied", {}).get(own, 0)) for s in states.values()), default=written)


def _regenerated(session: Session, own: str, journal) -> dict | None:
    """The file's payload rebuilt from the change log, or None when nothing differs."""
    rows = {c.seq: c for c in session.exec(select(ChangeLog).where(
        ChangeLog.device_id == own, ChangeLog.seq >= journal.first_seq, ChangeLog.seq <= journal.last_seq))}
    changed = False
    changes = []
    for entry in journal.changes:
        row = rows.get(entry["seq"])
        fresh = change_entry(row, entry["seen"]) if row is not None else entry
        changed |= fresh != entry
        changes.append(fresh)
    actions = {}
    for action_id, old in journal.actions.items():
        action = session.get(Action, action_id)
        actions[action_id] = action_entry(action) if action is not None else old
        changed |= actions[action_id] != old
    if not changed:
        return None
    return {"device_id": own, "schema_rev": journal.schema_rev, "changes": changes, "actions": actions}


def compact_journal(context: AppContext, folder: Path, key: bytes | None) -> int:
    """Rewrite own files everyone has applied that still hold erased data; returns how many."""
    own = context.local.device_id
    with context.db.read() as session:
        erased = erased_family_count(session)
        marker = json.loads(get_value(session, COMPACTED, "{}") or "{}")
    if not erased:
        return 0
    refs = list_journal(folder / JOURNAL_DIR / own)
    written = max((r.last_seq for r in refs), default=0)
    upto = applied_by_everyone(folder, own, written)
    start = marker.get("upto", 0) if marker.get("erased") == erased else 0
    if start >= upto:
        return 0
    rewritten = 0
    with context.db.read() as session:
        for ref in refs:
            if ref.last_seq <= start or ref.last_seq > upto:
                continue
            try:
                journal = read_journal(ref, key)
            except DamagedFile:
                continue  # our own file damaged: left for a person to look at, never silently replaced
            payload = _regenerated(session, own, journal)
            if payload is not None:
                write_atomically(ref.path, encode(payload, own, ref.first_seq, ref.last_seq, key))
                rewritten += 1
    checked = max([start] + [r.last_seq for r in refs if r.last_seq <= upto])
    with context.db.transaction(_("Compact sync files")) as uow:
        set_value(uow.session, COMPACTED, json.dumps({"erased": erased, "upto": checked}))
    if rewritten:
        from peer_support.services.sync.snapshot import replace_own_snapshots

        replace_own_snapshots(context, folder, key)
    return rewritten


def erased_family_rule(merger, table: str, ids: set[str]) -> None:
    """Merge rule for ``erasure``: an erasure from another laptop also blanks this laptop's
    copies of the erased rows' history and drops the conflicts that held their values."""
    from peer_support.services.privacy import apply_received_erasures

    apply_received_erasures(merger.session, ids)
