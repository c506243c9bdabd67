"""Financing routes (F1-F6): products, underwriting decisions, the SME
application path (apply → decision → offer → acceptance), disbursement with
the one-asset-one-financing registry, repayments, the accrual job,
write-off and the portfolio.

SME users see and act only on their own merchant's applications and loans:
another merchant's loan answers 404, like another institution's."""

from __future__ import annotations

import json
from datetime import date
from typing import Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Request, Response
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, ConfigDict, Field

from financing import collateral as C
from financing import loans as L
from financing import products as P
from financing import underwriting as U
from ledger import errors as E
from ledger.money import format_minor, to_minor
from settlement.customers import find_customer_by_ref

from ..auth import Principal, require
from ..idempotency import idempotency_key_header, run_idempotent
from ..models import Amount, CurrencyCode, Timestamp
from ..problems import COMMON_ERRORS

router = APIRouter(prefix="/v1/financing", tags=["financing"], responses=COMMON_ERRORS)

STAFF_READ = require("system", "admin", "finance", "approver")
STAFF_WRITE = require("system", "finance")
DECIDE = require("system", "approver")
ADMIN = require("system", "admin")
APPLICANT = require("system", "finance", "sme")
LOAN_READ = require("system", "admin", "finance", "approver", "sme")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProductIn(Strict):
    code: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    kind: Literal["order", "warehouse_receipt", "credit_insurance"]
    currency: CurrencyCode
    config: dict[str, Any] = Field(default_factory=dict, description="advance_rate, fixed_rate or lpr_tenor + spread_bp, day_count, tenor limits, fees, waterfall, sweep_rate, penalty_rate ... (decimal strings)", examples=[{"fixed_rate": "0.073", "advance_rate": "0.70", "max_tenor_days": 180}])


class ProductOut(BaseModel):
    id: UUID
    code: str
    kind: str
    currency: str
    config: dict[str, Any]


class LprIn(Strict):
    tenor: Literal["1y", "5y"]
    effective_date: date
    rate: str = Field(pattern=r"^0\.[0-9]{1,8}$", examples=["0.0345"])


class UnderwriteIn(Strict):
    customer_id: UUID
    as_of: date | None = None


class DecisionOut(BaseModel):
    id: UUID | None
    customer_id: UUID
    decision: str
    score: int
    reasons: list[str]
    limit: Amount | None
    currency: str | None
    model_version: str
    inputs: dict[str, Any]


class OrderAssets(Strict):
    platform_code: str = Field(max_length=64)
    order_ids: list[str] = Field(min_length=1, max_length=5000)


class ApplicationIn(Strict):
    customer_id: UUID | None = Field(default=None, description="staff: the merchant; SME users apply for their own merchant and leave it out")
    product_id: UUID
    amount: Amount
    tenor_days: int = Field(ge=1, le=3650)
    orders: OrderAssets | None = Field(default=None, description="platform orders offered as collateral (order financing, F2)")


class DecisionIn(Strict):
    approve: bool
    amount: Amount | None = None
    reasons: list[str] = Field(default_factory=list, max_length=20)


class RepaymentIn(Strict):
    amount: Amount
    reference: str | None = Field(default=None, max_length=100, description="default: the Idempotency-Key")


class AccrualIn(Strict):
    as_of: date


class WriteOffIn(Strict):
    reason: str = Field(min_length=1, max_length=500)


class LoanOut(BaseModel):
    id: UUID
    customer_id: UUID
    product_id: UUID
    currency: str
    status: str
    requested: Amount
    limit: Amount | None
    approved: Amount | None
    tenor_days: int
    asset_refs: list[str]
    decision: dict[str, Any] | None
    offer: dict[str, Any] | None
    disbursed_on: date | None
    due_date: date | None
    dpd: int
    bucket: str | None
    balances: dict[str, Amount]
    outstanding: Amount
    written_off: Amount
    created_at: Timestamp


class DpdOut(BaseModel):
    as_of: date
    dpd: int
    bucket: str | None


class PortfolioOut(BaseModel):
    data: dict[str, Any]


def _ledger(request: Request):
    return request.app.state.ctx.ledger


def _json(status: int, model: Any) -> Response:
    return Response(content=json.dumps(jsonable_encoder(model), separators=(",", ":")).encode(), status_code=status, media_type="application/json")


def _amt(v: int | None, cur: str) -> str | None:
    return None if v is None else format_minor(int(v), cur)


