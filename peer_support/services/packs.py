"""Activity pack batches: create (allocating codes), plan delivery runs, assign
volunteers, list packs and count progress. Delivery logging is in deliveries.py."""

from __future__ import annotations

import json
import secrets
from collections import Counter, defaultdict

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, func, or_, select

from peer_support.context import AppContext
from peer_support.domain.changes import Saved
from peer_support.domain.families import format_reference, reference_number
from peer_support.domain.packs import (CODE_SPACE, OUTSTANDING, BatchDraft, BatchRecord, Outcome,
                                       PackRecord, Progress, RunProgress, RunRecord, make_code,
                                       share_runs, split_evenly)
from peer_support.errors import NotFoundError, ValidationError
from peer_support.exports.files import output_format
from peer_support.i18n import _, ngettext
from peer_support.services.families import find_volunteer_row
from peer_support.storage.conditions import is_false, is_true, live
from peer_support.storage.tables.families import Area, Family, FamilySchool, School, Volunteer
from peer_support.storage.tables.packs import Pack, PackBatch, PackRun
from peer_support.domain.roles import Permission
from peer_support.services.access import own_runs_only, require

BATCH_PREFIX = "B"
MAX_PACKS_PER_FAMILY = 10
MAX_RUNS = 200

# -- batches --------------------------------------------------------------------------


def find_batch_row(session: Session, key: str) -> PackBatch:
    """A batch by reference (B01) or by name, ignoring case. Raises NotFoundError."""
    text = key.strip()
    batch = session.exec(select(PackBatch).where(
        live(PackBatch),
        or_(func.upper(PackBatch.reference) == text.upper(),
            func.lower(PackBatch.name) == text.lower()))
        .order_by(PackBatch.reference)).first()
    if batch is None:
        raise NotFoundError(_("There is no pack batch called %(batch)s.") % {"batch": text})
    return batch


def _batch_record(session: Session, batch: PackBatch) -> BatchRecord:
    count = session.exec(select(func.count()).select_from(Pack).where(
        Pack.batch_id == batch.id, live(Pack))).one()
    return BatchRecord(id=batch.id, reference=batch.reference, name=batch.name,
                       description=batch.description,
                       contents=tuple(line for line in batch.contents.splitlines() if line.strip()),
                       packed_on=batch.packed_on, target=batch.target, pack_count=count)


def list_batches(context: AppContext) -> list[BatchRecord]:
    from peer_support.services.summary import batch_records  # plain SQL

    return batch_records(context)


def get_batch(context: AppContext, key: str) -> BatchRecord:
    """A batch by reference (B01) or by name, ignoring case. Raises NotFoundError."""
    from peer_support.services.summary import batch_record  # plain SQL

    return batch_record(context, key)


def _ids_by_name(session: Session, model, names: tuple[str, ...], missing: str) -> set[str]:
    """Ids of areas or schools by name; ``missing`` (with %(name)s) when one does not exist."""
    ids = set()
    for name in names:
        row = session.exec(select(model).where(func.lower(model.name) == name.strip().lower(),
                                               live(model))).first()
        if row is None:
            raise ValidationError(missing % {"name": name})
        ids.add(row.id)
    return ids


def target_families(session: Session, draft: BatchDraft) -> list[Family]:
    """Active families matching the draft's filters, ordered by area, postcode and name."""
    query = select(Family).where(live(Family), is_false(Family.archived))
    if draft.areas:
        query = query.where(col(Family.area_id).in_(_ids_by_name(
            session, Area, draft.areas, _("There is no area called %(name)s."))))
    if draft.schools:
        school_ids = _ids_by_name(session, School, draft.schools,
                                  _("There is no school called %(name)s."))
        query = query.where(col(Family.id).in_(select(FamilySchool.family_id).where(
            col(FamilySchool.school_id).in_(school_ids), live(FamilySchool))))
    if draft.needs_internet:
        query = query.where(is_true(Family.needs_internet))
    if draft.needs_device:
        query = query.where(is_true(Family.needs_device))
    areas = dict(session.exec(select(Area.id, Area.name)).all())
    families = list(session.exec(query))
    return sorted(families, key=lambda f: (areas.get(f.area_id or "", "~"), f.postcode, f.name))


def _target_description(draft: BatchDraft) -> str:
    return json.dumps({"areas": list(draft.areas), "schools": list(draft.schools),
                       "needs_internet": draft.needs_internet, "needs_device": draft.needs_device,
                       "packs_per_family": draft.packs_per_family}, ensure_ascii=False, sort_keys=True)


