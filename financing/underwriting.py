"""Underwriting (F1): a score with reason codes and a limit from the
merchant's platform trade data over the trailing 12 months, the credit
negative list (信用负面清单, a hard decline) and the existing exposure.

Three steps, each usable on its own:

* :func:`compute_features` reads the trade-data tables and returns the
  :class:`Features` (integers in minor units, ``Decimal`` ratios);
* :func:`score` applies a transparent, versioned points scorecard
  (:class:`ScoringModel`) to the features and returns the :class:`Decision`
  (pure: no database, no clock);
* :func:`underwrite` does both, stores the decision with its inputs, the
  model (version and parameters), score, points, reasons and limit in
  ``financing_underwriting_decisions`` and writes an audit entry.
  :func:`replay_decision` recomputes a stored decision from its STORED
  inputs and model and :func:`same_decision` compares two decisions.

No floats anywhere: money in integer minor units, ratios as ``Decimal``
quantized to 4 places (half-up), stored as decimal strings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ledger.clock import add_months, utc_now
from ledger.db import run_in_transaction
from ledger.errors import InvalidInput, NotFound
from ledger.events import emit_event, record_audit
from ledger.ids import uuid7
from ledger.money import currency as check_currency
from ledger.money import exponent, format_minor
from settlement.customers import CustomerNotFound
from settlement.tables_customers import customers
from settlement.tables_tradedata import trade_orders, trade_refunds, trade_waybills

from .tables_underwriting import financing_underwriting_decisions as decisions_t

APPROVE, REFER, DECLINE = "approve", "refer", "decline"

# reason codes (adverse, in the order of the scorecard's characteristics)
NEGATIVE_LIST = "NEGATIVE_LIST"
LOW_SALES = "LOW_SALES"
DECLINING_SALES = "DECLINING_SALES"
HIGH_RETURN_RATE = "HIGH_RETURN_RATE"
HIGH_DISPUTE_RATE = "HIGH_DISPUTE_RATE"
POOR_SHIPMENT = "POOR_SHIPMENT"
SHORT_HISTORY = "SHORT_HISTORY"
HIGH_CONCENTRATION = "HIGH_CONCENTRATION"
HIGH_MISMATCH_RATE = "HIGH_MISMATCH_RATE"
EXPOSURE_LIMIT = "EXPOSURE_LIMIT"

RATIO_PLACES = Decimal("0.0001")
WINDOW_MONTHS = 12


class DecisionNotFound(NotFound):
    code = "underwriting_decision_not_found"
    title = "Underwriting decision not found"

    def __init__(self, ref: object) -> None:
        super().__init__("underwriting decision", ref)


def _ratio(num: int, den: int) -> Decimal | None:
    if den <= 0:
        return None
    return (Decimal(num) / Decimal(den)).quantize(RATIO_PLACES, rounding=ROUND_HALF_UP)


# -- features -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Features:
    """What the scorecard reads, for one merchant, one currency and one day.

    The window is the trailing 12 calendar months ending ``as_of``:
    ``window_start < order_date <= as_of`` with ``window_start = as_of - 12
    months``.  Month ``i`` of ``monthly_net_sales_minor`` (0 = oldest, 11 =
    the month ending ``as_of``) covers ``(as_of - (12-i) months, as_of -
    (11-i) months]``.  Only orders in ``currency`` count (the order
    currency; by default the one with the largest matched sales).  The
    three-document match status is the one at the time of computation;
    refunds count if ``refunded_on <= as_of``, waybills if ``shipped_on <=
    as_of``.
    """

    customer_id: str
    as_of: date
    window_start: date
    #: the order currency every amount below is in (None: no order in the window)
    currency: str | None
    #: orders of the window in ``currency``, any match status
    order_count: int
    #: three-document matched orders of the window in ``currency``
    matched_count: int
    #: orders whose match status is ``mismatched``
    mismatched_count: int
    #: sum of the matched orders' amounts
    gross_sales_minor: int
    #: refunds of every kind (return, refund, chargeback) applied to those orders, by ``as_of``
    refunds_minor: int
    #: the chargeback part of ``refunds_minor``
    chargebacks_minor: int
    #: gross_sales - refunds, per month (refunds in the month of their order)
    monthly_net_sales_minor: tuple[int, ...]
    #: matched orders shipped (earliest waybill) within ``on_time_days`` of the order date
    shipped_on_time_count: int
    on_time_days: int
    #: the merchant's first order (any currency or status) on or before ``as_of``
    first_order_date: date | None
    #: matched gross sales of the biggest destination country (orders without one are left out)
    top_destination: str | None
    top_destination_sales_minor: int
    known_destination_sales_minor: int
    negative_listed: bool
    negative_list_reason: str | None

    # -- derived (each defined exactly) --

    @property
    def net_sales_minor(self) -> int:
        """Matched sales net of refunds over the 12 months."""
        return self.gross_sales_minor - self.refunds_minor

    @property
    def avg_monthly_sales_minor(self) -> int:
        """Net sales / 12, floored to the minor unit (always over 12 months,
        even for a younger shop: a short history is not annualised up)."""
        return max(0, self.net_sales_minor) // WINDOW_MONTHS

    @property
    def growth(self) -> Decimal | None:
        """Net sales of the last 3 months / the 3 months before, minus 1
        (None when the 3 months before had no net sales)."""
        last3 = sum(self.monthly_net_sales_minor[9:12])
        prev3 = sum(self.monthly_net_sales_minor[6:9])
        r = _ratio(last3, prev3)
        return None if r is None else r - 1

    @property
    def return_rate(self) -> Decimal | None:
        """Refunds of every kind / gross matched sales."""
        return _ratio(self.refunds_minor, self.gross_sales_minor)

    @property
    def dispute_rate(self) -> Decimal | None:
        """Chargebacks / gross matched sales."""
        return _ratio(self.chargebacks_minor, self.gross_sales_minor)

    @property
    def on_time_rate(self) -> Decimal | None:
        """Matched orders shipped within ``on_time_days`` / matched orders."""
        return _ratio(self.shipped_on_time_count, self.matched_count)

    @property
    def shop_age_days(self) -> int:
        """Days from the first order to ``as_of`` (0 without orders)."""
        return 0 if self.first_order_date is None else (self.as_of - self.first_order_date).days

    @property
    def buyer_concentration(self) -> Decimal | None:
        """Share of the biggest destination country in the matched sales
        with a known destination (the trade data carry no buyer id; the
        order's ``destination_country`` stands for the buyer market).  None
        when no matched order has a destination."""
        return _ratio(self.top_destination_sales_minor, self.known_destination_sales_minor)

    @property
    def mismatch_rate(self) -> Decimal | None:
        """Orders whose three-document match is ``mismatched`` / all orders
        of the window (``partial`` ones are not counted as mismatched)."""
        return _ratio(self.mismatched_count, self.order_count)

    def derived(self) -> dict[str, Any]:
        def s(v: Decimal | None) -> str | None:
            return None if v is None else str(v)

        return {
            "net_sales_minor": self.net_sales_minor, "avg_monthly_sales_minor": self.avg_monthly_sales_minor, "growth": s(self.growth),
            "return_rate": s(self.return_rate), "dispute_rate": s(self.dispute_rate), "on_time_rate": s(self.on_time_rate),
            "shop_age_days": self.shop_age_days, "buyer_concentration": s(self.buyer_concentration), "mismatch_rate": s(self.mismatch_rate),
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe: the stored inputs (the raw counts and sums; the derived
        values are added for readers, never read back)."""
        out: dict[str, Any] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, date):
                v = v.isoformat()
            elif isinstance(v, tuple):
                v = list(v)
            out[f.name] = v
        out["derived"] = self.derived()
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Features:
        kw: dict[str, Any] = {}
        for f in fields(cls):
            v = d[f.name]
            if f.name in ("as_of", "window_start", "first_order_date") and v is not None:
                v = date.fromisoformat(v)
            elif f.name == "monthly_net_sales_minor":
                v = tuple(int(x) for x in v)
            kw[f.name] = v
        return cls(**kw)


