"""Financing products per institution and the LPR table (F2–F4, F6).

A product fixes the kind of financing, its currency, limits (advance rate,
LTV, tenor), pricing (a fixed annual rate, or for CNY an LPR tenor plus a
spread in basis points, repriced on each LPR date), the day-count convention
(default from the currency), fees, the repayment waterfall, the sweep rate
of order loans, the penalty rate and the days-past-due buckets.  Every
number is configuration with a default, never a literal in the rules.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ledger import errors as E
from ledger.clock import utc_now
from ledger.ids import uuid7
from ledger.money import currency as check_currency

from . import daycount, schedules
from .kinds import KINDS, PRODUCT_KINDS, product_kind
from .tables_loans import financing_lpr_rates, financing_products

COMPONENTS = ("penalty", "interest", "fees", "principal")
LPR_TENORS = ("1y", "5y")
DEFAULT_BUCKETS: list[list[Any]] = [["1-30", 1, 30], ["31-60", 31, 60], ["61-90", 61, 90], ["90+", 91, None]]


class ProductInvalid(E.InvalidInput):
    code = "product_invalid"
    title = "Invalid financing product"


class RateMissing(E.LedgerError):
    code = "lpr_missing"
    status = 422
    title = "No loan prime rate"


@dataclass
class Product:
    id: UUID
    institution_id: UUID
    code: str
    kind: str
    currency: str
    advance_rate: Decimal = Decimal("0.70")
    max_ltv: Decimal | None = None
    min_tenor_days: int = 1
    max_tenor_days: int = 180
    fixed_rate: Decimal | None = None  # annual, e.g. Decimal("0.073")
    lpr_tenor: str | None = None  # "1y" | "5y" (CNY)
    spread_bp: int = 0
    day_count: str = ""
    arrangement_fee_bp: int = 0
    waterfall: list[str] = field(default_factory=lambda: list(COMPONENTS))
    sweep_waterfall: list[str] | None = None  # default: the waterfall
    sweep_rate: Decimal = Decimal("0.20")
    min_repayment_bp_per_30d: int = 0  # order loans: minimum repaid per 30 days, bp of principal (0 = none)
    penalty_rate: Decimal = Decimal("0")  # annual, on overdue principal
    dpd_buckets: list[list[Any]] = field(default_factory=lambda: [list(b) for b in DEFAULT_BUCKETS])
    npl_from_bucket: str = "90+"
    #: repayment schedule (financing.schedules): bullet | equal_principal | equal_instalment
    schedule_method: str = "bullet"
    #: after a partial or early repayment: reduce_instalment | shorten_term
    prepayment_rule: str = "reduce_instalment"
    created_at: datetime | None = None

    def config(self) -> dict[str, Any]:
        d = asdict(self)
        for k in ("id", "institution_id", "code", "kind", "currency", "created_at"):
            d.pop(k)
        return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in d.items()}

    def bucket(self, dpd: int) -> str | None:
        """The DPD bucket of ``dpd`` days past due (None when current)."""
        for name, lo, hi in self.dpd_buckets:
            if dpd >= lo and (hi is None or dpd <= hi):
                return str(name)
        return None

    def minimum_repayment_bp(self) -> int:
        """The minimum repayment per 30 days (bp of principal) that applies
        to this product's loans (0: none; by its kind)."""
        return product_kind(self.kind).minimum_repayment_bp(self.min_repayment_bp_per_30d)

    def is_npl(self, bucket: str | None) -> bool:
        names = [b[0] for b in self.dpd_buckets]
        return bucket is not None and bucket in names and names.index(bucket) >= names.index(self.npl_from_bucket)


_DECIMALS = ("advance_rate", "max_ltv", "fixed_rate", "sweep_rate", "penalty_rate")


def _dec(v: Any, name: str) -> Decimal | None:
    if v is None:
        return None
    if isinstance(v, float):
        raise ProductInvalid(f"{name} must be a decimal string, not a float", field=name)
    try:
        d = Decimal(str(v))
    except InvalidOperation:
        raise ProductInvalid(f"{name} must be a decimal", field=name) from None
    if not d.is_finite() or d < 0:
        raise ProductInvalid(f"{name} must be zero or positive", field=name)
    return d


def _check_kind_and_currency(p: Product) -> None:
    if p.kind not in PRODUCT_KINDS:
        raise ProductInvalid(f"kind must be one of {', '.join(KINDS)}", field="kind")
    try:
        check_currency(p.currency)
    except E.LedgerError:
        raise ProductInvalid(f"unknown currency {p.currency!r}", field="currency") from None


def _check_rates(p: Product) -> None:
    for n in _DECIMALS:
        setattr(p, n, _dec(getattr(p, n), n))
    if p.advance_rate is None or not (0 < p.advance_rate <= 1):
        raise ProductInvalid("advance rate must be in (0, 1]", field="advance_rate")
    if p.sweep_rate is None or not (0 <= p.sweep_rate <= 1):
        raise ProductInvalid("sweep rate must be in [0, 1]", field="sweep_rate")
    if p.penalty_rate is None:
        p.penalty_rate = Decimal("0")


