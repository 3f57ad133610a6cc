"""Encryption of journal files and snapshots with the group's passphrase.

AES-256-GCM (authenticated: a changed byte is detected) with a key derived
from the passphrase by scrypt. The salt and a check value live in the sync
folder's ``group.json``, so every laptop that knows the passphrase derives the
same key, and a wrong passphrase is refused before anything is written.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

# cryptography (~6 MB) is imported by the functions that use it: the Sync page is built without it.

from peer_support.domain.sync import GROUP_FILE
from peer_support.errors import StorageError, ValidationError
from peer_support.i18n import _

SCRYPT_N = 2 ** 15  # ~0.1 s on an old laptop; a guessed passphrase costs the same
CHECK_TEXT = b"peer-support group key"
NONCE_BYTES = 12


class DecryptError(Exception):
    pass


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def derive_key(passphrase: str, salt: bytes) -> bytes:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    return Scrypt(salt=salt, length=32, n=SCRYPT_N, r=8, p=1).derive(passphrase.encode("utf-8"))


def encrypt(key: bytes, data: bytes, label: str) -> tuple[bytes, str]:
    """``data`` encrypted; returns (ciphertext, nonce as base64). ``label`` is bound in."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = os.urandom(NONCE_BYTES)
    return AESGCM(key).encrypt(nonce, data, label.encode("utf-8")), _b64(nonce)


def decrypt(key: bytes, data: bytes, nonce: str, label: str) -> bytes:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        return AESGCM(key).decrypt(base64.b64decode(nonce), data, label.encode("utf-8"))
    except (InvalidTag, ValueError) as exc:
        raise DecryptError(str(exc)) from exc


def group_key(folder: Path, passphrase: str) -> bytes:
    """The group key for ``passphrase``, creating the folder's group.json on first use.

    Raises ValidationError for a passphrase that does not match the group's,
    StorageError when the folder cannot be written.
    """
    if len(passphrase) < 8:
        raise ValidationError(_("The passphrase needs at least 8 characters."), field="passphrase")
    path = folder / GROUP_FILE
    try:
        if path.exists():
            info = json.loads(path.read_text("utf-8"))
            key = derive_key(passphrase, base64.b64decode(info["salt"]))
            try:
                decrypt(key, base64.b64decode(info["check"]), info["check_nonce"], "group")
            except DecryptError:
                raise ValidationError(_("This is not the group's passphrase. Ask the lead who set "
                                        "up the sync folder."), field="passphrase") from None
            return key
        salt = os.urandom(16)
        key = derive_key(passphrase, salt)
        check, nonce = encrypt(key, CHECK_TEXT, "group")
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{GROUP_FILE}.partial")
        partial.write_text(json.dumps({"format": 1, "kdf": "scrypt", "n": SCRYPT_N, "salt": _b64(salt),
                                       "check": _b64(check), "check_nonce": nonce}), "utf-8")
        os.replace(partial, path)
        return key
    except (OSError, KeyError, ValueError) as exc:
        raise StorageError(_("The sync folder's group file could not be read or written: %(reason)s")
                           % {"reason": exc}) from exc


def folder_is_encrypted(folder: Path) -> bool:
    return (folder / GROUP_FILE).exists()
