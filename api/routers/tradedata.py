"""Trade data routes (S2): platforms push orders, logistics waybills,
payment records and returns/refunds, one at a time, in bulk (JSON, at most
10,000 per call) or as an NDJSON / CSV file streamed in chunks.  Records are
idempotent by (platform, external id); a bad record is rejected with its
reason and held, the others go in.  Staff read orders with their
three-document match status and the held records."""

# no "from __future__ import annotations": the per-kind routes are built in a
# function and FastAPI must see their body models as objects, not names
import tempfile
from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.ext.asyncio import AsyncEngine

from ledger.errors import InvalidInput, LedgerError
from ledger.money import format_minor, parse_amount
from settlement import tradedata as T

from ..auth import Principal, require
from ..deps import EngineDep
from ..fields import IsoDate
from ..models import Amount, AmountOrZero
from ..paging import Page, PageQuery, invalid_cursor, page_query
from ..problems import COMMON_ERRORS, ProblemError

router = APIRouter(prefix="/v1", tags=["trade-data"], responses=COMMON_ERRORS)

PUSH = require("platform", "system", scope="tradedata:write")
READ = require("system", "admin", "finance", "approver", scope="settlement:read")
REMATCH = require("system", "admin", "finance", scope="settlement:write")
#: ``?limit=`` (default 50, at most 1000) and ``?cursor=`` of the lists
PAGE = page_query()

#: largest file accepted by the streaming upload (the request-size limit of
#: the app applies to requests that declare a Content-Length)
MAX_UPLOAD_BYTES = 2 * 1024**3
_SPOOL_BYTES = 8 * 1024**2

Text64 = Annotated[str, Field(min_length=1, max_length=64)]
ExternalId = Annotated[str, Field(min_length=1, max_length=128, examples=["SO-20260301-0001"])]
CurrencyCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$", examples=["USD"])]
Country = Annotated[str, Field(pattern=r"^[A-Z]{2}$", examples=["US"])]
Kind = Literal["orders", "waybills", "payments", "refunds"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OrderRecord(_Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "external_id": "SO-20260301-0001", "merchant_ref": "M-1001", "currency": "USD", "amount": "129.90", "order_date": "2026-11-28",
        "customs_mode": "9610", "destination_country": "US",
    }]})
    external_id: ExternalId
    merchant_ref: Text64 = Field(description="the customer's ref at the institution")
    currency: CurrencyCode
    amount: Amount
    order_date: IsoDate
    customs_mode: Annotated[str, Field(pattern=r"^[0-9]{4}$", examples=["9610"])] | None = None
    destination_country: Country | None = None


class WaybillRecord(_Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "external_id": "WB-884120031", "order_external_id": "SO-20260301-0001", "merchant_ref": "M-1001", "shipped_on": "2026-11-29", "carrier": "sf-express",
        "currency": "USD", "amount": "129.90", "destination_country": "US",
    }]})
    external_id: ExternalId
    order_external_id: ExternalId
    merchant_ref: Text64
    shipped_on: IsoDate
    carrier: Text64 | None = None
    currency: CurrencyCode | None = Field(default=None, description="of the declared value, if any")
    amount: AmountOrZero | None = Field(default=None, description="declared value, if any (then it must agree with the order)")
    destination_country: Country | None = None


class PaymentRecord(_Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "external_id": "PAY-55120", "order_external_id": "SO-20260301-0001", "merchant_ref": "M-1001", "currency": "USD", "amount": "129.90",
        "paid_on": "2026-11-28", "method": "card",
    }]})
    external_id: ExternalId
    order_external_id: ExternalId
    merchant_ref: Text64
    currency: CurrencyCode
    amount: Amount
    paid_on: IsoDate
    method: Annotated[str, Field(min_length=1, max_length=32)] | None = None


