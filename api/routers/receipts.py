"""Settlement routes: receipts (S1-S3, S6), conversions and quotas (S5), risk
alerts and monitoring statistics (S9), per-institution settlement settings."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Annotated, Any, Generic, Literal, TypeVar
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, ConfigDict, Field, create_model

from ledger import errors as E
from ledger.money import format_minor, parse_amount
from settlement.config import CUSTOMS_MODES, FEE_KINDS, INTERNAL_LIMITS, LooserThanNational
from settlement.conversions import ConversionIn, Review
from settlement.monitoring import DIMENSIONS, group_by_pattern
from settlement.receipts import ReceiptIn

from .. import models as M
from .. import sod
from ..auth import Principal, require
from ..deps import SettlementDep
from ..fields import IsoDate, IsoDateTime
from ..idempotency import StoredAnswer, idempotency_key_header, run_idempotent
from ..models import Amount, AmountOrZero, CurrencyCode, DecimalAmount, Money
from ..paging import Page, PageQuery, invalid_cursor, page_query
from ..problems import COMMON_ERRORS, ProblemError, explain_pattern, problem_of
from ..responses import json_response as _json

S = TypeVar("S")

router = APIRouter(prefix="/v1", tags=["settlement"], responses=COMMON_ERRORS)

READ = require("system", "admin", "finance", "approver", scope="settlement:read")
WRITE = require("system", "finance", scope="settlement:write")
CONVERT = require("system", "finance", "approver", scope="settlement:write")
ADMIN = require("system", "admin", scope="settlement:write")
CLOSE_ALERT = require("system", "admin", "approver", scope="settlement:write")
#: the makers of ``receipt.release`` (api/sod.py); a second person approves
RELEASE = require(*sod.POLICIES["receipt.release"].maker_roles, scope="settlement:write")
#: ``?limit=`` (default 50, at most 1000) and ``?cursor=`` of the lists
PAGE = page_query()


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _money(minor: int, currency: str) -> Money:
    """An amount in another currency than its object's: ``{"amount": "...", "currency": "..."}``."""
    return Money(amount=format_minor(minor, currency), currency=currency)


def _minor(text: str | None, currency: str, field: str, *, allow_zero: bool = False) -> int | None:
    """A request amount in minor units, strictly (422 naming ``field``)."""
    return None if text is None else parse_amount(text, currency, field=field, allow_zero=allow_zero)


#: the customs modes (settlement.config.CUSTOMS_MODES)
CustomsMode = Literal[CUSTOMS_MODES]  # type: ignore[valid-type]

#: one optional amount per registered fee kind (settlement.config.FEE_KINDS)
Fees = create_model("Fees", __base__=Strict, **{k.code: (AmountOrZero | None, None) for k in FEE_KINDS})  # type: ignore[call-overload]


class ReceiptBody(Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "customer_id": "01890a5d-ac96-774b-bcce-b302099a8057", "currency": "USD", "gross": "10000.00", "fees": {"warehousing": "300.00", "logistics": "200.00"},
        "net": "9500.00", "customs_mode": "9810", "destination_country": "DE", "declared_value": "9800.00", "platform_code": "shopx",
        "evidence_orders": ["SO-20260301-0001"], "payer": "Buyer GmbH", "value_date": "2026-12-01", "external_ref": "rcpt-2026-0001",
    }]})
    customer_id: UUID
    currency: CurrencyCode
    gross: Amount = Field(description="gross export proceeds")
    fees: Fees = Field(default_factory=Fees, description="overseas fees netted against the proceeds, by kind")
    net: AmountOrZero = Field(description="net cash actually received: gross less the fees")
    customs_mode: CustomsMode
    destination_country: str = Field(pattern=r"^[A-Z]{2}$", examples=["US"])
    declared_value: Amount | None = Field(default=None, description="customs-declared value, for the variance rule")
    platform_code: str | None = Field(default=None, max_length=64)
    evidence_orders: list[str] = Field(default_factory=list, max_length=5000, description="platform order ids cited as evidence")
    payer: str | None = Field(default=None, max_length=200)
    value_date: IsoDate | None = None
    external_ref: str | None = Field(default=None, max_length=128, description="your reference; default: the Idempotency-Key")


