"""What every synced table shares.

``Entity`` rows have a UUID primary key (laptops create rows independently and
merge later), are never deleted but tombstoned (``deleted``), and every change
to them is written to the change log by the unit of work.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from peer_support.storage.types import UTCDateTime, new_id

# Stable constraint names, so Alembic batch migrations on SQLite can alter them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Entity(SQLModel):
    """Base for tables whose rows sync between laptops and appear in the audit log."""

    __tracked__ = True

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    created_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=False)
    deleted: bool = Field(default=False, nullable=False)
