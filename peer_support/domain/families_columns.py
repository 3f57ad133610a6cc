"""The families spreadsheet: canonical columns, header matching and cell parsing.

Export writes CANONICAL_HEADERS in order. Import matches a file's headers to
fields by the canonical name, the field's label in English, Danish, German and
Polish (from the catalogs), and common variants people type; then parses
cells the way real spreadsheets hold them.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from peer_support.domain.families import FamilyRecord, MemberDraft
from peer_support.domain.families_rules import fold
from peer_support.i18n import N_, SUPPORTED_LANGUAGES, _, translations_for

CANONICAL_HEADERS = (
    "reference", "name", "members", "address", "postcode", "area", "phone", "email", "language",
    "children", "schools", "needs_internet", "needs_device", "consent_date", "consent_contact",
    "consent_newsletter", "consent_photos", "notes")

FIELD_LABELS = {
    "reference": N_("Reference"), "name": N_("Name"), "members": N_("Members"), "address": N_("Address"),
    "postcode": N_("Postcode"), "area": N_("Area"), "phone": N_("Phone"), "email": N_("Email"),
    "language": N_("Language"), "children": N_("Children"), "schools": N_("Schools"),
    "needs_internet": N_("Needs internet"), "needs_device": N_("Needs a device"),
    "consent_date": N_("Consent date"), "consent_contact": N_("Consent to contact"),
    "consent_newsletter": N_("Consent to newsletter"), "consent_photos": N_("Consent to photos"),
    "notes": N_("Notes")}

# What people write in their own sheets (compared folded, without spaces, dashes or underscores).
VARIANTS = {
    "reference": ["ref", "id", "familyref", "familyreference", "familyid", "code", "reference no",
                  "reference number", "referencenummer", "referenz", "kennung", "numer", "nr"],
    "name": ["family", "family name", "familyname", "lead parent", "parent", "parent name",
             "parent carer", "parent/carer", "carer", "full name", "contact name", "navn", "forælder",
             "familie", "elternteil", "nazwa", "imię i nazwisko", "rodzic", "nazwisko"],
    "members": ["other members", "household", "children names", "family members", "medlemmer",
                "mitglieder", "haushalt", "członkowie", "domownicy"],
    "address": ["address line", "address lines", "street", "street address", "home address", "adresse",
                "anschrift", "adres", "ulica"],
    "postcode": ["post code", "postal code", "zip", "zip code", "postnummer", "postnr", "plz",
                 "postleitzahl", "kod pocztowy", "kod"],
    "area": ["ward", "district", "neighbourhood", "neighborhood", "område", "bydel", "gebiet",
             "stadtteil", "bezirk", "obszar", "dzielnica", "rejon"],
    "phone": ["telephone", "tel", "tel no", "phone number", "mobile", "mobile number", "mob",
              "contact number", "telefon", "telefonnummer", "mobil", "handy", "numer telefonu",
              "komórka"],
    "email": ["e-mail", "email address", "e-mail address", "mail", "e-mail-adresse", "adres e-mail",
              "e-post"],
    "language": ["preferred language", "home language", "first language", "sprog", "sprache",
                 "język", "jezyk"],
    "children": ["number of children", "no of children", "no. of children", "kids", "child count",
                 "antal børn", "børn", "kinder", "anzahl kinder", "dzieci", "liczba dzieci"],
    "schools": ["school", "secondary school", "skole", "skoler", "schule", "schulen", "szkoła", "szkoły"],
    "needs_internet": ["no internet", "no home internet", "internet", "needs wifi", "no wifi",
                       "intet internet", "kein internet", "brak internetu"],
    "needs_device": ["no device", "device", "needs laptop", "no laptop", "ingen enhed", "kein gerät",
                     "brak urządzenia"],
    "consent_date": ["consent given", "consent on", "date of consent", "samtykkedato", "einwilligungsdatum",
                     "data zgody"],
    "consent_contact": ["contact consent", "may contact", "ok to contact"],
    "consent_newsletter": ["newsletter", "newsletter consent", "nyhedsbrev", "biuletyn"],
    "consent_photos": ["photos", "photo consent", "photographs", "fotos", "billeder", "zdjęcia"],
    "notes": ["note", "comments", "comment", "remarks", "noter", "bemærkninger", "notizen",
              "bemerkungen", "uwagi", "notatki"],
}


def _header_key(text: str) -> str:
    return re.sub(r"[\s_\-./:()]+", "", fold(text.strip().lstrip("\ufeff")))


def _header_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for field in CANONICAL_HEADERS:
        names = [field, FIELD_LABELS[field], *VARIANTS.get(field, [])]
        for language in SUPPORTED_LANGUAGES:
            names.append(translations_for(language).gettext(FIELD_LABELS[field]))
        for name in names:
            index.setdefault(_header_key(name), field)
    return index


def match_header(header: str) -> str | None:
    """The field a column header means, or None."""
    key = _header_key(header)
    return _header_index().get(key) if key else None


def guess_mapping(headers: list[str]) -> list[str | None]:
    """A field per column (None: ignore); each field is used at most once, first column wins."""
    used: set[str] = set()
    mapping: list[str | None] = []
    for header in headers:
        field = match_header(header)
        if field in used:
            field = None
        if field:
            used.add(field)
        mapping.append(field)
    return mapping


# -- writing cells ----------------------------------------------------------------------------
def format_members(members) -> str:
    """'Oliver Smith (child, 9, Seaview Academy); Tom Smith (partner)'."""
    parts = []
    for member in members:
        details = [member.relationship,
                   "" if member.school_year is None else str(member.school_year), member.school]
        details = [d for d in details if d]
        parts.append(f"{member.name} ({', '.join(details)})" if details else member.name)
    return "; ".join(parts)


def family_cells(record: FamilyRecord) -> list[object]:
    """One export row in CANONICAL_HEADERS order (booleans as yes/no, dates as dates)."""
    return [record.reference, record.name, format_members(record.members), record.address,
            record.postcode, record.area, record.phone, record.email, record.language,
            record.children, "; ".join(record.schools), _yes_no(record.needs_internet),
            _yes_no(record.needs_device), record.consent_date, _yes_no(record.consent_contact),
            _yes_no(record.consent_newsletter), _yes_no(record.consent_photos), record.notes]


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


# -- reading cells ----------------------------------------------------------------------------
class CellError(ValueError):
    """A cell that cannot be read; the message is translated."""


_TRUE = {"yes", "y", "true", "1", "x", "✓", "✔", "ja", "j", "tak", "t", "wahr", "sand"}
_FALSE = {"no", "n", "false", "0", "", "nej", "nein", "nie", "falsch", "falsk", "-"}
_LANGUAGES = {"en": "en", "eng": "en", "english": "en", "engelsk": "en", "englisch": "en", "angielski": "en",
              "pl": "pl", "pol": "pl", "polish": "pl", "polski": "pl", "polsk": "pl", "polnisch": "pl",
              "da": "da", "dk": "da", "dan": "da", "danish": "da", "dansk": "da", "dänisch": "da",
              "duński": "da", "de": "de", "ger": "de", "deu": "de", "german": "de", "deutsch": "de",
              "tysk": "de", "niemiecki": "de"}
EXCEL_EPOCH = date(1899, 12, 30)


def parse_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return bool(value)
    text = fold(str(value).strip())
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(_("'%(text)s' is not yes or no.") % {"text": str(value).strip()})


def parse_date_cell(value: object) -> date | None:
    """An Excel date cell, an Excel serial number, ISO (2024-03-14) or dd/mm/yyyy (also . and -)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 100_000:
            return EXCEL_EPOCH + timedelta(days=int(value))
        raise CellError(_("'%(text)s' is not a date.") % {"text": value})
    text = str(value).strip()
    if not text:
        return None
    text = text.split(" ")[0] if re.match(r"^\d{4}-\d{2}-\d{2}[ T]", text) else text
    try:
        return date.fromisoformat(text[:10]) if re.match(r"^\d{4}-\d{2}-\d{2}$", text[:10]) else _dmy(text)
    except ValueError:
        raise CellError(_("'%(text)s' is not a date: use day/month/year (14/03/2024) or 2024-03-14.")
                        % {"text": text}) from None