class ReceiptOut(BaseModel):
    id: UUID
    customer_id: UUID
    external_ref: str
    currency: str
    gross: DecimalAmount
    fees: dict[str, DecimalAmount]
    net: DecimalAmount
    usd_equivalent: Money = Field(description="USD equivalent at the mid rate of the value date")
    customs_mode: str
    destination_country: str
    merchant_kind: str
    value_date: date
    declared_value: DecimalAmount | None
    variance: str | None
    variance_flagged: bool
    coverage: DecimalAmount
    coverage_flagged: bool
    status: Literal["credited", "pending_verification", "released", "suspense"]
    suspense_reason: str | None
    transaction_id: UUID | None
    release_transaction_id: UUID | None
    released_by: str | None
    released_at: datetime | None
    alerts: list[str] = Field(default_factory=list)
    created_at: datetime


def _receipt_out(r: dict[str, Any]) -> ReceiptOut:
    c = r["currency"]
    return ReceiptOut(
        id=r["id"], customer_id=r["customer_id"], external_ref=r["external_ref"], currency=c, gross=format_minor(r["gross_minor"], c),
        fees={k: format_minor(v, c) for k, v in r["fees_minor"].items()}, net=format_minor(r["net_minor"], c),
        usd_equivalent=_money(r["usd_equivalent_minor"], "USD"), customs_mode=r["customs_mode"], destination_country=r["destination_country"],
        merchant_kind=r["merchant_kind"], value_date=r["value_date"],
        declared_value=None if r["declared_value_minor"] is None else format_minor(r["declared_value_minor"], c),
        variance=None if r["variance_minor"] is None else format_minor(r["variance_minor"], c), variance_flagged=r["variance_flagged"],
        coverage=format_minor(r["coverage_minor"], c), coverage_flagged=r["coverage_flagged"], status=r["status"], suspense_reason=r["suspense_reason"],
        transaction_id=r["transaction_id"], release_transaction_id=r["release_transaction_id"], released_by=r["released_by"],
        released_at=r["released_at"], alerts=r.get("alerts", []), created_at=r["created_at"],
    )


class ReleaseBody(Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"note": "contract C-2026-17 and invoices checked", "evidence_orders": ["SO-20260301-0001"], "platform_code": "shopx"}]})
    note: str = Field(min_length=1, max_length=2000, description="the evidence checked (contract, invoices, documents)")
    evidence_orders: list[str] = Field(default_factory=list, max_length=5000)
    platform_code: str | None = Field(default=None, max_length=64)


class ReviewBody(Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"proof": "tuition invoice 2026-114 of the university, checked"}]})
    proof: str = Field(min_length=1, max_length=2000, description="documentary proof of a genuine current-account transaction")


class ConversionBody(Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "customer_id": "01890a5d-ac96-774b-bcce-b302099a8057", "direction": "settle", "currency": "USD", "amount": "1200.00", "platform_code": "shopx",
        "evidence_orders": ["SO-20260301-0001"], "external_ref": "conv-2026-0001", "value_time": "2026-12-01T10:00:00+08:00",
    }]})
    customer_id: UUID
    direction: Literal["settle", "purchase"] = Field(description="settle: FX -> CNY (结汇); purchase: CNY -> FX (购汇)")
    currency: CurrencyCode = Field(description="the foreign currency")
    amount: Amount = Field(description="amount in the foreign currency")
    platform_code: str | None = Field(default=None, max_length=64)
    evidence_orders: list[str] = Field(default_factory=list, max_length=5000)
    review: ReviewBody | None = Field(default=None, description="the review path; only approvers and admins may attach it")
    customs_mode: CustomsMode | None = None
    destination_country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    external_ref: str | None = Field(default=None, max_length=128)
    value_time: IsoDateTime | None = Field(
        default=None, description="when the conversion takes effect (with offset; default now): its China-time day gives the rate day and the quota year; "
        "back-dating within the open period (default 30 days), never in the future",
    )


