"""Outward payments (付汇, the payments side of S6): an enterprise pays
abroad from its FX current account; payment statistics (S9)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, ConfigDict, Field

from ledger.money import format_minor, parse_amount
from settlement.monitoring import PAYMENT_DIMENSIONS, group_by_pattern
from settlement.payments import PURPOSES, PaymentIn

from .. import models as M
from .. import sod
from ..auth import Principal, require
from ..deps import SettlementDep
from ..fields import IsoDate
from ..idempotency import StoredAnswer, idempotency_key_header, run_idempotent
from ..models import Amount, CurrencyCode, DecimalAmount, Money
from ..paging import Page, PageQuery, invalid_cursor, page_query
from ..problems import COMMON_ERRORS
from .receipts import StatisticsOut

router = APIRouter(prefix="/v1", tags=["settlement"], responses=COMMON_ERRORS)

READ = require("system", "admin", "finance", "approver", scope="settlement:read")
WRITE = require("system", "finance", scope="settlement:write")
#: the makers of ``payment.release`` (api/sod.py); a second person approves
RELEASE = require(*sod.POLICIES["payment.release"].maker_roles, scope="settlement:write")
#: ``?limit=`` (default 50, at most 1000) and ``?cursor=`` of the list
PAGE = page_query()

#: the payment purposes (settlement.payments.PURPOSES)
Purpose = Literal[PURPOSES]  # type: ignore[valid-type]


def _json(status: int, model: Any) -> Response:
    return Response(content=json.dumps(jsonable_encoder(model), separators=(",", ":")).encode(), status_code=status, media_type="application/json")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _money(minor: int, currency: str) -> Money:
    """An amount in another currency than its object's: ``{"amount": "...", "currency": "..."}``."""
    return Money(amount=format_minor(minor, currency), currency=currency)


class PaymentBody(Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "customer_id": "01890a5d-ac96-774b-bcce-b302099a8057", "currency": "USD", "amount": "2500.00", "purpose": "overseas_warehousing",
        "beneficiary_name": "Euro Fulfilment GmbH", "beneficiary_country": "DE", "evidence_refs": ["INV-2026-0042"], "value_date": "2026-12-01",
        "external_ref": "pay-2026-0001",
    }]})
    customer_id: UUID
    currency: CurrencyCode
    amount: Amount = Field(description="amount paid abroad, debited from the customer's FX current account")
    purpose: Purpose = Field(description="goods, overseas_warehousing, logistics, service_fees or buyer_refund (a refund to an overseas buyer)")
    beneficiary_name: str = Field(min_length=1, max_length=200)
    beneficiary_country: str = Field(pattern=r"^[A-Z]{2}$", examples=["US"], description="ISO 3166 alpha-2, outside China")
    evidence_refs: list[str] = Field(default_factory=list, max_length=100, description="contract, invoice or order references, where the payer has them")
    value_date: IsoDate | None = Field(default=None, description="default today (China time); back-dating up to 30 days, never in the future")
    external_ref: str | None = Field(default=None, max_length=128, description="your reference; default: the Idempotency-Key")


class PaymentOut(BaseModel):
    id: UUID
    customer_id: UUID
    external_ref: str
    currency: str
    amount: DecimalAmount
    usd_equivalent: Money = Field(description="USD equivalent at the mid rate of the value date")
    purpose: str
    beneficiary_name: str
    beneficiary_country: str
    evidence_refs: list[str]
    merchant_kind: str
    value_date: date
    status: Literal["paid", "held", "released"]
    hold_reason: str | None
    s6_payments_usd: Money | None = Field(default=None, description="the enterprise's national S6 payments total of the value date's year, after this payment (on creation only)")
    transaction_id: UUID
    release_transaction_id: UUID | None
    released_by: str | None
    released_at: datetime | None
    alerts: list[str] = Field(default_factory=list)
    created_at: datetime


def _payment_out(p: dict[str, Any]) -> PaymentOut:
    c = p["currency"]
    s6 = p.get("s6_payments_usd_minor")
    return PaymentOut(
        id=p["id"], customer_id=p["customer_id"], external_ref=p["external_ref"], currency=c, amount=format_minor(p["amount_minor"], c),
        usd_equivalent=_money(p["usd_equivalent_minor"], "USD"), purpose=p["purpose"], beneficiary_name=p["beneficiary_name"],
        beneficiary_country=p["beneficiary_country"], evidence_refs=list(p["evidence_refs"]), merchant_kind=p["merchant_kind"], value_date=p["value_date"],
        status=p["status"], hold_reason=p["hold_reason"], s6_payments_usd=None if s6 is None else _money(s6, "USD"), transaction_id=p["transaction_id"],
        release_transaction_id=p["release_transaction_id"], released_by=p["released_by"], released_at=p["released_at"], alerts=p.get("alerts", []),
        created_at=p["created_at"],
    )


class PaymentReleaseBody(Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"note": "directory registration recorded on 2026-12-01"}]})
    note: str = Field(min_length=1, max_length=2000, description="what was checked (registration recorded, ...)")


