"""Link rows (a family's schools, a volunteer's areas) kept in step with a wanted set."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from peer_support.storage.conditions import live
from peer_support.storage.tables.base import Entity


def set_links(session: Session, model: type[Entity], owner_field: str, owner_id: str,
              target_field: str, wanted: set[str]) -> None:
    """Make ``owner_id``'s live links point at exactly ``wanted``.

    Links that stay are left untouched (no change-log noise), links no longer
    wanted are tombstoned, and missing ones are added.
    """
    wanted = set(wanted)
    owner = getattr(model, owner_field)
    for link in session.exec(select(model).where(owner == owner_id, live(model))):
        if getattr(link, target_field) in wanted:
            wanted.discard(getattr(link, target_field))
        else:
            link.deleted = True
            session.add(link)
    for target_id in wanted:
        values: dict[str, Any] = {owner_field: owner_id, target_field: target_id}
        session.add(model(**values))
