"""A laptop's changes after a number (what each sync publishes and merges) are found through the
(device_id, seq) index (migration 0039), not by reading the laptop's whole change log: at 50,000
families that read was 96 ms a query, on every sync. Set up through the services: a family added
and changed between two syncs."""

from __future__ import annotations

from datetime import timedelta

from peer_support.domain.families import FamilyDraft
from peer_support.services import families
from peer_support.services.sync import sync_now
from peer_support.services.sync.merge import _OWN_CHANGES

from tests.query_plans import query_plan, statements_sent


def _finds_by_device_and_number(plan: list[str]) -> bool:
    return any("INDEX ix_change_log_device_seq (device_id=? AND seq>" in step for step in plan)


def test_a_sync_finds_this_laptops_new_changes_by_number(open_laptops):
    laptop, other = open_laptops(timedelta(0), timedelta(minutes=1))
    shared = laptop.data_dir.parent / "shared"
    family = families.create_family(laptop, FamilyDraft(name="Mette Sørensen"))
    sync_now(laptop, shared)
    families.update_family(laptop, family.reference, FamilyDraft(name="Mette Sørensen", phone="07700 900111"))

    with statements_sent(laptop.db.engine) as sent:
        report = sync_now(laptop, shared)
    statements = [(statement, parameters) for statement, parameters in sent
                  if "change_log" in statement and "seq >" in statement]
    assert report.sent_changes >= 1
    assert statements, "the sync asked for no changes after a number"
    for statement, parameters in statements:
        plan = query_plan(laptop, statement, parameters)
        assert _finds_by_device_and_number(plan), (statement, plan)
    # Merging asks the same in plain SQL (services/sync/merge.py).
    assert _finds_by_device_and_number(query_plan(laptop, _OWN_CHANGES, (laptop.local.device_id, 1)))
    sync_now(other, shared)
    assert families.get_family(other, family.reference).phone == "07700 900111"