def allocate_codes(session: Session, count: int) -> list[str]:
    """``count`` new codes, unique among every pack ever made (tombstoned ones too)."""
    taken = set(session.exec(select(Pack.code)).all())
    codes: list[str] = []
    while len(codes) < count:
        code = make_code(secrets.randbelow(CODE_SPACE))
        if code not in taken:
            taken.add(code)
            codes.append(code)
    return codes


def add_batch(session: Session, draft: BatchDraft) -> PackBatch:
    """Write a batch and its packs inside an open unit of work (used by create_batch and the sample)."""
    name = draft.name.strip()
    if not name:
        raise ValidationError(_("A pack batch needs a name."), field="name")
    if not 1 <= draft.packs_per_family <= MAX_PACKS_PER_FAMILY:
        raise ValidationError(_("Packs per family must be between 1 and %(max)d.")
                              % {"max": MAX_PACKS_PER_FAMILY}, field="packs_per_family")
    families = target_families(session, draft)
    if not families:
        raise ValidationError(_("No active family matches the chosen areas, schools and needs."))
    highest = session.exec(select(func.max(PackBatch.reference))).one()
    batch = PackBatch(reference=format_reference(BATCH_PREFIX, reference_number(highest or "") + 1, 2),
                      name=name, description=draft.description.strip(),
                      contents="\n".join(item.strip() for item in draft.contents if item.strip()),
                      packed_on=draft.packed_on, target=_target_description(draft))
    session.add(batch)
    codes = iter(allocate_codes(session, len(families) * draft.packs_per_family))
    for family in families:
        for _copy in range(draft.packs_per_family):
            session.add(Pack(batch_id=batch.id, family_id=family.id, code=next(codes)))
    session.flush()
    return batch


def create_batch(context: AppContext, draft: BatchDraft, runs: int = 0) -> Saved[BatchRecord]:
    """Create a batch with packs for every matching family, each with a new code, and (``runs``
    above 0) plan that many delivery runs: one undoable action.

    Raises ValidationError (no name, bad count, unknown area/school, no family
    matches, a run count out of range): nothing is written. Commits.
    """
    require(context, Permission.PACKS)
    with context.db.transaction(batch_description(draft)) as uow:
        batch = add_batch(uow.session, draft)
        if runs:
            plan_runs_in(uow.session, batch, runs)
        record = _batch_record(uow.session, batch)
    return Saved(record, uow.changes)


def batch_description(draft: BatchDraft) -> str:
    """The action's name (history, undo menu, status bar)."""
    return _("Create pack batch %(name)s") % {"name": draft.name.strip()}


# -- runs -----------------------------------------------------------------------------


def plan_runs(context: AppContext, batch_key: str, runs: int) -> Saved[list[RunRecord]]:
    """Group the batch's packs into ``runs`` delivery runs (at least one per area,
    never crossing areas), in postcode order. Replaces an earlier plan, keeping
    volunteers of runs whose number survives; one undoable action. Raises
    NotFoundError, ValidationError; commits."""
    require(context, Permission.PACKS)
    with context.db.transaction(ngettext("Plan %(count)d delivery run", "Plan %(count)d delivery runs", runs)
                                % {"count": runs}) as uow:
        batch = find_batch_row(uow.session, batch_key)
        plan_runs_in(uow.session, batch, runs)
        records = _run_records(uow.session, batch.id)
    return Saved(records, uow.changes)


def plan_runs_in(session: Session, batch: PackBatch, runs: int) -> None:
    """Group a batch's packs into runs inside an open unit of work (see plan_runs)."""
    if not 1 <= runs <= MAX_RUNS:
        raise ValidationError(_("Choose between 1 and %(max)d runs.") % {"max": MAX_RUNS}, field="runs")
    rows = session.exec(select(Pack, Family, Area.name).join(Family, col(Family.id) == Pack.family_id)
                        .outerjoin(Area, col(Area.id) == Family.area_id)
                        .where(Pack.batch_id == batch.id, live(Pack))).all()
    if not rows:
        raise ValidationError(_("This batch has no packs to plan."))
    by_area: dict[str, list] = defaultdict(list)
    for pack, family, area in rows:
        by_area[area or _("No area")].append((family.postcode, family.address, family.name, pack))
    old_runs = session.exec(select(PackRun).where(PackRun.batch_id == batch.id,
                                                  live(PackRun))).all()
    old_volunteers = {run.number: run.volunteer_id for run in old_runs}
    for run in old_runs:
        run.deleted = True
        session.add(run)
    share = share_runs({area: len(packs) for area, packs in by_area.items()}, runs)
    number = 0
    for area in sorted(by_area):
        packs = sorted(by_area[area], key=lambda item: item[:3])
        start = 0
        for index, size in enumerate(split_evenly(len(packs), share[area]), start=1):
            number += 1
            name = area if share[area] == 1 else f"{area} {index}"
            run = PackRun(batch_id=batch.id, number=number, name=name,
                          volunteer_id=old_volunteers.get(number))
            session.add(run)
            session.flush()  # no ORM relationships: insert the run before packs point at it
            for position, (_postcode, _address, _name, pack) in enumerate(packs[start:start + size], 1):
                pack.run_id, pack.run_position = run.id, position
                session.add(pack)
            start += size
    session.flush()


