"""Warehouse receipts (F3): receipts issued → verified → pledged →
released / liquidated, valued at quantity × dated price × (1 − haircut);
initial LTV, margin calls with a shortfall and a cure deadline in business
days, liquidation above a threshold, goods released in proportion to
repayment.

Every function works inside the caller's transaction (``conn``); money is
integer minor units, ratios ``Decimal``; thresholds come from
:class:`CollateralConfig`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import Row, and_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from ledger.clock import utc_now
from ledger.errors import Conflict, InvalidInput
from ledger.events import emit_event
from ledger.ids import uuid7
from ledger.money import currency as check_currency
from ledger.money import format_minor

from .. import notices
from ..amounts import public_amounts
from ..tables_collateral import (
    financing_goods_haircuts,
    financing_goods_prices,
    financing_margin_calls,
    financing_warehouse_receipts,
    financing_wr_pledges,
)
from .common import (
    WAREHOUSE_RECEIPT,
    CollateralConfig,
    above,
    audit,
    ceil_int,
    check_minor,
    check_ref,
    check_text,
    floor_int,
    for_update,
    ltv_of,
    parse_quantity,
    parse_ratio,
)
from .errors import (
    AssetAlreadyFinanced,
    CollateralNotFound,
    CollateralOfAnotherCustomer,
    CollateralStateConflict,
    InitialLtvExceeded,
    LiquidationNotAllowed,
    MarginCallNotCured,
    NoCollateralPrice,
)
from .identity import uscc
from .registry import encumber, release, warehouse_receipt_key

Holidays = Collection[date] | Callable[[date], bool] | None


def add_business_days(start: date, days: int, holidays: Holidays = None) -> date:
    """``days`` business days (Monday–Friday, not a holiday) after ``start``."""
    is_holiday = holidays if callable(holidays) else (lambda d, _h=frozenset(holidays or ()): d in _h)
    d = start
    n = 0
    while n < days:
        d += timedelta(days=1)
        if d.weekday() < 5 and not is_holiday(d):
            n += 1
    return d


def check_haircut(goods_type: str, haircut: Decimal | str) -> tuple[str, Decimal]:
    """The goods type and haircut :func:`set_haircut` would store; raises ``InvalidInput``."""
    goods_type = check_text(goods_type, "goods_type", 64)
    h = parse_ratio(haircut, "haircut")
    if h >= 1:
        raise InvalidInput("haircut must be below 1", haircut=str(h))
    return goods_type, h


async def set_haircut(conn: AsyncConnection, institution_id: UUID, goods_type: str, haircut: Decimal | str) -> None:
    """The haircut of a goods type (a ratio below 1)."""
    goods_type, h = check_haircut(goods_type, haircut)
    now = utc_now()
    old = (
        await conn.execute(
            select(financing_goods_haircuts.c.haircut).where(
                financing_goods_haircuts.c.institution_id == institution_id, financing_goods_haircuts.c.goods_type == goods_type
            )
        )
    ).scalar()
    if old is None:
        await conn.execute(financing_goods_haircuts.insert().values(id=uuid7(), institution_id=institution_id, goods_type=goods_type, haircut=str(h), updated_at=now))
    else:
        await conn.execute(
            update(financing_goods_haircuts)
            .where(financing_goods_haircuts.c.institution_id == institution_id, financing_goods_haircuts.c.goods_type == goods_type)
            .values(haircut=str(h), updated_at=now)
        )
    await audit(conn, institution_id, "haircut.set", "goods_type", goods_type, {"haircut": old} if old else None, {"haircut": str(h)})


async def set_price(
    conn: AsyncConnection, institution_id: UUID, goods_type: str, currency: str, unit: str, price_date: date, price_minor: int, *, source: str | None = None
) -> None:
    """The price of one unit of a goods type on a date (replaces that day's)."""
    goods_type = check_text(goods_type, "goods_type", 64)
    check_currency(currency)
    check_minor(price_minor, "price_minor", positive=False)
    where = and_(
        financing_goods_prices.c.institution_id == institution_id,
        financing_goods_prices.c.goods_type == goods_type,
        financing_goods_prices.c.currency == currency,
        financing_goods_prices.c.price_date == price_date,
    )
    res = await conn.execute(update(financing_goods_prices).where(where).values(price_minor=price_minor, unit=unit, source=source))
    if res.rowcount == 0:
        await conn.execute(
            financing_goods_prices.insert().values(
                id=uuid7(), institution_id=institution_id, goods_type=goods_type, currency=currency, unit=check_text(unit, "unit", 16),
                price_date=price_date, price_minor=price_minor, source=source, created_at=utc_now(),
            )
        )


@dataclass(frozen=True, slots=True)
class Valuation:
    currency: str
    quantity: Decimal
    price_minor: int
    price_date: date
    haircut: Decimal
    gross_minor: int
    #: after haircut: what LTV is measured against
    value_minor: int


async def _haircut(conn: AsyncConnection, institution_id: UUID, goods_type: str) -> Decimal:
    h = (
        await conn.execute(
            select(financing_goods_haircuts.c.haircut).where(
                financing_goods_haircuts.c.institution_id == institution_id, financing_goods_haircuts.c.goods_type == goods_type
            )
        )
    ).scalar()
    if h is None:
        raise InvalidInput(f"no haircut is set for goods type {goods_type!r}", goods_type=goods_type)
    return Decimal(h)


async def value_goods(conn: AsyncConnection, institution_id: UUID, goods_type: str, quantity: Decimal, currency: str, as_of: date) -> Valuation:
    """quantity × latest price on or before ``as_of`` × (1 − haircut), rounded down."""
    price = (
        await conn.execute(
            select(financing_goods_prices.c.price_minor, financing_goods_prices.c.price_date)
            .where(
                financing_goods_prices.c.institution_id == institution_id,
                financing_goods_prices.c.goods_type == goods_type,
                financing_goods_prices.c.currency == currency,
                financing_goods_prices.c.price_date <= as_of,
            )
            .order_by(financing_goods_prices.c.price_date.desc())
            .limit(1)
        )
    ).first()
    if price is None:
        raise NoCollateralPrice(goods_type, currency, as_of)
    haircut = await _haircut(conn, institution_id, goods_type)
    gross = quantity * Decimal(price.price_minor)
    return Valuation(currency, quantity, int(price.price_minor), price.price_date, haircut, floor_int(gross), floor_int(gross * (1 - haircut)))


async def issue_warehouse_receipt(
    conn: AsyncConnection,
    institution_id: UUID,
    customer_id: UUID,
    *,
    warehouse_code: str,
    issuer: str,
    receipt_number: str,
    goods_type: str,
    quantity: Decimal | str,
    unit: str,
    location: str,
    actor_id: str = "collateral",
) -> UUID:
    """Record a warehouse receipt presented by the customer (state
    ``issued``).  Its identity is the warehouse's unified social credit code
    (``warehouse_code``, validated with its check character) and the
    normalized receipt number; ``issuer`` (the warehouse's name) is display
    data only."""
    issuer = check_text(issuer, "issuer", 128)
    receipt_number = check_text(receipt_number, "receipt_number", 64)
    code = uscc(warehouse_code)
    key = warehouse_receipt_key(code, receipt_number)
    q = parse_quantity(quantity)
    rid = uuid7()
    now = utc_now()
    exists = (
        await conn.execute(
            select(financing_warehouse_receipts.c.id).where(
                financing_warehouse_receipts.c.institution_id == institution_id, financing_warehouse_receipts.c.asset_key == key
            )
        )
    ).scalar()
    if exists is not None:
        raise Conflict(f"warehouse receipt {receipt_number} of warehouse {code} is already recorded", receipt=str(exists))
    row = dict(
        id=rid, institution_id=institution_id, customer_id=customer_id, warehouse_code=code, issuer=issuer, receipt_number=receipt_number,
        goods_type=check_text(goods_type, "goods_type", 64), quantity=str(q), unit=check_text(unit, "unit", 16), location=check_text(location, "location", 200),
        asset_key=key, status="issued", verified_by=None, verified_at=None, created_at=now, updated_at=now,
    )
    await conn.execute(financing_warehouse_receipts.insert().values(**row))
    await audit(conn, institution_id, "warehouse_receipt.issued", "warehouse_receipt", rid, None, {"status": "issued", "quantity": str(q)}, actor_id)
    return rid


async def _receipt(conn: AsyncConnection, institution_id: UUID, receipt_id: UUID, *, lock: bool = False) -> Row[Any]:
    q = select(financing_warehouse_receipts).where(financing_warehouse_receipts.c.id == receipt_id, financing_warehouse_receipts.c.institution_id == institution_id)
    r = (await conn.execute(for_update(conn, q, lock))).first()
    if r is None:
        raise CollateralNotFound("warehouse receipt", receipt_id)
    return r


async def _set_receipt_status(conn: AsyncConnection, institution_id: UUID, r: Row[Any], status: str, actor_id: str = "collateral", **extra: Any) -> None:
    await conn.execute(
        update(financing_warehouse_receipts).where(financing_warehouse_receipts.c.id == r.id).values(status=status, updated_at=utc_now(), **extra)
    )
    await audit(conn, institution_id, f"warehouse_receipt.{status}", "warehouse_receipt", r.id, {"status": r.status}, {"status": status}, actor_id)


async def verify_warehouse_receipt(conn: AsyncConnection, institution_id: UUID, receipt_id: UUID, verified_by: str) -> None:
    """The issuing warehouse confirms the receipt: issued → verified."""
    r = await _receipt(conn, institution_id, receipt_id, lock=True)
    if r.status != "issued":
        raise CollateralStateConflict("warehouse receipt", receipt_id, r.status, ["issued"])
    await _set_receipt_status(conn, institution_id, r, "verified", verified_by, verified_by=check_text(verified_by, "verified_by", 128), verified_at=utc_now())


@dataclass(frozen=True, slots=True)
class PledgeStatus:
    pledge_id: UUID
    currency: str
    outstanding_minor: int
    valuation: Valuation
    ltv: Decimal
    #: "ok" | "margin_call" | "liquidation_allowed"
    action: str
    liquidation_allowed: bool
    margin_call: dict[str, Any] | None = None
    #: what the LTV is measured against: every receipt pledged to the financing (None: this one only)
    collateral_value_minor: int | None = None


async def pledge_warehouse_receipt(
    conn: AsyncConnection,
    institution_id: UUID,
    receipt_id: UUID,
    financing_ref: str,
    loan_minor: int,
    currency: str,
    as_of: date,
    *,
    config: CollateralConfig | None = None,
) -> PledgeStatus:
    """Pledge a verified receipt for a loan of ``loan_minor``: refused above
    the initial LTV, or when the receipt already backs a financing here or
    anywhere (:class:`AssetAlreadyFinanced`)."""
    cfg = config or CollateralConfig()
    check_ref(financing_ref)
    check_minor(loan_minor, "loan_minor")
    check_currency(currency)
    r = await _receipt(conn, institution_id, receipt_id, lock=True)
    if r.status == "pledged":
        raise AssetAlreadyFinanced(WAREHOUSE_RECEIPT, str(receipt_id))
    if r.status != "verified":
        raise CollateralStateConflict("warehouse receipt", receipt_id, r.status, ["verified"])
    val = await value_goods(conn, institution_id, r.goods_type, Decimal(r.quantity), currency, as_of)
    if above(loan_minor, val.value_minor, cfg.wr_initial_ltv_max):
        raise InitialLtvExceeded(loan_minor, val.value_minor, ltv_of(loan_minor, val.value_minor), cfg.wr_initial_ltv_max, floor_int(cfg.wr_initial_ltv_max * val.value_minor), currency)
    enc = await encumber(conn, institution_id, r.asset_key, financing_ref, asset_kind=WAREHOUSE_RECEIPT)
    if enc.replayed:  # pragma: no cover - the receipt would be pledged already
        raise AssetAlreadyFinanced(WAREHOUSE_RECEIPT, str(receipt_id))
    pid = uuid7()
    ltv = ltv_of(loan_minor, val.value_minor)
    await conn.execute(
        financing_wr_pledges.insert().values(
            id=pid, institution_id=institution_id, receipt_id=receipt_id, financing_ref=financing_ref, currency=currency, loan_minor=loan_minor,
            outstanding_minor=loan_minor, quantity_pledged=r.quantity, quantity_released="0", status="active", valuation_minor=val.value_minor,
            valued_on=as_of, ltv=str(ltv), pledged_at=utc_now(), closed_at=None,
        )
    )
    await _set_receipt_status(conn, institution_id, r, "pledged")
    await emit_event(conn, institution_id, "collateral.receipt_pledged", {"pledge_id": str(pid), "receipt_id": str(receipt_id), "financing_ref": financing_ref, "ltv": str(ltv)})
    return PledgeStatus(pid, currency, loan_minor, val, ltv, "ok", False)


async def _pledge(conn: AsyncConnection, institution_id: UUID, pledge_id: UUID, *, lock: bool = True) -> Row[Any]:
    q = select(financing_wr_pledges).where(financing_wr_pledges.c.id == pledge_id, financing_wr_pledges.c.institution_id == institution_id)
    p = (await conn.execute(for_update(conn, q, lock))).first()
    if p is None:
        raise CollateralNotFound("pledge", pledge_id)
    return p


def _peer_ids(institution_id: UUID, pledge_id: UUID) -> Any:
    """The ids of the pledges securing the same financing as ``pledge_id``
    (itself included): a loan's LTV and margin call cover all of them."""
    w = financing_wr_pledges.c
    ref = select(w.financing_ref).where(w.id == pledge_id, w.institution_id == institution_id).scalar_subquery()
    return select(w.id).where(w.institution_id == institution_id, w.financing_ref == ref)


async def _open_call(conn: AsyncConnection, institution_id: UUID, pledge_id: UUID) -> Row[Any] | None:
    """The open margin call of the pledge's financing (on any of its pledges)."""
    m = financing_margin_calls.c
    return (
        await conn.execute(
            select(financing_margin_calls).where(m.institution_id == institution_id, m.pledge_id.in_(_peer_ids(institution_id, pledge_id)), m.status == "open")
            .order_by(m.created_at, m.id).limit(1)
        )
    ).first()


async def _peers_value(conn: AsyncConnection, institution_id: UUID, p: Row[Any], as_of: date) -> int:
    """Revalue the other active pledges of ``p``'s financing on ``as_of``
    (each row updated) and return their value after haircut."""
    w = financing_wr_pledges.c
    peers = (await conn.execute(
        select(financing_wr_pledges).where(w.institution_id == institution_id, w.financing_ref == p.financing_ref, w.status == "active", w.id != p.id).order_by(w.pledged_at, w.id)
    )).all()
    total = 0
    for q in peers:
        r = await _receipt(conn, institution_id, q.receipt_id)
        v = (await value_goods(conn, institution_id, r.goods_type, Decimal(q.quantity_pledged), q.currency, as_of)).value_minor
        await conn.execute(update(financing_wr_pledges).where(w.id == q.id).values(valuation_minor=v, valued_on=as_of, ltv=str(ltv_of(int(q.outstanding_minor), v))))
        total += v
    return total


def _call_dict(c: Row[Any]) -> dict[str, Any]:
    return {
        "id": str(c.id), "opened_on": c.opened_on.isoformat(), "cure_by": c.cure_by.isoformat(), "ltv": c.ltv, "valuation_minor": int(c.valuation_minor),
        "outstanding_minor": int(c.outstanding_minor), "shortfall_minor": int(c.shortfall_minor), "collateral_minor": int(c.collateral_minor), "status": c.status,
        "closed_at": c.closed_at, "closed_by": c.closed_by,
    }


def _call_event(c: Row[Any], cur: str) -> dict[str, Any]:
    """A margin call in an event payload: amounts as decimal strings in ``currency``."""
    return {
        "id": str(c.id), "opened_on": c.opened_on.isoformat(), "cure_by": c.cure_by.isoformat(), "ltv": c.ltv, "currency": cur,
        "valuation": format_minor(int(c.valuation_minor), cur), "outstanding": format_minor(int(c.outstanding_minor), cur),
        "shortfall": format_minor(int(c.shortfall_minor), cur), "collateral": format_minor(int(c.collateral_minor), cur), "status": c.status,
    }


async def revalue_pledge(
    conn: AsyncConnection, institution_id: UUID, pledge_id: UUID, as_of: date, *, config: CollateralConfig | None = None, holidays: Holidays = None
) -> PledgeStatus:
    """Revalue the pledged goods at the latest price on or before ``as_of``.
    Above the margin-call LTV a margin call is opened (unless one is open):
    shortfall = outstanding − target LTV × valuation (repay that), or add
    collateral worth shortfall / target LTV after haircut, within the cure
    period in business days.  Above the liquidation LTV liquidation is
    allowed.  At or below the target LTV an open call is cured."""
    cfg = config or CollateralConfig()
    p = await _pledge(conn, institution_id, pledge_id)
    if p.status != "active":
        raise CollateralStateConflict("pledge", pledge_id, p.status, ["active"])
    r = await _receipt(conn, institution_id, p.receipt_id)
    val = await value_goods(conn, institution_id, r.goods_type, Decimal(p.quantity_pledged), p.currency, as_of)
    out = int(p.outstanding_minor)
    # the loan's LTV: its outstanding over every receipt pledged to it (more than one after a cure)
    value = val.value_minor + await _peers_value(conn, institution_id, p, as_of)
    ltv = ltv_of(out, value)
    await conn.execute(update(financing_wr_pledges).where(financing_wr_pledges.c.id == pledge_id).values(valuation_minor=val.value_minor, valued_on=as_of, ltv=str(ltv_of(out, val.value_minor))))
    await audit(conn, institution_id, "pledge.revalued", "pledge", pledge_id, {"valuation_minor": int(p.valuation_minor), "ltv": p.ltv}, {"valuation_minor": val.value_minor, "ltv": str(ltv)},
                currency=p.currency)
    call = await _open_call(conn, institution_id, pledge_id)
    liquidation = above(out, value, cfg.wr_liquidation_ltv)
    if above(out, value, cfg.wr_margin_call_ltv):
        if call is None:
            shortfall = max(0, ceil_int(Decimal(out) - cfg.wr_target_ltv * value))
            collateral = ceil_int(Decimal(shortfall) / cfg.wr_target_ltv) if cfg.wr_target_ltv > 0 else 0
            cid = uuid7()
            row = dict(
                id=cid, institution_id=institution_id, pledge_id=pledge_id, opened_on=as_of, cure_by=add_business_days(as_of, cfg.wr_cure_business_days, holidays),
                ltv=str(ltv), valuation_minor=value, outstanding_minor=out, shortfall_minor=shortfall, collateral_minor=collateral, status="open",
                created_at=utc_now(), closed_at=None,
            )
            await conn.execute(financing_margin_calls.insert().values(**row))
            await audit(conn, institution_id, "margin_call.opened", "margin_call", cid, None, {"shortfall_minor": shortfall, "collateral_minor": collateral, "ltv": str(ltv)}, currency=p.currency)
            call = (await conn.execute(select(financing_margin_calls).where(financing_margin_calls.c.id == cid))).one()
            await emit_event(conn, institution_id, "collateral.margin_call_opened", {"pledge_id": str(pledge_id), **_call_event(call, p.currency)})
            await notices.margin_call(conn, institution_id, r.customer_id, p.financing_ref, {"pledge_id": str(pledge_id), **_call_event(call, p.currency)})
        action = "liquidation_allowed" if liquidation else "margin_call"
    else:
        if call is not None and not above(out, value, cfg.wr_target_ltv):
            await _close_call(conn, institution_id, call, "cured")
            call = None
        action = "margin_call" if call is not None else "ok"
    return PledgeStatus(pledge_id, p.currency, out, val, ltv, action, liquidation, _call_dict(call) if call is not None else None, value)


async def _close_call(conn: AsyncConnection, institution_id: UUID, call: Row[Any], status: str, actor_id: str = "collateral", after: dict[str, Any] | None = None) -> None:
    await conn.execute(update(financing_margin_calls).where(financing_margin_calls.c.id == call.id).values(status=status, closed_at=utc_now(), closed_by=actor_id))
    kind = actor_id.split(":")[0] if ":" in actor_id else "system"
    await audit(conn, institution_id, f"margin_call.{status}", "margin_call", call.id, {"status": call.status}, {"status": status, **(after or {})}, actor_id, kind)


@dataclass(frozen=True, slots=True)
class Cure:
    """A margin call cured by pledging more receipts."""

    call: dict[str, Any]
    pledge_id: UUID
    loan_ref: str
    currency: str
    outstanding_minor: int
    #: every receipt pledged to the financing after the cure, after haircut
    collateral_value_minor: int
    ltv: Decimal
    limit: Decimal
    #: (receipt id, new pledge id, value after haircut) of the receipts added
    added: list[tuple[UUID, UUID, int]]


async def _cure_receipts(conn: AsyncConnection, institution_id: UUID, receipt_ids: list[UUID], customer_id: UUID, currency: str, as_of: date) -> list[tuple[Row[Any], int]]:
    """The receipts offered, locked and valued on ``as_of``: each the
    institution's (else 404), of the loan's customer, verified and not
    pledged (an encumbered one is :class:`AssetAlreadyFinanced`)."""
    out = []
    for rid in receipt_ids:
        r = await _receipt(conn, institution_id, rid, lock=True)
        if r.customer_id != customer_id:
            raise CollateralOfAnotherCustomer("warehouse receipt", rid)
        if r.status == "pledged":
            raise AssetAlreadyFinanced(WAREHOUSE_RECEIPT, str(rid))
        if r.status != "verified":
            raise CollateralStateConflict("warehouse receipt", rid, r.status, ["verified"])
        out.append((r, (await value_goods(conn, institution_id, r.goods_type, Decimal(r.quantity), currency, as_of)).value_minor))
    return out


async def cure_margin_call(
    conn: AsyncConnection, institution_id: UUID, call_id: UUID, receipt_ids: Collection[UUID], as_of: date, *, limit: Decimal, actor_id: str
) -> Cure:
    """Cure the open margin call ``call_id`` by pledging the verified
    receipts ``receipt_ids`` of the same customer to the same financing: the
    loan's LTV (its outstanding over every receipt pledged to it, valued on
    ``as_of``) must come back to ``limit`` or below; then each receipt is
    encumbered and pledged, and the call is ``cured`` by ``actor_id``
    (audit, ``collateral.margin_call_cured``).  Otherwise
    :class:`MarginCallNotCured` with the collateral still missing, and
    nothing changes (the caller's transaction is rolled back)."""
    ids = list(dict.fromkeys(receipt_ids))
    if not ids or len(ids) > 20:
        raise InvalidInput("name 1 to 20 warehouse receipts to pledge", field="receipt_ids")
    m = financing_margin_calls.c
    call = (await conn.execute(for_update(conn, select(financing_margin_calls).where(m.id == call_id, m.institution_id == institution_id), True))).first()
    if call is None:
        raise CollateralNotFound("margin call", call_id)
    if call.status != "open":
        raise CollateralStateConflict("margin call", call_id, call.status, ["open"])
    p = await _pledge(conn, institution_id, call.pledge_id)
    if p.status != "active":  # pragma: no cover - closing a pledge closes its call
        raise CollateralStateConflict("pledge", p.id, p.status, ["active"])
    held = await _receipt(conn, institution_id, p.receipt_id)
    offered = await _cure_receipts(conn, institution_id, ids, held.customer_id, p.currency, as_of)
    out = int(p.outstanding_minor)
    own = (await value_goods(conn, institution_id, held.goods_type, Decimal(p.quantity_pledged), p.currency, as_of)).value_minor
    value = own + await _peers_value(conn, institution_id, p, as_of) + sum(v for _r, v in offered)
    ltv = ltv_of(out, value)
    if above(out, value, limit):
        missing = ceil_int(Decimal(out) / limit - value) if limit > 0 else out
        raise MarginCallNotCured(call_id, out, value, ltv, limit, missing, p.currency)
    await conn.execute(update(financing_wr_pledges).where(financing_wr_pledges.c.id == p.id).values(valuation_minor=own, valued_on=as_of, ltv=str(ltv_of(out, own))))
    added = []
    for r, v in offered:
        await encumber(conn, institution_id, r.asset_key, p.financing_ref, asset_kind=WAREHOUSE_RECEIPT)
        pid = uuid7()
        await conn.execute(financing_wr_pledges.insert().values(
            id=pid, institution_id=institution_id, receipt_id=r.id, financing_ref=p.financing_ref, currency=p.currency, loan_minor=int(p.loan_minor), outstanding_minor=out,
            quantity_pledged=r.quantity, quantity_released="0", status="active", valuation_minor=v, valued_on=as_of, ltv=str(ltv_of(out, v)), pledged_at=utc_now(), closed_at=None,
        ))
        await _set_receipt_status(conn, institution_id, r, "pledged", actor_id)
        added.append((r.id, pid, v))
    figures = {"ltv": str(ltv), "limit": str(limit), "collateral_value_minor": value, "outstanding_minor": out, "currency": p.currency, "added_pledges": [str(a[1]) for a in added]}
    await _close_call(conn, institution_id, call, "cured", actor_id, public_amounts(figures, p.currency))
    call = (await conn.execute(select(financing_margin_calls).where(m.id == call_id, m.institution_id == institution_id))).one()
    await emit_event(conn, institution_id, "collateral.margin_call_cured", {
        "pledge_id": str(p.id), "id": str(call_id), "loan_id": p.financing_ref, "currency": p.currency, "ltv": str(ltv), "target_ltv": str(limit),
        "valuation": format_minor(value, p.currency), "outstanding": format_minor(out, p.currency), "added_pledges": [str(a[1]) for a in added],
        "cured_by": actor_id, "cured_on": as_of.isoformat(),
    })
    return Cure(_call_dict(call), p.id, p.financing_ref, p.currency, out, value, ltv, limit, added)


@dataclass(frozen=True, slots=True)
class GoodsRelease:
    repaid_minor: int
    outstanding_minor: int
    #: repaid / outstanding before the repayment
    fraction: Decimal
    quantity_released: Decimal
    quantity_pledged: Decimal
    pledge_closed: bool


async def record_pledge_repayment(conn: AsyncConnection, institution_id: UUID, pledge_id: UUID, repaid_minor: int, *, config: CollateralConfig | None = None) -> GoodsRelease:
    """A repayment of the pledged loan (posted by the loans module) releases
    goods in proportion: fraction = repaid / outstanding, of the goods still
    pledged.  Full repayment releases the receipt and the registry entry.
    While a margin call is open a repayment releases no goods; the call is
    cured once the LTV at the last valuation is back at or below the
    target."""
    cfg = config or CollateralConfig()
    check_minor(repaid_minor, "repaid_minor")
    p = await _pledge(conn, institution_id, pledge_id)
    if p.status != "active":
        raise CollateralStateConflict("pledge", pledge_id, p.status, ["active"])
    out = int(p.outstanding_minor)
    repaid = min(repaid_minor, out)
    fraction = Decimal(repaid) / Decimal(out)
    held = Decimal(p.quantity_pledged)
    left = out - repaid
    call = await _open_call(conn, institution_id, pledge_id)
    if left == 0:
        released_q = held
    elif call is not None:
        # under a margin call a repayment cures it: no goods leave the warehouse
        released_q = Decimal(0)
    else:
        released_q = (held * fraction).quantize(Decimal("0.000001"), rounding=ROUND_FLOOR)
    new_held = held - released_q
    new_val = floor_int(Decimal(p.valuation_minor) * (new_held / held)) if held > 0 else 0
    values: dict[str, Any] = dict(
        outstanding_minor=left, quantity_pledged=str(new_held), quantity_released=str(Decimal(p.quantity_released) + released_q),
        valuation_minor=new_val, ltv=str(ltv_of(left, new_val)),
    )
    if left == 0:
        values.update(status="released", closed_at=utc_now())
    await conn.execute(update(financing_wr_pledges).where(financing_wr_pledges.c.id == pledge_id).values(**values))
    await audit(
        conn, institution_id, "pledge.repaid", "pledge", pledge_id, {"outstanding_minor": out, "quantity_pledged": str(held)},
        {"outstanding_minor": left, "quantity_pledged": str(new_held), "quantity_released": str(released_q)}, currency=p.currency,
    )
    if call is not None and (left == 0 or not above(left, new_val, cfg.wr_target_ltv)):
        await _close_call(conn, institution_id, call, "cured" if left else "closed")
    if left == 0:
        r = await _receipt(conn, institution_id, p.receipt_id, lock=True)
        await release(conn, institution_id, r.asset_key, p.financing_ref)
        await _set_receipt_status(conn, institution_id, r, "released")
    return GoodsRelease(repaid, left, fraction.quantize(Decimal("0.000001")), released_q, new_held, left == 0)


async def liquidate_pledge(conn: AsyncConnection, institution_id: UUID, pledge_id: UUID, as_of: date, *, config: CollateralConfig | None = None) -> PledgeStatus:
    """Liquidate the pledged goods: allowed when the LTV at ``as_of`` is
    above the liquidation LTV, or a margin call is past its cure date.  The
    receipt becomes ``liquidated``; its registry entry is retired (it can
    never back another financing).  The sale proceeds are the loans
    module's to post."""
    cfg = config or CollateralConfig()
    status = await revalue_pledge(conn, institution_id, pledge_id, as_of, config=cfg)
    call = await _open_call(conn, institution_id, pledge_id)
    overdue = call is not None and call.cure_by < as_of
    if not (status.liquidation_allowed or overdue):
        raise LiquidationNotAllowed(pledge_id, status.ltv, cfg.wr_liquidation_ltv)
    p = await _pledge(conn, institution_id, pledge_id)
    await conn.execute(update(financing_wr_pledges).where(financing_wr_pledges.c.id == pledge_id).values(status="liquidated", closed_at=utc_now()))
    await audit(conn, institution_id, "pledge.liquidated", "pledge", pledge_id, {"status": "active"}, {"status": "liquidated", "ltv": str(status.ltv)})
    if call is not None:
        await _close_call(conn, institution_id, call, "liquidated")
    r = await _receipt(conn, institution_id, p.receipt_id, lock=True)
    await release(conn, institution_id, r.asset_key, p.financing_ref, retire=True)
    await _set_receipt_status(conn, institution_id, r, "liquidated")
    await emit_event(conn, institution_id, "collateral.pledge_liquidated", {"pledge_id": str(pledge_id), "ltv": str(status.ltv)})
    return PledgeStatus(pledge_id, p.currency, int(p.outstanding_minor), status.valuation, status.ltv, "liquidated", True, None)


async def get_pledge(conn: AsyncConnection, institution_id: UUID, pledge_id: UUID) -> dict[str, Any]:
    p = await _pledge(conn, institution_id, pledge_id, lock=False)
    out = dict(p._mapping)
    calls = (await conn.execute(select(financing_margin_calls).where(financing_margin_calls.c.pledge_id == pledge_id).order_by(financing_margin_calls.c.created_at))).all()
    out["margin_calls"] = [_call_dict(c) for c in calls]
    return out

