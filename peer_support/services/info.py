"""What is in a data folder, and whether it is healthy (``info`` and ``check``)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from peer_support import __version__
from peer_support.context import AppContext
from peer_support.errors import StorageError
from peer_support.i18n import _, ngettext
from peer_support.storage import migrate, recovery
from peer_support.storage.tables import entity_classes


@dataclass(frozen=True)
class AppInfo:
    version: str
    data_dir: str
    database_path: str
    schema_revision: str
    device_id: str
    row_counts: dict[str, int]


def app_info(context: AppContext) -> AppInfo:
    counts = {}
    with context.db.read() as session:
        for table in sorted(entity_classes()):
            counts[table] = session.execute(
                text(f'SELECT count(*) FROM "{table}" WHERE deleted = 0')).scalar_one()
    return AppInfo(version=__version__, data_dir=str(context.data_dir),
                   database_path=str(context.database_path), schema_revision=context.db.schema_rev,
                   device_id=context.local.device_id, row_counts=counts)


def check_database(context: AppContext) -> list[str]:
    """Problems found, as translated sentences; an empty list means healthy. Damage found is
    remembered, so the next opening checks the whole file too and offers the restore."""
    problems = []
    try:
        with context.db.read() as session:
            results = [row[0] for row in session.execute(text("PRAGMA integrity_check"))]
            if results != ["ok"]:
                problems.append(_("The database failed its integrity check: %(details)s")
                                % {"details": "; ".join(results[:5])})
            else:
                foreign = session.execute(text("PRAGMA foreign_key_check")).fetchall()
                if foreign:
                    problems.append(ngettext("%(count)d record points at a record that does not exist.",
                                             "%(count)d records point at records that do not exist.",
                                             len(foreign)) % {"count": len(foreign)})
    except StorageError as exc:  # damage the check itself cannot walk past
        problems.append(exc.message)
        results = []
    if results != ["ok"]:
        recovery.remember_damage(context.data_dir, recovery.Diagnosis(recovery.CORRUPT, problems[0]))
    if migrate.current_heads(context.db.engine) != migrate.known_heads():
        problems.append(_("The database schema is not up to date."))
    return problems