def _pick_currency(rows: Sequence[Any]) -> str | None:
    """The currency with the largest matched gross sales (ties alphabetically)."""
    by_cur: dict[str, int] = {}
    for r in rows:
        by_cur.setdefault(r.currency, 0)
        if r.match_status == "matched":
            by_cur[r.currency] += int(r.amount_minor)
    return sorted(by_cur.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] if by_cur else None


@dataclass(frozen=True)
class _Window:
    institution_id: UUID
    customer_id: UUID
    as_of: date
    start: date
    currency: str | None


async def _refunds(conn: AsyncConnection, w: _Window, matched_ids: set[UUID]) -> tuple[dict[UUID, int], int]:
    """Refunds applied to the matched orders by ``as_of``, per order, and the chargebacks among them."""
    rf, o = trade_refunds.c, trade_orders.c
    q = (
        select(rf.order_id, rf.kind, func.sum(rf.applied_minor))
        .join(trade_orders, trade_orders.c.id == rf.order_id)
        .where(
            rf.institution_id == w.institution_id, o.customer_id == w.customer_id, o.order_date > w.start, o.order_date <= w.as_of,
            rf.refunded_on <= w.as_of, o.currency == w.currency,
        )
        .group_by(rf.order_id, rf.kind)
    )
    refunds: dict[UUID, int] = {}
    chargebacks = 0
    for order_id, kind, amount in await conn.execute(q):
        if order_id not in matched_ids:
            continue
        refunds[order_id] = refunds.get(order_id, 0) + int(amount or 0)
        if kind == "chargeback":
            chargebacks += int(amount or 0)
    return refunds, chargebacks


