"""Turn encryption of the data at rest on or off, or change its passphrase.

The database and every backup in the backups folder are rewritten with the
new key, so no readable copy stays behind in the data folder. (Copies made to
USB sticks before are not touched: the user is told.)
"""

from __future__ import annotations

from peer_support.context import AppContext
from peer_support.errors import ConflictError, StorageError, ValidationError
from peer_support.i18n import _
from peer_support.storage import encryption, migrate, recovery
from peer_support.storage.db import Database
from peer_support.domain.roles import Permission
from peer_support.services.access import leads_without_pin, require


def is_encrypted(context: AppContext) -> bool:
    return context.db.key is not None


def _rewrite(context: AppContext, new_key: str | None) -> int:
    """Rewrite the database and the backups with ``new_key``; returns backups rewritten."""
    old = context.db
    old.dispose()
    try:
        if new_key:
            encryption.write_marker(context.data_dir)  # first: a crash half-way is recognised at open
        encryption.convert_file(context.database_path, old.key, new_key)
        if not new_key:
            encryption.remove_marker(context.data_dir)
        rewritten = 0
        for backup in recovery.backup_files(context.backups_dir):
            if recovery.diagnose(backup, old.key) is None:
                encryption.convert_file(backup, old.key, new_key)
                rewritten += 1
    finally:
        key = encryption.folder_key(context.data_dir, new_key)
        context.db = Database(old.path, old.clock, old.device_id, actor=old.actor, key=key)
        context.db.schema_rev = migrate.upgrade(context.db, context.database_path,
                                                context.backups_dir, context.clock.now(), key)
    return rewritten


def enable_encryption(context: AppContext, passphrase: str, repeated: str) -> int:
    """Encrypt the database and its backups with ``passphrase``; returns backups rewritten.

    Raises ValidationError for a short or mistyped passphrase, ConflictError
    when the data is already encrypted, StorageError when SQLCipher is
    missing. Everything already saved stays.
    """
    require(context, Permission.PRIVACY)
    encryption.validate_new_passphrase(passphrase, repeated)
    if is_encrypted(context):
        raise ConflictError(_("The data is already encrypted."))
    if not encryption.available():
        raise StorageError(_("Encryption needs the sqlcipher3 package, which is not installed "
                             "on this computer."))
    without_pin = leads_without_pin(context)
    if without_pin:  # encrypted data is only as safe as the people who can open all of it
        raise ValidationError(_("Give every lead a PIN before encrypting: %(names)s.")
                              % {"names": ", ".join(without_pin)})
    return _rewrite(context, passphrase)


def change_passphrase(context: AppContext, current: str, passphrase: str, repeated: str) -> int:
    """Re-encrypt with a new passphrase. Raises PassphraseError for a wrong current one."""
    require(context, Permission.PRIVACY)
    if not is_encrypted(context):
        raise ConflictError(_("The data is not encrypted."))
    if current != context.db.key:
        raise encryption.PassphraseError(_("The passphrase is not right for this data."))
    encryption.validate_new_passphrase(passphrase, repeated)
    return _rewrite(context, passphrase)


def disable_encryption(context: AppContext, current: str) -> int:
    """Store the data unencrypted again. Raises PassphraseError for a wrong passphrase."""
    require(context, Permission.PRIVACY)
    if not is_encrypted(context):
        raise ConflictError(_("The data is not encrypted."))
    if current != context.db.key:
        raise encryption.PassphraseError(_("The passphrase is not right for this data."))
    return _rewrite(context, None)


def unlock_check(context: AppContext, passphrase: str) -> bool:
    """Whether ``passphrase`` is this data's passphrase (for the auto-lock screen)."""
    return is_encrypted(context) and passphrase == context.db.key

