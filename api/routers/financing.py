"""Financing routes (F1-F6): products, underwriting decisions, the SME
application path (apply → decision → offer → acceptance), disbursement with
the one-asset-one-financing registry, repayments, the accrual job,
write-off and the portfolio.

SME users see and act only on their own merchant's applications and loans:
another merchant's loan answers 404, like another institution's."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from financing import applications as A
from financing import loans as L
from financing import products as P
from financing import reasons as R
from financing import underwriting as U
from financing.amounts import public_amounts
from financing.kinds import KindCode
from financing.valuedates import ValueDateOutOfWindow
from ledger.clock import business_today
from ledger.errors import InvalidInput
from ledger.money import format_minor

from .. import sod
from ..auth import Principal, require
from ..deps import EngineDep, LedgerDep
from ..fields import IsoDate, StrictBool, StrictInt
from ..idempotency import StoredAnswer, idempotency_key_header, run_idempotent
from ..jsonnum import JsonStrict
from ..models import Amount, ApprovalRequestOut, CurrencyCode, Timestamp
from ..paging import Page, PageQuery, invalid_cursor, page_query
from ..problems import COMMON_ERRORS

router = APIRouter(prefix="/v1/financing", tags=["financing"], responses=COMMON_ERRORS)

STAFF_READ = require("system", "admin", "finance", "approver", scope="financing:read")
STAFF_WRITE = require("system", "finance", scope="financing:write")
DECIDE = require("system", "approver", scope="financing:write")
ADMIN = require("system", "admin", scope="financing:write")
APPLICANT = require("system", "finance", "sme", scope="financing:write")
LOAN_READ = require("system", "admin", "finance", "approver", "sme", scope="financing:read")
UNDERWRITE = require("system", "finance", "approver", scope="financing:write")
ACCEPT = require("system", "sme", scope="financing:write")
#: the makers of ``loan.write_off`` (api/sod.py); a second person approves
WRITE_OFF = require(*sod.POLICIES["loan.write_off"].maker_roles, scope="financing:write")
#: ?limit= (default 50, at most 1000) and ?cursor=
PAGE = page_query()

#: a rate or ratio as a decimal string (0.073 = 7.3 % a year)
Rate = Annotated[str, Field(pattern=r"^[0-9]{1,3}(\.[0-9]{1,8})?$", description="decimal rate as a string (0.073 = 7.3 %)", examples=["0.073"])]
Component = Literal["penalty", "interest", "fees", "principal"]
LoanStatus = Literal["applied", "declined", "approved", "offered", "offer_declined", "accepted", "active", "repaid", "written_off"]
#: an amount in a response: decimal string in major units of the object's `currency`
MoneyOut = Annotated[str, Field(description="decimal amount in major units of the object's `currency`, with the currency's decimals", examples=["1234.50"])]

_ZERO = r"^0+(\.0+)?$"


def _not_zero(value: str) -> str:
    if re.fullmatch(_ZERO, value):
        raise ValueError("the amount must be greater than zero")
    return value


#: a positive amount: ``api.models.Amount`` without zero ("0", "0.00"), which these routes refuse
PositiveAmount = Annotated[Amount, AfterValidator(_not_zero), Field(json_schema_extra={"not": {"pattern": _ZERO}})]

_APPLICATION_EXAMPLE: dict[str, Any] = {"customer_id": "0190f3a2-7c1e-7c4b-9a55-2f6f1c2d3e4f", "product_id": "0190f3a2-7c1e-7c4b-9a55-2f6f1c2d3e50", "amount": "80000.00", "tenor_days": 90}


class ProductConfigIn(JsonStrict):
    """A product's settings; each has a default."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"fixed_rate": "0.073", "advance_rate": "0.70", "max_tenor_days": 180}]})

    advance_rate: Rate | None = Field(default=None, description="share of the collateral's value advanced (default 0.70)")
    max_ltv: Rate | None = None
    min_tenor_days: StrictInt | None = Field(default=None, ge=1, le=3650)
    max_tenor_days: StrictInt | None = Field(default=None, ge=1, le=3650)
    fixed_rate: Rate | None = Field(default=None, description="annual rate; or lpr_tenor + spread_bp (CNY)")
    lpr_tenor: Literal["1y", "5y"] | None = None
    spread_bp: StrictInt | None = Field(default=None, ge=-10000, le=10000)
    day_count: str | None = Field(default=None, max_length=16, examples=["ACT/360"])
    arrangement_fee_bp: StrictInt | None = Field(default=None, ge=0, le=10000)
    waterfall: list[Component] | None = Field(default=None, min_length=4, max_length=4)
    sweep_waterfall: list[Component] | None = Field(default=None, min_length=4, max_length=4)
    sweep_rate: Rate | None = None
    min_repayment_bp_per_30d: StrictInt | None = Field(default=None, ge=0, le=10000)
    penalty_rate: Rate | None = None
    dpd_buckets: list[tuple[Annotated[str, Field(min_length=1, max_length=16)], Annotated[StrictInt, Field(ge=0)], Annotated[StrictInt, Field(ge=0)] | None]] | None = Field(
        default=None, min_length=1, max_length=20, examples=[[["1-30", 1, 30], ["31-60", 31, 60], ["61-90", 61, 90], ["90+", 91, None]]]
    )
    npl_from_bucket: str | None = Field(default=None, max_length=16)
    schedule_method: Literal["bullet", "equal_principal", "equal_instalment"] | None = Field(
        default=None, description="bullet (default; all at maturity), equal_principal (等额本金) or equal_instalment (等额本息, annuity): monthly, tenor_days // 30 instalments"
    )
    prepayment_rule: Literal["reduce_instalment", "shorten_term"] | None = Field(
        default=None, description="after a partial or early repayment: keep the term and lower the instalments (default), or keep the instalment and end earlier"
    )

    def settings(self) -> dict[str, Any]:
        out = self.model_dump(exclude_none=True)
        if "dpd_buckets" in out:
            out["dpd_buckets"] = [list(b) for b in out["dpd_buckets"]]
        return out


