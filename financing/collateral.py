"""Collateral (F2, F3, F4) and the one-asset-one-financing registry (F5).

Registry (F5).  Every financed asset — a platform order, a warehouse
receipt, an insured receivable — has a key: the SHA-256 of its identity
("order|platform|external id", "wr|issuer|receipt number",
"ins|insurer|policy|buyer|invoice"), the same at every institution.  The
shared table ``financing_asset_registry`` keeps one row per key with its
state; :func:`encumber` is a single conditional ``INSERT ... ON CONFLICT DO
UPDATE ... WHERE state = 'released'``, so of two institutions racing for the
same asset exactly one wins (the primary key and the database's row lock
decide, not the application).  A refused financing raises
:class:`AssetAlreadyFinanced`, which names neither the other lender nor its
financing.  Only the holder (a hash of institution and financing reference)
can release.

Order collateral (F2): the value of matched (or confirmed) orders, not
cancelled or fully refunded, not already financed, times the advance rate.

Warehouse receipts (F3): receipts issued → verified → pledged → released /
liquidated, valued at quantity × dated price × (1 − haircut); initial LTV,
margin calls with a shortfall and a cure deadline in business days,
liquidation above a threshold, goods released in proportion to repayment.

Credit insurance (F4): policies with coverage and buyer limits, insured
receivables, assignment of indemnity to the lender, claims and their
payment (which the loans module posts as a repayment).

Every function works inside the caller's transaction (``conn``); money is
integer minor units, ratios ``Decimal``; thresholds come from
:class:`CollateralConfig` (defaults of the rulebook, overridable per
product).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, select, update
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.ext.asyncio import AsyncConnection

from ledger.errors import Conflict, InvalidInput, LedgerError, NotFound
from ledger.events import emit_event, record_audit
from ledger.ids import uuid7
from ledger.money import currency as check_currency

from .tables_collateral import (
    financing_asset_registry as registry,
)
from .tables_collateral import (
    financing_buyer_limits,
    financing_encumbrances,
    financing_goods_haircuts,
    financing_goods_prices,
    financing_insurance_claims,
    financing_insurance_policies,
    financing_insured_receivables,
    financing_margin_calls,
    financing_warehouse_receipts,
    financing_wr_pledges,
)

ORDER, WAREHOUSE_RECEIPT, INSURED_RECEIVABLE = "order", "warehouse_receipt", "insured_receivable"
ASSET_KINDS = (ORDER, WAREHOUSE_RECEIPT, INSURED_RECEIVABLE)
ENCUMBERED, RELEASED, RETIRED = "encumbered", "released", "retired"

_RATIO_PLACES = Decimal("0.0001")


# -- configuration ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CollateralConfig:
    """The rulebook's defaults; a product may override any of them
    (:meth:`from_mapping` reads decimal strings from a product's config)."""

    order_advance_rate: Decimal = Decimal("0.70")
    #: order match statuses that may back a loan ("confirmed" where a platform confirms orders)
    order_eligible_statuses: tuple[str, ...] = ("matched", "confirmed")
    wr_initial_ltv_max: Decimal = Decimal("0.60")
    wr_margin_call_ltv: Decimal = Decimal("0.75")
    wr_liquidation_ltv: Decimal = Decimal("0.85")
    #: LTV a margin call restores
    wr_target_ltv: Decimal = Decimal("0.60")
    wr_cure_business_days: int = 5
    insurance_advance_rate: Decimal = Decimal("0.80")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> CollateralConfig:
        if not data:
            return cls()
        kw: dict[str, Any] = {}
        for f in fields(cls):
            if f.name not in data:
                continue
            v = data[f.name]
            default = getattr(cls(), f.name)
            if isinstance(default, Decimal):
                kw[f.name] = _ratio(v, f.name)
            elif isinstance(default, int):
                kw[f.name] = int(v)
            else:
                kw[f.name] = tuple(v)
        return cls(**kw)


def _ratio(value: Any, name: str, *, upper: Decimal = Decimal(1)) -> Decimal:
    if isinstance(value, float) or isinstance(value, bool):
        raise InvalidInput(f"{name} must be a decimal string, not a float", field=name)
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidInput(f"{name} must be a decimal", field=name, value=str(value)) from None
    if not d.is_finite() or d < 0 or d > upper:
        raise InvalidInput(f"{name} must be between 0 and {upper}", field=name, value=str(value))
    return d


def _quantity(value: Any, name: str = "quantity") -> Decimal:
    if isinstance(value, float) or isinstance(value, bool):
        raise InvalidInput(f"{name} must be a decimal string, not a float", field=name)
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InvalidInput(f"{name} must be a decimal", field=name, value=str(value)) from None
    if not d.is_finite() or d <= 0:
        raise InvalidInput(f"{name} must be positive", field=name, value=str(value))
    return d


def _amount(value: Any, name: str, *, positive: bool = True) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"{name} must be an integer number of minor units", field=name)
    if value < 0 or (positive and value == 0):
        raise InvalidInput(f"{name} must be {'positive' if positive else 'non-negative'}", field=name, value=value)
    if value >= 2**62:
        raise InvalidInput(f"{name} is too large", field=name)
    return value


def _text(value: Any, name: str, max_len: int) -> str:
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > max_len or not value.strip().isprintable():
        raise InvalidInput(f"{name} must be 1..{max_len} printable characters", field=name)
    return value.strip()


def _floor(d: Decimal) -> int:
    return int(d.to_integral_value(rounding=ROUND_FLOOR))


