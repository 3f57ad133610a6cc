"""Shared fixtures.

Qt runs offscreen with one QApplication for the whole run (pytest-qt's
``qapp``). Migrating a database takes a moment, so an empty migrated data
folder and one with the sample data are built once per session and copied
for each test that needs one.
"""

from __future__ import annotations

import os
import shutil
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
