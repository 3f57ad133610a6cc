"""Batches, runs, delivery logging, undo and progress through the services."""

from __future__ import annotations

import pytest
from sqlmodel import select

from peer_support.domain.packs import (AlreadyDeliveredError, BatchDraft, Outcome, WrongBatchError,
                                       format_code, validate_code)
from peer_support.errors import ConflictError, NotFoundError, ValidationError
from peer_support.services import deliveries, packs
from peer_support.storage.tables.families import Volunteer
from peer_support.storage.tables.packs import Pack, PackEvent


@pytest.fixture
def batch(sample_context):
    return packs.get_batch(sample_context, "B01")


def _outstanding(context, batch_key="B01"):
    return [p for p in packs.list_packs(context, batch_key) if p.status == "outstanding"]


def _volunteer_id(context):
    with context.db.read() as session:
        return session.exec(select(Volunteer.id).order_by(Volunteer.reference)).first()


def _scan(context, code, **kwargs):
    """A scan by the first volunteer (every scan names one)."""
    return deliveries.record_scan(context, code, volunteer_id=_volunteer_id(context), **kwargs)


def test_sample_batch_has_530_packs_in_20_runs_about_80_percent_delivered(sample_context, batch):
    assert batch.pack_count == 530 and batch.contents
    overall, runs = packs.batch_progress(sample_context, "B01")
    assert len(runs) == 20 and sum(r.run.pack_count for r in runs) == 530
    assert 0.75 <= overall.fraction_delivered <= 0.85
    assert overall.not_home and overall.refused
    assert overall.delivered + overall.outstanding + overall.refused + overall.returned == overall.total
    # A run never mixes areas.
    for run in packs.list_runs(sample_context, "B01"):
        assert len({p.area for p in packs.list_packs(sample_context, "B01", run.number)}) == 1


def test_create_batch_gives_one_pack_per_matching_family_with_unique_codes(sample_context):
    record = packs.create_batch(sample_context, BatchDraft(name="Winter pack", areas=("Marina",),
                                                           contents=("Hat", "Gloves"))).record
    assert record.reference == "B02"
    listed = packs.list_packs(sample_context, "Winter pack")
    assert len(listed) == record.pack_count > 0 and {p.area for p in listed} == {"Marina"}
    assert len({p.family_reference for p in listed}) == len(listed)
    with sample_context.db.read() as session:
        codes = session.exec(select(Pack.code)).all()
    assert len(codes) == len(set(codes)) and all(validate_code(c) == c for c in codes)


def test_a_batch_and_its_runs_are_one_undoable_action_saved_with_its_kinds(sample_context):
    from peer_support.domain.changes import Kind
    from peer_support.services.history import undo_action

    before = packs.list_batches(sample_context)
    saved = packs.create_batch(sample_context, BatchDraft(name="Spring pack", areas=("Marina",)), runs=3)
    assert saved.record.reference == "B02" and {Kind.PACK_BATCH, Kind.PACK} <= saved.changes.kinds
    runs = packs.list_runs(sample_context, "B02")
    assert len(runs) == 3 and sum(r.pack_count for r in runs) == saved.record.pack_count
    undo_action(sample_context, saved.changes.action_id)
    assert packs.list_batches(sample_context) == before
    with pytest.raises(ValidationError, match="between 1 and"):  # a bad run count writes no batch either
        packs.create_batch(sample_context, BatchDraft(name="Spring pack"), runs=packs.MAX_RUNS + 1)
    assert packs.list_batches(sample_context) == before


def test_batch_filters_by_school_and_needs(sample_context):
    two = packs.create_batch(sample_context, BatchDraft(name="Devices", needs_device=True, packs_per_family=2)).record
    listed = packs.list_packs(sample_context, two.reference)
    assert len(listed) == 2 * len({p.family_reference for p in listed})
    school = packs.create_batch(sample_context, BatchDraft(name="Seaview", schools=("Seaview Academy",))).record
    assert 0 < school.pack_count < 530


@pytest.mark.parametrize("draft, words", [
    (BatchDraft(name="  "), "needs a name"),
    (BatchDraft(name="X", packs_per_family=0), "between 1 and"),
    (BatchDraft(name="X", areas=("Atlantis",)), "no area called Atlantis"),
    (BatchDraft(name="X", areas=("Marina",), schools=("Nowhere High",)), "no school called"),
])
def test_bad_batches_are_refused_and_change_nothing(sample_context, draft, words):
    with pytest.raises(ValidationError, match=words):
        packs.create_batch(sample_context, draft)
    assert len(packs.list_batches(sample_context)) == 1


def test_scan_delivers_once_and_a_second_scan_is_refused_and_listed(sample_context, batch):
    pack = _outstanding(sample_context)[0]
    volunteer = _volunteer_id(sample_context)
    receipt = deliveries.record_scan(sample_context, f" {format_code(pack.code).lower()}\n",
                                     batch_id=batch.id, volunteer_id=volunteer).record
    assert receipt.pack.status == "delivered" and receipt.event.volunteer
    before, _runs = packs.batch_progress(sample_context, "B01")
    with pytest.raises(AlreadyDeliveredError, match="ALREADY DELIVERED"):
        deliveries.record_scan(sample_context, pack.code, batch_id=batch.id, volunteer_id=volunteer)
    after, _runs = packs.batch_progress(sample_context, "B01")
    assert after.delivered == before.delivered and after.duplicates == before.duplicates + 1
    recent = deliveries.recent_events(sample_context, batch.id, limit=2)
    assert [e.outcome for e in recent] == ["duplicate", "delivered"] and recent[0].code == pack.code


