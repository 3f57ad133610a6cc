"""All tables. Each area keeps its tables in its own module here; importing
this package imports them all, so SQLModel.metadata is complete."""

from __future__ import annotations

import importlib
import pkgutil

from peer_support.storage.tables.base import Entity

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")


def entity_classes() -> dict[str, type[Entity]]:
    """Every synced table class by table name: the Entity classes whose table is in the metadata.

    The metadata is the schema; a class alone is not. A class whose table was taken out of the
    metadata (a table made up by a test, removed afterwards) lingers in ``__subclasses__()`` until
    the garbage collector frees it, and counting it made ``info``, sync and erasure ask the database
    for a table it does not have, depending on what ran before and when the collector last ran."""
    tables = Entity.metadata.tables
    found: dict[str, type[Entity]] = {}
    pending = list(Entity.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        table = getattr(cls, "__table__", None)
        if table is not None and tables.get(table.key) is table:
            found[cls.__tablename__] = cls
    return found


def column_type(model: type[Entity], field: str) -> type | None:
    column = model.__table__.columns.get(field)
    if column is None:
        return None
    sql_type = column.type
    # A TypeDecorator (UTCDateTime) reports ``object``; its implementation knows the real type.
    sql_type = getattr(sql_type, "impl_instance", sql_type)
    try:
        return sql_type.python_type
    except NotImplementedError:
        return None