async def _first_shipments(conn: AsyncConnection, w: _Window) -> dict[tuple[str, str], date]:
    """The earliest waybill per order (shipped by ``as_of``)."""
    wb, o = trade_waybills.c, trade_orders.c
    q = (
        select(wb.platform_code, wb.order_external_id, func.min(wb.shipped_on))
        .join(trade_orders, (o.institution_id == wb.institution_id) & (o.platform_code == wb.platform_code) & (o.external_id == wb.order_external_id))
        .where(
            wb.institution_id == w.institution_id, o.customer_id == w.customer_id, o.order_date > w.start, o.order_date <= w.as_of,
            wb.shipped_on <= w.as_of, o.currency == w.currency,
        )
        .group_by(wb.platform_code, wb.order_external_id)
    )
    return {(p, ext): shipped for p, ext, shipped in await conn.execute(q)}


@dataclass
class _Sales:
    monthly: list[int]
    gross: int = 0
    on_time: int = 0
    dest: dict[str, int] = field(default_factory=dict)


def _sales(matched: Sequence[Any], bounds: list[date], refunds: dict[UUID, int], first_ship: dict[tuple[str, str], date], on_time_days: int) -> _Sales:
    out = _Sales([0] * WINDOW_MONTHS)
    for r in matched:
        amount = int(r.amount_minor)
        out.gross += amount
        # month index: the k with bounds[k+1] < order_date <= bounds[k]
        k = next(k for k in range(WINDOW_MONTHS) if r.order_date > bounds[k + 1])
        out.monthly[WINDOW_MONTHS - 1 - k] += amount - refunds.get(r.id, 0)
        shipped = first_ship.get((r.platform_code, r.external_id))
        if shipped is not None and (shipped - r.order_date).days <= on_time_days:
            out.on_time += 1
        if r.destination_country:
            out.dest[r.destination_country] = out.dest.get(r.destination_country, 0) + amount
    return out


async def _negative_list(conn: AsyncConnection, institution_id: UUID, customer_id: UUID) -> Any:
    cust = (
        await conn.execute(
            select(customers.c.negative_listed, customers.c.negative_list_reason).where(
                customers.c.id == customer_id, customers.c.institution_id == institution_id
            )
        )
    ).first()
    if cust is None:
        raise CustomerNotFound(customer_id)
    return cust


