"""The three-document match (S2): an order is ``matched`` when its order,
waybill and payment all exist and agree (merchant, currency, amount within
the configured tolerance, dates in order), ``partial`` when nothing
disagrees but a document is missing, ``mismatched`` when something
disagrees, with the reason."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ledger.clock import utc_now
from ledger.db import run_in_transaction
from ledger.money import format_minor

from ..tables_tradedata import trade_orders
from .model import MATCHED, MISMATCHED, PARTIAL
from .store import by_keys, chunks, docs_for, load_config


def _tol_text(tolerance: Decimal) -> str:
    return f"{(tolerance * 100).normalize():f} %"


def _within(amount: int, reference: int, tolerance: Decimal) -> bool:
    return Decimal(abs(amount - reference)) <= tolerance * Decimal(reference)


def evaluate_match(order: Any, waybills: Sequence[Any], payments: Sequence[Any], tolerance: Decimal) -> tuple[str, str | None]:
    """S2 for one order: ``(status, reason)``.  ``order``, ``waybills`` and
    ``payments`` are rows (or records) with the table's attribute names."""
    disagree: list[str] = []
    missing: list[str] = []
    cur = order.currency
    if not waybills:
        missing.append("missing waybill")
    if not payments:
        missing.append("missing payment")
    for w in waybills:
        if w.customer_id != order.customer_id:
            disagree.append(f"merchant differs on waybill {w.external_id} ({w.merchant_ref}, order {order.merchant_ref})")
        if w.currency is not None and w.currency != cur:
            disagree.append(f"currency differs on waybill {w.external_id} ({w.currency}, order {cur})")
        elif w.amount_minor is not None and w.currency == cur and not _within(w.amount_minor, order.amount_minor, tolerance):
            disagree.append(
                f"declared value on waybill {w.external_id} outside {_tol_text(tolerance)} "
                f"({format_minor(w.amount_minor, cur)}, order {format_minor(order.amount_minor, cur)})"
            )
        if w.shipped_on < order.order_date:
            disagree.append(f"shipment before order (waybill {w.external_id} shipped {w.shipped_on}, ordered {order.order_date})")
    same_currency = True
    for p in payments:
        if p.customer_id != order.customer_id:
            disagree.append(f"merchant differs on payment {p.external_id} ({p.merchant_ref}, order {order.merchant_ref})")
        if p.currency != cur:
            same_currency = False
            disagree.append(f"currency differs on payment {p.external_id} ({p.currency}, order {cur})")
        if p.paid_on < order.order_date:
            disagree.append(f"payment before order (payment {p.external_id} paid {p.paid_on}, ordered {order.order_date})")
    if payments and same_currency:
        paid = sum(p.amount_minor for p in payments)
        if not _within(paid, order.amount_minor, tolerance):
            disagree.append(f"amount outside {_tol_text(tolerance)} (paid {format_minor(paid, cur)}, order {format_minor(order.amount_minor, cur)})")
    status = MISMATCHED if disagree else PARTIAL if missing else MATCHED
    reason = "; ".join(disagree + missing) or None
    if reason is not None and len(reason) > 500:
        reason = reason[:497] + "..."
    return status, reason


async def match_tolerance(conn: AsyncConnection, institution_id: UUID) -> Decimal:
    """The institution's S2 amount tolerance (its settlement settings, or the default)."""
    return (await load_config(conn, institution_id)).match_amount_tolerance


async def rematch(
    conn: AsyncConnection, institution_id: UUID, platform_code: str, order_ext_ids: Iterable[str], tolerance: Decimal, *, lock: bool = False
) -> Counter[str]:
    """Recompute the match of the given orders (those that exist); store the
    ones whose status or reason changed.  Returns the statuses.  With
    ``lock`` (PostgreSQL) the order rows are locked, in id order, before the
    documents are read."""
    ids = sorted(set(order_ext_ids))
    counts: Counter[str] = Counter()
    if not ids:
        return counts
    orders = []
    lock = lock and conn.dialect.name == "postgresql"
    for part in chunks(ids):
        stmt = by_keys(
            conn, [trade_orders], trade_orders, trade_orders.c.external_id, part,
            trade_orders.c.institution_id == institution_id, trade_orders.c.platform_code == platform_code,
        ).order_by(trade_orders.c.id)
        if lock:
            stmt = stmt.with_for_update(of=trade_orders)
        orders += (await conn.execute(stmt)).all()
    if not orders:
        return counts
    wb, pay = await docs_for(conn, institution_id, platform_code, [o.external_id for o in orders])
    now = utc_now()
    changes = []
    for o in orders:
        status, reason = evaluate_match(o, wb.get(o.external_id, ()), pay.get(o.external_id, ()), tolerance)
        counts[status] += 1
        if status != o.match_status or reason != o.match_reason:
            changes.append({"_id": o.id, "_status": status, "_reason": reason, "_at": now})
    if changes:
        await conn.execute(
            update(trade_orders)
            .where(trade_orders.c.id == bindparam("_id"))
            .values(match_status=bindparam("_status"), match_reason=bindparam("_reason"), matched_at=bindparam("_at")),
            changes,
        )
    return counts


async def match_orders(
    engine: AsyncEngine, institution_id: UUID, order_ids: Iterable[UUID] | None = None, *, chunk_size: int = 2000
) -> dict[str, int]:
    """Run the three-document match (S2) again for the given orders (all of
    the institution's orders when ``order_ids`` is None), in chunks.  Returns
    how many orders ended in each status."""
    total: Counter[str] = Counter()
    async with engine.connect() as conn:
        tolerance = await match_tolerance(conn, institution_id)

    async def run_page(pairs: list[tuple[str, str]]) -> None:
        by_platform: dict[str, list[str]] = {}
        for platform, ext in pairs:
            by_platform.setdefault(platform, []).append(ext)

        async def work(conn: AsyncConnection) -> Counter[str]:
            c: Counter[str] = Counter()
            for platform, exts in by_platform.items():
                c += await rematch(conn, institution_id, platform, exts, tolerance, lock=True)
            return c

        total.update(await run_in_transaction(engine, work))

    if order_ids is not None:
        ids = list(dict.fromkeys(order_ids))
        for part in chunks(ids, chunk_size):
            async with engine.connect() as conn:
                rows = (
                    await conn.execute(
                        by_keys(
                            conn, [trade_orders.c.platform_code, trade_orders.c.external_id], trade_orders, trade_orders.c.id, part,
                            trade_orders.c.institution_id == institution_id,
                        )
                    )
                ).all()
            await run_page([(r[0], r[1]) for r in rows])
        return dict(total)
    after: UUID | None = None
    while True:
        stmt = select(trade_orders.c.id, trade_orders.c.platform_code, trade_orders.c.external_id).where(trade_orders.c.institution_id == institution_id)
        if after is not None:
            stmt = stmt.where(trade_orders.c.id > after)
        async with engine.connect() as conn:
            rows = (await conn.execute(stmt.order_by(trade_orders.c.id).limit(chunk_size))).all()
        if not rows:
            return dict(total)
        after = rows[-1].id
        await run_page([(r[1], r[2]) for r in rows])
