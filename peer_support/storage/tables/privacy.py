"""Erasures that happened, and families a lead chose to keep past the retention period."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field

from peer_support.storage.ownership import FAMILY, NotPersonal, Owned
from peer_support.storage.tables.base import Entity


class Erasure(Entity, table=True):
    """One erasure of one subject: synced, so every laptop blanks its own history of the
    same rows (``rows``: JSON {table: [ids]}). Holds a reference code and a date, no names."""

    __owner__ = NotPersonal("the record that an erasure happened: codes and a date")

    subject: str = Field(max_length=16)  # family | volunteer
    subject_id: str = Field(max_length=36, index=True)
    reference: str = Field(default="", max_length=16)
    erased_on: date
    reason: str = Field(default="request", max_length=16)  # request | retention
    rows: str = Field(default="{}")


class RetentionKeep(Entity, table=True):
    """A lead kept a family past the retention period, with a reason."""

    __tablename__ = "retention_keep"
    __owner__ = Owned(FAMILY, via=("family_id",), personal=("reason",))

    family_id: str = Field(foreign_key="family.id", index=True)
    kept_on: date
    reason: str = Field(default="")
    decided_by: str = Field(default="")
