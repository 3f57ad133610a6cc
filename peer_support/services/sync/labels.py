"""Words for conflicts, shared by the CLI and the Conflicts view (Qt-free)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from peer_support.domain.sync import ClockWarning, ConflictRecord, laptop_label
from peer_support.i18n import N_, _, pgettext

KIND_LABELS = {
    "field": N_("Changed on two laptops"),
    "archive": N_("Edited while archived"),
    "renumbered": N_("Code used twice"),
    "duplicate": N_("Recorded twice"),
    "overspend": N_("Pot overspent"),
    "merged": N_("Added on two laptops"),
    "erased_edit": N_("Edit of erased data discarded"),
}


# Fields people edit, by column name, in the UI language; others are shown by their column name.
FIELD_LABELS = {
    "name": N_("Name"), "phone": N_("Phone"), "email": N_("Email"), "address": N_("Address"),
    "postcode": N_("Postcode"), "notes": N_("Notes"), "archived": N_("Archived"), "deleted": N_("Removed"),
    "status": N_("Status"), "reference": N_("Reference"), "value": N_("Value"), "children": N_("Children"),
    "area_id": N_("Area"), "school_id": N_("School"), "volunteer_id": N_("Volunteer"), "family_id": N_("Family"),
    "pot_id": N_("Pot"), "meeting_id": N_("Meeting"), "batch_id": N_("Batch"), "language": N_("Language"),
    "outcome": N_("Outcome"), "at": N_("When"), "note": N_("Note"), "title": N_("Title"),
    "budget_pence": N_("Budget"), "amount_pence": N_("Amount"), "relationship": N_("Relationship"),
    "school_year": N_("School year"),
}

TABLE_LABELS = {
    "family": N_("Family"), "volunteer": N_("Volunteer"), "area": N_("Area"), "school": N_("School"),
    "pack": N_("Pack"), "pack_event": N_("Pack delivery"), "pack_batch": N_("Batch"), "fund_pot": N_("Pot"),
    "fund_application": N_("Fund application"), "meeting": N_("Meeting"), "attendance": N_("Attendance"),
    "setting": N_("Setting"), "family_member": N_("Family member"),
}


def field_label(field: str) -> str:
    from peer_support.domain.families_columns import FIELD_LABELS as FAMILY_FIELDS

    if field in FIELD_LABELS:
        return _(FIELD_LABELS[field])
    if field in FAMILY_FIELDS:
        return _(FAMILY_FIELDS[field])
    return field.removesuffix("_id").replace("_", " ")


def table_label(table: str) -> str:
    return _(TABLE_LABELS[table]) if table in TABLE_LABELS else table.replace("_", " ")


def ahead_text(ahead: timedelta) -> str:
    """How far ahead, as people say it in the UI language ("11 months")."""
    from babel.dates import format_timedelta

    from peer_support.i18n.formatting import babel_locale

    return format_timedelta(ahead, threshold=1.0, locale=babel_locale())


def clock_warning_text(warning: ClockWarning) -> str:
    """"The clock of laptop X is 11 months ahead", with what that means."""
    return _("The clock of laptop %(laptop)s is %(ahead)s ahead. Its changes are applied, but its "
             "date and time should be corrected: until then its edits win over later ones.") % {
        "laptop": laptop_label(warning.device_id, warning.name), "ahead": ahead_text(warning.ahead)}


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
        kept = (conflict.local_text if conflict.winner == "local" else conflict.remote_text) or value_text(
            conflict.local_value if conflict.winner == "local" else conflict.remote_value)
        return _("Both laptops changed %(field)s; the later change (%(value)s) was kept.") % {
            "field": field_label(conflict.field), "value": kept}
    if conflict.kind == "archive":
        fields = ", ".join(field_label(f) for f in conflict.note.split(",") if f)
        return _("One laptop archived this record while the other edited it (%(fields)s). The edit "
                 "was kept; decide whether the record stays archived.") % {"fields": fields}
    if conflict.kind == "renumbered":
        return _("%(old)s was given to two records on different laptops; this one is now %(new)s.") % {
            "old": conflict.local_value, "new": conflict.remote_value}
    if conflict.kind == "merged":
        return _("%(name)s was added on two laptops; the two are now one, and everything that "
                 "pointed at either points at this one.") % {"name": conflict.local_value}
    if conflict.kind == "erased_edit":
        fields = ", ".join(field_label(f) for f in conflict.note.split(",") if f)
        return _("This record's personal data was erased. An edit of it (%(fields)s), made on a laptop "
                 "that had not received the erasure yet, was discarded so the erased data does not "
                 "come back.") % {"fields": fields}
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
