"""Consistent copies of the live database through SQLite's backup API."""

from __future__ import annotations

from pathlib import Path

from peer_support.storage import encryption


def backup_database(source: Path, target: Path, key: str | None = None) -> Path:
    """Copy ``source`` to ``target`` page by page, consistent even while in use.

    Written to a temporary name first and renamed, so a half-written backup
    never looks like a good one.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    source_conn = encryption.connect(source, key, read_only=True)
    try:
        target_conn = encryption.connect(partial, key)
        try:
            source_conn.backup(target_conn)
        finally:
            target_conn.close()
    finally:
        source_conn.close()
    partial.replace(target)
    return target
