"""Consistent copies of the live database through SQLite's backup API."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def backup_database(source: Path, target: Path) -> Path:
    """Copy ``source`` to ``target`` page by page, consistent even while in use.

    Written to a temporary name first and renamed, so a half-written backup
    never looks like a good one.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    source_conn = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        target_conn = sqlite3.connect(partial)
        try:
            source_conn.backup(target_conn)
        finally:
            target_conn.close()
    finally:
        source_conn.close()
    partial.replace(target)
    return target