class ProductIn(JsonStrict):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"code": "order-usd", "kind": "order", "currency": "USD", "config": {"fixed_rate": "0.073", "max_tenor_days": 180}}]},
    )

    code: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.\-]+$")
    kind: KindCode
    currency: CurrencyCode
    config: ProductConfigIn = Field(default_factory=ProductConfigIn, description="advance_rate, fixed_rate or lpr_tenor + spread_bp, day_count, tenor limits, fees, waterfall, sweep_rate, penalty_rate ... (rates as decimal strings)")


class ProductOut(BaseModel):
    id: UUID
    code: str
    kind: str
    currency: str
    config: dict[str, Any]


class LprIn(JsonStrict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"tenor": "1y", "effective_date": "2026-11-20", "rate": "0.0345"}]})

    tenor: Literal["1y", "5y"]
    effective_date: IsoDate
    rate: str = Field(pattern=r"^0\.[0-9]{1,8}$", examples=["0.0345"])


class UnderwriteIn(JsonStrict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"customer_id": "0190f3a2-7c1e-7c4b-9a55-2f6f1c2d3e4f"}]})

    customer_id: UUID
    as_of: IsoDate | None = Field(default=None, description="default today (China time)")


class TextOut(BaseModel):
    zh: str
    en: str


class ExplanationOut(BaseModel):
    code: str = Field(description="SUMMARY first, then each reason code (STAFF: a reason typed by a credit officer)")
    text: TextOut
    figures: dict[str, str | None] = Field(description="the figures behind the reason (amounts with their currency)")
    to_change: TextOut = Field(description="what would change the answer (empty when nothing needs to)")


class DecisionOut(BaseModel):
    id: UUID | None
    customer_id: UUID
    decision: str
    score: int
    reasons: list[str]
    limit: MoneyOut | None
    currency: str | None
    model_version: str
    explanations: list[ExplanationOut] = Field(default_factory=list, description="the outcome and each reason in words, Chinese and English, with the figures and what would change the answer")
    inputs: dict[str, Any] = Field(description="the features scored, points, gross limit and existing exposure (amounts as decimal strings in `currency`)")


class OrderAssets(JsonStrict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"platform_code": "shopx", "order_ids": ["A-1001", "A-1002"]}]})

    platform_code: str = Field(max_length=64)
    order_ids: list[Annotated[str, Field(min_length=1, max_length=128)]] = Field(min_length=1, max_length=5000)


class ApplicationIn(JsonStrict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [dict(_APPLICATION_EXAMPLE), {**_APPLICATION_EXAMPLE, "orders": {"platform_code": "shopx", "order_ids": ["A-1001", "A-1002"]}}]})

    customer_id: UUID | None = Field(
        default=None,
        description="the merchant applying: required of staff and system keys (422 `customer_required` without it); SME users apply for their own merchant and may leave it out",
    )
    product_id: UUID
    amount: PositiveAmount = Field(description="in the product's currency, at most its decimals; not zero")
    tenor_days: StrictInt = Field(ge=1, le=3650)
    orders: OrderAssets | None = Field(default=None, description="platform orders offered as collateral (order financing, F2)")


