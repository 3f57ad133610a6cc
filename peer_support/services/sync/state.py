"""This laptop's sync settings and markers, kept in ``sync_state`` (never synced)."""

from __future__ import annotations

import json
from datetime import datetime

from typing import Any

from sqlmodel import Session

from peer_support.storage.tables.base import table_of

from peer_support.storage.tables.core import DeviceState
from peer_support.storage.tables.sync import SyncKnowledge, SyncPeer, SyncState

FOLDER = "folder"
KEY = "key"  # the group key derived from the passphrase (hex), empty when not encrypted
LAST_SYNC = "last_sync_at"
CAUGHT_UP = "clocks_caught_up_seq"  # own change-log entries already in the field clocks
GROUP_INFO = "group_file"  # the folder's group.json, kept so a new folder gets the same key
PROBLEMS = "last_problems"  # JSON list of [device, file, message, kind] from the last sync
PUBLISHED = "published_ranges"  # JSON list of [first, last]: every journal file this laptop cut
VERIFIED = "verified_files"  # JSON {folder: {file name: [size, mtime]}}: own files checked good there
OWN_REPLAY = "own_replay"  # JSON [first, last]: own changes a restored backup lacks, to take back from own files
CLOCKS_AHEAD = "clocks_ahead"  # JSON {device: millis}: laptops whose stamps run more than a day ahead
MAX_AHEAD_MILLIS = 24 * 3600 * 1000  # a stamp further ahead of this laptop's clock is not adopted
_GET_VALUE = f'SELECT value FROM "{table_of(SyncState).name}" WHERE key = ?'


def get_value(session: Session, key: str, default: str = "") -> str:
    """The value kept under ``key`` (what the session holds is flushed first, so a ``set_value``
    of the same transaction is seen)."""
    for (value,) in plain_rows(session, _GET_VALUE, (key,)):
        return value
    return default


def set_value(session: Session, key: str, value: str) -> None:
    row = session.get(SyncState, key)
    if row is None:
        session.add(SyncState(key=key, value=value))
    else:
        row.value = value
        session.add(row)


def get_json(session: Session, key: str, default=None):
    """A JSON value kept under ``key``; ``default`` when absent or unreadable."""
    text = get_value(session, key)
    if not text:
        return default
    try:
        return json.loads(text)
    except ValueError:
        return default


def get_time(session: Session, key: str) -> datetime | None:
    value = get_value(session, key)
    return datetime.fromisoformat(value) if value else None


def own_last_seq(session: Session, device_id: str) -> int:
    state = session.get(DeviceState, device_id)
    return state.last_seq if state is not None else 0


def own_replay(session: Session) -> tuple[int, int] | None:
    """The range of this laptop's own published changes its (restored) database lacks, if any
    (services/sync/restored.py): the next sync takes them back from its own files."""
    value = get_json(session, OWN_REPLAY)
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value) \
            and 0 < value[0] <= value[1]:
        return value[0], value[1]
    return None


def published_high(session: Session) -> int:
    """The last sequence number of this laptop's changes in the sync folder, as far as its database knows."""
    return max((last for _first, last in get_json(session, PUBLISHED, None) or []), default=0)


def applied_vector(session: Session) -> dict[str, int]:
    """How far this laptop has applied each other laptop's journal."""
    return dict(plain_rows(session, f'SELECT device_id, applied_seq FROM "{table_of(SyncPeer).name}"'))


def plain_rows(session: Session, sql: str, params: tuple | list = ()) -> Any:
    """The rows of a plain SQL query on the session's connection, after a flush (so what the
    session holds is in them): sync's bookkeeping reads without the ORM's per-statement cost
    (each statement compiled once per engine, a millisecond or two, on every sync's first file)."""
    session.flush()
    driver = session.connection().connection.driver_connection
    assert driver is not None
    return driver.execute(sql, params)


def seen_now(session: Session, device_id: str) -> dict[str, int]:
    """Everything this laptop has seen: the others' applied changes and its own so far."""
    seen = applied_vector(session)
    seen[device_id] = own_last_seq(session, device_id)
    return seen


class Knowledge:
    """Looks up what a laptop had seen when it made change (device, seq); cached per run."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._cache: dict[str, list[tuple[int, dict[str, int]]]] = {}

    def segments(self, device_id: str) -> list[tuple[int, dict[str, int]]]:
        if device_id not in self._cache:
            rows = plain_rows(self._session, f'SELECT from_seq, seen FROM "{table_of(SyncKnowledge).name}" '
                              f"WHERE device_id = ? ORDER BY from_seq", (device_id,))
            self._cache[device_id] = [(from_seq, json.loads(seen)) for from_seq, seen in rows]
        return self._cache[device_id]

    def seen_by(self, device_id: str, seq: int) -> dict[str, int]:
        found: dict[str, int] = {}
        for from_seq, seen in self.segments(device_id):
            if from_seq > seq:
                break
            found = seen
        return found

    def record(self, device_id: str, from_seq: int, seen: dict[str, int]) -> None:
        """Changes of ``device_id`` from ``from_seq`` on were made having seen ``seen``."""
        segments = self.segments(device_id)
        if segments and segments[-1][1] == seen:
            return
        row = self._session.get(SyncKnowledge, (device_id, from_seq))
        if row is None:
            row = SyncKnowledge(device_id=device_id, from_seq=from_seq)
        row.seen = json.dumps(seen, sort_keys=True)
        self._session.add(row)
        segments[:] = [s for s in segments if s[0] < from_seq] + [(from_seq, seen)]
