"""Group-wide settings shown in Settings and printed in newsletters."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class GroupSettings:
    group_name: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    website: str = ""
    signup_url: str = ""

    @classmethod
    def keys(cls) -> list[str]:
        return [f.name for f in fields(cls)]
