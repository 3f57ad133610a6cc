"""Opening a data folder reads only the file's start; damage deep inside is found by the
whole-file check after start-up (or ``check``), remembered, and the next opening offers the
restore (storage/recovery.py)."""

from __future__ import annotations

import pytest

from peer_support.context import open_context
from peer_support.domain.families import FamilyDraft
from peer_support.services.backups import file_is_whole, recover_folder
from peer_support.services.families import create_family, search_families
from peer_support.services.info import check_database
from peer_support.storage.recovery import DAMAGE_FOUND_FILE, DamagedDatabaseError

DB = "peer-support.sqlite3"


def test_damage_inside_is_found_after_opening_and_the_next_opening_offers_the_restore(damaged_inside, clock):
    context = open_context(damaged_inside, clock)  # the start, schema and revision are fine
    try:
        assert file_is_whole(context) is False
    finally:
        context.close()
    assert (damaged_inside / DAMAGE_FOUND_FILE).exists()

    damaged_bytes = (damaged_inside / DB).read_bytes()
    with pytest.raises(DamagedDatabaseError) as caught:
        open_context(damaged_inside, clock)
    assert "restore" in caught.value.message.lower()
    assert (damaged_inside / DB).read_bytes() == damaged_bytes  # nothing written to it

    recover_folder(damaged_inside, clock=clock)
    assert not (damaged_inside / DAMAGE_FOUND_FILE).exists()
    context = open_context(damaged_inside, clock)
    try:
        assert [family.name for family in search_families(context)] == ["Kept Safely"]
        assert file_is_whole(context) is True
    finally:
        context.close()


def test_the_check_command_remembers_damage_for_the_next_opening(damaged_inside, clock):
    context = open_context(damaged_inside, clock)
    try:
        assert check_database(context)  # integrity problems, as sentences
    finally:
        context.close()
    with pytest.raises(DamagedDatabaseError):
        open_context(damaged_inside, clock)


def test_a_healthy_file_passes_and_a_stale_note_of_damage_is_dropped(data_dir, clock):
    context = open_context(data_dir, clock)
    create_family(context, FamilyDraft(name="Healthy Family"))
    try:
        assert file_is_whole(context) is True
    finally:
        context.close()
    assert not (data_dir / DAMAGE_FOUND_FILE).exists()

    (data_dir / DAMAGE_FOUND_FILE).write_text("corrupt\n", encoding="utf-8")  # e.g. damage since restored by hand
    context = open_context(data_dir, clock)  # checks the whole file, finds it good
    try:
        assert [family.name for family in search_families(context)] == ["Healthy Family"]
    finally:
        context.close()
    assert not (data_dir / DAMAGE_FOUND_FILE).exists()