class ConversionOut(BaseModel):
    id: UUID
    customer_id: UUID
    external_ref: str
    direction: str
    currency: str
    amount: DecimalAmount
    cny: Money = Field(description="the CNY side of the conversion")
    rate: dict[str, Any]
    usd_equivalent: Money
    exempt_usd: Money = Field(description="USD equivalent exempt from the quota (backed by trade evidence)")
    quota_usd: Money = Field(description="USD equivalent counted against the annual quota")
    reviewed_usd: Money = Field(description="USD equivalent allowed beyond the quota by a review")
    quota_year: int | None
    reviewer: str | None
    transaction_id: UUID
    alerts: list[str] = Field(default_factory=list)
    value_time: datetime
    created_at: datetime


def _conversion_out(c: dict[str, Any]) -> ConversionOut:
    return ConversionOut(
        id=c["id"], customer_id=c["customer_id"], external_ref=c["external_ref"], direction=c["direction"], currency=c["fx_currency"],
        amount=format_minor(c["fx_minor"], c["fx_currency"]), cny=_money(c["cny_minor"], "CNY"), rate=c["rate"],
        usd_equivalent=_money(c["usd_equivalent_minor"], "USD"), exempt_usd=_money(c["exempt_usd_minor"], "USD"),
        quota_usd=_money(c["quota_usd_minor"], "USD"), reviewed_usd=_money(c["reviewed_usd_minor"], "USD"), quota_year=c["quota_year"],
        reviewer=c["reviewer"], transaction_id=c["transaction_id"], alerts=c.get("alerts", []), value_time=c.get("value_at") or c["created_at"],
        created_at=c["created_at"],
    )


class QuotaDirection(BaseModel):
    currency: Literal["USD"] = Field(default="USD", description="the currency of the amounts: quotas are counted in USD")
    used_usd: DecimalAmount = Field(description="used in the national registry (all institutions)")
    remaining_usd: DecimalAmount = Field(description="what this institution still allows")
    limit_usd: DecimalAmount = Field(description="the limit this institution applies: the national quota or its lower internal limit")
    national_limit_usd: DecimalAmount = Field(description="the national quota (deployment-wide)")


class QuotaOut(BaseModel):
    year: int
    subject_to_quota: bool
    directions: dict[str, QuotaDirection]
    watch_list_until: int | None = None


class AlertOut(BaseModel):
    id: UUID
    kind: str
    customer_id: UUID | None
    subject_type: str | None
    subject_id: str | None
    details: dict[str, Any]
    status: str
    created_at: datetime


class StatOut(BaseModel):
    key: dict[str, str | None]
    currency: str
    count: int
    gross: DecimalAmount
    fees: DecimalAmount
    net: DecimalAmount
    usd_equivalent: Money


class StatisticsOut(BaseModel, Generic[S]):
    """Aggregate statistics of a period: one row per group (bounded by the
    grouping dimensions, so not a paged list)."""

    date_from: date
    date_to: date
    group_by: list[str]
    rows: list[S]


class ConversionStatOut(BaseModel):
    direction: str
    currency: str
    merchant_kind: str
    count: int
    amount: DecimalAmount
    cny: Money
    usd_equivalent: Money
    exempt_usd: Money
    quota_usd: Money


class SettlementConfigBody(Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"overrides": {"variance_tolerance": "0.05"}}, {"overrides": {"customer_annual_quota_usd": "20000.00"}}]})
    overrides: dict[str, Any] = Field(
        description="the institution's own parameters to override, e.g. {\"variance_tolerance\": \"0.05\"}, or stricter internal limits "
        "(customer_annual_quota_usd, internal_registration_warning_usd: USD decimal strings such as \"20000.00\"); national parameters are refused (403)",
    )


#: the USD amounts among the settlement parameters (decimal strings in the API, USD cents inside)
USD_PARAMETERS = ("individual_annual_quota_usd", "registration_threshold_usd", "registration_warning_usd", "split_limit_usd", *INTERNAL_LIMITS)