def _loan_out(x: dict[str, Any]) -> LoanOut:
    c = x["currency"]
    return LoanOut(
        id=x["id"], customer_id=x["customer_id"], product_id=x["product_id"], currency=c, status=x["status"], requested=_amt(x["requested_minor"], c),
        limit=_amt(x["limit_minor"], c), approved=_amt(x["approved_minor"], c), tenor_days=x["tenor_days"], asset_refs=list(x["asset_refs"] or []),
        decision=x["decision"], offer=x["offer"], disbursed_on=x["disbursed_on"], due_date=x["due_date"], dpd=x["dpd"], bucket=x["bucket"],
        balances={k: _amt(v, c) for k, v in (x.get("balances") or {}).items()}, outstanding=_amt(x.get("outstanding_minor", 0), c),
        written_off=_amt(x["written_off_minor"], c), created_at=x["created_at"],
    )


async def _sme_customer(request: Request, principal: Principal) -> UUID | None:
    """The SME user's own customer id (None for staff)."""
    if principal.role != "sme":
        return None
    cust = await find_customer_by_ref(request.app.state.ctx.engine, principal.institution_id, principal.merchant_ref or "")
    if cust is None:
        raise E.NotFound("customer", principal.merchant_ref)
    return cust.id


async def _loan_for(request: Request, principal: Principal, loan_id: UUID) -> dict[str, Any]:
    loan = await L.get_loan(_ledger(request), principal.institution_id, loan_id)
    own = await _sme_customer(request, principal)
    if own is not None and loan["customer_id"] != own:
        raise E.NotFound("loan", loan_id)  # another merchant's loan does not exist for this user
    return loan


def _decision_out(d) -> DecisionOut:
    cur = d.currency
    return DecisionOut(
        id=d.id, customer_id=UUID(str(d.customer_id)), decision=d.decision, score=d.score, reasons=list(d.reasons),
        limit=None if cur is None else format_minor(d.limit_minor, cur), currency=cur, model_version=d.model_version,
        inputs={"features": d.features.to_dict(), "points": dict(d.points), "existing_exposure_minor": d.existing_exposure_minor, "gross_limit_minor": d.gross_limit_minor},
    )


# -- products ------------------------------------------------------------------------------


@router.post("/products", status_code=201, response_model=ProductOut, summary="Configure a financing product")
async def create_product(body: ProductIn, request: Request, principal: Principal = Depends(ADMIN)):
    p = await P.create_product(request.app.state.ctx.engine, principal.institution_id, code=body.code, kind=body.kind, currency=body.currency, **body.config)
    return ProductOut(id=p.id, code=p.code, kind=p.kind, currency=p.currency, config=jsonable_encoder(p.config()))


@router.get("/products", response_model=list[ProductOut], summary="List financing products")
async def list_products(request: Request, principal: Principal = Depends(LOAN_READ)):
    out = []
    for p in await P.list_products(request.app.state.ctx.engine, principal.institution_id):
        out.append(ProductOut(id=p.id, code=p.code, kind=p.kind, currency=p.currency, config=jsonable_encoder(p.config())))
    return out


@router.post("/lpr", status_code=201, response_model=dict[str, str], summary="Record a Loan Prime Rate (CNY pricing)")
async def set_lpr(body: LprIn, request: Request, principal: Principal = Depends(ADMIN)):
    from decimal import Decimal

    await P.set_lpr(request.app.state.ctx.engine, principal.institution_id, body.tenor, body.effective_date, Decimal(body.rate))
    return {"tenor": body.tenor, "effective_date": body.effective_date.isoformat(), "rate": body.rate}


# -- underwriting ----------------------------------------------------------------------------


@router.post("/underwriting", status_code=201, response_model=DecisionOut, summary="Underwrite a merchant from its trailing 12 months of trade data (F1)")
async def underwrite(body: UnderwriteIn, request: Request, principal: Principal = Depends(require("system", "finance", "approver"))):
    ctx = request.app.state.ctx
    exposure = await _exposure(request, principal, body.customer_id)
    d = await U.underwrite(ctx.engine, principal.institution_id, body.customer_id, as_of=body.as_of or date.today(), existing_exposure_minor=exposure, actor=principal.actor)
    return _decision_out(d)


@router.get("/underwriting/{decision_id}", response_model=DecisionOut, summary="A stored underwriting decision")
async def get_decision(decision_id: UUID, request: Request, principal: Principal = Depends(STAFF_READ)):
    return _decision_out(await U.get_decision(request.app.state.ctx.engine, principal.institution_id, decision_id))


