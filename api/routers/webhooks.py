"""Webhook routes: endpoints (with their signing secret shown once), the
event log, and deliveries with their attempts."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field

from .. import webhooks as W
from ..auth import Principal, require
from ..deps import CtxDep, EngineDep
from ..problems import COMMON_ERRORS

router = APIRouter(prefix="/v1", tags=["webhooks"], responses=COMMON_ERRORS)

ADMIN = require("system", "admin")
READ = require("system", "admin", "finance")


class EndpointIn(BaseModel):
    model_config = {"extra": "forbid"}
    url: str = Field(max_length=2000, examples=["https://bank.example/xborder/webhooks"])
    event_types: list[str] = Field(default_factory=lambda: ["*"], max_length=50, examples=[["transaction.posted", "receipt.*"]])


class EndpointPatch(BaseModel):
    model_config = {"extra": "forbid"}
    url: str | None = Field(default=None, max_length=2000)
    event_types: list[str] | None = Field(default=None, max_length=50)
    enabled: bool | None = None


class EndpointOut(BaseModel):
    id: UUID
    url: str
    event_types: list[str]
    enabled: bool
    disabled_reason: str | None
    created_at: datetime


class EndpointCreated(EndpointOut):
    secret: str = Field(description="Standard Webhooks signing secret (whsec_...); shown only now")


class EventOut(BaseModel):
    id: UUID
    type: str
    payload: dict[str, Any]
    created_at: datetime
    dispatched_at: datetime | None


class AttemptOut(BaseModel):
    id: UUID
    attempted_at: datetime
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
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: datetime | None
    created_at: datetime
    attempts_log: list[AttemptOut] = Field(default_factory=list)


def _pick(model: type[BaseModel], d: dict[str, Any]) -> BaseModel:
    return model(**{k: d[k] for k in model.model_fields if k in d})


def _event_out(e: dict[str, Any]) -> BaseModel:
    # the library names the event body "data"; the API documents it as "payload"
    return _pick(EventOut, {**e, "payload": e.get("payload", e.get("data"))})


@router.post("/webhook-endpoints", status_code=201, response_model=EndpointCreated, summary="Register a webhook endpoint (secret shown once)")
async def create_endpoint(body: EndpointIn, request: Request, ctx: CtxDep, principal: Principal = Depends(ADMIN)):
    async with ctx.engine.begin() as conn:
        ep = await W.create_endpoint(conn, ctx.keyring, principal.institution_id, body.url, body.event_types)
    await ctx.audit(request, principal, "webhook_endpoint.create", "webhook_endpoint", ep["id"], after={"url": ep["url"], "event_types": ep["event_types"]})
    return _pick(EndpointCreated, ep)


@router.get("/webhook-endpoints", response_model=list[EndpointOut], summary="List webhook endpoints")
async def list_endpoints(request: Request, engine: EngineDep, principal: Principal = Depends(READ)):
    async with engine.connect() as conn:
        return [_pick(EndpointOut, e) for e in await W.list_endpoints(conn, principal.institution_id)]


@router.get("/webhook-endpoints/{endpoint_id}", response_model=EndpointOut, summary="Get a webhook endpoint")
async def get_endpoint(endpoint_id: UUID, request: Request, engine: EngineDep, principal: Principal = Depends(READ)):
    async with engine.connect() as conn:
        return _pick(EndpointOut, await W.get_endpoint(conn, principal.institution_id, endpoint_id))


@router.patch("/webhook-endpoints/{endpoint_id}", response_model=EndpointOut, summary="Change URL, event types, or enable/disable")
async def update_endpoint(endpoint_id: UUID, body: EndpointPatch, request: Request, ctx: CtxDep, principal: Principal = Depends(ADMIN)):
    async with ctx.engine.begin() as conn:
        before = await W.get_endpoint(conn, principal.institution_id, endpoint_id)
        ep = await W.update_endpoint(conn, principal.institution_id, endpoint_id, url=body.url, event_types=body.event_types, enabled=body.enabled)
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


@router.post("/webhook-endpoints/{endpoint_id}/rotate-secret", status_code=201, response_model=EndpointCreated, summary="Issue a new signing secret (shown once)")
async def rotate_secret(endpoint_id: UUID, request: Request, ctx: CtxDep, principal: Principal = Depends(ADMIN)):
    async with ctx.engine.begin() as conn:
        ep = await W.rotate_secret(conn, ctx.keyring, principal.institution_id, endpoint_id)
    await ctx.audit(request, principal, "webhook_endpoint.rotate_secret", "webhook_endpoint", endpoint_id)
    return _pick(EndpointCreated, ep)


@router.get("/events", response_model=list[EventOut], summary="The institution's events (outbox), oldest first")
async def list_events(
    request: Request,
    engine: EngineDep,
    after: UUID | None = Query(default=None, description="id of the last event of the previous page"),
    type: str | None = Query(default=None, max_length=64),
    limit: int = Query(default=100, ge=1, le=1000),
    principal: Principal = Depends(READ),
):
    async with engine.connect() as conn:
        return [_event_out(e) for e in await W.list_events(conn, principal.institution_id, after=after, limit=limit, type=type)]


@router.get("/events/{event_id}", response_model=EventOut, summary="Get an event")
async def get_event(event_id: UUID, request: Request, engine: EngineDep, principal: Principal = Depends(READ)):
    async with engine.connect() as conn:
        return _event_out(await W.get_event(conn, principal.institution_id, event_id))


@router.get("/events/{event_id}/deliveries", response_model=list[DeliveryOut], summary="Deliveries of an event with their attempts")
async def event_deliveries(event_id: UUID, request: Request, engine: EngineDep, principal: Principal = Depends(READ)):
    async with engine.connect() as conn:
        await W.get_event(conn, principal.institution_id, event_id)
        return [_pick(DeliveryOut, d) for d in await W.list_deliveries(conn, principal.institution_id, event_id=event_id)]


@router.get("/webhook-deliveries", response_model=list[DeliveryOut], summary="Deliveries with their attempts")
async def list_deliveries(
    request: Request,
    engine: EngineDep,
    endpoint_id: UUID | None = None,
    status: Literal["pending", "delivered", "failed", "cancelled"] | None = None,
    limit: int = Query(default=100, ge=1, le=1000),
    principal: Principal = Depends(READ),
):
    async with engine.connect() as conn:
        return [_pick(DeliveryOut, d) for d in await W.list_deliveries(conn, principal.institution_id, endpoint_id=endpoint_id, status=status, limit=limit)]


@router.post("/webhook-deliveries/{delivery_id}/redeliver", response_model=DeliveryOut, summary="Queue a failed or cancelled delivery again")
async def redeliver(delivery_id: UUID, request: Request, ctx: CtxDep, principal: Principal = Depends(ADMIN)):
    async with ctx.engine.begin() as conn:
        d = await W.redeliver(conn, principal.institution_id, delivery_id)
    await ctx.audit(request, principal, "webhook_delivery.redeliver", "webhook_delivery", delivery_id)
    return _pick(DeliveryOut, d)
