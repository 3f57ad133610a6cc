from datetime import date, datetime, timezone

import pytest

from peer_support.errors import ValidationError
from peer_support.i18n.formatting import (format_date, format_datetime, format_money, format_month,
                                          parse_date, parse_money)


@pytest.mark.parametrize("language, expected", [
    ("en", "£1,234.50"), ("da", "1.234,50\xa0£"), ("de", "1.234,50\xa0£")])
def test_money_is_formatted_for_the_locale(language, expected):
    assert format_money(123450, language) == expected


def test_polish_money_keeps_the_amount():
    assert format_money(123450, "pl").replace("\xa0", " ").replace("\u202f", " ").startswith("1 234,50")


@pytest.mark.parametrize("language", ["en", "da", "de", "pl"])
def test_money_round_trips_through_parse(language):
    assert parse_money(format_money(987654, language), language) == 987654


@pytest.mark.parametrize("text", ["", "abc", "12.505", "-3", "1e400", "12,50"])
def test_bad_amounts_are_refused_with_a_message(text):
    with pytest.raises(ValidationError) as raised:
        parse_money(text, "en")
    assert raised.value.message


def test_month_names_follow_the_given_language_not_the_ui():
    assert format_month(date(2026, 3, 1), "de") == "März 2026"
    assert "marzec" in format_month(date(2026, 3, 1), "pl")


def test_instants_are_shown_in_london_time():
    summer = datetime(2026, 7, 1, 17, 0, tzinfo=timezone.utc)
    winter = datetime(2026, 12, 1, 17, 0, tzinfo=timezone.utc)
    assert "18:00" in format_datetime(summer, language="en")
    assert "17:00" in format_datetime(winter, language="en")


def test_naive_instants_are_refused():
    with pytest.raises(ValueError):
        format_datetime(datetime(2026, 1, 1, 12, 0))


def test_dates_parse_in_iso_and_local_forms():
    assert parse_date("2026-03-14") == date(2026, 3, 14)
    assert parse_date("14/03/2026", "en") == date(2026, 3, 14)
    assert parse_date("14.03.2026", "de") == date(2026, 3, 14)
    with pytest.raises(ValidationError):
        parse_date("31/02/2026", "en")
    assert format_date(date(2026, 3, 14), "short", "de") == "14.03.26"
