"""Three laptops of an encrypted group, clocks up to a day apart, working through the services
(families added, edited, archived, restored, merged; packs delivered by different volunteers;
actions undone; conflicts decided), their files passed around in random orders and subsets,
with one damaged file and forged ones in the folders. At the end all three hold the same
data, every family is found by its current name and phone on every laptop, every pack
names its first deliverer, and every overwritten concurrent edit is in a conflicts list."""

from __future__ import annotations

import dataclasses
import json
import random
import shutil
from datetime import datetime as _datetime, timedelta, timezone as _timezone

import pytest
from sqlmodel import select

from peer_support.clock import FixedClock
from peer_support.context import open_context
from peer_support.domain.families import FamilyDraft, FamilyQuery, VolunteerDraft
from peer_support.domain.packs import BatchDraft, Outcome
from peer_support.errors import PeerSupportError
from peer_support.services import deliveries, families, packs
from peer_support.services.backups import back_up_now, restore_backup
from peer_support.services.families_merge import merge_families
from peer_support.services.families_search import count_families
from peer_support.services.history import undo_action
from peer_support.services.sync import list_conflicts, resolve_conflict, set_passphrase, sync_now
from peer_support.services.sync.check import canonical_dump
from peer_support.services.sync.journal import encode, file_name, list_journal, read_journal
from peer_support.services.sync.state import KEY, get_value
from peer_support.storage.conditions import live
from peer_support.storage.tables.packs import Pack, PackEvent
from peer_support.storage.tables.sync import SyncConflict

FIXED_NOW = _datetime(2026, 11, 25, 10, 30, tzinfo=_timezone.utc)  # as tests/conftest.py

SKEWS = (timedelta(0), timedelta(hours=23), timedelta(hours=-19))
EDITED = {"family": ("name", "phone", "notes", "postcode", "archived")}
PASSPHRASE = "three laptops, one group"
AREAS = ("Cliftonville", "Westbrook", "Garlinge")
SCHOOLS = ("Hartsdown Academy", "Dane Court", "Charles Dickens School")


class Laptop:
    def __init__(self, root, number: int) -> None:
        shutil.copytree(root / "template", root / f"laptop{number}")
        (root / f"laptop{number}" / "local.json").unlink(missing_ok=True)
        self.number = number
        self.clock = FixedClock(FIXED_NOW + SKEWS[number])
        self.context = open_context(root / f"laptop{number}", self.clock)
        self.id = self.context.local.device_id
        self.folder = root / f"folder{number}"
        self.folder.mkdir()
        self.actions: list[str] = []  # own actions, for undo
        self.last_report = None

    def sync(self):
        self.last_report = sync_now(self.context, self.folder)
        return self.last_report

    def key(self) -> bytes:
        with self.context.db.read() as session:
            return bytes.fromhex(get_value(session, KEY))


def _families(lap: Laptop) -> list:
    return families.search_families(lap.context, include_archived=True)


def _phone(rng: random.Random) -> str:
    return f"07700 9{rng.randint(0, 99999):05d}"


def create_family(lap: Laptop, rng: random.Random) -> None:
    draft = FamilyDraft(name=f"Family {rng.randint(0, 10 ** 6)}", phone=_phone(rng), area=rng.choice(AREAS),
                        schools=tuple(rng.sample(SCHOOLS, rng.randint(0, 2))))
    lap.actions.append(families.save_new_family(lap.context, draft).changes.action_id)


def edit_family(lap: Laptop, rng: random.Random) -> None:
    record = rng.choice(_families(lap))
    field = rng.choice(("name", "phone", "phone", "notes", "postcode", "schools", "archived"))
    if field == "archived":
        saved = families.set_family_archived(lap.context, record.reference, not record.archived)
    else:
        value = {"name": f"Renamed {rng.randint(0, 10 ** 6)}", "phone": _phone(rng),
                 "notes": rng.choice(("see Anna", "call after 5", "")), "postcode": rng.choice(("CT9 1AA", "")),
                 "schools": tuple(rng.sample(SCHOOLS, rng.randint(0, 2)))}[field]
        saved = families.update_family(lap.context, record.reference,
                                       dataclasses.replace(record.draft(), **{field: value}))
    lap.actions.append(saved.changes.action_id)


def deliver_pack(lap: Laptop, rng: random.Random) -> None:
    pack = rng.choice(packs.list_packs(lap.context, "B01"))
    volunteer = rng.choice(families.list_volunteers(lap.context))
    outcome = rng.choice((Outcome.DELIVERED, Outcome.DELIVERED, Outcome.NOT_HOME))
    saved = deliveries.record_scan(lap.context, pack.code, volunteer_id=volunteer.id, outcome=outcome)
    lap.actions.append(saved.changes.action_id)


