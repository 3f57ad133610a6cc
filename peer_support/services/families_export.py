"""Exporting the families list (all or as filtered) to CSV or XLSX with the canonical headers."""

from __future__ import annotations

from pathlib import Path

from peer_support.context import AppContext
from peer_support.domain.families import FamilyQuery
from peer_support.domain.families_columns import CANONICAL_HEADERS, family_cells
from peer_support.exports.spreadsheet import SPREADSHEET_FORMATS, write_spreadsheet
from peer_support.exports.files import output_format
from peer_support.i18n import _
from peer_support.progress import NullProgress, Progress, check_cancelled
from peer_support.services.families import family_records
from peer_support.services.families_search import family_select
from peer_support.domain.roles import Permission
from peer_support.services.access import require

_PAGE = 1000


def export_families(context: AppContext, path: str | Path, query: FamilyQuery | None = None,
                    progress: Progress | None = None) -> int:
    """Write the families ``query`` shows (default: all not archived) to ``path``; returns how many.

    The format comes from the extension (.csv or .xlsx). Formula-like cells are
    neutralised. Raises ExportError (bad extension, cannot write), Cancelled. Changes no data.
    """
    require(context, Permission.EXPORTS)
    progress = progress or NullProgress()
    output_format(path, SPREADSHEET_FORMATS)  # refuse a wrong extension before any work
    query = query or FamilyQuery()
    rows: list[list[object]] = []
    with context.db.read() as session:
        families = list(session.exec(family_select(query)))
        for start in range(0, len(families), _PAGE):
            check_cancelled(progress)
            progress.step(start, len(families), _("Exporting families…"))
            rows.extend(family_cells(record) for record in family_records(session, families[start:start + _PAGE]))
    write_spreadsheet(path, CANONICAL_HEADERS, rows, sheet_title=_("Families"))
    progress.step(len(rows), len(rows), _("Exporting families…"))
    return len(rows)
