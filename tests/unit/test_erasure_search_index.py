"""An erasure leaves nothing of the family in the search index's stored data, on the laptop that
erased and on one that receives the erasure by sync.

FTS5 takes a row out by adding a deletion to a newer segment; the row's trigrams, with the
positions its text can be read back from, stay in the older segments until they are merged
(storage/family_search.drop_deleted_postings). The check reads the index's raw blocks for a
trigram of a name no other family shares: one whose first letter no other trigram starts with,
so the index stores it whole (it keeps only what a term adds to the one before). Set up
through the services."""

from __future__ import annotations

from datetime import timedelta

from peer_support.domain.families import FamilyDraft
from peer_support.services import families
from peer_support.services.privacy import erase_family
from peer_support.services.sync import sync_now

NAME = "Ψωξ Baker"
TRIGRAM = "ψωξ".encode()  # folded as it is typed, in lower case


def _indexed(context) -> bool:
    """Whether the index's stored data (its segments, and the terms that lead into their pages)
    holds the trigram."""
    with context.db.plain() as connection:
        stored = [row[0] for row in connection.execute(
            "SELECT block FROM family_search_fts_data UNION ALL SELECT term FROM family_search_fts_idx")]
    return any(isinstance(value, bytes) and TRIGRAM in value for value in stored)


def test_an_erased_family_leaves_no_trigram_in_the_index(sample_context):
    assert not _indexed(sample_context)  # no other family has it
    family = families.create_family(sample_context, FamilyDraft(name=NAME, phone="07700 900123"))
    assert _indexed(sample_context)  # the check sees it
    erase_family(sample_context, family.reference)
    assert not _indexed(sample_context)
    assert families.search_families(sample_context, "ψωξ", include_archived=True) == []


def test_a_laptop_receiving_the_erasure_keeps_no_trigram_either(open_laptops):
    eraser, receiver = open_laptops(timedelta(0), timedelta(minutes=1))
    shared = eraser.data_dir.parent / "shared"
    family = families.create_family(eraser, FamilyDraft(name=NAME))
    sync_now(eraser, shared)
    sync_now(receiver, shared)
    assert _indexed(receiver)
    erase_family(eraser, family.reference)
    sync_now(eraser, shared)
    sync_now(receiver, shared)
    assert families.get_family(receiver, family.reference).name == ""
    assert not _indexed(receiver)
