"""Financing routes (F1-F6): products, underwriting decisions, the SME
application path (apply → decision → offer → acceptance), disbursement with
the one-asset-one-financing registry, repayments, the accrual job,
write-off and the portfolio.

SME users see and act only on their own merchant's applications and loans:
another merchant's loan answers 404, like another institution's."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Request, Response
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, ConfigDict, Field, field_validator

from financing import applications as A
from financing import loans as L
from financing import products as P
from financing import underwriting as U
from financing.kinds import KindCode
from ledger.clock import business_today
from ledger.money import format_minor

from ..auth import Principal, require
from ..deps import EngineDep, LedgerDep
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
UNDERWRITE = require("system", "finance", "approver")
ACCEPT = require("system", "sme")
WRITE_OFF = require("system", "approver", "admin")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProductIn(Strict):
    code: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    kind: KindCode
    currency: CurrencyCode
    config: dict[str, Any] = Field(
        default_factory=dict,
        description="advance_rate, fixed_rate or lpr_tenor + spread_bp, day_count, tenor limits, fees, waterfall, sweep_rate, penalty_rate ... (decimal strings)",
        examples=[{"fixed_rate": "0.073", "advance_rate": "0.70", "max_tenor_days": 180}],
    )


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


_VALUE_DATE = "value date: back-dated at most 30 days (XBORDER_FINANCING_BACKDATE_DAYS), never after today in China time; default today"


class RepaymentIn(Strict):
    amount: Amount
    reference: str | None = Field(default=None, max_length=100, description="default: the Idempotency-Key")
    value_date: date | None = Field(default=None, description=f"{_VALUE_DATE}; not before the disbursement nor a day already accrued")


class DisbursementIn(Strict):
    value_date: date | None = Field(default=None, description=f"{_VALUE_DATE}; interest and the due date (days past due) count from it")


#: an empty disbursement body (the body is optional)
_NO_DISBURSEMENT = DisbursementIn()


class AccrualIn(Strict):
    as_of: date = Field(description="accrue interest for every day up to this one (China time), never beyond today: interest not yet earned is not booked")

    @field_validator("as_of")
    @classmethod
    def _not_in_the_future(cls, value: date) -> date:
        today = business_today()
        if value > today:
            raise ValueError(f"as_of {value} is after today ({today}, China time): interest is accrued only for days that have passed")
        return value


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


def _caller(principal: Principal) -> A.Caller:
    """Who acts: SME users act for their own merchant only."""
    return A.Caller(principal.institution_id, principal.actor, sme=principal.role == "sme", merchant_ref=principal.merchant_ref)


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


def _decision_out(d: U.Decision) -> DecisionOut:
    cur = d.currency
    return DecisionOut(
        id=d.id, customer_id=UUID(str(d.customer_id)), decision=d.decision, score=d.score, reasons=list(d.reasons),
        limit=None if cur is None else format_minor(d.limit_minor, cur), currency=cur, model_version=d.model_version,
        inputs={"features": d.features.to_dict(), "points": dict(d.points), "existing_exposure_minor": d.existing_exposure_minor, "gross_limit_minor": d.gross_limit_minor},
    )


def _product_out(p: P.Product) -> ProductOut:
    return ProductOut(id=p.id, code=p.code, kind=p.kind, currency=p.currency, config=jsonable_encoder(p.config()))


# -- products ------------------------------------------------------------------------------


@router.post("/products", status_code=201, response_model=ProductOut, summary="Configure a financing product")
async def create_product(body: ProductIn, engine: EngineDep, principal: Principal = Depends(ADMIN)) -> ProductOut:
    return _product_out(await P.create_product(engine, principal.institution_id, code=body.code, kind=body.kind, currency=body.currency, **body.config))


@router.get("/products", response_model=list[ProductOut], summary="List financing products")
async def list_products(engine: EngineDep, principal: Principal = Depends(LOAN_READ)) -> list[ProductOut]:
    return [_product_out(p) for p in await P.list_products(engine, principal.institution_id)]


@router.post("/lpr", status_code=201, response_model=dict[str, str], summary="Record a Loan Prime Rate (CNY pricing)")
async def set_lpr(body: LprIn, engine: EngineDep, principal: Principal = Depends(ADMIN)) -> dict[str, str]:
    await P.set_lpr(engine, principal.institution_id, body.tenor, body.effective_date, Decimal(body.rate))
    return {"tenor": body.tenor, "effective_date": body.effective_date.isoformat(), "rate": body.rate}


# -- underwriting ----------------------------------------------------------------------------


@router.post("/underwriting", status_code=201, response_model=DecisionOut, summary="Underwrite a merchant from its trailing 12 months of trade data (F1)")
async def underwrite(body: UnderwriteIn, ledger: LedgerDep, principal: Principal = Depends(UNDERWRITE)) -> DecisionOut:
    return _decision_out(await A.underwrite(ledger, _caller(principal), body.customer_id, as_of=body.as_of))


@router.get("/underwriting/{decision_id}", response_model=DecisionOut, summary="A stored underwriting decision")
async def get_decision(decision_id: UUID, engine: EngineDep, principal: Principal = Depends(STAFF_READ)) -> DecisionOut:
    return _decision_out(await U.get_decision(engine, principal.institution_id, decision_id))


@router.post("/underwriting/{decision_id}/replay", response_model=DecisionOut, summary="Recompute a decision from its stored inputs and model (must equal the stored one)")
async def replay(decision_id: UUID, ledger: LedgerDep, principal: Principal = Depends(STAFF_READ)) -> DecisionOut:
    return _decision_out(await A.replay_decision(ledger, principal.institution_id, decision_id))


# -- the application path ----------------------------------------------------------------------


@router.post("/applications", status_code=201, response_model=LoanOut, summary="Apply for financing (SME users for their own merchant)")
async def apply(body: ApplicationIn, ledger: LedgerDep, principal: Principal = Depends(APPLICANT)) -> LoanOut:
    orders = None if body.orders is None else A.OfferedOrders(body.orders.platform_code, body.orders.order_ids)
    loan = await A.apply(ledger, _caller(principal), customer_id=body.customer_id, product_id=body.product_id, amount=body.amount, tenor_days=body.tenor_days, orders=orders)
    return _loan_out(loan)


@router.get("/loans", response_model=list[LoanOut], summary="Applications and loans (SME users: their own)")
async def list_loans(ledger: LedgerDep, customer_id: UUID | None = None, status: str | None = None, principal: Principal = Depends(LOAN_READ)) -> list[LoanOut]:
    return [_loan_out(x) for x in await A.list_loans(ledger, _caller(principal), customer_id=customer_id, status=status)]


@router.get("/loans/{loan_id}", response_model=LoanOut, summary="An application or loan with its balances")
async def get_loan(loan_id: UUID, ledger: LedgerDep, principal: Principal = Depends(LOAN_READ)) -> LoanOut:
    return _loan_out(await A.get_loan(ledger, _caller(principal), loan_id))


@router.post("/loans/{loan_id}/decision", response_model=LoanOut, summary="Approve (up to the limit) or decline an application, with reasons")
async def decide(loan_id: UUID, body: DecisionIn, ledger: LedgerDep, principal: Principal = Depends(DECIDE)) -> LoanOut:
    return _loan_out(await A.decide(ledger, _caller(principal), loan_id, approve=body.approve, amount=body.amount, reasons=body.reasons))


@router.post("/loans/{loan_id}/offer", response_model=LoanOut, summary="Make the offer: schedule and total cost")
async def offer(loan_id: UUID, ledger: LedgerDep, principal: Principal = Depends(STAFF_WRITE)) -> LoanOut:
    return _loan_out(await A.make_offer(ledger, _caller(principal), loan_id))


@router.post("/loans/{loan_id}/accept", response_model=LoanOut, summary="Accept the offer (the SME user, or the institution on its behalf)")
async def accept(loan_id: UUID, ledger: LedgerDep, principal: Principal = Depends(ACCEPT)) -> LoanOut:
    return _loan_out(await A.accept(ledger, _caller(principal), loan_id))


@router.post(
    "/loans/{loan_id}/disburse", response_model=LoanOut, summary="Encumber the collateral (one asset, one financing) and pay out",
    description="Requires `Idempotency-Key`. A warehouse-receipt or credit-insurance loan is refused (422 `collateral_insufficient`) unless its pledged collateral covers it.",
)
async def disburse(
    loan_id: UUID, request: Request, ledger: LedgerDep, body: DisbursementIn = _NO_DISBURSEMENT, principal: Principal = Depends(STAFF_WRITE),
    _key: str = Depends(idempotency_key_header),
) -> Response:
    async def handler(key: str) -> Response:
        return _json(200, _loan_out(await A.disburse(ledger, _caller(principal), loan_id, on=body.value_date)))

    return await run_idempotent(request, principal, handler)


@router.post("/loans/{loan_id}/repayments", response_model=LoanOut, summary="Repay (allocated by the product's waterfall)", description="Requires `Idempotency-Key`.")
async def repay(loan_id: UUID, body: RepaymentIn, request: Request, ledger: LedgerDep, principal: Principal = Depends(STAFF_WRITE), _key: str = Depends(idempotency_key_header)) -> Response:
    async def handler(key: str) -> Response:
        return _json(200, _loan_out(await A.repay(ledger, _caller(principal), loan_id, amount=body.amount, reference=body.reference or key, on=body.value_date)))

    return await run_idempotent(request, principal, handler)


@router.get("/loans/{loan_id}/dpd-history", response_model=list[DpdOut], summary="Days past due and bucket history")
async def dpd(loan_id: UUID, ledger: LedgerDep, principal: Principal = Depends(LOAN_READ)) -> list[DpdOut]:
    return [DpdOut(as_of=r["as_of"], dpd=r["dpd"], bucket=r["bucket"]) for r in await A.dpd_history(ledger, _caller(principal), loan_id)]


@router.post("/loans/{loan_id}/write-off", response_model=LoanOut, summary="Write a loan off")
async def write_off(loan_id: UUID, body: WriteOffIn, ledger: LedgerDep, principal: Principal = Depends(WRITE_OFF)) -> LoanOut:
    return _loan_out(await A.write_off(ledger, _caller(principal), loan_id, reason=body.reason))


@router.post("/accruals", response_model=dict[str, int], summary="Run the daily accrual job up to a day (idempotent per loan per day)")
async def accrue(body: AccrualIn, ledger: LedgerDep, principal: Principal = Depends(ADMIN)) -> dict[str, int]:
    out = await L.accrue(ledger, principal.institution_id, body.as_of)
    return {k: int(v) for k, v in out.items()}


@router.get("/portfolio", response_model=PortfolioOut, summary="Outstanding, DPD buckets, NPL ratio, exposure per merchant")
async def portfolio(ledger: LedgerDep, principal: Principal = Depends(STAFF_READ)) -> PortfolioOut:
    return PortfolioOut(data=jsonable_encoder(await L.portfolio(ledger, principal.institution_id)))