def _config_out(cfg: Any) -> dict[str, Any]:
    """The parameters, USD amounts as decimal strings (``currency``: USD)."""
    out = cfg.to_dict()
    for k in USD_PARAMETERS:
        if isinstance(out.get(k), int):
            out[k] = format_minor(out[k], "USD")
    return {**out, "currency": "USD"}


def _limits_in(overrides: dict[str, Any], national: dict[str, Any]) -> dict[str, Any]:
    """The overrides with the internal limits (USD decimal strings) in USD cents;
    a limit that is not a positive USD amount no higher than the national one is 422."""
    out = dict(overrides)
    for key, (nkey, rule) in INTERNAL_LIMITS.items():
        v = overrides.get(key)
        if v is None:
            continue
        minor = None
        if isinstance(v, str):
            try:
                minor = parse_amount(v, "USD", field=f"overrides.{key}")
            except (E.InvalidAmount, E.AmountOutOfRange):
                minor = None
        if minor is None or minor > int(national[nkey]):
            raise LooserThanNational(key, v, nkey, int(national[nkey]), rule)
        out[key] = minor
    return out


# -- receipts ----------------------------------------------------------------------------------


def _receipt_in(body: ReceiptBody, external_ref: str, at: str = "") -> ReceiptIn:
    """The library's receipt from a request body; its amounts strictly
    (``at`` prefixes the field names in refusals: ``receipts[3].gross``)."""
    c = body.currency
    fees = {k: parse_amount(v, c, field=f"{at}fees.{k}", allow_zero=True) for k, v in body.fees.model_dump().items() if v is not None}
    gross, net = parse_amount(body.gross, c, field=f"{at}gross"), parse_amount(body.net, c, field=f"{at}net", allow_zero=True)
    return ReceiptIn(
        customer_id=body.customer_id, currency=c, gross_minor=gross, net_minor=net, customs_mode=body.customs_mode,
        destination_country=body.destination_country, external_ref=external_ref, fees=fees,
        declared_value_minor=_minor(body.declared_value, c, f"{at}declared_value", allow_zero=True), platform_code=body.platform_code,
        evidence_orders=body.evidence_orders, payer=body.payer, value_date=body.value_date,
    )


@router.post("/receipts", status_code=201, response_model=ReceiptOut, summary="Post an inbound cross-border receipt (routing, netting, evidence, thresholds)")
async def post_receipt(body: ReceiptBody, request: Request, settlement: SettlementDep, principal: Principal = Depends(WRITE), _key: str = Depends(idempotency_key_header)):
    parsed = _receipt_in(body, "")  # the amounts are checked before the key is claimed

    async def handler(key: str) -> Response:
        r = replace(parsed, external_ref=body.external_ref or key)
        answer = StoredAnswer(lambda row: _json(201, _receipt_out(row)))  # stored in the receipt's transaction: one durable commit
        return answer.answer(await settlement.receipts.post_receipt(principal.institution_id, r, actor=principal.actor, after=answer))

    return await run_idempotent(request, principal, handler)


#: the most receipts one batch request holds
RECEIPT_BATCH_MAX = 1000
#: a batch item's reference: printable ASCII, no blank at either end
_REF_PATTERN = r"^[!-~]([ -~]*[!-~])?$"


class ReceiptBatchItem(ReceiptBody):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "customer_id": "01890a5d-ac96-774b-bcce-b302099a8057", "currency": "USD", "gross": "120.00", "net": "120.00", "customs_mode": "9610",
        "destination_country": "DE", "external_ref": "stmt-2026-12-04-0001",
    }]})
    external_ref: str = Field(
        min_length=1, max_length=128, pattern=explain_pattern(_REF_PATTERN, "printable ASCII without leading or trailing blanks, such as \"stmt-0001\""),
        description="your reference, required in a batch: receipts are idempotent by it, compared exactly (case counts); printable ASCII "
        "without leading or trailing blanks, so that no lookalike spelling (a full-width digit, a trailing space) makes a second receipt",
    )


