"""Encryption at rest: no readable names in the files, passphrase needed, backups encrypted too."""

from __future__ import annotations

import sqlite3

import pytest

from peer_support.context import open_context
from peer_support.domain.families import FamilyDraft
from peer_support.errors import ValidationError
from peer_support.services.backups import auto_backup, back_up_now, restore_backup
from peer_support.services.encryption import disable_encryption, enable_encryption
from peer_support.services.families import create_family, search_families
from peer_support.storage.encryption import PassphraseError

PASSPHRASE = "seaside-lanterns-42"


def _files(folder):
    return [p for p in folder.rglob("*") if p.is_file() and ".sqlite3" in p.name]


def test_encrypted_files_hold_no_readable_names(sample_context, sample_dir, clock):
    auto_backup(sample_context, force=True)
    names = [family.name for family in search_families(sample_context)]
    assert len(names) == 530
    probes = [name.encode() for name in names[:: 10]]
    assert any(probe in (sample_dir / "peer-support.sqlite3").read_bytes() for probe in probes)

    rewritten = enable_encryption(sample_context, PASSPHRASE, PASSPHRASE)
    assert rewritten >= 1
    create_family(sample_context, FamilyDraft(name="Zofia Encrypted-Nowak"))
    back_up_now(sample_context)
    probes.append("Zofia Encrypted-Nowak".encode())
    files = _files(sample_dir)
    assert len(files) >= 3
    for path in files:
        data = path.read_bytes()
        found = [probe for probe in probes if probe in data]
        assert found == [], f"{path.name} holds {found[:3]}"
        assert not data.startswith(b"SQLite format 3")


def test_encrypted_data_needs_the_passphrase(data_dir, clock, monkeypatch):
    context = open_context(data_dir, clock)
    create_family(context, FamilyDraft(name="Secret Family"))
    enable_encryption(context, PASSPHRASE, PASSPHRASE)
    backup = back_up_now(context).path
    context.close()
    monkeypatch.delenv("PEER_SUPPORT_PASSPHRASE", raising=False)
    with pytest.raises(PassphraseError, match="encrypted"):
        open_context(data_dir, clock)
    with pytest.raises(PassphraseError, match="not right"):
        open_context(data_dir, clock, passphrase="wrong passphrase")
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(backup).execute("SELECT * FROM family").fetchall()
    monkeypatch.setenv("PEER_SUPPORT_PASSPHRASE", PASSPHRASE)
    context = open_context(data_dir, clock)
    try:
        assert [f.name for f in search_families(context)] == ["Secret Family"]
        create_family(context, FamilyDraft(name="Later Family"))
        restore_backup(context, backup)  # an encrypted backup restores with the same key
        assert [f.name for f in search_families(context)] == ["Secret Family"]
        disable_encryption(context, PASSPHRASE)
        assert (data_dir / "peer-support.sqlite3").read_bytes().startswith(b"SQLite format 3")
    finally:
        context.close()
    monkeypatch.delenv("PEER_SUPPORT_PASSPHRASE")
    context = open_context(data_dir, clock)
    assert [f.name for f in search_families(context)] == ["Secret Family"]
    context.close()


def test_a_weak_or_mistyped_passphrase_is_refused(context):
    with pytest.raises(ValidationError, match="at least"):
        enable_encryption(context, "short", "short")
    with pytest.raises(ValidationError, match="not the same"):
        enable_encryption(context, PASSPHRASE, PASSPHRASE + "x")
    assert context.db.key is None
