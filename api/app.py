"""The FastAPI application: ``create_app()``.

Routers only parse, authorise, call one service function and render; the
rules live in ``ledger`` / ``settlement`` / ``financing``.  Later capabilities
add routers to :data:`ROUTERS`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

from fastapi import APIRouter, FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.datastructures import Headers

from ledger.config import Settings
from ledger.errors import DatabaseUnavailable

from . import docs, openapi, problems
from .authcache import AuthCache
from .bootstrap import build_services
from .context import AppContext
from .headers import SecurityHeaders
from .hotpath import HotPosting
from .nul import NulGuard
from .observability import Metrics, now_ms, request_id_from
from .problems import problem_response
from .replay import replay

log = logging.getLogger("xborder.api")

API_DESCRIPTION = """
The xborder HTTP API for banks and payment institutions.

* **Authentication**: `Authorization: Bearer <API key>` (institution systems and
  platforms) or `Bearer <access token>` from `POST /v1/auth/token` (staff and SME
  users). Requests may be signed (`X-Xborder-Timestamp`, `X-Xborder-Signature`);
  an institution can require it.
* **Idempotency**: every POST that moves money requires an `Idempotency-Key`
  header; retries return the stored response byte for byte.
* **Money**: decimal strings with an ISO 4217 currency, never floats.
* **Text**: the NUL character (U+0000) is refused everywhere, in query parameters
  (`%00`) and JSON strings (`\\u0000`): 422 `invalid_input` naming its location.
* **Errors**: RFC 9457 `application/problem+json` with a stable `type` per error;
  each operation lists only the statuses it can return.
* **Operation ids** are `resource_action` (`transactions_create`, `accounts_list`,
  `receipts_release`), stable across releases: generated clients keep their method names.
* **Webhooks**: every event type and its payload is under `webhooks`; deliveries are
  signed Standard Webhooks messages.
* **Docs** are served by the app itself at `/docs` (Swagger UI) and `/redoc` (ReDoc),
  without any external host.
