"""Value dates of financing operations: disbursements, repayments,
valuations (price dates, revaluations, pledges), claims filed and paid.

An operation may be value-dated back within the open period (default 30
days, ``XBORDER_FINANCING_BACKDATE_DAYS``) and never after today in China
time (the business time zone of :mod:`ledger.clock`).  Out of the window
is :class:`ValueDateOutOfWindow` (422) naming the field and the window.
Without a value date an operation is dated today (China time).
"""

from __future__ import annotations

import os
from datetime import date, timedelta

from ledger.clock import business_today
from ledger.errors import InvalidInput

#: how many days an operation may be back-dated (the open period)
DEFAULT_BACKDATE_DAYS = 30


def backdate_days() -> int:
    """The configured open period in days (``XBORDER_FINANCING_BACKDATE_DAYS``, default 30)."""
    raw = os.environ.get("XBORDER_FINANCING_BACKDATE_DAYS")
    try:
        days = int(raw) if raw is not None else DEFAULT_BACKDATE_DAYS
    except ValueError:
        days = DEFAULT_BACKDATE_DAYS
    return max(0, days)


class ValueDateOutOfWindow(InvalidInput):
    code = "value_date_out_of_window"
    title = "Value date outside the open window"

    def __init__(self, field: str, value: date, earliest: date, latest: date) -> None:
        super().__init__(
            f"{field} {value.isoformat()} is outside the window {earliest.isoformat()} .. {latest.isoformat()} "
            f"(back-dated at most {(latest - earliest).days} days, never after today in China time)",
            field=field, value=value.isoformat(), earliest=earliest.isoformat(), latest=latest.isoformat(),
        )


def value_date(value: date | None, field: str = "value_date", *, earliest: date | None = None) -> date:
    """``value`` (default: today, China time) when it lies in the window
    [today − open period, today]; ``earliest`` narrows the window further
    (e.g. not before the loan's disbursement)."""
    today = business_today()
    low = today - timedelta(days=backdate_days())
    if earliest is not None and earliest > low:
        low = earliest
    if value is None:
        return today
    if value < low or value > today:
        raise ValueDateOutOfWindow(field, value, low, today)
    return value