def _check_pricing(p: Product) -> None:
    if (p.fixed_rate is None) == (p.lpr_tenor is None):
        raise ProductInvalid("price with either a fixed annual rate or an LPR tenor plus spread", field="pricing")
    if p.lpr_tenor is not None:
        if p.lpr_tenor not in LPR_TENORS:
            raise ProductInvalid("LPR tenor must be 1y or 5y", field="lpr_tenor")
        if p.currency != "CNY":
            raise ProductInvalid("LPR pricing is for CNY products", field="lpr_tenor")


def _check_terms(p: Product) -> None:
    if not isinstance(p.min_repayment_bp_per_30d, int) or not (0 <= p.min_repayment_bp_per_30d <= 10000):
        raise ProductInvalid("minimum repayment per 30 days is 0..10000 basis points", field="min_repayment_bp_per_30d")
    if not isinstance(p.spread_bp, int) or not isinstance(p.arrangement_fee_bp, int) or p.arrangement_fee_bp < 0:
        raise ProductInvalid("spread and fees are integers in basis points", field="spread_bp")
    if not (isinstance(p.min_tenor_days, int) and isinstance(p.max_tenor_days, int) and 1 <= p.min_tenor_days <= p.max_tenor_days):
        raise ProductInvalid("tenor limits must satisfy 1 <= min <= max days", field="max_tenor_days")
    if p.schedule_method not in schedules.METHODS:
        raise ProductInvalid(f"schedule_method must be one of {', '.join(schedules.METHODS)}", field="schedule_method")
    if p.prepayment_rule not in schedules.PREPAYMENT_RULES:
        raise ProductInvalid(f"prepayment_rule must be one of {', '.join(schedules.PREPAYMENT_RULES)}", field="prepayment_rule")
    if p.schedule_method != "bullet" and p.min_tenor_days < schedules.DAYS_PER_INSTALMENT:
        raise ProductInvalid(f"an instalment schedule needs a minimum tenor of at least {schedules.DAYS_PER_INSTALMENT} days", field="min_tenor_days")
    p.day_count = p.day_count or daycount.default_convention(p.currency)
    try:
        daycount.check_convention(p.day_count)
    except ValueError as exc:
        raise ProductInvalid(str(exc), field="day_count") from None


def _check_waterfalls_and_buckets(p: Product) -> None:
    for name in ("waterfall", "sweep_waterfall"):
        wf = getattr(p, name)
        if wf is not None and sorted(wf) != sorted(COMPONENTS):
            raise ProductInvalid(f"{name} must order exactly {', '.join(COMPONENTS)}", field=name)
    names = [b[0] for b in p.dpd_buckets]
    if p.npl_from_bucket not in names:
        raise ProductInvalid("npl_from_bucket must name a DPD bucket", field="npl_from_bucket")


def validate(p: Product) -> Product:
    """Check (and normalise) a product's settings; then its kind's own rules."""
    _check_kind_and_currency(p)
    _check_rates(p)
    _check_pricing(p)
    _check_terms(p)
    _check_waterfalls_and_buckets(p)
    product_kind(p.kind).validate_config(p.config())
    return p


def _from_row(row: Any) -> Product:
    cfg = dict(row.config)
    for n in _DECIMALS:
        if cfg.get(n) is not None:
            cfg[n] = Decimal(cfg[n])
    return Product(id=row.id, institution_id=row.institution_id, code=row.code, kind=row.kind, currency=row.currency, created_at=row.created_at, **cfg)


async def create_product(engine: AsyncEngine, institution_id: UUID, *, code: str, kind: str, currency: str, **config: Any) -> Product:
    """Configure a product.  ``config``: any :class:`Product` setting.
    Raises :class:`ProductInvalid`, ``Conflict`` (code taken)."""
    p = _new_product(institution_id, code=code, kind=kind, currency=currency, **config)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                financing_products.insert().values(id=p.id, institution_id=institution_id, code=code, kind=kind, currency=currency, config=p.config(), created_at=p.created_at)
            )
    except IntegrityError:
        raise E.Conflict(f"product code {code!r} already exists", code_taken=code) from None
    return p


def _new_product(institution_id: UUID, *, code: str, kind: str, currency: str, **config: Any) -> Product:
    unknown = set(config) - (set(Product.__dataclass_fields__) - {"id", "institution_id", "code", "kind", "currency", "created_at"})
    if unknown:
        raise ProductInvalid(f"unknown product settings: {', '.join(sorted(unknown))}", field=sorted(unknown)[0])
    if not code or len(code) > 64:
        raise ProductInvalid("code must be 1..64 characters", field="code")
    return validate(Product(id=uuid7(), institution_id=institution_id, code=code, kind=kind, currency=currency, created_at=utc_now(), **config))


