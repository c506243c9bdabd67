"""FX rate routes: mid and bank rates, manual rates, spreads, refresh.

Rates cross the API as decimal strings.  The service is the app's
``settlement.rates.RateService`` (``api.deps.RatesDep``), the settlement
facade's own, built by ``api.bootstrap``.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, ConfigDict, Field

from settlement.rates import Rate, RefreshResult

from .. import sod
from ..auth import Principal, require
from ..deps import CtxDep, RatesDep
from ..fields import IsoDate, StrictInt
from ..idempotency import idempotency_key_header, run_idempotent
from ..models import ApprovalRequestOut, Strict
from ..paging import Page, PageQuery, page_query
from ..problems import COMMON_ERRORS

router = APIRouter(prefix="/v1", tags=["rates"], responses=COMMON_ERRORS)

READ = require("system", "admin", "finance", "approver", scope="settlement:read")
ADMIN = require("system", "admin", scope="settlement:write")
#: ``?limit=`` (default 50, at most 1000) and ``?cursor=`` of the spreads list
PAGE = page_query()

CurrencyCode = Annotated[str, Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 alphabetic code", examples=["USD"])]
RateText = Annotated[
    str,
    Field(
        pattern=r"^[0-9]{1,20}(\.[0-9]{1,20})?$",
        max_length=40,
        description="Positive decimal rate as a string: units of quote per one unit of base",
        examples=["7.1662"],
    ),
]


class RateOut(BaseModel):
    base: str
    quote: str
    value: str = Field(description="units of quote per one unit of base, exact decimal string", examples=["7.16619357202"])
    kind: Literal["mid", "buy", "sell"]
    source: str = Field(description="the source of the stored rate(s): 'ecb', 'manual', ...")
    as_of: date | None = Field(description="rate date (for a derived rate: its oldest leg's)")
    fetched_at: datetime | None
    spread_bp: int | None = Field(default=None, description="spread applied to the mid rate, basis points (bank rates)")
    method: str = Field(description="stored | inverse | cross:<pivot> | spread | identity")
    rate_id: UUID | None = Field(default=None, description="the stored rate row (method 'stored')")
    legs: list[RateOut] = Field(default_factory=list, description="the rates this one was derived from")


RateOut.model_rebuild()


class ManualRateIn(Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"base": "USD", "quote": "CNY", "rate": "7.1662", "as_of": "2026-12-01"}]})
    base: CurrencyCode
    quote: CurrencyCode
    rate: RateText
    as_of: IsoDate | None = Field(default=None, description="rate date; default today (China Standard Time); never a later day (422)")


class SpreadIn(Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"base": "USD", "quote": "CNY", "spread_bp": 50}]})
    base: CurrencyCode
    quote: CurrencyCode
    spread_bp: StrictInt = Field(
        ge=0, le=9999, examples=[50],
        description="spread around the mid rate in basis points, at most the institution's `max_spread_bp` (default 1000; beyond it 422 `spread_above_maximum`); "
        "base and quote differ (else 422 `same_currency_pair`)",
    )


class SpreadOut(BaseModel):
    base: str
    quote: str
    spread_bp: int
    updated_at: datetime
    updated_by: str | None = None


class RefreshIn(Strict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"sources": ["ecb"]}, {}]})
    sources: list[Annotated[str, Field(min_length=1, max_length=64)]] | None = Field(default=None, max_length=20, description="configured source names (an unknown one is 422 `unknown_rate_source`); default all")
    since: IsoDate | None = Field(default=None, description="store only days from this date (history files)")


class RefreshSourceOut(BaseModel):
    source: str
    ok: bool
    fetched_at: datetime
    days: int
    rates: int
    inserted: int
    unchanged: int
    first_date: date | None
    last_date: date | None
    error: dict[str, Any] | None = None


class RefreshOut(BaseModel):
    results: list[RefreshSourceOut]


def _out(r: Rate) -> RateOut:
    return RateOut(
        base=r.base, quote=r.quote, value=format(r.value, "f"), kind=r.kind, source=r.source, as_of=r.as_of, fetched_at=r.fetched_at,
        spread_bp=r.spread_bp, method=r.method, rate_id=r.rate_id, legs=[_out(x) for x in r.legs],
    )


def _refresh_out(r: RefreshResult) -> RefreshSourceOut:
    return RefreshSourceOut(**{k: getattr(r, k) for k in RefreshSourceOut.model_fields})


@router.get("/rates/mid", response_model=RateOut, summary="Mid rate of a currency pair on a day")
async def get_mid_rate(
    rates: RatesDep,
    base: CurrencyCode = Query(),
    quote: CurrencyCode = Query(),
    on: Annotated[IsoDate | None, Query(description="day; default today (China Standard Time)")] = None,
    principal: Principal = Depends(READ),
):
    return _out(await rates.mid(principal.institution_id, base, quote, on))


@router.get("/rates/bank", response_model=RateOut, summary="The institution's buy or sell rate (mid ± spread)")
async def get_bank_rate(
    rates: RatesDep,
    base: CurrencyCode = Query(),
    quote: CurrencyCode = Query(),
    side: Literal["buy", "sell"] = Query(description="buy: the bank buys base (conversion to CNY); sell: the bank sells base"),
    on: Annotated[IsoDate | None, Query(description="day; default today (China Standard Time)")] = None,
    principal: Principal = Depends(READ),
):
    return _out(await rates.bank_rate(principal.institution_id, base, quote, side, on))


_FOUR_EYES = (
    "Four eyes (`{action}`): requires `Idempotency-Key` (a retry with the same key returns the stored response byte for byte; the key with another "
    "body is 422); checked now (422 as the action would answer), then answers 202 with a pending approval request "
    "(`Location: /v1/approval-requests/{{id}}`). A different person with role approver or admin approves it with "
    "`POST /v1/approval-requests/{{id}}/approve`, which executes it; its `result` is {result}."
)


@router.post(
    "/rates/manual", status_code=202, response_model=ApprovalRequestOut, summary="Enter a manual mid rate for this institution (once a checker approves)",
    description=_FOUR_EYES.format(action="rates.manual", result="the stored rate (`as_of` is fixed when proposed: today when absent)"),
)
async def post_manual_rate(body: ManualRateIn, request: Request, rates: RatesDep, principal: Principal = Depends(ADMIN), _key: str = Depends(idempotency_key_header)):
    async def handler(key: str) -> Response:
        _value, as_of = await rates.check_manual_rate(principal.institution_id, body.base, body.quote, body.rate, body.as_of)
        params = {**body.model_dump(mode="json"), "as_of": as_of.isoformat()}
        return await sod.submit(
            request, principal, "rates.manual", params, summary=f"manual mid rate {body.base}/{body.quote} {body.rate} on {as_of}", object_type="fx_rate",
            object_id=f"{body.base}/{body.quote}",
        )

    return await run_idempotent(request, principal, handler)


async def _execute_manual(ctx: Any, institution_id: UUID, params: dict[str, Any], checker: Principal, req: Any) -> tuple[int, dict[str, Any]]:
    body = ManualRateIn.model_validate_json(json.dumps(params))
    rate = await ctx.rates.set_manual_rate(institution_id, body.base, body.quote, body.rate, body.as_of, actor=f"{req.maker_type}:{req.maker_id}")
    return 201, jsonable_encoder(_out(rate))


sod.register("rates.manual", _execute_manual)


@router.get("/rates/spreads", response_model=Page[SpreadOut], summary="This institution's spreads per currency pair, by base and quote")
async def list_spreads(rates: RatesDep, page: PageQuery = Depends(PAGE), principal: Principal = Depends(READ)):
    after = page.after("rate_spreads")
    rows = sorted(await rates.list_spreads(principal.institution_id), key=lambda s: (s["base"], s["quote"]))
    if after is not None:
        rows = [s for s in rows if [s["base"], s["quote"]] > [str(k) for k in after]]
    return page.build("rate_spreads", rows[: page.limit + 1], key=lambda s: [s["base"], s["quote"]], out=lambda s: SpreadOut(**s))


@router.put(
    "/rates/spreads", status_code=202, response_model=ApprovalRequestOut, summary="Set this institution's spread for a currency pair (once a checker approves)",
    description=_FOUR_EYES.format(action="rates.spreads", result="the spread set"),
)
async def put_spread(body: SpreadIn, request: Request, rates: RatesDep, principal: Principal = Depends(ADMIN), _key: str = Depends(idempotency_key_header)):
    async def handler(key: str) -> Response:
        await rates.check_spread(principal.institution_id, body.base, body.quote, body.spread_bp)
        return await sod.submit(
            request, principal, "rates.spreads", body.model_dump(mode="json"), summary=f"spread {body.base}/{body.quote} {body.spread_bp} bp", object_type="fx_spread",
            object_id=f"{body.base}/{body.quote}",
        )

    return await run_idempotent(request, principal, handler)


async def _execute_spread(ctx: Any, institution_id: UUID, params: dict[str, Any], checker: Principal, req: Any) -> tuple[int, dict[str, Any]]:
    body = SpreadIn.model_validate_json(json.dumps(params))
    s = await ctx.rates.set_spread(institution_id, body.base, body.quote, body.spread_bp, actor=f"{req.maker_type}:{req.maker_id}")
    return 200, jsonable_encoder(SpreadOut(**s))


sod.register("rates.spreads", _execute_spread)


@router.post("/rates/refresh", response_model=RefreshOut, summary="Fetch the published rates now")
async def post_refresh(body: RefreshIn, request: Request, rates: RatesDep, ctx: CtxDep, principal: Principal = Depends(ADMIN)):
    """Fetches the shared sources and this institution's own.  A source that
    fails stores nothing, keeps the rates stored before, and answers with its
    problem (``rate_file_invalid``, ``rate_source_unavailable``)."""
    results = await rates.refresh(body.sources, institution_id=principal.institution_id, since=body.since)
    out = RefreshOut(results=[_refresh_out(r) for r in results])
    await ctx.audit(request, principal, "fx_rate.refresh", "fx_rate", "refresh", after={"results": [r.model_dump(mode="json") for r in out.results]})
    return out
