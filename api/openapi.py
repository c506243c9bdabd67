"""The OpenAPI 3.1 document, made truthful centrally from the route table.

FastAPI generates the paths and schemas; :func:`build` then states, for every
operation, facts it derives from the route itself rather than from a hand
list:

* **security**: an operation whose dependencies authenticate (``api.auth.require``
  or ``authenticate``) carries the ``bearerAuth`` requirement; login, health,
  readiness and metrics do not;
* **Idempotency-Key**: required exactly where a dependency is
  ``api.idempotency.idempotency_key_header`` (the dependency declares the
  header required itself);
* **errors**: only the statuses the operation can return, each under
  ``application/problem+json`` with the one ``Problem`` schema: 401/403 when
  authenticated, 400 when it takes an Idempotency-Key, 404 with path ids or
  referenced ids, 409 on authenticated writes, 413 with a body, 422 with any input or on
  writes, 503 when it reaches the database;
* **operation ids** ``resource_action`` by the rule of :func:`operation_id`;
* **tags** with descriptions, and **webhooks** for every event type of
  :mod:`api.events`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from . import events as E
from .problems import PROBLEM_MEDIA_TYPE, Problem

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}

BEARER = "bearerAuth"

SECURITY_SCHEMES: dict[str, Any] = {
    BEARER: {
        "type": "http",
        "scheme": "bearer",
        "description": (
            "`Authorization: Bearer <API key>` (an institution's `system` key or a platform's `platform` key, `xb_...`) "
            "or `Bearer <access token>` from `POST /v1/auth/token` (staff and SME users). "
            "An institution may require signed requests: add `X-Xborder-Timestamp` (unix seconds) and "
            "`X-Xborder-Signature: v1=<hex HMAC-SHA256(signing secret, METHOD \\n PATH?QUERY \\n TIMESTAMP \\n hex SHA-256(body))>` "
            "(see `api.auth.sign_request`); a signature is accepted once, within 5 minutes."
        ),
    },
    "requestTimestamp": {"type": "apiKey", "in": "header", "name": "X-Xborder-Timestamp", "description": "Unix seconds of a signed request (with `bearerAuth`, when the institution requires signing)."},
    "requestSignature": {"type": "apiKey", "in": "header", "name": "X-Xborder-Signature", "description": "`v1=<hex HMAC-SHA256>` of a signed request (with `bearerAuth`, when the institution requires signing)."},
}

TAGS: dict[str, str] = {
    "operations": "Liveness, readiness and Prometheus metrics; no authentication.",
    "platform": "Log-in, the caller, API keys (issue, rotate, revoke), users and the audit log.",
    "approvals": "Four eyes: privileged actions proposed by a maker (answered 202) wait here until a different person with a checker role approves (executes) or rejects them.",
    "ledger": "The double-entry ledger: ledgers, accounts, balances, statements, transactions (pending, void, reverse), trial balance and the hash chain.",
    "webhooks": "Webhook endpoints, the event outbox and deliveries (Standard Webhooks signatures).",
    "customers": "Merchants and individuals: opening, FX class, directory registration, negative list, due diligence, currencies.",
    "trade-data": "Platforms' electronic trade data (orders, waybills, payments, refunds) and three-document matching (三单比对).",
    "rates": "FX mid and bank rates, manual rates, spreads and rate refresh.",
    "settlement": "Inbound receipts (收汇), releases, conversions (结汇/购汇), outbound payments, quotas, risk alerts and monitoring.",
    "advances": "Advances of overseas fees by service providers (代垫): recording, settlement and ageing.",
    "netting": "Netting cycles of obligations (轧差结算) and partner-bank settlements.",
    "financing": "Supply-chain finance: products, LPR, underwriting, applications, loans, repayments, accruals and the portfolio.",
    "sme": "SME self-service (SME users only, their own merchant): eligible assets, applications, loans with decision and offer, accept or decline, statement and next due amount, own accounts, repayment from the own current account.",
    "collateral": "Warehouse receipts, pledges and margin calls, export credit insurance policies, receivables and claims.",
    "reconciliation": "Bank statement import, matching runs, exceptions and adjustment proposals (four eyes).",
    "reports": "Regulatory and management reports as JSON or CSV.",
}

_ERROR_TEXT = {
    400: "Bad request: a missing or invalid `Idempotency-Key`",
    401: "Missing, invalid, expired or revoked credentials, or a bad or replayed signature",
    403: "The credential's role may not use this operation",
    404: "Not found (also another institution's ids)",
    409: "Conflict: the object's state does not allow this, a duplicate code, or a request with this Idempotency-Key still in flight",
    413: "Request body too large",
    422: "Invalid input (the problem names the field) or a refused domain operation",
    503: "Database unavailable; the outcome is unknown: a retry with the same Idempotency-Key is safe (it completes or replays the request)",
}

#: statuses no rule can derive (by operation id): a log-in refused, an upstream failure
EXTRA_ERRORS: dict[str, dict[int, str]] = {
    "auth_token": {401: "Unknown institution or user, wrong password, or a disabled user (one answer for all)"},
    "rates_refresh": {502: "The rate source could not be read"},
}

_ID_NAME = re.compile(r"(^|_)(id|ids|ref|refs)$")
_WRITES = {"post", "put", "patch", "delete"}
_NO_DATABASE = {"/healthz"}


@dataclass
class RouteFacts:
    authenticated: bool = False
    policy: Any = None  # api.scopes.Policy
    idempotent: bool = False
    has_body: bool = False
    explicit: dict[int, str] = field(default_factory=dict)


def _calls(dependant: Dependant) -> list[Any]:
    out = []
    for d in dependant.dependencies:
        out.append(d.call)
        out += _calls(d)
    return out


def route_facts(route: APIRoute) -> RouteFacts:
    from .auth import authenticate
    from .idempotency import idempotency_key_header
    from .scopes import route_policy

    calls = _calls(route.dependant)
    facts = RouteFacts(
        policy=route_policy(route),
        authenticated=any(c is authenticate or getattr(c, "roles", None) is not None for c in calls),
        idempotent=any(c is idempotency_key_header for c in calls),
        has_body=route.body_field is not None,
    )
    for status, spec in (route.responses or {}).items():
        if str(status).isdigit() and int(status) >= 400:
            facts.explicit[int(status)] = (spec or {}).get("description") or _ERROR_TEXT.get(int(status), "Error")
    return facts


# -- operation ids ---------------------------------------------------------------------------


def _segments(path: str) -> list[str]:
    parts = [p for p in path.strip("/").split("/") if p]
    return parts[1:] if parts and parts[0] == "v1" else parts


def _is_param(seg: str) -> bool:
    return seg.startswith("{")


def _norm(seg: str) -> str:
    return seg.replace("-", "_").lower()


class _Table:
    """What the rule needs to know about all paths at once."""

    def __init__(self, paths: dict[str, dict[str, Any]]) -> None:
        self.methods = {p: {m for m in ops if m in _WRITES | {"get"}} for p, ops in paths.items()}
        self.prefixes: set[tuple[str, ...]] = set()
        self.before_param: set[str] = set()
        for p in paths:
            segs = _segments(p)
            for i in range(1, len(segs)):
                self.prefixes.add(tuple(segs[:i]))
                if _is_param(segs[i]):
                    self.before_param.add(segs[i - 1])

    def namespace(self, segs: list[str]) -> str | None:
        first = segs[0]
        if len(segs) > 1 and not _is_param(first) and first not in self.before_param and not _is_param(segs[1]):
            return first
        return None

    def collection(self, path: str, segs: list[str]) -> bool:
        """A trailing segment names a collection when it has several methods or something below it."""
        return len(self.methods.get(path, ())) > 1 or tuple(segs) in self.prefixes


def _read_action(op: dict[str, Any], components: dict[str, Any]) -> str:
    ok = op.get("responses", {}).get("200", {}).get("content", {}).get("application/json", {}).get("schema", {})
    if ok.get("type") == "array":
        return "list"
    ref = ok.get("$ref", "")
    props = components.get(ref.rsplit("/", 1)[-1], {}).get("properties", {}) if ref else {}
    return "list" if {"data", "has_more"} <= set(props) or "items" in props else "get"


def operation_id(path: str, method: str, op: dict[str, Any], table: _Table, components: dict[str, Any]) -> str:
    """``resource_action``: the resource is the path's last collection (prefixed
    with its namespace, e.g. ``recon_``, ``financing_``); the action is
    ``list``/``get``/``create``/``update``/``delete`` on a collection or an item,
    or the trailing verb of ``/things/{id}/verb`` and ``/things/verb``."""
    segs = _segments(path)
    ns = table.namespace(segs)
    rest = segs[1:] if ns else segs
    last = rest[-1]
    by_method = {"post": "create", "put": "update", "patch": "update", "delete": "delete"}
    if _is_param(last):
        resource = [s for s in rest if not _is_param(s)][-1]
        action = "get" if method == "get" else by_method[method]
    elif len(rest) == 1 or table.collection(path, segs):
        if len(rest) == 1 and ns and method == "post" and not table.collection(path, segs):
            return f"{_norm(ns)}_{_norm(last)}"  # /rates/refresh: the namespace's action
        resource = last
        action = _read_action(op, components) if method == "get" else by_method[method]
    else:
        resource = [s for s in rest[:-1] if not _is_param(s)][-1]
        action = last
    name = f"{_norm(resource)}_{_norm(action)}"
    return f"{_norm(ns)}_{name}" if ns else name


# -- the document ----------------------------------------------------------------------------


def _error_statuses(path: str, method: str, op: dict[str, Any], facts: RouteFacts, components: dict[str, Any]) -> dict[int, str]:
    params = op.get("parameters", [])
    names = {p["name"] for p in params if p.get("in") in ("path", "query")} | _body_names(op, components)
    out: dict[int, str] = {}
    if facts.authenticated:
        out[401] = _ERROR_TEXT[401]
        out[403] = _ERROR_TEXT[403]
    if facts.idempotent:
        out[400] = _ERROR_TEXT[400]
    if any(p.get("in") == "path" for p in params) or any(_ID_NAME.search(n) for n in names):
        out[404] = _ERROR_TEXT[404]
    if (method in _WRITES and facts.authenticated) or facts.idempotent:
        out[409] = _ERROR_TEXT[409]
    if facts.has_body or "requestBody" in op:
        out[413] = _ERROR_TEXT[413]
    if params or facts.has_body or method in _WRITES:
        out[422] = _ERROR_TEXT[422]
    if path not in _NO_DATABASE and (facts.authenticated or path.startswith("/v1/")):
        out[503] = _ERROR_TEXT[503]
    out.update(facts.explicit)
    out.update(EXTRA_ERRORS.get(op.get("operationId", ""), {}))
    return dict(sorted(out.items()))


def _body_names(op: dict[str, Any], components: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    seen: set[str] = set()
    todo = [media.get("schema", {}) for media in op.get("requestBody", {}).get("content", {}).values()]
    while todo:
        schema = todo.pop()
        if not isinstance(schema, dict):
            continue
        ref = schema.get("$ref")
        if ref:
            name = ref.rsplit("/", 1)[-1]
            if name not in seen:
                seen.add(name)
                todo.append(components.get(name, {}))
            continue
        for key, sub in (schema.get("properties") or {}).items():
            names.add(key)
            todo.append(sub)
        for key in ("items", "additionalProperties"):
            todo.append(schema.get(key))
        for key in ("anyOf", "oneOf", "allOf"):
            todo += schema.get(key) or []
    return names


def _problem_responses(op: dict[str, Any], statuses: dict[int, str]) -> None:
    responses = op.setdefault("responses", {})
    for code in [c for c in responses if c[:1] in ("4", "5")]:
        del responses[code]
    for status, text in statuses.items():
        responses[str(status)] = {"description": text, "content": {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_REF}}}


def _webhooks(doc: dict[str, Any]) -> dict[str, Any]:
    schemas = doc["components"]["schemas"]
    models: list[tuple[type[BaseModel], Literal["validation", "serialization"]]] = [(E.EventEnvelope, "serialization")]
    models += [(e.data, "serialization") for e in E.CATALOGUE]
    _, defs = models_json_schema(models, ref_template="#/components/schemas/{model}")
    for name, schema in defs.get("$defs", {}).items():
        schemas.setdefault(name, schema)
    out: dict[str, Any] = {}
    for e in E.CATALOGUE:
        name = E.schema_name(e.type)
        schemas[name] = {
            "title": name,
            "description": e.description,
            "allOf": [{"$ref": "#/components/schemas/EventEnvelope"}],
            "properties": {"type": {"const": e.type}, "data": {"$ref": f"#/components/schemas/{e.data.__name__}"}},
        }
        out[e.type] = {"post": {
            "operationId": "webhook_" + re.sub(r"[^a-z]+", "_", e.type),
            "summary": e.type,
            "description": e.description + " Sent as a Standard Webhooks message (`webhook-id`, `webhook-timestamp`, `webhook-signature` headers); answer 2xx.",
            "tags": ["webhooks"],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}},
            "responses": {"200": {"description": "Received; any 2xx acknowledges the delivery, anything else is retried with backoff"}},
        }}
    return out


# -- currencies ------------------------------------------------------------------------------


CURRENCY_REF = {"$ref": "#/components/schemas/Currency"}


def _currency_component() -> dict[str, Any]:
    from ledger.money import all_currency_codes

    return {
        "title": "Currency",
        "type": "string",
        "description": "ISO 4217 alphabetic code usable for payments (precious metals, funds and test codes are not)",
        "enum": all_currency_codes(),
        "examples": ["USD"],
    }


def _is_currency_name(name: str) -> bool:
    return name in ("currency", "base", "quote") or name.endswith("_currency")


def _is_code_pattern(schema: dict[str, Any]) -> bool:
    """The ``CurrencyCode`` pattern (three capitals), alone or or-null."""
    options = schema.get("anyOf") or [schema]
    return any(o.get("pattern") == "^[A-Z]{3}$" for o in options if isinstance(o, dict))


def _as_currency(schema: dict[str, Any]) -> dict[str, Any] | None:
    """A plain string schema (or string-or-null) turned into the Currency ref,
    keeping its description; None when it is something else."""
    keep = {k: v for k, v in schema.items() if k in ("title", "description", "default")}
    if schema.get("type") == "string" and "enum" not in schema and "format" not in schema:
        return {**CURRENCY_REF, **keep}
    options = schema.get("anyOf")
    if isinstance(options, list) and len(options) == 2 and {"type": "null"} in options:
        other = next(o for o in options if o != {"type": "null"})
        if other.get("type") == "string" and "enum" not in other and "format" not in other:
            return {"anyOf": [CURRENCY_REF, {"type": "null"}], **keep}
    return None


def _currencies(doc: dict[str, Any]) -> None:
    """Every currency field names the codes the server accepts: properties and
    query parameters called ``currency``, ``*_currency``, ``base`` or ``quote``
    (a rate's pair) or declared with the three-capitals pattern, and the items
    of a ``currencies`` list."""
    schemas = doc["components"]["schemas"]
    schemas["Currency"] = _currency_component()
    for schema in schemas.values():
        for prop, sub in (schema.get("properties") or {}).items():
            if (_is_currency_name(prop) or _is_code_pattern(sub)) and (new := _as_currency(sub)) is not None:
                schema["properties"][prop] = new
            elif prop == "currencies" and sub.get("type") == "array" and (new := _as_currency(sub.get("items") or {})) is not None:
                sub["items"] = new
    for path, ops in doc.get("paths", {}).items():
        for op in ops.values():
            for param in op.get("parameters", []):
                rate_pair = path.startswith("/v1/rates/") and param["name"] in ("base", "quote")
                if param.get("in") == "query" and (_is_currency_name(param["name"]) or rate_pair) and (new := _as_currency(param.get("schema", {}))) is not None:
                    param["schema"] = new


def _access(op: dict[str, Any], policy: Any) -> None:
    """The route's declared policy in its operation: ``x-roles``, and
    ``x-required-scope`` (what an API key needs), also in the description."""
    if policy is None or policy.kind != "authenticated":
        return
    roles = sorted(policy.roles)
    op["x-roles"] = roles
    text = "**Access**: roles " + ", ".join(f"`{r}`" for r in roles)
    if policy.scope is not None:
        op["x-required-scope"] = policy.scope
        text += f"; an API key needs the scope `{policy.scope}` (else 403 `forbidden_scope`)"
    op["description"] = (op["description"] + "\n\n" if op.get("description") else "") + text + "."


def build(app: FastAPI) -> dict[str, Any]:
    doc = get_openapi(
        title=app.title, version=app.version, openapi_version="3.1.0", summary=app.summary, description=app.description,
        routes=app.routes, tags=[{"name": n, "description": d} for n, d in TAGS.items()],
    )
    components = doc.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    for name, sub in schemas["Problem"].pop("$defs", {}).items():
        schemas.setdefault(name, sub)
    components["securitySchemes"] = SECURITY_SCHEMES
    table = _Table(doc.get("paths", {}))
    facts = {
        (rc.path, m.lower()): route_facts(rc.original_route)
        for rc in iter_route_contexts(app.routes) if isinstance(rc.original_route, APIRoute) and rc.original_route.include_in_schema for m in rc.methods or ()
    }
    for path, ops in doc.get("paths", {}).items():
        for method, op in ops.items():
            f = facts.get((path, method), RouteFacts())
            op["operationId"] = operation_id(path, method, op, table, schemas)
            if f.authenticated:
                op["security"] = [{BEARER: []}]
            _access(op, f.policy)
            _problem_responses(op, _error_statuses(path, method, op, f, schemas))
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    doc["webhooks"] = _webhooks(doc)
    _currencies(doc)
    return doc


def install(app: FastAPI) -> None:
    """Replace ``app.openapi`` with :func:`build` (computed once); the
    document's own route is declared public (:data:`api.scopes.PUBLIC`)."""
    from starlette.routing import Route

    from .scopes import PUBLIC

    for route in app.routes:
        if isinstance(route, Route) and route.path == app.openapi_url:
            route.endpoint.policy = PUBLIC.policy  # type: ignore[attr-defined]

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = build(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