class DecisionIn(JsonStrict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"approve": True, "amount": "70000.00"}, {"approve": False, "reasons": ["INSUFFICIENT_HISTORY"]}]})

    approve: StrictBool
    amount: PositiveAmount | None = Field(default=None, description="approved amount in the loan's currency (default the request), at most the limit")
    reasons: list[Annotated[str, Field(max_length=200)]] = Field(default_factory=list, max_length=20)


_VALUE_DATE = "value date: back-dated at most 30 days (XBORDER_FINANCING_BACKDATE_DAYS), never after today in China time; default today"


class RepaymentIn(JsonStrict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"amount": "1000.00"}]})

    amount: PositiveAmount = Field(description="in the loan's currency, at most its decimals; not zero")
    reference: str | None = Field(default=None, min_length=1, max_length=100, description="default: the Idempotency-Key")
    value_date: IsoDate | None = Field(default=None, description=f"{_VALUE_DATE}; not before the disbursement nor a day already accrued")


class DisbursementIn(JsonStrict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{}]})

    value_date: IsoDate | None = Field(default=None, description=f"{_VALUE_DATE}; interest and the due date (days past due) count from it")


#: an empty disbursement body (the body is optional)
_NO_DISBURSEMENT = DisbursementIn()


class AccrualIn(JsonStrict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"as_of": "2026-11-20"}]})

    as_of: IsoDate = Field(
        description="accrue interest for every day up to this one (China time), never beyond today: interest not yet earned is not booked "
        "(a day after today is 422 `value_date_out_of_window`)",
    )


def _not_in_the_future(as_of: date) -> None:
    """A day after today (China time) is refused: interest is accrued only for days that have passed."""
    today = business_today()
    if as_of > today:
        err = ValueDateOutOfWindow.__new__(ValueDateOutOfWindow)
        InvalidInput.__init__(
            err, f"as_of {as_of.isoformat()} is after today ({today.isoformat()}, China time): interest is accrued only for days that have passed",
            field="as_of", value=as_of.isoformat(), latest=today.isoformat(),
        )
        raise err


class AccruedOut(BaseModel):
    currency: str
    interest: MoneyOut
    penalty: MoneyOut


class AccrualOut(BaseModel):
    as_of: date
    loans: int = Field(description="loans that accrued interest or penalty in this run")
    accrued: list[AccruedOut] = Field(description="interest and penalty posted, per currency")


class WriteOffIn(JsonStrict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"reason": "merchant insolvent; recovery unlikely"}]})

    reason: str = Field(min_length=1, max_length=500)


class ScheduleItemOut(BaseModel):
    number: int | None = Field(default=None, description="1 for the first instalment (absent on offers made before schedules)")
    start: date | None = Field(default=None, description="first day of the instalment's interest")
    due_date: date
    days: int | None = Field(default=None, description="days of interest (start inclusive, due date exclusive)")
    principal: MoneyOut
    interest: MoneyOut = Field(description="the daily accrual of the instalment's days on the principal then outstanding")
    fee: MoneyOut
    total: MoneyOut | None = None


class OfferOut(BaseModel):
    currency: str
    principal: MoneyOut
    start: date
    due_date: date
    tenor_days: int
    annual_rate: str
    day_count: str
    interest: MoneyOut
    fee: MoneyOut
    total_cost: MoneyOut = Field(description="interest + fees")
    total_repayable: MoneyOut = Field(description="principal + interest + fees")
    schedule: list[ScheduleItemOut]
    pricing: dict[str, Any]
    schedule_method: str = "bullet"
    prepayment_rule: str | None = None
    annual_percentage_rate: str | None = Field(default=None, description="annualized cost in percent, two decimals: the IRR of the cash flows per period x periods per year")
    disclosure: TextOut | None = Field(default=None, description="the cost of the offer in one sentence, Chinese and English")


class NextDueOut(BaseModel):
    number: int = Field(description="the instalment's number")
    due_date: date
    amount: MoneyOut = Field(description="what remains to pay of it")


