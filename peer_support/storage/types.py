"""Column types and the JSON form of values kept in the change log."""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import DateTime, TypeDecorator


class UTCDateTime(TypeDecorator):
    """An instant. Stored as naive UTC; refuses naive datetimes on the way in."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=timezone.utc)


def to_json_value(value: Any) -> Any:
    """A column value as JSON (dates and instants as ISO text)."""
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def from_json_value(python_type: type | None, value: Any) -> Any:
    """The inverse of ``to_json_value`` for a column of ``python_type``."""
    if value is None or python_type is None:
        return value
    if python_type is datetime:
        return datetime.fromisoformat(value)
    if python_type is date:
        return date.fromisoformat(value)
    if python_type is bool:
        return bool(value)
    return value
