"""Reading trade data: one order with its documents, refunds and claimed
value; orders with their match status; held (rejected) records."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ledger.crypto import Keyring
from ledger.errors import InvalidInput
from ledger.service.core import MAX_ROWS

from ..tables_tradedata import evidence_claims, trade_orders, trade_refunds, trade_rejects
from .model import MATCH_STATUSES, OrderNotFound
from .secrecy import open_rejects
from .store import docs_for

T = TypeVar("T")


async def _on(db: AsyncEngine | AsyncConnection, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
    """``work`` on the caller's connection, or on a connection of its own."""
    if isinstance(db, AsyncConnection):
        return await work(db)
    async with db.connect() as conn:
        return await work(conn)

async def get_order(db: AsyncEngine | AsyncConnection, institution_id: UUID, order_id: UUID) -> dict[str, Any]:
    """The order with its waybills, payments, refunds, effective value and
    what this institution has claimed of it as evidence.  Raises
    :class:`OrderNotFound` (also for another institution's id)."""

    async def work(conn: AsyncConnection) -> dict[str, Any]:
        o = (await conn.execute(select(trade_orders).where(trade_orders.c.id == order_id, trade_orders.c.institution_id == institution_id))).first()
        if o is None:
            raise OrderNotFound(order_id)
        wb, pay = await docs_for(conn, institution_id, o.platform_code, [o.external_id])
        refunds = (await conn.execute(select(trade_refunds).where(trade_refunds.c.order_id == o.id).order_by(trade_refunds.c.created_at))).all()
        claimed = (
            await conn.execute(
                select(func.coalesce(func.sum(evidence_claims.c.amount_minor), 0)).where(
                    evidence_claims.c.order_id == o.id, evidence_claims.c.institution_id == institution_id, evidence_claims.c.released_at.is_(None)
                )
            )
        ).scalar()
        out = dict(o._mapping)
        out["effective_value_minor"] = max(0, o.amount_minor - o.refunded_minor)
        out["claimed_minor"] = int(claimed or 0)
        out["waybills"] = [dict(r._mapping) for r in wb.get(o.external_id, [])]
        out["payments"] = [dict(r._mapping) for r in pay.get(o.external_id, [])]
        out["refunds"] = [dict(r._mapping) for r in refunds]
        return out

    return await _on(db, work)


async def list_orders(
    db: AsyncEngine | AsyncConnection,
    institution_id: UUID,
    *,
    platform_code: str | None = None,
    customer_id: UUID | None = None,
    match_status: str | None = None,
    after: UUID | None = None,
    limit: int = 100,
) -> list[dict[str, Any]]:
    """Orders in ingest order (keyset pagination on the id), with their match status."""
    if match_status is not None and match_status not in MATCH_STATUSES:
        raise InvalidInput(f"match_status must be one of {', '.join(MATCH_STATUSES)}")
    stmt = select(trade_orders).where(trade_orders.c.institution_id == institution_id)
    if platform_code is not None:
        stmt = stmt.where(trade_orders.c.platform_code == platform_code)
    if customer_id is not None:
        stmt = stmt.where(trade_orders.c.customer_id == customer_id)
    if match_status is not None:
        stmt = stmt.where(trade_orders.c.match_status == match_status)
    if after is not None:
        stmt = stmt.where(trade_orders.c.id > after)
    stmt = stmt.order_by(trade_orders.c.id).limit(max(1, min(int(limit), MAX_ROWS)))

    async def work(conn: AsyncConnection) -> list[dict[str, Any]]:
        out = []
        for r in await conn.execute(stmt):
            d = dict(r._mapping)
            d["effective_value_minor"] = max(0, r.amount_minor - r.refunded_minor)
            out.append(d)
        return out

    return await _on(db, work)


async def list_rejects(
    db: AsyncEngine | AsyncConnection, institution_id: UUID, *, kind: str | None = None, platform_code: str | None = None, before: UUID | None = None, limit: int = 100,
    keyring: Keyring | None = None,
) -> list[dict[str, Any]]:
    """Held records, newest first, their raw text decrypted (``keyring``,
    default the process's)."""
    stmt = select(trade_rejects).where(trade_rejects.c.institution_id == institution_id)
    if kind is not None:
        stmt = stmt.where(trade_rejects.c.kind == kind)
    if platform_code is not None:
        stmt = stmt.where(trade_rejects.c.platform_code == platform_code)
    if before is not None:
        stmt = stmt.where(trade_rejects.c.id < before)
    stmt = stmt.order_by(trade_rejects.c.id.desc()).limit(max(1, min(int(limit), MAX_ROWS)))

    async def work(conn: AsyncConnection) -> list[dict[str, Any]]:
        return open_rejects(keyring, [dict(r._mapping) for r in await conn.execute(stmt)])

    return await _on(db, work)