class InstalmentOut(BaseModel):
    number: int
    start: date = Field(description="first day of the instalment's interest")
    due_date: date
    principal: MoneyOut
    interest: MoneyOut = Field(description="the daily accrual of the instalment's days on the principal then outstanding")
    fee: MoneyOut
    total: MoneyOut
    paid: MoneyOut = Field(description="paid so far (repayments less penalty interest, to the earliest instalment due first)")
    status: Literal["due", "paid", "overdue", "partially_paid"] = Field(description="`overdue` once its due date has passed unpaid")


class PrepaymentOut(BaseModel):
    value_date: date
    amount: MoneyOut = Field(description="what the repayment paid beyond the instalments due")
    principal: MoneyOut = Field(description="principal it repaid ahead of the schedule")
    after_instalment: int = Field(description="the instalments kept; the later ones were rebuilt by the prepayment rule")


class LoanScheduleOut(BaseModel):
    loan_id: UUID
    currency: str
    status: str
    method: str
    prepayment_rule: str
    day_count: str
    principal: MoneyOut
    dpd: int
    next_due: NextDueOut | None = Field(description="the earliest instalment not paid in full (none once the loan is closed)")
    instalments: list[InstalmentOut]
    prepayments: list[PrepaymentOut]


class LoanDecisionOut(BaseModel):
    approved: bool
    reasons: list[str]
    explanations: list[ExplanationOut] = Field(default_factory=list, description="each reason in words with its figures and what would change it")
    inputs: dict[str, Any]
    limit: MoneyOut | None = Field(description="in the loan's currency")
    decided_by: str | None
    decided_at: str | None


class LoanOut(BaseModel):
    id: UUID
    customer_id: UUID
    product_id: UUID
    currency: str
    status: str
    requested: MoneyOut
    limit: MoneyOut | None
    approved: MoneyOut | None
    tenor_days: int
    asset_refs: list[str]
    decision: LoanDecisionOut | None
    offer: OfferOut | None
    disbursed_on: date | None
    due_date: date | None
    dpd: int
    bucket: str | None
    balances: dict[str, MoneyOut]
    outstanding: MoneyOut
    written_off: MoneyOut
    created_at: Timestamp
    next_due: NextDueOut | None = Field(default=None, description="an active loan's next instalment: the earliest not paid in full (`GET .../schedule` lists them all)")


class DpdOut(BaseModel):
    as_of: date
    dpd: int
    bucket: str | None


class BucketOut(BaseModel):
    loans: int
    outstanding: MoneyOut


class CurrencyPortfolioOut(BaseModel):
    currency: str
    outstanding: dict[str, MoneyOut] = Field(description="by component, and `total`")
    buckets: dict[str, BucketOut] = Field(description="by DPD bucket (`current` when not past due)")
    npl: MoneyOut = Field(description="outstanding in non-performing buckets")
    npl_ratio: str


class ExposureOut(BaseModel):
    customer_id: UUID
    currency: str
    outstanding: MoneyOut


class PortfolioOut(BaseModel):
    loans: int = Field(description="active loans")
    currencies: list[CurrencyPortfolioOut]
    exposure: list[ExposureOut] = Field(description="outstanding per merchant and currency")


def _caller(principal: Principal) -> A.Caller:
    """Who acts: SME users act for their own merchant only."""
    return A.Caller(principal.institution_id, principal.actor, sme=principal.role == "sme", merchant_ref=principal.merchant_ref)


def _json(status: int, model: Any) -> Response:
    return Response(content=json.dumps(jsonable_encoder(model), separators=(",", ":")).encode(), status_code=status, media_type="application/json")


async def _once(request: Request, principal: Principal, status: int, produce: Callable[[str], Any]) -> Response:
    """Run ``produce(key)`` once per Idempotency-Key; retries replay the stored bytes."""

    async def handler(key: str) -> Response:
        return _json(status, await produce(key))

    return await run_idempotent(request, principal, handler)


def _amt(v: int | None, cur: str) -> str | None:
    return None if v is None else format_minor(int(v), cur)


def _offer_out(o: dict[str, Any] | None) -> OfferOut | None:
    if not o:
        return None
    return OfferOut.model_validate(public_amounts(o, o["currency"]))


def _explanations(d: dict[str, Any]) -> list[ExplanationOut]:
    """Stored explanations (underwriting declines), else the staff's reasons as written."""
    stored = d.get("explanations")
    if stored is None:
        stored = [R.staff_reason(r).as_dict() for r in d.get("reasons") or []]
    return [ExplanationOut.model_validate(e) for e in stored]