class RefundRecord(_Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "external_id": "RF-1201", "order_external_id": "SO-20260301-0001", "currency": "USD", "amount": "29.90", "refunded_on": "2026-12-01", "kind": "return",
        "reason": "damaged in transit",
    }]})
    external_id: ExternalId
    order_external_id: ExternalId
    currency: CurrencyCode
    amount: Amount
    refunded_on: IsoDate | None = None
    kind: Literal["return", "refund", "chargeback"] = "refund"
    reason: Annotated[str, Field(max_length=200)] | None = None


class TradeRecordsIn(_Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"records": [{
        "external_id": "SO-20260301-0002", "merchant_ref": "M-1001", "currency": "USD", "amount": "59.00", "order_date": "2026-11-28",
    }]}]})
    records: list[dict[str, Any]] = Field(
        min_length=1,
        max_length=T.MAX_BULK_RECORDS,
        description="up to 10,000 records, each shaped like the single-record body of the route (amounts as decimal strings `amount` with at most the "
        "currency's decimals, dates as YYYY-MM-DD); a bad record is rejected and held, the others go in",
    )


class RejectedOut(BaseModel):
    position: int = Field(description="index of the record in the call or file")
    reason: str


class IngestReportOut(BaseModel):
    kind: str
    platform_code: str
    inserted: int
    duplicates: int
    rejected_total: int
    rejected: list[RejectedOut] = Field(description="at most 1,000 listed for a file; every reject is held (GET /v1/trade-data/rejects)")
    match: dict[str, int] = Field(description="three-document match status of the orders this call (re)matched")


class OrderOut(BaseModel):
    id: UUID
    platform_code: str
    external_id: str
    customer_id: UUID
    merchant_ref: str
    currency: str
    amount: str
    refunded: str
    effective_value: str = Field(description="amount less returns and refunds (never below zero)")
    order_date: date
    customs_mode: str | None
    destination_country: str | None
    match_status: Literal["matched", "partial", "mismatched"]
    match_reason: str | None
    matched_at: datetime
    created_at: datetime


class WaybillOut(BaseModel):
    id: UUID
    external_id: str
    merchant_ref: str
    shipped_on: date
    carrier: str | None
    currency: str | None
    amount: str | None
    destination_country: str | None


class PaymentOut(BaseModel):
    id: UUID
    external_id: str
    merchant_ref: str
    currency: str
    amount: str
    paid_on: date
    method: str | None


class RefundOut(BaseModel):
    id: UUID
    external_id: str
    kind: str
    currency: str
    requested: str
    applied: str
    refunded_on: date
    reason: str | None


class OrderDetailOut(OrderOut):
    claimed_as_evidence: str = Field(description="what this institution's receipts and conversions have claimed of the order's value")
    waybills: list[WaybillOut]
    payments: list[PaymentOut]
    refunds: list[RefundOut]


class TradeRejectOut(BaseModel):
    id: UUID
    platform_code: str
    kind: str
    external_id: str | None
    position: int
    raw: str
    reason: str
    created_at: datetime


class MatchIn(_Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{}, {"order_ids": ["01890a5d-ac96-774b-bcce-b302099a8057"]}]})
    order_ids: list[UUID] | None = Field(default=None, max_length=T.MAX_BULK_RECORDS, description="default: all of the institution's orders")


class MatchOut(BaseModel):
    match: dict[str, int]


_RECORD_MODELS = {"orders": OrderRecord, "waybills": WaybillRecord, "payments": PaymentRecord, "refunds": RefundRecord}


class PlatformRequired(LedgerError):
    """An institution's system key pushing trade data names the platform
    (``?platform=``); a platform key is its own platform.  The schema cannot
    depend on the credential, so the refusal is a business rule."""

    code = "platform_required"
    title = "Name the platform"

    def __init__(self) -> None:
        super().__init__("a system key names the platform of the trade data: query parameter `platform`", field="platform")


def _platform(principal: Principal, platform: str | None) -> str:
    """A platform key writes its own platform's data; an institution's system
    names the platform."""
    if principal.role == "platform":
        if platform is not None and platform != principal.platform_code:
            raise ProblemError(403, "forbidden_platform", "Forbidden", "a platform key writes only its own platform's trade data", platform=platform)
        return principal.platform_code or ""
    if not platform:
        raise PlatformRequired()
    return platform