def _ceil(d: Decimal) -> int:
    return int(d.to_integral_value(rounding=ROUND_CEILING))


def _ltv(outstanding: int, valuation: int) -> Decimal:
    if valuation <= 0:
        return Decimal("Infinity") if outstanding > 0 else Decimal(0)
    return (Decimal(outstanding) / Decimal(valuation)).quantize(_RATIO_PLACES)


def _above(outstanding: int, valuation: int, threshold: Decimal) -> bool:
    """outstanding / valuation > threshold, exactly (no division)."""
    return Decimal(outstanding) > threshold * Decimal(valuation)


def _now() -> datetime:
    return datetime.now(UTC)


def _insert(conn: AsyncConnection, table):
    return (pg_dialect.insert if conn.dialect.name == "postgresql" else sqlite_dialect.insert)(table)


# -- errors -------------------------------------------------------------------------------


class AssetAlreadyFinanced(Conflict):
    """The asset already backs a financing (here or at another institution).
    Deliberately names neither the other lender nor its financing."""

    code = "asset_already_financed"
    title = "Asset already financed"

    def __init__(self, asset_kind: str, asset_ref: str | None = None) -> None:
        what = asset_kind.replace("_", " ")
        super().__init__(
            f"this {what} already backs a financing and cannot back another one until that financing releases it",
            asset_kind=asset_kind,
            asset_ref=asset_ref,
        )


class AssetNotEncumbered(Conflict):
    code = "asset_not_encumbered"
    title = "Asset not encumbered by this financing"

    def __init__(self, asset_kind: str, financing_ref: str) -> None:
        super().__init__(
            f"this {asset_kind.replace('_', ' ')} is not encumbered by financing {financing_ref!r} of this institution",
            asset_kind=asset_kind,
            financing_ref=financing_ref,
        )


class CollateralNotFound(NotFound):
    code = "collateral_not_found"
    title = "Collateral not found"


class CollateralStateConflict(Conflict):
    code = "collateral_state_conflict"
    title = "Collateral in another state"

    def __init__(self, kind: str, ref: object, state: str, expected: Sequence[str]) -> None:
        super().__init__(
            f"{kind} {ref} is {state}; expected {' or '.join(expected)}", kind=kind, ref=str(ref), state=state, expected=list(expected)
        )


class InitialLtvExceeded(LedgerError):
    code = "initial_ltv_exceeded"
    title = "Initial loan-to-value exceeded"

    def __init__(self, loan_minor: int, valuation_minor: int, ltv: Decimal, max_ltv: Decimal, max_loan_minor: int, currency: str) -> None:
        super().__init__(
            f"a loan of {loan_minor} against a valuation of {valuation_minor} is an LTV of {ltv}, above the maximum {max_ltv} (at most {max_loan_minor})",
            loan_minor=loan_minor,
            valuation_minor=valuation_minor,
            ltv=str(ltv),
            max_ltv=str(max_ltv),
            max_loan_minor=max_loan_minor,
            currency=currency,
        )


class LiquidationNotAllowed(Conflict):
    code = "liquidation_not_allowed"
    title = "Liquidation not allowed"

    def __init__(self, pledge_id: object, ltv: Decimal, liquidation_ltv: Decimal) -> None:
        super().__init__(
            f"pledge {pledge_id} has an LTV of {ltv}, not above {liquidation_ltv}, and no overdue margin call",
            pledge=str(pledge_id),
            ltv=str(ltv),
            liquidation_ltv=str(liquidation_ltv),
        )


class NoCollateralPrice(LedgerError):
    code = "no_collateral_price"
    title = "No price for the goods"

    def __init__(self, goods_type: str, currency: str, as_of: date) -> None:
        super().__init__(
            f"no {currency} price of {goods_type} on or before {as_of.isoformat()}", goods_type=goods_type, currency=currency, as_of=as_of.isoformat()
        )


# -- F5: the registry ---------------------------------------------------------------------------


def _key(*parts: str) -> str:
    for p in parts:
        if not isinstance(p, str) or not p:
            raise InvalidInput("asset identity parts must be non-empty text")
    return hashlib.sha256(("xborder-asset-v1\x00" + "|".join(parts)).encode()).hexdigest()


def order_asset_key(platform_code: str, external_id: str) -> str:
    """SHA-256 of "order|platform|external id": the same at every institution."""
    return _key("order", platform_code, external_id)


def warehouse_receipt_key(issuer: str, receipt_number: str) -> str:
    return _key("wr", issuer.strip().upper(), receipt_number.strip().upper())


def insured_receivable_key(insurer: str, policy_number: str, buyer_ref: str, invoice_number: str) -> str:
    return _key("ins", insurer.strip().upper(), policy_number.strip().upper(), buyer_ref.strip().upper(), invoice_number.strip().upper())