@router.post("/underwriting/{decision_id}/replay", response_model=DecisionOut, summary="Recompute a decision from its stored inputs and model (must equal the stored one)")
async def replay(decision_id: UUID, request: Request, principal: Principal = Depends(STAFF_READ)):
    engine = request.app.state.ctx.engine
    stored = await U.get_decision(engine, principal.institution_id, decision_id)
    again = await U.replay_decision(engine, principal.institution_id, decision_id)
    if not U.same_decision(stored, again):  # pragma: no cover - would be a defect
        raise E.LedgerError("replay differs from the stored decision", decision_id=str(decision_id))
    return _decision_out(again)


async def _exposure(request: Request, principal: Principal, customer_id: UUID) -> int:
    total = 0
    for loan in await L.list_loans(_ledger(request), principal.institution_id, customer_id=customer_id):
        if loan["status"] in ("active", "accepted", "offered", "approved"):
            full = await L.get_loan(_ledger(request), principal.institution_id, loan["id"])
            total += full["outstanding_minor"] or int(full["approved_minor"] or 0)
    return total


# -- the application path ----------------------------------------------------------------------


@router.post("/applications", status_code=201, response_model=LoanOut, summary="Apply for financing (SME users for their own merchant)")
async def apply(body: ApplicationIn, request: Request, principal: Principal = Depends(APPLICANT)):
    ctx = request.app.state.ctx
    own = await _sme_customer(request, principal)
    customer_id = own or body.customer_id
    if customer_id is None:
        raise E.InvalidInput("customer_id is required", field="customer_id")
    if own is not None and body.customer_id not in (None, own):
        raise E.NotFound("customer", body.customer_id)
    product = await P.get_product(ctx.engine, principal.institution_id, body.product_id)
    requested = to_minor(body.amount, product.currency)
    # F1: the score and limit from trade data; F2: the advance on the orders offered
    decision = await U.underwrite(ctx.engine, principal.institution_id, customer_id, as_of=date.today(), existing_exposure_minor=await _exposure(request, principal, customer_id), actor=principal.actor)
    limit = decision.limit_minor if decision.currency in (None, product.currency) else 0
    refs: list[str] = []
    if body.orders is not None:
        async with ctx.engine.connect() as conn:
            coll = await C.order_collateral_value(conn, principal.institution_id, customer_id, body.orders.platform_code, body.orders.order_ids, product.currency)
        limit = min(limit, coll.advance_minor)
        refs = [f"order:{body.orders.platform_code}:{e}" for e, _v in coll.eligible]
    loan = await L.apply(ctx.ledger, principal.institution_id, customer_id=customer_id, product_id=product.id, requested_minor=requested, tenor_days=body.tenor_days, asset_refs=refs, limit_minor=limit, actor=principal.actor)
    if decision.decision == "decline":
        loan = await L.decide(ctx.ledger, principal.institution_id, loan["id"], approve=False, reasons=list(decision.reasons), inputs={"underwriting_decision": str(decision.id)}, actor="system:underwriting")
    return _loan_out(await L.get_loan(ctx.ledger, principal.institution_id, loan["id"]))


@router.get("/loans", response_model=list[LoanOut], summary="Applications and loans (SME users: their own)")
async def list_loans(request: Request, customer_id: UUID | None = None, status: str | None = None, principal: Principal = Depends(LOAN_READ)):
    own = await _sme_customer(request, principal)
    rows = await L.list_loans(_ledger(request), principal.institution_id, customer_id=own or customer_id, status=status)
    return [_loan_out(await L.get_loan(_ledger(request), principal.institution_id, r["id"])) for r in rows]


@router.get("/loans/{loan_id}", response_model=LoanOut, summary="An application or loan with its balances")
async def get_loan(loan_id: UUID, request: Request, principal: Principal = Depends(LOAN_READ)):
    return _loan_out(await _loan_for(request, principal, loan_id))


@router.post("/loans/{loan_id}/decision", response_model=LoanOut, summary="Approve (up to the limit) or decline an application, with reasons")
async def decide(loan_id: UUID, body: DecisionIn, request: Request, principal: Principal = Depends(DECIDE)):
    loan = await L.get_loan(_ledger(request), principal.institution_id, loan_id)
    amount = None if body.amount is None else to_minor(body.amount, loan["currency"])
    await L.decide(_ledger(request), principal.institution_id, loan_id, approve=body.approve, amount_minor=amount, reasons=body.reasons, actor=principal.actor)
    return _loan_out(await L.get_loan(_ledger(request), principal.institution_id, loan_id))


@router.post("/loans/{loan_id}/offer", response_model=LoanOut, summary="Make the offer: schedule and total cost")
async def offer(loan_id: UUID, request: Request, principal: Principal = Depends(STAFF_WRITE)):
    await L.make_offer(_ledger(request), principal.institution_id, loan_id, actor=principal.actor)
    return _loan_out(await L.get_loan(_ledger(request), principal.institution_id, loan_id))


