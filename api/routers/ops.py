"""Operations: liveness, readiness, Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from sqlalchemy import func, select, text

from ledger.events import outbox_events
from ledger.migrate import current_revision, head_revision

from ..deps import CtxDep
from ..observability import metrics_refusal
from ..problems import Problem, problem_response
from ..schema import webhook_deliveries
from ..scopes import PUBLIC

#: liveness, readiness and metrics answer without credentials
router = APIRouter(tags=["operations"], dependencies=[Depends(PUBLIC)])


class Health(BaseModel):
    status: str


class Ready(BaseModel):
    status: str
    database: str
    revision: str | None
    head: str


@router.get("/healthz", response_model=Health, summary="Liveness: the process answers")
async def healthz():
    return Health(status="ok")


@router.get("/readyz", response_model=Ready, responses={503: {"model": Problem, "description": "Database unreachable or not migrated", "content": {"application/problem+json": {}}}},
    summary="Readiness: database reachable and migrations at head")
async def readyz(request: Request, ctx: CtxDep):
    head = head_revision()
    try:
        async with ctx.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        rev = await current_revision(ctx.engine)
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        return problem_response(503, "not_ready", "Not ready", f"database unreachable: {type(exc).__name__}")
    if rev != head:
        return problem_response(503, "not_ready", "Not ready", f"database at revision {rev}, code expects {head}: run 'xborder db upgrade'", revision=rev, head=head)
    return Ready(status="ready", database=ctx.engine.dialect.name, revision=rev, head=head)


_PROBLEM = {"model": Problem, "content": {"application/problem+json": {}}}


@router.get(
    "/metrics", summary="Prometheus metrics", response_class=Response,
    description="Requires `Authorization: Bearer <XBORDER_METRICS_TOKEN>` (not an API key). Without that setting the API does not serve metrics (404).",
    responses={200: {"content": {"text/plain": {}}}, 401: {**_PROBLEM, "description": "No or a wrong metrics token"},
               404: {**_PROBLEM, "description": "Metrics are not served (no XBORDER_METRICS_TOKEN)"}},
)
async def metrics(request: Request, ctx: CtxDep):
    refusal = metrics_refusal(request.headers, ctx.settings.metrics_token)
    if refusal == (404, "not_found"):
        return problem_response(404, "not_found", "Not found", "Not Found")
    if refusal is not None:
        return problem_response(401, refusal[1], "Unauthorized", "send 'Authorization: Bearer <metrics token>'", headers={"WWW-Authenticate": 'Bearer realm="xborder-metrics"'})
    try:
        async with ctx.engine.connect() as conn:
            events = (await conn.execute(select(func.count()).select_from(outbox_events).where(outbox_events.c.dispatched_at.is_(None)))).scalar() or 0
            pending = (await conn.execute(select(func.count()).select_from(webhook_deliveries).where(webhook_deliveries.c.status == "pending"))).scalar() or 0
        ctx.metrics.outbox_backlog.set(events + pending)
    except Exception:  # noqa: BLE001 - metrics must answer even without a database
        pass
    return Response(generate_latest(ctx.metrics.registry), media_type=CONTENT_TYPE_LATEST)
