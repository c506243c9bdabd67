"""Monitoring statistics (S9): receipts, outward payments and conversions by customs mode,
destination country and merchant kind, gross and net, per period.  Every
receipt and conversion carries these attributes, so statistics are queries,
not re-keying.  Periods are calendar days in China Standard Time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import case, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from ledger.errors import InvalidInput, LedgerError

from .tables_payments import payments
from .tables_receipts import conversions, receipts

DIMENSIONS = ("customs_mode", "destination_country", "merchant_kind", "currency", "status")
PAYMENT_DIMENSIONS = ("purpose", "beneficiary_country", "merchant_kind", "currency", "status")


class InvalidPeriod(LedgerError):
    """A period whose end is before its start."""

    code = "invalid_period"
    title = "Invalid period"

    def __init__(self, date_from: date, date_to: date) -> None:
        super().__init__(f"date_to {date_to} is before date_from {date_from}", date_from=date_from.isoformat(), date_to=date_to.isoformat())


def check_period(date_from: date, date_to: date) -> None:
    """Raise :class:`InvalidPeriod` when ``date_to`` is before ``date_from``."""
    if date_to < date_from:
        raise InvalidPeriod(date_from, date_to)


def group_by_pattern(dimensions: tuple[str, ...] | list[str]) -> str:
    """The regular expression of a comma-separated ``group_by`` of ``dimensions`` (or empty)."""
    one = "(?:" + "|".join(dimensions) + ")"
    return f"^(?:{one}(?:,{one})*)?$"


@dataclass(slots=True)
class StatRow:
    key: dict[str, str | None]
    currency: str
    count: int
    gross_minor: int
    fees_minor: int
    net_minor: int
    usd_equivalent_minor: int


async def receipt_statistics(
    conn: AsyncConnection, institution_id: UUID, date_from: date, date_to: date, group_by: list[str] | tuple[str, ...] = ("customs_mode",)
) -> list[StatRow]:
    """Receipts with value date in [date_from, date_to], grouped by the given
    dimensions (and always by currency)."""
    dims = [d for d in group_by if d != "currency"]
    for d in dims:
        if d not in DIMENSIONS:
            raise InvalidInput(f"cannot group by {d!r}; choose from {', '.join(DIMENSIONS)}")
    check_period(date_from, date_to)
    cols = [receipts.c[d] for d in dims]
    fees = receipts.c.gross_minor - receipts.c.net_minor  # net is gross less the netted fees (validated on posting)
    stmt = (
        select(
            *cols,
            receipts.c.currency,
            func.count(),
            func.sum(receipts.c.gross_minor),
            func.sum(fees),
            func.sum(receipts.c.net_minor),
            func.sum(receipts.c.usd_equivalent_minor),
        )
        .where(receipts.c.institution_id == institution_id, receipts.c.value_date >= date_from, receipts.c.value_date <= date_to)
        .group_by(*cols, receipts.c.currency)
        .order_by(*cols, receipts.c.currency)
    )
    out = []
    for r in await conn.execute(stmt):
        n = len(dims)
        out.append(StatRow({d: r[i] for i, d in enumerate(dims)}, r[n], int(r[n + 1]), int(r[n + 2]), int(r[n + 3]), int(r[n + 4]), int(r[n + 5])))
    return out


async def conversion_statistics(conn: AsyncConnection, institution_id: UUID, date_from: datetime, date_to: datetime) -> list[dict[str, Any]]:
    """Conversions per direction, currency and merchant kind in a period
    (timestamps compared in UTC bounds given by the caller)."""
    stmt = (
        select(
            conversions.c.direction,
            conversions.c.fx_currency,
            conversions.c.merchant_kind,
            func.count(),
            func.sum(conversions.c.fx_minor),
            func.sum(conversions.c.cny_minor),
            func.sum(conversions.c.usd_equivalent_minor),
            func.sum(conversions.c.exempt_usd_minor),
            func.sum(conversions.c.quota_usd_minor),
        )
        .where(conversions.c.institution_id == institution_id, conversions.c.created_at >= date_from, conversions.c.created_at < date_to)
        .group_by(conversions.c.direction, conversions.c.fx_currency, conversions.c.merchant_kind)
        .order_by(conversions.c.direction, conversions.c.fx_currency, conversions.c.merchant_kind)
    )
    keys = ("direction", "currency", "merchant_kind", "count", "fx_minor", "cny_minor", "usd_equivalent_minor", "exempt_usd_minor", "quota_usd_minor")
    return [dict(zip(keys, (r[0], r[1], r[2], *(int(x or 0) for x in r[3:])), strict=False)) for r in await conn.execute(stmt)]


@dataclass(slots=True)
class PaymentStatRow:
    key: dict[str, str | None]
    currency: str
    count: int
    amount_minor: int
    usd_equivalent_minor: int
    #: of which held (S6 registration, negative list) at the time of the query
    held_minor: int


async def payment_statistics(
    conn: AsyncConnection, institution_id: UUID, date_from: date, date_to: date, group_by: list[str] | tuple[str, ...] = ("purpose",)
) -> list[PaymentStatRow]:
    """Outward payments with value date in [date_from, date_to], grouped by
    the given dimensions (and always by currency)."""
    dims = [d for d in group_by if d != "currency"]
    for d in dims:
        if d not in PAYMENT_DIMENSIONS:
            raise InvalidInput(f"cannot group by {d!r}; choose from {', '.join(PAYMENT_DIMENSIONS)}")
    check_period(date_from, date_to)
    cols = [payments.c[d] for d in dims]
    held = case((payments.c.status == "held", payments.c.amount_minor), else_=0)
    stmt = (
        select(*cols, payments.c.currency, func.count(), func.sum(payments.c.amount_minor), func.sum(payments.c.usd_equivalent_minor), func.sum(held))
        .where(payments.c.institution_id == institution_id, payments.c.value_date >= date_from, payments.c.value_date <= date_to)
        .group_by(*cols, payments.c.currency)
        .order_by(*cols, payments.c.currency)
    )
    n = len(dims)
    return [
        PaymentStatRow({d: r[i] for i, d in enumerate(dims)}, r[n], int(r[n + 1]), int(r[n + 2]), int(r[n + 3]), int(r[n + 4] or 0))
        for r in await conn.execute(stmt)
    ]
