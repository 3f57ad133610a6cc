"""After a restore: this laptop's next changes never reuse a number the other laptops have applied.

A backup holds the database as it was, its own sequence counter included. The
changes this laptop made and published after the backup are already in the sync
folder and applied by the other laptops, under numbers the restored counter would
hand out again: those new changes would then be skipped everywhere as applied.
So after a restore or a recovery the counter moves on to the last number this
laptop published (from the database it replaces, and from ``local.json`` when
that database is damaged), and the published changes the backup lacks become a
replay range: the next sync takes them back from this laptop's own files
(services/sync/apply.py), so every laptop again holds the same data.
"""

from __future__ import annotations

import json

from peer_support.context import AppContext
from peer_support.i18n import _
from peer_support.services.sync.state import OWN_REPLAY, own_last_seq, own_replay, published_high, set_value
from peer_support.storage.tables.core import DeviceState


def published_before_restore(context: AppContext) -> int:
    """The last number this laptop published, read before a restore replaces its database."""
    with context.db.read() as session:
        return max(published_high(session), context.local.published_seq)


def continue_numbering(context: AppContext, published: int) -> None:
    """On the restored database: number new changes after ``published`` and mark what to take back."""
    own = context.local.device_id
    with context.db.read() as session:
        restored = own_last_seq(session, own)
        replay = own_replay(session)
    if published <= restored:
        return
    with context.db.transaction(_("Restore")) as uow:  # bookkeeping only: nothing is logged
        state = uow.session.get(DeviceState, own) or DeviceState(device_id=own)
        state.last_seq = published
        uow.session.add(state)
        first = min(restored + 1, replay[0]) if replay else restored + 1
        set_value(uow.session, OWN_REPLAY, json.dumps([first, published]))
