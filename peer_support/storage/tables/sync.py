"""Sync between laptops through a shared folder.

All of these are bookkeeping of *this* laptop (what it applied, which stamp
won each field, which conflicts it saw), so they are plain tables, not
``Entity`` rows, and are never sent to other laptops. The one exception is
``SyncResolution``: a lead's decision on a conflict, which every laptop needs.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from peer_support.storage.ownership import Follows
from peer_support.storage.tables.base import Entity
from peer_support.storage.types import UTCDateTime


class SyncState(SQLModel, table=True):
    """Small per-laptop sync settings and markers (folder, passphrase key, last sync)."""

    __tablename__ = "sync_state"

    key: str = Field(primary_key=True)
    value: str = Field(default="")


class SyncPeer(SQLModel, table=True):
    """Another laptop: how far along its journal this laptop has applied."""

    __tablename__ = "sync_peer"

    device_id: str = Field(primary_key=True, max_length=36)
    applied_seq: int = Field(default=0)
    applied_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SyncAppliedFile(SQLModel, table=True):
    """The ledger: one row per journal file applied, in the order applied.

    ``local_seq`` is this laptop's own last sequence number when the file was
    applied: own changes with a higher number were made after seeing it.
    """

    __tablename__ = "sync_applied_file"

    id: int | None = Field(default=None, primary_key=True)
    device_id: str = Field(max_length=36, index=True)
    first_seq: int
    last_seq: int
    file_name: str
    sha256: str
    applied_at: datetime = Field(sa_type=UTCDateTime)
    local_seq: int


class SyncKnowledge(SQLModel, table=True):
    """What a laptop had applied from the others when it made its changes.

    Changes of ``device_id`` from ``from_seq`` on (until the next row) were
    made having applied ``seen`` (JSON {device: seq}); this tells a
    concurrent edit from one made after seeing the other.
    """

    __tablename__ = "sync_knowledge"

    device_id: str = Field(primary_key=True, max_length=36)
    from_seq: int = Field(primary_key=True)
    seen: str = Field(default="{}")


# The ``field`` of a record's insert clock: the clock of each of its fields that has no row of its own
# (an insert that set every column writes this one row, not one per column). Migration 0034.
ROW_CLOCK = "__row__"


class SyncFieldClock(SQLModel, table=True):
    """The change that set the current value of one field (the last-writer-wins winner), or with
    ``field`` = ``ROW_CLOCK`` the insert that set every field without a row of its own."""

    __tablename__ = "sync_field_clock"

    entity: str = Field(primary_key=True)
    entity_id: str = Field(primary_key=True, max_length=36)
    field: str = Field(primary_key=True)
    hlc: str
    device_id: str = Field(max_length=36)
    seq: int


class SyncPending(SQLModel, table=True):
    """A received change that waits for a record it needs (created on a laptop not heard from yet)."""

    __tablename__ = "sync_pending"

    id: int | None = Field(default=None, primary_key=True)
    entity_id: str = Field(max_length=36, index=True)
    waits_for: str = Field(max_length=36, index=True)
    change: str  # the journal entry as JSON


class SyncConflict(SQLModel, table=True):
    """Two laptops changed the same thing since they last agreed.

    ``kind``: field (same field, different values), archive (edited here,
    archived there or the other way round), renumbered (a reference code was
    used twice), duplicate (the same delivery/attendance recorded twice),
    overspend (approvals together exceed a pot). Values are JSON text.
    """

    __tablename__ = "sync_conflict"

    id: str = Field(primary_key=True, max_length=36)
    kind: str = Field(default="field")
    entity: str
    entity_id: str = Field(max_length=36, index=True)
    field: str = Field(default="")
    base_value: str = Field(default="null")
    local_value: str = Field(default="null")
    remote_value: str = Field(default="null")
    local_hlc: str = Field(default="")
    remote_hlc: str = Field(default="")
    local_device: str = Field(default="")
    local_seq: int = Field(default=0)
    remote_device: str = Field(default="")
    remote_seq: int = Field(default=0)
    winner: str = Field(default="remote")  # which value the merge kept: local | remote
    note: str = Field(default="")
    detected_at: datetime = Field(sa_type=UTCDateTime)
    resolved: bool = Field(default=False, index=True)
    resolution: str = Field(default="")  # local | remote | value | note
    resolved_by: str = Field(default="")
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SyncResolution(Entity, table=True):
    """A lead's decision on a conflict; synced so it closes the conflict everywhere.

    ``seen`` (JSON {device: seq}) is what the deciding laptop had applied: it
    closes the conflicts on the same field whose competing changes it had seen.
    """

    __tablename__ = "sync_resolution"
    # The chosen value may be a family's personal data: it goes with the record it decides.
    __owner__ = Follows("target_id", blanks=(("value", "null"),))

    target_entity: str
    target_id: str = Field(max_length=36, index=True)
    target_field: str
    choice: str  # local | remote | value
    value: str = Field(default="null")
    seen: str = Field(default="{}")
