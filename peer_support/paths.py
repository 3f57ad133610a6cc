"""Where the data lives: --data-dir, else $PEER_SUPPORT_DATA_DIR, else the
platform's user data folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from peer_support import APP_NAME
from peer_support.errors import StorageError
from peer_support.i18n import _

ENV_DATA_DIR = "PEER_SUPPORT_DATA_DIR"
LOCAL_CONFIG_FILE = "local.json"  # this laptop's settings (local_config.py)


def resolve_data_dir(option: str | os.PathLike | None = None) -> Path:
    chosen = option or os.environ.get(ENV_DATA_DIR)
    if not chosen:
        import platformdirs  # only when neither --data-dir nor the variable says where

        chosen = platformdirs.user_data_dir(APP_NAME, appauthor=False)
    return Path(chosen).expanduser().absolute()


def prepare_data_dir(path: Path) -> Path:
    """Create the folder if needed and check we can write in it."""
    if path.exists() and not path.is_dir():
        raise StorageError(_("The data folder %(path)s is a file, not a folder.") % {"path": path})
    try:
        path.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path, prefix=".write-test-"):
            pass
    except OSError as exc:
        raise StorageError(_("The data folder %(path)s cannot be written to (%(reason)s).")
                           % {"path": path, "reason": exc.strerror or exc}) from exc
    return path