def _holder(institution_id: UUID, financing_ref: str) -> str:
    return hashlib.sha256(f"xborder-holder-v1\x00{institution_id}|{financing_ref}".encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Encumbrance:
    asset_key: str
    asset_kind: str
    financing_ref: str
    #: the same institution and financing encumbered it before: nothing changed
    replayed: bool = False


def _check_ref(financing_ref: str) -> str:
    if not isinstance(financing_ref, str) or not financing_ref or len(financing_ref) > 128:
        raise InvalidInput("financing_ref must be 1..128 characters")
    return financing_ref


async def encumber(conn: AsyncConnection, institution_id: UUID, asset_key: str, financing_ref: str, *, asset_kind: str = ORDER) -> Encumbrance:
    """Register ``asset_key`` as backing ``financing_ref`` of the institution.

    One statement decides: insert the registry row, or take over a released
    one; a row encumbered (or retired) by anyone else is left alone and
    :class:`AssetAlreadyFinanced` is raised.  Encumbering again under the
    same institution and financing is a no-op (``replayed``).
    """
    _check_ref(financing_ref)
    if asset_kind not in ASSET_KINDS:
        raise InvalidInput(f"asset_kind must be one of {', '.join(ASSET_KINDS)}", asset_kind=asset_kind)
    if not isinstance(asset_key, str) or len(asset_key) != 64:
        raise InvalidInput("asset_key must be a 64-character hash")
    holder = _holder(institution_id, financing_ref)
    now = _now()
    ins = _insert(conn, registry).values(asset_key=asset_key, asset_kind=asset_kind, state=ENCUMBERED, holder=holder, encumbered_at=now, released_at=None)
    stmt = ins.on_conflict_do_update(
        index_elements=["asset_key"],
        set_={"state": ENCUMBERED, "holder": holder, "asset_kind": asset_kind, "encumbered_at": now, "released_at": None},
        where=registry.c.state == RELEASED,
    ).returning(registry.c.asset_key)
    won = (await conn.execute(stmt)).first() is not None
    if not won:
        row = (await conn.execute(select(registry.c.state, registry.c.holder).where(registry.c.asset_key == asset_key))).one()
        if row.state == ENCUMBERED and row.holder == holder:
            return Encumbrance(asset_key, asset_kind, financing_ref, replayed=True)
        raise AssetAlreadyFinanced(asset_kind)
    await conn.execute(
        financing_encumbrances.insert().values(
            id=uuid7(), institution_id=institution_id, asset_key=asset_key, asset_kind=asset_kind, financing_ref=financing_ref, encumbered_at=now, released_at=None
        )
    )
    await record_audit(
        conn, institution_id=institution_id, actor_type="system", actor_id="collateral", action="asset.encumbered",
        object_type="asset", object_id=asset_key[:64], after={"asset_kind": asset_kind, "financing_ref": financing_ref},
    )
    return Encumbrance(asset_key, asset_kind, financing_ref)


async def _release(conn: AsyncConnection, institution_id: UUID, asset_key: str, financing_ref: str, *, retire: bool = False) -> None:
    holder = _holder(institution_id, financing_ref)
    now = _now()
    res = await conn.execute(
        update(registry)
        .where(registry.c.asset_key == asset_key, registry.c.state == ENCUMBERED, registry.c.holder == holder)
        .values(state=RETIRED if retire else RELEASED, released_at=now)
        .returning(registry.c.asset_kind)
    )
    row = res.first()
    if row is None:
        kind = (await conn.execute(select(registry.c.asset_kind).where(registry.c.asset_key == asset_key))).scalar()
        raise AssetNotEncumbered(kind or "asset", financing_ref)
    await conn.execute(
        update(financing_encumbrances)
        .where(
            financing_encumbrances.c.institution_id == institution_id,
            financing_encumbrances.c.asset_key == asset_key,
            financing_encumbrances.c.financing_ref == financing_ref,
            financing_encumbrances.c.released_at.is_(None),
        )
        .values(released_at=now)
    )
    await record_audit(
        conn, institution_id=institution_id, actor_type="system", actor_id="collateral", action="asset.retired" if retire else "asset.released",
        object_type="asset", object_id=asset_key[:64], before={"financing_ref": financing_ref}, after={"state": RETIRED if retire else RELEASED},
    )


async def release(conn: AsyncConnection, institution_id: UUID, asset_key: str, financing_ref: str) -> None:
    """Free the asset for another financing.  Only the institution and
    financing that encumbered it can; anyone else gets
    :class:`AssetNotEncumbered` (which says nothing of the holder)."""
    _check_ref(financing_ref)
    await _release(conn, institution_id, asset_key, financing_ref)


async def release_financing(conn: AsyncConnection, institution_id: UUID, financing_ref: str) -> int:
    """Release every asset still encumbered by the institution's financing
    (the loan was repaid or cancelled).  Returns how many."""
    _check_ref(financing_ref)
    keys = (
        await conn.execute(
            select(financing_encumbrances.c.asset_key)
            .where(
                financing_encumbrances.c.institution_id == institution_id,
                financing_encumbrances.c.financing_ref == financing_ref,
                financing_encumbrances.c.released_at.is_(None),
            )
            .order_by(financing_encumbrances.c.asset_key)
        )
    ).scalars().all()
    for k in keys:
        await _release(conn, institution_id, k, financing_ref)
    return len(keys)


async def is_encumbered(conn: AsyncConnection, asset_key: str) -> bool:
    state = (await conn.execute(select(registry.c.state).where(registry.c.asset_key == asset_key))).scalar()
    return state in (ENCUMBERED, RETIRED)


async def encumbrances(conn: AsyncConnection, institution_id: UUID, financing_ref: str, *, active_only: bool = True) -> list[dict[str, Any]]:
    """The institution's own encumbrances of a financing."""
    q = select(financing_encumbrances).where(
        financing_encumbrances.c.institution_id == institution_id, financing_encumbrances.c.financing_ref == financing_ref
    )
    if active_only:
        q = q.where(financing_encumbrances.c.released_at.is_(None))
    return [dict(r._mapping) for r in await conn.execute(q.order_by(financing_encumbrances.c.encumbered_at, financing_encumbrances.c.id))]


# -- F2: order collateral ---------------------------------------------------------------------------


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
    from settlement.tables_tradedata import trade_orders

    cfg = config or CollateralConfig()
    check_currency(currency)
    out = OrderCollateral(currency, cfg.order_advance_rate)
    ids = list(dict.fromkeys(str(i) for i in order_ids))
    rows: dict[str, Any] = {}
    for i in range(0, len(ids), 1000):
        part = ids[i : i + 1000]
        for r in await conn.execute(
            select(trade_orders).where(
                trade_orders.c.institution_id == institution_id, trade_orders.c.platform_code == platform_code, trade_orders.c.external_id.in_(part)
            )
        ):
            rows[r.external_id] = r
    keys = {e: order_asset_key(platform_code, e) for e in ids}
    taken: set[str] = set()
    kv = list(keys.values())
    for i in range(0, len(kv), 1000):
        taken.update(
            (await conn.execute(select(registry.c.asset_key).where(registry.c.asset_key.in_(kv[i : i + 1000]), registry.c.state != RELEASED))).scalars()
        )
    for e in ids:
        o = rows.get(e)
        reason = None
        if o is None:
            reason = "no such order"
        elif o.customer_id != customer_id:
            reason = "order of another merchant"
        elif o.currency != currency:
            reason = f"order in {o.currency}"
        elif o.match_status not in cfg.order_eligible_statuses:
            reason = f"order {o.match_status}" + (f": {o.match_reason}" if o.match_reason else "")
        elif o.amount_minor - o.refunded_minor <= 0:
            reason = "order cancelled, returned or fully refunded"
        elif keys[e] in taken:
            reason = "order already financed"
        if reason is not None:
            out.ineligible[e] = reason
            continue
        value = int(o.amount_minor - o.refunded_minor)
        out.eligible.append((e, value))
        out.value_minor += value
    out.advance_minor = _floor(cfg.order_advance_rate * out.value_minor)
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
    for key in sorted(order_asset_key(platform_code, e) for e, _v in val.eligible):
        await encumber(conn, institution_id, key, financing_ref, asset_kind=ORDER)
    return val


# -- business days ---------------------------------------------------------------------------


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


# -- F3: warehouse receipts -------------------------------------------------------------------------


async def _audit(conn, institution_id, action, object_type, object_id, before=None, after=None, actor_id="collateral", actor_type="system"):
    await record_audit(
        conn, institution_id=institution_id, actor_type=actor_type, actor_id=str(actor_id), action=action,
        object_type=object_type, object_id=str(object_id), before=before, after=after,
    )


async def set_haircut(conn: AsyncConnection, institution_id: UUID, goods_type: str, haircut: Decimal | str) -> None:
    """The haircut of a goods type (a ratio below 1)."""
    goods_type = _text(goods_type, "goods_type", 64)
    h = _ratio(haircut, "haircut")
    if h >= 1:
        raise InvalidInput("haircut must be below 1", haircut=str(h))
    now = _now()
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
    await _audit(conn, institution_id, "haircut.set", "goods_type", goods_type, {"haircut": old} if old else None, {"haircut": str(h)})


async def set_price(
    conn: AsyncConnection, institution_id: UUID, goods_type: str, currency: str, unit: str, price_date: date, price_minor: int, *, source: str | None = None
) -> None:
    """The price of one unit of a goods type on a date (replaces that day's)."""
    goods_type = _text(goods_type, "goods_type", 64)
    check_currency(currency)
    _amount(price_minor, "price_minor", positive=False)
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
                id=uuid7(), institution_id=institution_id, goods_type=goods_type, currency=currency, unit=_text(unit, "unit", 16),
                price_date=price_date, price_minor=price_minor, source=source, created_at=_now(),
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


async def _haircut(conn, institution_id, goods_type) -> Decimal:
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
    return Valuation(currency, quantity, int(price.price_minor), price.price_date, haircut, _floor(gross), _floor(gross * (1 - haircut)))


async def issue_warehouse_receipt(
    conn: AsyncConnection,
    institution_id: UUID,
    customer_id: UUID,
    *,
    issuer: str,
    receipt_number: str,
    goods_type: str,
    quantity: Decimal | str,
    unit: str,
    location: str,
    actor_id: str = "collateral",
) -> UUID:
    """Record a warehouse receipt presented by the customer (state ``issued``)."""
    issuer = _text(issuer, "issuer", 128)
    receipt_number = _text(receipt_number, "receipt_number", 64)
    q = _quantity(quantity)
    rid = uuid7()
    now = _now()
    exists = (
        await conn.execute(
            select(financing_warehouse_receipts.c.id).where(
                financing_warehouse_receipts.c.institution_id == institution_id,
                financing_warehouse_receipts.c.issuer == issuer,
                financing_warehouse_receipts.c.receipt_number == receipt_number,
            )
        )
    ).scalar()
    if exists is not None:
        raise Conflict(f"warehouse receipt {receipt_number} of {issuer} is already recorded", receipt=str(exists))
    row = dict(
        id=rid, institution_id=institution_id, customer_id=customer_id, issuer=issuer, receipt_number=receipt_number,
        goods_type=_text(goods_type, "goods_type", 64), quantity=str(q), unit=_text(unit, "unit", 16), location=_text(location, "location", 200),
        asset_key=warehouse_receipt_key(issuer, receipt_number), status="issued", verified_by=None, verified_at=None, created_at=now, updated_at=now,
    )
    await conn.execute(financing_warehouse_receipts.insert().values(**row))
    await _audit(conn, institution_id, "warehouse_receipt.issued", "warehouse_receipt", rid, None, {"status": "issued", "quantity": str(q)}, actor_id)
    return rid


async def _receipt(conn, institution_id, receipt_id, *, lock: bool = False):
    q = select(financing_warehouse_receipts).where(financing_warehouse_receipts.c.id == receipt_id, financing_warehouse_receipts.c.institution_id == institution_id)
    if lock and conn.dialect.name == "postgresql":
        q = q.with_for_update()
    r = (await conn.execute(q)).first()
    if r is None:
        raise CollateralNotFound("warehouse receipt", receipt_id)
    return r


async def _set_receipt_status(conn, institution_id, r, status, actor_id="collateral", **extra):
    await conn.execute(
        update(financing_warehouse_receipts).where(financing_warehouse_receipts.c.id == r.id).values(status=status, updated_at=_now(), **extra)
    )
    await _audit(conn, institution_id, f"warehouse_receipt.{status}", "warehouse_receipt", r.id, {"status": r.status}, {"status": status}, actor_id)


async def verify_warehouse_receipt(conn: AsyncConnection, institution_id: UUID, receipt_id: UUID, verified_by: str) -> None:
    """The issuing warehouse confirms the receipt: issued → verified."""
    r = await _receipt(conn, institution_id, receipt_id, lock=True)
    if r.status != "issued":
        raise CollateralStateConflict("warehouse receipt", receipt_id, r.status, ["issued"])
    await _set_receipt_status(conn, institution_id, r, "verified", verified_by, verified_by=_text(verified_by, "verified_by", 128), verified_at=_now())


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
    _check_ref(financing_ref)
    _amount(loan_minor, "loan_minor")
    check_currency(currency)
    r = await _receipt(conn, institution_id, receipt_id, lock=True)
    if r.status == "pledged":
        raise AssetAlreadyFinanced(WAREHOUSE_RECEIPT, str(receipt_id))
    if r.status != "verified":
        raise CollateralStateConflict("warehouse receipt", receipt_id, r.status, ["verified"])
    val = await value_goods(conn, institution_id, r.goods_type, Decimal(r.quantity), currency, as_of)
    if _above(loan_minor, val.value_minor, cfg.wr_initial_ltv_max):
        raise InitialLtvExceeded(loan_minor, val.value_minor, _ltv(loan_minor, val.value_minor), cfg.wr_initial_ltv_max, _floor(cfg.wr_initial_ltv_max * val.value_minor), currency)
    enc = await encumber(conn, institution_id, r.asset_key, financing_ref, asset_kind=WAREHOUSE_RECEIPT)
    if enc.replayed:  # pragma: no cover - the receipt would be pledged already
        raise AssetAlreadyFinanced(WAREHOUSE_RECEIPT, str(receipt_id))
    pid = uuid7()
    ltv = _ltv(loan_minor, val.value_minor)
    await conn.execute(
        financing_wr_pledges.insert().values(
            id=pid, institution_id=institution_id, receipt_id=receipt_id, financing_ref=financing_ref, currency=currency, loan_minor=loan_minor,
            outstanding_minor=loan_minor, quantity_pledged=r.quantity, quantity_released="0", status="active", valuation_minor=val.value_minor,
            valued_on=as_of, ltv=str(ltv), pledged_at=_now(), closed_at=None,
        )
    )
    await _set_receipt_status(conn, institution_id, r, "pledged")
    await emit_event(conn, institution_id, "collateral.receipt_pledged", {"pledge_id": str(pid), "receipt_id": str(receipt_id), "financing_ref": financing_ref, "ltv": str(ltv)})
    return PledgeStatus(pid, currency, loan_minor, val, ltv, "ok", False)


async def _pledge(conn, institution_id, pledge_id, *, lock: bool = True):
    q = select(financing_wr_pledges).where(financing_wr_pledges.c.id == pledge_id, financing_wr_pledges.c.institution_id == institution_id)
    if lock and conn.dialect.name == "postgresql":
        q = q.with_for_update()
    p = (await conn.execute(q)).first()
    if p is None:
        raise CollateralNotFound("pledge", pledge_id)
    return p


async def _open_call(conn, institution_id, pledge_id):
    return (
        await conn.execute(
            select(financing_margin_calls).where(
                financing_margin_calls.c.institution_id == institution_id, financing_margin_calls.c.pledge_id == pledge_id, financing_margin_calls.c.status == "open"
            )
        )
    ).first()


def _call_dict(c) -> dict[str, Any]:
    return {
        "id": str(c.id), "opened_on": c.opened_on.isoformat(), "cure_by": c.cure_by.isoformat(), "ltv": c.ltv, "valuation_minor": int(c.valuation_minor),
        "outstanding_minor": int(c.outstanding_minor), "shortfall_minor": int(c.shortfall_minor), "collateral_minor": int(c.collateral_minor), "status": c.status,
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
    ltv = _ltv(out, val.value_minor)
    await conn.execute(update(financing_wr_pledges).where(financing_wr_pledges.c.id == pledge_id).values(valuation_minor=val.value_minor, valued_on=as_of, ltv=str(ltv)))
    await _audit(conn, institution_id, "pledge.revalued", "pledge", pledge_id, {"valuation_minor": int(p.valuation_minor), "ltv": p.ltv}, {"valuation_minor": val.value_minor, "ltv": str(ltv)})
    call = await _open_call(conn, institution_id, pledge_id)
    liquidation = _above(out, val.value_minor, cfg.wr_liquidation_ltv)
    if _above(out, val.value_minor, cfg.wr_margin_call_ltv):
        if call is None:
            shortfall = max(0, _ceil(Decimal(out) - cfg.wr_target_ltv * val.value_minor))
            collateral = _ceil(Decimal(shortfall) / cfg.wr_target_ltv) if cfg.wr_target_ltv > 0 else 0
            cid = uuid7()
            row = dict(
                id=cid, institution_id=institution_id, pledge_id=pledge_id, opened_on=as_of, cure_by=add_business_days(as_of, cfg.wr_cure_business_days, holidays),
                ltv=str(ltv), valuation_minor=val.value_minor, outstanding_minor=out, shortfall_minor=shortfall, collateral_minor=collateral, status="open",
                created_at=_now(), closed_at=None,
            )
            await conn.execute(financing_margin_calls.insert().values(**row))
            await _audit(conn, institution_id, "margin_call.opened", "margin_call", cid, None, {"shortfall_minor": shortfall, "collateral_minor": collateral, "ltv": str(ltv)})
            call = (await conn.execute(select(financing_margin_calls).where(financing_margin_calls.c.id == cid))).one()
            await emit_event(conn, institution_id, "collateral.margin_call_opened", {"pledge_id": str(pledge_id), **_call_dict(call)})
        action = "liquidation_allowed" if liquidation else "margin_call"
    else:
        if call is not None and not _above(out, val.value_minor, cfg.wr_target_ltv):
            await _close_call(conn, institution_id, call, "cured")
            call = None
        action = "margin_call" if call is not None else "ok"
    return PledgeStatus(pledge_id, p.currency, out, val, ltv, action, liquidation, _call_dict(call) if call is not None else None)


async def _close_call(conn, institution_id, call, status):
    await conn.execute(update(financing_margin_calls).where(financing_margin_calls.c.id == call.id).values(status=status, closed_at=_now()))
    await _audit(conn, institution_id, f"margin_call.{status}", "margin_call", call.id, {"status": call.status}, {"status": status})


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
    _amount(repaid_minor, "repaid_minor")
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
    new_val = _floor(Decimal(p.valuation_minor) * (new_held / held)) if held > 0 else 0
    values: dict[str, Any] = dict(
        outstanding_minor=left, quantity_pledged=str(new_held), quantity_released=str(Decimal(p.quantity_released) + released_q),
        valuation_minor=new_val, ltv=str(_ltv(left, new_val)),
    )
    if left == 0:
        values.update(status="released", closed_at=_now())
    await conn.execute(update(financing_wr_pledges).where(financing_wr_pledges.c.id == pledge_id).values(**values))
    await _audit(
        conn, institution_id, "pledge.repaid", "pledge", pledge_id, {"outstanding_minor": out, "quantity_pledged": str(held)},
        {"outstanding_minor": left, "quantity_pledged": str(new_held), "quantity_released": str(released_q)},
    )
    if call is not None and (left == 0 or not _above(left, new_val, cfg.wr_target_ltv)):
        await _close_call(conn, institution_id, call, "cured" if left else "closed")
    if left == 0:
        r = await _receipt(conn, institution_id, p.receipt_id, lock=True)
        await _release(conn, institution_id, r.asset_key, p.financing_ref)
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
    await conn.execute(update(financing_wr_pledges).where(financing_wr_pledges.c.id == pledge_id).values(status="liquidated", closed_at=_now()))
    await _audit(conn, institution_id, "pledge.liquidated", "pledge", pledge_id, {"status": "active"}, {"status": "liquidated", "ltv": str(status.ltv)})
    if call is not None:
        await _close_call(conn, institution_id, call, "liquidated")
    r = await _receipt(conn, institution_id, p.receipt_id, lock=True)
    await _release(conn, institution_id, r.asset_key, p.financing_ref, retire=True)
    await _set_receipt_status(conn, institution_id, r, "liquidated")
    await emit_event(conn, institution_id, "collateral.pledge_liquidated", {"pledge_id": str(pledge_id), "ltv": str(status.ltv)})
    return PledgeStatus(pledge_id, p.currency, int(p.outstanding_minor), status.valuation, status.ltv, "liquidated", True, None)


async def get_pledge(conn: AsyncConnection, institution_id: UUID, pledge_id: UUID) -> dict[str, Any]:
    p = await _pledge(conn, institution_id, pledge_id, lock=False)
    out = dict(p._mapping)
    calls = (await conn.execute(select(financing_margin_calls).where(financing_margin_calls.c.pledge_id == pledge_id).order_by(financing_margin_calls.c.created_at))).all()
    out["margin_calls"] = [_call_dict(c) for c in calls]
    return out


# -- F4: credit insurance ---------------------------------------------------------------------------


async def create_policy(
    conn: AsyncConnection,
    institution_id: UUID,
    customer_id: UUID,
    *,
    policy_number: str,
    insurer: str,
    coverage_ratio: Decimal | str,
    currency: str,
    buyer_limits: Mapping[str, int] | None = None,
    valid_until: date | None = None,
) -> UUID:
    """Record an export credit insurance policy of the customer (the
    insured exporter) with its buyer credit limits."""
    check_currency(currency)
    cov = _ratio(coverage_ratio, "coverage_ratio")
    pid = uuid7()
    await conn.execute(
        financing_insurance_policies.insert().values(
            id=pid, institution_id=institution_id, customer_id=customer_id, insurer=_text(insurer, "insurer", 128),
            policy_number=_text(policy_number, "policy_number", 64), coverage_ratio=str(cov), currency=currency, valid_until=valid_until, created_at=_now(),
        )
    )
    await _audit(conn, institution_id, "policy.created", "policy", pid, None, {"coverage_ratio": str(cov), "currency": currency})
    for buyer, limit in (buyer_limits or {}).items():
        await set_buyer_limit(conn, institution_id, pid, buyer, limit)
    return pid


async def _policy(conn, institution_id, policy_id):
    p = (
        await conn.execute(
            select(financing_insurance_policies).where(financing_insurance_policies.c.id == policy_id, financing_insurance_policies.c.institution_id == institution_id)
        )
    ).first()
    if p is None:
        raise CollateralNotFound("policy", policy_id)
    return p


async def set_buyer_limit(conn: AsyncConnection, institution_id: UUID, policy_id: UUID, buyer_ref: str, limit_minor: int) -> None:
    await _policy(conn, institution_id, policy_id)
    buyer_ref = _text(buyer_ref, "buyer_ref", 128)
    _amount(limit_minor, "limit_minor", positive=False)
    where = and_(financing_buyer_limits.c.policy_id == policy_id, financing_buyer_limits.c.buyer_ref == buyer_ref)
    old = (await conn.execute(select(financing_buyer_limits.c.limit_minor).where(where))).scalar()
    if old is None:
        await conn.execute(
            financing_buyer_limits.insert().values(id=uuid7(), institution_id=institution_id, policy_id=policy_id, buyer_ref=buyer_ref, limit_minor=limit_minor, updated_at=_now())
        )
    else:
        await conn.execute(update(financing_buyer_limits).where(where).values(limit_minor=limit_minor, updated_at=_now()))
    await _audit(conn, institution_id, "policy.buyer_limit_set", "policy", policy_id, {"buyer_ref": buyer_ref, "limit_minor": old}, {"buyer_ref": buyer_ref, "limit_minor": limit_minor})


async def declare_receivable(
    conn: AsyncConnection, institution_id: UUID, policy_id: UUID, *, buyer_ref: str, invoice_number: str, amount_minor: int, due_date: date
) -> UUID:
    """Declare a receivable on a buyer as insured under the policy."""
    p = await _policy(conn, institution_id, policy_id)
    buyer_ref = _text(buyer_ref, "buyer_ref", 128)
    invoice_number = _text(invoice_number, "invoice_number", 64)
    _amount(amount_minor, "amount_minor")
    rid = uuid7()
    await conn.execute(
        financing_insured_receivables.insert().values(
            id=rid, institution_id=institution_id, policy_id=policy_id, buyer_ref=buyer_ref, invoice_number=invoice_number, currency=p.currency,
            amount_minor=amount_minor, due_date=due_date, asset_key=insured_receivable_key(p.insurer, p.policy_number, buyer_ref, invoice_number),
            status="declared", financing_ref=None, covered_minor=None, assigned_to=None, assigned_at=None, created_at=_now(),
        )
    )
    await _audit(conn, institution_id, "receivable.declared", "insured_receivable", rid, None, {"amount_minor": amount_minor, "status": "declared"})
    return rid


async def _receivable(conn, institution_id, receivable_id, *, lock: bool = False):
    q = select(financing_insured_receivables).where(
        financing_insured_receivables.c.id == receivable_id, financing_insured_receivables.c.institution_id == institution_id
    )
    if lock and conn.dialect.name == "postgresql":
        q = q.with_for_update()
    r = (await conn.execute(q)).first()
    if r is None:
        raise CollateralNotFound("insured receivable", receivable_id)
    return r


@dataclass(frozen=True, slots=True)
class InsuredAdvance:
    currency: str
    declared_minor: int
    buyer_limit_minor: int
    #: the buyer's limit not already used by the policy's other financed receivables
    buyer_limit_available_minor: int
    covered_minor: int
    coverage_ratio: Decimal
    advance_rate: Decimal
    max_advance_minor: int


async def insured_advance(conn: AsyncConnection, institution_id: UUID, receivable_id: UUID, *, config: CollateralConfig | None = None) -> InsuredAdvance:
    """At most advance rate × coverage × min(declared receivable, buyer's
    available limit), rounded down."""
    cfg = config or CollateralConfig()
    r = await _receivable(conn, institution_id, receivable_id)
    p = await _policy(conn, institution_id, r.policy_id)
    limit = (
        await conn.execute(
            select(financing_buyer_limits.c.limit_minor).where(financing_buyer_limits.c.policy_id == r.policy_id, financing_buyer_limits.c.buyer_ref == r.buyer_ref)
        )
    ).scalar()
    limit = int(limit or 0)
    used = (
        await conn.execute(
            select(func.coalesce(func.sum(financing_insured_receivables.c.covered_minor), 0)).where(
                financing_insured_receivables.c.policy_id == r.policy_id,
                financing_insured_receivables.c.buyer_ref == r.buyer_ref,
                financing_insured_receivables.c.status == "financed",
                financing_insured_receivables.c.id != r.id,
            )
        )
    ).scalar()
    available = max(0, limit - int(used or 0))
    covered = min(int(r.amount_minor), available)
    cov = Decimal(p.coverage_ratio)
    return InsuredAdvance(p.currency, int(r.amount_minor), limit, available, covered, cov, cfg.insurance_advance_rate, _floor(cfg.insurance_advance_rate * cov * covered))


async def finance_receivable(
    conn: AsyncConnection, institution_id: UUID, receivable_id: UUID, financing_ref: str, *, assignee: str, config: CollateralConfig | None = None
) -> InsuredAdvance:
    """Encumber the insured receivable for ``financing_ref`` and record the
    assignment of the indemnity rights to the lender (``assignee``); the
    lender keeps recourse to the exporter.  Returns the advance cap."""
    _check_ref(financing_ref)
    r = await _receivable(conn, institution_id, receivable_id, lock=True)
    if r.status == "financed":
        raise AssetAlreadyFinanced(INSURED_RECEIVABLE, str(receivable_id))
    if r.status not in ("declared", "released"):
        raise CollateralStateConflict("insured receivable", receivable_id, r.status, ["declared", "released"])
    adv = await insured_advance(conn, institution_id, receivable_id, config=config)
    await encumber(conn, institution_id, r.asset_key, financing_ref, asset_kind=INSURED_RECEIVABLE)
    now = _now()
    await conn.execute(
        update(financing_insured_receivables)
        .where(financing_insured_receivables.c.id == receivable_id)
        .values(status="financed", financing_ref=financing_ref, covered_minor=adv.covered_minor, assigned_to=_text(assignee, "assignee", 128), assigned_at=now)
    )
    await _audit(
        conn, institution_id, "receivable.indemnity_assigned", "insured_receivable", receivable_id, {"status": r.status},
        {"status": "financed", "financing_ref": financing_ref, "assigned_to": assignee, "max_advance_minor": adv.max_advance_minor},
    )
    return adv


async def release_receivable(conn: AsyncConnection, institution_id: UUID, receivable_id: UUID) -> None:
    """The loan is repaid: the receivable and its registry entry are freed."""
    r = await _receivable(conn, institution_id, receivable_id, lock=True)
    if r.status != "financed":
        raise CollateralStateConflict("insured receivable", receivable_id, r.status, ["financed"])
    await _release(conn, institution_id, r.asset_key, r.financing_ref)
    await conn.execute(update(financing_insured_receivables).where(financing_insured_receivables.c.id == receivable_id).values(status="released"))
    await _audit(conn, institution_id, "receivable.released", "insured_receivable", receivable_id, {"status": r.status}, {"status": "released"})


async def file_claim(conn: AsyncConnection, institution_id: UUID, receivable_id: UUID, claimed_minor: int, filed_on: date) -> UUID:
    """File a claim with the insurer on an unpaid insured receivable."""
    _amount(claimed_minor, "claimed_minor")
    r = await _receivable(conn, institution_id, receivable_id, lock=True)
    if r.status not in ("declared", "financed"):
        raise CollateralStateConflict("insured receivable", receivable_id, r.status, ["declared", "financed"])
    if claimed_minor > int(r.amount_minor):
        raise InvalidInput("a claim cannot exceed the receivable", claimed_minor=claimed_minor, amount_minor=int(r.amount_minor))
    cid = uuid7()
    await conn.execute(
        financing_insurance_claims.insert().values(
            id=cid, institution_id=institution_id, receivable_id=receivable_id, filed_on=filed_on, claimed_minor=claimed_minor,
            paid_minor=None, paid_on=None, status="filed", created_at=_now(),
        )
    )
    await _audit(conn, institution_id, "claim.filed", "insurance_claim", cid, None, {"claimed_minor": claimed_minor, "receivable_id": str(receivable_id)})
    return cid


@dataclass(frozen=True, slots=True)
class ClaimPayment:
    claim_id: UUID
    receivable_id: UUID
    currency: str
    paid_minor: int
    #: the financing the indemnity is assigned to (None: paid to the exporter)
    financing_ref: str | None
    assigned_to: str | None


async def record_claim_payment(conn: AsyncConnection, institution_id: UUID, claim_id: UUID, paid_minor: int, paid_on: date) -> ClaimPayment:
    """The insurer paid the claim.  Returns the amount and the financing it
    repays (the indemnity is assigned to the lender): the loans module
    posts it as a repayment."""
    _amount(paid_minor, "paid_minor", positive=False)
    c = (
        await conn.execute(
            select(financing_insurance_claims).where(financing_insurance_claims.c.id == claim_id, financing_insurance_claims.c.institution_id == institution_id)
        )
    ).first()
    if c is None:
        raise CollateralNotFound("insurance claim", claim_id)
    if c.status != "filed":
        raise CollateralStateConflict("insurance claim", claim_id, c.status, ["filed"])
    if paid_minor > int(c.claimed_minor):
        raise InvalidInput("the payment exceeds the claim", paid_minor=paid_minor, claimed_minor=int(c.claimed_minor))
    r = await _receivable(conn, institution_id, c.receivable_id, lock=True)
    await conn.execute(update(financing_insurance_claims).where(financing_insurance_claims.c.id == claim_id).values(paid_minor=paid_minor, paid_on=paid_on, status="paid"))
    await _audit(conn, institution_id, "claim.paid", "insurance_claim", claim_id, {"status": "filed"}, {"status": "paid", "paid_minor": paid_minor})
    await emit_event(
        conn, institution_id, "collateral.claim_paid",
        {"claim_id": str(claim_id), "receivable_id": str(r.id), "paid_minor": paid_minor, "currency": r.currency, "financing_ref": r.financing_ref},
    )
    financed = r.status == "financed"
    return ClaimPayment(claim_id, r.id, r.currency, paid_minor, r.financing_ref if financed else None, r.assigned_to if financed else None)
