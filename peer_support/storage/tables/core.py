"""Tables of the app itself: settings, users, the change log and device state."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from peer_support.storage.ownership import NotPersonal
from peer_support.storage.tables.base import Entity
from peer_support.storage.types import UTCDateTime


class Setting(Entity, table=True):
    """A group-wide setting (group name, contacts, sign-up URL); the id is its key."""

    __owner__ = NotPersonal("the group's own settings")

    value: str = Field(default="")


class AppUser(Entity, table=True):
    """Someone who uses the app; named on every change they make."""

    __owner__ = NotPersonal("people using the app, named as who acted; not a data subject here")

    __tablename__ = "app_user"

    name: str = Field(index=True)
    active: bool = Field(default=True)
    roles: str = Field(default="lead", sa_column_kwargs={"server_default": "lead"})  # domain.roles, comma-separated
    # scrypt hash of the PIN ("" for none): services/access.py; syncs, so a PIN works on every laptop.
    pin_hash: str = Field(default="", sa_column_kwargs={"server_default": ""})


class Action(SQLModel, table=True):
    """One user action: the changes it made share its id."""

    id: str = Field(primary_key=True, max_length=36)
    description: str = Field(default="")
    actor: str = Field(default="")
    device_id: str = Field(max_length=36)
    at: datetime = Field(sa_type=UTCDateTime)
    undoes: str | None = Field(default=None, max_length=36)


class ChangeLog(SQLModel, table=True):
    """One changed row: the base of the audit log and of sync between laptops.

    ``changes`` is JSON: {field: [old, new]}. ``hlc`` is a hybrid logical
    clock stamp that sorts as text (see storage/hlc.py).
    """

    __tablename__ = "change_log"
    # A laptop's changes after a number (what a sync publishes or merges, undo, compaction) are
    # found by (device_id, seq), not read through (migration 0039).
    __table_args__ = (Index("ix_change_log_device_seq", "device_id", "seq"),)

    change_id: str = Field(primary_key=True, max_length=36)
    device_id: str = Field(max_length=36)
    seq: int
    hlc: str  # no index: see migration 0035_change_log_hlc_index
    action_id: str = Field(max_length=36, index=True)
    entity: str
    entity_id: str = Field(max_length=36, index=True)
    op: str  # insert | update | delete
    changes: str
    actor: str = Field(default="")
    at: datetime = Field(sa_type=UTCDateTime)
    schema_rev: str = Field(default="")


class DeviceState(SQLModel, table=True):
    """Per-device sequence and clock state; only ever goes up."""

    __tablename__ = "device_state"

    device_id: str = Field(primary_key=True, max_length=36)
    last_seq: int = Field(default=0)
    hlc_millis: int = Field(default=0)
    hlc_counter: int = Field(default=0)