async def compute_features(
    conn: AsyncConnection,
    institution_id: UUID,
    customer_id: UUID,
    as_of: date,
    *,
    currency: str | None = None,
    on_time_days: int = 3,
) -> Features:
    """The :class:`Features` of a merchant from the trade-data tables (see
    the class and its properties for the exact definitions).  ``currency``
    picks the order currency (default: the currency with the largest matched
    gross sales in the window, ties alphabetically; orders in other
    currencies are left out).  Raises :class:`CustomerNotFound` for a
    customer of another institution."""
    if on_time_days < 0:
        raise InvalidInput("on_time_days must not be negative", on_time_days=on_time_days)
    if currency is not None:
        check_currency(currency)
    cust = await _negative_list(conn, institution_id, customer_id)
    bounds = [add_months(as_of, -k) for k in range(WINDOW_MONTHS + 1)]  # bounds[k] = as_of - k months
    start = bounds[WINDOW_MONTHS]
    o = trade_orders.c
    rows = (
        await conn.execute(
            select(o.id, o.platform_code, o.external_id, o.currency, o.amount_minor, o.order_date, o.match_status, o.destination_country).where(
                o.institution_id == institution_id, o.customer_id == customer_id, o.order_date > start, o.order_date <= as_of
            )
        )
    ).all()
    if currency is None:
        currency = _pick_currency(rows)
    rows = [r for r in rows if r.currency == currency]
    matched = [r for r in rows if r.match_status == "matched"]
    w = _Window(institution_id, customer_id, as_of, start, currency)
    refunds, chargebacks = await _refunds(conn, w, {r.id for r in matched}) if matched else ({}, 0)
    first_ship = await _first_shipments(conn, w) if matched else {}
    sales = _sales(matched, bounds, refunds, first_ship, on_time_days)
    top = sorted(sales.dest.items(), key=lambda kv: (-kv[1], kv[0]))[0] if sales.dest else (None, 0)
    first_order = (
        await conn.execute(
            select(func.min(o.order_date)).where(o.institution_id == institution_id, o.customer_id == customer_id, o.order_date <= as_of)
        )
    ).scalar()
    return Features(
        customer_id=str(customer_id),
        as_of=as_of,
        window_start=start,
        currency=currency,
        order_count=len(rows),
        matched_count=len(matched),
        mismatched_count=sum(1 for r in rows if r.match_status == "mismatched"),
        gross_sales_minor=sales.gross,
        refunds_minor=sum(refunds.values()),
        chargebacks_minor=chargebacks,
        monthly_net_sales_minor=tuple(sales.monthly),
        shipped_on_time_count=sales.on_time,
        on_time_days=on_time_days,
        first_order_date=first_order,
        top_destination=top[0],
        top_destination_sales_minor=top[1],
        known_destination_sales_minor=sum(sales.dest.values()),
        negative_listed=bool(cust.negative_listed),
        negative_list_reason=cust.negative_list_reason,
    )


# -- the scorecard ----------------------------------------------------------------------------

#: a band: (bound, points, reason code or None).  For "higher is better"
#: characteristics a value >= bound gets the band (bands from the highest
#: bound down); for "lower is better" ones a value <= bound does (from the
#: lowest bound up).  The last band's bound is None: everything else.
Band = tuple[Decimal | None, int, str | None]


def _bands(*items: tuple[str | None, int, str | None]) -> tuple[Band, ...]:
    return tuple((None if b is None else Decimal(b), p, r) for b, p, r in items)


@dataclass(frozen=True)
class ScoringModel:
    """A points scorecard: each characteristic's value falls in one band,
    which gives points and possibly an adverse reason code; the score is the
    sum.  ``approve_min`` / ``refer_min`` cut the score into approve / refer
    / decline; the gross limit is ``limit multiple(score) x average monthly
    sales`` (floored), the limit that minus the existing exposure, never
    below zero.  Sales bands are in major units of the order currency."""

    version: str
    #: average monthly net sales (major units): higher is better
    sales: tuple[Band, ...]
    #: growth ratio (0.10 = +10 %): higher is better; None -> growth_unknown_points
    growth: tuple[Band, ...]
    growth_unknown_points: int
    #: lower is better
    return_rate: tuple[Band, ...]
    dispute_rate: tuple[Band, ...]
    #: higher is better; None (no matched order) -> the lowest band
    on_time_rate: tuple[Band, ...]
    #: days, higher is better
    shop_age: tuple[Band, ...]
    #: lower is better; None (no destination known) -> concentration_unknown_points
    concentration: tuple[Band, ...]
    concentration_unknown_points: int
    mismatch_rate: tuple[Band, ...]
    approve_min: int
    refer_min: int
    #: (score at least, multiple of average monthly sales), highest first
    limit_multiples: tuple[tuple[int, Decimal], ...]
    #: days from order to first waybill that count as on time
    on_time_days: int = 3

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if isinstance(v, tuple):
                v = [[None if x is None else str(x) if isinstance(x, Decimal) else x for x in item] for item in v]
            out[f.name] = v
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> ScoringModel:
        kw: dict[str, Any] = {}
        for f in fields(cls):
            v = d[f.name]
            if f.name == "limit_multiples":
                v = tuple((int(s), Decimal(m)) for s, m in v)
            elif isinstance(v, list):
                v = tuple((None if b is None else Decimal(b), int(p), r) for b, p, r in v)
            kw[f.name] = v
        return cls(**kw)