@pytest.mark.parametrize("volunteer", [None, "", "  "])
@pytest.mark.parametrize("outcome", [Outcome.DELIVERED, Outcome.NOT_HOME])
def test_a_scan_without_a_volunteer_is_refused_and_writes_nothing(sample_context, batch, volunteer, outcome):
    pack = _outstanding(sample_context)[0]
    with sample_context.db.read() as session:
        events_before = len(session.exec(select(PackEvent)).all())
    with pytest.raises(ValidationError, match="who is delivering") as refused:
        deliveries.record_scan(sample_context, pack.code, batch_id=batch.id, volunteer_id=volunteer, outcome=outcome)
    assert refused.value.exit_code == 3 and refused.value.field == "volunteer"
    with sample_context.db.read() as session:
        assert len(session.exec(select(PackEvent)).all()) == events_before
    assert _outstanding(sample_context)[0].status == pack.status


def test_other_outcomes_and_retry_after_not_home(sample_context, batch):
    pack = _outstanding(sample_context)[0]
    _scan(sample_context, pack.code, batch_id=batch.id, outcome=Outcome.NOT_HOME,
          note="Card left")
    listed = {p.code: p for p in packs.list_packs(sample_context, "B01", outstanding_only=True)}
    assert listed[pack.code].status == "not_home" and listed[pack.code].note == "Card left"
    _scan(sample_context, pack.code, batch_id=batch.id)  # second visit
    with pytest.raises(AlreadyDeliveredError, match="Undo that"):
        _scan(sample_context, pack.code, outcome=Outcome.RETURNED)


def test_unknown_code_wrong_batch_and_typo_change_nothing(sample_context, batch):
    other = packs.create_batch(sample_context, BatchDraft(name="Other", areas=("Marina",))).record
    foreign = packs.list_packs(sample_context, other.reference)[0]
    with sample_context.db.read() as session:
        events_before = len(session.exec(select(PackEvent)).all())
    with pytest.raises(WrongBatchError, match="another batch \\(Other\\)"):
        _scan(sample_context, foreign.code, batch_id=batch.id)
    from peer_support.domain.packs import make_code
    unused = next(c for c in (make_code(n) for n in range(100)) if c not in {foreign.code})
    with pytest.raises(NotFoundError, match="Unknown code"):
        _scan(sample_context, unused, batch_id=batch.id)
    code = foreign.code
    swap = next(i for i in range(len(code) - 1) if code[i] != code[i + 1])
    typo = code[:swap] + code[swap + 1] + code[swap] + code[swap + 2:]  # two characters swapped: always caught
    with pytest.raises(ValidationError):
        _scan(sample_context, typo, batch_id=batch.id)
    with pytest.raises(ValidationError):
        _scan(sample_context, foreign.code, note="x" * 501)
    with sample_context.db.read() as session:
        assert len(session.exec(select(PackEvent)).all()) == events_before


def test_undo_last_scan_restores_the_pack(sample_context, batch):
    pack = _outstanding(sample_context)[0]
    before, _ = packs.batch_progress(sample_context, "B01")
    scanned = _scan(sample_context, pack.code, batch_id=batch.id)
    deliveries.undo_scan(sample_context, scanned.changes.action_id)
    after, _ = packs.batch_progress(sample_context, "B01")
    assert after == before
    assert deliveries.recent_events(sample_context, batch.id, 1)[0].undone
    # It can be delivered again afterwards, and undoing twice is refused.
    _scan(sample_context, pack.code, batch_id=batch.id)
    with pytest.raises(ConflictError, match="already undone"):
        deliveries.undo_scan(sample_context, scanned.changes.action_id)


def test_plan_runs_keeps_volunteers_and_assign(sample_context):
    runs = packs.plan_runs(sample_context, "B01", 12).record
    assert len(runs) == 12 and sum(r.pack_count for r in runs) == 530
    packs.assign_run_volunteer(sample_context, "B01", 3, "V002")
    assert packs.list_runs(sample_context, "B01")[2].volunteer
    packs.assign_run_volunteer(sample_context, "B01", 3, None)
    assert not packs.list_runs(sample_context, "B01")[2].volunteer
    with pytest.raises(NotFoundError):
        packs.assign_run_volunteer(sample_context, "B01", 99, "V002")
    with pytest.raises(ValidationError):
        packs.plan_runs(sample_context, "B01", 0)
    with pytest.raises(NotFoundError, match="no pack batch"):
        packs.plan_runs(sample_context, "B77", 3)


def test_outstanding_exports_csv_and_pdf(sample_context, tmp_path):
    from pypdf import PdfReader

    count = packs.export_outstanding(sample_context, "B01", tmp_path / "out.csv")
    lines = (tmp_path / "out.csv").read_text("utf-8-sig").splitlines()
    assert len(lines) == count + 1 and count == len(packs.list_packs(sample_context, "B01", outstanding_only=True))
    packs.export_outstanding(sample_context, "B01", tmp_path / "out.pdf")
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "out.pdf").pages)
    first = packs.list_packs(sample_context, "B01", outstanding_only=True)[0]
    assert format_code(first.code) in text and "Refused" in text
    from peer_support.errors import ExportError
    with pytest.raises(ExportError):
        packs.export_outstanding(sample_context, "B01", tmp_path / "out.txt")


def test_run_sheets_list_every_stop_in_order(sample_context, tmp_path):
    from pypdf import PdfReader

    assert packs.export_run_sheets(sample_context, "B01", tmp_path / "runs.pdf", run_number=2) == 1
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "runs.pdf").pages)
    stops = packs.list_packs(sample_context, "B01", 2)
    positions = [text.index(format_code(p.code)) for p in stops]
    assert positions == sorted(positions) and "Run 2" in text
