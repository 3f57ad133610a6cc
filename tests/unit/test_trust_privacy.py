"""Subject access export and erasure: everything out, then nothing left, totals unchanged."""

from __future__ import annotations

import json
import zipfile

import pytest
from sqlalchemy import text

from peer_support.errors import ExportError, NotFoundError
from peer_support.services.backups import back_up_now
from peer_support.services.privacy import erase_family, export_family, family_rows, personal_columns
from peer_support.storage.tables import entity_classes
from peer_support.storage.tables.families import Family


def _busiest_family(context) -> Family:
    """The sample family with the most related rows (fund, meetings, packs...)."""
    with context.db.read() as session:
        best, best_rows = None, -1
        for family in session.exec(text("SELECT id FROM family ORDER BY reference LIMIT 120")).all():
            rows = family_rows(session, family[0])
            count = sum(len(v) for v in rows.values()) + 10 * len(rows)
            if count > best_rows:
                best, best_rows = rows["family"][0], count
        return best


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
    return totals


def _personal_values(context, family_id) -> list[str]:
    with context.db.read() as session:
        rows = family_rows(session, family_id)
        values = []
        for table_rows in rows.values():
            for row in table_rows:
                for column in personal_columns(type(row)):
                    value = getattr(row, column)
                    if isinstance(value, str) and len(value) >= 6:
                        values.extend(line for line in value.splitlines() if len(line) >= 6)
        return sorted(set(values)), rows


def _database_bytes(folder) -> bytes:
    return b"".join(p.read_bytes() for p in folder.glob("peer-support.sqlite3*"))


def test_family_export_holds_everything_about_the_family(sample_context, tmp_path):
    family = _busiest_family(sample_context)
    values, rows = _personal_values(sample_context, family.id)
    result = export_family(sample_context, family.reference, tmp_path / "sar.zip")
    assert set(result.tables) == set(rows) and len(rows) >= 3
    with zipfile.ZipFile(result.path) as archive:
        document = json.loads(archive.read("family.json"))
        names = archive.namelist()
        everything = b"".join(archive.read(name) for name in names).decode("utf-8")
    assert document["family"] == family.reference
    assert {f"csv/{table}.csv" for table in rows} <= set(names) and "csv/history.csv" in names
    assert all(value in everything for value in values)
    assert document["history"] and document["history"][0]["change"] == "insert"


def test_family_export_refuses_bad_targets(sample_context, tmp_path):
    with pytest.raises(NotFoundError):
        export_family(sample_context, "F9999", tmp_path / "x.zip")
    with pytest.raises(ExportError):
        export_family(sample_context, "F0001", tmp_path / "x.pdf")
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(ExportError):
        export_family(sample_context, "F0001", tmp_path / "a-file" / "x.zip")


def test_erasure_leaves_no_trace_and_keeps_the_totals(sample_context, sample_dir):
    family = _busiest_family(sample_context)
    values, rows = _personal_values(sample_context, family.id)
    assert family.name in values and len(values) >= 3
    before = _totals(sample_context)
    data = _database_bytes(sample_dir)
    assert any(value.encode() in data for value in values)

    result = erase_family(sample_context, family.reference)
    assert result.rows_blanked == sum(len(v) for v in rows.values())

    data = _database_bytes(sample_dir)
    assert [v for v in values if v.encode() in data] == []
    with sample_context.db.read() as session:
        for table in ("change_log", "action"):
            dump = "\n".join(str(row) for row in session.execute(text(f"SELECT * FROM {table}")))
            assert [v for v in values if v in dump] == []
        # That the changes happened is kept.
        assert session.execute(text("SELECT count(*) FROM change_log WHERE entity_id = :id"),
                               {"id": family.id}).scalar() >= 2
    backup = back_up_now(sample_context).path.read_bytes()
    assert [v for v in values if v.encode() in backup] == []
    after = _totals(sample_context)
    assert after == before


def test_erasing_an_unknown_family_changes_nothing(sample_context):
    with pytest.raises(NotFoundError):
        erase_family(sample_context, "F9999")


def test_receipts_are_exported_and_erased_with_the_family(sample_context, tmp_path):
    from datetime import date

    from peer_support.domain.fund import PaymentDraft, PaymentMethod
    from peer_support.services.fund import record_payment
    from peer_support.storage.tables.fund import FundApplication

    with sample_context.db.read() as session:
        application = session.exec(text(
            "SELECT a.reference, f.reference, a.approved_pence FROM fund_application a "
            "JOIN family f ON f.id = a.family_id WHERE a.status = 'approved' LIMIT 1")).one()
    assert FundApplication.__tablename__ == "fund_application"
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
    paid_before = _totals(sample_context)
    erased = erase_family(sample_context, application[1])
    assert erased.files_deleted == 1 and not receipts[0].exists()
    assert _totals(sample_context) == paid_before
