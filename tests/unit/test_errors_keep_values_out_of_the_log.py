"""An unexpected database error goes to the log file in full (logs.py), and that file is plain
text even when the database is encrypted, and no erasure reaches it: the error must not carry
the values the statement was writing (storage/encryption.engine_for, ``hide_parameters``).
The error is a real one from the app's own writer: two families given one reference."""

from __future__ import annotations

import pytest

from peer_support.domain.families import FamilyDraft
from peer_support.errors import PeerSupportError
from peer_support.logs import log_exception
from peer_support.services.families import add_family

NAME = "Mette Sørensen"
PHONE = "07700 900111"
NOTES = "Lives with her sister since the fire"


def test_a_failed_write_logs_the_error_without_the_family(context):
    draft = FamilyDraft(name=NAME, phone=PHONE, notes=NOTES)
    with pytest.raises(Exception) as caught:  # noqa: PT011 - whichever error the database gives
        with context.db.transaction("two families, one reference") as uow:
            add_family(uow.session, draft, reference="F0042")
            add_family(uow.session, draft, reference="F0042")
    assert not isinstance(caught.value, PeerSupportError) or caught.value.__cause__ is not None
    try:
        raise caught.value
    except Exception:  # noqa: BLE001 - logged as the command line logs an unexpected error
        logged = log_exception(context.data_dir).read_text(encoding="utf-8")
    assert "UNIQUE constraint failed" in logged  # the error itself is there, for us
    for value in (NAME, PHONE, NOTES):
        assert value not in logged, value
