"""After a restore: this laptop's next changes never reuse a number the other laptops have applied.

A backup holds the database as it was, its own sequence counter included. The
changes this laptop made and published after the backup are already in the sync
folder and applied by the other laptops, under numbers the restored counter would
hand out again: those new changes would then be skipped everywhere as applied.
Its clock goes back too, so its new changes would be stamped earlier than
changes it already sent and lose to them. So after a restore or a recovery the
clock stays where it was and the counter moves on to the last number this
laptop published (both read from the database it replaces, and from
``local.json`` when that database is damaged), and the published changes the
backup lacks become a replay range: the next sync takes them back from this
laptop's own files (services/sync/apply.py), so every laptop again holds the
same data.
"""

from __future__ import annotations

import json

from peer_support.context import AppContext
from peer_support.i18n import _
from peer_support.services.sync.state import OWN_REPLAY, own_replay, published_high, set_value
from peer_support.storage.hlc import parse_stamp
from peer_support.storage.tables.core import DeviceState


def state_before_restore(context: AppContext) -> tuple[int, tuple[int, int]]:
    """Read before a restore replaces the database: the last number this laptop published and
    its clock (millis, counter)."""
    with context.db.read() as session:
        _last, clock = _numbering(session, context.local.device_id)
        return max(published_high(session), context.local.published_seq), max(clock, published_clock(context))


def _numbering(session, device_id: str) -> tuple[int, tuple[int, int]]:
    """This laptop's last sequence number and clock (millis, counter) in the database."""
    state = session.get(DeviceState, device_id)
    return (state.last_seq, (state.hlc_millis, state.hlc_counter)) if state is not None else (0, (0, 0))


def published_clock(context: AppContext) -> tuple[int, int]:
    """This laptop's clock when it last wrote to the sync folder, as kept in local.json."""
    try:
        millis, counter, _device = parse_stamp(context.local.published_stamp)
    except (ValueError, AttributeError):  # none yet, or unreadable
        return 0, 0
    return millis, counter


def continue_numbering(context: AppContext, published: int, clock: tuple[int, int]) -> None:
    """On the restored database: number new changes after ``published``, stamp them after
    ``clock`` (the stamps this laptop already gave, which the others hold), and mark what to take back."""
    own = context.local.device_id
    with context.db.read() as session:
        restored, restored_clock = _numbering(session, own)
        replay = own_replay(session)
    if published <= restored and clock <= restored_clock:
        return
    with context.db.transaction(_("Restore")) as uow:  # bookkeeping only: nothing is logged
        state = uow.session.get(DeviceState, own) or DeviceState(device_id=own)
        state.hlc_millis, state.hlc_counter = max(clock, restored_clock)
        if published > restored:
            state.last_seq = published
            first = min(restored + 1, replay[0]) if replay else restored + 1
            set_value(uow.session, OWN_REPLAY, json.dumps([first, published]))
        uow.session.add(state)
