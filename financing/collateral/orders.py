"""Order collateral (F2): the value of the cited platform orders that are
the customer's, in the loan currency, matched (or confirmed), not cancelled
or fully refunded and not already financed, times the advance rate.

A loan records the orders it is secured with as asset references
``order:<platform>:<external id>`` (:func:`order_ref`); disbursement turns
them into registry claims (:func:`order_claims`).  Every function works
inside the caller's transaction (``conn``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from ledger.money import currency as check_currency
from settlement.tables_tradedata import trade_orders

from .common import ORDER, CollateralConfig, floor_int
from .registry import AssetClaim, encumber_all, order_asset_key, taken_keys

ORDER_REF_PREFIX = "order:"


@dataclass(slots=True)
class OrderCollateral:
    currency: str
    advance_rate: Decimal
    value_minor: int = 0
    advance_minor: int = 0
    #: (external id, effective value) of each eligible order, in the order cited
    eligible: list[tuple[str, int]] = field(default_factory=list)
    #: external id -> why it cannot back a loan
    ineligible: dict[str, str] = field(default_factory=dict)


def order_ref(platform_code: str, external_id: str) -> str:
    """The asset reference a loan records for a platform order."""
    return f"{ORDER_REF_PREFIX}{platform_code}:{external_id}"


def order_claims(asset_refs: Iterable[str]) -> list[AssetClaim]:
    """The registry claims of the order references among ``asset_refs``."""
    out = []
    for ref in asset_refs:
        if ref.startswith(ORDER_REF_PREFIX):
            _prefix, platform_code, external_id = ref.split(":", 2)
            out.append(AssetClaim(order_asset_key(platform_code, external_id), ORDER))
    return out


async def _orders(conn: AsyncConnection, institution_id: UUID, platform_code: str, ids: list[str]) -> dict[str, Any]:
    rows: dict[str, Any] = {}
    for i in range(0, len(ids), 1000):
        stmt = select(trade_orders).where(
            trade_orders.c.institution_id == institution_id, trade_orders.c.platform_code == platform_code, trade_orders.c.external_id.in_(ids[i : i + 1000])
        )
        for r in await conn.execute(stmt):
            rows[r.external_id] = r
    return rows


def _ineligible(o: Any, customer_id: UUID, currency: str, cfg: CollateralConfig, taken: bool) -> str | None:
    """Why the order cannot back a loan (None: it can)."""
    if o is None:
        return "no such order"
    if o.customer_id != customer_id:
        return "order of another merchant"
    if o.currency != currency:
        return f"order in {o.currency}"
    if o.match_status not in cfg.order_eligible_statuses:
        return f"order {o.match_status}" + (f": {o.match_reason}" if o.match_reason else "")
    if o.amount_minor - o.refunded_minor <= 0:
        return "order cancelled, returned or fully refunded"
    if taken:
        return "order already financed"
    return None


async def order_collateral_value(
    conn: AsyncConnection,
    institution_id: UUID,
    customer_id: UUID,
    platform_code: str,
    order_ids: Sequence[str],
    currency: str,
    *,
    config: CollateralConfig | None = None,
) -> OrderCollateral:
    """What the cited orders (platform external ids) can back: the effective
    value (after returns and refunds) of those that are the customer's, in
    ``currency``, matched or confirmed, not fully refunded and not financed
    anywhere; the advance is ``advance rate × value`` rounded down."""
    cfg = config or CollateralConfig()
    check_currency(currency)
    out = OrderCollateral(currency, cfg.order_advance_rate)
    ids = list(dict.fromkeys(str(i) for i in order_ids))
    rows = await _orders(conn, institution_id, platform_code, ids)
    keys = {e: order_asset_key(platform_code, e) for e in ids}
    taken = await taken_keys(conn, keys.values())
    for e in ids:
        o = rows.get(e)
        reason = _ineligible(o, customer_id, currency, cfg, keys[e] in taken)
        if o is None or reason is not None:
            out.ineligible[e] = reason or "no such order"
            continue
        value = int(o.amount_minor - o.refunded_minor)
        out.eligible.append((e, value))
        out.value_minor += value
    out.advance_minor = floor_int(cfg.order_advance_rate * out.value_minor)
    return out


async def encumber_orders(
    conn: AsyncConnection,
    institution_id: UUID,
    customer_id: UUID,
    platform_code: str,
    order_ids: Sequence[str],
    currency: str,
    financing_ref: str,
    *,
    config: CollateralConfig | None = None,
) -> OrderCollateral:
    """Value the orders and encumber every eligible one for ``financing_ref``
    (all or nothing: a lost race raises :class:`AssetAlreadyFinanced` and the
    caller's transaction rolls back).  Keys are taken in sorted order so two
    financings never deadlock."""
    val = await order_collateral_value(conn, institution_id, customer_id, platform_code, order_ids, currency, config=config)
    await encumber_all(conn, institution_id, [AssetClaim(order_asset_key(platform_code, e), ORDER) for e, _v in val.eligible], financing_ref)
    return val