DEFAULT_MODEL = ScoringModel(
    version="f1-scorecard-1.0",
    sales=_bands(("100000", 220, None), ("20000", 180, None), ("5000", 120, None), ("1000", 60, None), (None, 0, LOW_SALES)),
    growth=_bands(("0.20", 80, None), ("0", 60, None), ("-0.20", 30, None), (None, 0, DECLINING_SALES)),
    growth_unknown_points=40,
    return_rate=_bands(("0.03", 100, None), ("0.08", 70, None), ("0.15", 30, None), (None, 0, HIGH_RETURN_RATE)),
    dispute_rate=_bands(("0.005", 80, None), ("0.01", 50, None), ("0.02", 20, None), (None, 0, HIGH_DISPUTE_RATE)),
    on_time_rate=_bands(("0.95", 100, None), ("0.85", 70, None), ("0.70", 30, None), (None, 0, POOR_SHIPMENT)),
    shop_age=_bands(("730", 100, None), ("365", 80, None), ("180", 40, None), (None, 0, SHORT_HISTORY)),
    concentration=_bands(("0.50", 100, None), ("0.80", 50, None), (None, 0, HIGH_CONCENTRATION)),
    concentration_unknown_points=50,
    mismatch_rate=_bands(("0.02", 100, None), ("0.05", 60, None), ("0.10", 20, None), (None, 0, HIGH_MISMATCH_RATE)),
    approve_min=600,
    refer_min=450,
    limit_multiples=((750, Decimal("3")), (650, Decimal("2")), (600, Decimal("1.5")), (450, Decimal("1"))),
    on_time_days=3,
)

#: the models by version (replay uses the parameters stored with the decision)
MODELS: dict[str, ScoringModel] = {DEFAULT_MODEL.version: DEFAULT_MODEL}


def _higher(value: Decimal | None, bands: Sequence[Band]) -> tuple[int, str | None]:
    if value is not None:
        for bound, points, reason in bands:
            if bound is None or value >= bound:
                return points, reason
    _b, points, reason = bands[-1]
    return points, reason


def _lower(value: Decimal | None, bands: Sequence[Band]) -> tuple[int, str | None]:
    if value is not None:
        for bound, points, reason in bands:
            if bound is None or value <= bound:
                return points, reason
    _b, points, reason = bands[-1]
    return points, reason


@dataclass(frozen=True)
class Decision:
    """An underwriting decision.  ``reasons`` are the adverse reason codes,
    ``NEGATIVE_LIST`` first when it applies, then in scorecard order, then
    ``EXPOSURE_LIMIT``.  ``id`` / ``decided_by`` / ``created_at`` are set
    once stored."""

    customer_id: str
    as_of: date
    currency: str | None
    model_version: str
    score: int
    points: dict[str, int]
    decision: str
    reasons: tuple[str, ...]
    gross_limit_minor: int
    existing_exposure_minor: int
    limit_minor: int
    features: Features
    id: UUID | None = None
    decided_by: str | None = None
    created_at: datetime | None = None

    def public(self) -> dict[str, Any]:
        return {
            "id": None if self.id is None else str(self.id), "customer_id": self.customer_id, "as_of": self.as_of.isoformat(), "currency": self.currency,
            "model_version": self.model_version, "score": self.score, "points": dict(self.points), "decision": self.decision,
            "reasons": list(self.reasons), "gross_limit_minor": self.gross_limit_minor, "existing_exposure_minor": self.existing_exposure_minor,
            "limit_minor": self.limit_minor, "features": self.features.to_dict(), "decided_by": self.decided_by,
            "created_at": None if self.created_at is None else self.created_at.isoformat(),
        }