class ReceiptBatchIn(Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"receipts": [{
        "customer_id": "01890a5d-ac96-774b-bcce-b302099a8057", "currency": "USD", "gross": "120.00", "net": "120.00", "customs_mode": "9610",
        "destination_country": "DE", "external_ref": "stmt-2026-12-04-0001",
    }]}]})
    receipts: list[ReceiptBatchItem] = Field(min_length=1, max_length=RECEIPT_BATCH_MAX)


class ReceiptBatchResultOut(BaseModel):
    index: int
    status: Literal["ok", "error"]
    code: str = Field(description="'ok' or the error code")
    replayed: bool = Field(default=False, description="the receipt was posted earlier (same external_ref and content)")
    receipt: ReceiptOut | None = None
    problem: M.Problem | None = None


class ReceiptBatchOut(BaseModel):
    results: list[ReceiptBatchResultOut]
    posted: int = Field(description="receipts answered ok (posted now or earlier)")
    failed: int


def _batch_out(results: list[Any], pre_errors: dict[int, E.LedgerError]) -> Response:
    out = []
    for i, r in enumerate(results):
        refusal = pre_errors.get(i) or (r if isinstance(r, E.LedgerError) else None)
        if refusal is None:
            out.append(ReceiptBatchResultOut(index=i, status="ok", code="ok", replayed=bool(r.get("replayed")), receipt=_receipt_out(r)))
        else:
            out.append(ReceiptBatchResultOut(index=i, status="error", code=refusal.code, problem=M.Problem(**problem_of(refusal))))
    ok = sum(1 for r in out if r.status == "ok")
    return _json(200, ReceiptBatchOut(results=out, posted=ok, failed=len(out) - ok))


@router.post(
    "/receipts/batch", response_model=ReceiptBatchOut, summary=f"Post up to {RECEIPT_BATCH_MAX:,} receipts in one database transaction",
    description="Requires `Idempotency-Key`. A retry with the same key returns the stored response byte for byte. Each receipt names its "
    "`external_ref` and gets its own result (a refusal is a problem document and changes nothing); a receipt whose `external_ref` "
    "was posted earlier with the same content is answered as it was (`replayed`), with other content refused (`duplicate_reference`).",
)
async def post_receipt_batch(body: ReceiptBatchIn, request: Request, settlement: SettlementDep, principal: Principal = Depends(WRITE), _key: str = Depends(idempotency_key_header)):
    async def handler(key: str) -> Response:
        items: list[ReceiptIn] = []
        pre_errors: dict[int, E.LedgerError] = {}
        for i, b in enumerate(body.receipts):
            try:
                items.append(_receipt_in(b, b.external_ref, f"receipts[{i}]."))
            except E.LedgerError as err:
                pre_errors[i] = err
        if not items:
            return _batch_out([None] * len(body.receipts), pre_errors)
        index = [i for i in range(len(body.receipts)) if i not in pre_errors]
        answer = StoredAnswer(lambda res: _batch_out(_spread(res, index, len(body.receipts)), pre_errors))  # stored in the batch's transaction
        return answer.answer(await settlement.receipts.post_receipts(principal.institution_id, items, actor=principal.actor, then=answer))

    return await run_idempotent(request, principal, handler)


def _spread(results: list[Any], index: list[int], n: int) -> list[Any]:
    """The results of the receipts posted, at their places in the request."""
    out: list[Any] = [None] * n
    for i, r in zip(index, results, strict=True):
        out[i] = r
    return out


def _before(page: PageQuery, kind: str) -> UUID | None:
    """The id held by a newest-first cursor (422 ``invalid_cursor`` when it is none)."""
    key = page.after(kind)
    if key is None:
        return None
    try:
        return UUID(str(key[0]))
    except (ValueError, IndexError):
        raise invalid_cursor("this cursor belongs to another list (or was altered)") from None


