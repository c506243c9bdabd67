"""What the console's dashboard shows: receipts per value date and currency,
the daily match rate of statement lines and unmatched items by age, for one
institution over the last ``days`` business days."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypedDict
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from settlement.tables_receipts import receipts

from .service import Reconciliation


class DailyReceipts(TypedDict):
    """Receipts of one value date in one currency."""

    date: date
    currency: str
    count: int
    amount_minor: int


class MatchRateDay(TypedDict):
    """Statement lines of one value date: how many, how many matched, the
    match rate (an exact decimal percentage)."""

    date: date
    lines: int
    matched: int
    rate: Decimal


class AgeBucket(TypedDict):
    """Open statement lines and unmatched ledger entries of one age bucket."""

    age: str
    lines: int
    entries: int


@dataclass(frozen=True)
class Dashboard:
    """The dashboard's figures for the days ``start`` .. ``today``."""

    today: date
    start: date
    days: list[date]
    receipts: list[DailyReceipts]
    summary: dict[str, Any]
    match_rates: list[MatchRateDay]
    buckets: list[AgeBucket]


async def daily_receipts(engine: AsyncEngine, institution_id: UUID, date_from: date, date_to: date) -> list[DailyReceipts]:
    """Receipts per value date and currency: count and gross amount."""
    stmt = (
        select(receipts.c.value_date, receipts.c.currency, func.count(), func.sum(receipts.c.gross_minor))
        .where(receipts.c.institution_id == institution_id, receipts.c.value_date >= date_from, receipts.c.value_date <= date_to)
        .group_by(receipts.c.value_date, receipts.c.currency)
        .order_by(receipts.c.value_date, receipts.c.currency)
    )
    async with engine.connect() as conn:
        rows = (await conn.execute(stmt)).all()
    return [
        DailyReceipts(date=r[0] if isinstance(r[0], date) else date.fromisoformat(str(r[0])), currency=r[1], count=int(r[2]), amount_minor=int(r[3] or 0))
        for r in rows
    ]


def match_rate_rows(summary: Mapping[str, Any] | None) -> list[MatchRateDay]:
    """The summary's daily rows: value date, lines, matched, match rate (an
    exact decimal percentage)."""
    out: list[MatchRateDay] = []
    for row in (summary or {}).get("daily", []):
        d = row.get("day")
        d = d if isinstance(d, date) else date.fromisoformat(str(d)[:10])
        out.append(MatchRateDay(date=d, lines=int(row.get("lines", 0)), matched=int(row.get("matched", 0)), rate=Decimal(str(row.get("match_rate", "0")))))
    out.sort(key=lambda r: r["date"])
    return out


def age_buckets(summary: Mapping[str, Any] | None) -> list[AgeBucket]:
    """Open statement lines and unmatched ledger entries by age, summed over
    the reconciled accounts."""
    lines: dict[str, int] = {}
    entries: dict[str, int] = {}
    accounts: Sequence[Mapping[str, Any]] = (summary or {}).get("accounts", [])
    for acct in accounts:
        for label, n in (acct.get("lines_by_age") or {}).items():
            lines[label] = lines.get(label, 0) + int(n)
        for label, n in (acct.get("entries_by_age") or {}).items():
            entries[label] = entries.get(label, 0) + int(n)
    return [AgeBucket(age=label, lines=lines.get(label, 0), entries=entries.get(label, 0)) for label in dict.fromkeys([*lines, *entries])]


async def dashboard(recon: Reconciliation, institution_id: UUID, today: date, *, days: int = 30) -> Dashboard:
    """Receipts, match rates and age buckets of the last ``days`` days to ``today``."""
    start = today - timedelta(days=days - 1)
    rows = await daily_receipts(recon.engine, institution_id, start, today)
    summary = await recon.summary(institution_id, as_of=today, days=days)
    rates = [r for r in match_rate_rows(summary) if start <= r["date"] <= today]
    return Dashboard(
        today=today, start=start, days=[start + timedelta(days=i) for i in range(days)], receipts=rows, summary=summary,
        match_rates=rates, buckets=age_buckets(summary),
    )
