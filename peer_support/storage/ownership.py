"""Whose personal data a row is: declared next to each table, never guessed.

Every synced table (``Entity``) says in ``__owner__`` how its rows belong to a
data subject: a **family** (with its members) or a **volunteer**. Erasure and
the subject access export follow these declarations only; they never walk
foreign keys on their own, so a delivery run never drags in the other families
on it. ``tests/unit/test_ownership.py`` fails for a table without one.

``Owned(subject, via, personal)``:

- ``via`` is the chain of foreign-key columns from the row to the subject's
  own row: ``()`` for the subject's row itself, ``("family_id",)`` for a row
  pointing at the family, ``("application_id", "family_id")`` for a payment of
  one of its fund applications.
- ``personal`` are the columns holding the subject's personal data; erasure
  sets them to ``ERASED`` when listed in ``shown_erased`` (a name shown as the
  person who acted), to "" for other text and to None otherwise. Everything
  else (dates, numbers, yes/no, codes, links) stays, so counts and totals stay.
- ``files`` are columns naming a file copied into the data folder (receipts):
  exported with the subject and deleted on erasure.
- ``free_text`` are columns people type into freely: when *another* subject
  is erased, they are searched for mentions of it, listed for a lead to review
  and edit, never rewritten by substring.

``NotPersonal(why)`` is the declaration of a table that belongs to no subject (lists,
meetings, newsletters): free text in it may still mention someone, which the
erasure lists for a lead to review instead of rewriting it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

if TYPE_CHECKING:
    from peer_support.storage.tables.base import Entity

FAMILY = "family"
VOLUNTEER = "volunteer"
SUBJECTS = (FAMILY, VOLUNTEER)
ERASED = "[erased]"  # not translated: it is data, and syncs to laptops in other languages


@dataclass(frozen=True)
class Owned:
    subject: str
    via: tuple[str, ...] = ()
    personal: tuple[str, ...] = ()
    shown_erased: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    free_text: tuple[str, ...] = ()  # text other subjects' erasures search for mentions


@dataclass(frozen=True)
class NotPersonal:
    """Rows of this table belong to nobody; ``why`` says so for the reader of the code."""

    why: str
    free_text: tuple[str, ...] = field(default=())  # columns searched for mentions of an erased subject


@dataclass(frozen=True)
class Follows:
    """Rows that belong to whoever owns the row ``id_column`` names, in any table (a lead's
    decision on a sync conflict about a family's field). ``blanks`` are (column, erased value)."""

    id_column: str
    blanks: tuple[tuple[str, object], ...] = ()


def declaration(model) -> tuple[Owned, ...] | NotPersonal | Follows | None:
    """The table's own declaration (not one inherited from a parent class), or None."""
    value = model.__dict__.get("__owner__")
    if isinstance(value, Owned):
        return (value,)
    return value


def owned_by(model, subject: str) -> tuple[Owned, ...]:
    found = declaration(model)
    if not isinstance(found, tuple):
        return ()
    return tuple(d for d in found if d.subject == subject)


def _column_target(model, column_name: str) -> str:
    column = model.__table__.columns[column_name]
    return next(iter(column.foreign_keys)).column.table.name


def _matching_ids(session: Session, models: dict, table: str, via: tuple[str, ...],
                  subject_id: str) -> set[str]:
    """Ids of ``table`` rows whose chain ``via`` ends at ``subject_id``."""
    model = models[table]
    if not via:
        return {subject_id} if session.get(model, subject_id) is not None else set()
    column = model.__table__.columns[via[0]]
    if len(via) == 1:
        targets = {subject_id}
    else:
        targets = _matching_ids(session, models, _column_target(model, via[0]), via[1:], subject_id)
    found: set[str] = set()
    ordered = sorted(targets)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start:start + 500]
        found.update(session.execute(sa_select(model.__table__.c.id).where(column.in_(chunk))).scalars())
    return found


def subject_rows(session: Session, subject: str, subject_id: str) -> dict[str, list]:
    """Every row that belongs to the subject, by table name, as declared (ORM rows)."""
    from peer_support.storage.tables import entity_classes

    models = entity_classes()
    rows: dict[str, list] = {}
    for table, model in sorted(models.items()):
        ids: set[str] = set()
        for owned in owned_by(model, subject):
            ids |= _matching_ids(session, models, table, owned.via, subject_id)
        if ids:
            ordered = sorted(ids)
            found: list[Entity] = []
            for start in range(0, len(ordered), 500):
                chunk = ordered[start:start + 500]
                found.extend(session.scalars(sa_select(model).where(col(model.id).in_(chunk))))
            rows[table] = sorted(found, key=lambda row: (str(row.created_at), row.id))
    row_ids = sorted(row.id for table_rows in rows.values() for row in table_rows)
    for table, model in sorted(models.items()):
        follows = declaration(model)
        if isinstance(follows, Follows) and row_ids:
            column = model.__table__.columns[follows.id_column]
            found = []
            for start in range(0, len(row_ids), 500):
                found.extend(session.scalars(sa_select(model).where(column.in_(row_ids[start:start + 500]))))
            if found:
                rows[table] = sorted(found, key=lambda row: (str(row.created_at), row.id))
    return rows


def personal_columns(model, subject: str) -> dict[str, object]:
    """The columns erased for ``subject`` with the value each becomes."""
    follows = declaration(model)
    if isinstance(follows, Follows):
        return dict(follows.blanks)
    values: dict[str, object] = {}
    for owned in owned_by(model, subject):
        for name in owned.personal + owned.files:
            column = model.__table__.columns[name]
            python_type = getattr(getattr(column.type, "impl_instance", column.type), "python_type", None)
            if name in owned.shown_erased:
                values[name] = ERASED
            elif python_type is str and not column.foreign_keys and not column.nullable:
                values[name] = ""
            else:
                values[name] = None if column.nullable else ""
    return values


def file_columns(model, subject: str) -> tuple[str, ...]:
    return tuple(name for owned in owned_by(model, subject) for name in owned.files)


def free_text_columns(model) -> tuple[str, ...]:
    found = declaration(model)
    if isinstance(found, NotPersonal):
        return found.free_text
    if not isinstance(found, tuple):
        return ()
    return tuple(dict.fromkeys(name for owned in found for name in owned.free_text))


def undeclared_tables(models: dict) -> list[str]:
    """Tables whose class does not itself say whose rows they hold."""
    return sorted(table for table, model in models.items() if declaration(model) is None)
