"""S6, the directory-registration threshold (名录登记), counted nationally.

An enterprise's goods-trade receipts and its payments abroad are each
totalled per calendar year (the year of the value date, China time) in USD
equivalent.  The totals live in the national registry ``s6_registry``, keyed
by the blind index of the enterprise's registration number (an enterprise
without one is counted under its customer id), so the enterprise's
operations at every institution add up to one figure.  Correct under
concurrent use from several institutions and processes: the rows are locked (PostgreSQL
``FOR UPDATE``, SQLite's single writer) until the caller's transaction ends,
so the next addition sees this one, and totals are written as increments.  Receipts count a whole batch at once
(:class:`S6Batch`), payments one at a time (:func:`count_s6`).

For an unregistered enterprise, the operation that brings a total to
``registration_warning_usd`` or more raises one early warning per year and
direction; the operation that brings it to ``registration_threshold_usd`` or
more is held with reason ``registration_required`` until registration.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ledger.db import insert_for
from ledger.money import format_minor

from .config import SettlementConfig
from .facts import CustomerFacts
from .tables_payments import s6_registry

DIRECTIONS = ("receipts", "payments")
HOLD_REASON = "registration_required"
WARNING_ALERT = "registration_warning"


def s6_subject(facts: CustomerFacts) -> str:
    """The registry key of an enterprise: its blind index, else its customer id."""
    return facts.person_index or f"cust:{facts.id}"


@dataclass(frozen=True, slots=True)
class S6Outcome:
    year: int
    direction: str
    total_usd_minor: int
    #: the first time this year the total reached the warning level (unregistered only)
    warn: bool
    #: the operation must be held until registration (unregistered only)
    hold: bool

    def alert(self, cfg: SettlementConfig) -> tuple[str, dict[str, object]]:
        """The early-warning alert (kind, details)."""
        return WARNING_ALERT, {
            "year": self.year, "direction": self.direction, "currency": "USD", "cumulative_usd": format_minor(self.total_usd_minor, "USD"),
            "warning_usd": format_minor(cfg.warning_usd, "USD"), "threshold_usd": format_minor(cfg.registration_threshold_usd, "USD"),
        }


def _key(subject: str, year: int, direction: str) -> ColumnElement[bool]:
    return and_(s6_registry.c.subject_index == subject, s6_registry.c.year == year, s6_registry.c.direction == direction)


class S6Batch:
    """The national totals of one direction for the enterprises of a unit of
    work: locked when loaded (rows created on first use), counted in memory,
    written once by :meth:`flush` (an increment, so nothing is lost)."""

    def __init__(self, direction: str) -> None:
        if direction not in DIRECTIONS:
            raise ValueError(f"unknown S6 direction {direction!r}")
        self.direction = direction
        # (subject, year) -> [total, warned, total when loaded, warned when loaded]
        self.totals: dict[tuple[str, int], list[Any]] = {}

    async def load(self, conn: AsyncConnection, keys: set[tuple[str, int]]) -> None:
        keys = {k for k in keys if k not in self.totals}
        if not keys:
            return
        ordered = sorted(keys)  # one lock order for every caller: no deadlocks
        ins = insert_for(conn, s6_registry)
        await conn.execute(
            ins.on_conflict_do_nothing(index_elements=["subject_index", "year", "direction"]),
            [dict(subject_index=s, year=y, direction=self.direction, usd_minor=0, warned=False) for s, y in ordered],
        )
        subjects = sorted({s for s, _ in keys})
        stmt = (
            select(s6_registry)
            .where(s6_registry.c.subject_index.in_(subjects), s6_registry.c.direction == self.direction)
            .order_by(s6_registry.c.subject_index, s6_registry.c.year)
        )
        if conn.dialect.name == "postgresql":
            stmt = stmt.with_for_update()  # concurrent units of work of one enterprise queue here, from any institution
        for row in await conn.execute(stmt):
            if (row.subject_index, row.year) in keys:
                self.totals[(row.subject_index, row.year)] = [int(row.usd_minor), bool(row.warned), int(row.usd_minor), bool(row.warned)]

    def count(self, facts: CustomerFacts, year: int, usd_minor: int, cfg: SettlementConfig) -> S6Outcome:
        """Add one operation (its subject and year loaded) and say whether to warn or hold."""
        t = self.totals[(s6_subject(facts), year)]
        t[0] += usd_minor
        total = int(t[0])
        if facts.directory_registered:
            return S6Outcome(year, self.direction, total, warn=False, hold=False)
        if total >= cfg.registration_threshold_usd:
            return S6Outcome(year, self.direction, total, warn=False, hold=True)
        warn = total >= cfg.warning_usd and not t[1]  # the national warning, or the bank's earlier one
        if warn:
            t[1] = True
        return S6Outcome(year, self.direction, total, warn=warn, hold=False)

    async def flush(self, conn: AsyncConnection) -> None:
        changed = [(s, y, t) for (s, y), t in self.totals.items() if (t[0], t[1]) != (t[2], t[3])]
        if not changed:
            return
        stmt = (
            update(s6_registry)
            .where(s6_registry.c.subject_index == bindparam("b_s"), s6_registry.c.year == bindparam("b_y"), s6_registry.c.direction == self.direction)
            .values(usd_minor=s6_registry.c.usd_minor + bindparam("b_d"), warned=bindparam("b_w"))
        )
        await conn.execute(stmt, [{"b_s": s, "b_y": y, "b_d": t[0] - t[2], "b_w": t[1]} for s, y, t in changed])
        for _s, _y, t in changed:
            t[2], t[3] = t[0], t[1]


async def s6_total(conn: AsyncConnection, subject: str, year: int, direction: str) -> int:
    """The national total of ``direction`` for ``year`` (USD minor units)."""
    got = (await conn.execute(select(s6_registry.c.usd_minor).where(_key(subject, year, direction)))).scalar()
    return int(got or 0)


async def count_s6(conn: AsyncConnection, facts: CustomerFacts, year: int, direction: str, usd_minor: int, cfg: SettlementConfig) -> S6Outcome:
    """Add ``usd_minor`` to the enterprise's national ``direction`` total of
    ``year`` inside the caller's transaction; say whether to warn or hold."""
    batch = S6Batch(direction)
    await batch.load(conn, {(s6_subject(facts), year)})
    out = batch.count(facts, year, usd_minor, cfg)
    await batch.flush(conn)
    return out
