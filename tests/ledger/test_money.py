"""Money: integers in minor units, ISO 4217 exponents from py-moneyed."""

from decimal import Decimal

import pytest

from ledger.errors import InvalidAmount, UnknownCurrency
from ledger.money import exponent, format_minor, round_to_minor, to_minor


def test_minor_unit_exponents_follow_iso_4217():
    assert (exponent("USD"), exponent("JPY"), exponent("KWD"), exponent("CNY")) == (2, 0, 3, 2)


@pytest.mark.parametrize(
    "text,code,minor",
    [("12.34", "USD", 1234), ("0.01", "USD", 1), ("1000", "JPY", 1000), ("1.234", "KWD", 1234), ("199999.99", "USD", 19999999), ("-5.00", "USD", -500)],
)
def test_decimal_text_parses_to_exact_minor_units(text, code, minor):
    assert to_minor(text, code) == minor


@pytest.mark.parametrize("text,code", [("1.234", "USD"), ("1.5", "JPY"), ("0.0001", "KWD")])
def test_more_decimals_than_the_currency_has_is_refused(text, code):
    with pytest.raises(InvalidAmount) as err:
        to_minor(text, code)
    assert code in str(err.value)


@pytest.mark.parametrize("bad", ["abc", "NaN", "Infinity", "", "1e", "--1"])
def test_non_numbers_are_refused(bad):
    with pytest.raises(InvalidAmount):
        to_minor(bad, "USD")


def test_floats_are_refused():
    with pytest.raises(InvalidAmount):
        to_minor(0.1, "USD")  # type: ignore[arg-type]


@pytest.mark.parametrize("code", ["usd", "XXX", "XAU", "BTC", "US", "", "USDT"])
def test_unknown_or_unusable_currencies_are_refused(code):
    with pytest.raises(UnknownCurrency):
        to_minor("1", code)


def test_format_and_round_half_up():
    assert format_minor(123456, "USD") == "1234.56"
    assert format_minor(-5, "USD") == "-0.05"
    assert format_minor(7, "JPY") == "7"
    assert format_minor(1, "KWD") == "0.001"
    assert round_to_minor(Decimal("1.005"), "USD") == 101
    assert round_to_minor(Decimal("-1.005"), "USD") == -101
    assert round_to_minor(Decimal("2.5"), "JPY") == 3


@pytest.mark.parametrize("minor,code,text", [(123456, "USD", "1234.56"), (-5, "USD", "-0.05"), (915000, "JPY", "915000"), (1, "KWD", "0.001"), (10**17 - 1, "USD", "999999999999999.99"), (42, "", "42")])
def test_error_details_use_the_money_shape_both_ways(minor, code, text):
    from ledger.units import minor_text, text_minor

    assert minor_text(minor, code) == text and text_minor(text, code) == minor
    if code:
        assert minor_text(minor, code) == format_minor(minor, code)
