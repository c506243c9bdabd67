"""Money helpers: integers in minor units, currencies from py-moneyed.

Amounts never pass through floats.  Text amounts (``"1234.56"``) are parsed
with :class:`decimal.Decimal` and must not carry more decimals than the
currency's ISO 4217 exponent allows.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from moneyed import CURRENCIES, Currency, get_currency
from moneyed.classes import CurrencyDoesNotExist

from .errors import AmountOutOfRange, InvalidAmount, UnknownCurrency

# py-moneyed has no exponent for a handful of codes (test/precious metals);
# they are not usable for payments here.
_NO_EXPONENT = frozenset({"XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XPD", "XPT", "XSU", "XTS", "XUA", "XXX"})


def currency(code: str) -> Currency:
    """The py-moneyed currency for an ISO 4217 alphabetic code.

    Raises :class:`UnknownCurrency` for anything else.
    """
    if code.__class__ is str:
        cur = _KNOWN.get(code)
        if cur is not None:
            return cur
    if not isinstance(code, str) or len(code) != 3 or not code.isalpha() or not code.isupper():
        raise UnknownCurrency(code)
    try:
        cur = get_currency(code)
    except CurrencyDoesNotExist:
        raise UnknownCurrency(code) from None
    if code in _NO_EXPONENT or _exponent_of(cur) is None:
        raise UnknownCurrency(code)
    if code.__class__ is str:
        _KNOWN[code] = cur
    return cur


#: codes already accepted by :func:`currency` (the posting engine checks
#: every leg's currency: a dict probe instead of py-moneyed's lookup)
_KNOWN: dict[str, Currency] = {}


def _exponent_of(cur: Currency) -> int | None:
    sub = cur.sub_unit
    if not isinstance(sub, int) or sub < 1:
        return None
    exp = len(str(sub)) - 1
    return exp if 10**exp == sub else None


_EXPONENTS: dict[str, int] = {}


_PLAIN = re.compile(r"[0-9]+(\.[0-9]+)?")


def exponent(code: str) -> int:
    """Number of decimals of the currency's minor unit (USD 2, JPY 0, KWD 3)."""
    exp = _EXPONENTS.get(code)
    if exp is None:
        found = _exponent_of(currency(code))
        if found is None:  # pragma: no cover - currency() refuses codes without one
            raise UnknownCurrency(code)
        exp = _EXPONENTS[code] = found
    return exp


def is_currency(code: str) -> bool:
    try:
        currency(code)
    except UnknownCurrency:
        return False
    return True


def to_minor(value: str | Decimal | int, code: str) -> int:
    """Parse a decimal amount into integer minor units, exactly.

    ``to_minor("12.34", "USD") == 1234``.  Raises :class:`InvalidAmount` for
    text that is not a finite decimal, or with more decimals than ``code``
    has.  Floats are refused outright.
    """
    if isinstance(value, (bool, float)):
        raise InvalidAmount(str(value), "amounts must be decimal strings or integers, never floats")
    exp = exponent(code)
    if isinstance(value, int):
        return value * _pow10(exp)
    try:
        dec = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise InvalidAmount(str(value), "not a decimal number") from None
    if not dec.is_finite():
        raise InvalidAmount(str(value), "not a finite number")
    scaled = dec.scaleb(exp)
    if scaled != scaled.to_integral_value():
        raise InvalidAmount(str(value), f"{code} has {exp} decimal places")
    return int(scaled)


#: the largest amount of one posting, in minor units of any currency
#: (USD 9,999,999,999,999.99; JPY 999,999,999,999,999)
MAX_AMOUNT_MINOR = 10**15 - 1
#: the largest balance (or debit/credit total) of one account; signed 64-bit
#: minor units (9.2e18) keep 92x headroom for sums over accounts
MAX_BALANCE_MINOR = 10**17 - 1


def parse_amount(text: str, code: str, *, field: str = "amount", allow_zero: bool = False) -> int:
    """Parse an amount received from outside, exactly and strictly.

    Only a plain decimal string: no sign, no exponent, no spaces, at most as
    many decimals as ``code`` has (``"10.000"`` USD and ``"100.0"`` JPY are
    refused, trailing zeros included), positive unless ``allow_zero``, and at
    most :data:`MAX_AMOUNT_MINOR`.  Raises :class:`InvalidAmount` or
    :class:`AmountOutOfRange` naming ``field``.
    """
    exp = exponent(code)
    if not isinstance(text, str) or not text or not _PLAIN.fullmatch(text):
        raise InvalidAmount(str(text), f"{field}: a decimal string such as \"1234.56\" (no sign, exponent or spaces)")
    whole, _, frac = text.partition(".")
    if len(frac) > exp:
        raise InvalidAmount(text, f"{field}: {code} has {exp} decimal places")
    if len(whole) > 18:
        raise AmountOutOfRange(f"{field} {text} {code} is beyond the largest amount", field=field, amount=text, currency=code, maximum=format_minor(MAX_AMOUNT_MINOR, code))
    minor = int(whole) * _pow10(exp) + (int(frac.ljust(exp, "0")) if exp else 0)
    if minor > MAX_AMOUNT_MINOR:
        raise AmountOutOfRange(f"{field} {text} {code} is beyond the largest amount {format_minor(MAX_AMOUNT_MINOR, code)}", field=field, amount=text, currency=code, maximum=format_minor(MAX_AMOUNT_MINOR, code))
    if minor == 0 and not allow_zero:
        raise InvalidAmount(text, f"{field}: must be positive")
    return minor


def _pow10(exp: int) -> int:
    """``10**exp`` for a non-negative ``exp``, typed as the integer it is."""
    return int(10**exp)


def from_minor(amount: int, code: str) -> Decimal:
    """The decimal value of ``amount`` minor units of ``code``."""
    exp = exponent(code)
    return Decimal(amount).scaleb(-exp)


def format_minor(amount: int, code: str) -> str:
    """Minor units as a plain decimal string with the currency's decimals."""
    exp = exponent(code)
    sign = "-" if amount < 0 else ""
    whole, frac = divmod(abs(amount), 10**exp) if exp else (abs(amount), 0)
    return f"{sign}{whole}.{frac:0{exp}d}" if exp else f"{sign}{whole}"


def round_to_minor(value: Decimal, code: str, rounding: str = ROUND_HALF_UP) -> int:
    """Round a decimal amount in major units to integer minor units."""
    exp = exponent(code)
    return int(value.scaleb(exp).quantize(Decimal(1), rounding=rounding))


def all_currency_codes() -> list[str]:
    """Every ISO 4217 code usable for payments."""
    out = []
    for code in CURRENCIES:
        if is_currency(code):
            out.append(code)
    return sorted(out)
