"""Who may see and do what: the roles of the people sharing a laptop, in one place.

A person has one or more roles. Each job the app does needs a permission; a
role is a set of permissions. The services check them (``services.access.require``)
so the GUI and the command line obey the same rules; the GUI also hides what a
role cannot use. Data minimisation (UK GDPR Art. 5(1)(c)): a volunteer sees
names, references and what a delivery needs; an organiser sees newsletters and
totals; a lead sees and does everything.
"""

from __future__ import annotations

from enum import Enum

from peer_support.errors import PeerSupportError, ValidationError
from peer_support.i18n import _, pgettext


class Role(str, Enum):
    LEAD = "lead"
    VOLUNTEER = "volunteer"
    ORGANISER = "organiser"

    @property
    def label(self) -> str:
        return {"lead": pgettext("role", "Lead"), "volunteer": pgettext("role", "Volunteer"),
                "organiser": pgettext("role", "Organiser")}[self.value]


class Permission(str, Enum):
    FAMILY_NAMES = "family_names"  # names and references (register at the door, delivery runs)
    FAMILY_DETAILS = "family_details"  # contact details, notes, history; add and edit families
    REGISTER = "register"  # take the register at the door, add a newcomer
    DELIVERIES = "deliveries"  # scan mode: log pack deliveries
    MEETINGS = "meetings"  # plan and edit meetings and their actions
    FUND = "fund"  # see and decide fund applications, record payments
    FUND_OVERRIDE = "fund_override"  # approve more than a pot has left
    PACKS = "packs"  # plan batches and runs, print labels, move packs
    NEWSLETTER = "newsletter"  # write and print newsletters, mailing list and labels
    REPORTS = "reports"  # period report and feedback results: totals only
    FEEDBACK_ENTRY = "feedback_entry"  # type in returned feedback forms
    FEEDBACK_FORMS = "feedback_forms"  # build feedback forms
    HISTORY = "history"  # the audit log and a record's history
    EXPORTS = "exports"  # families list export and import
    PRIVACY = "privacy"  # erasure, subject access, retention, backups, restore, encryption
    SETTINGS = "settings"  # group settings, areas and schools lists
    USERS = "users"  # add and remove people, give roles and PINs
    SYNC = "sync"  # exchange changes with the group's other laptops


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.LEAD: frozenset(Permission),
    Role.VOLUNTEER: frozenset({Permission.FAMILY_NAMES, Permission.REGISTER, Permission.DELIVERIES,
                               Permission.FEEDBACK_ENTRY, Permission.SYNC}),
    Role.ORGANISER: frozenset({Permission.FAMILY_NAMES, Permission.NEWSLETTER, Permission.REPORTS,
                               Permission.FEEDBACK_ENTRY, Permission.SYNC}),
}

# The app's areas (pages) and what a person needs to open them.
AREA_PERMISSIONS: dict[str, Permission] = {
    "dashboard": Permission.REPORTS,
    "families": Permission.FAMILY_DETAILS,
    "meetings": Permission.REGISTER,
    "fund": Permission.FUND,
    "packs": Permission.DELIVERIES,
    "newsletter": Permission.NEWSLETTER,
    "outcomes": Permission.FEEDBACK_ENTRY,
    "trust": Permission.PRIVACY,
    "sync": Permission.SYNC,
    "settings": Permission.SETTINGS,
}


class PermissionDenied(PeerSupportError):
    """The person using the app may not do this (exit code 5, like other refusals)."""

    exit_code = 5


def parse_roles(text: str) -> tuple[Role, ...]:
    """'lead,organiser' (or the translated names) -> roles in a fixed order; raises ValidationError."""
    wanted = {part.strip().casefold() for part in text.replace(";", ",").split(",") if part.strip()}
    roles = []
    for role in Role:
        if role.value in wanted or role.label.casefold() in wanted:
            roles.append(role)
            wanted -= {role.value, role.label.casefold()}
    if wanted or not roles:
        raise ValidationError(_("Unknown role '%(role)s'. Choose lead, volunteer or organiser.")
                              % {"role": ", ".join(sorted(wanted)) or text})
    return tuple(roles)


def permissions_of(roles: tuple[Role, ...]) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS[role]
    return frozenset(granted)


def roles_text(roles: tuple[Role, ...]) -> str:
    return ", ".join(role.label for role in roles)


def denied_message(permission: Permission, who: str) -> str:
    """Why a person cannot do something, in words."""
    jobs = {
        Permission.FAMILY_NAMES: _("see the families list"),
        Permission.FAMILY_DETAILS: _("see or change families' details and notes"),
        Permission.REGISTER: _("take the register"),
        Permission.DELIVERIES: _("log pack deliveries"),
        Permission.MEETINGS: _("plan or change meetings"),
        Permission.FUND: _("see or decide fund applications"),
        Permission.FUND_OVERRIDE: _("approve more than the pot has left"),
        Permission.PACKS: _("plan pack batches and runs"),
        Permission.NEWSLETTER: _("write or print newsletters"),
        Permission.REPORTS: _("see reports and results"),
        Permission.FEEDBACK_ENTRY: _("type in feedback forms"),
        Permission.FEEDBACK_FORMS: _("build feedback forms"),
        Permission.HISTORY: _("see the history of changes"),
        Permission.EXPORTS: _("export or import the families list"),
        Permission.PRIVACY: _("erase data, export a family's data, or restore backups"),
        Permission.SETTINGS: _("change the group's settings"),
        Permission.USERS: _("manage the people who use the app"),
        Permission.SYNC: _("sync with the other laptops"),
    }
    return _("%(who)s may not %(job)s: ask a lead.") % {"who": who, "job": jobs[permission]}