def _run_records(session: Session, batch_id: str) -> list[RunRecord]:
    counts = dict(session.exec(select(Pack.run_id, func.count()).where(
        Pack.batch_id == batch_id, live(Pack)).group_by(Pack.run_id)).all())
    names = dict(session.exec(select(Volunteer.id, Volunteer.name)).all())
    runs = session.exec(select(PackRun).where(PackRun.batch_id == batch_id, live(PackRun))
                        .order_by(col(PackRun.number))).all()
    return [RunRecord(id=run.id, batch_id=batch_id, number=run.number, name=run.name,
                      volunteer=names.get(run.volunteer_id or "", ""), volunteer_id=run.volunteer_id,
                      pack_count=counts.get(run.id, 0)) for run in runs]


def list_runs(context: AppContext, batch_key: str) -> list[RunRecord]:
    """A batch's runs; a volunteer sees only the runs given to them (by name)."""
    require(context, Permission.DELIVERIES)
    with context.db.read() as session:
        runs = _run_records(session, find_batch_row(session, batch_key).id)
    own = own_runs_only(context)
    return runs if own is None else [run for run in runs if run.volunteer.casefold() == own.casefold()]


def find_run_row(session: Session, batch_id: str, number: int) -> PackRun:
    run = session.exec(select(PackRun).where(PackRun.batch_id == batch_id, PackRun.number == number,
                                             live(PackRun))).first()
    if run is None:
        raise NotFoundError(_("This batch has no run %(number)d.") % {"number": number})
    return run


def assign_run_volunteer(context: AppContext, batch_key: str, number: int,
                         volunteer: str | None) -> Saved[None]:
    """Give run ``number`` to a volunteer (name or reference; None or "" for nobody).
    Raises NotFoundError; commits."""
    require(context, Permission.PACKS)
    with context.db.transaction(_("Assign a volunteer to run %(number)d") % {"number": number}) as uow:
        session = uow.session
        run = find_run_row(session, find_batch_row(session, batch_key).id, number)
        run.volunteer_id = find_volunteer_row(session, volunteer).id if volunteer else None
        session.add(run)
    return Saved(None, uow.changes)


# -- packs and progress ---------------------------------------------------------------


def pack_records(session: Session, *conditions) -> list[PackRecord]:
    """Packs matching ``conditions`` with family, area, run and volunteer, in run order."""
    run = aliased(PackRun)
    # sqlmodel's select() is typed for up to 4 entities
    query = (select(Pack, Family, Area.name, run.number, Volunteer.name, PackBatch.reference)  # type: ignore[call-overload]
             .join(Family, Family.id == Pack.family_id)
             .join(PackBatch, PackBatch.id == Pack.batch_id)
             .outerjoin(Area, Area.id == Family.area_id)
             .outerjoin(run, run.id == Pack.run_id)
             .outerjoin(Volunteer, Volunteer.id == Pack.volunteer_id)
             .where(live(Pack), *conditions))
    records = [PackRecord(
        id=pack.id, code=pack.code, batch_id=pack.batch_id, batch_reference=batch_reference,
        family_reference=family.reference, family_name=family.name, address=family.address,
        postcode=family.postcode, area=area or "", run_number=run_number,
        run_position=pack.run_position, status=pack.status, status_at=pack.status_at,
        volunteer=volunteer or "", note=pack.note)
        for pack, family, area, run_number, volunteer, batch_reference in session.exec(query)]
    return sorted(records, key=lambda r: (r.run_number is None, r.run_number or 0, r.run_position or 0,
                                          r.area, r.postcode, r.family_name))