def _check_amount(record: BaseModel) -> None:
    """A JSON record's amount, strictly (422 naming the field): at most the
    currency's decimals, positive (a waybill's declared value may be zero), in range."""
    amount, currency = getattr(record, "amount", None), getattr(record, "currency", None)
    if amount is not None and currency is not None:
        parse_amount(amount, currency, field="amount", allow_zero=isinstance(record, WaybillRecord))


def _report(report: T.IngestReport, platform: str) -> IngestReportOut:
    return IngestReportOut(
        kind=report.kind, platform_code=platform, inserted=report.inserted, duplicates=report.duplicates, rejected_total=report.rejected_total,
        rejected=[RejectedOut(position=p, reason=r) for p, r in report.rejected], match=report.match,
    )


def _order_out(o: dict[str, Any], cls=OrderOut, **extra) -> Any:
    c = o["currency"]
    return cls(
        id=o["id"], platform_code=o["platform_code"], external_id=o["external_id"], customer_id=o["customer_id"], merchant_ref=o["merchant_ref"],
        currency=c, amount=format_minor(o["amount_minor"], c), refunded=format_minor(o["refunded_minor"], c),
        effective_value=format_minor(o["effective_value_minor"], c), order_date=o["order_date"], customs_mode=o["customs_mode"],
        destination_country=o["destination_country"], match_status=o["match_status"], match_reason=o["match_reason"], matched_at=o["matched_at"],
        created_at=o["created_at"], **extra,
    )


PlatformQuery = Annotated[str | None, Query(
    min_length=1, max_length=64, pattern=r"^[^\x00-\x1f\x7f-\x9f]+$",
    description="the platform: required with an institution's system key (without it 422 `platform_required`); a platform key is its own platform (another one is 403)",
)]


async def _platform_param(request: Request, platform: PlatformQuery = None) -> str | None:
    """The ``platform`` query parameter, given at most once (a repeated one
    is not a string: 422, not silently the last value)."""
    if len(request.query_params.getlist("platform")) > 1:
        raise InvalidInput("give the query parameter `platform` once", field="platform")
    return platform


PlatformParam = Annotated[str | None, Depends(_platform_param)]


