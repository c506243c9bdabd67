"""RFC 9457 problem documents: the one place where errors become HTTP.

Every error the API returns is ``application/problem+json`` with a stable
``type`` per domain error (``https://xborder.dev/problems/<code>``), a
``title``, the ``status``, a human ``detail`` and the numbers a caller needs
as extension members (``available``, ``requested``, ``remaining``, ...).
"""

from __future__ import annotations

import json
import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from ledger.errors import DatabaseUnavailable, LedgerError

PROBLEM_BASE = "https://xborder.dev/problems/"
PROBLEM_MEDIA_TYPE = "application/problem+json"

log = logging.getLogger("xborder.api")


class ProblemFieldError(BaseModel):
    location: str = Field(description="where: `body.postings.0.amount`, `query.limit`, `header.Idempotency-Key`")
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem document (``application/problem+json``).

    Extension members carry the facts of the error.  Money in them follows
    the API's one convention: a decimal string in major units with exactly
    the currency's exponent, named with its currency (a ``currency`` member,
    or a Money object ``{"amount": "...", "currency": "..."}``); never integer
    minor units.  Validation problems list every refused field in ``errors``."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"examples": [
        {
            "type": "https://xborder.dev/problems/insufficient_funds",
            "title": "Insufficient funds",
            "status": 422,
            "detail": "account 0196a3c2-7b1e-7c4a-9d0e-5f1a2b3c4d5e has 10.00 USD available, 50.00 USD requested",
            "code": "insufficient_funds",
            "currency": "USD",
            "available": "10.00",
            "requested": "50.00",
        },
        {
            "type": "https://xborder.dev/problems/validation_error",
            "title": "Validation error",
            "status": 422,
            "detail": "body.postings.0.amount: more decimals than USD has",
            "code": "validation_error",
            "errors": [{"location": "body.postings.0.amount", "message": "more decimals than USD has"}],
        },
    ]})

    type: str = Field(description="URI identifying the problem type; stable per error code")
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    code: str = Field(description="the error code, the last segment of `type`")
    errors: list[ProblemFieldError] | None = Field(default=None, description="validation problems: every refused field")


class ProblemError(Exception):
    """Raise from a route to answer with a problem document."""

    def __init__(self, status: int, code: str, title: str, detail: str | None = None, headers: dict[str, str] | None = None, **extra: Any):
        super().__init__(detail or title)
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra


def problem_body(status: int, code: str, title: str, detail: str | None = None, instance: str | None = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"type": PROBLEM_BASE + code, "title": title, "status": status, "code": code}
    if detail:
        body["detail"] = detail
    if instance:
        body["instance"] = instance
    for k, v in extra.items():
        if k not in body and v is not None:
            body[k] = v
    return body


def problem_response(status: int, code: str, title: str, detail: str | None = None, headers: dict[str, str] | None = None, **extra: Any) -> Response:
    return Response(
        content=json.dumps(problem_body(status, code, title, detail, **extra), separators=(",", ":"), default=str).encode(),
        status_code=status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=headers,
    )


def _details(err: LedgerError) -> dict[str, Any]:
    return {k: v for k, v in err.details.items() if k not in ("type", "title", "status", "detail", "instance", "code")}


def problem_of(err: LedgerError) -> dict[str, Any]:
    """The problem document of a domain error (as its response's body)."""
    return problem_body(err.status, err.code, err.title, err.message, **_details(err))


def ledger_error_response(err: LedgerError) -> Response:
    return problem_response(err.status, err.code, err.title, err.message, **_details(err))


def _value_out_of_range(exc: BaseException) -> bool:
    """The database or its driver refused one of the request's values: a NUL
    character in text (PostgreSQL), an integer beyond 64 bits, an instant
    beyond year 9999 (SQLSTATE class 22 "data exception", or an
    ``OverflowError`` while converting or binding it)."""
    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, OverflowError):
            return True
        state = getattr(e, "sqlstate", None) or getattr(e, "pgcode", None)
        if isinstance(state, str) and state.startswith("22"):
            return True
        todo += [getattr(e, "orig", None), e.__cause__, None if e.__suppress_context__ else e.__context__]
    return False


def _database_unreachable(exc: BaseException) -> bool:
    """The database could not be reached (connection refused or lost, server
    shutting down or starting up): raised by a path that does not go through
    ``run_in_transaction`` (authentication, the idempotency record, reads)."""
    from ledger.db import is_unavailable

    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, DBAPIError) and is_unavailable(e):
            return True
        if isinstance(e, ConnectionError):
            return True
        if type(e).__module__.startswith("asyncpg") and str(getattr(e, "sqlstate", "") or "").startswith(("08", "57P")):
            return True
        if type(e) is OSError and "connect call failed" in str(e).lower():  # several addresses refused
            return True
        todo += [getattr(e, "orig", None), e.__cause__, None if e.__suppress_context__ else e.__context__]
    return False


def exception_to_response(exc: BaseException) -> Response:
    if isinstance(exc, ProblemError):
        return problem_response(exc.status, exc.code, exc.title, exc.detail, headers=exc.headers, **exc.extra)
    if isinstance(exc, LedgerError):
        return ledger_error_response(exc)
    if _database_unreachable(exc):
        err = DatabaseUnavailable(f"database unavailable: {type(exc).__name__}")
        return problem_response(err.status, err.code, err.title, err.message, headers={"Retry-After": "1"}, **err.details)
    if _value_out_of_range(exc):
        # the request is at fault, not the server; nothing was written
        return problem_response(422, "invalid_input", "Invalid input", "a value of the request is out of the range the ledger can store (a NUL character in text, an integer beyond 64 bits, a date beyond year 9999...)")
    log.exception("unhandled error", exc_info=exc)
    return problem_response(500, "internal_error", "Internal error", "an unexpected error occurred; nothing was changed")