@router.post("/loans/{loan_id}/accept", response_model=LoanOut, summary="Accept the offer (the SME user, or the institution on its behalf)")
async def accept(loan_id: UUID, request: Request, principal: Principal = Depends(require("system", "sme"))):
    await _loan_for(request, principal, loan_id)
    await L.accept(_ledger(request), principal.institution_id, loan_id, actor=principal.actor)
    return _loan_out(await L.get_loan(_ledger(request), principal.institution_id, loan_id))


@router.post("/loans/{loan_id}/disburse", response_model=LoanOut, summary="Encumber the collateral (one asset, one financing) and pay out", description="Requires `Idempotency-Key`.")
async def disburse(loan_id: UUID, request: Request, principal: Principal = Depends(STAFF_WRITE), _key: str = Depends(idempotency_key_header)):
    ctx = request.app.state.ctx

    async def handler(key: str) -> Response:
        loan = await L.get_loan(ctx.ledger, principal.institution_id, loan_id)
        orders = [r.split(":", 2) for r in loan["asset_refs"] if r.startswith("order:")]
        keys = [C.order_asset_key(p, e) for _k, p, e in orders]
        async with ctx.engine.begin() as conn:
            for k in sorted(keys):
                await C.encumber(conn, principal.institution_id, k, str(loan_id), asset_kind="order")
        try:
            await L.disburse(ctx.ledger, principal.institution_id, loan_id, actor=principal.actor)
        except Exception:
            async with ctx.engine.begin() as conn:
                await C.release_financing(conn, principal.institution_id, str(loan_id))
            raise
        return _json(200, _loan_out(await L.get_loan(ctx.ledger, principal.institution_id, loan_id)))

    return await run_idempotent(request, principal, handler)


@router.post("/loans/{loan_id}/repayments", response_model=LoanOut, summary="Repay (allocated by the product's waterfall)", description="Requires `Idempotency-Key`.")
async def repay(loan_id: UUID, body: RepaymentIn, request: Request, principal: Principal = Depends(STAFF_WRITE), _key: str = Depends(idempotency_key_header)):
    ctx = request.app.state.ctx

    async def handler(key: str) -> Response:
        loan = await L.get_loan(ctx.ledger, principal.institution_id, loan_id)
        await L.repay(ctx.ledger, principal.institution_id, loan_id, to_minor(body.amount, loan["currency"]), reference=body.reference or key, actor=principal.actor)
        after = await L.get_loan(ctx.ledger, principal.institution_id, loan_id)
        if after["status"] == "repaid":
            async with ctx.engine.begin() as conn:
                await C.release_financing(conn, principal.institution_id, str(loan_id))  # releasing the loan releases the assets
        return _json(200, _loan_out(after))

    return await run_idempotent(request, principal, handler)


@router.get("/loans/{loan_id}/dpd-history", response_model=list[DpdOut], summary="Days past due and bucket history")
async def dpd(loan_id: UUID, request: Request, principal: Principal = Depends(LOAN_READ)):
    await _loan_for(request, principal, loan_id)
    return [DpdOut(as_of=r["as_of"], dpd=r["dpd"], bucket=r["bucket"]) for r in await L.dpd_history(_ledger(request), principal.institution_id, loan_id)]


@router.post("/loans/{loan_id}/write-off", response_model=LoanOut, summary="Write a loan off")
async def write_off(loan_id: UUID, body: WriteOffIn, request: Request, principal: Principal = Depends(require("system", "approver", "admin"))):
    await L.write_off(_ledger(request), principal.institution_id, loan_id, reason=body.reason, actor=principal.actor)
    return _loan_out(await L.get_loan(_ledger(request), principal.institution_id, loan_id))


@router.post("/accruals", response_model=dict[str, int], summary="Run the daily accrual job up to a day (idempotent per loan per day)")
async def accrue(body: AccrualIn, request: Request, principal: Principal = Depends(ADMIN)):
    out = await L.accrue(_ledger(request), principal.institution_id, body.as_of)
    return {k: int(v) for k, v in out.items()}


@router.get("/portfolio", response_model=PortfolioOut, summary="Outstanding, DPD buckets, NPL ratio, exposure per merchant")
async def portfolio(request: Request, principal: Principal = Depends(STAFF_READ)):
    return PortfolioOut(data=jsonable_encoder(await L.portfolio(_ledger(request), principal.institution_id)))