def _add_push_routes(kind: str, noun: str) -> None:
    model = _RECORD_MODELS[kind]

    async def push_one(body: model, engine: EngineDep, response: Response, principal: Annotated[Principal, Depends(PUSH)], platform: PlatformParam):  # type: ignore[valid-type]
        code = _platform(principal, platform)
        record: BaseModel = body
        _check_amount(record)
        report = await T.INGESTERS[kind](engine, principal.institution_id, code, [record.model_dump(exclude_none=True)])
        if report.rejected:
            raise T.RecordRejected(kind, report.rejected[0][1], getattr(record, "external_id", None))
        response.status_code = 201 if report.inserted else 200
        return _report(report, code)

    async def push_bulk(body: TradeRecordsIn, engine: EngineDep, principal: Annotated[Principal, Depends(PUSH)], platform: PlatformParam):
        code = _platform(principal, platform)
        report = await T.INGESTERS[kind](engine, principal.institution_id, code, body.records)
        return _report(report, code)

    async def push_file(
        request: Request, engine: EngineDep, principal: Annotated[Principal, Depends(PUSH)],
        platform: PlatformParam,
        format: Literal["ndjson", "csv"] | None = Query(default=None, description="default: from the content type, else the first character (`{` = NDJSON)"),
    ):
        code = _platform(principal, platform)
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype == "multipart/form-data":
            form = await _capped_form(request)
            upload = form.get("file")
            others = sorted({name for name in form if name != "file"})
            if others:
                await form.close()
                raise InvalidInput("the form has one field, `file`", unexpected=others)
            if upload is None or isinstance(upload, str):
                raise InvalidInput("send the file in the form field `file`")
            fmt = format or _format_of(upload.content_type, upload.filename)
            try:
                report = await T.ingest_file(engine, principal.institution_id, code, kind, upload.file, format=fmt)
            finally:
                await form.close()
            return _report(report, code)
        report = await _ingest_body(request, engine, principal.institution_id, code, kind, format or _format_of(ctype, None))
        return _report(report, code)

    router.add_api_route(
        f"/trade-data/{kind}", push_one, methods=["POST"], status_code=201, response_model=IngestReportOut,
        summary=f"Push one {noun} (201 when new, 200 when already known)", name=f"push_{kind}",
        responses={200: {"model": IngestReportOut, "description": f"The {noun} was already known: nothing stored (`inserted` 0, `duplicates` 1)"}},
    )
    router.add_api_route(
        f"/trade-data/{kind}/bulk", push_bulk, methods=["POST"], response_model=IngestReportOut,
        summary=f"Push up to 10,000 {kind}", name=f"push_{kind}_bulk",
    )
    router.add_api_route(
        f"/trade-data/{kind}/file", push_file, methods=["POST"], response_model=IngestReportOut,
        summary=f"Stream a file of {kind} (NDJSON or CSV)", name=f"push_{kind}_file",
        description="The body is the file itself (`Content-Type: application/x-ndjson` or `text/csv`), or a `multipart/form-data` form with the field `file`. "
        "Records are read and stored in chunks, so the file may be large.",
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/x-ndjson": {"schema": {"type": "string", "format": "binary"}},
                    "text/csv": {"schema": {"type": "string", "format": "binary"}},
                    "multipart/form-data": {
                        "schema": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}, "required": ["file"], "additionalProperties": False},
                    },
                },
            }
        },
    )


async def _ingest_body(request: Request, engine: AsyncEngine, institution_id: UUID, code: str, kind: str, fmt: str | None) -> T.IngestReport:
    """Ingest the request body as a file, spooled to disk beyond a few MB and
    refused with 413 beyond ``MAX_UPLOAD_BYTES``."""
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as spool:
        size = 0
        async for part in request.stream():
            size += len(part)
            if size > MAX_UPLOAD_BYTES:
                raise ProblemError(413, "payload_too_large", "Payload too large", f"files are limited to {MAX_UPLOAD_BYTES} bytes; split the file", limit=MAX_UPLOAD_BYTES)
            spool.write(part)
        spool.seek(0)
        return await T.ingest_file(engine, institution_id, code, kind, spool, format=fmt)


async def _capped_form(request: Request):
    """The multipart form of the request, refused with 413 as soon as the
    body passes ``MAX_UPLOAD_BYTES`` (the general body limit does not apply
    to file routes, and ``request.form()`` alone would spool any size)."""
    from contextlib import aclosing

    from fastapi import HTTPException
    from starlette.formparsers import MultiPartException, MultiPartParser

    async def capped():
        size = 0
        async for part in request.stream():
            size += len(part)
            if size > MAX_UPLOAD_BYTES:
                raise ProblemError(413, "payload_too_large", "Payload too large", f"files are limited to {MAX_UPLOAD_BYTES} bytes; split the file", limit=MAX_UPLOAD_BYTES)
            yield part

    try:
        async with aclosing(capped()) as stream:
            return await MultiPartParser(request.headers, stream, max_files=1, max_fields=10).parse()
    except MultiPartException as exc:
        raise HTTPException(status_code=400, detail=exc.message) from None


def _format_of(content_type: str | None, filename: str | None) -> str | None:
    ct = (content_type or "").split(";")[0].strip().lower()
    if ct in ("text/csv", "application/csv"):
        return "csv"
    if ct in ("application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonlines", "application/json"):
        return "ndjson"
    if filename:
        low = filename.lower()
        if low.endswith(".csv"):
            return "csv"
        if low.endswith((".ndjson", ".jsonl", ".json")):
            return "ndjson"
    return None


