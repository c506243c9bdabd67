"""HTTP idempotency (IETF "The Idempotency-Key HTTP Header Field" draft).

Every POST that moves money carries ``Idempotency-Key``.  The first request
with a key is processed and its response (status, media type, body bytes,
errors included) stored; a retry with the same key and the same request gets
those bytes back (``Idempotent-Replayed: true``); the same key with another
request is 422; a retry while the first is still being processed is 409.
Keys are scoped to the caller's institution and kept for
``XBORDER_IDEMPOTENCY_TTL_HOURS`` (default 72 h).

Below the HTTP layer the ledger has its own idempotency keys (derived from
this one), so even if the process dies after the ledger commit but before the
response is stored, a retry replays the ledger's outcome: never a double
posting, and the retry's response says ``Idempotent-Replayed: true``.

An in-flight record names the process processing it (:mod:`ledger.process`).
A retry that finds it takes it over at once when that process has died
(same host: its pid is gone or names another process) and otherwise answers
409 until the record's lease (``IN_FLIGHT_LEASE_SECONDS``) has passed, the
bound for a process on another host.
"""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from fastapi import Header, Request
from fastapi.responses import Response
from sqlalchemy import and_, delete, select, update
from sqlalchemy.exc import IntegrityError

from ledger.clock import utc_now
from ledger.errors import DatabaseUnavailable, LedgerError
from ledger.process import identity, is_dead, replay_scope, replay_seen

from .auth import Principal
from .problems import IDEMPOTENCY_KEY_MAX, ProblemError, exception_to_response, problem_response
from .schema import http_idempotency

MAX_KEY_LENGTH = IDEMPOTENCY_KEY_MAX
IN_FLIGHT_LEASE_SECONDS = 60


def fingerprint(request: Request, body: bytes) -> str:
    h = hashlib.sha256()
    h.update(request.method.encode())
    h.update(b"\n")
    h.update(request.url.path.encode())
    h.update(b"\n")
    h.update(body)
    return h.hexdigest()


def get_key(request: Request) -> str:
    key = request.headers.get("idempotency-key")
    if key is None:
        raise ProblemError(400, "idempotency_key_missing", "Idempotency-Key required", "this request moves money: send an Idempotency-Key header (a unique string per operation, e.g. a UUID)")
    key = key.strip().strip('"')
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ProblemError(400, "idempotency_key_invalid", "Invalid Idempotency-Key", f"the key must be 1..{MAX_KEY_LENGTH} printable characters")
    return key


#: what the server accepts (the check of :func:`get_key` as a pattern): printable
#: ASCII with at least one character that is neither a space nor a double quote
#: (a structured-field string ``"..."`` is accepted and unquoted)
KEY_PATTERN = r'^[ -~]*[!#-~][ -~]*$'

KEY_DESCRIPTION = (
    "Unique per operation (e.g. a UUID), 1..255 printable characters. Required: without it the request is refused "
    "(400 `idempotency_key_missing`). A retry with the same key and the same request returns the stored response byte for byte "
    "(`Idempotent-Replayed: true`); the same key with another request is 422 `idempotency_key_reused`; while the first request "
    "is still being processed, 409 `idempotency_request_in_flight`."
)


def idempotency_key_header(
    request: Request,
    idempotency_key: str = Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=MAX_KEY_LENGTH,
        pattern=KEY_PATTERN,
        description=KEY_DESCRIPTION,
        examples=["3f0c2b8e-9a4d-4c1e-8f7a-2d5b6e9c1a30"],
    ),
) -> str:
    """Dependency: the request's Idempotency-Key.  It is declared required, so
    the OpenAPI document says so; a missing or malformed key is answered 400
    (``api.problems.key_problem`` turns the header's validation error into
    ``idempotency_key_missing`` / ``idempotency_key_invalid``)."""
    return get_key(request)


def _payload_too_large(limit: int) -> ProblemError:
    return ProblemError(413, "payload_too_large", "Payload too large", f"request bodies are limited to {limit} bytes", limit=limit)


async def read_body(request: Request, max_body: int | None = None, too_large: Callable[[], Exception] | None = None) -> bytes:
    """The request body; with ``max_body``, read chunk by chunk and refused
    (``too_large()``, default a 413 ``payload_too_large`` problem) as soon as
    it passes the cap, so a chunked upload without Content-Length is never
    held in memory beyond it.  The body is then cached on the request
    (Starlette's ``request._body``): later ``body()``, ``stream()`` and
    ``form()`` read it from there."""
    if max_body is None:
        return await request.body()
    cached = getattr(request, "_body", None)
    if isinstance(cached, bytes):
        body = cached
    else:
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > max_body:
                raise too_large() if too_large is not None else _payload_too_large(max_body)
            chunks.append(chunk)
        body = b"".join(chunks)
        request._body = body
    if len(body) > max_body:
        raise too_large() if too_large is not None else _payload_too_large(max_body)
    return body


