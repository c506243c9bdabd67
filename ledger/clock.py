"""One clock for the whole engine.

Every default date of a business operation (a value date left out, "today"
in a report, the regulatory year of a quota) is a calendar day in the
*business time zone* -- China time (``Asia/Shanghai``) unless the deployment
says otherwise -- never the server's local zone.  Instants are always aware
UTC.  Code outside this module does not call ``date.today()`` or
``datetime.now()``: it calls :func:`utc_now`, :func:`business_today` or
:func:`business_date`.
"""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

#: The business time zone of the pilot zones (China Standard Time).
BUSINESS_TIMEZONE = "Asia/Shanghai"


@lru_cache(maxsize=16)
def zone(name: str | None = None) -> ZoneInfo:
    """The ``ZoneInfo`` for ``name`` (default: the business time zone)."""
    return ZoneInfo(name or BUSINESS_TIMEZONE)


def utc_now() -> datetime:
    """The current instant, aware, in UTC."""
    return datetime.now(UTC)


def business_now(tz: str | None = None) -> datetime:
    """The current instant in the business time zone."""
    return utc_now().astimezone(zone(tz))


def business_today(tz: str | None = None) -> date:
    """Today's calendar date in the business time zone."""
    return business_now(tz).date()


def business_date(value: date | datetime | None, tz: str | None = None) -> date:
    """A calendar date in the business time zone: today when ``value`` is
    ``None``, a date as given, or an aware instant converted to the zone.
    A naive instant is refused (``ValueError``): it names no zone."""
    if value is None:
        return business_today(tz)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("instants must carry a time zone")
        return value.astimezone(zone(tz)).date()
    return value


def add_months(d: date, months: int) -> date:
    """``d`` moved by ``months`` calendar months (negative moves back), the
    day clamped to the month's last day: 2024-02-29 + 12 months =
    2025-02-28, 2026-03-31 - 1 month = 2026-02-28."""
    m = d.month - 1 + months
    year, month = d.year + m // 12, m % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))
