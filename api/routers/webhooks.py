"""Webhook routes: endpoints (with their signing secret shown once), the
event log, and deliveries with their attempts."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from pydantic import BaseModel, ConfigDict, Field, StrictBool

from .. import webhooks as W
from ..auth import Principal, require
from ..deps import CtxDep, EngineDep
from ..idempotency import idempotency_key_header, run_idempotent
from ..jsonnum import JsonStrict
from ..models import Timestamp
from ..netguard import DestinationRefused, NetPolicy
from ..paging import Page, PageQuery, invalid_cursor, page_query
from ..problems import COMMON_ERRORS

router = APIRouter(prefix="/v1", tags=["webhooks"], responses=COMMON_ERRORS)

ADMIN = require("system", "admin", scope="webhooks:manage")
READ = require("system", "admin", "finance", scope="webhooks:manage")
PAGE = page_query()


_PORT = r"(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4})"
#: what the server accepts as an endpoint URL: http or https, a host (a name, an IPv4 address or a bracketed IPv6 address), an optional port, printable ASCII after it
URL_PATTERN = rf"^[Hh][Tt][Tt][Pp][Ss]?://([A-Za-z0-9._~-]+|\[[0-9A-Fa-f:.]+\])(:{_PORT})?([/?#][!-~]*)?$"
_URL = (
    "http or https URL of the receiver (a host name, an IPv4 address or a bracketed IPv6 address, an optional port, printable ASCII, no spaces). "
    "Only https in production. The host is resolved and refused (422 `webhook_destination_refused`, naming the reason class) when any of its "
    "addresses is not globally routable (loopback, private, link-local, unspecified, multicast, reserved, shared), is a cloud metadata address "
    "or the service's own, unless the deployment allow-lists it (XBORDER_WEBHOOK_ALLOW_PRIVATE); it is checked again before every delivery."
)
#: an event type name, ``*`` for all or ``prefix.*``
EventType = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[!-~]+$", examples=["transaction.posted"])]


class EndpointIn(JsonStrict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"url": "https://bank.example/xborder/webhooks", "event_types": ["transaction.posted", "receipt.*"]}]})
    url: str = Field(max_length=2000, pattern=URL_PATTERN, description=_URL, examples=["https://bank.example/xborder/webhooks"])
    event_types: list[EventType] = Field(
        default_factory=lambda: ["*"], min_length=1, max_length=50, description="event types to deliver: `*` for all, `prefix.*` for a family",
        examples=[["transaction.posted", "receipt.*"]],
    )


class EndpointPatch(JsonStrict):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"enabled": False}, {"event_types": ["recon.*"]}]})
    url: str | None = Field(default=None, max_length=2000, pattern=URL_PATTERN, description=_URL)
    event_types: list[EventType] | None = Field(default=None, min_length=1, max_length=50)
    enabled: StrictBool | None = Field(default=None, description="true or false")


class EndpointOut(BaseModel):
    id: UUID
    url: str
    event_types: list[str]
    enabled: bool
    disabled_reason: str | None
    created_at: Timestamp


class EndpointCreated(EndpointOut):
    secret: str = Field(description="Standard Webhooks signing secret (whsec_...); shown only now")


class EventOut(BaseModel):
    id: UUID
    type: str
    payload: dict[str, Any]
    created_at: Timestamp
    dispatched_at: Timestamp | None


class AttemptOut(BaseModel):
    id: UUID
    attempted_at: Timestamp
    status_code: int | None
    error: str | None
    duration_ms: int


class DeliveryOut(BaseModel):
    id: UUID
    event_id: UUID
    endpoint_id: UUID
    event_type: str | None = None
    status: Literal["pending", "delivered", "failed", "cancelled"]
    attempts: int
    next_attempt_at: Timestamp | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: Timestamp | None
    created_at: Timestamp
    attempts_log: list[AttemptOut] = Field(default_factory=list)


def _pick(model: type[BaseModel], d: dict[str, Any]) -> BaseModel:
    return model(**{k: d[k] for k in model.model_fields if k in d})


def _event_out(e: dict[str, Any]) -> BaseModel:
    # the library names the event body "data"; the API documents it as "payload"
    return _pick(EventOut, {**e, "payload": e.get("payload", e.get("data"))})


IDEMPOTENT = "Requires `Idempotency-Key`: a retry with the same key and body replays the first answer byte for byte (the same secret); another body with the key is 422."


def _json(status: int, model: BaseModel) -> Response:
    return Response(content=json.dumps(jsonable_encoder(model), separators=(",", ":")).encode(), status_code=status, media_type="application/json")


def _id_after(page: PageQuery, kind: str) -> UUID | None:
    key = page.after(kind)
    if key is None:
        return None
    try:
        if len(key) != 1:
            raise ValueError
        return UUID(str(key[0]))
    except ValueError:
        raise invalid_cursor("this cursor was altered") from None


@contextlib.asynccontextmanager
async def _audit_refusal(request: Request, ctx: Any, principal: Principal, endpoint_id: Any, url: str | None) -> AsyncIterator[None]:
    """Audit a refused webhook destination (the reason class, not the address), then let the 422 go."""
    try:
        yield
    except DestinationRefused as exc:
        await ctx.audit(request, principal, "webhook_endpoint.destination_refused", "webhook_endpoint", endpoint_id, after={"url": url, "reason": exc.reason})
        raise


@router.post("/webhook-endpoints", status_code=201, response_model=EndpointCreated, summary="Register a webhook endpoint (secret shown once)", description=IDEMPOTENT)
async def create_endpoint(body: EndpointIn, request: Request, ctx: CtxDep, principal: Principal = Depends(ADMIN), _key: str = Depends(idempotency_key_header)) -> Response:
    async def handler(key: str) -> Response:
        async with _audit_refusal(request, ctx, principal, "new", body.url), ctx.engine.begin() as conn:
            ep = await W.create_endpoint(conn, ctx.keyring, principal.institution_id, body.url, body.event_types, policy=NetPolicy.from_settings(ctx.settings))
        await ctx.audit(request, principal, "webhook_endpoint.create", "webhook_endpoint", ep["id"], after={"url": ep["url"], "event_types": ep["event_types"]})
        return _json(201, _pick(EndpointCreated, ep))

    return await run_idempotent(request, principal, handler)


@router.get("/webhook-endpoints", response_model=Page[EndpointOut], summary="List webhook endpoints, oldest first")
async def list_endpoints(request: Request, engine: EngineDep, page: PageQuery = Depends(PAGE), principal: Principal = Depends(READ)) -> Page[Any]:
    async with engine.connect() as conn:
        rows = await W.list_endpoints(conn, principal.institution_id, after=_id_after(page, "webhook_endpoints"), limit=page.limit + 1)
    return page.build("webhook_endpoints", rows, key=lambda e: [str(e["id"])], out=lambda e: _pick(EndpointOut, e))


@router.get("/webhook-endpoints/{endpoint_id}", response_model=EndpointOut, summary="Get a webhook endpoint")
async def get_endpoint(endpoint_id: UUID, request: Request, engine: EngineDep, principal: Principal = Depends(READ)):
    async with engine.connect() as conn:
        return _pick(EndpointOut, await W.get_endpoint(conn, principal.institution_id, endpoint_id))


@router.patch("/webhook-endpoints/{endpoint_id}", response_model=EndpointOut, summary="Change URL, event types, or enable/disable")
async def update_endpoint(endpoint_id: UUID, body: EndpointPatch, request: Request, ctx: CtxDep, principal: Principal = Depends(ADMIN)):
    async with _audit_refusal(request, ctx, principal, endpoint_id, body.url), ctx.engine.begin() as conn:
        before = await W.get_endpoint(conn, principal.institution_id, endpoint_id)
        ep = await W.update_endpoint(conn, principal.institution_id, endpoint_id, url=body.url, event_types=body.event_types, enabled=body.enabled,
                                     policy=NetPolicy.from_settings(ctx.settings))
    await ctx.audit(request, principal, "webhook_endpoint.update", "webhook_endpoint", endpoint_id,
                    before={"url": before["url"], "event_types": before["event_types"], "enabled": before["enabled"]},
                    after={"url": ep["url"], "event_types": ep["event_types"], "enabled": ep["enabled"]})
    return _pick(EndpointOut, ep)


@router.delete("/webhook-endpoints/{endpoint_id}", status_code=204, response_class=Response, summary="Remove an endpoint (pending deliveries are cancelled)")
async def delete_endpoint(endpoint_id: UUID, request: Request, ctx: CtxDep, principal: Principal = Depends(ADMIN)):
    async with ctx.engine.begin() as conn:
        await W.delete_endpoint(conn, principal.institution_id, endpoint_id)
    await ctx.audit(request, principal, "webhook_endpoint.delete", "webhook_endpoint", endpoint_id)
    return Response(status_code=204)


@router.post("/webhook-endpoints/{endpoint_id}/rotate-secret", status_code=201, response_model=EndpointCreated, summary="Issue a new signing secret (shown once)",
             description=IDEMPOTENT)
async def rotate_secret(endpoint_id: UUID, request: Request, ctx: CtxDep, principal: Principal = Depends(ADMIN), _key: str = Depends(idempotency_key_header)) -> Response:
    async def handler(key: str) -> Response:
        async with ctx.engine.begin() as conn:
            ep = await W.rotate_secret(conn, ctx.keyring, principal.institution_id, endpoint_id)
        await ctx.audit(request, principal, "webhook_endpoint.rotate_secret", "webhook_endpoint", endpoint_id)
        return _json(201, _pick(EndpointCreated, ep))

    return await run_idempotent(request, principal, handler)


@router.get("/events", response_model=Page[EventOut], summary="The institution's events (outbox), oldest first")
async def list_events(
    request: Request,
    engine: EngineDep,
    type: str | None = Query(default=None, max_length=64),
    page: PageQuery = Depends(PAGE),
    principal: Principal = Depends(READ),
) -> Page[Any]:
    async with engine.connect() as conn:
        rows = await W.list_events(conn, principal.institution_id, after=_id_after(page, "events"), limit=page.limit + 1, type=type)
    return page.build("events", rows, key=lambda e: [str(e["id"])], out=_event_out)


@router.get("/events/{event_id}", response_model=EventOut, summary="Get an event")
async def get_event(event_id: UUID, request: Request, engine: EngineDep, principal: Principal = Depends(READ)):
    async with engine.connect() as conn:
        return _event_out(await W.get_event(conn, principal.institution_id, event_id))


@router.get("/events/{event_id}/deliveries", response_model=Page[DeliveryOut], summary="Deliveries of an event with their attempts, newest first")
async def event_deliveries(event_id: UUID, request: Request, engine: EngineDep, page: PageQuery = Depends(PAGE), principal: Principal = Depends(READ)) -> Page[Any]:
    async with engine.connect() as conn:
        await W.get_event(conn, principal.institution_id, event_id)
        rows = await W.list_deliveries(conn, principal.institution_id, event_id=event_id, after=_id_after(page, "event_deliveries"), limit=page.limit + 1)
    return page.build("event_deliveries", rows, key=lambda d: [str(d["id"])], out=lambda d: _pick(DeliveryOut, d))


@router.get("/webhook-deliveries", response_model=Page[DeliveryOut], summary="Deliveries with their attempts, newest first",
            description="An endpoint that is not the caller's is 404.")
async def list_deliveries(
    request: Request,
    engine: EngineDep,
    endpoint_id: UUID | None = None,
    status: Literal["pending", "delivered", "failed", "cancelled"] | None = None,
    page: PageQuery = Depends(PAGE),
    principal: Principal = Depends(READ),
) -> Page[Any]:
    async with engine.connect() as conn:
        if endpoint_id is not None:
            await W.get_endpoint(conn, principal.institution_id, endpoint_id)
        rows = await W.list_deliveries(conn, principal.institution_id, endpoint_id=endpoint_id, status=status, after=_id_after(page, "webhook_deliveries"),
                                       limit=page.limit + 1)
    return page.build("webhook_deliveries", rows, key=lambda d: [str(d["id"])], out=lambda d: _pick(DeliveryOut, d))


@router.post("/webhook-deliveries/{delivery_id}/redeliver", response_model=DeliveryOut, summary="Queue a failed or cancelled delivery again")
async def redeliver(delivery_id: UUID, request: Request, ctx: CtxDep, principal: Principal = Depends(ADMIN)):
    async with ctx.engine.begin() as conn:
        d = await W.redeliver(conn, principal.institution_id, delivery_id)
    await ctx.audit(request, principal, "webhook_delivery.redeliver", "webhook_delivery", delivery_id)
    return _pick(DeliveryOut, d)