def _decision_of_loan(d: dict[str, Any] | None, cur: str) -> LoanDecisionOut | None:
    if d is None:
        return None
    return LoanDecisionOut(
        approved=bool(d.get("approved")), reasons=list(d.get("reasons") or []), explanations=_explanations(d), inputs=public_amounts(d.get("inputs") or {}, cur),
        limit=_amt(d.get("limit_minor"), cur), decided_by=d.get("decided_by"), decided_at=d.get("decided_at"),
    )


def _loan_out(x: dict[str, Any]) -> LoanOut:
    c = x["currency"]
    return LoanOut(
        id=x["id"], customer_id=x["customer_id"], product_id=x["product_id"], currency=c, status=x["status"], requested=format_minor(int(x["requested_minor"]), c),
        limit=_amt(x["limit_minor"], c), approved=_amt(x["approved_minor"], c), tenor_days=x["tenor_days"], asset_refs=list(x["asset_refs"] or []),
        decision=_decision_of_loan(x["decision"], c), offer=_offer_out(x["offer"]), disbursed_on=x["disbursed_on"], due_date=x["due_date"], dpd=x["dpd"], bucket=x["bucket"],
        balances={k: format_minor(int(v), c) for k, v in (x.get("balances") or {}).items()}, outstanding=format_minor(int(x.get("outstanding_minor", 0)), c),
        written_off=format_minor(int(x["written_off_minor"] or 0), c), created_at=x["created_at"], next_due=_next_due(x.get("next_instalment"), c),
    )


def _next_due(n: dict[str, Any] | None, c: str) -> NextDueOut | None:
    return None if n is None else NextDueOut(number=n["number"], due_date=n["due_date"], amount=format_minor(int(n["amount_minor"]), c))


def _schedule_out(x: dict[str, Any]) -> LoanScheduleOut:
    c = x["currency"]
    return LoanScheduleOut(
        loan_id=x["loan_id"], currency=c, status=x["status"], method=x["method"], prepayment_rule=x["prepayment_rule"], day_count=x["day_count"],
        principal=format_minor(x["principal_minor"], c), dpd=x["dpd"], next_due=_next_due(x["next_instalment"], c),
        instalments=[InstalmentOut(
            number=i["number"], start=i["start"], due_date=i["due_date"], principal=format_minor(int(i["principal_minor"]), c), interest=format_minor(int(i["interest_minor"]), c),
            fee=format_minor(int(i["fee_minor"]), c), total=format_minor(int(i["total_minor"]), c), paid=format_minor(int(i["paid_minor"]), c), status=i["status"],
        ) for i in x["instalments"]],
        prepayments=[PrepaymentOut(value_date=p["date"], amount=format_minor(int(p["amount_minor"]), c), principal=format_minor(int(p["principal_minor"]), c), after_instalment=p["after_instalment"])
                     for p in x["prepayments"]],
    )


def _decision_out(d: U.Decision) -> DecisionOut:
    cur = d.currency
    inputs = {"features": d.features.to_dict(), "points": dict(d.points), "existing_exposure_minor": d.existing_exposure_minor, "gross_limit_minor": d.gross_limit_minor}
    return DecisionOut(
        id=d.id, customer_id=UUID(str(d.customer_id)), decision=d.decision, score=d.score, reasons=list(d.reasons),
        explanations=[ExplanationOut.model_validate(e.as_dict()) for e in R.explain(d)], limit=None if cur is None else format_minor(d.limit_minor, cur), currency=cur, model_version=d.model_version, inputs=public_amounts(inputs, cur),
    )


def _product_out(p: P.Product) -> ProductOut:
    return ProductOut(id=p.id, code=p.code, kind=p.kind, currency=p.currency, config=jsonable_encoder(p.config()))


def _portfolio_out(pf: dict[str, Any]) -> PortfolioOut:
    currencies = [
        CurrencyPortfolioOut(
            currency=cur, outstanding={k: format_minor(int(v), cur) for k, v in o.items()},
            buckets={name: BucketOut(loans=b["loans"], outstanding=format_minor(int(b["outstanding_minor"]), cur)) for name, b in pf["buckets"].get(cur, {}).items()},
            npl=format_minor(int(pf["npl_minor"].get(cur, 0)), cur), npl_ratio=str(pf["npl_ratio"][cur]),
        )
        for cur, o in sorted(pf["outstanding"].items())
    ]
    exposure = [ExposureOut(customer_id=UUID(cust), currency=cur, outstanding=format_minor(int(v), cur)) for cust, by in sorted(pf["exposure"].items()) for cur, v in sorted(by.items())]
    return PortfolioOut(loans=pf["loans"], currencies=currencies, exposure=exposure)