@router.get("/receipts", response_model=Page[ReceiptOut], summary="List receipts, newest first")
async def list_receipts(
    settlement: SettlementDep,
    customer_id: UUID | None = None,
    status: Literal["credited", "pending_verification", "released", "suspense"] | None = None,
    page: PageQuery = Depends(PAGE),
    principal: Principal = Depends(READ),
):
    rows = await settlement.receipts.list(principal.institution_id, customer_id=customer_id, status=status, limit=page.limit + 1, before=_before(page, "receipts"))
    return page.build("receipts", rows, key=lambda r: [str(r["id"])], out=_receipt_out)


@router.get("/receipts/{receipt_id}", response_model=ReceiptOut, summary="Get a receipt")
async def get_receipt(receipt_id: UUID, settlement: SettlementDep, principal: Principal = Depends(READ)):
    return _receipt_out(await settlement.receipts.get(principal.institution_id, receipt_id))


@router.post(
    "/receipts/{receipt_id}/release", status_code=202, response_model=M.ApprovalRequestOut,
    summary="Propose releasing a receipt from pending verification or suspense, citing evidence (four eyes)",
    description="Requires `Idempotency-Key`. Four eyes (`receipt.release`): answers 202 with a pending approval request (`Location: /v1/approval-requests/{id}`); "
    "the receipt is released only when a different person with a checker role approves it, whose `result` is the released receipt (`released_by`: the checker). "
    "A receipt that cannot be released now is refused at once (409 `receipt_not_releasable`), and checked again when approved.",
)
async def release_receipt(receipt_id: UUID, body: ReleaseBody, request: Request, settlement: SettlementDep, principal: Principal = Depends(RELEASE), _key: str = Depends(idempotency_key_header)):
    async def handler(key: str) -> Response:
        r = await settlement.receipts.check_releasable(principal.institution_id, receipt_id, note=body.note)
        summary = f"release receipt {r['external_ref']} ({format_minor(r['net_minor'], r['currency'])} {r['currency']}, {r['status']}): {body.note}"
        params = {"receipt_id": str(receipt_id), "note": body.note, "evidence_orders": list(body.evidence_orders), "platform_code": body.platform_code}
        return await sod.submit(request, principal, "receipt.release", params, summary=summary, object_type="receipt", object_id=str(receipt_id))

    return await run_idempotent(request, principal, handler)


async def _execute_release(ctx: Any, institution_id: UUID, params: dict[str, Any], checker: Principal, _row: Any) -> tuple[int, dict[str, Any]]:
    """``receipt.release`` approved: the checker releases the receipt."""
    out = await ctx.settlement.receipts.release(
        institution_id, UUID(params["receipt_id"]), note=params["note"], evidence_orders=list(params.get("evidence_orders") or []),
        platform_code=params.get("platform_code"), actor=checker.actor,
    )
    return 200, jsonable_encoder(_receipt_out(out))


sod.register("receipt.release", _execute_release)


# -- conversions ---------------------------------------------------------------------------------


@router.post(
    "/conversions", status_code=201, response_model=ConversionOut, responses={202: {"model": M.ApprovalRequestOut, "description": "a conversion with a `review`: pending approval"}},
    summary="Convert FX to CNY (settle) or CNY to FX (purchase) at the bank's rate",
    description="Requires `Idempotency-Key`. A conversion within the quota is made at once (201). A conversion with a `review` (documentary proof: "
    "the review path beyond an individual's quota or for a watch-listed person) is four eyes (`conversion.review`): it answers 202 with a pending "
    "approval request (`Location: /v1/approval-requests/{id}`) and converts only when a different person with a checker role approves it, "
    "recorded as its `reviewer`; the approved request's `result` is the conversion.",
)
async def post_conversion(body: ConversionBody, request: Request, settlement: SettlementDep, principal: Principal = Depends(CONVERT), _key: str = Depends(idempotency_key_header)):
    if body.review is not None and principal.role not in sod.POLICIES["conversion.review"].maker_roles:
        raise ProblemError(403, "forbidden_role", "Forbidden", "only approvers may attach a review", role=principal.role)

    amount = parse_amount(body.amount, body.currency, field="amount")

    async def handler(key: str) -> Response:
        c = ConversionIn(
            body.customer_id, body.direction, body.currency, amount, body.external_ref or key,
            platform_code=body.platform_code, evidence_orders=body.evidence_orders, customs_mode=body.customs_mode,
            destination_country=body.destination_country, value_time=body.value_time,
        )
        if body.review is not None:
            return await _submit_review(request, principal, settlement, c, body.review.proof)
        answer = StoredAnswer(lambda row: _json(201, _conversion_out(row)))  # stored in the conversion's transaction
        return answer.answer(await settlement.conversions.convert(principal.institution_id, c, actor=principal.actor, after=answer))

    return await run_idempotent(request, principal, handler)


