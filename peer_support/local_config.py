"""Settings that belong to this laptop, not to the group: device id, language,
who is using the app. Kept in ``local.json`` in the data folder, outside the
database, so a restored backup or a joined snapshot keeps this laptop's identity.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from peer_support.paths import LOCAL_CONFIG_FILE

__all__ = ["LOCAL_CONFIG_FILE", "LocalConfig"]


@dataclass
class LocalConfig:
    device_id: str
    language: str = ""  # empty: follow the system
    user: str = ""
    published_seq: int = 0  # the last of this laptop's changes written to the sync folder (services/sync/restored.py)
    published_stamp: str = ""  # its clock then, as an HLC stamp (storage/hlc.py)

    @classmethod
    def load(cls, data_dir: Path) -> "LocalConfig":
        path = data_dir / LOCAL_CONFIG_FILE
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            known = {f.name for f in fields(cls)}
            config = cls(**{k: v for k, v in raw.items() if k in known})
            if config.device_id:
                return config
        except (OSError, ValueError, TypeError):
            pass  # missing or unreadable: start a fresh identity below
        import uuid

        # Random, not time-ordered (storage/ids.py): people tell laptops apart by the start of their id
        # (domain/sync.laptop_label), which for laptops set up the same day would be the same.
        config = cls(device_id=str(uuid.uuid4()))
        config.save(data_dir)
        return config

    def save(self, data_dir: Path) -> None:
        path = data_dir / LOCAL_CONFIG_FILE
        partial = path.with_suffix(".json.partial")
        partial.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
        os.replace(partial, path)
