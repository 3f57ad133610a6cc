"""The conditions queries share, written once.

``live(Model)`` keeps the rows that are not tombstoned; ``is_true``/``is_false`` test a boolean
column. They compare with SQL's ``true()``/``false()``, which SQLite renders as ``= 1``/``= 0``:
the same SQL as the ``column == True`` the queries used to spell out (which the linter flags),
and unlike ``IS 0`` or ``NOT column`` the form the indexes and the hand-written SQL
(``WHERE deleted = 0``) use.

SQLAlchemy is imported inside the functions: modules on the plain-SQL fast paths (``families
list``) import this one without loading the ORM.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement

    from peer_support.storage.tables.base import Entity


def live(model: type[Entity]) -> ColumnElement[bool]:
    """``model.deleted = 0``: the rows of a synced table that have not been deleted."""
    return is_false(model.deleted)


def is_false(column: Any) -> ColumnElement[bool]:
    """``column = 0`` for a boolean column (``Family.archived``, ``SyncConflict.resolved``)."""
    from sqlalchemy import false
    from sqlmodel import col

    return col(column) == false()


def unindexed(column: Any) -> ColumnElement[Any]:
    """``+column``: the column's value, which SQLite will not look up through an index. For a
    condition most rows meet (not deleted, not archived) in a query that sorts: through its index
    SQLite would read every row in that index's order, out of the table's, and then sort them;
    the table itself, or the ORDER BY's own index, is the faster way (benchmarks/families_search.py)."""
    from sqlalchemy import Integer
    from sqlalchemy.sql import operators
    from sqlalchemy.sql.expression import UnaryExpression
    from sqlmodel import col

    element = cast("ColumnElement[Any]", col(column))
    return UnaryExpression(element, operator=operators.custom_op("+"), type_=Integer())


def is_true(column: Any) -> ColumnElement[bool]:
    """``column = 1`` for a boolean column (``Volunteer.active``, ``Family.needs_device``)."""
    from sqlalchemy import true
    from sqlmodel import col

    return col(column) == true()
