"""What a service that changed something returns."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Saved(Generic[T]):
    """The new or changed record, and the change summary
    (storage.unit_of_work.ChangeSummary) that undo and reloading views need."""

    record: T
    summary: Any
