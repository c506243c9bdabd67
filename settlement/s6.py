"""S6, the directory-registration threshold (名录登记), counted nationally.

An enterprise's goods-trade receipts and its payments abroad are each
totalled per calendar year (the year of the value date, China time) in USD
equivalent.  The totals live in the national registry ``s6_registry``, keyed
by the blind index of the enterprise's registration number (an enterprise
without one is counted under its customer id), so the enterprise's
operations at every institution add up to one figure.  Each addition is one
conditional statement on the registry row: correct under concurrent use from
several institutions and processes (the row is locked until the caller's
transaction ends, so the next addition sees this one).

For an unregistered enterprise, the operation that brings a total to
``registration_warning_usd`` or more raises one early warning per year and
direction; the operation that brings it to ``registration_threshold_usd`` or
more is held with reason ``registration_required`` until registration.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ledger.db import insert_for

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
            "year": self.year, "direction": self.direction, "cumulative_usd_minor": self.total_usd_minor,
            "warning_usd_minor": cfg.registration_warning_usd, "threshold_usd_minor": cfg.registration_threshold_usd,
        }


def _key(subject: str, year: int, direction: str) -> ColumnElement[bool]:
    return and_(s6_registry.c.subject_index == subject, s6_registry.c.year == year, s6_registry.c.direction == direction)


async def s6_total(conn: AsyncConnection, subject: str, year: int, direction: str) -> int:
    """The national total of ``direction`` for ``year`` (USD minor units)."""
    got = (await conn.execute(select(s6_registry.c.usd_minor).where(_key(subject, year, direction)))).scalar()
    return int(got or 0)


async def count_s6(conn: AsyncConnection, facts: CustomerFacts, year: int, direction: str, usd_minor: int, cfg: SettlementConfig) -> S6Outcome:
    """Add ``usd_minor`` to the enterprise's national ``direction`` total of
    ``year`` inside the caller's transaction; say whether to warn or hold."""
    if direction not in DIRECTIONS:
        raise ValueError(f"unknown S6 direction {direction!r}")
    subject = s6_subject(facts)
    ins = insert_for(conn, s6_registry).values(subject_index=subject, year=year, direction=direction, usd_minor=0, warned=False)
    await conn.execute(ins.on_conflict_do_nothing(index_elements=["subject_index", "year", "direction"]))
    # one statement: the row stays locked until the caller commits
    await conn.execute(update(s6_registry).where(_key(subject, year, direction)).values(usd_minor=s6_registry.c.usd_minor + usd_minor))
    total = await s6_total(conn, subject, year, direction)
    if facts.directory_registered:
        return S6Outcome(year, direction, total, warn=False, hold=False)
    if total >= cfg.registration_threshold_usd:
        return S6Outcome(year, direction, total, warn=False, hold=True)
    warn = False
    if total >= cfg.registration_warning_usd:
        res = await conn.execute(update(s6_registry).where(_key(subject, year, direction), s6_registry.c.warned.is_(False)).values(warned=True))
        warn = res.rowcount == 1
    return S6Outcome(year, direction, total, warn=warn, hold=False)