def _uuid_key(key: list[Any]) -> UUID:
    try:
        return UUID(str(key[0]))
    except (ValueError, IndexError):
        raise invalid_cursor("not a cursor returned by this API") from None


def _dpd_key(key: list[Any]) -> tuple[date, UUID]:
    try:
        return date.fromisoformat(str(key[0])), UUID(str(key[1]))
    except (ValueError, IndexError):
        raise invalid_cursor("not a cursor returned by this API") from None


# -- products ------------------------------------------------------------------------------

_IDEMPOTENT = "Requires `Idempotency-Key`: a retry with the same key and body replays the first response byte for byte; the same key with another body is 422."


_FOUR_EYES = (
    "Four eyes (`{action}`): requires `Idempotency-Key`; checked now (422/409 as the action would answer), then answers 202 with a pending "
    "approval request (`Location: /v1/approval-requests/{{id}}`). A different person with role approver or admin approves it with "
    "`POST /v1/approval-requests/{{id}}/approve`, which executes it; its `result` is the response this route answered before four eyes."
)


@router.post(
    "/products", status_code=202, response_model=ApprovalRequestOut, summary="Configure a financing product (once a checker approves)",
    description=_FOUR_EYES.format(action="product.create"),
)
async def create_product(
    body: ProductIn, request: Request, engine: EngineDep, principal: Principal = Depends(ADMIN), _key: str = Depends(idempotency_key_header)
) -> Response:
    async def handler(key: str) -> Response:
        await P.check_new_product(engine, principal.institution_id, code=body.code, kind=body.kind, currency=body.currency, **body.config.settings())
        return await sod.submit(
            request, principal, "product.create", body.model_dump(mode="json", exclude_unset=True), summary=f"configure {body.kind} product {body.code!r} in {body.currency}",
            object_type="financing_product", object_id=body.code,
        )

    return await run_idempotent(request, principal, handler)


async def _execute_product(ctx: Any, institution_id: UUID, params: dict[str, Any], checker: Principal, req: Any) -> tuple[int, dict[str, Any]]:
    body = ProductIn.model_validate_json(json.dumps(params))
    p = await P.create_product(ctx.engine, institution_id, code=body.code, kind=body.kind, currency=body.currency, **body.config.settings())
    return 201, jsonable_encoder(_product_out(p))


sod.register("product.create", _execute_product)


@router.get("/products", response_model=Page[ProductOut], summary="List financing products (by code)")
async def list_products(engine: EngineDep, page: PageQuery = Depends(PAGE), principal: Principal = Depends(LOAN_READ)) -> Page[Any]:
    after = page.after("financing-products")
    if after is not None and (not after or not isinstance(after[0], str)):
        raise invalid_cursor("not a cursor returned by this API")
    rows = await P.list_products(engine, principal.institution_id, after=None if after is None else after[0], limit=page.limit + 1)
    return page.build("financing-products", rows, key=lambda p: [p.code], out=_product_out)


@router.post(
    "/lpr", status_code=202, response_model=ApprovalRequestOut, summary="Record a Loan Prime Rate (CNY pricing; once a checker approves)",
    description=_FOUR_EYES.format(action="lpr.set"),
)
async def set_lpr(body: LprIn, request: Request, engine: EngineDep, principal: Principal = Depends(ADMIN), _key: str = Depends(idempotency_key_header)) -> Response:
    async def handler(key: str) -> Response:
        P.check_lpr(body.tenor, Decimal(body.rate))
        return await sod.submit(
            request, principal, "lpr.set", body.model_dump(mode="json"), summary=f"record the {body.tenor} LPR {body.rate} from {body.effective_date}",
            object_type="lpr", object_id=f"{body.tenor}/{body.effective_date}",
        )

    return await run_idempotent(request, principal, handler)


async def _execute_lpr(ctx: Any, institution_id: UUID, params: dict[str, Any], checker: Principal, req: Any) -> tuple[int, dict[str, Any]]:
    body = LprIn.model_validate_json(json.dumps(params))
    await P.set_lpr(ctx.engine, institution_id, body.tenor, body.effective_date, Decimal(body.rate))
    return 201, {"tenor": body.tenor, "effective_date": body.effective_date.isoformat(), "rate": body.rate}


