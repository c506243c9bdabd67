"""Minor units as decimal text, for messages and error details.

:mod:`ledger.errors` reports amounts the way the API shows them (decimal
strings with the currency's exponent, ``"1234.50"`` USD, ``"915000"`` JPY)
but cannot import :mod:`ledger.money` (which raises those errors); this
module sits below both and only reads ISO 4217 exponents from py-moneyed.
"""

from __future__ import annotations

from moneyed import get_currency
from moneyed.classes import CurrencyDoesNotExist


def exponent_or_none(code: str) -> int | None:
    """The number of decimals of ``code``'s minor unit, or None when py-moneyed
    does not know it (or gives it no decimal exponent)."""
    try:
        sub = get_currency(code).sub_unit
    except (CurrencyDoesNotExist, TypeError, ValueError, AttributeError):
        return None
    if not isinstance(sub, int) or sub < 1:
        return None
    exp = len(str(sub)) - 1
    return exp if 10**exp == sub else None


def minor_text(amount: int, code: str) -> str:
    """``amount`` minor units of ``code`` as a plain decimal string with the
    currency's decimals (the integer itself when the currency is unknown)."""
    exp = exponent_or_none(code) if isinstance(code, str) and code else None
    if not exp:
        return str(amount)
    sign = "-" if amount < 0 else ""
    whole, frac = divmod(abs(amount), 10**exp)
    return f"{sign}{whole}.{frac:0{exp}d}"


def text_minor(text: str | int, code: str) -> int:
    """The inverse of :func:`minor_text` (an int is taken as minor units)."""
    if isinstance(text, int):
        return text
    exp = exponent_or_none(code) if isinstance(code, str) and code else None
    sign = -1 if text.startswith("-") else 1
    whole, _, frac = text.lstrip("-").partition(".")
    e = exp or 0
    scale: int = 10**e
    return sign * (int(whole) * scale + (int(frac.ljust(e, "0")) if e else 0))
