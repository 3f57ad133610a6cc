"""After an erasure: no copy of the family's data may stay in the sync folder.

An erasure reaches the other laptops as a normal change (a ``delete`` in the
change log, which merge.py applies everywhere). Once every laptop has applied
this laptop's files up to a point, the files up to there that mention an
erased record are rewritten without its data: its changes become
``redacted`` entries (their numbers stay, so nobody sees a gap) and the
descriptions of the actions that touched it are blanked. Only this laptop's
own files are rewritten, by this laptop, so there is still only one writer
per file. Snapshots written before the erasure are replaced.
"""

from __future__ import annotations

import json
from pathlib import Path

from sqlmodel import select

from peer_support.context import AppContext
from peer_support.domain.sync import JOURNAL_DIR
from peer_support.i18n import _
from peer_support.services.sync.journal import (DamagedFile, encode, list_journal, read_journal,
                                                write_atomically)
from peer_support.services.sync.state import get_value, set_value
from peer_support.storage.tables.core import ChangeLog

COMPACTED = "compacted"  # JSON {"erasures": count considered, "upto": own seq checked}


def erased_ids(context: AppContext) -> set[str]:
    with context.db.read() as session:
        return set(session.exec(select(ChangeLog.entity_id).where(ChangeLog.op == "delete")).all())


def applied_by_everyone(folder: Path, own: str, written: int) -> int:
    """The highest own sequence number every other laptop has applied (by their state files)."""
    from peer_support.services.sync import peer_states

    states = peer_states(folder, own)
    return min((int(s.get("applied", {}).get(own, 0)) for s in states.values()), default=written)


def redact(payload: dict, erased: set[str]) -> bool:
    """Blank what ``payload`` holds about ``erased`` records; True if anything changed."""
    changed = False
    touched_actions = set()
    for change in payload["changes"]:
        if change["entity_id"] in erased and change["op"] not in ("delete", "redacted"):
            change.update(op="redacted", changes={}, actor="")
            touched_actions.add(change["action_id"])
            changed = True
    for action_id in touched_actions:
        action = payload.get("actions", {}).get(action_id)
        if action is not None:
            action["description"] = ""
    return changed


def compact_journal(context: AppContext, folder: Path, key: bytes | None) -> int:
    """Rewrite own files everyone has applied that still hold erased data; returns how many."""
    own = context.local.device_id
    erased = erased_ids(context)
    if not erased:
        return 0
    with context.db.read() as session:
        marker = json.loads(get_value(session, COMPACTED, "{}") or "{}")
    refs = list_journal(folder / JOURNAL_DIR / own)
    written = max((r.last_seq for r in refs), default=0)
    upto = applied_by_everyone(folder, own, written)
    start = marker.get("upto", 0) if marker.get("erasures") == len(erased) else 0
    rewritten = 0
    for ref in refs:
        if ref.last_seq <= start or ref.last_seq > upto:
            continue
        try:
            journal = read_journal(ref, key)
        except DamagedFile:
            continue  # our own file damaged: left for a person to look at, never silently replaced
        payload = {"device_id": own, "schema_rev": journal.schema_rev, "changes": journal.changes,
                   "actions": journal.actions}
        if redact(payload, erased):
            write_atomically(ref.path, encode(payload, own, ref.first_seq, ref.last_seq, key))
            rewritten += 1
    checked = max([start] + [r.last_seq for r in refs if r.last_seq <= upto])
    with context.db.transaction(_("Compact sync files")) as uow:
        set_value(uow.session, COMPACTED, json.dumps({"erasures": len(erased), "upto": checked}))
    return rewritten
