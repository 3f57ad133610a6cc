"""Three laptops, clocks up to a day apart, random edits, files passed around in random
orders and subsets: at the end all three hold the same data, every overwritten
concurrent edit is in a conflicts list, and no pack is delivered twice."""

from __future__ import annotations

from datetime import datetime as _datetime, timezone as _timezone

import json
import random
import shutil
from datetime import timedelta

import pytest
from sqlmodel import func, select

from peer_support.clock import FixedClock
from peer_support.context import open_context
from peer_support.services.sync import list_conflicts, resolve_conflict, sync_now
from peer_support.services.sync.check import canonical_dump
from peer_support.services.sync.journal import list_journal, read_journal
from peer_support.storage.tables.core import Setting
from peer_support.storage.tables.families import Area, Family, FamilySchool, School
from peer_support.storage.tables.packs import Pack, PackBatch, PackEvent
from peer_support.storage.tables.sync import SyncConflict

FIXED_NOW = _datetime(2026, 11, 25, 10, 30, tzinfo=_timezone.utc)  # as tests/conftest.py

SKEWS = (timedelta(0), timedelta(hours=23), timedelta(hours=-19))
EDITED = {"family": ("phone", "notes", "postcode", "archived"), "setting": ("value",)}
VALUES = ("01234 567890", "07700 900123", "see Anna", "TN1 1AA", "")


class Laptop:
    def __init__(self, root, number: int) -> None:
        shutil.copytree(root / "template", root / f"laptop{number}")
        (root / f"laptop{number}" / "local.json").unlink(missing_ok=True)
        self.clock = FixedClock(FIXED_NOW + SKEWS[number])
        self.context = open_context(root / f"laptop{number}", self.clock)
        self.id = self.context.local.device_id
        self.folder = root / f"folder{number}"
        self.folder.mkdir()

    def sync(self):
        return sync_now(self.context, self.folder)


def _live(session, model, *where):
    return session.exec(select(model).where(model.deleted == False, *where).order_by(model.id)).all()  # noqa: E712


def create_family(lap: Laptop, rng: random.Random) -> None:
    """Like the families service: the next reference, and an area by name, created on first use."""
    with lap.context.db.transaction("add") as uow:
        top = uow.session.exec(select(func.max(Family.reference))).one() or "F0000"
        area_name = rng.choice(("Cliftonville", "Westbrook", "Garlinge"))
        area = uow.session.exec(select(Area).where(Area.name == area_name)).first()
        if area is None:
            area = Area(name=area_name)
            uow.session.add(area)
            uow.session.flush()
        uow.session.add(Family(reference=f"F{int(top[1:5]) + 1:04d}", name=f"Family {rng.random():.5f}",
                               area_id=area.id))


def edit_family(lap: Laptop, rng: random.Random) -> None:
    with lap.context.db.transaction("edit") as uow:
        families = _live(uow.session, Family)
        family = rng.choice(families)
        field = rng.choice(EDITED["family"])
        setattr(family, field, (not family.archived) if field == "archived" else rng.choice(VALUES))
        uow.session.add(family)


def link_school(lap: Laptop, rng: random.Random) -> None:
    with lap.context.db.transaction("link") as uow:
        family = rng.choice(_live(uow.session, Family))
        school = rng.choice(_live(uow.session, School))
        if not _live(uow.session, FamilySchool, FamilySchool.family_id == family.id,
                     FamilySchool.school_id == school.id):
            uow.session.add(FamilySchool(family_id=family.id, school_id=school.id))


def deliver_pack(lap: Laptop, rng: random.Random) -> None:
    with lap.context.db.transaction("deliver") as uow:
        pack = rng.choice(_live(uow.session, Pack))
        if pack.status != "delivered":
            pack.status, pack.status_at = "delivered", uow.now
            uow.session.add(pack)
            uow.session.flush()
            uow.session.add(PackEvent(pack_id=pack.id, batch_id=pack.batch_id, outcome="delivered", at=uow.now))


def edit_setting(lap: Laptop, rng: random.Random) -> None:
    with lap.context.db.transaction("setting") as uow:
        row = uow.session.get(Setting, "group_name")
        if row is None:
            uow.session.add(Setting(id="group_name", value=rng.choice(VALUES)))
        else:
            row.value = rng.choice(VALUES)
            uow.session.add(row)


def resolve_one(lap: Laptop, rng: random.Random) -> None:
    open_ones = [c for c in list_conflicts(lap.context) if c.needs_decision]
    if open_ones:
        resolve_conflict(lap.context, rng.choice(open_ones).id, rng.choice(("local", "remote")))


OPERATIONS = [create_family, edit_family, edit_family, edit_family, link_school, deliver_pack,
              edit_setting, resolve_one]


def transport(rng: random.Random, laptops: list[Laptop], everything: bool = False) -> None:
    """Like a file-sync tool with delays: some of each laptop's files reach each other folder."""
    for target in laptops:
        for source in laptops:
            if source is target:
                continue
            source_dir = source.folder / "journal" / source.id
            if not source_dir.is_dir():
                continue
            files = sorted(source_dir.iterdir())
            rng.shuffle(files)
            chosen = files if everything else files[:rng.randint(0, len(files))]
            target_dir = target.folder / "journal" / source.id
            target_dir.mkdir(parents=True, exist_ok=True)
            for path in chosen:
                shutil.copyfile(path, target_dir / path.name)