def score(features: Features, model: ScoringModel = DEFAULT_MODEL, *, existing_exposure_minor: int = 0) -> Decision:
    """Apply the scorecard: pure and deterministic (the same features,
    model and exposure always give the same decision)."""
    if isinstance(existing_exposure_minor, bool) or not isinstance(existing_exposure_minor, int) or existing_exposure_minor < 0:
        raise InvalidInput("existing_exposure_minor must be a non-negative integer", existing_exposure_minor=str(existing_exposure_minor))
    exp = exponent(features.currency) if features.currency else 0
    avg = features.avg_monthly_sales_minor
    points: dict[str, int] = {}
    adverse: list[str] = []

    def put(name: str, result: tuple[int, str | None]) -> None:
        points[name] = result[0]
        if result[1] is not None:
            adverse.append(result[1])

    put("sales", _higher(Decimal(avg).scaleb(-exp), model.sales))
    g = features.growth
    put("growth", (model.growth_unknown_points, None) if g is None else _higher(g, model.growth))
    put("return_rate", _lower(features.return_rate if features.return_rate is not None else Decimal(0), model.return_rate))
    put("dispute_rate", _lower(features.dispute_rate if features.dispute_rate is not None else Decimal(0), model.dispute_rate))
    put("on_time_rate", _higher(features.on_time_rate, model.on_time_rate))
    put("shop_age", _higher(Decimal(features.shop_age_days), model.shop_age))
    c = features.buyer_concentration
    put("concentration", (model.concentration_unknown_points, None) if c is None else _lower(c, model.concentration))
    put("mismatch_rate", _lower(features.mismatch_rate if features.mismatch_rate is not None else Decimal(0), model.mismatch_rate))
    total = sum(points.values())

    reasons: list[str] = []
    if features.negative_listed:
        outcome = DECLINE
        reasons.append(NEGATIVE_LIST)
    elif total >= model.approve_min:
        outcome = APPROVE
    elif total >= model.refer_min:
        outcome = REFER
    else:
        outcome = DECLINE
    reasons += adverse
    multiple = Decimal(0)
    if outcome != DECLINE:
        for at_least, m in model.limit_multiples:
            if total >= at_least:
                multiple = m
                break
    gross_limit = int((multiple * Decimal(avg)).to_integral_value(rounding=ROUND_FLOOR))
    limit = max(0, gross_limit - existing_exposure_minor)
    if outcome != DECLINE and existing_exposure_minor > 0:
        reasons.append(EXPOSURE_LIMIT)
        if limit == 0:
            outcome = DECLINE  # no headroom left
    return Decision(
        customer_id=features.customer_id, as_of=features.as_of, currency=features.currency, model_version=model.version, score=total,
        points=points, decision=outcome, reasons=tuple(reasons), gross_limit_minor=gross_limit, existing_exposure_minor=existing_exposure_minor,
        limit_minor=limit, features=features,
    )


def same_decision(a: Decision, b: Decision) -> bool:
    """Whether two decisions are the same answer: inputs, model version,
    score, points, outcome, reasons and limits (not the id or timestamps)."""
    return _outcome(a) == _outcome(b)


def _outcome(d: Decision) -> tuple[Any, ...]:
    return (
        d.customer_id, d.as_of, d.currency, d.model_version, d.score, dict(d.points), d.decision, tuple(d.reasons),
        d.gross_limit_minor, d.existing_exposure_minor, d.limit_minor, d.features,
    )


# -- stored decisions ----------------------------------------------------------------------------


def _actor(actor: str) -> tuple[str, str]:
    return actor.split(":", 1)[0] or "system", actor


async def underwrite(
    engine: AsyncEngine,
    institution_id: UUID,
    customer_id: UUID,
    *,
    as_of: date,
    existing_exposure_minor: int = 0,
    model: ScoringModel = DEFAULT_MODEL,
    actor: str,
    currency: str | None = None,
    request_id: str | None = None,
) -> Decision:
    """Compute the features, score them and store the decision (inputs,
    model version and parameters, score, points, reasons, limit) with an
    audit entry and an ``underwriting.decided`` event, in one transaction.
    ``existing_exposure_minor`` is the merchant's outstanding financing in
    the order currency (the caller's figure, from the loans)."""
    if not actor:
        raise InvalidInput("actor is required")
    actor_type, actor_id = _actor(actor)

    async def work(conn: AsyncConnection) -> Decision:
        feats = await compute_features(conn, institution_id, customer_id, as_of, currency=currency, on_time_days=model.on_time_days)
        d = score(feats, model, existing_exposure_minor=existing_exposure_minor)
        now = utc_now()
        did = uuid7()
        await conn.execute(
            decisions_t.insert().values(
                id=did, institution_id=institution_id, customer_id=customer_id, as_of=as_of, currency=d.currency, model_version=model.version,
                model=model.to_dict(), inputs={"features": feats.to_dict(), "existing_exposure_minor": existing_exposure_minor}, score=d.score,
                points=dict(d.points), decision=d.decision, reasons=list(d.reasons), gross_limit_minor=d.gross_limit_minor,
                existing_exposure_minor=existing_exposure_minor, limit_minor=d.limit_minor, decided_by=actor[:128], created_at=now,
            )
        )
        summary = {
            "customer_id": str(customer_id), "decision": d.decision, "score": d.score, "reasons": list(d.reasons),
            "limit": None if d.currency is None else format_minor(d.limit_minor, d.currency), "currency": d.currency, "model_version": model.version, "as_of": as_of.isoformat(),
        }
        await record_audit(
            conn, institution_id=institution_id, actor_type=actor_type, actor_id=actor_id, action="underwriting.decide",
            object_type="underwriting_decision", object_id=str(did), before=None, after=summary, request_id=request_id,
        )
        await emit_event(conn, institution_id, "underwriting.decided", {"decision_id": str(did), **summary})
        return Decision(**{**_fields(d), "id": did, "decided_by": actor, "created_at": now})

    return await run_in_transaction(engine, work)