def list_packs(context: AppContext, batch_key: str, run_number: int | None = None,
               outstanding_only: bool = False) -> list[PackRecord]:
    """A batch's packs (or one run's) in run order; ``outstanding_only``: not delivered."""
    require(context, Permission.DELIVERIES)
    with context.db.read() as session:
        batch = find_batch_row(session, batch_key)
        conditions = [Pack.batch_id == batch.id]
        if run_number is not None:
            conditions.append(Pack.run_id == find_run_row(session, batch.id, run_number).id)
        if outstanding_only:
            conditions.append(Pack.status != Outcome.DELIVERED.value)
        packs = pack_records(session, *conditions)
    own = own_runs_only(context)
    if own is None:
        return packs
    # A volunteer sees the packs of their own runs: names, addresses and codes they deliver to.
    mine = {run.number for run in list_runs(context, batch_key)}
    return [pack for pack in packs if pack.run_number in mine]


def _progress(statuses: Counter, duplicates: int) -> Progress:
    from peer_support.services.summary import progress_from

    return progress_from(statuses, duplicates)


def progress_counts(session: Session, batch_id: str) -> tuple[Progress, dict[str | None, Progress]]:
    """The batch's progress and each run's (key: run id, None for packs in no run)."""
    from peer_support.services.summary import pack_progress
    from peer_support.storage.family_search import driver_connection

    return pack_progress(driver_connection(session), batch_id)


def batch_progress(context: AppContext, batch_key: str) -> tuple[Progress, list[RunProgress]]:
    """Delivered / outstanding / problems for the batch and for each of its runs (plain SQL)."""
    from peer_support.services.summary import batch_progress as plain_batch_progress

    _batch, overall, runs = plain_batch_progress(context, batch_key)
    return overall, runs


# -- documents ------------------------------------------------------------------------


def export_labels(context: AppContext, batch_key: str, path, sheet: str = "L7163",
                  run_number: int | None = None, sort_by_run: bool = True, skip: int = 0) -> int:
    """Write QR labels for a batch (or one run) to ``path``; returns pages.
    Raises NotFoundError, ExportError. Changes nothing."""
    require(context, Permission.PACKS)
    from peer_support.exports import labels, packs_pdf  # PDF libraries load only when printing

    batch = get_batch(context, batch_key)
    packs = list_packs(context, batch_key, run_number)
    if not sort_by_run:
        packs.sort(key=lambda p: (p.area, p.postcode, p.family_name))
    return packs_pdf.write_pack_labels(path, packs, labels.sheet_named(sheet), batch.name, skip)


def export_run_sheets(context: AppContext, batch_key: str, path, run_number: int | None = None) -> int:
    """Run sheets (all runs, or one) to a PDF; returns the number of runs.
    Raises NotFoundError, ValidationError (no runs planned), ExportError. Changes nothing."""
    require(context, Permission.PACKS)
    from peer_support.exports import packs_pdf

    batch = get_batch(context, batch_key)
    runs = [r for r in list_runs(context, batch_key) if run_number is None or r.number == run_number]
    if not runs:
        raise ValidationError(_("Plan the delivery runs of this batch first."))
    packs = list_packs(context, batch_key)
    packs_pdf.write_run_sheets(path, batch, [(run, [p for p in packs if p.run_number == run.number])
                                             for run in runs])
    return len(runs)


def export_outstanding(context: AppContext, batch_key: str, path, run_number: int | None = None) -> int:
    """The packs not delivered yet to ``path`` (.csv or .pdf); returns how many.
    Raises NotFoundError, ExportError. Changes nothing."""
    require(context, Permission.PACKS)
    from peer_support.exports import packs_pdf

    kind = output_format(path, ("csv", "pdf"))
    batch = get_batch(context, batch_key)
    packs = list_packs(context, batch_key, run_number, outstanding_only=True)
    if kind == "csv":
        packs_pdf.write_outstanding_csv(path, packs)
    else:
        overall, by_run = batch_progress(context, batch_key)
        if run_number is not None:
            overall = next(r.progress for r in by_run if r.run.number == run_number)
        packs_pdf.write_outstanding_pdf(path, batch, overall, packs, context.clock.now())
    return len(packs)


__all__ = ["OUTSTANDING", "assign_run_volunteer", "batch_progress", "create_batch", "export_labels",
           "export_outstanding", "export_run_sheets", "find_batch_row", "get_batch", "list_batches",
           "list_packs", "list_runs", "plan_runs"]
