"""Sync between laptops as the rest of the app sees it: status, reports, conflicts."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from peer_support.domain.changes import Kind

# How a journal file or snapshot names itself in the folder.
JOURNAL_DIR = "journal"
SNAPSHOT_DIR = "snapshots"
GROUP_FILE = "group.json"


@dataclass(frozen=True)
class FileProblem:
    """A journal file that could not be applied (damaged, missing, needs a newer app)."""

    device_id: str
    file_name: str
    message: str  # translated
    kind: str = "damaged"  # damaged | foreign (not from this group) | waiting | newer


@dataclass(frozen=True)
class SyncReport:
    """What one "Sync now" did."""

    sent_changes: int = 0
    files_written: int = 0
    files_applied: int = 0
    changes_applied: int = 0
    new_conflicts: int = 0
    problems: tuple[FileProblem, ...] = ()
    waiting: tuple[FileProblem, ...] = ()  # gaps in a laptop's sequence
    kinds: frozenset[Kind] = frozenset()  # of the data that arrived
    files_rewritten: int = 0  # own files found damaged or missing in the folder and written again


@dataclass(frozen=True)
class PeerStatus:
    device_id: str
    applied_seq: int
    available_seq: int  # highest sequence number seen in the folder
    applied_at: datetime | None
    name: str = ""  # the computer name the laptop gave, if any


@dataclass(frozen=True)
class ClockWarning:
    """A laptop whose change stamps run more than a day ahead of this laptop's clock."""

    device_id: str
    name: str
    ahead: timedelta


@dataclass(frozen=True)
class SyncStatus:
    folder: str  # "" when no folder is chosen
    folder_reachable: bool
    last_sync_at: datetime | None
    unsent_changes: int
    files_waiting: int
    open_conflicts: int
    encrypted: bool
    peers: tuple[PeerStatus, ...] = ()
    problems: tuple[FileProblem, ...] = ()
    clocks_ahead: tuple[ClockWarning, ...] = ()


@dataclass(frozen=True)
class ConflictRecord:
    id: str
    kind: str  # field | archive | renumbered | merged | duplicate | overspend | erased_edit
    entity: str
    entity_id: str
    label: str  # a reference code or name when known, else the id
    field: str
    base_value: Any
    local_value: Any
    remote_value: Any
    winner: str  # local | remote: the value the merge kept
    note: str
    detected_at: datetime
    resolved: bool
    resolution: str = ""
    resolved_by: str = ""
    resolved_at: datetime | None = None
    extra: dict = dataclasses.field(default_factory=dict)  # ``field`` is a column name above
    # In the UI language, with names instead of ids (services/sync/conflicts.py).
    field_label: str = ""
    base_text: str = ""
    local_text: str = ""
    remote_text: str = ""

    @property
    def short_id(self) -> str:
        return self.id[:8]

    @property
    def needs_decision(self) -> bool:
        """Field and archive conflicts are decided by a lead; the others are notices."""
        return not self.resolved and self.kind in ("field", "archive")


def laptop_label(device_id: str, name: str = "") -> str:
    """How a laptop is named to people: its computer name and the start of its id."""
    return f"{name} ({device_id[:8]})" if name else device_id[:8]


def covered(seen: dict[str, int], author: str, author_seq: int, device: str, seq: int) -> bool:
    """Had the author of change (author, author_seq), having applied ``seen``, seen change (device, seq)?"""
    if device == author:
        return seq <= author_seq
    return seen.get(device, 0) >= seq