sod.register("lpr.set", _execute_lpr)


# -- underwriting ----------------------------------------------------------------------------


@router.post(
    "/underwriting", status_code=201, response_model=DecisionOut, summary="Underwrite a merchant from its trailing 12 months of trade data (F1)", description=_IDEMPOTENT,
)
async def underwrite(body: UnderwriteIn, request: Request, ledger: LedgerDep, principal: Principal = Depends(UNDERWRITE), _key: str = Depends(idempotency_key_header)) -> Response:
    async def produce(key: str) -> DecisionOut:
        return _decision_out(await A.underwrite(ledger, _caller(principal), body.customer_id, as_of=body.as_of))

    return await _once(request, principal, 201, produce)


@router.get("/underwriting/{decision_id}", response_model=DecisionOut, summary="A stored underwriting decision")
async def get_decision(decision_id: UUID, engine: EngineDep, principal: Principal = Depends(STAFF_READ)) -> DecisionOut:
    return _decision_out(await U.get_decision(engine, principal.institution_id, decision_id))


@router.post("/underwriting/{decision_id}/replay", response_model=DecisionOut, summary="Recompute a decision from its stored inputs and model (must equal the stored one)")
async def replay(decision_id: UUID, ledger: LedgerDep, principal: Principal = Depends(STAFF_READ)) -> DecisionOut:
    return _decision_out(await A.replay_decision(ledger, principal.institution_id, decision_id))


# -- the application path ----------------------------------------------------------------------


@router.post(
    "/applications", status_code=201, response_model=LoanOut, summary="Apply for financing (SME users for their own merchant)",
    description=f"{_IDEMPOTENT} A retried application is not made twice.",
)
async def apply(body: ApplicationIn, request: Request, ledger: LedgerDep, principal: Principal = Depends(APPLICANT), _key: str = Depends(idempotency_key_header)) -> Response:
    orders = None if body.orders is None else A.OfferedOrders(body.orders.platform_code, body.orders.order_ids)

    async def produce(key: str) -> LoanOut:
        loan = await A.apply(ledger, _caller(principal), customer_id=body.customer_id, product_id=body.product_id, amount=body.amount, tenor_days=body.tenor_days, orders=orders)
        return _loan_out(loan)

    return await _once(request, principal, 201, produce)


@router.get("/loans", response_model=Page[LoanOut], summary="Applications and loans, oldest first (SME users: their own)")
async def list_loans(
    ledger: LedgerDep,
    customer_id: Annotated[UUID | None, Query(description="only this merchant's")] = None,
    status: Annotated[LoanStatus | None, Query(description="only loans in this status")] = None,
    page: PageQuery = Depends(PAGE),
    principal: Principal = Depends(LOAN_READ),
) -> Page[Any]:
    after = page.after("financing-loans")
    rows = await A.list_loans(ledger, _caller(principal), customer_id=customer_id, status=status, after=None if after is None else _uuid_key(after), limit=page.limit + 1)
    return page.build("financing-loans", rows, key=lambda x: [str(x["id"])], out=_loan_out)


@router.get("/loans/{loan_id}", response_model=LoanOut, summary="An application or loan with its balances")
async def get_loan(loan_id: UUID, ledger: LedgerDep, principal: Principal = Depends(LOAN_READ)) -> LoanOut:
    return _loan_out(await A.get_loan(ledger, _caller(principal), loan_id))


@router.get("/loans/{loan_id}/schedule", response_model=LoanScheduleOut, summary="A disbursed loan's repayment schedule: every instalment, what was paid of it and its status")
async def loan_schedule(loan_id: UUID, ledger: LedgerDep, principal: Principal = Depends(LOAN_READ)) -> LoanScheduleOut:
    return _schedule_out(await A.loan_schedule(ledger, _caller(principal), loan_id))


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
    description=f"{_IDEMPOTENT} A warehouse-receipt or credit-insurance loan is refused (422 `collateral_insufficient`) unless its pledged collateral covers it.",
)
async def disburse(
    loan_id: UUID, request: Request, ledger: LedgerDep, body: DisbursementIn = _NO_DISBURSEMENT, principal: Principal = Depends(STAFF_WRITE),
    _key: str = Depends(idempotency_key_header),
) -> Response:
    async def handler(key: str) -> Response:
        answer = StoredAnswer(lambda loan: _json(200, _loan_out(loan)))  # stored in the disbursement's transaction: one durable commit
        return answer.answer(await A.disburse(ledger, _caller(principal), loan_id, on=body.value_date, after=answer))

    return await run_idempotent(request, principal, handler)