_STATUS_CODES = {
    400: ("bad_request", "Bad request"),
    401: ("unauthorized", "Unauthorized"),
    403: ("forbidden", "Forbidden"),
    404: ("not_found", "Not found"),
    405: ("method_not_allowed", "Method not allowed"),
    406: ("not_acceptable", "Not acceptable"),
    409: ("conflict", "Conflict"),
    413: ("payload_too_large", "Payload too large"),
    415: ("unsupported_media_type", "Unsupported media type"),
    422: ("validation_error", "Validation error"),
    429: ("too_many_requests", "Too many requests"),
}


#: the longest Idempotency-Key (``api.idempotency``)
IDEMPOTENCY_KEY_MAX = 255


def key_problem(errors: list[dict]) -> ProblemError | None:
    """The 400 problem for a request whose ``Idempotency-Key`` header the
    validator refused (missing or malformed); None when it did not."""
    for e in errors:
        loc = [str(p).lower() for p in e.get("loc", ())]
        if loc[:2] == ["header", "idempotency-key"]:
            if e.get("type") == "missing":
                return ProblemError(400, "idempotency_key_missing", "Idempotency-Key required", "this request requires an Idempotency-Key header (a unique string per operation, e.g. a UUID)")
            return ProblemError(400, "idempotency_key_invalid", "Invalid Idempotency-Key", f"the key must be 1..{IDEMPOTENCY_KEY_MAX} printable characters")
    return None


#: plain-language hints for the schema patterns that callers meet most (an
#: amount, a currency code): a refusal names the rule, not a regular expression
_PATTERN_HINTS: dict[str, str] = {}


def explain_pattern(pattern: str, hint: str) -> str:
    """Register ``hint`` as the reader's wording of ``pattern``; returns the pattern."""
    _PATTERN_HINTS[pattern] = hint
    return pattern


def _error_message(e: dict[str, Any]) -> str:
    if e.get("type") == "string_pattern_mismatch":
        hint = _PATTERN_HINTS.get(str((e.get("ctx") or {}).get("pattern")))
        if hint is not None:
            return f"must be {hint}"
    return str(e.get("msg", "invalid"))


def install(app: FastAPI) -> None:
    """Register the handlers that turn every error into a problem document."""

    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError):
        return problem_response(exc.status, exc.code, exc.title, exc.detail, headers=exc.headers, instance=str(request.url.path), **exc.extra)

    @app.exception_handler(LedgerError)
    async def _ledger(request: Request, exc: LedgerError):
        return ledger_error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        key = key_problem(list(exc.errors()))
        if key is not None:  # the key is checked first, as before any body
            return problem_response(key.status, key.code, key.title, key.detail)
        errors = []
        for e in exc.errors():
            loc = [str(p) for p in e.get("loc", ())]
            errors.append({"location": ".".join(loc), "message": _error_message(e)})
        detail = "; ".join(f"{e['location']}: {e['message']}" for e in errors[:5]) or "invalid request"
        return problem_response(422, "validation_error", "Validation error", detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        code, title = _STATUS_CODES.get(exc.status_code, ("http_error", "HTTP error"))
        detail = exc.detail if isinstance(exc.detail, str) else title
        if exc.status_code == 400 and detail == "There was an error parsing the body":
            # a body that is not what the media type says (undecodable text, a
            # broken form): invalid input like any other, documented as 422
            msg = "the request body cannot be parsed as its Content-Type says"
            return problem_response(422, "validation_error", "Validation error", f"body: {msg}", errors=[{"location": "body", "message": msg}])
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            headers["Allow"] = allowed_methods(request)
            detail = f"{request.method} is not allowed here; allowed: {headers['Allow']}"
        return problem_response(exc.status_code, code, title, detail, headers=headers)

    @app.exception_handler(Exception)
    async def _unhandled(request: Request, exc: Exception):
        return exception_to_response(exc)


def allowed_methods(request: Request) -> str:
    """The ``Allow`` header of a 405: every method of the resource the path
    names (all its routes, not only the first that matched; a literal
    segment wins over a path parameter)."""
    from fastapi.routing import iter_route_contexts
    from starlette.routing import Match

    by_template: dict[str, set[str]] = {}
    scope = {**request.scope, "method": "GET"}
    for rc in iter_route_contexts(request.app.routes):
        route = getattr(rc, "_effective_route", rc.route)
        try:
            match, _ = route.matches(scope)
        except Exception:  # noqa: BLE001 - a route that cannot judge this path
            continue
        if match != Match.NONE:
            by_template.setdefault(str(rc.path), set()).update(rc.methods or ())
    if not by_template:
        return ""
    # the resource is the most specific template: /advances/overdue-sweep, not /advances/{advance_id}
    best = min(by_template, key=lambda t: (t.count("{"), -len(t)))
    return ", ".join(sorted(by_template[best]))


#: kept for the routers' ``APIRouter(responses=COMMON_ERRORS)``: empty, because
#: ``api.openapi`` documents each operation's error statuses from its route
#: (authentication, Idempotency-Key, path ids, body, ...); a route declares
#: only the statuses no rule can derive
COMMON_ERRORS: dict[int | str, dict[str, Any]] = {}