def _fields(d: Decision) -> dict[str, Any]:
    return {f.name: getattr(d, f.name) for f in fields(d)}


def _stored(row: Any) -> Decision:
    inputs = row.inputs
    return Decision(
        customer_id=str(row.customer_id), as_of=row.as_of, currency=row.currency, model_version=row.model_version, score=int(row.score),
        points={k: int(v) for k, v in row.points.items()}, decision=row.decision, reasons=tuple(row.reasons),
        gross_limit_minor=int(row.gross_limit_minor), existing_exposure_minor=int(row.existing_exposure_minor), limit_minor=int(row.limit_minor),
        features=Features.from_dict(inputs["features"]), id=row.id, decided_by=row.decided_by, created_at=row.created_at,
    )


async def _row(db: AsyncEngine | AsyncConnection, institution_id: UUID, decision_id: UUID) -> Any:
    stmt = select(decisions_t).where(decisions_t.c.id == decision_id, decisions_t.c.institution_id == institution_id)
    if isinstance(db, AsyncConnection):
        row = (await db.execute(stmt)).first()
    else:
        async with db.connect() as conn:
            row = (await conn.execute(stmt)).first()
    if row is None:
        raise DecisionNotFound(decision_id)
    return row


async def get_decision(db: AsyncEngine | AsyncConnection, institution_id: UUID, decision_id: UUID) -> Decision:
    """A stored decision (another institution's id: not found)."""
    return _stored(await _row(db, institution_id, decision_id))


async def list_decisions(db: AsyncEngine | AsyncConnection, institution_id: UUID, customer_id: UUID) -> list[Decision]:
    """A customer's stored decisions, oldest first."""
    stmt = (
        select(decisions_t)
        .where(decisions_t.c.institution_id == institution_id, decisions_t.c.customer_id == customer_id)
        .order_by(decisions_t.c.created_at, decisions_t.c.id)
    )
    if isinstance(db, AsyncConnection):
        rows = (await db.execute(stmt)).all()
    else:
        async with db.connect() as conn:
            rows = (await conn.execute(stmt)).all()
    return [_stored(r) for r in rows]


async def replay_decision(db: AsyncEngine | AsyncConnection, institution_id: UUID, decision_id: UUID) -> Decision:
    """Recompute a stored decision from its STORED inputs (features and
    exposure) with its STORED model parameters, never reading the trade data
    again.  The result carries the stored id; compare it with
    :func:`get_decision` by :func:`same_decision` (or use
    :func:`verify_decision`).  The model version in the stored parameters
    must be the stored version."""
    row = await _row(db, institution_id, decision_id)
    model = ScoringModel.from_dict(row.model)
    if model.version != row.model_version:
        raise InvalidInput("stored model parameters do not carry the stored model version", decision_id=str(decision_id))
    feats = Features.from_dict(row.inputs["features"])
    d = score(feats, model, existing_exposure_minor=int(row.inputs["existing_exposure_minor"]))
    return Decision(**{**_fields(d), "id": row.id, "decided_by": row.decided_by, "created_at": row.created_at})


async def verify_decision(db: AsyncEngine | AsyncConnection, institution_id: UUID, decision_id: UUID) -> bool:
    """Whether replaying the stored decision gives the stored answer."""
    stored = await get_decision(db, institution_id, decision_id)
    return same_decision(stored, await replay_decision(db, institution_id, decision_id))