def _dmy(text: str) -> date:
    match = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})", text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        if year < 100:
            year += 2000 if year < 70 else 1900
        return date(year, month, day)
    match = re.fullmatch(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})", text)
    if match:
        return date(int(match[1]), int(match[2]), int(match[3]))
    raise ValueError(text)


def parse_count(value: object) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = str(value).strip()
    if re.fullmatch(r"\d+(\.0+)?", text):
        return int(float(text))
    raise CellError(_("'%(text)s' is not a whole number.") % {"text": text})


def parse_language(value: object) -> str:
    text = fold(str(value or "").strip())
    if not text:
        return "en"
    if text in _LANGUAGES:
        return _LANGUAGES[text]
    raise CellError(_("'%(language)s' is not a language the group supports "
                      "(English, Polish, Danish or German).") % {"language": str(value).strip()})


def parse_list(value: object) -> tuple[str, ...]:
    """'A; B' (also | or newlines). Commas are kept: school names may contain them."""
    return tuple(part.strip() for part in re.split(r"[;|\n]", str(value or "")) if part.strip())


def parse_members(value: object, known_schools: set[str] | None = None) -> tuple[MemberDraft, ...]:
    """The export's 'Name (relationship, year, school); ...' form, or just names."""
    members = []
    for part in parse_list(value):
        match = re.fullmatch(r"(.*?)\s*\((.*)\)", part)
        if not match:
            members.append(MemberDraft(name=part))
            continue
        name, details = match[1].strip(), [d.strip() for d in match[2].split(",")]
        year_index = next((i for i, d in enumerate(details) if re.fullmatch(r"(?i)(year\s*)?\d{1,2}", d)), None)
        relationship, year, school = "", None, ""
        if year_index is not None:
            year = int(re.sub(r"\D", "", details[year_index]))
            relationship = ", ".join(details[:year_index])
            school = ", ".join(details[year_index + 1:])
        elif len(details) > 1 and known_schools and ", ".join(details[1:]).lower() in known_schools:
            relationship, school = details[0], ", ".join(details[1:])
        else:
            relationship = ", ".join(details)
        members.append(MemberDraft(name=name, relationship=relationship, school_year=year, school=school))
    return tuple(members)


def cell_text(value: object) -> str:
    """A cell as text; whole numbers from XLSX without '.0'; a phone that lost its 0 gets it back."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def phone_cell(value: object) -> str:
    text = cell_text(value).strip()
    # Excel stores 07700900123 typed into a number cell as 7700900123.
    if isinstance(value, (int, float)) and not isinstance(value, bool) and len(text) == 10 and text[0] == "7":
        return "0" + text
    return text
