"""At start-up, lost data on a used laptop is offered a restore of the newest valid backup."""

from __future__ import annotations

import sqlite3

import pytest

from peer_support.context import open_context
from peer_support.domain.families import FamilyDraft
from peer_support.services.backups import auto_backup
from peer_support.services.families import create_family, search_families

pytestmark = pytest.mark.gui


def test_a_zero_byte_database_offers_the_newest_valid_backup(qtbot, data_dir, clock, message_boxes,
                                                               answer_boxes):
    from peer_support.ui.trust.session import open_with_recovery

    context = open_context(data_dir, clock)
    create_family(context, FamilyDraft(name="Had Data"))
    good = auto_backup(context, force=True).path
    context.close()
    # Raw SQL on purpose: a newer-looking copy that is broken, which no service could make.
    broken = sqlite3.connect(data_dir / "backups" / "before-upgrade-29990101T000000Z.sqlite3")
    broken.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    broken.execute("INSERT INTO alembic_version VALUES ('0002_families')")
    broken.commit()
    broken.close()
    for suffix in ("-wal", "-shm"):
        (data_dir / f"peer-support.sqlite3{suffix}").unlink(missing_ok=True)
    (data_dir / "peer-support.sqlite3").write_bytes(b"")

    asked = answer_boxes("Restore the newest")
    restored = open_with_recovery(data_dir)
    try:
        assert restored is not None
        assert [f.name for f in search_families(restored)] == ["Had Data"]
    finally:
        restored.close()
    assert len(asked) == 1 and "the database file is empty" in asked[0]
    told = [text for kind, text in message_boxes if kind == "information"]
    assert told and good.name in told[0] and "damaged" in told[0]
    assert [p.stat().st_size for p in (data_dir / "damaged").iterdir()] == [0]