def merge_two(lap: Laptop, rng: random.Random) -> None:
    live = _families(lap)
    if len(live) > 4:
        keep, merged = rng.sample(live, 2)
        lap.actions.append(merge_families(lap.context, keep.reference, merged.reference).changes.action_id)


def undo_one(lap: Laptop, rng: random.Random) -> None:
    if lap.actions:
        undo_action(lap.context, lap.actions.pop(rng.randrange(len(lap.actions))))


def resolve_one(lap: Laptop, rng: random.Random) -> None:
    open_ones = [c for c in list_conflicts(lap.context) if c.needs_decision]
    if open_ones:
        resolve_conflict(lap.context, rng.choice(open_ones).id, rng.choice(("local", "remote")))


OPERATIONS = [create_family, edit_family, edit_family, edit_family, edit_family, deliver_pack, deliver_pack,
              merge_two, undo_one, resolve_one]


def transport(rng: random.Random, laptops: list[Laptop], everything: bool = False) -> None:
    """Like a file-sync tool with delays: some of each laptop's files reach each other folder."""
    for target in laptops:
        for source in laptops:
            if source is target:
                continue
            source_dir = source.folder / "journal" / source.id
            if not source_dir.is_dir():
                continue
            files = sorted(p for p in source_dir.iterdir() if p.suffix == ".psj")
            rng.shuffle(files)
            chosen = files if everything else files[:rng.randint(0, len(files))]
            target_dir = target.folder / "journal" / source.id
            target_dir.mkdir(parents=True, exist_ok=True)
            for path in chosen:
                shutil.copyfile(path, target_dir / path.name)


