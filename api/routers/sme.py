"""SME self-service routes (#17 item 4): an SME user (role ``sme``, bound to
its merchant by ``merchant_ref``) sees its eligible assets, applies
idempotently, reads its loans with the decision and the offer, accepts or
declines an offer, reads each loan's statement with the running balance and
the next amount due, reads its own accounts, and repays from its own
current account (idempotent).

Only SME users call these routes; another merchant's loan answers 404, like
another institution's, and another merchant's assets and accounts are never
listed.  Staff-only steps (decision, offer, disbursement, write-off) stay
under ``/v1/financing`` where the SME user is refused (403)."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from financing import applications as A
from financing import sme as S
from ledger import errors as E
from ledger.money import format_minor

from ..auth import Principal, require
from ..deps import LedgerDep
from ..fields import StrictInt
from ..idempotency import idempotency_key_header
from ..jsonnum import JsonStrict
from ..models import Timestamp
from ..paging import Page, PageQuery, invalid_cursor, page_query
from ..problems import COMMON_ERRORS
from .financing import _IDEMPOTENT, LoanOut, LoanStatus, MoneyOut, OrderAssets, PositiveAmount, _caller, _loan_out, _once, _uuid_key

#: every SME route resolves the caller's merchant first: a merchant that is not (or no longer) a customer is a 404
_SME_ERRORS = {**COMMON_ERRORS, 404: {"description": "Not found: the caller's merchant is not a customer of the institution, or the id is not one of its own"}}
router = APIRouter(prefix="/v1/sme", tags=["sme"], responses=_SME_ERRORS)

SME_READ = require("sme", scope="financing:read")
SME_WRITE = require("sme", scope="financing:write")
PAGE = page_query()

_APPLICATION_EXAMPLE: dict[str, Any] = {"product_id": "0190f3a2-7c1e-7c4b-9a55-2f6f1c2d3e50", "amount": "80000.00", "tenor_days": 90}


class SmeApplicationIn(JsonStrict):
    """An application for the caller's own merchant (no customer to name)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [dict(_APPLICATION_EXAMPLE), {**_APPLICATION_EXAMPLE, "orders": {"platform_code": "shopx", "order_ids": ["A-1001"]}}]})

    product_id: UUID
    amount: PositiveAmount = Field(description="in the product's currency, at most its decimals; not zero")
    tenor_days: StrictInt = Field(ge=1, le=3650)
    orders: OrderAssets | None = Field(default=None, description="platform orders offered as collateral (order financing): see `GET /v1/sme/assets`")