async def check_new_product(engine: AsyncEngine, institution_id: UUID, *, code: str, kind: str, currency: str, **config: Any) -> None:
    """What :func:`create_product` would refuse, without creating it (a
    product proposed under four eyes is checked when proposed).  Raises
    :class:`ProductInvalid`, ``Conflict`` (code taken)."""
    _new_product(institution_id, code=code, kind=kind, currency=currency, **config)
    async with engine.connect() as conn:
        taken = (await conn.execute(select(financing_products.c.id).where(financing_products.c.institution_id == institution_id, financing_products.c.code == code))).first()
    if taken is not None:
        raise E.Conflict(f"product code {code!r} already exists", code_taken=code)


async def get_product(db: AsyncEngine | AsyncConnection, institution_id: UUID, product_id: UUID) -> Product:
    stmt = select(financing_products).where(financing_products.c.id == product_id, financing_products.c.institution_id == institution_id)
    if isinstance(db, AsyncConnection):
        row = (await db.execute(stmt)).first()
    else:
        async with db.connect() as conn:
            row = (await conn.execute(stmt)).first()
    if row is None:
        raise E.NotFound("product", product_id)
    return _from_row(row)


async def list_products(engine: AsyncEngine, institution_id: UUID, *, after: str | None = None, limit: int | None = None) -> list[Product]:
    """The institution's products in code order; a keyset page with
    ``after`` (the last code seen) and ``limit``."""
    stmt = select(financing_products).where(financing_products.c.institution_id == institution_id)
    if after is not None:
        stmt = stmt.where(financing_products.c.code > after)
    stmt = stmt.order_by(financing_products.c.code)
    if limit is not None:
        stmt = stmt.limit(limit)
    async with engine.connect() as conn:
        rows = (await conn.execute(stmt)).all()
    return [_from_row(r) for r in rows]


async def set_lpr(engine: AsyncEngine, institution_id: UUID, tenor: str, effective_date: date, rate: Decimal) -> None:
    """Record the loan prime rate of ``tenor`` published for ``effective_date``
    (replaces a rate already recorded for that date)."""
    checked = check_lpr(tenor, rate)
    async with engine.begin() as conn:
        key = (financing_lpr_rates.c.institution_id == institution_id) & (financing_lpr_rates.c.tenor == tenor) & (financing_lpr_rates.c.effective_date == effective_date)
        await conn.execute(financing_lpr_rates.delete().where(key))
        await conn.execute(
            financing_lpr_rates.insert().values(id=uuid7(), institution_id=institution_id, tenor=tenor, effective_date=effective_date, rate=str(checked), created_at=utc_now())
        )


def check_lpr(tenor: str, rate: Decimal) -> Decimal:
    """The rate :func:`set_lpr` would record; raises :class:`ProductInvalid`."""
    if tenor not in LPR_TENORS:
        raise ProductInvalid("LPR tenor must be 1y or 5y", field="tenor")
    checked = _dec(rate, "rate")
    if checked is None:
        raise ProductInvalid("rate is required", field="rate")
    return checked


async def lpr_table(db: AsyncEngine | AsyncConnection, institution_id: UUID, tenor: str) -> list[tuple[date, Decimal]]:
    stmt = select(financing_lpr_rates.c.effective_date, financing_lpr_rates.c.rate).where(
        financing_lpr_rates.c.institution_id == institution_id, financing_lpr_rates.c.tenor == tenor
    ).order_by(financing_lpr_rates.c.effective_date)
    if isinstance(db, AsyncConnection):
        rows = (await db.execute(stmt)).all()
    else:
        async with db.connect() as conn:
            rows = (await conn.execute(stmt)).all()
    return [(r.effective_date, Decimal(r.rate)) for r in rows]


class RateSchedule:
    """The annual rate of a product on any day: the fixed rate, or the LPR
    in force that day (the latest published on or before it) plus the
    spread: repriced on each LPR date."""

    def __init__(self, product: Product, lpr: list[tuple[date, Decimal]] | None = None) -> None:
        self.product = product
        self.lpr = sorted(lpr or [])

    def __call__(self, day: date) -> Decimal:
        p = self.product
        if p.fixed_rate is not None:
            return p.fixed_rate
        rate = None
        for d, r in self.lpr:
            if d <= day:
                rate = r
            else:
                break
        if rate is None:
            raise RateMissing(f"no {p.lpr_tenor} LPR in force on {day}", tenor=p.lpr_tenor, day=str(day))
        return rate + Decimal(p.spread_bp) / Decimal(10000)


async def rate_schedule(db: AsyncEngine | AsyncConnection, product: Product) -> RateSchedule:
    lpr = await lpr_table(db, product.institution_id, product.lpr_tenor) if product.lpr_tenor else []
    return RateSchedule(product, lpr)
