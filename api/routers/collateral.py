"""Collateral routes: warehouse receipts (F3) — haircuts, dated prices,
receipts issued → verified → pledged, revaluation with margin calls,
repayments releasing goods in proportion, liquidation — and credit
insurance (F4) — policies with buyer limits, insured receivables, the
advance cap, financing with assignment of the indemnity, claims and their
payment.

Every operation runs in one transaction; another institution's ids answer
404 like ids that do not exist.  Money crosses as decimal strings."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Any, TypeVar
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from financing import collateral as C
from financing.tables_collateral import (
    financing_buyer_limits,
    financing_insurance_claims,
    financing_insurance_policies,
    financing_insured_receivables,
    financing_warehouse_receipts,
    financing_wr_pledges,
)
from ledger import errors as E
from ledger.money import format_minor, to_minor
from settlement.customers import get_customer

from ..auth import Principal, require
from ..models import Amount, CurrencyCode, Timestamp
from ..problems import COMMON_ERRORS

router = APIRouter(prefix="/v1/financing", tags=["collateral"], responses=COMMON_ERRORS)

STAFF_READ = require("system", "admin", "finance", "approver")
STAFF_WRITE = require("system", "finance")
ADMIN = require("system", "admin")

T = TypeVar("T")

#: a money amount in a response (major units, as a decimal string)
MoneyOut = Annotated[str, Field(description="Decimal amount in major units, as a string", examples=["1234.56"])]
Ratio = Annotated[str, Field(pattern=r"^0(\.[0-9]{1,6})?$", description="Decimal ratio below 1, as a string", examples=["0.10"])]
RatioToOne = Annotated[str, Field(pattern=r"^(0(\.[0-9]{1,6})?|1(\.0{1,6})?)$", description="Decimal ratio from 0 to 1, as a string", examples=["0.90"])]
Quantity = Annotated[str, Field(pattern=r"^[0-9]{1,12}(\.[0-9]{1,6})?$", description="Positive decimal quantity of goods, as a string", examples=["1000"])]
Text64 = Annotated[str, Field(min_length=1, max_length=64)]
Text128 = Annotated[str, Field(min_length=1, max_length=128)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- request bodies ----------------------------------------------------------------------------


class HaircutIn(Strict):
    goods_type: Text64 = Field(examples=["copper"])
    haircut: Ratio


class HaircutOut(BaseModel):
    goods_type: str
    haircut: str


class GoodsPriceIn(Strict):
    goods_type: Text64 = Field(examples=["copper"])
    currency: CurrencyCode
    unit: str = Field(min_length=1, max_length=16, examples=["t"])
    price_date: date
    price: Amount = Field(description="price of one unit of the goods")
    source: str | None = Field(default=None, max_length=64)


class GoodsPriceOut(BaseModel):
    goods_type: str
    currency: str
    unit: str
    price_date: date
    price: MoneyOut
    source: str | None


class WarehouseReceiptIn(Strict):
    customer_id: UUID
    issuer: Text128 = Field(examples=["Qianhai Bonded Warehouse"])
    receipt_number: Text64 = Field(examples=["WR-001"])
    goods_type: Text64 = Field(examples=["copper"])
    quantity: Quantity
    unit: str = Field(min_length=1, max_length=16, examples=["t"])
    location: str = Field(min_length=1, max_length=200, examples=["Shenzhen B3"])


class WarehouseReceiptOut(BaseModel):
    id: UUID
    customer_id: UUID
    issuer: str
    receipt_number: str
    goods_type: str
    quantity: str
    unit: str
    location: str
    status: str
    verified_by: str | None
    verified_at: Timestamp | None
    created_at: Timestamp
    updated_at: Timestamp


class VerifyIn(Strict):
    verified_by: Text128 = Field(description="who at the issuing warehouse confirmed the receipt", examples=["warehouse-clerk-7"])


class PledgeIn(Strict):
    financing_ref: Text128 = Field(description="the financing (loan) the receipt backs", examples=["wr-loan-1"])
    amount: Amount = Field(description="the loan the receipt secures")
    currency: CurrencyCode
    as_of: date | None = Field(default=None, description="valuation date (default: today, UTC)")


class AsOfIn(Strict):
    as_of: date | None = Field(default=None, description="valuation date (default: today, UTC)")


class PledgeRepaymentIn(Strict):
    amount: Amount


class ValuationOut(BaseModel):
    currency: str
    quantity: str
    price: MoneyOut
    price_date: date
    haircut: str
    gross: MoneyOut
    value: MoneyOut = Field(description="after haircut: what the LTV is measured against")


class MarginCallOut(BaseModel):
    id: UUID
    opened_on: date
    cure_by: date
    ltv: str
    valuation: MoneyOut
    outstanding: MoneyOut
    shortfall: MoneyOut = Field(description="repay this much ...")
    collateral: MoneyOut = Field(description="... or add collateral worth this much after haircut")
    status: str


class PledgeStatusOut(BaseModel):
    pledge_id: UUID
    currency: str
    outstanding: MoneyOut
    valuation: ValuationOut
    ltv: str
    action: str = Field(description="ok | margin_call | liquidation_allowed | liquidated")
    liquidation_allowed: bool
    margin_call: MarginCallOut | None


class PledgeOut(BaseModel):
    id: UUID
    receipt_id: UUID
    financing_ref: str
    currency: str
    loan: MoneyOut
    outstanding: MoneyOut
    quantity_pledged: str
    quantity_released: str
    status: str
    valuation: MoneyOut
    valued_on: date
    ltv: str
    pledged_at: Timestamp
    closed_at: Timestamp | None
    margin_calls: list[MarginCallOut]


class GoodsReleaseOut(BaseModel):
    pledge_id: UUID
    currency: str
    repaid: MoneyOut
    outstanding: MoneyOut
    fraction: str = Field(description="repaid / outstanding before the repayment")
    quantity_released: str
    quantity_pledged: str
    pledge_closed: bool


class PolicyIn(Strict):
    customer_id: UUID
    policy_number: Text64 = Field(examples=["SINO-2026-001"])
    insurer: Text128 = Field(examples=["Sinosure"])
    coverage_ratio: RatioToOne
    currency: CurrencyCode
    buyer_limits: dict[Annotated[str, Field(min_length=1, max_length=128)], Amount] = Field(default_factory=dict, max_length=100, examples=[{"BUYER-DE-1": "150000.00"}])
    valid_until: date | None = None


class PolicyOut(BaseModel):
    id: UUID
    customer_id: UUID
    insurer: str
    policy_number: str
    coverage_ratio: str
    currency: str
    valid_until: date | None
    buyer_limits: dict[str, MoneyOut]
    created_at: Timestamp


class BuyerLimitIn(Strict):
    buyer_ref: Text128 = Field(examples=["BUYER-DE-1"])
    limit: Amount


class BuyerLimitOut(BaseModel):
    policy_id: UUID
    buyer_ref: str
    currency: str
    limit: MoneyOut


class ReceivableIn(Strict):
    buyer_ref: Text128 = Field(examples=["BUYER-DE-1"])
    invoice_number: Text64 = Field(examples=["INV-9"])
    amount: Amount
    due_date: date


class ReceivableOut(BaseModel):
    id: UUID
    policy_id: UUID
    buyer_ref: str
    invoice_number: str
    currency: str
    amount: MoneyOut
    due_date: date
    status: str
    financing_ref: str | None
    assigned_to: str | None
    created_at: Timestamp


class FinanceReceivableIn(Strict):
    financing_ref: Text128 = Field(examples=["ins-loan-1"])
    assignee: Text128 = Field(description="the lender the indemnity rights are assigned to", examples=["Bank lending desk"])


class InsuredAdvanceOut(BaseModel):
    receivable_id: UUID
    currency: str
    declared: MoneyOut
    buyer_limit: MoneyOut
    buyer_limit_available: MoneyOut = Field(description="the buyer's limit not used by the policy's other financed receivables")
    covered: MoneyOut
    coverage_ratio: str
    advance_rate: str
    max_advance: MoneyOut = Field(description="advance rate x coverage x min(declared, available buyer limit), rounded down")


class ClaimIn(Strict):
    amount: Amount
    filed_on: date | None = Field(default=None, description="default: today, UTC")


class ClaimOut(BaseModel):
    id: UUID
    receivable_id: UUID
    currency: str
    claimed: MoneyOut
    filed_on: date
    status: str
    paid: MoneyOut | None
    paid_on: date | None
    created_at: Timestamp


class ClaimPaymentIn(Strict):
    amount: Amount
    paid_on: date | None = Field(default=None, description="default: today, UTC")


class ClaimPaymentOut(BaseModel):
    claim_id: UUID
    receivable_id: UUID
    currency: str
    paid: MoneyOut
    financing_ref: str | None = Field(description="the financing the indemnity is assigned to (null: paid to the exporter)")
    assigned_to: str | None


# -- helpers ------------------------------------------------------------------------------------


def _today() -> date:
    return datetime.now(UTC).date()


def _dec(d: Decimal) -> str:
    """A decimal as plain text without trailing zeros (500, 0.5)."""
    return format(d.normalize(), "f") if d.is_finite() else str(d)


def _m(v: int | None, cur: str) -> str | None:
    return None if v is None else format_minor(int(v), cur)


async def _tx(request: Request, work: Callable[[AsyncConnection], Awaitable[T]]) -> T:
    """Run ``work`` in one transaction; a uniqueness race or duplicate is a 409."""
    try:
        async with request.app.state.ctx.engine.begin() as conn:
            return await work(conn)
    except IntegrityError:
        raise E.Conflict("this record already exists (a duplicate number or reference)") from None


async def _row(conn: AsyncConnection, table, kind: str, institution_id: UUID, row_id: UUID):
    row = (await conn.execute(select(table).where(table.c.id == row_id, table.c.institution_id == institution_id))).first()
    if row is None:
        raise C.CollateralNotFound(kind, row_id)
    return row


def _receipt_out(r) -> WarehouseReceiptOut:
    return WarehouseReceiptOut(
        id=r.id, customer_id=r.customer_id, issuer=r.issuer, receipt_number=r.receipt_number, goods_type=r.goods_type, quantity=r.quantity,
        unit=r.unit, location=r.location, status=r.status, verified_by=r.verified_by, verified_at=r.verified_at, created_at=r.created_at, updated_at=r.updated_at,
    )


def _call_out(c: dict[str, Any], cur: str) -> MarginCallOut:
    return MarginCallOut(
        id=c["id"], opened_on=c["opened_on"], cure_by=c["cure_by"], ltv=str(c["ltv"]), valuation=_m(c["valuation_minor"], cur),
        outstanding=_m(c["outstanding_minor"], cur), shortfall=_m(c["shortfall_minor"], cur), collateral=_m(c["collateral_minor"], cur), status=c["status"],
    )


def _status_out(s: C.PledgeStatus) -> PledgeStatusOut:
    cur, v = s.currency, s.valuation
    return PledgeStatusOut(
        pledge_id=s.pledge_id, currency=cur, outstanding=_m(s.outstanding_minor, cur),
        valuation=ValuationOut(
            currency=v.currency, quantity=_dec(v.quantity), price=_m(v.price_minor, cur), price_date=v.price_date, haircut=str(v.haircut),
            gross=_m(v.gross_minor, cur), value=_m(v.value_minor, cur),
        ),
        ltv=str(s.ltv), action=s.action, liquidation_allowed=s.liquidation_allowed, margin_call=None if s.margin_call is None else _call_out(s.margin_call, cur),
    )


def _receivable_out(r) -> ReceivableOut:
    return ReceivableOut(
        id=r.id, policy_id=r.policy_id, buyer_ref=r.buyer_ref, invoice_number=r.invoice_number, currency=r.currency, amount=_m(r.amount_minor, r.currency),
        due_date=r.due_date, status=r.status, financing_ref=r.financing_ref, assigned_to=r.assigned_to, created_at=r.created_at,
    )


def _advance_out(receivable_id: UUID, a: C.InsuredAdvance) -> InsuredAdvanceOut:
    cur = a.currency
    return InsuredAdvanceOut(
        receivable_id=receivable_id, currency=cur, declared=_m(a.declared_minor, cur), buyer_limit=_m(a.buyer_limit_minor, cur),
        buyer_limit_available=_m(a.buyer_limit_available_minor, cur), covered=_m(a.covered_minor, cur), coverage_ratio=str(a.coverage_ratio),
        advance_rate=str(a.advance_rate), max_advance=_m(a.max_advance_minor, cur),
    )


async def _policy_out(conn: AsyncConnection, institution_id: UUID, policy_id: UUID) -> PolicyOut:
    p = await _row(conn, financing_insurance_policies, "policy", institution_id, policy_id)
    limits = (
        await conn.execute(
            select(financing_buyer_limits.c.buyer_ref, financing_buyer_limits.c.limit_minor)
            .where(financing_buyer_limits.c.policy_id == policy_id)
            .order_by(financing_buyer_limits.c.buyer_ref)
        )
    ).all()
    return PolicyOut(
        id=p.id, customer_id=p.customer_id, insurer=p.insurer, policy_number=p.policy_number, coverage_ratio=p.coverage_ratio, currency=p.currency,
        valid_until=p.valid_until, buyer_limits={b: _m(v, p.currency) for b, v in limits}, created_at=p.created_at,
    )


def _claim_out(c, cur: str) -> ClaimOut:
    return ClaimOut(
        id=c.id, receivable_id=c.receivable_id, currency=cur, claimed=_m(c.claimed_minor, cur), filed_on=c.filed_on, status=c.status,
        paid=_m(c.paid_minor, cur), paid_on=c.paid_on, created_at=c.created_at,
    )


# -- F3: warehouse receipts ---------------------------------------------------------------------


@router.post("/goods-haircuts", status_code=201, response_model=HaircutOut, summary="Set the haircut of a goods type (F3)")
async def set_haircut(body: HaircutIn, request: Request, principal: Principal = Depends(ADMIN)):
    await _tx(request, lambda conn: C.set_haircut(conn, principal.institution_id, body.goods_type, body.haircut))
    return HaircutOut(goods_type=body.goods_type.strip(), haircut=str(Decimal(body.haircut)))


@router.post("/goods-prices", status_code=201, response_model=GoodsPriceOut, summary="Record the price of one unit of a goods type on a date (replaces that day's)")
async def set_price(body: GoodsPriceIn, request: Request, principal: Principal = Depends(ADMIN)):
    price = to_minor(body.price, body.currency)
    await _tx(request, lambda conn: C.set_price(conn, principal.institution_id, body.goods_type, body.currency, body.unit, body.price_date, price, source=body.source))
    return GoodsPriceOut(goods_type=body.goods_type.strip(), currency=body.currency, unit=body.unit, price_date=body.price_date, price=_m(price, body.currency), source=body.source)


@router.post("/warehouse-receipts", status_code=201, response_model=WarehouseReceiptOut, summary="Record a warehouse receipt presented by a customer (issued)")
async def issue_receipt(body: WarehouseReceiptIn, request: Request, principal: Principal = Depends(STAFF_WRITE)):
    inst = principal.institution_id

    async def work(conn):
        await get_customer(conn, inst, body.customer_id)
        rid = await C.issue_warehouse_receipt(
            conn, inst, body.customer_id, issuer=body.issuer, receipt_number=body.receipt_number, goods_type=body.goods_type,
            quantity=body.quantity, unit=body.unit, location=body.location, actor_id=principal.actor,
        )
        return _receipt_out(await _row(conn, financing_warehouse_receipts, "warehouse receipt", inst, rid))

    return await _tx(request, work)


@router.post("/warehouse-receipts/{receipt_id}/verify", response_model=WarehouseReceiptOut, summary="The issuing warehouse confirmed the receipt: issued → verified")
async def verify_receipt(receipt_id: UUID, body: VerifyIn, request: Request, principal: Principal = Depends(STAFF_WRITE)):
    inst = principal.institution_id

    async def work(conn):
        await C.verify_warehouse_receipt(conn, inst, receipt_id, body.verified_by)
        return _receipt_out(await _row(conn, financing_warehouse_receipts, "warehouse receipt", inst, receipt_id))

    return await _tx(request, work)


@router.post(
    "/warehouse-receipts/{receipt_id}/pledge", status_code=201, response_model=PledgeStatusOut,
    summary="Pledge a verified receipt for a loan (refused above the initial LTV, or when it already backs a financing anywhere)",
)
async def pledge_receipt(receipt_id: UUID, body: PledgeIn, request: Request, principal: Principal = Depends(STAFF_WRITE)):
    loan = to_minor(body.amount, body.currency)
    st = await _tx(
        request, lambda conn: C.pledge_warehouse_receipt(conn, principal.institution_id, receipt_id, body.financing_ref, loan, body.currency, body.as_of or _today())
    )
    return _status_out(st)


@router.get("/pledges/{pledge_id}", response_model=PledgeOut, summary="A pledge with its margin calls")
async def get_pledge(pledge_id: UUID, request: Request, principal: Principal = Depends(STAFF_READ)):
    async with request.app.state.ctx.engine.connect() as conn:
        p = await C.get_pledge(conn, principal.institution_id, pledge_id)
    cur = p["currency"]
    return PledgeOut(
        id=p["id"], receipt_id=p["receipt_id"], financing_ref=p["financing_ref"], currency=cur, loan=_m(p["loan_minor"], cur), outstanding=_m(p["outstanding_minor"], cur),
        quantity_pledged=p["quantity_pledged"], quantity_released=p["quantity_released"], status=p["status"], valuation=_m(p["valuation_minor"], cur),
        valued_on=p["valued_on"], ltv=p["ltv"], pledged_at=p["pledged_at"], closed_at=p["closed_at"], margin_calls=[_call_out(c, cur) for c in p["margin_calls"]],
    )


@router.post("/pledges/{pledge_id}/revalue", response_model=PledgeStatusOut, summary="Revalue the pledged goods; opens a margin call above the margin-call LTV")
async def revalue_pledge(pledge_id: UUID, request: Request, body: AsOfIn = AsOfIn(), principal: Principal = Depends(STAFF_WRITE)):
    as_of = body.as_of or _today()
    return _status_out(await _tx(request, lambda conn: C.revalue_pledge(conn, principal.institution_id, pledge_id, as_of)))


@router.post("/pledges/{pledge_id}/repayments", response_model=GoodsReleaseOut, summary="A repayment of the pledged loan releases goods in proportion")
async def repay_pledge(pledge_id: UUID, body: PledgeRepaymentIn, request: Request, principal: Principal = Depends(STAFF_WRITE)):
    inst = principal.institution_id

    async def work(conn):
        p = await _row(conn, financing_wr_pledges, "pledge", inst, pledge_id)
        rel = await C.record_pledge_repayment(conn, inst, pledge_id, to_minor(body.amount, p.currency))
        return GoodsReleaseOut(
            pledge_id=pledge_id, currency=p.currency, repaid=_m(rel.repaid_minor, p.currency), outstanding=_m(rel.outstanding_minor, p.currency),
            fraction=_dec(rel.fraction), quantity_released=_dec(rel.quantity_released), quantity_pledged=_dec(rel.quantity_pledged), pledge_closed=rel.pledge_closed,
        )

    return await _tx(request, work)


@router.post("/pledges/{pledge_id}/liquidate", response_model=PledgeStatusOut, summary="Liquidate the pledged goods (LTV above the liquidation LTV, or a margin call past its cure date)")
async def liquidate_pledge(pledge_id: UUID, request: Request, body: AsOfIn = AsOfIn(), principal: Principal = Depends(STAFF_WRITE)):
    as_of = body.as_of or _today()
    return _status_out(await _tx(request, lambda conn: C.liquidate_pledge(conn, principal.institution_id, pledge_id, as_of)))


# -- F4: credit insurance -----------------------------------------------------------------------


@router.post("/insurance-policies", status_code=201, response_model=PolicyOut, summary="Record a customer's export credit insurance policy with buyer limits (F4)")
async def create_policy(body: PolicyIn, request: Request, principal: Principal = Depends(STAFF_WRITE)):
    inst = principal.institution_id
    limits = {b: to_minor(v, body.currency) for b, v in body.buyer_limits.items()}

    async def work(conn):
        await get_customer(conn, inst, body.customer_id)
        pid = await C.create_policy(
            conn, inst, body.customer_id, policy_number=body.policy_number, insurer=body.insurer, coverage_ratio=body.coverage_ratio,
            currency=body.currency, buyer_limits=limits, valid_until=body.valid_until,
        )
        return await _policy_out(conn, inst, pid)

    return await _tx(request, work)


@router.post("/insurance-policies/{policy_id}/buyer-limits", response_model=BuyerLimitOut, summary="Set a buyer's credit limit under the policy")
async def set_buyer_limit(policy_id: UUID, body: BuyerLimitIn, request: Request, principal: Principal = Depends(STAFF_WRITE)):
    inst = principal.institution_id

    async def work(conn):
        p = await _row(conn, financing_insurance_policies, "policy", inst, policy_id)
        limit = to_minor(body.limit, p.currency)
        await C.set_buyer_limit(conn, inst, policy_id, body.buyer_ref, limit)
        return BuyerLimitOut(policy_id=policy_id, buyer_ref=body.buyer_ref.strip(), currency=p.currency, limit=_m(limit, p.currency))

    return await _tx(request, work)


@router.post("/insurance-policies/{policy_id}/receivables", status_code=201, response_model=ReceivableOut, summary="Declare a receivable on a buyer as insured under the policy")
async def declare_receivable(policy_id: UUID, body: ReceivableIn, request: Request, principal: Principal = Depends(STAFF_WRITE)):
    inst = principal.institution_id

    async def work(conn):
        p = await _row(conn, financing_insurance_policies, "policy", inst, policy_id)
        rid = await C.declare_receivable(
            conn, inst, policy_id, buyer_ref=body.buyer_ref, invoice_number=body.invoice_number, amount_minor=to_minor(body.amount, p.currency), due_date=body.due_date
        )
        return _receivable_out(await _row(conn, financing_insured_receivables, "insured receivable", inst, rid))

    return await _tx(request, work)


@router.get("/insured-receivables/{receivable_id}/advance", response_model=InsuredAdvanceOut, summary="The most an insured receivable can back: advance rate x coverage x min(declared, buyer limit)")
async def insured_advance(receivable_id: UUID, request: Request, principal: Principal = Depends(STAFF_READ)):
    async with request.app.state.ctx.engine.connect() as conn:
        adv = await C.insured_advance(conn, principal.institution_id, receivable_id)
    return _advance_out(receivable_id, adv)


@router.post("/insured-receivables/{receivable_id}/finance", response_model=InsuredAdvanceOut, summary="Encumber the insured receivable for a financing and assign the indemnity to the lender")
async def finance_receivable(receivable_id: UUID, body: FinanceReceivableIn, request: Request, principal: Principal = Depends(STAFF_WRITE)):
    adv = await _tx(request, lambda conn: C.finance_receivable(conn, principal.institution_id, receivable_id, body.financing_ref, assignee=body.assignee))
    return _advance_out(receivable_id, adv)


@router.post("/insured-receivables/{receivable_id}/release", response_model=ReceivableOut, summary="The financing is repaid: free the insured receivable")
async def release_receivable(receivable_id: UUID, request: Request, principal: Principal = Depends(STAFF_WRITE)):
    inst = principal.institution_id

    async def work(conn):
        await C.release_receivable(conn, inst, receivable_id)
        return _receivable_out(await _row(conn, financing_insured_receivables, "insured receivable", inst, receivable_id))

    return await _tx(request, work)


@router.post("/insured-receivables/{receivable_id}/claims", status_code=201, response_model=ClaimOut, summary="File a claim with the insurer on an unpaid insured receivable")
async def file_claim(receivable_id: UUID, body: ClaimIn, request: Request, principal: Principal = Depends(STAFF_WRITE)):
    inst = principal.institution_id

    async def work(conn):
        r = await _row(conn, financing_insured_receivables, "insured receivable", inst, receivable_id)
        cid = await C.file_claim(conn, inst, receivable_id, to_minor(body.amount, r.currency), body.filed_on or _today())
        return _claim_out(await _row(conn, financing_insurance_claims, "insurance claim", inst, cid), r.currency)

    return await _tx(request, work)


@router.post("/insurance-claims/{claim_id}/payments", response_model=ClaimPaymentOut, summary="The insurer paid the claim (the loans module posts it as a repayment of the assigned financing)")
async def record_claim_payment(claim_id: UUID, body: ClaimPaymentIn, request: Request, principal: Principal = Depends(STAFF_WRITE)):
    inst = principal.institution_id

    async def work(conn):
        c = await _row(conn, financing_insurance_claims, "insurance claim", inst, claim_id)
        r = await _row(conn, financing_insured_receivables, "insured receivable", inst, c.receivable_id)
        paid = await C.record_claim_payment(conn, inst, claim_id, to_minor(body.amount, r.currency), body.paid_on or _today())
        return ClaimPaymentOut(
            claim_id=paid.claim_id, receivable_id=paid.receivable_id, currency=paid.currency, paid=_m(paid.paid_minor, paid.currency),
            financing_ref=paid.financing_ref, assigned_to=paid.assigned_to,
        )

    return await _tx(request, work)