async def run_idempotent(
    request: Request, principal: Principal, handler: Callable[[str], Awaitable[Response]], *,
    max_body: int | None = None, too_large: Callable[[], Exception] | None = None,
) -> Response:
    """Process ``handler(key)`` once per (institution, key) and store its
    response; replay it for retries.  ``handler`` gets the key so it can
    derive ledger idempotency keys from it.  ``max_body`` caps the body
    (see :func:`read_body`): a larger one is refused before the key is
    claimed, so nothing is recorded under it."""
    ctx = request.app.state.ctx
    key = get_key(request)
    body = await read_body(request, max_body, too_large)
    fp = fingerprint(request, body)
    inst = principal.institution_id
    now = utc_now()
    claim = await _claim(ctx, inst, key, fp, now, timedelta(hours=ctx.settings.idempotency_ttl_hours))
    if claim is not None:
        return claim
    scope = replay_scope()
    try:
        response = await handler(key)
    except (ProblemError, LedgerError) as exc:
        if isinstance(exc, DatabaseUnavailable) or (isinstance(exc, ProblemError) and exc.status >= 500):
            await _forget(ctx, inst, key)
            raise
        response = exception_to_response(exc)
    except BaseException:
        await _forget(ctx, inst, key)
        raise
    finally:
        replayed = replay_seen(scope)
    if response.status_code >= 500:
        await _forget(ctx, inst, key)
        return response
    if replayed:  # an earlier attempt had committed: the money had already moved
        response.headers["Idempotent-Replayed"] = "true"
    try:
        async with ctx.engine.begin() as conn:
            await conn.execute(
                update(http_idempotency)
                .where(http_idempotency.c.institution_id == inst, http_idempotency.c.key == key)
                .values(state="done", status_code=response.status_code, content_type=response.media_type or response.headers.get("content-type"), body=bytes(response.body))
            )
    except Exception:  # noqa: BLE001 - the ledger keys still protect a retry
        pass
    return response


def _in_flight(detail: str) -> Response:
    return problem_response(409, "idempotency_request_in_flight", "Request in flight", detail, headers={"Retry-After": "1"})


async def _claim(ctx, inst, key: str, fp: str, now: datetime, ttl: timedelta) -> Response | None:
    """Record ``key`` as in flight in this process, or the response to give
    instead: the stored one (a replay), 422 (another request under the key)
    or 409 (still being processed by a live process)."""
    me = identity()
    async with ctx.engine.begin() as conn:
        row = (await conn.execute(select(http_idempotency).where(http_idempotency.c.institution_id == inst, http_idempotency.c.key == key))).first()
        if row is not None and _aware(row.expires_at) <= now:
            await conn.execute(delete(http_idempotency).where(http_idempotency.c.institution_id == inst, http_idempotency.c.key == key))
            row = None
        if row is None:
            try:
                async with conn.begin_nested():
                    await conn.execute(
                        http_idempotency.insert().values(institution_id=inst, key=key, fingerprint=fp, state="in_flight", created_at=now, expires_at=now + ttl, owner=me)
                    )
                return None
            except IntegrityError:
                row = (await conn.execute(select(http_idempotency).where(http_idempotency.c.institution_id == inst, http_idempotency.c.key == key))).first()
                if row is None:
                    return _in_flight("a request with this Idempotency-Key is being processed; retry later")
        if row.fingerprint != fp:
            return problem_response(422, "idempotency_key_reused", "Idempotency-Key reused", "this Idempotency-Key was used with a different request", idempotency_key=key)
        if row.state == "done":
            return Response(content=row.body, status_code=row.status_code, media_type=row.content_type, headers={"Idempotent-Replayed": "true"})
        lease_over = _aware(row.created_at) + timedelta(seconds=IN_FLIGHT_LEASE_SECONDS) <= now
        if not (lease_over or is_dead(row.owner)):
            return _in_flight("a request with this Idempotency-Key is still being processed; retry later")
        # the first attempt died with its process: take the record over (one retry wins)
        res = await conn.execute(
            update(http_idempotency)
            .where(and_(http_idempotency.c.institution_id == inst, http_idempotency.c.key == key, http_idempotency.c.created_at == row.created_at))
            .values(created_at=now, owner=me)
        )
        if res.rowcount != 1:
            return _in_flight("a request with this Idempotency-Key is being processed; retry later")
    return None


async def _forget(ctx, inst, key) -> None:
    try:
        async with ctx.engine.begin() as conn:
            await conn.execute(delete(http_idempotency).where(http_idempotency.c.institution_id == inst, http_idempotency.c.key == key, http_idempotency.c.state == "in_flight"))
    except Exception:  # noqa: BLE001 - the lease expires anyway
        pass


async def purge_expired(engine) -> int:
    async with engine.begin() as conn:
        res = await conn.execute(delete(http_idempotency).where(http_idempotency.c.expires_at < utc_now()))
        return res.rowcount or 0


def _aware(ts: datetime) -> datetime:
    return ts.replace(tzinfo=UTC) if ts.tzinfo is None else ts
