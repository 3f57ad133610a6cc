"""Sync: one clock row for a record's insert instead of one per field.

Before, every record that arrived by sync (or was made here and then synced)
had a ``sync_field_clock`` row per column, all holding the insert's stamp until
a field was edited: 20 rows for a new family. Now the insert is one row with
``field`` = ``__row__``, the clock of every field that has no row of its own
(``services/sync/merge.py``, ``Merger.clock``). The upgrade writes that row for
each record whose insert is in the change log and drops the field rows that
hold exactly the insert's stamp; every other clock stays as it was, so each
field keeps the same stamp. The schema does not change; the revision also
keeps an older version of the app (which would not know ``__row__``) from
opening the database.

The downgrade writes the field rows back from ``__row__`` (each column without
a row of its own, except the derived ones, which never have clocks) and drops
``__row__``.

Revision ID: 0034_sync_row_clocks
Revises: 0008_sync
"""

import sqlalchemy as sa
from alembic import op

revision = "0034_sync_row_clocks"
down_revision = "0008_sync"
branch_labels = None
depends_on = None

ROW = "__row__"
ERASED = "__erased__"
# A frozen copy of services/sync/derived.DERIVED_FIELDS as it was when this migration was written:
# derived columns are computed, never merged, and never had clocks.
_DERIVED = {
    "family": {"search_text"},
    "pack": {"status", "status_at", "volunteer_id", "note"},
    "fund_application": {"left_to_pay_pence"},
}


def upgrade() -> None:
    connection = op.get_bind()
    connection.execute(sa.text(
        "INSERT OR IGNORE INTO sync_field_clock (entity, entity_id, field, hlc, device_id, seq) "
        "SELECT c.entity, c.entity_id, :row, c.hlc, c.device_id, c.seq FROM change_log AS c "
        "WHERE c.op = 'insert' AND EXISTS (SELECT 1 FROM sync_field_clock AS f "
        "  WHERE f.entity = c.entity AND f.entity_id = c.entity_id AND f.field NOT IN (:row, :erased) "
        "  AND f.hlc = c.hlc AND f.device_id = c.device_id AND f.seq = c.seq)"),
        {"row": ROW, "erased": ERASED})
    connection.execute(sa.text(
        "DELETE FROM sync_field_clock WHERE field NOT IN (:row, :erased) AND EXISTS ("
        "  SELECT 1 FROM sync_field_clock AS r WHERE r.entity = sync_field_clock.entity "
        "  AND r.entity_id = sync_field_clock.entity_id AND r.field = :row AND r.hlc = sync_field_clock.hlc "
        "  AND r.device_id = sync_field_clock.device_id AND r.seq = sync_field_clock.seq)"),
        {"row": ROW, "erased": ERASED})


def downgrade() -> None:
    connection = op.get_bind()
    entities = connection.execute(sa.text("SELECT DISTINCT entity FROM sync_field_clock WHERE field = :row"),
                                  {"row": ROW}).scalars().all()
    for entity in entities:
        columns = [row[1] for row in connection.execute(sa.text(f'PRAGMA table_info("{entity}")'))]
        for column in columns:
            if column in _DERIVED.get(entity, ()):
                continue
            connection.execute(sa.text(
                "INSERT OR IGNORE INTO sync_field_clock (entity, entity_id, field, hlc, device_id, seq) "
                "SELECT entity, entity_id, :field, hlc, device_id, seq FROM sync_field_clock "
                "WHERE entity = :entity AND field = :row"), {"field": column, "entity": entity, "row": ROW})
    connection.execute(sa.text("DELETE FROM sync_field_clock WHERE field = :row"), {"row": ROW})