@router.post("/loans/{loan_id}/repayments", response_model=LoanOut, summary="Repay (allocated by the product's waterfall)", description=_IDEMPOTENT)
async def repay(loan_id: UUID, body: RepaymentIn, request: Request, ledger: LedgerDep, principal: Principal = Depends(STAFF_WRITE), _key: str = Depends(idempotency_key_header)) -> Response:
    async def handler(key: str) -> Response:
        answer = StoredAnswer(lambda loan: _json(200, _loan_out(loan)))  # stored in the repayment's transaction: one durable commit
        return answer.answer(await A.repay(ledger, _caller(principal), loan_id, amount=body.amount, reference=body.reference or key, on=body.value_date, after=answer))

    return await run_idempotent(request, principal, handler)


@router.get("/loans/{loan_id}/dpd-history", response_model=Page[DpdOut], summary="Days past due and bucket history, oldest first")
async def dpd(loan_id: UUID, ledger: LedgerDep, page: PageQuery = Depends(PAGE), principal: Principal = Depends(LOAN_READ)) -> Page[Any]:
    after = page.after("financing-dpd")
    rows = await A.dpd_history(ledger, _caller(principal), loan_id, after=None if after is None else _dpd_key(after), limit=page.limit + 1)
    return page.build("financing-dpd", rows, key=lambda r: [r["as_of"].isoformat(), str(r["id"])], out=lambda r: DpdOut(as_of=r["as_of"], dpd=r["dpd"], bucket=r["bucket"]))


@router.post(
    "/loans/{loan_id}/write-off", status_code=202, response_model=ApprovalRequestOut, summary="Propose writing a loan off (four eyes: a second person approves)",
    description="Four eyes (`loan.write_off`): answers 202 with a pending approval request (`Location: /v1/approval-requests/{id}`); the loan is written "
    "off only when a different person with a checker role approves it (`POST /v1/approval-requests/{id}/approve`), whose `result` is the written-off loan. "
    "A loan that is not active is refused now (409 `loan_state`).",
)
async def write_off(
    loan_id: UUID, body: WriteOffIn, request: Request, ledger: LedgerDep, principal: Principal = Depends(WRITE_OFF), _key: str = Depends(idempotency_key_header),
) -> Response:
    async def handler(key: str) -> Response:
        loan = await L.check_write_off(ledger, principal.institution_id, loan_id, reason=body.reason)
        cur = loan["currency"]
        summary = f"write off loan {loan_id} ({format_minor(int(loan.get('outstanding_minor', 0)), cur)} {cur} outstanding): {body.reason}"
        params = {"loan_id": str(loan_id), "reason": body.reason}
        return await sod.submit(request, principal, "loan.write_off", params, summary=summary, object_type="loan", object_id=str(loan_id))

    return await run_idempotent(request, principal, handler)


async def _execute_write_off(ctx: Any, institution_id: UUID, params: dict[str, Any], checker: Principal, _row: Any) -> tuple[int, dict[str, Any]]:
    """``loan.write_off`` approved: the checker writes the loan off."""
    loan = await L.write_off(ctx.ledger, institution_id, UUID(params["loan_id"]), reason=params["reason"], actor=checker.actor)
    return 200, jsonable_encoder(_loan_out(loan))


sod.register("loan.write_off", _execute_write_off)


@router.post("/accruals", response_model=AccrualOut, summary="Run the daily accrual job up to a day (idempotent per loan per day)")
async def accrue(body: AccrualIn, ledger: LedgerDep, principal: Principal = Depends(ADMIN)) -> AccrualOut:
    _not_in_the_future(body.as_of)
    out = await L.accrue(ledger, principal.institution_id, body.as_of)
    by = out.get("by_currency") or {}
    accrued = [AccruedOut(currency=c, interest=format_minor(v["interest"], c), penalty=format_minor(v["penalty"], c)) for c, v in sorted(by.items())]
    return AccrualOut(as_of=body.as_of, loans=int(out["loans"]), accrued=accrued)


@router.get("/portfolio", response_model=PortfolioOut, summary="Outstanding, DPD buckets, NPL ratio, exposure per merchant, per currency")
async def portfolio(ledger: LedgerDep, principal: Principal = Depends(STAFF_READ)) -> PortfolioOut:
    return _portfolio_out(await L.portfolio(ledger, principal.institution_id))
