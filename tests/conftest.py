"""Shared fixtures.

Qt runs offscreen with one QApplication for the whole run (pytest-qt's
``qapp``). Migrating a database takes a moment, so an empty migrated data
folder and one with the sample data are built once per session and copied
for each test that needs one.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.pop("PEER_SUPPORT_DATA_DIR", None)

from peer_support import i18n  # noqa: E402
from peer_support.clock import FixedClock  # noqa: E402
from peer_support.context import open_context  # noqa: E402

FIXED_NOW = datetime(2026, 11, 25, 10, 30, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def english():
    i18n.set_language("en")
    yield
    i18n.set_language("en")


def _copy_folder(template: Path, target: Path) -> Path:
    shutil.copytree(template, target, dirs_exist_ok=True)
    (target / "local.json").unlink(missing_ok=True)  # each copy is its own laptop
    return target


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("empty-template")
    open_context(folder, FixedClock(FIXED_NOW)).close()
    return folder


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory, empty_template) -> Path:
    from peer_support.sample import load_sample_data

    folder = _copy_folder(empty_template, tmp_path_factory.mktemp("sample-template"))
    context = open_context(folder, FixedClock(FIXED_NOW))
    load_sample_data(context)
    context.close()
    return folder


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(FIXED_NOW)


@pytest.fixture
def data_dir(tmp_path, empty_template) -> Path:
    return _copy_folder(empty_template, tmp_path / "data")


@pytest.fixture
def context(data_dir, clock):
    ctx = open_context(data_dir, clock)
    yield ctx
    ctx.close()


@pytest.fixture
def sample_dir(tmp_path, sample_template) -> Path:
    return _copy_folder(sample_template, tmp_path / "sample")


@pytest.fixture
def sample_context(sample_dir, clock):
    ctx = open_context(sample_dir, clock)
    yield ctx
    ctx.close()


@pytest.fixture
def open_laptops(tmp_path, empty_template):
    """Laptops of one group: ``open_laptops(offset, ...)`` opens one per clock offset (from FIXED_NOW),
    each a fresh copy of the empty data folder (its own laptop id) in ``tmp_path/laptopN``, all using
    ``tmp_path/shared`` as their sync folder. Every one opened is closed after the test."""
    from peer_support.services.sync import set_sync_folder

    opened = []

    def open_(*offsets: timedelta) -> list:
        shared = tmp_path / "shared"
        shared.mkdir(exist_ok=True)
        laptops = []
        for offset in offsets:
            folder = _copy_folder(empty_template, tmp_path / f"laptop{len(opened)}")
            laptop = open_context(folder, FixedClock(FIXED_NOW + offset))
            opened.append(laptop)
            set_sync_folder(laptop, shared)
            laptops.append(laptop)
        return laptops

    yield open_
    for laptop in opened:
        laptop.close()


def _a_leaf_page_of_the_family_table(path: Path) -> tuple[int, int]:
    # Read only (dbstat): where the family rows live, to damage them the way a bad disk would.
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        pages = [row[0] for row in connection.execute(
            "SELECT pageno FROM dbstat WHERE name = 'family' AND pagetype = 'leaf' ORDER BY pageno")]
    finally:
        connection.close()
    assert len(pages) >= 2, "the test needs the family table over several pages"
    return pages[-1], page_size


def _damage_inside(path: Path) -> None:
    page, page_size = _a_leaf_page_of_the_family_table(path)
    data = bytearray(path.read_bytes())
    start = (page - 1) * page_size
    data[start: start + 200] = b"\xff" * 200  # the page header and cell pointers: nonsense
    path.write_bytes(bytes(data))


@pytest.fixture
def damaged_inside(data_dir, clock):
    """A folder with a good backup of 'Kept Safely', then families on several pages, then damage
    inside the family table."""
    from peer_support.domain.families import FamilyDraft
    from peer_support.services.backups import auto_backup
    from peer_support.services.families import create_family

    context = open_context(data_dir, clock)
    create_family(context, FamilyDraft(name="Kept Safely"))
    auto_backup(context, force=True)
    for number in range(80):
        create_family(context, FamilyDraft(name=f"Family Number {number:03d}", notes="x" * 120))
    context.close()
    _damage_inside(data_dir / "peer-support.sqlite3")
    return data_dir
