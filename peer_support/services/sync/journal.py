"""Journal files: this laptop's changes, written to ``journal/<device-id>/`` in the sync folder.

A file is ``<first-seq>-<last-seq>.psj``: one JSON header line (format,
device, sequence range, SHA-256 and length of the body, encryption), then
the body: gzip'd JSON, encrypted with the group key when a passphrase is set.
Files are written to a hidden temporary name and renamed, and never changed
afterwards (except compaction after an erasure, once every laptop has them,
and self-healing: a laptop writes its own damaged or missing files again),
so a file-sync tool never sees a half-written file or two writers.

In an encrypted group every file must decrypt and authenticate under the
group key (AES-256-GCM) with its device id and sequence range as associated
data: a plain file, a file made with another key, or one moved to another
laptop's folder or renamed to other numbers is refused as "not from this
group" (``ForeignFile``). A plain group keeps the SHA-256 checksum per file.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from peer_support.domain.sync import JOURNAL_DIR
from peer_support.i18n import _
from peer_support.services.sync import crypto
from peer_support.services.sync.state import Knowledge
from peer_support.storage.change_json import json_bytes, read_json
from peer_support.storage.tables.core import Action, ChangeLog
from peer_support.storage.types import to_json_value

FORMAT = 2  # 2: the device id and sequence range are bound into the encryption
READABLE_FORMATS = (1, 2)
SUFFIX = ".psj"
CHANGES_PER_FILE = 5000
_NAME = re.compile(r"^(\d{12})-(\d{12})\.psj$")
_DEVICE = re.compile(r"^[0-9a-fA-F-]{8,36}$")


class DamagedFile(Exception):
    """A journal file that cannot be trusted; ``message`` is translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ForeignFile(DamagedFile):
    """A file that does not authenticate under this group's key: never applied."""


def not_from_group() -> str:
    return _("a file in the folder is not from this group (it is not encrypted with the group's "
             "passphrase, or it was changed, renamed or moved)")


def associated_data(device_id: str, first_seq: int, last_seq: int) -> str:
    """What a file's encryption is bound to: its laptop and its numbers."""
    return f"peer-support journal v{FORMAT}/{device_id}/{first_seq}/{last_seq}"


@dataclass(frozen=True)
class JournalRef:
    device_id: str
    first_seq: int
    last_seq: int
    path: Path


@dataclass
class JournalFile:
    device_id: str
    first_seq: int
    last_seq: int
    sha256: str
    schema_rev: str
    changes: list[dict[str, Any]]
    actions: dict[str, dict[str, Any]]


def file_name(first_seq: int, last_seq: int) -> str:
    return f"{first_seq:012d}-{last_seq:012d}{SUFFIX}"


def device_dirs(folder: Path) -> list[Path]:
    root = folder / JOURNAL_DIR
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and _DEVICE.match(p.name))


def list_journal(device_dir: Path) -> list[JournalRef]:
    """The journal files of one laptop, by sequence (temporary and foreign files ignored)."""
    refs = []
    for path in device_dir.iterdir() if device_dir.is_dir() else ():
        match = _NAME.match(path.name)
        if match:
            refs.append(JournalRef(device_dir.name, int(match[1]), int(match[2]), path))
    return sorted(refs, key=lambda r: (r.first_seq, r.last_seq))


def encode(payload: dict[str, Any], device_id: str, first_seq: int, last_seq: int,
           key: bytes | None) -> bytes:
    body = gzip.compress(json_bytes(payload), mtime=0)
    header: dict[str, Any] = {"format": FORMAT, "device_id": device_id, "first_seq": first_seq,
                              "last_seq": last_seq, "encryption": None}
    if key is not None:
        body, nonce = crypto.encrypt(key, body, associated_data(device_id, first_seq, last_seq))
        header.update(encryption="aes-256-gcm", nonce=nonce)
    header.update(sha256=hashlib.sha256(body).hexdigest(), length=len(body))
    return json.dumps(header, sort_keys=True).encode("ascii") + b"\n" + body


