"""Dates, times, numbers and GBP amounts, formatted and parsed with Babel.

Every function takes an optional ``language``; by default the UI language.
A newsletter printed in Polish passes ``language="pl"`` explicitly.
Money is always integer pence in, integer pence out.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from babel import Locale, dates, numbers

from peer_support.clock import LONDON
from peer_support.errors import ValidationError
from peer_support.i18n import _, current_language

# The group is in the UK: English means British English (dd/mm/yyyy, £).
_BABEL_LOCALES = {"en": "en_GB", "da": "da_DK", "de": "de_DE", "pl": "pl_PL"}
CURRENCY = "GBP"
MAX_AMOUNT = Decimal(10_000_000)  # pounds; far above any grant, far below overflow


def babel_locale(language: str | None = None) -> Locale:
    return Locale.parse(_BABEL_LOCALES.get(language or current_language(), "en_GB"))


def format_money(pence: int, language: str | None = None) -> str:
    return numbers.format_currency(Decimal(pence) / 100, CURRENCY, locale=babel_locale(language))


def format_number(value: int | float | Decimal, language: str | None = None) -> str:
    return numbers.format_decimal(value, locale=babel_locale(language))


def format_score(value: float, signed: bool = False, language: str | None = None) -> str:
    """An average rating with one decimal ("3.8", "3,8"); ``signed`` shows "+0.4" for a change."""
    pattern = "+0.0;-0.0" if signed else "0.0"
    return numbers.format_decimal(round(value, 1), format=pattern, locale=babel_locale(language))


def format_percent(fraction: float, language: str | None = None) -> str:
    return numbers.format_percent(fraction, locale=babel_locale(language))


def format_date(value: date, length: str = "medium", language: str | None = None) -> str:
    return dates.format_date(value, format=length, locale=babel_locale(language))


def format_month(value: date, language: str | None = None) -> str:
    """'March 2026' in the language's own words and order."""
    return dates.format_skeleton("yMMMM", value, locale=babel_locale(language))


def to_local(instant: datetime, zone: ZoneInfo = LONDON) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("naive datetime: instants must be aware (UTC)")
    return instant.astimezone(zone)


def format_datetime(instant: datetime, length: str = "medium", language: str | None = None,
                    zone: ZoneInfo = LONDON) -> str:
    local = to_local(instant, zone)
    return dates.format_datetime(local, format=length, tzinfo=zone, locale=babel_locale(language))


def format_time(instant: datetime, length: str = "short", language: str | None = None,
                zone: ZoneInfo = LONDON) -> str:
    local = to_local(instant, zone)
    return dates.format_time(local, format=length, tzinfo=zone, locale=babel_locale(language))


def parse_money(text: str, language: str | None = None) -> int:
    """'£1,234.50' or '1.234,50' (in Danish) -> 123450 pence.

    Raises ValidationError with a translated message for anything else.
    """
    locale = babel_locale(language)
    cleaned = text.strip().replace("£", "").replace("GBP", "").replace("\u00a0", " ").strip()
    cleaned = cleaned.replace(" ", "")
    if not cleaned:
        raise ValidationError(_("Enter an amount, for example %(example)s.")
                              % {"example": format_money(1250, language)})
    try:
        amount = numbers.parse_decimal(cleaned, locale=locale, strict=True)
    except numbers.NumberFormatError:
        try:
            amount = Decimal(cleaned)  # a plain '12.50' is always understood
        except InvalidOperation:
            amount = None
    if amount is None or not amount.is_finite() or amount.as_tuple().exponent < -2 and \
            amount != round(amount, 2):
        raise ValidationError(_("'%(text)s' is not an amount of money, for example %(example)s.")
                              % {"text": text.strip(), "example": format_money(1250, language)})
    if amount < 0:
        raise ValidationError(_("An amount cannot be negative."))
    if amount > MAX_AMOUNT:
        raise ValidationError(_("%(amount)s is more than this app can handle (at most %(maximum)s).")
                              % {"amount": text.strip(), "maximum": format_money(int(MAX_AMOUNT * 100), language)})
    return int((amount * 100).quantize(Decimal("1")))


def parse_date(text: str, language: str | None = None) -> date:
    """ISO (2026-03-14) or the locale's short form (14/03/2026, 14.03.2026)."""
    cleaned = text.strip()
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        pass
    try:
        return dates.parse_date(cleaned, locale=babel_locale(language))
    except (ValueError, IndexError):
        raise ValidationError(_("'%(text)s' is not a date. Use the form %(example)s.")
                              % {"text": cleaned,
                                 "example": format_date(date(2026, 3, 14), "short", language)}
                              ) from None
