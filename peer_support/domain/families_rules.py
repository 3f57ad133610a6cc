"""Pure rules for families: field shapes, normalising, duplicate keys.

Validation collects every problem of a draft (an import lists them all for a
row) as (field, translated message) pairs; ``validate_family`` raises the first.
"""

from __future__ import annotations

import re
from dataclasses import replace

from peer_support.domain.families import SUPPORTED_FAMILY_LANGUAGES, FamilyDraft, MemberDraft
# fold, phone_digits and search_terms live with the rest of searching; imported here for the
# callers that know them as family rules.
from peer_support.domain.search import fold, phone_digits, search_terms  # noqa: F401
from peer_support.errors import ValidationError
from peer_support.i18n import _

# Outward code (A9, A99, A9A, AA9, AA99, AA9A) + inward code (9AA); GIR 0AA is Girobank's.
_POSTCODE = re.compile(r"^(?:GIR0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+$")
_PHONE_PUNCTUATION = re.compile(r"[\s\-().\u00a0/]")
MAX_NAME = 200
MAX_SCHOOL_YEAR = 13
MAX_CHILDREN = 20
Problem = tuple[str, str]  # (field, translated message)


def normalise_postcode(text: str) -> str:
    """'ct91ab ' -> 'CT9 1AB'; text that is not postcode-shaped comes back upper-cased."""
    compact = re.sub(r"\s+", "", text).upper()
    if len(compact) >= 5 and _POSTCODE.match(compact):
        return f"{compact[:-3]} {compact[-3:]}"
    return " ".join(text.split()).upper()


def is_postcode(text: str) -> bool:
    return bool(_POSTCODE.match(re.sub(r"\s+", "", text).upper()))


def is_phone(text: str) -> bool:
    """UK numbers (0 + 9 or 10 digits) or international ones (+ and 8 to 15 digits)."""
    stripped = _PHONE_PUNCTUATION.sub("", text.strip())
    if stripped.startswith("+"):
        return stripped[1:].isdigit() and 8 <= len(stripped) - 1 <= 15
    return stripped.isdigit() and stripped.startswith("0") and 10 <= len(stripped) <= 11


def is_email(text: str) -> bool:
    return bool(_EMAIL.match(text.strip()))


def _clean(text: str) -> str:
    return " ".join(text.split())


def clean_family(draft: FamilyDraft) -> FamilyDraft:
    """Stray spaces removed, postcode in its usual shape, language lower-case."""
    address = "\n".join(line.strip() for line in draft.address.splitlines() if line.strip())
    return replace(
        draft, name=_clean(draft.name), address=address, postcode=normalise_postcode(draft.postcode),
        area=_clean(draft.area), phone=_clean(draft.phone), email=draft.email.strip(),
        language=(draft.language or "en").strip().lower(), notes=draft.notes.strip(),
        schools=tuple(dict.fromkeys(_clean(s) for s in draft.schools if s.strip())),
        members=tuple(replace(m, name=_clean(m.name), relationship=_clean(m.relationship),
                              school=_clean(m.school)) for m in draft.members if m.name.strip()))


def family_problems(draft: FamilyDraft) -> list[Problem]:
    """Every problem of an already cleaned draft, in form order."""
    problems: list[Problem] = []
    if not draft.name:
        problems.append(("name", _("A family needs a name.")))
    elif len(draft.name) > MAX_NAME:
        problems.append(("name", _("The name is too long (at most %(count)d characters).")
                         % {"count": MAX_NAME}))
    if draft.postcode and not is_postcode(draft.postcode):
        problems.append(("postcode", _("'%(postcode)s' is not a UK postcode, for example CT9 1AB.")
                         % {"postcode": draft.postcode}))
    if draft.phone and not is_phone(draft.phone):
        problems.append(("phone", _("'%(phone)s' is not a phone number: use digits, for example "
                                    "07700 900123 or +44 7700 900123.") % {"phone": draft.phone}))
    if draft.email and not is_email(draft.email):
        problems.append(("email", _("'%(email)s' is not an email address, for example "
                                    "name@example.org.") % {"email": draft.email}))
    if draft.language not in SUPPORTED_FAMILY_LANGUAGES:
        problems.append(("language", _("'%(language)s' is not a language the group supports "
                                       "(English, Polish, Danish or German).")
                         % {"language": draft.language}))
    if draft.children is not None and not 0 <= draft.children <= MAX_CHILDREN:
        problems.append(("children", _("The number of children must be between 0 and %(count)d.")
                         % {"count": MAX_CHILDREN}))
    for member in draft.members:
        problems.extend(member_problems(member))
    return problems


def member_problems(member: MemberDraft) -> list[Problem]:
    if member.school_year is not None and not 0 <= member.school_year <= MAX_SCHOOL_YEAR:
        return [("members", _("%(name)s: school year must be between 0 and %(count)d.")
                 % {"name": member.name, "count": MAX_SCHOOL_YEAR})]
    return []


def validate_family(draft: FamilyDraft) -> FamilyDraft:
    """The cleaned draft; raises ValidationError (with the field) for the first problem."""
    cleaned = clean_family(draft)
    problems = family_problems(cleaned)
    if problems:
        field, message = problems[0]
        raise ValidationError(message, field=field)
    return cleaned


def validate_volunteer_fields(name: str, phone: str, email: str) -> None:
    if not name.strip():
        raise ValidationError(_("A volunteer needs a name."), field="name")
    if phone.strip() and not is_phone(phone):
        raise ValidationError(_("'%(phone)s' is not a phone number: use digits, for example "
                                "07700 900123 or +44 7700 900123.") % {"phone": phone.strip()}, field="phone")
    if email.strip() and not is_email(email):
        raise ValidationError(_("'%(email)s' is not an email address, for example name@example.org.")
                              % {"email": email.strip()}, field="email")


# -- duplicates and search ---------------------------------------------------------------
def name_postcode_key(name: str, postcode: str) -> str | None:
    """Two families with the same key are probably the same household."""
    if not name.strip() or not postcode.strip():
        return None
    compact_postcode = re.sub(r"\s+", "", postcode).upper()
    return f"{' '.join(fold(name).split())}|{compact_postcode}"


def phone_key(phone: str) -> str | None:
    digits = phone_digits(phone)
    return digits if len(digits) >= 8 else None