"""


def _routers() -> list[APIRouter]:
    from .routers import approvals, collateral, console, console_queue, customers, financing, netting, ops, payments, platform, portal, rates, receipts, recon, reports, sme, tradedata, webhooks
    from .routers import ledger as ledger_routes

    modules = (ops, platform, approvals, ledger_routes, webhooks, customers, tradedata, rates, receipts, payments, netting, financing, sme, collateral, recon, reports, console_queue, console, portal)
    return [m.router for m in modules]


def create_app(settings: Settings | None = None, engine: AsyncEngine | None = None, *, background_jobs: bool | None = None) -> FastAPI:
    """Build the app on ``engine`` (default: the configured database)."""
    services = build_services(settings, engine)
    settings = services.settings
    run_jobs = settings.background_jobs if background_jobs is None else background_jobs
    ctx = AppContext(services, Metrics(), auth_cache=AuthCache(settings.auth_cache_seconds))

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        stop = asyncio.Event()
        if run_jobs:
            ctx.tasks.append(asyncio.create_task(_background(ctx, stop)))
        try:
            yield
        finally:
            stop.set()
            for t in ctx.tasks:
                t.cancel()
            for t in ctx.tasks:
                with contextlib.suppress(BaseException):
                    await t
            await services.aclose()

    app = _application(lifespan)
    app.state.ctx = ctx

    max_body = settings.max_body_bytes
    if settings.hot_path:
        app.add_middleware(HotPosting, fastapi_app=app)  # innermost: every middleware of ours sees its requests
    app.add_middleware(NulGuard)  # inside _observe: its 422 is logged and carries X-Request-ID

    app.add_middleware(Observe, ctx=ctx, max_body=max_body)
    app.add_middleware(BodyLimit, max_body=max_body)
    app.add_middleware(SecurityHeaders, trusted_proxies=settings.trusted_proxies)  # outermost: every answer carries them
    return app


def _application(lifespan) -> FastAPI:
    """The FastAPI app with its routers, problem handlers, OpenAPI document
    and offline docs (``/docs``, ``/redoc``)."""
    app = FastAPI(
        title="xborder",
        version="1.0.0",
        summary="Cross-border e-commerce settlement and supply-chain finance engine",
        description=API_DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served offline by api.docs
        redoc_url=None,
    )
    problems.install(app)
    for r in _routers():
        app.include_router(r)
    openapi.install(app)
    docs.install(app)
    return app


class Observe:
    """ASGI middleware around every request: its X-Request-ID (taken from the
    caller or made), the early 413 on a declared Content-Length over the
    limit, a problem document instead of a bare 500 for an exception raised
    before the answer started, the latency metric and the request's log line.

    Plain ASGI rather than Starlette's ``BaseHTTPMiddleware``: that one runs
    the app in a task group with memory streams for every request, which
    showed in the single-posting profile (#14)."""

    def __init__(self, app, ctx: AppContext, max_body: int) -> None:
        self.app = app
        self.ctx = ctx
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = Headers(scope=scope)
        rid = request_id_from(headers)
        state = scope.setdefault("state", {})
        state["request_id"] = rid
        start = now_ms()
        seen: dict[str, Any] = {}
        rid_header = (b"x-request-id", rid.encode("latin-1"))

        async def send_observed(message):
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
                seen["replayed"] = any(k.lower() == b"idempotent-replayed" for k, _ in message.get("headers", ()))
                message = {**message, "headers": [*(h for h in message.get("headers", ()) if h[0].lower() != b"x-request-id"), rid_header]}
            await send(message)

        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body) and not scope.get("path", "").endswith("/file"):
            limit = self.max_body
            await problem_response(413, "payload_too_large", "Payload too large", f"request bodies are limited to {limit} bytes", limit=limit)(scope, receive, send_observed)
        else:
            try:
                await self.app(scope, receive, send_observed)
            except Exception as exc:
                if "status" in seen:  # the answer has begun: nothing can replace it
                    raise
                await _failure_response(exc)(scope, receive, send_observed)
        self._record(scope, rid, now_ms() - start, seen.get("status", 500), bool(seen.get("replayed")), state.get("principal"))

    def _record(self, scope, rid: str, elapsed: float, status: int, replayed: bool, principal) -> None:
        method = scope.get("method", "")
        path = getattr(scope.get("route"), "path", "unmatched")
        self.ctx.metrics.latency.labels(method, path, str(status)).observe(elapsed / 1000)
        if method == "POST" and status == 201 and path.endswith("/transactions") and not replayed:
            self.ctx.metrics.postings.inc()
        log.info(
            "request",
            extra={
                "request_id": rid, "method": method, "path": scope.get("path", ""), "route": path, "status": status,
                "duration_ms": round(elapsed, 2), "institution_id": str(principal.institution_id) if principal else None,
                "actor": principal.actor if principal else None,
            },
        )


def _failure_response(exc: Exception):
    """The answer to an exception that escaped the app: 503 with Retry-After
    when the database is out of reach, else its problem document."""
    if isinstance(exc, DatabaseUnavailable):
        return problem_response(503, exc.code, exc.title, exc.message, headers={"Retry-After": "1"})
    return problems.exception_to_response(_unwrap(exc))


class BodyLimit:
    """ASGI middleware: refuse a request body larger than ``max_body`` bytes,
    also when it comes without Content-Length (chunked).  The body is read
    (at most ``max_body + 1`` bytes) before the app sees it.  Streaming
    upload routes (paths ending in ``/file``) enforce their own, larger cap."""

    def __init__(self, app, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("path", "").endswith("/file") or scope.get("method") in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        chunks, size, more = [], 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return await self.app(scope, replay([message]), send)
            body = message.get("body", b"")
            size += len(body)
            if size > self.max_body:
                response = problem_response(413, "payload_too_large", "Payload too large", f"request bodies are limited to {self.max_body} bytes", limit=self.max_body)
                return await response(scope, receive, send)
            chunks.append(body)
            more = message.get("more_body", False)
        await self.app(scope, replay([{"type": "http.request", "body": b"".join(chunks), "more_body": False}], receive), send)


def _unwrap(exc: BaseException) -> BaseException:
    # exceptions raised in the app sometimes arrive wrapped in task groups
    while isinstance(exc, BaseExceptionGroup) and len(exc.exceptions) == 1:
        exc = exc.exceptions[0]
    return exc


async def _background(ctx: AppContext, stop: asyncio.Event) -> None:
    """Run the background jobs this process leads (one leader per job
    across every process: :mod:`api.jobs`)."""
    from .jobs import JobRunner

    await JobRunner(ctx.services, registry=ctx.metrics.registry).run(stop)