def decode(data: bytes, ref: JournalRef, key: bytes | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """(header, payload) of a file's bytes. Raises DamagedFile (ForeignFile) with a clear reason.

    With a group key every file must be encrypted and authenticate with the
    device id and numbers of where it lies in the folder (``ref``).
    """
    line, newline, body = data.partition(b"\n")
    try:
        header = json.loads(line.decode("ascii"))
        if not newline or not isinstance(header, dict) or header.get("format") not in READABLE_FORMATS:
            raise ValueError("format")
    except (UnicodeDecodeError, ValueError):  # a damaged first line: its laptop writes it again
        raise DamagedFile(_("it is not a Peer Support journal file, or it was made by a newer version")) from None
    if len(body) != header.get("length") or hashlib.sha256(body).hexdigest() != header.get("sha256"):
        raise DamagedFile(_("it is incomplete or damaged (its checksum does not match); it may "
                            "still be copying"))
    if key is not None and not header.get("encryption"):
        raise ForeignFile(not_from_group())
    if header.get("encryption"):
        if key is None:
            raise DamagedFile(_("it is encrypted; enter the group's passphrase in the Sync settings"))
        label = (associated_data(ref.device_id, ref.first_seq, ref.last_seq) if header["format"] >= 2
                 else ref.path.name)
        try:
            body = crypto.decrypt(key, body, str(header.get("nonce", "")), label)
        except crypto.DecryptError:
            raise ForeignFile(not_from_group()) from None
    try:
        payload = read_json(gzip.decompress(body))
    except (OSError, EOFError, UnicodeDecodeError, ValueError):
        raise DamagedFile(_("its content is damaged")) from None
    return header, payload


def read_journal(ref: JournalRef, key: bytes | None) -> JournalFile:
    """Read and check one file. Raises DamagedFile; nothing of a damaged file is used."""
    try:
        data = ref.path.read_bytes()
    except OSError as exc:
        raise DamagedFile(_("it cannot be read: %(reason)s") % {"reason": exc.strerror or exc}) from exc
    header, payload = decode(data, ref, key)
    if (header.get("device_id"), header.get("first_seq"), header.get("last_seq")) != (
            ref.device_id, ref.first_seq, ref.last_seq) or not isinstance(payload, dict) \
            or payload.get("device_id", ref.device_id) != ref.device_id:
        if key is not None:
            raise ForeignFile(not_from_group())
        raise DamagedFile(_("its name does not match its content"))
    try:
        changes = payload.get("changes", [])
        seen: dict[str, int] = {}
        for change in changes:  # "seen" is only written when it differs from the previous change
            seen = change.setdefault("seen", seen)
        seqs = [int(c["seq"]) for c in changes]
        for change in changes:
            for key_name in ("change_id", "hlc", "action_id", "entity", "entity_id", "op", "changes"):
                change[key_name]  # noqa: B018 - every entry has these
        actions = payload.get("actions", {})
        if not isinstance(actions, dict):
            raise TypeError("actions")
    except (AttributeError, KeyError, TypeError, ValueError):
        raise DamagedFile(_("its content is damaged")) from None
    # Ranges are contiguous between files; inside one, numbers may skip entries
    # another module scrubbed from the change log (an erasure), never go back.
    if (not seqs or seqs[0] < ref.first_seq or seqs[-1] != ref.last_seq
            or any(b <= a for a, b in zip(seqs, seqs[1:]))):
        raise DamagedFile(_("its changes are not numbered %(first)d to %(last)d")
                          % {"first": ref.first_seq, "last": ref.last_seq})
    return JournalFile(ref.device_id, ref.first_seq, ref.last_seq, header["sha256"],
                       payload.get("schema_rev", ""), changes, actions)


def write_atomically(path: Path, data: bytes) -> None:
    """Hidden temporary name, flushed to disk, then renamed: readers see all or nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    with partial.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)


def change_entry(change: ChangeLog, seen: dict[str, int] | None) -> dict[str, Any]:
    entry = {"change_id": change.change_id, "seq": change.seq, "hlc": change.hlc,
             "action_id": change.action_id, "entity": change.entity, "entity_id": change.entity_id,
             "op": change.op, "changes": read_json(change.changes), "actor": change.actor,
             "at": to_json_value(change.at), "schema_rev": change.schema_rev}
    if seen is not None:
        entry["seen"] = seen
    return entry


def action_entry(action: Action) -> dict[str, Any]:
    return {"description": action.description, "actor": action.actor, "device_id": action.device_id,
            "at": to_json_value(action.at), "undoes": action.undoes}


STATUS_FILE = "state.json"  # each laptop's published state, beside its journal files


def laptop_names(folder: Path | None) -> dict[str, str]:
    """The computer name each laptop gave in its state file, by device id."""
    if folder is None or not folder.is_dir():
        return {}
    names = {}
    for device_dir in device_dirs(folder):
        try:
            name = json.loads((device_dir / STATUS_FILE).read_text("utf-8")).get("name", "")
        except (OSError, ValueError, AttributeError):
            continue
        if isinstance(name, str) and name.strip():
            names[device_dir.name] = name.strip()
    return names


def last_written_seq(folder: Path, device_id: str) -> int:
    """The highest number of this laptop's files in the folder (status only)."""
    refs = list_journal(folder / JOURNAL_DIR / device_id)
    return max((r.last_seq for r in refs), default=0)


def write_range(session: Session, folder: Path, device_id: str, first: int, last: int, key: bytes | None,
                knowledge: Knowledge | None = None) -> int:
    """Write (or write again) this laptop's file ``first``-``last`` from its change log.

    Returns the number of changes in it; 0 (nothing written) when the change
    log no longer holds them.
    """
    knowledge = knowledge or Knowledge(session)
    changes = session.exec(select(ChangeLog).where(ChangeLog.device_id == device_id, ChangeLog.seq >= first,
                                                   ChangeLog.seq <= last).order_by(col(ChangeLog.seq))).all()
    if not changes or changes[-1].seq != last:
        return 0
    action_ids = {c.action_id for c in changes}
    actions = {a.id: action_entry(a) for a in session.exec(select(Action).where(col(Action.id).in_(action_ids)))}
    entries, previous = [], None
    for change in changes:
        seen = knowledge.seen_by(device_id, change.seq)
        entries.append(change_entry(change, seen if seen != previous else None))
        previous = seen
    payload = {"device_id": device_id, "schema_rev": changes[-1].schema_rev, "changes": entries,
               "actions": actions}
    write_atomically(folder / JOURNAL_DIR / device_id / file_name(first, last),
                     encode(payload, device_id, first, last, key))
    return len(changes)


def write_journal(session: Session, folder: Path, device_id: str, key: bytes | None,
                  start: int) -> tuple[int, list[tuple[int, int]]]:
    """Write this laptop's changes numbered after ``start``; returns (changes, new file ranges)."""
    knowledge = Knowledge(session)
    total, ranges = 0, list[tuple[int, int]]()
    while True:
        seqs = session.exec(select(ChangeLog.seq).where(ChangeLog.device_id == device_id, ChangeLog.seq > start)
                            .order_by(col(ChangeLog.seq)).limit(CHANGES_PER_FILE)).all()
        if not seqs:
            return total, ranges
        first, last = start + 1, seqs[-1]
        total += write_range(session, folder, device_id, first, last, key, knowledge)
        ranges.append((first, last))
        start = last


def peer_states(folder: Path, own: str) -> dict[str, dict]:
    """The other laptops' published state files (what each has applied), by device id."""
    states = {}
    for device_dir in device_dirs(folder):
        if device_dir.name == own:
            continue
        try:
            states[device_dir.name] = json.loads((device_dir / STATUS_FILE).read_text("utf-8"))
        except (OSError, ValueError):
            states[device_dir.name] = {}
    return states
