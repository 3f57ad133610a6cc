"""A final newsletter issue keeps the figures it printed; a draft shows today's."""

from __future__ import annotations

from dataclasses import replace

from peer_support.domain.newsletter import DRAFT, FINAL, PACKS, IssueDraft, VersionRecord
from peer_support.services import deliveries, packs
from peer_support.services.history import undo_action
from peer_support.services.newsletter import create_issue, get_issue, save_issue
from peer_support.services.newsletter_export import build_document


def _packs_text(context, number: int, language: str = "en") -> str:
    section = next(s for s in build_document(context, number, language).sections if s.kind == PACKS)
    return section.progress_label + " " + " ".join(run.text for block in section.blocks for run in block.runs)


def _deliver_one(context) -> None:
    batch = packs.get_batch(context, "B01")
    pack = next(p for p in packs.list_packs(context, "B01") if p.status == "outstanding")
    deliveries.record_scan(context, pack.code, batch_id=batch.id,
                           volunteer_id=deliveries.volunteer_id_for(context, "V001"))


def test_final_keeps_its_figures_and_draft_follows_today(sample_context):
    context = sample_context
    record = create_issue(context, IssueDraft(
        issued_on=context.clock.now().date(), automatic=(PACKS,),
        versions=(VersionRecord("en", "Winter"), VersionRecord("pl", "Zima")))).record
    before = _packs_text(context, record.number)
    final = save_issue(context, record.number, replace(record.as_draft(), status=FINAL)).record
    assert final.snapshot
    _deliver_one(context)
    assert _packs_text(context, record.number) == before  # the final issue prints what it printed
    assert _packs_text(context, record.number, "pl")  # every language version was kept
    save_issue(context, record.number, replace(get_issue(context, record.number).as_draft(), status=DRAFT))
    assert not get_issue(context, record.number).snapshot
    assert _packs_text(context, record.number) != before  # a draft shows today's figures


def test_undoing_final_drops_the_snapshot(sample_context):
    context = sample_context
    record = create_issue(context, IssueDraft(issued_on=context.clock.now().date(), automatic=(PACKS,),
                                              versions=(VersionRecord("en", "Winter"),))).record
    final = save_issue(context, record.number, replace(record.as_draft(), status=FINAL))
    undo_action(context, final.changes.action_id)
    issue = get_issue(context, record.number)
    assert issue.status == DRAFT and not issue.snapshot
