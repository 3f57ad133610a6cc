"""Group settings (name, contacts, sign-up URL), kept in the synced database."""

from __future__ import annotations

import re
from dataclasses import replace

from peer_support.context import AppContext
from peer_support.domain.changes import Saved
from peer_support.domain.settings import GroupSettings
from peer_support.errors import ValidationError
from peer_support.i18n import _
from peer_support.domain.roles import Permission
from peer_support.services.access import require

_URL = re.compile(r"^https?://[^\s/$.?#].[^\s]*$", re.IGNORECASE)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def get_group_settings(context: AppContext) -> GroupSettings:
    """The group's settings (plain SQL: the window title needs them before the ORM has loaded)."""
    keys = list(GroupSettings.keys())
    with context.db.plain() as connection:
        stored = dict(connection.execute(f"SELECT id, value FROM setting WHERE deleted = 0 AND id IN "
                                         f"({','.join('?' * len(keys))})", keys).fetchall())
    return GroupSettings(**stored)


def validate_group_settings(settings: GroupSettings) -> GroupSettings:
    cleaned = replace(settings, **{key: getattr(settings, key).strip() for key in GroupSettings.keys()})
    for key in ("website", "signup_url"):
        value = getattr(cleaned, key)
        if value and not _URL.match(value):
            raise ValidationError(_("'%(url)s' is not a web address. It should start with https://.")
                                  % {"url": value}, field=key)
    if cleaned.contact_email and not _EMAIL.match(cleaned.contact_email):
        raise ValidationError(_("'%(email)s' is not an email address.") % {"email": cleaned.contact_email},
                              field="contact_email")
    return cleaned


def save_group_settings(context: AppContext, settings: GroupSettings) -> Saved[GroupSettings]:
    """Validate and store all group settings in one action. Raises ValidationError."""
    require(context, Permission.SETTINGS)
    from peer_support.storage.tables.core import Setting

    settings = validate_group_settings(settings)
    with context.db.transaction(_("Change group settings")) as uow:
        for key in GroupSettings.keys():
            value = getattr(settings, key)
            row = uow.session.get(Setting, key)
            if row is None:
                uow.session.add(Setting(id=key, value=value))
            elif row.value != value or row.deleted:
                row.value, row.deleted = value, False
                uow.session.add(row)
    return Saved(settings, uow.changes)