async def _submit_review(request: Request, principal: Principal, settlement: Any, c: ConversionIn, proof: str) -> Response:
    """A conversion through the review path: the maker's proof, reviewed by the checker (four eyes)."""
    c.review = Review(principal.actor, proof)  # checked as the conversion will be, reviewer aside
    await settlement.conversions.check_request(principal.institution_id, c)
    params = {
        "customer_id": str(c.customer_id), "direction": c.direction, "currency": c.currency, "amount_minor": c.amount_minor, "external_ref": c.external_ref,
        "platform_code": c.platform_code, "evidence_orders": list(c.evidence_orders), "proof": proof, "customs_mode": c.customs_mode,
        "destination_country": c.destination_country, "value_time": None if c.value_time is None else c.value_time.isoformat(),
    }
    summary = f"{c.direction} {format_minor(c.amount_minor, c.currency)} {c.currency} for customer {c.customer_id} through the review path: {proof}"
    return await sod.submit(request, principal, "conversion.review", params, summary=summary, object_type="customer", object_id=str(c.customer_id))


async def _execute_review(ctx: Any, institution_id: UUID, params: dict[str, Any], checker: Principal, _row: Any) -> tuple[int, dict[str, Any]]:
    """``conversion.review`` approved: converted with the checker as the reviewer of the maker's proof."""
    c = ConversionIn(
        UUID(params["customer_id"]), params["direction"], params["currency"], int(params["amount_minor"]), params["external_ref"],
        platform_code=params.get("platform_code"), evidence_orders=list(params.get("evidence_orders") or []), review=Review(checker.actor, params["proof"]),
        customs_mode=params.get("customs_mode"), destination_country=params.get("destination_country"),
        value_time=None if params.get("value_time") is None else datetime.fromisoformat(params["value_time"]),
    )
    out = await ctx.settlement.conversions.convert(institution_id, c, actor=checker.actor)
    return 201, jsonable_encoder(_conversion_out(out))


sod.register("conversion.review", _execute_review)


@router.get("/conversions/{conversion_id}", response_model=ConversionOut, summary="Get a conversion")
async def get_conversion(conversion_id: UUID, settlement: SettlementDep, principal: Principal = Depends(READ)):
    return _conversion_out(await settlement.conversions.get(principal.institution_id, conversion_id))


@router.get("/customers/{customer_id}/quota", response_model=QuotaOut, summary="An individual's annual quota: used and remaining per direction")
async def quota(customer_id: UUID, settlement: SettlementDep, year: int | None = Query(default=None, ge=2000, le=2100), principal: Principal = Depends(READ)):
    q = await settlement.conversions.quota_status(principal.institution_id, customer_id, year)
    dirs = {
        d: QuotaDirection(used_usd=format_minor(v["used_usd_minor"], "USD"), remaining_usd=format_minor(v["remaining_usd_minor"], "USD"), limit_usd=format_minor(v["limit_usd_minor"], "USD"),
                          national_limit_usd=format_minor(v["national_limit_usd_minor"], "USD"))
        for d, v in q["directions"].items()
    }
    return QuotaOut(year=q["year"], subject_to_quota=q["subject_to_quota"], directions=dirs, watch_list_until=q.get("watch_list_until"))


# -- alerts and monitoring -----------------------------------------------------------------------


