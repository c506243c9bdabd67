"""The single-posting route without FastAPI's per-request machinery (#14).

``POST /v1/ledgers/{ledger_id}/transactions`` is the route banks call most.
Under load, FastAPI's route matching (a linear scan: about 40 routes tried
before this one) and its dependency solving took about 15 % of a worker's
CPU, as much as the ledger's own work for the request.  :class:`HotPosting`
answers the well-formed requests of that route directly: it runs the same
checks the route declares (the JSON body validated by the same model, the
``Idempotency-Key`` header by the same rule, the same ``require`` dependency
for the credential) and calls the route's own endpoint function, so the
answer, the stored idempotent response, the audit row and the event are
those of the route.

It answers only what it is sure of.  Anything else goes to the full app, which
answers as it always has: a query string, a second copy of a header, a media
type other than plain ``application/json``, a body that does not parse or
validate, a key outside the accepted rule, no ``Authorization`` header, a
non-canonical ledger id, and any dependency override (tests).  A request that
passes those checks is then the route's: its credential is checked once, by
the route's own dependency, and a refusal (401, 403) or an exception raised by
the endpoint is answered by the app's own exception handlers, as the route
would answer it.  It sits inside every middleware of ours (request id, body
limit, NUL guard, security headers, the request log), so those see the request
as before.

``XBORDER_HOT_PATH=0`` turns it off (every request through FastAPI).
"""

from __future__ import annotations

import json
import re
from typing import Any
from uuid import UUID

from fastapi import FastAPI
from pydantic import ValidationError
from starlette._utils import is_async_callable
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request

from . import models as M
from .deps import _ledger
from .idempotency import MAX_KEY_LENGTH
from .replay import replay
from .routers import ledger as ledger_routes

_PATH = re.compile(r"/v1/ledgers/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/transactions")
#: the media types taken here (FastAPI also parses ``+json`` and parameters: those go to it)
_JSON = frozenset({b"application/json", b"application/json; charset=utf-8"})
#: the key rule of ``api.idempotency.KEY_PATTERN``, anchored at both ends
_KEY = re.compile(r"[ -~]*[!#-~][ -~]*")
_CHECKED = (b"content-type", b"idempotency-key", b"authorization")


class HotPosting:
    """ASGI middleware: the single-posting route's well-formed requests
    answered by its endpoint without routing or dependency solving."""

    def __init__(self, app: Any, fastapi_app: FastAPI) -> None:
        self.app = app
        self.fastapi_app = fastapi_app
        self.endpoint = ledger_routes.post_transaction
        self.authorize = ledger_routes.WRITE
        self.route = _route_of(fastapi_app, self.endpoint)
        #: requests answered here / handed to the full app (the tests and the bench read them)
        self.answered = 0
        self.passed = 0
        fastapi_app.state.hot_posting = self

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        m = None
        if scope["type"] == "http" and scope.get("method") == "POST" and not scope.get("query_string"):
            m = _PATH.fullmatch(scope.get("path", ""))
        if m is None or self.fastapi_app.dependency_overrides or self.route is None:
            if m is not None:
                self.passed += 1
            return await self.app(scope, receive, send)
        messages: list[dict[str, Any]] = []
        chunks: list[bytes] = []
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                self.passed += 1
                return await self.app(scope, replay(messages, receive), send)
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = replay([{"type": "http.request", "body": body, "more_body": False}], receive)
        request = Request(scope, replayed)
        checked = self._well_formed(scope, body)
        if checked is None:
            self.passed += 1
            return await self.app(scope, replay(messages, receive), send)
        key, data = checked
        # from here the route is the one the app's router would pick (the
        # request log and the latency metric name it, refusals included)
        self.answered += 1
        scope["route"] = self.route
        scope["endpoint"] = self.endpoint
        scope["path_params"] = {"ledger_id": m.group(1)}
        try:
            # a refused credential is answered as the route answers it: its
            # dependency raises the same way there, the request being otherwise
            # valid (checked once, so a refused signature is audited once)
            principal = await self.authorize(request)
            response = await self.endpoint(
                ledger_id=UUID(m.group(1)), body=data, request=request, ledger=await _ledger(request), principal=principal, _key=key,
            )
        except Exception as exc:
            handler = _handler_for(self.fastapi_app, exc)
            if handler is None:
                raise
            response = await _answer(handler, request, exc)
        await response(scope, replayed, send)

    def _well_formed(self, scope: dict[str, Any], body: bytes) -> tuple[str, M.TransactionIn] | None:
        """The Idempotency-Key and the validated body, or None when the full
        app must answer (nothing is checked against the database here)."""
        seen: dict[bytes, bytes] = {}
        for name, value in scope["headers"]:
            name = name.lower()
            if name in _CHECKED:
                if name in seen:
                    return None
                seen[name] = value
        key = seen.get(b"idempotency-key")
        if seen.get(b"content-type", b"").lower() not in _JSON or key is None or b"authorization" not in seen:
            return None
        try:
            text = key.decode("ascii")
        except UnicodeDecodeError:
            return None
        if len(text) > MAX_KEY_LENGTH or not _KEY.fullmatch(text):
            return None
        try:
            return text, M.TransactionIn.model_validate(json.loads(body))
        except (ValueError, ValidationError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            return None


def _route_of(app: FastAPI, endpoint: Any) -> Any:
    """The route object the app's router puts in ``scope["route"]`` for
    ``endpoint`` (the request log and the latency metric name it)."""
    from fastapi.routing import APIRoute, iter_route_contexts

    for rc in iter_route_contexts(app.routes):
        route = rc.original_route
        if isinstance(route, APIRoute) and route.endpoint is endpoint:
            return getattr(rc, "starlette_route", None) or route
    return None


def _handler_for(app: FastAPI, exc: Exception) -> Any:
    """The app's exception handler for ``exc`` as Starlette's exception
    middleware picks it (an HTTP exception's status first, then the class,
    most specific first); None for what only the server-error middleware
    handles (``Exception`` and 500)."""
    handlers = app.exception_handlers
    if isinstance(exc, StarletteHTTPException) and exc.status_code != 500 and exc.status_code in handlers:
        return handlers[exc.status_code]
    for cls in type(exc).__mro__:
        if cls is Exception:
            return None
        if cls in handlers:
            return handlers[cls]
    return None


async def _answer(handler: Any, request: Request, exc: Exception) -> Any:
    if is_async_callable(handler):
        return await handler(request, exc)
    return await run_in_threadpool(handler, request, exc)