for _kind, _noun in (("orders", "order"), ("waybills", "logistics waybill"), ("payments", "payment record"), ("refunds", "return or refund")):
    _add_push_routes(_kind, _noun)


def _id_cursor(page: PageQuery, kind: str) -> UUID | None:
    key = page.after(kind)
    try:
        return None if key is None else UUID(str(key[0]))
    except (ValueError, IndexError):
        raise invalid_cursor("this cursor belongs to another list (or was altered)") from None


@router.get("/trade-data/orders", response_model=Page[OrderOut], summary="List orders in the order received, with their three-document match status")
async def list_orders(
    engine: EngineDep,
    platform: str | None = Query(default=None, max_length=64),
    customer_id: UUID | None = None,
    match_status: Literal["matched", "partial", "mismatched"] | None = None,
    page: PageQuery = Depends(PAGE),
    principal: Principal = Depends(READ),
):
    rows = await T.list_orders(
        engine, principal.institution_id, platform_code=platform, customer_id=customer_id, match_status=match_status, after=_id_cursor(page, "trade_orders"),
        limit=page.limit + 1,
    )
    return page.build("trade_orders", rows, key=lambda o: [str(o["id"])], out=_order_out)


@router.get("/trade-data/orders/{order_id}", response_model=OrderDetailOut, summary="An order with its waybills, payments and refunds")
async def get_order(order_id: UUID, engine: EngineDep, principal: Principal = Depends(READ)):
    o = await T.get_order(engine, principal.institution_id, order_id)
    c = o["currency"]

    def fmt(amount, cur):
        return None if amount is None else format_minor(amount, cur)

    return _order_out(
        o, OrderDetailOut,
        claimed_as_evidence=format_minor(o["claimed_minor"], c),
        waybills=[
            WaybillOut(
                id=w["id"], external_id=w["external_id"], merchant_ref=w["merchant_ref"], shipped_on=w["shipped_on"], carrier=w["carrier"], currency=w["currency"],
                amount=fmt(w["amount_minor"], w["currency"]) if w["currency"] else None, destination_country=w["destination_country"],
            )
            for w in o["waybills"]
        ],
        payments=[
            PaymentOut(id=p["id"], external_id=p["external_id"], merchant_ref=p["merchant_ref"], currency=p["currency"], amount=format_minor(p["amount_minor"], p["currency"]), paid_on=p["paid_on"], method=p["method"])
            for p in o["payments"]
        ],
        refunds=[
            RefundOut(
                id=r["id"], external_id=r["external_id"], kind=r["kind"], currency=r["currency"], requested=format_minor(r["requested_minor"], r["currency"]),
                applied=format_minor(r["applied_minor"], r["currency"]), refunded_on=r["refunded_on"], reason=r["reason"],
            )
            for r in o["refunds"]
        ],
    )


@router.get("/trade-data/rejects", response_model=Page[TradeRejectOut], summary="Held records that were rejected, with the reason, newest first")
async def list_rejects(
    engine: EngineDep,
    kind: Kind | None = None,
    platform: str | None = Query(default=None, max_length=64),
    page: PageQuery = Depends(PAGE),
    principal: Principal = Depends(READ),
):
    rows = await T.list_rejects(engine, principal.institution_id, kind=kind, platform_code=platform, before=_id_cursor(page, "trade_rejects"), limit=page.limit + 1)
    return page.build("trade_rejects", rows, key=lambda r: [str(r["id"])], out=lambda r: TradeRejectOut(**{k: r[k] for k in TradeRejectOut.model_fields}))


@router.post("/trade-data/match", response_model=MatchOut, summary="Run the three-document match again (after a tolerance change, for example)")
async def rematch(body: MatchIn, engine: EngineDep, principal: Principal = Depends(REMATCH)):
    counts = await T.match_orders(engine, principal.institution_id, body.order_ids)
    return MatchOut(match=counts)