def seed_first_laptop(lap: Laptop) -> None:
    with lap.context.db.transaction("seed") as uow:
        schools = [School(name=f"School {n}") for n in range(3)]
        batch = PackBatch(reference="B01", name="Winter pack")
        uow.session.add_all([*schools, batch])
        for number in range(1, 7):
            family = Family(reference=f"F{number:04d}", name=f"Family {number}")
            uow.session.add(family)
            uow.session.flush()  # no ORM relationships: parents first, by hand
            uow.session.add(Pack(batch_id=batch.id, family_id=family.id, code=f"PK{number:04d}X"))


def _journal_entries(laptops: list[Laptop]) -> dict[tuple[str, int], dict]:
    entries = {}
    for lap in laptops:
        for ref in list_journal(lap.folder / "journal" / lap.id):
            for entry in read_journal(ref, None).changes:
                entries[(lap.id, entry["seq"])] = dict(entry, device_id=lap.id)
    return entries


def _causal_past(write: dict, entries: dict) -> dict[str, int]:
    """Everything the author of ``write`` had seen, directly or through what it had seen."""
    past = dict(write["seen"])
    past[write["device_id"]] = write["seq"] - 1
    changed = True
    while changed:
        changed = False
        for device, seq in list(past.items()):
            if seq <= 0 or (device, seq) not in entries:
                continue
            for other, other_seq in entries[(device, seq)]["seen"].items():
                if past.get(other, 0) < other_seq:
                    past[other], changed = other_seq, True
    return past


def _overwritten_concurrent_edits(entries: dict) -> list[tuple[str, str, str, str]]:
    writes: dict[tuple[str, str, str], list[dict]] = {}
    for entry in entries.values():
        for field in EDITED.get(entry["entity"], ()):
            if field in entry["changes"]:
                writes.setdefault((entry["entity"], entry["entity_id"], field), []).append(entry)
    missing = []
    for (entity, entity_id, field), candidates in writes.items():
        winner = max(candidates, key=lambda e: e["hlc"])
        past = _causal_past(winner, entries)
        for write in candidates:
            if write is winner or write["changes"][field][1] == winner["changes"][field][1]:
                continue
            if past.get(write["device_id"], 0) < write["seq"]:
                missing.append((entity, entity_id, field, write["hlc"]))
    return missing


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_three_laptops_converge(tmp_path, empty_template, seed):
    rng = random.Random(seed)
    shutil.copytree(empty_template, tmp_path / "template")
    laptops = [Laptop(tmp_path, n) for n in range(3)]
    try:
        seed_first_laptop(laptops[0])
        laptops[0].sync()
        transport(rng, laptops, everything=True)
        for lap in laptops:
            lap.sync()
        for _round in range(20):
            for lap in laptops:
                for _ in range(rng.randint(0, 4)):
                    rng.choice(OPERATIONS)(lap, rng)
                lap.clock.advance(minutes=rng.randint(1, 90))
            for lap in rng.sample(laptops, rng.randint(1, 3)):
                lap.sync()
            transport(rng, laptops)
        # The random choices pick among rows ordered by random UUIDs, so make sure one
        # concurrent edit that nothing later supersedes happens whatever the seed picks.
        for lap, notes in ((laptops[0], "Concurrent A"), (laptops[1], "Concurrent B")):
            with lap.context.db.transaction("concurrent edit") as uow:
                family = uow.session.exec(select(Family).order_by(Family.reference)).first()
                family.notes = notes
                uow.session.add(family)
        for _final in range(4):
            for lap in laptops:
                lap.sync()
            transport(rng, laptops, everything=True)
        dumps = [canonical_dump(lap.context) for lap in laptops]
        assert dumps[0] == dumps[1] == dumps[2]
        assert len(dumps[0]["family"]) > 6
        references = [f["reference"] for f in dumps[0]["family"]]
        assert all("~" not in r for r in references) and len(set(references)) == len(references)
        live_areas = {a["id"]: a["name"] for a in dumps[0]["area"] if not a["deleted"]}
        assert sorted(live_areas.values()) == sorted(set(live_areas.values()))  # each name once
        assert all(f["area_id"] in live_areas for f in dumps[0]["family"] if f["area_id"])

        for lap in laptops:
            with lap.context.db.read() as session:
                for pack in session.exec(select(Pack)):
                    delivered = _live(session, PackEvent, PackEvent.pack_id == pack.id,
                                      PackEvent.outcome == "delivered")
                    assert len(delivered) <= 1
                for link in _live(session, FamilySchool):
                    assert len(_live(session, FamilySchool, FamilySchool.family_id == link.family_id,
                                     FamilySchool.school_id == link.school_id)) == 1

        recorded = set()
        for lap in laptops:
            with lap.context.db.read() as session:
                for c in session.exec(select(SyncConflict).where(SyncConflict.kind == "field")):
                    recorded.update({(c.entity, c.entity_id, c.field, c.local_hlc),
                                     (c.entity, c.entity_id, c.field, c.remote_hlc)})
        must = _overwritten_concurrent_edits(_journal_entries(laptops))
        assert must, "the simulation should produce concurrent edits"
        assert [m for m in must if m not in recorded] == []
    finally:
        for lap in laptops:
            lap.context.close()


def test_values_are_json_in_the_journal(tmp_path, empty_template):
    shutil.copytree(empty_template, tmp_path / "template")
    lap = Laptop(tmp_path, 0)
    try:
        seed_first_laptop(lap)
        lap.sync()
        ref = list_journal(lap.folder / "journal" / lap.id)[0]
        entry = read_journal(ref, None).changes[0]
        json.dumps(entry)
        assert entry["seen"] == {} and entry["op"] == "insert"
    finally:
        lap.context.close()
