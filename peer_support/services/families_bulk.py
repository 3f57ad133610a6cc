"""Adding thousands of families in one action without building an ORM object per row.

An import of a big spreadsheet, the demo data and the 50,000-family benchmark
write through here. Rows go in with Core ``INSERT``s and every row is still
logged in ``change_log`` exactly as the unit of work's flush hook would log it
through ``UnitOfWork.log_rows`` (all columns as [None, value], same device
sequence and HLC stamps, same action), so undo, the audit trail and sync see
no difference.
"""

from __future__ import annotations

from datetime import datetime

from typing import Any

from sqlalchemy import insert

from peer_support.domain.families import FamilyDraft
from peer_support.domain.families_rules import validate_family
from peer_support.services.families import FamilyWriter
from peer_support.storage.tables.base import Entity
from peer_support.storage.tables.families import Family, FamilyMember, FamilySchool
from peer_support.storage.ids import new_id
from peer_support.storage.unit_of_work import UnitOfWork

_BATCH = 2000


class BulkFamilyWriter(FamilyWriter):
    """``add`` collects plain rows; ``finish`` writes and logs them. Use inside one transaction."""

    def __init__(self, uow: UnitOfWork) -> None:
        super().__init__(uow.session)
        self.uow = uow
        self._rows: dict[type[Entity], list[dict[str, Any]]] = {Family: [], FamilySchool: [], FamilyMember: []}

    def add(self, draft: FamilyDraft, reference: str | None = None,  # type: ignore[override]
            validated: bool = False, created_at: datetime | None = None) -> dict[str, Any]:
        """Queue one family (with schools and members); returns its row. Raises ValidationError.

        ``created_at`` backdates the record (sample data of families who joined over years).
        """
        draft = draft if validated else validate_family(draft)
        reference = self.take_reference(reference)
        base = {"created_at": created_at or self.uow.now, "deleted": False}
        family = {**base, "id": new_id(), "reference": reference, "name": draft.name,
                  "address": draft.address, "postcode": draft.postcode, "area_id": self.area_id(draft.area),
                  "phone": draft.phone, "email": draft.email, "language": draft.language or "en",
                  "children": draft.children, "needs_internet": draft.needs_internet,
                  "needs_device": draft.needs_device, "consent_date": draft.consent_date,
                  "consent_contact": draft.consent_contact, "consent_newsletter": draft.consent_newsletter,
                  "consent_photos": draft.consent_photos, "notes": draft.notes, "archived": False}
        self._rows[Family].append(family)
        for school in draft.schools:
            self._rows[FamilySchool].append({**base, "id": new_id(), "family_id": family["id"],
                                             "school_id": self.school_id(school)})
        for position, member in enumerate(draft.members):
            self._rows[FamilyMember].append({"position": position,
                **base, "id": new_id(), "family_id": family["id"], "name": member.name,
                "relationship": member.relationship, "school_year": member.school_year,
                "school_id": self.school_id(member.school)})
        return family

    def finish(self) -> int:
        """Write and log every queued row; returns how many families were added."""
        self.session.flush()  # new areas and schools first: the rows point at them
        for model, rows in self._rows.items():
            columns = [column.key for column in model.__table__.columns]
            for start in range(0, len(rows), _BATCH):
                batch = [{key: row.get(key) for key in columns} for row in rows[start:start + _BATCH]]
                self.session.execute(insert(model), batch)
                self.uow.log_rows(model.__tablename__, batch)
        added = len(self._rows[Family])
        self.uow.search_stale.update(row["id"] for row in self._rows[Family])
        self._rows = {model: [] for model in self._rows}
        return added
