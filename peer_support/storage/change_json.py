"""The JSON text of a logged change, ``{field: [old, new]}``: written by every change-log writer
(the unit of work, plain_work, a sync receiving another laptop's changes, an erasure blanking the
history) the same way, and read back by ``read_json``.

orjson, not the json module: a sync writes one such text per received change (orjson: 3-4x
faster) and decodes each journal file whole (10-40% faster; building the objects is most of it).
Keys sorted, non-ASCII letters as they are, no spaces.
"""

from __future__ import annotations

from typing import Any

import orjson


def changes_text(changes: dict[str, Any]) -> str:
    """``changes`` as the change log keeps them (keys sorted)."""
    return orjson.dumps(changes, option=orjson.OPT_SORT_KEYS).decode("utf-8")


def read_json(text: str | bytes) -> Any:
    """A logged change's text, or a journal file's, as Python values; ValueError when it is not JSON."""
    return orjson.loads(text)


def json_bytes(value: Any) -> bytes:
    """A journal file's payload as compact UTF-8 JSON, keys in their order."""
    return orjson.dumps(value)
