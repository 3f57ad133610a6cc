"""Records of the trust area: backups, restore previews, users, family exports and erasures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from peer_support.i18n import _


@dataclass(frozen=True)
class BackupRecord:
    path: Path
    taken_at: datetime
    size_bytes: int
    automatic: bool


@dataclass(frozen=True)
class BackupPreview:
    """What a backup holds, shown before it replaces the current data."""

    path: Path
    taken_at: datetime
    schema_revision: str
    problem: str  # translated; empty when the backup can be restored
    row_counts: dict[str, int] = field(default_factory=dict)
    last_change_at: datetime | None = None
    last_change: str = ""

    @property
    def restorable(self) -> bool:
        return not self.problem


@dataclass(frozen=True)
class RestoreResult:
    restored: Path
    safety_copy: Path | None  # the data as it was before, kept
    erasures_reapplied: tuple[str, ...] = ()  # references erased after the backup was taken, erased again

    def erased_again(self) -> str:
        """What the restore erased again, told to whoever restored (empty when nothing)."""
        if not self.erasures_reapplied:
            return ""
        return _("Erased again, because they were erased after this backup was taken: %(references)s.") % {
            "references": ", ".join(self.erasures_reapplied)}


@dataclass(frozen=True)
class UserRecord:
    id: str
    name: str
    active: bool
    roles: tuple = ()  # domain.roles.Role
    has_pin: bool = False


@dataclass(frozen=True)
class AuditEntry:
    action_id: str
    description: str
    actor: str
    at: datetime
    changes: int
    actor_roles: str = ""  # the actor's roles as the users list has them now, in words
