"""Words for conflicts, shared by the CLI and the Conflicts view (Qt-free)."""

from __future__ import annotations

from typing import Any

from peer_support.domain.sync import ConflictRecord
from peer_support.i18n import N_, _, pgettext

KIND_LABELS = {
    "field": N_("Changed on two laptops"),
    "archive": N_("Edited while archived"),
    "renumbered": N_("Code used twice"),
    "duplicate": N_("Recorded twice"),
    "overspend": N_("Pot overspent"),
    "merged": N_("Added on two laptops"),
}


# Fields that conflict most often; others are shown by their column name.
FIELD_LABELS = {
    "name": N_("Name"), "phone": N_("Phone"), "email": N_("Email"), "address": N_("Address"),
    "postcode": N_("Postcode"), "notes": N_("Notes"), "archived": N_("Archived"), "deleted": N_("Removed"),
    "status": N_("Status"), "reference": N_("Reference"), "value": N_("Value"), "children": N_("Children"),
}


def field_label(field: str) -> str:
    return _(FIELD_LABELS[field]) if field in FIELD_LABELS else field.replace("_", " ")


def kind_label(kind: str) -> str:
    return _(KIND_LABELS[kind]) if kind in KIND_LABELS else kind


def value_text(value: Any) -> str:
    if value is None or value == "":
        return pgettext("value", "(empty)")
    if value is True:
        return _("yes")
    if value is False:
        return _("no")
    return str(value)


def conflict_summary(conflict: ConflictRecord) -> str:
    """One sentence on what happened and what the merge did."""
    if conflict.kind == "field":
        kept = value_text(conflict.local_value if conflict.winner == "local" else conflict.remote_value)
        return _("Both laptops changed %(field)s; the later change (%(value)s) was kept.") % {
            "field": field_label(conflict.field), "value": kept}
    if conflict.kind == "archive":
        return _("One laptop archived this record while the other edited it (%(fields)s). The edit "
                 "was kept; decide whether the record stays archived.") % {"fields": conflict.note}
    if conflict.kind == "renumbered":
        return _("%(old)s was given to two records on different laptops; this one is now %(new)s.") % {
            "old": conflict.local_value, "new": conflict.remote_value}
    if conflict.kind == "merged":
        return _("%(name)s was added on two laptops; the two are now one, and everything that "
                 "pointed at either points at this one.") % {"name": conflict.local_value}
    if conflict.kind == "duplicate":
        return _("The same thing was recorded on two laptops; it counts once and this entry is "
                 "marked as a duplicate.")
    if conflict.kind == "overspend":
        from peer_support.i18n.formatting import format_money

        return _("Approvals made on different laptops together come to %(total)s, more than the "
                 "pot's %(budget)s. A lead must check them.") % {
            "total": format_money(int(conflict.remote_value or 0)),
            "budget": format_money(int(conflict.local_value or 0))}
    return conflict.note
