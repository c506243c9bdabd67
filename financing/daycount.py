"""Day-count conventions and exact interest accrual (F6).

Interest for one day is ``principal × annual rate / days in basis``, computed
exactly (``Fraction`` built from ``Decimal``; never floats).  Whole minor
units are posted and the fraction of a minor unit is carried to the next day,
so the sum posted over any run of days is ``floor`` of the exact total: no
minor unit is ever lost or invented.

Conventions:
  ``ACT/360``   actual days, basis 360 (USD, EUR, onshore CNY)
  ``ACT/365F``  actual days, basis 365 always, also in leap years (GBP, HKD, JPY, SGD, AUD)
  ``ACT/ACT``   actual days, basis 365 or 366 by the calendar year of the day
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

CONVENTIONS = ("ACT/360", "ACT/365F", "ACT/ACT")

#: default convention per loan currency; anything else defaults to ACT/365F
DEFAULT_BY_CURRENCY = {
    "USD": "ACT/360", "EUR": "ACT/360", "CNY": "ACT/360",
    "GBP": "ACT/365F", "HKD": "ACT/365F", "JPY": "ACT/365F", "SGD": "ACT/365F", "AUD": "ACT/365F",
}


def default_convention(currency: str) -> str:
    return DEFAULT_BY_CURRENCY.get(currency, "ACT/365F")


def check_convention(convention: str) -> str:
    if convention not in CONVENTIONS:
        raise ValueError(f"unknown day-count convention {convention!r}; use {', '.join(CONVENTIONS)}")
    return convention


def basis(convention: str, day: date) -> int:
    """Days in the year basis for interest of ``day``."""
    if convention == "ACT/360":
        return 360
    if convention == "ACT/365F":
        return 365
    if convention == "ACT/ACT":
        return 366 if calendar.isleap(day.year) else 365
    raise ValueError(f"unknown day-count convention {convention!r}")


def days_between(start: date, end: date) -> int:
    """Actual days from ``start`` (inclusive) to ``end`` (exclusive)."""
    return (end - start).days


def _frac(x: Decimal | int | Fraction) -> Fraction:
    if isinstance(x, float):  # pragma: no cover - guarded
        raise TypeError("floats are not accepted for money or rates")
    return x if isinstance(x, Fraction) else Fraction(x)


def daily_interest(principal_minor: int, annual_rate: Decimal, convention: str, day: date) -> Fraction:
    """The exact interest (in minor units, a Fraction) of one day."""
    return Fraction(principal_minor) * _frac(annual_rate) / basis(convention, day)


@dataclass(frozen=True)
class DayAccrual:
    day: date
    exact: Fraction  # the day's exact interest
    posted: int  # whole minor units posted for the day
    carry: Fraction  # fraction of a minor unit carried after the day


def accrue_days(principal_minor: int, rate_on: Callable[[date], Decimal] | Decimal, convention: str, days: Iterable[date], carry: Fraction = Fraction(0)) -> list[DayAccrual]:
    """Accrue day by day with the carried fraction.  ``rate_on`` is an
    annual rate or a function giving the annual rate of a day (LPR
    repricing)."""
    out = []
    for d in days:
        rate = rate_on(d) if callable(rate_on) else rate_on
        exact = daily_interest(principal_minor, rate, convention, d)
        total = carry + exact
        posted = total.numerator // total.denominator  # floor; total >= 0
        carry = total - posted
        out.append(DayAccrual(d, exact, posted, carry))
    return out


def day_range(first: date, last: date) -> list[date]:
    """Every day from ``first`` to ``last`` inclusive."""
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def interest_for_period(principal_minor: int, rate_on: Callable[[date], Decimal] | Decimal, convention: str, start: date, days: int, carry: Fraction = Fraction(0)) -> tuple[int, Fraction]:
    """Posted interest of ``days`` days from ``start`` and the carry left."""
    acc = accrue_days(principal_minor, rate_on, convention, [start + timedelta(days=i) for i in range(days)], carry)
    if not acc:
        return 0, carry
    return sum(a.posted for a in acc), acc[-1].carry


def carry_to_str(carry: Fraction) -> str:
    return f"{carry.numerator}/{carry.denominator}"


def carry_from_str(text: str | None) -> Fraction:
    return Fraction(text) if text else Fraction(0)
