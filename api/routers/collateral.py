"""Collateral routes: warehouse receipts (F3) — haircuts, dated prices,
receipts issued → verified → pledged, revaluation with margin calls,
goods released in proportion as the loan is repaid, liquidation — and credit
insurance (F4) — policies with buyer limits, insured receivables, the
advance cap, financing with assignment of the indemnity, claims and their
payment.

Every operation is one unit of work of
``financing.collateral.service`` (one transaction); another institution's ids answer
404 like ids that do not exist.  Money crosses as decimal strings."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Row

from financing.collateral import service as S
from financing.collateral.insurance import InsuredAdvance
from financing.collateral.warehouse import Cure, PledgeStatus, check_haircut
from ledger.money import format_minor, parse_amount

from .. import sod
from ..auth import Principal, require
from ..deps import EngineDep
from ..fields import IsoDate
from ..idempotency import idempotency_key_header, run_idempotent
from ..jsonnum import JsonStrict
from ..models import Amount, AmountOrZero, ApprovalRequestOut, CurrencyCode, Timestamp
from ..paging import Page, PageQuery, page_query
from ..problems import COMMON_ERRORS
from ..responses import json_response as _json

router = APIRouter(prefix="/v1/financing", tags=["collateral"], responses=COMMON_ERRORS)

STAFF_READ = require("system", "admin", "finance", "approver", scope="financing:read")
STAFF_WRITE = require("system", "finance", scope="financing:write")
ADMIN = require("system", "admin", scope="financing:write")
#: the makers of ``pledge.liquidate`` (api/sod.py); a second person approves
LIQUIDATE = require(*sod.POLICIES["pledge.liquidate"].maker_roles, scope="financing:write")

#: a money amount in a response (major units, as a decimal string)
MoneyOut = Annotated[str, Field(description="Decimal amount in major units, as a string", examples=["1234.56"])]
Ratio = Annotated[str, Field(pattern=r"^0(\.[0-9]{1,6})?$", description="Decimal ratio below 1, as a string", examples=["0.10"])]
RatioToOne = Annotated[str, Field(pattern=r"^(0(\.[0-9]{1,6})?|1(\.0{1,6})?)$", description="Decimal ratio from 0 to 1, as a string", examples=["0.90"])]
Quantity = Annotated[str, Field(pattern=r"^[0-9]{1,12}(\.[0-9]{1,6})?$", description="Positive decimal quantity of goods, as a string", examples=["1000"])]
#: names and references: printable characters (ASCII, Latin-1 letters, CJK punctuation and ideographs, full-width forms), not blank
_VISIBLE = r"!-~\u00c0-\u00ff\u3001-\u303f\u4e00-\u9fff\uff01-\uff5e"
TEXT_PATTERN = rf"^[ {_VISIBLE}]*[{_VISIBLE}][ {_VISIBLE}]*$"
_TEXT = "printable characters (ASCII, Latin-1 letters, CJK punctuation and ideographs, full-width forms), not blank; leading and trailing spaces are dropped"
Text64 = Annotated[str, Field(min_length=1, max_length=64, pattern=TEXT_PATTERN, description=_TEXT)]
Text128 = Annotated[str, Field(min_length=1, max_length=128, pattern=TEXT_PATTERN, description=_TEXT)]


_IDEMPOTENT = "Requires `Idempotency-Key`: a retry with the same key and body replays the first response byte for byte; the same key with another body is 422."
_CUSTOMER = "0190f3a2-7c1e-7c4b-9a55-2f6f1c2d3e4f"
_LOAN = "0190f3a2-7c1e-7c4b-9a55-2f6f1c2d3e51"

_VALUE_DATE = "within the value-date window: back-dated at most 30 days (configurable), never after today in China time; default today"


# -- request bodies ----------------------------------------------------------------------------


class HaircutIn(JsonStrict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"goods_type": "copper", "haircut": "0.10"}]})

    goods_type: Text64 = Field(examples=["copper"])
    haircut: Ratio


class HaircutOut(BaseModel):
    goods_type: str
    haircut: str


class GoodsPriceIn(JsonStrict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"goods_type": "copper", "currency": "CNY", "unit": "t", "price_date": "2026-11-20", "price": "68000.00", "source": "SHFE"}]})

    goods_type: Text64 = Field(examples=["copper"])
    currency: CurrencyCode
    unit: str = Field(min_length=1, max_length=16, pattern=TEXT_PATTERN, examples=["t"])
    price_date: IsoDate = Field(description=_VALUE_DATE.replace("; default today", ""))
    price: AmountOrZero = Field(description="price of one unit of the goods, in `currency` (at most its decimals)")
    source: str | None = Field(default=None, max_length=64)


class GoodsPriceOut(BaseModel):
    goods_type: str
    currency: str
    unit: str
    price_date: date
    price: MoneyOut
    source: str | None


class WarehouseReceiptIn(JsonStrict):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{
            "customer_id": _CUSTOMER, "warehouse_code": "91440300708461136T", "issuer": "Qianhai Bonded Warehouse", "receipt_number": "WR-001", "goods_type": "copper",
            "quantity": "1000", "unit": "t", "location": "Shenzhen B3",
        }]},
    )

    customer_id: UUID
    warehouse_code: str = Field(
        min_length=18, max_length=40, examples=["91440300MA5DC6QX9X"],
        description="the warehouse operator's 18-character unified social credit code (GB 32100-2015, check character verified): with the receipt number, the receipt's identity",
    )
    issuer: Text128 = Field(examples=["Qianhai Bonded Warehouse"], description="the warehouse's name (display only)")
    receipt_number: Text64 = Field(examples=["WR-001"])
    goods_type: Text64 = Field(examples=["copper"])
    quantity: Quantity
    unit: str = Field(min_length=1, max_length=16, pattern=TEXT_PATTERN, examples=["t"])
    location: str = Field(min_length=1, max_length=200, pattern=TEXT_PATTERN, examples=["Shenzhen B3"])


class WarehouseReceiptOut(BaseModel):
    id: UUID
    customer_id: UUID
    warehouse_code: str | None
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


class VerifyIn(JsonStrict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"verified_by": "warehouse-clerk-7"}]})

    verified_by: Text128 = Field(description="who at the issuing warehouse confirmed the receipt", examples=["warehouse-clerk-7"])


class PledgeIn(JsonStrict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"loan_id": _LOAN}, {"loan_id": _LOAN, "as_of": "2026-11-20"}]})

    loan_id: UUID = Field(description="the institution's warehouse-receipt loan the receipt secures (not yet disbursed); the secured amount is the loan's")
    as_of: IsoDate | None = Field(default=None, description=f"valuation date, {_VALUE_DATE}")


class AsOfIn(JsonStrict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{}]})

    as_of: IsoDate | None = Field(default=None, description=f"valuation date, {_VALUE_DATE}")


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
    status: str = Field(description="open | cured | liquidated | closed")
    closed_at: Timestamp | None = None
    closed_by: str | None = Field(default=None, description="who closed it: the user who cured it by pledging more receipts, else `collateral` (a revaluation or repayment)")


class PledgeStatusOut(BaseModel):
    pledge_id: UUID
    currency: str
    outstanding: MoneyOut
    valuation: ValuationOut
    ltv: str
    action: str = Field(description="ok | margin_call | liquidation_allowed | liquidated")
    liquidation_allowed: bool
    margin_call: MarginCallOut | None
    collateral_value: MoneyOut | None = Field(default=None, description="what `ltv` is measured against: every receipt pledged to the loan after haircut")


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


class PolicyIn(JsonStrict):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{
            "customer_id": _CUSTOMER, "policy_number": "SINO-2026-001", "insurer_code": "SINOSURE", "insurer": "Sinosure", "coverage_ratio": "0.90", "currency": "USD",
            "buyer_limits": {"BUYER-DE-1": "150000.00"}, "valid_until": "2027-12-31",
        }]},
    )

    customer_id: UUID
    policy_number: Text64 = Field(examples=["SINO-2026-001"])
    insurer_code: Text64 = Field(examples=["SINOSURE"], description="the insurer's code: with the normalized policy number, the policy's identity")
    insurer: Text128 = Field(examples=["Sinosure"], description="the insurer's name (display only)")
    coverage_ratio: RatioToOne
    currency: CurrencyCode
    buyer_limits: dict[Annotated[str, Field(min_length=1, max_length=128)], AmountOrZero] = Field(
        default_factory=dict, max_length=100, examples=[{"BUYER-DE-1": "150000.00"}], description="buyer's registry code -> credit limit in `currency`",
    )
    valid_until: IsoDate | None = None


class PolicyOut(BaseModel):
    id: UUID
    customer_id: UUID
    insurer_code: str | None
    insurer: str
    policy_number: str
    coverage_ratio: str
    currency: str
    valid_until: date | None
    buyer_limits: dict[str, MoneyOut]
    created_at: Timestamp


class BuyerLimitIn(JsonStrict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"buyer_ref": "BUYER-DE-1", "limit": "150000.00"}]})

    buyer_ref: Text128 = Field(examples=["BUYER-DE-1"])
    limit: AmountOrZero = Field(description="in the policy's currency (0 stops new financing on the buyer)")


class BuyerLimitOut(BaseModel):
    policy_id: UUID
    buyer_ref: str
    currency: str
    limit: MoneyOut


class ReceivableIn(JsonStrict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"buyer_ref": "BUYER-DE-1", "invoice_number": "INV-9", "amount": "120000.00", "due_date": "2027-02-28"}]})

    buyer_ref: Text128 = Field(examples=["BUYER-DE-1"], description="the buyer's registry code: with the normalized invoice number, the receivable's identity")
    invoice_number: Text64 = Field(examples=["INV-9"])
    amount: Amount = Field(description="in the policy's currency")
    due_date: IsoDate


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


class FinanceReceivableIn(JsonStrict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"loan_id": _LOAN, "assignee": "Bank lending desk"}]})

    loan_id: UUID = Field(description="the institution's credit-insurance loan the receivable secures (same currency, not yet disbursed)")
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


class ClaimIn(JsonStrict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"amount": "100000.00"}]})

    amount: Amount = Field(description="in the receivable's currency, at most the receivable")
    filed_on: IsoDate | None = Field(default=None, description=_VALUE_DATE)


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


class ClaimPaymentIn(JsonStrict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"amount": "90000.00"}]})

    amount: AmountOrZero = Field(description="in the receivable's currency, at most the claim")
    paid_on: IsoDate | None = Field(default=None, description=_VALUE_DATE)


class ClaimPaymentOut(BaseModel):
    claim_id: UUID
    receivable_id: UUID
    currency: str
    paid: MoneyOut
    financing_ref: str | None = Field(description="the financing the indemnity is assigned to (null: paid to the exporter)")
    assigned_to: str | None


class CureIn(JsonStrict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"receipt_ids": ["0190f3a2-7c1e-7c4b-9a55-2f6f1c2d3e60"]}]})

    receipt_ids: list[UUID] = Field(
        min_length=1, max_length=20,
        description="verified warehouse receipts of the loan's customer, not pledged anywhere: pledged to the loan when, together with what it holds, they bring its LTV back to the limit",
    )
    as_of: IsoDate | None = Field(default=None, description=f"valuation date, {_VALUE_DATE}")


class AddedPledgeOut(BaseModel):
    receipt_id: UUID
    pledge_id: UUID
    value: MoneyOut = Field(description="the receipt's goods after haircut on `as_of`")


class CureOut(BaseModel):
    margin_call: MarginCallOut
    pledge_id: UUID = Field(description="the pledge the margin call was opened on")
    loan_id: str = Field(description="the loan (financing reference) the receipts now secure")
    currency: str
    outstanding: MoneyOut
    collateral_value: MoneyOut = Field(description="every receipt pledged to the loan, after haircut, on `as_of`")
    ltv: str = Field(description="outstanding / collateral value after the cure")
    limit: str = Field(description="the LTV a cure must reach: the product's `max_ltv` (default 0.60)")
    added: list[AddedPledgeOut]


class ExpiredPolicyAdvanceOut(BaseModel):
    loan_id: UUID
    customer_id: UUID
    currency: str
    principal_outstanding: MoneyOut
    policy_id: UUID
    policy_number: str
    insurer: str
    valid_until: date = Field(description="the last day of cover")
    days_since_expiry: int
    receivable_id: UUID
    invoice_number: str
    buyer_ref: str


#: an empty body (every field defaulted): the routes whose body is optional
_NO_BODY = AsOfIn()


# -- rendering ----------------------------------------------------------------------------------


async def _once(request: Request, principal: Principal, status: int, produce: Callable[[], Awaitable[Any]]) -> Response:
    """Run ``produce()`` once per Idempotency-Key; retries replay the stored bytes."""

    async def handler(key: str) -> Response:
        return _json(status, await produce())

    return await run_idempotent(request, principal, handler)


def _dec(d: Decimal) -> str:
    """A decimal as plain text without trailing zeros (500, 0.5)."""
    return format(d.normalize(), "f") if d.is_finite() else str(d)


def _m(v: int | None, cur: str) -> str | None:
    return None if v is None else format_minor(int(v), cur)


def _mm(v: int, cur: str) -> str:
    return format_minor(int(v), cur)


def _receipt_out(r: Row[Any]) -> WarehouseReceiptOut:
    return WarehouseReceiptOut(
        id=r.id, customer_id=r.customer_id, warehouse_code=r.warehouse_code, issuer=r.issuer, receipt_number=r.receipt_number, goods_type=r.goods_type, quantity=r.quantity,
        unit=r.unit, location=r.location, status=r.status, verified_by=r.verified_by, verified_at=r.verified_at, created_at=r.created_at, updated_at=r.updated_at,
    )


def _call_out(c: dict[str, Any], cur: str) -> MarginCallOut:
    return MarginCallOut(
        id=c["id"], opened_on=c["opened_on"], cure_by=c["cure_by"], ltv=str(c["ltv"]), valuation=_mm(c["valuation_minor"], cur),
        outstanding=_mm(c["outstanding_minor"], cur), shortfall=_mm(c["shortfall_minor"], cur), collateral=_mm(c["collateral_minor"], cur), status=c["status"],
        closed_at=c.get("closed_at"), closed_by=c.get("closed_by"),
    )


def _cure_out(c: Cure) -> CureOut:
    cur = c.currency
    return CureOut(
        margin_call=_call_out(c.call, cur), pledge_id=c.pledge_id, loan_id=c.loan_ref, currency=cur, outstanding=_mm(c.outstanding_minor, cur),
        collateral_value=_mm(c.collateral_value_minor, cur), ltv=str(c.ltv), limit=str(c.limit),
        added=[AddedPledgeOut(receipt_id=r, pledge_id=p, value=_mm(v, cur)) for r, p, v in c.added],
    )


def _status_out(s: PledgeStatus) -> PledgeStatusOut:
    cur, v = s.currency, s.valuation
    return PledgeStatusOut(
        pledge_id=s.pledge_id, currency=cur, outstanding=_mm(s.outstanding_minor, cur),
        valuation=ValuationOut(
            currency=v.currency, quantity=_dec(v.quantity), price=_mm(v.price_minor, cur), price_date=v.price_date, haircut=str(v.haircut),
            gross=_mm(v.gross_minor, cur), value=_mm(v.value_minor, cur),
        ),
        ltv=str(s.ltv), action=s.action, liquidation_allowed=s.liquidation_allowed, margin_call=None if s.margin_call is None else _call_out(s.margin_call, cur),
        collateral_value=_m(s.collateral_value_minor, cur),
    )


def _receivable_out(r: Row[Any]) -> ReceivableOut:
    return ReceivableOut(
        id=r.id, policy_id=r.policy_id, buyer_ref=r.buyer_ref, invoice_number=r.invoice_number, currency=r.currency, amount=_mm(r.amount_minor, r.currency),
        due_date=r.due_date, status=r.status, financing_ref=r.financing_ref, assigned_to=r.assigned_to, created_at=r.created_at,
    )


def _advance_out(receivable_id: UUID, a: InsuredAdvance) -> InsuredAdvanceOut:
    cur = a.currency
    return InsuredAdvanceOut(
        receivable_id=receivable_id, currency=cur, declared=_mm(a.declared_minor, cur), buyer_limit=_mm(a.buyer_limit_minor, cur),
        buyer_limit_available=_mm(a.buyer_limit_available_minor, cur), covered=_mm(a.covered_minor, cur), coverage_ratio=str(a.coverage_ratio),
        advance_rate=str(a.advance_rate), max_advance=_mm(a.max_advance_minor, cur),
    )


def _policy_out(v: S.PolicyView) -> PolicyOut:
    p = v.policy
    return PolicyOut(
        id=p.id, customer_id=p.customer_id, insurer_code=p.insurer_code, insurer=p.insurer, policy_number=p.policy_number, coverage_ratio=p.coverage_ratio, currency=p.currency,
        valid_until=p.valid_until, buyer_limits={b: _mm(x, p.currency) for b, x in v.buyer_limits}, created_at=p.created_at,
    )


def _claim_out(c: Row[Any], cur: str) -> ClaimOut:
    return ClaimOut(
        id=c.id, receivable_id=c.receivable_id, currency=cur, claimed=_mm(c.claimed_minor, cur), filed_on=c.filed_on, status=c.status,
        paid=_m(c.paid_minor, cur), paid_on=c.paid_on, created_at=c.created_at,
    )


def _pledge_out(p: dict[str, Any]) -> PledgeOut:
    cur = p["currency"]
    return PledgeOut(
        id=p["id"], receipt_id=p["receipt_id"], financing_ref=p["financing_ref"], currency=cur, loan=_mm(p["loan_minor"], cur), outstanding=_mm(p["outstanding_minor"], cur),
        quantity_pledged=p["quantity_pledged"], quantity_released=p["quantity_released"], status=p["status"], valuation=_mm(p["valuation_minor"], cur),
        valued_on=p["valued_on"], ltv=p["ltv"], pledged_at=p["pledged_at"], closed_at=p["closed_at"], margin_calls=[_call_out(c, cur) for c in p["margin_calls"]],
    )


# -- F3: warehouse receipts ---------------------------------------------------------------------

_Key = Depends(idempotency_key_header)
_PAGE = page_query()


@router.post(
    "/goods-haircuts", status_code=202, response_model=ApprovalRequestOut, summary="Set the haircut of a goods type (F3; once a checker approves)",
    description=(
        "Four eyes (`goods_haircut.set`): requires `Idempotency-Key`; checked now (422 as the action would answer), then answers 202 with a pending "
        "approval request (`Location: /v1/approval-requests/{id}`). A different person with role approver or admin approves it with "
        "`POST /v1/approval-requests/{id}/approve`, which executes it; its `result` is the haircut set."
    ),
)
async def set_haircut(body: HaircutIn, request: Request, principal: Principal = Depends(ADMIN), _key: str = _Key) -> Response:
    async def handler(key: str) -> Response:
        goods_type, h = check_haircut(body.goods_type, body.haircut)
        return await sod.submit(
            request, principal, "goods_haircut.set", body.model_dump(mode="json"), summary=f"set the haircut of {goods_type!r} to {_dec(h)}",
            object_type="goods_haircut", object_id=goods_type,
        )

    return await run_idempotent(request, principal, handler)


async def _execute_haircut(ctx: Any, institution_id: UUID, params: dict[str, Any], checker: Principal, req: Any) -> tuple[int, dict[str, Any]]:
    body = HaircutIn.model_validate_json(json.dumps(params))
    await S.set_haircut(ctx.engine, institution_id, body.goods_type, body.haircut)
    return 201, jsonable_encoder(HaircutOut(goods_type=body.goods_type.strip(), haircut=str(Decimal(body.haircut))))


sod.register("goods_haircut.set", _execute_haircut)


@router.post(
    "/goods-prices", status_code=201, response_model=GoodsPriceOut, summary="Record the price of one unit of a goods type on a date (replaces that day's)", description=_IDEMPOTENT,
)
async def set_price(body: GoodsPriceIn, request: Request, engine: EngineDep, principal: Principal = Depends(ADMIN), _key: str = _Key) -> Response:
    price = parse_amount(body.price, body.currency, field="price", allow_zero=True)

    async def produce() -> GoodsPriceOut:
        await S.set_price(engine, principal.institution_id, body.goods_type, body.currency, body.unit, body.price_date, price, source=body.source)
        return GoodsPriceOut(goods_type=body.goods_type.strip(), currency=body.currency, unit=body.unit, price_date=body.price_date, price=_mm(price, body.currency), source=body.source)

    return await _once(request, principal, 201, produce)


@router.post("/warehouse-receipts", status_code=201, response_model=WarehouseReceiptOut, summary="Record a warehouse receipt presented by a customer (issued)", description=_IDEMPOTENT)
async def issue_receipt(body: WarehouseReceiptIn, request: Request, engine: EngineDep, principal: Principal = Depends(STAFF_WRITE), _key: str = _Key) -> Response:
    async def produce() -> WarehouseReceiptOut:
        row = await S.issue_receipt(
            engine, principal.institution_id, body.customer_id, warehouse_code=body.warehouse_code, issuer=body.issuer, receipt_number=body.receipt_number,
            goods_type=body.goods_type, quantity=body.quantity, unit=body.unit, location=body.location, actor=principal.actor,
        )
        return _receipt_out(row)

    return await _once(request, principal, 201, produce)


@router.post("/warehouse-receipts/{receipt_id}/verify", response_model=WarehouseReceiptOut, summary="The issuing warehouse confirmed the receipt: issued → verified")
async def verify_receipt(receipt_id: UUID, body: VerifyIn, engine: EngineDep, principal: Principal = Depends(STAFF_WRITE)) -> WarehouseReceiptOut:
    return _receipt_out(await S.verify_receipt(engine, principal.institution_id, receipt_id, body.verified_by))


@router.post(
    "/warehouse-receipts/{receipt_id}/pledge", status_code=201, response_model=PledgeStatusOut,
    summary="Pledge a verified receipt for a loan (refused above the initial LTV, or when it already backs a financing anywhere)", description=_IDEMPOTENT,
)
async def pledge_receipt(receipt_id: UUID, body: PledgeIn, request: Request, engine: EngineDep, principal: Principal = Depends(STAFF_WRITE), _key: str = _Key) -> Response:
    async def produce() -> PledgeStatusOut:
        return _status_out(await S.pledge_receipt(engine, principal.institution_id, receipt_id, body.loan_id, body.as_of))

    return await _once(request, principal, 201, produce)


@router.get("/pledges/{pledge_id}", response_model=PledgeOut, summary="A pledge with its margin calls")
async def get_pledge(pledge_id: UUID, engine: EngineDep, principal: Principal = Depends(STAFF_READ)) -> PledgeOut:
    return _pledge_out(await S.get_pledge(engine, principal.institution_id, pledge_id))


@router.post("/pledges/{pledge_id}/revalue", response_model=PledgeStatusOut, summary="Revalue the pledged goods; opens a margin call above the margin-call LTV")
async def revalue_pledge(pledge_id: UUID, engine: EngineDep, body: AsOfIn = _NO_BODY, principal: Principal = Depends(STAFF_WRITE)) -> PledgeStatusOut:
    return _status_out(await S.revalue_pledge(engine, principal.institution_id, pledge_id, body.as_of))


@router.post(
    "/margin-calls/{call_id}/cure", response_model=CureOut, summary="Cure an open margin call by pledging more warehouse receipts to its loan",
    description=f"{_IDEMPOTENT} The receipts (verified, of the loan's customer, pledged nowhere) are valued on `as_of`; when the loan's outstanding over every "
    "receipt pledged to it is back at or below the product's `max_ltv` (default 0.60) they are pledged to the loan and the call is `cured` (who and when "
    "recorded, audited, event `collateral.margin_call_cured`). Otherwise nothing is pledged and the call stays open: 422 `margin_call_not_cured` with the "
    "collateral still missing; 409 `asset_already_financed` for a receipt pledged or encumbered elsewhere; 422 `collateral_of_another_customer`; another "
    "institution's margin call or receipt is 404.",
)
async def cure_margin_call(call_id: UUID, body: CureIn, request: Request, engine: EngineDep, principal: Principal = Depends(STAFF_WRITE), _key: str = _Key) -> Response:
    async def produce() -> CureOut:
        return _cure_out(await S.cure_margin_call(engine, principal.institution_id, call_id, body.receipt_ids, body.as_of, principal.actor))

    return await _once(request, principal, 200, produce)


@router.post(
    "/pledges/{pledge_id}/liquidate", status_code=202, response_model=ApprovalRequestOut,
    summary="Propose liquidating the pledged goods (LTV above the liquidation LTV, or a margin call past its cure date; four eyes)",
    description="Four eyes (`pledge.liquidate`): answers 202 with a pending approval request (`Location: /v1/approval-requests/{id}`); the goods are "
    "liquidated only when a different person with a checker role approves it, whose `result` is the pledge's status. A pledge that may not be "
    "liquidated on `as_of` is refused now (409 `liquidation_not_allowed`), and checked again when approved.",
)
async def liquidate_pledge(
    pledge_id: UUID, request: Request, engine: EngineDep, body: AsOfIn = _NO_BODY, principal: Principal = Depends(LIQUIDATE), _key: str = Depends(idempotency_key_header),
) -> Response:
    async def handler(key: str) -> Response:
        st = await S.check_liquidation(engine, principal.institution_id, pledge_id, body.as_of)
        summary = f"liquidate pledge {pledge_id} (LTV {st.ltv}, {_mm(st.outstanding_minor, st.currency)} {st.currency} outstanding)"
        params = {"pledge_id": str(pledge_id), "as_of": None if body.as_of is None else body.as_of.isoformat()}
        return await sod.submit(request, principal, "pledge.liquidate", params, summary=summary, object_type="pledge", object_id=str(pledge_id))

    return await run_idempotent(request, principal, handler)


async def _execute_liquidation(ctx: Any, institution_id: UUID, params: dict[str, Any], checker: Principal, _row: Any) -> tuple[int, dict[str, Any]]:
    """``pledge.liquidate`` approved: liquidate on the proposed day."""
    as_of = None if params.get("as_of") is None else date.fromisoformat(params["as_of"])
    return 200, jsonable_encoder(_status_out(await S.liquidate_pledge(ctx.engine, institution_id, UUID(params["pledge_id"]), as_of)))


sod.register("pledge.liquidate", _execute_liquidation)


# -- F4: credit insurance -----------------------------------------------------------------------


@router.post(
    "/insurance-policies", status_code=201, response_model=PolicyOut, summary="Record a customer's export credit insurance policy with buyer limits (F4)", description=_IDEMPOTENT,
)
async def create_policy(body: PolicyIn, request: Request, engine: EngineDep, principal: Principal = Depends(STAFF_WRITE), _key: str = _Key) -> Response:
    limits = {b: parse_amount(v, body.currency, field=f"buyer_limits.{b}", allow_zero=True) for b, v in body.buyer_limits.items()}

    async def produce() -> PolicyOut:
        view = await S.create_policy(
            engine, principal.institution_id, body.customer_id, policy_number=body.policy_number, insurer=body.insurer, insurer_code=body.insurer_code,
            coverage_ratio=body.coverage_ratio, currency=body.currency, buyer_limits=limits, valid_until=body.valid_until,
        )
        return _policy_out(view)

    return await _once(request, principal, 201, produce)


@router.post("/insurance-policies/{policy_id}/buyer-limits", response_model=BuyerLimitOut, summary="Set a buyer's credit limit under the policy")
async def set_buyer_limit(policy_id: UUID, body: BuyerLimitIn, engine: EngineDep, principal: Principal = Depends(STAFF_WRITE)) -> BuyerLimitOut:
    lim = await S.set_buyer_limit(engine, principal.institution_id, policy_id, body.buyer_ref, body.limit)
    return BuyerLimitOut(policy_id=policy_id, buyer_ref=body.buyer_ref.strip(), currency=lim.currency, limit=_mm(lim.limit_minor, lim.currency))


@router.post(
    "/insurance-policies/{policy_id}/receivables", status_code=201, response_model=ReceivableOut, summary="Declare a receivable on a buyer as insured under the policy",
    description=_IDEMPOTENT,
)
async def declare_receivable(policy_id: UUID, body: ReceivableIn, request: Request, engine: EngineDep, principal: Principal = Depends(STAFF_WRITE), _key: str = _Key) -> Response:
    async def produce() -> ReceivableOut:
        row = await S.declare_receivable(
            engine, principal.institution_id, policy_id, buyer_ref=body.buyer_ref, invoice_number=body.invoice_number, amount=body.amount, due_date=body.due_date,
        )
        return _receivable_out(row)

    return await _once(request, principal, 201, produce)


@router.get("/insured-receivables/{receivable_id}/advance", response_model=InsuredAdvanceOut, summary="The most an insured receivable can back: advance rate x coverage x min(declared, buyer limit)")
async def insured_advance(receivable_id: UUID, engine: EngineDep, principal: Principal = Depends(STAFF_READ)) -> InsuredAdvanceOut:
    return _advance_out(receivable_id, await S.insured_advance(engine, principal.institution_id, receivable_id))


@router.get(
    "/insurance-policies/expired-advances", response_model=Page[ExpiredPolicyAdvanceOut], summary="Active loans financed under a credit-insurance policy that expired",
    description="One row per loan and financed receivable whose policy's `valid_until` is before `as_of` (default today in China time). No new advance is "
    "made on such a policy (422 `policy_expired`); the daily job also flags each loan once (event `policy.expired_advance`).",
)
async def expired_policy_advances(
    engine: EngineDep, as_of: Annotated[IsoDate | None, Query(description="the business date (default today, China time)")] = None, page: PageQuery = Depends(_PAGE),
    principal: Principal = Depends(STAFF_READ),
) -> Page[Any]:
    after = page.after("expired-policy-advances")
    rows = await S.expired_policy_advances(engine, principal.institution_id, as_of)
    if after is not None:
        rows = [r for r in rows if [r["loan_id"], r["receivable_id"]] > [str(x) for x in after]]
    return page.build("expired-policy-advances", rows[: page.limit + 1], key=lambda r: [r["loan_id"], r["receivable_id"]], out=lambda r: ExpiredPolicyAdvanceOut(**r))


@router.post("/insured-receivables/{receivable_id}/finance", response_model=InsuredAdvanceOut, summary="Encumber the insured receivable for a financing and assign the indemnity to the lender")
async def finance_receivable(receivable_id: UUID, body: FinanceReceivableIn, engine: EngineDep, principal: Principal = Depends(STAFF_WRITE)) -> InsuredAdvanceOut:
    adv = await S.finance_receivable(engine, principal.institution_id, receivable_id, body.loan_id, assignee=body.assignee)
    return _advance_out(receivable_id, adv)


@router.post("/insured-receivables/{receivable_id}/release", response_model=ReceivableOut, summary="The financing is repaid: free the insured receivable")
async def release_receivable(receivable_id: UUID, engine: EngineDep, principal: Principal = Depends(STAFF_WRITE)) -> ReceivableOut:
    return _receivable_out(await S.release_receivable(engine, principal.institution_id, receivable_id))


@router.post(
    "/insured-receivables/{receivable_id}/claims", status_code=201, response_model=ClaimOut, summary="File a claim with the insurer on an unpaid insured receivable", description=_IDEMPOTENT,
)
async def file_claim(receivable_id: UUID, body: ClaimIn, request: Request, engine: EngineDep, principal: Principal = Depends(STAFF_WRITE), _key: str = _Key) -> Response:
    async def produce() -> ClaimOut:
        filed = await S.file_claim(engine, principal.institution_id, receivable_id, body.amount, body.filed_on)
        return _claim_out(filed.claim, filed.currency)

    return await _once(request, principal, 201, produce)


@router.post(
    "/insurance-claims/{claim_id}/payments", response_model=ClaimPaymentOut,
    summary="The insurer paid the claim (the loans module posts it as a repayment of the assigned financing)", description=_IDEMPOTENT,
)
async def record_claim_payment(claim_id: UUID, body: ClaimPaymentIn, request: Request, engine: EngineDep, principal: Principal = Depends(STAFF_WRITE), _key: str = _Key) -> Response:
    async def produce() -> ClaimPaymentOut:
        paid = await S.record_claim_payment(engine, principal.institution_id, claim_id, body.amount, body.paid_on)
        return ClaimPaymentOut(
            claim_id=paid.claim_id, receivable_id=paid.receivable_id, currency=paid.currency, paid=_mm(paid.paid_minor, paid.currency),
            financing_ref=paid.financing_ref, assigned_to=paid.assigned_to,
        )

    return await _once(request, principal, 200, produce)