class SmeRepaymentIn(JsonStrict):
    """A repayment from the caller's own current account in the loan's currency (no other account can be named)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"amount": "1000.00"}]})

    amount: PositiveAmount = Field(description="in the loan's currency, at most its decimals; not zero; at most what the loan owes and what the current account holds")


class SmeAssetOut(BaseModel):
    kind: str = Field(description="order | warehouse_receipt | insured_receivable")
    ref: str = Field(description="the asset's reference (an order: `order:<platform>:<order id>`, as a loan's `asset_refs` records it)")
    currency: str = Field(description="the asset's currency (a warehouse receipt: the product's, empty without a product)")
    value: MoneyOut | None = Field(description="the asset's value: an order after refunds, a receipt at the latest price less the haircut (null without a price or product), a receivable as declared")
    advance: MoneyOut | None = Field(description="what it would advance: under `product_id` when given (null for assets the product does not take), else the rulebook's default rate")
    details: dict[str, Any]


class SmeAccountOut(BaseModel):
    id: UUID
    code: str
    kind: str = Field(description="current | pending | suspense | cny")
    currency: str
    balance: MoneyOut = Field(description="posted balance (what the merchant holds)")
    available: MoneyOut = Field(description="balance less pending debits")
    closed: bool


class SmeStatementLineOut(BaseModel):
    transaction_id: UUID
    line_no: int
    recorded_at: Timestamp
    effective_date: date
    component: str = Field(description="principal | interest | fees | penalty")
    side: str = Field(description="debit (the loan owes more) | credit (repaid, written off)")
    amount: MoneyOut
    description: str
    balance: MoneyOut = Field(description="what the loan owes after this posting (running balance over its components)")


class SmeNextDueOut(BaseModel):
    due_date: date
    number: int | None = Field(description="the instalment (null: past the schedule, everything owed is due)")
    amount: MoneyOut = Field(description="what is left of the scheduled amounts (principal, interest, fees) up to this instalment after the repayments made")


class SmeStatementOut(Page[SmeStatementLineOut]):
    loan_id: UUID
    currency: str
    status: LoanStatus
    outstanding: MoneyOut
    next_due: SmeNextDueOut | None = Field(description="the next scheduled amount not yet repaid (null when the loan is not active)")


class SmeNotificationOut(BaseModel):
    id: UUID
    kind: str = Field(description="sme.offer_ready | sme.payment_due | sme.overdue | sme.margin_call (the webhook event of the same type carries the same data)")
    loan_id: UUID | None
    data: dict[str, Any] = Field(description="what happened: amounts as decimal strings with their `currency`, dates ISO")
    created_at: Timestamp


def _notice_out(n: dict[str, Any]) -> SmeNotificationOut:
    return SmeNotificationOut(id=n["id"], kind=n["kind"], loan_id=n["loan_id"], data=n["data"], created_at=n["created_at"])


def _asset_out(a: dict[str, Any]) -> SmeAssetOut:
    cur = a["currency"]

    def amt(v: int | None) -> str | None:
        return None if v is None or not cur else format_minor(int(v), cur)

    return SmeAssetOut(kind=a["kind"], ref=a["ref"], currency=cur, value=amt(a["value_minor"]), advance=amt(a["advance_minor"]), details=a["details"])


def _account_out(a: dict[str, Any]) -> SmeAccountOut:
    c = a["currency"]
    return SmeAccountOut(id=a["id"], code=a["code"], kind=a["kind"], currency=c, balance=format_minor(a["balance_minor"], c), available=format_minor(a["available_minor"], c), closed=a["closed"])


def _statement_key(key: list[Any]) -> tuple[int, int]:
    if len(key) != 2 or not all(isinstance(x, int) and not isinstance(x, bool) for x in key):
        raise invalid_cursor("not a cursor returned by this API")
    return int(key[0]), int(key[1])


@router.get("/assets", response_model=Page[SmeAssetOut], summary="The merchant's assets that could back a financing, with the advance each would give")
async def assets(
    ledger: LedgerDep, product_id: UUID | None = Query(default=None, description="price the advance under this product (its kind and currency)"),
    page: PageQuery = Depends(PAGE), principal: Principal = Depends(SME_READ),
) -> Page[Any]:
    after = page.after("sme-assets")
    try:
        rows = await S.eligible_assets(ledger, _caller(principal), product_id=product_id, after=after, limit=page.limit + 1)
    except E.InvalidInput as exc:
        if exc.details.get("field") == "cursor":
            raise invalid_cursor("not a cursor returned by this API") from None
        raise
    return page.build("sme-assets", rows, key=lambda a: a["key"], out=_asset_out)


@router.post(
    "/applications", status_code=201, response_model=LoanOut, summary="Apply for financing for the caller's merchant",
    description=f"{_IDEMPOTENT} A retried application is made once.",
)
async def apply(body: SmeApplicationIn, request: Request, ledger: LedgerDep, principal: Principal = Depends(SME_WRITE), _key: str = Depends(idempotency_key_header)) -> Response:
    orders = None if body.orders is None else A.OfferedOrders(body.orders.platform_code, body.orders.order_ids)

    async def produce(key: str) -> LoanOut:
        return _loan_out(await A.apply(ledger, _caller(principal), customer_id=None, product_id=body.product_id, amount=body.amount, tenor_days=body.tenor_days, orders=orders))

    return await _once(request, principal, 201, produce)


@router.get(
    "/notifications", response_model=Page[SmeNotificationOut], summary="The merchant's notifications, newest first",
    description="An offer ready to accept, an instalment due in 3 days (once per instalment), a loan fallen overdue, a margin call on the merchant's pledged "
    "goods. Only the caller's merchant's; each is also delivered to the institution as a webhook event of the same type.",
)
async def notifications(ledger: LedgerDep, page: PageQuery = Depends(PAGE), principal: Principal = Depends(SME_READ)) -> Page[Any]:
    after = page.after("sme-notifications")
    rows = await S.notifications(ledger, _caller(principal), after=None if after is None else _uuid_key(after), limit=page.limit + 1)
    return page.build("sme-notifications", rows, key=lambda n: [str(n["id"])], out=_notice_out)


@router.get("/loans", response_model=Page[LoanOut], summary="The merchant's applications and loans, oldest first")
async def list_loans(ledger: LedgerDep, status: LoanStatus | None = Query(default=None, description="only loans in this status"), page: PageQuery = Depends(PAGE), principal: Principal = Depends(SME_READ)) -> Page[Any]:
    after = page.after("sme-loans")
    rows = await A.list_loans(ledger, _caller(principal), status=status, after=None if after is None else _uuid_key(after), limit=page.limit + 1)
    return page.build("sme-loans", rows, key=lambda x: [str(x["id"])], out=_loan_out)


@router.get("/loans/{loan_id}", response_model=LoanOut, summary="One of the merchant's loans: the decision with its explanations, the offer with its schedule and cost")
async def get_loan(loan_id: UUID, ledger: LedgerDep, principal: Principal = Depends(SME_READ)) -> LoanOut:
    return _loan_out(await S.own_loan(ledger, _caller(principal), loan_id))


@router.post("/loans/{loan_id}/accept", response_model=LoanOut, summary="Accept the offer")
async def accept(loan_id: UUID, ledger: LedgerDep, principal: Principal = Depends(SME_WRITE)) -> LoanOut:
    return _loan_out(await S.accept(ledger, _caller(principal), loan_id))


@router.post("/loans/{loan_id}/decline", response_model=LoanOut, summary="Decline the offer (the loan becomes `offer_declined`; 409 `loan_state` unless offered)")
async def decline(loan_id: UUID, ledger: LedgerDep, principal: Principal = Depends(SME_WRITE)) -> LoanOut:
    return _loan_out(await S.decline(ledger, _caller(principal), loan_id))


@router.get(
    "/loans/{loan_id}/statement", response_model=SmeStatementOut, summary="Every posting of the loan with the running balance, oldest first, and the next amount due",
)
async def statement(loan_id: UUID, ledger: LedgerDep, page: PageQuery = Depends(PAGE), principal: Principal = Depends(SME_READ)) -> SmeStatementOut:
    after = page.after("sme-statement")
    caller = _caller(principal)
    st = await S.statement(ledger, caller, loan_id, after=None if after is None else _statement_key(after), limit=page.limit + 1)
    loan, cur = st["loan"], st["loan"]["currency"]

    def line(r: dict[str, Any]) -> SmeStatementLineOut:
        return SmeStatementLineOut(**{k: v for k, v in r.items() if k != "seq"}, **{"amount": format_minor(r["amount_minor"], cur), "balance": format_minor(r["balance_minor"], cur)})

    built = page.build("sme-statement", st["lines"], key=lambda r: [r["seq"], r["line_no"]], out=line)
    due = S.next_due(loan, await S.repaid_minor(ledger, caller.institution_id, loan_id))
    return SmeStatementOut(
        data=built.data, has_more=built.has_more, next_cursor=built.next_cursor, loan_id=loan["id"], currency=cur, status=loan["status"],
        outstanding=format_minor(int(loan["outstanding_minor"]), cur),
        next_due=None if due is None else SmeNextDueOut(due_date=due["due_date"], number=due["number"], amount=format_minor(due["amount_minor"], cur)),
    )


@router.get("/accounts", response_model=Page[SmeAccountOut], summary="The merchant's own accounts with their balances (read only)")
async def accounts(ledger: LedgerDep, page: PageQuery = Depends(PAGE), principal: Principal = Depends(SME_READ)) -> Page[Any]:
    after = page.after("sme-accounts")
    if after is not None and (len(after) != 1 or not isinstance(after[0], str)):
        raise invalid_cursor("not a cursor returned by this API")
    rows = await S.customer_accounts(ledger, _caller(principal), after=None if after is None else after[0], limit=page.limit + 1)
    return page.build("sme-accounts", rows, key=lambda a: [a["code"]], out=_account_out)


@router.post(
    "/loans/{loan_id}/repayments", response_model=LoanOut, summary="Repay from the merchant's own current account (allocated by the product's waterfall)",
    description=f"{_IDEMPOTENT} The money comes from the merchant's current account in the loan's currency, value-dated today; more than it holds is 422 "
    "`insufficient_funds` and nothing is posted; more than the loan owes is 422 `loan_invalid`.",
)
async def repay(loan_id: UUID, body: SmeRepaymentIn, request: Request, ledger: LedgerDep, principal: Principal = Depends(SME_WRITE), _key: str = Depends(idempotency_key_header)) -> Response:
    async def produce(key: str) -> LoanOut:
        return _loan_out(await S.repay(ledger, _caller(principal), loan_id, amount=body.amount, reference=f"sme:{key}"[:100]))

    return await _once(request, principal, 200, produce)
