"""One family from what a person types: a reference (F42, F0042) or a name.

The command line and any other place that takes "a family" as text use this,
so a name finds the same families as the families list's search (folded:
'Wojcik' finds 'Wójcik').
"""

from __future__ import annotations

import re

from peer_support.context import AppContext
from peer_support.domain.families import FamilyQuery, FamilyRow
from peer_support.domain.families_rules import fold
from peer_support.errors import NotFoundError, ValidationError
from peer_support.i18n import _
from peer_support.services import families_search
from peer_support.domain.roles import Permission
from peer_support.services.access import internal_read, require

_REFERENCE = re.compile(r"F0*(\d{1,6})", re.IGNORECASE)
SHOWN_CHOICES = 5


def find_family(context: AppContext, text: str, include_archived: bool = False) -> FamilyRow:
    """The one family ``text`` means.

    A reference must exist; a name must match one family (or exactly one
    family's whole name, folded). Raises NotFoundError when nobody matches,
    ValidationError when several do (the message lists some, with references).
    """
    require(context, Permission.FAMILY_NAMES)

    def family_page(*args):  # the lookup shows one family's name and reference, not the list
        with internal_read(context):
            return families_search.family_page(*args)

    text = text.strip()
    if not text:
        raise ValidationError(_("Give a family's reference or name."), field="family")
    archived = "all" if include_archived else "active"
    match = _REFERENCE.fullmatch(text)
    if match:
        reference = f"F{int(match[1]):04d}"
        rows = [row for row in family_page(context, FamilyQuery(text=reference, archived="all"), 0, 50)
                if row.reference in (reference, text.upper())]
        if rows:
            return rows[0]
    rows = family_page(context, FamilyQuery(text=text, archived=archived, sort="name"), 0, 200)
    if not rows:
        raise NotFoundError(_("No family matches '%(text)s'.") % {"text": text})
    if len(rows) == 1:
        return rows[0]
    wanted = " ".join(fold(text).split())
    exact = [row for row in rows if " ".join(fold(row.name).split()) == wanted]
    if len(exact) == 1:
        return exact[0]
    choices = ", ".join(f"{row.reference} {row.name}" for row in (exact or rows)[:SHOWN_CHOICES])
    raise ValidationError(_("Several families match '%(text)s' (%(choices)s). Give the reference instead.")
                          % {"text": text, "choices": choices}, field="family")
