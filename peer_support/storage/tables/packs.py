"""Activity packs: batches, the packs in them, delivery runs and every delivery attempt."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field

from peer_support.storage.ownership import FAMILY, VOLUNTEER, NotPersonal, Owned
from peer_support.storage.tables.base import Entity
from peer_support.storage.types import UTCDateTime


class PackBatch(Entity, table=True):
    """One round of packs ("Summer activity pack"), one pack per target family by default."""

    __tablename__ = "pack_batch"
    __owner__ = NotPersonal("a round of packs", free_text=("description",))

    reference: str = Field(unique=True, max_length=16)  # B01, B02 ...
    name: str
    description: str = Field(default="")
    contents: str = Field(default="")  # checklist items, one per line
    packed_on: date | None = Field(default=None)
    target: str = Field(default="")  # JSON of the filter used to pick the families
    archived: bool = Field(default=False)


class PackRun(Entity, table=True):
    """A delivery round: packs close together, one volunteer."""

    __tablename__ = "pack_run"
    # The run's families are on their packs; only the volunteer's name, shown beside it, is theirs.
    __owner__ = Owned(VOLUNTEER, via=("volunteer_id",))

    batch_id: str = Field(foreign_key="pack_batch.id", index=True)
    number: int  # 1, 2 ... within the batch
    name: str
    volunteer_id: str | None = Field(default=None, foreign_key="volunteer.id")


class Pack(Entity, table=True):
    """One pack for one family. ``status`` is the latest outcome of its events."""

    __owner__ = (Owned(FAMILY, via=("family_id",), personal=("note",), free_text=("note",)),
                 Owned(VOLUNTEER, via=("volunteer_id",)))

    batch_id: str = Field(foreign_key="pack_batch.id", index=True)
    family_id: str = Field(foreign_key="family.id", index=True)
    code: str = Field(unique=True, max_length=8)  # normalised: 6 characters + check character
    run_id: str | None = Field(default=None, foreign_key="pack_run.id", index=True)
    run_position: int | None = Field(default=None)
    status: str = Field(default="outstanding", max_length=16)
    status_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    volunteer_id: str | None = Field(default=None, foreign_key="volunteer.id")
    note: str = Field(default="")


class PackEvent(Entity, table=True):
    """One scan or entry at the door: delivered, not home, refused, returned, or a duplicate scan."""

    __tablename__ = "pack_event"
    __owner__ = (Owned(FAMILY, via=("pack_id", "family_id"), personal=("note",), free_text=("note",)),
                 Owned(VOLUNTEER, via=("volunteer_id",)))

    pack_id: str = Field(foreign_key="pack.id", index=True)
    batch_id: str = Field(foreign_key="pack_batch.id", index=True)
    outcome: str = Field(max_length=16)
    at: datetime = Field(sa_type=UTCDateTime)
    volunteer_id: str | None = Field(default=None, foreign_key="volunteer.id")
    note: str = Field(default="")