class PaymentStatOut(BaseModel):
    key: dict[str, str | None]
    currency: str
    count: int
    amount: DecimalAmount
    usd_equivalent: Money
    held: DecimalAmount


@router.post("/payments", status_code=201, response_model=PaymentOut, summary="Pay abroad from a merchant's FX current account (S6 payments side)")
async def post_payment(body: PaymentBody, request: Request, settlement: SettlementDep, principal: Principal = Depends(WRITE), _key: str = Depends(idempotency_key_header)):
    amount = parse_amount(body.amount, body.currency, field="amount")

    async def handler(key: str) -> Response:
        p = PaymentIn(
            customer_id=body.customer_id, currency=body.currency, amount_minor=amount, purpose=body.purpose,
            beneficiary_name=body.beneficiary_name, beneficiary_country=body.beneficiary_country, external_ref=body.external_ref or key,
            evidence_refs=body.evidence_refs, value_date=body.value_date,
        )
        answer = StoredAnswer(lambda row: _json(201, _payment_out(row)))  # stored in the payment's transaction: one durable commit
        return answer.answer(await settlement.payments.post_payment(principal.institution_id, p, actor=principal.actor, after=answer))

    return await run_idempotent(request, principal, handler)


@router.get("/payments", response_model=Page[PaymentOut], summary="List outward payments, newest first")
async def list_payments(
    settlement: SettlementDep,
    customer_id: UUID | None = None,
    status: Literal["paid", "held", "released"] | None = None,
    page: PageQuery = Depends(PAGE),
    principal: Principal = Depends(READ),
):
    key = page.after("payments")
    try:
        before = None if key is None else UUID(str(key[0]))
    except (ValueError, IndexError):
        raise invalid_cursor("this cursor belongs to another list (or was altered)") from None
    rows = await settlement.payments.list(principal.institution_id, customer_id=customer_id, status=status, limit=page.limit + 1, before=before)
    return page.build("payments", rows, key=lambda r: [str(r["id"])], out=_payment_out)


@router.get("/payments/{payment_id}", response_model=PaymentOut, summary="Get an outward payment")
async def get_payment(payment_id: UUID, settlement: SettlementDep, principal: Principal = Depends(READ)):
    return _payment_out(await settlement.payments.get(principal.institution_id, payment_id))


@router.post(
    "/payments/{payment_id}/release", status_code=202, response_model=M.ApprovalRequestOut,
    summary="Propose releasing a held payment once its reason is resolved (e.g. registration recorded; four eyes)",
    description="Requires `Idempotency-Key`. Four eyes (`payment.release`): answers 202 with a pending approval request (`Location: /v1/approval-requests/{id}`); "
    "the payment is released only when a different person with a checker role approves it, whose `result` is the released payment (`released_by`: the checker). "
    "A payment that cannot be released now is refused at once (409 `payment_not_releasable`), and checked again when approved.",
)
async def release_payment(payment_id: UUID, body: PaymentReleaseBody, request: Request, settlement: SettlementDep, principal: Principal = Depends(RELEASE), _key: str = Depends(idempotency_key_header)):
    async def handler(key: str) -> Response:
        p = await settlement.payments.check_releasable(principal.institution_id, payment_id, note=body.note)
        summary = f"release held payment {p['external_ref']} ({format_minor(p['amount_minor'], p['currency'])} {p['currency']}): {body.note}"
        params = {"payment_id": str(payment_id), "note": body.note}
        return await sod.submit(request, principal, "payment.release", params, summary=summary, object_type="payment", object_id=str(payment_id))

    return await run_idempotent(request, principal, handler)


async def _execute_release(ctx: Any, institution_id: UUID, params: dict[str, Any], checker: Principal, _row: Any) -> tuple[int, dict[str, Any]]:
    """``payment.release`` approved: the checker releases the payment."""
    out = await ctx.settlement.payments.release(institution_id, UUID(params["payment_id"]), note=params["note"], actor=checker.actor)
    return 200, jsonable_encoder(_payment_out(out))


sod.register("payment.release", _execute_release)


@router.get("/monitoring/payments", response_model=StatisticsOut[PaymentStatOut], summary="Outward payment statistics by purpose, beneficiary country, merchant kind")
async def payment_stats(
    settlement: SettlementDep,
    date_from: Annotated[IsoDate, Query()],
    date_to: Annotated[IsoDate, Query()],
    group_by: str = Query(default="purpose", max_length=100, pattern=group_by_pattern(PAYMENT_DIMENSIONS), description=f"comma-separated, no spaces: {', '.join(PAYMENT_DIMENSIONS)}"),
    principal: Principal = Depends(READ),
):
    dims = [d.strip() for d in group_by.split(",") if d.strip()]
    rows = await settlement.payment_statistics(principal.institution_id, date_from, date_to, dims)
    return StatisticsOut[PaymentStatOut](date_from=date_from, date_to=date_to, group_by=dims, rows=[
        PaymentStatOut(key=r.key, currency=r.currency, count=r.count, amount=format_minor(r.amount_minor, r.currency),
                       usd_equivalent=_money(r.usd_equivalent_minor, "USD"), held=format_minor(r.held_minor, r.currency))
        for r in rows
    ])
