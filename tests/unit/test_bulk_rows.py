"""storage/bulk.py, the plain-SQL reads and writes of sync apply: what it reads is what the ORM
reads, and what it writes (each column through its bind processor, remembered per value within a
batch) is stored as the ORM stores it, value by value.

Families are made through the services; bulk's own reads and writes are the subject here.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from peer_support.domain.families import FamilyDraft
from peer_support.services import families
from peer_support.storage.bulk import execute_many, select_rows
from peer_support.storage.tables.families import Family


def _made(context) -> list[str]:
    made = [families.create_family(context, FamilyDraft(name="Nowak", consent_date=date(2026, 3, 1),
                                                        consent_contact=True, needs_device=True)),
            families.create_family(context, FamilyDraft(name="Jensen")),
            families.create_family(context, FamilyDraft(name="Smith", consent_photos=True))]
    families.set_family_archived(context, made[2].reference, True)
    return [record.id for record in made]


def test_select_rows_reads_what_the_orm_reads(context):
    ids = _made(context)
    table = Family.__table__
    names = [column.name for column in table.columns]
    with context.db.read() as session:
        read = {values[names.index("id")]: dict(zip(names, values))
                for values in select_rows(session, table, "id", sorted(ids))}
        orm = {family.id: {name: getattr(family, name) for name in names}
               for family in session.scalars(select(Family).where(Family.id.in_(ids)))}
    assert read == orm
    for values in read.values():  # the same types too: a flag is a bool, an instant is in UTC
        assert all(type(values[name]) is type(orm[values["id"]][name]) for name in names)
        assert values["created_at"].tzinfo == timezone.utc


def test_execute_many_stores_each_value_as_the_orm_would(context):
    ids = _made(context)
    instant = datetime(2026, 5, 1, 9, 30, tzinfo=timezone.utc)
    values = [  # the same instant written two ways, and a later one; flags given as True and as 1
        {"id": ids[0], "created_at": instant, "archived": True, "consent_date": date(2026, 1, 2)},
        {"id": ids[1], "created_at": instant.astimezone(timezone(timedelta(hours=2))), "archived": 1,
         "consent_date": None},
        {"id": ids[2], "created_at": instant + timedelta(seconds=1), "archived": False,
         "consent_date": date(2026, 1, 2)},
    ]
    names = ["created_at", "archived", "consent_date", "id"]
    with context.db.transaction("bulk write") as uow:
        execute_many(uow.session, Family.__table__,
                     'UPDATE "family" SET created_at = ?, archived = ?, consent_date = ? WHERE id = ?', names, values)
    with context.db.read() as session:
        stored = {family.id: family for family in session.scalars(select(Family).where(Family.id.in_(ids)))}
    assert [stored[i].created_at for i in ids] == [instant, instant, instant + timedelta(seconds=1)]
    assert [stored[i].archived for i in ids] == [True, True, False]
    assert [stored[i].consent_date for i in ids] == [date(2026, 1, 2), None, date(2026, 1, 2)]
