"""The erasures this laptop knows of, kept beside the database in ``erasures.json``.

Restoring a backup brings the database back as it was, erased families
included. The erasures made since must not come back with it: restore and
recovery (services/backups.py) read this file and erase those subjects again
(services/privacy.reapply_erasures). A damaged database cannot say what it had
erased, so the list lives outside it.

It holds what the ``erasure`` table holds (reference codes, row ids, a date, a
reason; no names), so keeping it beside an encrypted database gives nothing away.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

LEDGER_FILE = "erasures.json"
FIELDS = ("id", "subject", "subject_id", "reference", "erased_on", "reason", "rows")

log = logging.getLogger(__name__)


def read_ledger(folder: Path) -> list[dict[str, Any]]:
    """The erasures recorded in ``folder``; none when the file is missing or unreadable (logged):
    the database's own erasure records still count (services/privacy.known_erasures)."""
    path = folder / LEDGER_FILE
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as exc:
        log.warning("The erasure list %s cannot be read: %s", path, exc)
        return []
    if not isinstance(entries, list):
        log.warning("The erasure list %s is not a list; ignored", path)
        return []
    return [entry for entry in entries if isinstance(entry, dict) and set(FIELDS) <= set(entry)]


def write_ledger(folder: Path, entries: list[dict[str, Any]]) -> None:
    """Replace the list whole (written aside, flushed to disk, renamed): never half a file."""
    path = folder / LEDGER_FILE
    partial = path.with_name(LEDGER_FILE + ".partial")
    ordered = sorted(({field: entry[field] for field in FIELDS} for entry in entries), key=lambda e: e["id"])
    with open(partial, "w", encoding="utf-8") as handle:
        json.dump(ordered, handle, indent=1, sort_keys=True)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)
