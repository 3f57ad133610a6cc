"""What every synced table shares.

``Entity`` rows have a UUID primary key (laptops create rows independently and
merge later), are never deleted but tombstoned (``deleted``), and every change
to them is written to the change log by the unit of work.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from sqlalchemy import Table
from sqlmodel import Field, SQLModel

from peer_support.storage.ids import new_id
from peer_support.storage.types import UTCDateTime

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
    if TYPE_CHECKING:
        # Set by SQLModel on every table class; its stubs declare neither (and the name as a callable).
        __table__: ClassVar[Table]
        __tablename__: ClassVar[str]

    id: str = Field(default_factory=new_id, primary_key=True, max_length=36)
    created_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=False)
    deleted: bool = Field(default=False, nullable=False)


def table_of(model: type[SQLModel]) -> Table:
    """The Table behind any table class, also those not derived from Entity (``Action``, ``ChangeLog``)."""
    return model.__table__  # type: ignore[attr-defined]  # set by SQLModel, not in its stubs