@router.get("/risk-alerts", response_model=Page[AlertOut], summary="Risk alerts, newest first")
async def alerts(
    settlement: SettlementDep,
    kind: str | None = Query(default=None, max_length=48),
    status: Literal["open", "closed"] | None = None,
    customer_id: UUID | None = None,
    page: PageQuery = Depends(PAGE),
    principal: Principal = Depends(READ),
):
    rows = await settlement.list_alerts(
        principal.institution_id, kind=kind, status=status, customer_id=customer_id, limit=page.limit + 1, before=_before(page, "risk_alerts"),
    )
    return page.build("risk_alerts", rows, key=lambda r: [str(r["id"])], out=lambda r: AlertOut(**{k: r[k] for k in AlertOut.model_fields}))


@router.post("/risk-alerts/{alert_id}/close", response_model=AlertOut, summary="Close a risk alert")
async def close(alert_id: UUID, request: Request, settlement: SettlementDep, principal: Principal = Depends(CLOSE_ALERT)):
    r = await settlement.close_alert(
        principal.institution_id, alert_id, actor_type=principal.actor_type, actor_id=str(principal.actor_id), request_id=getattr(request.state, "request_id", None)
    )
    return AlertOut(**{k: r[k] for k in AlertOut.model_fields})


@router.get("/monitoring/receipts", response_model=StatisticsOut[StatOut], summary="Receipt statistics by customs mode, country, merchant kind (gross and net)")
async def receipt_stats(
    settlement: SettlementDep,
    date_from: Annotated[IsoDate, Query()],
    date_to: Annotated[IsoDate, Query()],
    group_by: str = Query(default="customs_mode", max_length=100, pattern=group_by_pattern(DIMENSIONS), description=f"comma-separated, no spaces: {', '.join(DIMENSIONS)}"),
    principal: Principal = Depends(READ),
):
    dims = [d.strip() for d in group_by.split(",") if d.strip()]
    rows = await settlement.receipt_statistics(principal.institution_id, date_from, date_to, dims)
    return StatisticsOut[StatOut](date_from=date_from, date_to=date_to, group_by=dims, rows=[
        StatOut(key=r.key, currency=r.currency, count=r.count, gross=format_minor(r.gross_minor, r.currency), fees=format_minor(r.fees_minor, r.currency),
                net=format_minor(r.net_minor, r.currency), usd_equivalent=_money(r.usd_equivalent_minor, "USD"))
        for r in rows
    ])


@router.get("/monitoring/conversions", response_model=StatisticsOut[ConversionStatOut], summary="Conversion statistics per direction, currency and merchant kind")
async def conversion_stats(settlement: SettlementDep, date_from: Annotated[IsoDate, Query()], date_to: Annotated[IsoDate, Query()], principal: Principal = Depends(READ)):
    rows = await settlement.conversion_statistics(principal.institution_id, date_from, date_to)
    return StatisticsOut[ConversionStatOut](date_from=date_from, date_to=date_to, group_by=["direction", "currency", "merchant_kind"], rows=[
        ConversionStatOut(direction=r["direction"], currency=r["currency"], merchant_kind=r["merchant_kind"], count=r["count"],
                          amount=format_minor(r["fx_minor"], r["currency"]), cny=_money(r["cny_minor"], "CNY"),
                          usd_equivalent=_money(r["usd_equivalent_minor"], "USD"), exempt_usd=_money(r["exempt_usd_minor"], "USD"),
                          quota_usd=_money(r["quota_usd_minor"], "USD"))
        for r in rows
    ])


@router.get("/settlement/config", response_model=dict[str, Any], summary="The institution's settlement parameters")
async def get_config(settlement: SettlementDep, principal: Principal = Depends(READ)):
    return _config_out(await settlement.config(principal.institution_id))


@router.put(
    "/settlement/config", response_model=dict[str, Any],
    summary="Override this institution's settlement parameters (national parameters are read-only: 403; internal limits only stricter: 422)",
)
async def put_config(body: SettlementConfigBody, settlement: SettlementDep, principal: Principal = Depends(ADMIN)):
    try:
        cfg = await settlement.set_config(principal.institution_id, _limits_in(body.overrides, settlement.national), actor=principal.actor)
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise E.InvalidInput(f"invalid settlement parameters: {exc}") from None
    return _config_out(cfg)