def damage_own_newest_file(lap: Laptop) -> None:
    newest = list_journal(lap.folder / "journal" / lap.id)[-1].path
    data = bytearray(newest.read_bytes())
    data[len(data) // 2] ^= 0x01
    newest.write_bytes(bytes(data))


def forge_files(attacker_target: Laptop, victim: Laptop) -> None:
    """A plain file and a moved encrypted file in ``attacker_target``'s folder, as the victim's."""
    folder = attacker_target.folder / "journal" / victim.id
    folder.mkdir(parents=True, exist_ok=True)
    refs = list_journal(folder)
    after = max((r.last_seq for r in refs), default=0) + 1
    payload = {"device_id": victim.id, "schema_rev": "", "actions": {}, "changes": [{
        "change_id": "forged", "seq": after, "hlc": f"999999999999999.000000.{victim.id}", "action_id": "forged",
        "entity": "family", "entity_id": "forged", "op": "update", "seen": {},
        "changes": {"name": ["", "FORGED"]}}]}
    (folder / file_name(after, after)).write_bytes(encode(payload, victim.id, after, after, None))
    if refs:
        shutil.copyfile(refs[0].path, folder / file_name(after + 1, after + 1 + refs[0].last_seq - refs[0].first_seq))


def seed(lap: Laptop) -> None:
    for number in range(6):
        families.create_family(lap.context, FamilyDraft(name=f"Seed {number}", phone=f"01843 {number:06d}",
                                                        area=AREAS[number % 3], schools=(SCHOOLS[number % 3],)))
    for name in ("Anna Volunteer", "Ben Volunteer"):
        families.create_volunteer(lap.context, VolunteerDraft(name=name))
    packs.create_batch(lap.context, BatchDraft(name="Winter pack"))


def _journal_entries(laptops: list[Laptop]) -> dict[tuple[str, int], dict]:
    entries = {}
    for lap in laptops:
        for ref in list_journal(lap.folder / "journal" / lap.id):
            for entry in read_journal(ref, lap.key()).changes:
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
            if field in entry["changes"] and entry["op"] == "update":
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


def _run(laptops: list[Laptop], rng: random.Random) -> None:
    restorer, backup = rng.choice(laptops), None
    for round_number in range(16):
        for lap in laptops:
            for _ in range(rng.randint(0, 4)):
                try:
                    rng.choice(OPERATIONS)(lap, rng)
                except PeerSupportError:
                    pass  # a refused action (already delivered, changed again since, ...) changes nothing
            lap.clock.advance(minutes=rng.randint(1, 90))
        for lap in rng.sample(laptops, rng.randint(1, 3)):
            lap.sync()
        transport(rng, laptops)
        if round_number == 6:
            victim = rng.choice(laptops)
            if list_journal(victim.folder / "journal" / victim.id):
                damage_own_newest_file(victim)
        if round_number == 9:
            target, victim = rng.sample(laptops, 2)
            forge_files(target, victim)
        if round_number == 3:
            backup = back_up_now(restorer.context).path
        if round_number == 11:  # back to an older backup, after making and sending changes since
            restore_backup(restorer.context, backup)


@pytest.mark.parametrize("seed_number", [1, 2, 3])
def test_three_laptops_converge(tmp_path, empty_template, seed_number):
    rng = random.Random(seed_number)
    shutil.copytree(empty_template, tmp_path / "template")
    laptops = [Laptop(tmp_path, n) for n in range(3)]
    try:
        for lap in laptops:
            if lap.number:
                shutil.copyfile(laptops[0].folder / "group.json", lap.folder / "group.json")
            set_passphrase_in(lap)
        seed(laptops[0])
        laptops[0].sync()
        transport(rng, laptops, everything=True)
        for lap in laptops:
            lap.sync()
        _run(laptops, rng)
        # The random choices may miss it, so make sure one concurrent edit nothing later supersedes.
        both = sorted({f.reference for f in _families(laptops[0])} & {f.reference for f in _families(laptops[1])})
        for lap, notes in ((laptops[0], "Concurrent A"), (laptops[1], "Concurrent B")):
            record = families.get_family(lap.context, both[0])
            families.update_family(lap.context, both[0], dataclasses.replace(record.draft(), notes=notes))
        for _final in range(4):
            for lap in laptops:
                lap.sync()
            transport(rng, laptops, everything=True)

        dumps = [canonical_dump(lap.context) for lap in laptops]
        assert dumps[0] == dumps[1] == dumps[2], _differences(dumps)
        assert len(dumps[0]["family"]) > 6
        references = [f["reference"] for f in dumps[0]["family"] if not f["deleted"]]
        assert all("~" not in r for r in references) and len(set(references)) == len(references)
        live_areas = {a["id"]: a["name"] for a in dumps[0]["area"] if not a["deleted"]}
        assert sorted(live_areas.values()) == sorted(set(live_areas.values()))  # each name once
        for lap in laptops:  # only forged files are left refused; nothing damaged is waiting
            assert {p.kind for p in lap.last_report.problems} <= {"foreign"}
            assert not lap.last_report.waiting
            for family in (f for f in dumps[0]["family"] if not f["deleted"]):
                for text in (family["name"], family["phone"]):
                    assert count_families(lap.context, FamilyQuery(text=text, archived="all")) >= 1, text
            assert count_families(lap.context, FamilyQuery(text="FORGED", archived="all")) == 0
            _check_packs(lap)

        recorded = set()
        for lap in laptops:
            with lap.context.db.read() as session:
                for c in session.exec(select(SyncConflict).where(SyncConflict.kind.in_(("field", "archive")))):
                    recorded.update({(c.entity, c.entity_id, c.field, c.local_hlc),
                                     (c.entity, c.entity_id, c.field, c.remote_hlc)})
        must = _overwritten_concurrent_edits(_journal_entries(laptops))
        assert must, "the simulation should produce concurrent edits"
        assert [m for m in must if m not in recorded] == []
    finally:
        for lap in laptops:
            lap.context.close()


def _differences(dumps: list[dict]) -> list[tuple]:
    """Which fields of which records differ between the laptops (the failure message)."""
    found = []
    for table, rows in dumps[0].items():
        first = {r["id"]: r for r in rows}
        for number, dump in enumerate(dumps[1:], 1):
            other = {r["id"]: r for r in dump[table]}
            for key in sorted(set(first) | set(other)):
                a, b = first.get(key) or {}, other.get(key) or {}
                if a != b:
                    found.append((table, key[:8], number, {f: (a.get(f), b.get(f)) for f in set(a) | set(b)
                                                           if a.get(f) != b.get(f)}))
    return found[:10]


def set_passphrase_in(lap: Laptop) -> None:
    from peer_support.services.sync import set_sync_folder

    set_sync_folder(lap.context, lap.folder)
    set_passphrase(lap.context, PASSPHRASE)


def _check_packs(lap: Laptop) -> None:
    """Each pack counts one delivery at most, and names the first one's volunteer."""
    with lap.context.db.read() as session:
        for pack in session.exec(select(Pack)):
            events = session.exec(select(PackEvent).where(PackEvent.pack_id == pack.id,
                                                          live(PackEvent))).all()
            delivered = [e for e in events if e.outcome == "delivered"]
            assert len(delivered) <= 1
            if delivered:
                assert (pack.status, pack.volunteer_id, pack.status_at) == (
                    "delivered", delivered[0].volunteer_id, delivered[0].at)
            elif not [e for e in events if e.outcome != "duplicate"]:
                assert pack.status == "outstanding"


def test_values_are_json_in_the_journal(tmp_path, empty_template):
    shutil.copytree(empty_template, tmp_path / "template")
    lap = Laptop(tmp_path, 0)
    try:
        seed(lap)
        lap.sync()
        ref = list_journal(lap.folder / "journal" / lap.id)[0]
        entry = read_journal(ref, None).changes[0]
        json.dumps(entry)
        assert entry["seen"] == {} and entry["op"] == "insert"
    finally:
        lap.context.close()
