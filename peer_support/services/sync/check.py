"""A canonical dump of the synced data, to check that laptops agree."""

from __future__ import annotations

import hashlib
import json

from sqlmodel import select

from peer_support.context import AppContext
from peer_support.storage.tables import entity_classes
from peer_support.storage.types import to_json_value


def canonical_dump(context: AppContext) -> dict[str, list[dict]]:
    """Every synced record of every table, by id, as JSON values."""
    dump: dict[str, list[dict]] = {}
    with context.db.read() as session:
        for table, model in sorted(entity_classes().items()):
            columns = [c.name for c in model.__table__.columns]
            rows = session.exec(select(model).order_by(model.id)).all()
            dump[table] = [{c: to_json_value(getattr(row, c)) for c in columns} for row in rows]
    return dump


def fingerprint(context: AppContext) -> str:
    """A short digest of ``canonical_dump``: equal on two laptops when they hold the same data."""
    text = json.dumps(canonical_dump(context), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
