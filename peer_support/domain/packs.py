"""Activity packs as the rest of the app sees them, and the pack code rules.

Pack codes are 6 characters plus a check character, from a 29-character
alphabet chosen so that codes survive people and cheap USB scanners:

* no 0/O, 1/I (read wrongly by people) and no U (U/V);
* no Y or Z: a scanner set to a US layout on a German (QWERTZ) laptop types
  Z for Y and Y for Z, so a code that could hold them might scan as a
  *different valid* code. Without them it can only scan as itself.

The check character makes the weighted sum of all 7 values divisible by 29.
Because 29 is prime and the weights 1..7 are distinct and below 29, every
single wrong character and every swap of two characters is detected.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from operator import mul

from peer_support.domain.pack_status import OUTSTANDING as OUTSTANDING
from peer_support.domain.pack_status import Outcome as Outcome
from peer_support.domain.pack_status import Progress as Progress
from peer_support.domain.pack_status import status_label as status_label
from peer_support.errors import ConflictError, ValidationError
from peer_support.i18n import _

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTVWX"
BASE = len(ALPHABET)  # 29, a prime
BODY_LENGTH = 6
CODE_LENGTH = BODY_LENGTH + 1
CODE_SPACE = BASE ** BODY_LENGTH  # 594,823,321 possible codes
_VALUES = {char: value for value, char in enumerate(ALPHABET)}
_IGNORED = str.maketrans("", "", " -_\t\r\n\u00a0\u2010\u2011\u2012\u2013")
_CHECK_WEIGHT_INVERSE = pow(CODE_LENGTH, -1, BASE)
_WEIGHTS = range(1, BODY_LENGTH + 1)
_ONLY_STRANGE = str.maketrans("", "", ALPHABET)  # what is left of a code once its alphabet is taken out


def _check_value(body: str) -> int:
    weighted = sum(map(mul, _WEIGHTS, map(_VALUES.__getitem__, body)))  # = sum((position + 1) * value)
    # Choose c so that weighted + 7*c == 0 (mod 29).
    return (-weighted * _CHECK_WEIGHT_INVERSE) % BASE


def make_code(number: int) -> str:
    """The pack code for ``number`` (0 <= number < CODE_SPACE): 6 characters + check."""
    if not 0 <= number < CODE_SPACE:
        raise ValueError("pack code number out of range")
    chars = []
    for _position in range(BODY_LENGTH):
        number, digit = divmod(number, BASE)
        chars.append(ALPHABET[digit])
    body = "".join(reversed(chars))
    return body + ALPHABET[_check_value(body)]


def normalise_code(text: str) -> str:
    """What a person typed or a scanner sent, without spaces and dashes, in capitals."""
    return text.translate(_IGNORED).upper()


def validate_code(text: str) -> str:
    """The normalised code, or ValidationError saying what is wrong with it."""
    code = normalise_code(text)
    if not code:
        raise ValidationError(_("Type or scan a pack code."), field="code")
    if code.translate(_ONLY_STRANGE):  # checked in C: a scan runs this every time
        strange = sorted({char for char in code if char not in _VALUES})
        raise ValidationError(_("'%(code)s' is not a pack code: pack codes never contain %(chars)s.")
                              % {"code": text.strip(), "chars": " ".join(strange)}, field="code")
    if len(code) != CODE_LENGTH:
        raise ValidationError(_("'%(code)s' is not a pack code: pack codes have %(length)d characters.")
                              % {"code": text.strip(), "length": CODE_LENGTH}, field="code")
    if ALPHABET[_check_value(code[:BODY_LENGTH])] != code[-1]:
        raise ValidationError(_("'%(code)s' is not a valid pack code: a character is wrong or two "
                                "are swapped. Check it and type it again.") % {"code": text.strip()},
                              field="code")
    return code


def check_volunteer(volunteer_id: str | None) -> str:
    """Every scan names the volunteer who made it (a pack's history, who delivered what, and the
    volunteer's own subject access rest on it): the id, or ValidationError. The one rule: the scan
    service, the command line's ``packs deliver`` and the scan page all ask it."""
    if not (volunteer_id or "").strip():
        raise ValidationError(_("Choose who is delivering first, then scan again: every scan is recorded "
                                "with the volunteer who made it. Nothing was recorded."), field="volunteer")
    return volunteer_id or ""


def is_valid_code(text: str) -> bool:
    try:
        validate_code(text)
    except ValidationError:
        return False
    return True


def format_code(code: str) -> str:
    """For people: 'ABC-DEFG' (the dash is ignored when typed back)."""
    return f"{code[:3]}-{code[3:]}" if len(code) == CODE_LENGTH else code


# What the CLI accepts for --outcome.
CLI_OUTCOMES = {"delivered": Outcome.DELIVERED, "not-home": Outcome.NOT_HOME,
                "refused": Outcome.REFUSED, "returned": Outcome.RETURNED}


@dataclass(frozen=True)
class BatchDraft:
    """A new batch. Empty filters mean every active family."""

    name: str
    description: str = ""
    contents: tuple[str, ...] = ()
    packed_on: date | None = None
    areas: tuple[str, ...] = ()
    schools: tuple[str, ...] = ()
    needs_internet: bool = False  # only families that need internet
    needs_device: bool = False  # only families that need a device
    packs_per_family: int = 1


@dataclass(frozen=True)
class BatchRecord:
    id: str
    reference: str
    name: str
    description: str
    contents: tuple[str, ...]
    packed_on: date | None
    target: str
    pack_count: int


@dataclass(frozen=True)
class RunRecord:
    id: str
    batch_id: str
    number: int
    name: str
    volunteer: str  # name, "" when nobody is assigned yet
    volunteer_id: str | None
    pack_count: int


@dataclass(frozen=True)
class PackRecord:
    id: str
    code: str
    batch_id: str
    batch_reference: str
    family_reference: str
    family_name: str
    address: str
    postcode: str
    area: str
    run_number: int | None
    run_position: int | None
    status: str
    status_at: datetime | None
    volunteer: str
    note: str


@dataclass(frozen=True)
class EventRecord:
    id: str
    code: str
    family_name: str
    area: str
    outcome: str
    at: datetime
    volunteer: str
    note: str
    undone: bool
    run_number: int | None = None


@dataclass(frozen=True)
class ScanReceipt:
    """A recorded scan: what to show."""

    event: EventRecord
    pack: PackRecord


@dataclass(frozen=True)
class RunProgress:
    run: RunRecord
    progress: Progress


class AlreadyDeliveredError(ConflictError):
    """A second delivery of the same pack: refused (and logged as a duplicate scan)."""

    def __init__(self, message: str, pack: PackRecord) -> None:
        super().__init__(message)
        self.pack = pack


class WrongBatchError(ConflictError):
    """A real pack code, but of another batch than the one being delivered."""

    def __init__(self, message: str, pack: PackRecord) -> None:
        super().__init__(message)
        self.pack = pack


def split_evenly(count: int, parts: int) -> list[int]:
    """Sizes of ``parts`` consecutive chunks of ``count`` items, differing by at most one."""
    base, extra = divmod(count, parts)
    return [base + (1 if index < extra else 0) for index in range(parts)]


def share_runs(area_counts: dict[str, int], runs: int) -> dict[str, int]:
    """How many runs each area gets: proportional to its packs, at least one each
    (largest remainder), so no run crosses between areas."""
    areas = [area for area, count in area_counts.items() if count]
    if not areas:
        return {}
    runs = max(runs, len(areas))
    total = sum(area_counts[a] for a in areas)
    exact = {a: area_counts[a] * runs / total for a in areas}
    share = {a: max(1, int(exact[a])) for a in areas}
    while sum(share.values()) < runs:
        best = max(areas, key=lambda a: (exact[a] - share[a], area_counts[a] / share[a]))
        share[best] += 1
    while sum(share.values()) > runs:
        best = max((a for a in areas if share[a] > 1), key=lambda a: share[a] - exact[a])
        share[best] -= 1
    # Never more runs than packs in an area.
    return {a: min(share[a], area_counts[a]) for a in areas}


def progress_line(progress: Progress) -> str:
    """One line for a batch's progress (``packs progress``, the outstanding-packs PDF)."""
    return (_("%(delivered)d of %(total)d delivered · %(outstanding)d outstanding (%(not_home)d not at "
              "home) · %(refused)d refused · %(returned)d returned")
            % {"delivered": progress.delivered, "total": progress.total, "outstanding": progress.outstanding,
               "not_home": progress.not_home, "refused": progress.refused, "returned": progress.returned})
