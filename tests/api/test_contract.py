"""One contract across every route (issue #13), checked from the route table
and the OpenAPI document, so that a new route breaking a convention fails
here without anybody remembering to write its test:

- strict input: no request model field is a bare ``date``, ``datetime``,
  ``bool`` or ``int`` (``api/fields.py`` types instead), and every boolean
  or date query parameter refuses ``1`` / ``0``;
- one money shape: no ``*_minor`` property in any schema;
- one list shape: every list answers ``{"data", "has_more", "next_cursor"}``
  with ``?limit=`` and ``?cursor=``, no other paging parameter, no bare array;
- the walker: every list route, with real rows of every kind, paged at
  ``limit=1``, the default and the maximum, gives every row exactly once and
  the same rows in the same order; a cursor of another list is 422.
"""

from __future__ import annotations

import inspect
import json
import re
import types
import typing
import uuid
from datetime import date, datetime
from typing import Annotated, Any, Union, get_args, get_origin

from fastapi.routing import APIRoute
from pydantic import BaseModel, BeforeValidator, Strict

from api.app import _routers
from tests.api.test_api import _id_samples
from tests.security.test_security import _credentials, _routes, _seed_every_kind

LEGACY_PAGING = {"after", "before", "after_seq", "offset", "next_after", "next_before", "next_after_seq", "page"}
BARE = (date, datetime, bool, int)


def _bare_types(tp: Any, seen: set[type], where: str) -> list[str]:
    """Bare strictness-less date/datetime/bool/int inside annotation ``tp``."""
    origin = get_origin(tp)
    if origin is Annotated:
        inner, *meta = get_args(tp)
        if any(isinstance(m, (BeforeValidator, Strict)) for m in meta):
            return []
        return _bare_types(inner, seen, where)
    if origin in (Union, types.UnionType, list, tuple, set, frozenset, dict) or (origin is not None and origin is not typing.Literal and get_args(tp)):
        if origin is typing.Literal:
            return []
        return [b for a in get_args(tp) for b in _bare_types(a, seen, where)]
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return _bare_fields(tp, seen)
    if tp in BARE:
        return [f"{where}: bare {tp.__name__}"]
    return []


def _bare_fields(model: type[BaseModel], seen: set[type]) -> list[str]:
    if model in seen:
        return []
    seen.add(model)
    out = []
    for name, f in model.model_fields.items():
        if any(isinstance(m, (BeforeValidator, Strict)) for m in f.metadata):
            continue
        out += _bare_types(f.annotation, seen, f"{model.__name__}.{name}")
    return out


def _api_routes() -> list[APIRoute]:
    return [r for router in _routers() for r in router.routes if isinstance(r, APIRoute)]


def _sync_dependencies(dependant: Any, where: str) -> list[str]:
    out = []
    for sub in dependant.dependencies:
        call = sub.call
        if call is not None and not inspect.iscoroutinefunction(call):
            out.append(f"{where}: {getattr(call, '__module__', '?')}.{getattr(call, '__qualname__', call)}")
        out += _sync_dependencies(sub, where)
    return out


def test_no_route_dependency_runs_in_a_worker_thread():
    """FastAPI runs a plain ``def`` dependency in a worker thread: a thread
    hand-off (and a GIL round trip) per request for what is a dictionary
    lookup (issue #14).  Every dependency of every route is ``async def``."""
    routes = _api_routes()
    assert len(routes) > 100
    found = [d for r in routes for d in _sync_dependencies(r.dependant, f"{sorted(r.methods)} {r.path}")]
    assert not found, "dependencies that would run in a worker thread:\n" + "\n".join(sorted(set(found)))


def test_no_request_model_takes_a_bare_date_bool_or_int():
    found: list[str] = []
    seen: set[type] = set()
    for route in _api_routes():
        body = route.body_field
        if body is not None:
            ann = body.field_info.annotation
            found += [f"{sorted(route.methods)} {route.path} {v}" for v in _bare_types(ann, seen, "body")]
    assert not found, "request fields must use api/fields.py types:\n" + "\n".join(sorted(set(found)))


def _schemas(doc: dict) -> dict[str, dict]:
    return doc.get("components", {}).get("schemas", {})


def _walk_properties(schema: Any, path: str = ""):
    if isinstance(schema, dict):
        for name, sub in (schema.get("properties") or {}).items():
            yield f"{path}.{name}", name, sub
            yield from _walk_properties(sub, f"{path}.{name}")
        for key in ("items", "additionalProperties"):
            if isinstance(schema.get(key), dict):
                yield from _walk_properties(schema[key], path + "[]")
        for key in ("anyOf", "oneOf", "allOf"):
            for sub in schema.get(key) or []:
                yield from _walk_properties(sub, path)


def test_no_schema_carries_minor_units(app):
    doc = app.openapi()
    found = [f"{name}{where}" for name, schema in _schemas(doc).items() for where, prop, _ in _walk_properties(schema) if prop.endswith("_minor")]
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            for p in op.get("parameters", []):
                if p["name"].endswith("_minor"):
                    found.append(f"{method.upper()} {path} ?{p['name']}")
    assert not found, "money is a decimal string with its currency, never *_minor:\n" + "\n".join(sorted(found))


def _resolve(doc: dict, schema: dict) -> dict:
    while isinstance(schema, dict) and "$ref" in schema:
        schema = _schemas(doc)[schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _ok_schema(doc: dict, op: dict) -> dict | None:
    for status in ("200", "201"):
        content = op.get("responses", {}).get(status, {}).get("content", {})
        if "application/json" in content:
            return _resolve(doc, content["application/json"].get("schema", {}))
    return None


def _is_page(schema: dict | None) -> bool:
    return bool(schema) and set((schema or {}).get("properties", {})) >= {"data", "has_more", "next_cursor"}


def _list_operations(doc: dict) -> list[tuple[str, dict]]:
    return [(path, ops["get"]) for path, ops in doc["paths"].items() if "get" in ops and _is_page(_ok_schema(doc, ops["get"]))]


def test_every_list_has_the_one_list_shape(app):
    doc = app.openapi()
    problems = []
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            schema = _ok_schema(doc, op)
            names = {p["name"] for p in op.get("parameters", [])}
            if names & LEGACY_PAGING:
                problems.append(f"{method.upper()} {path}: legacy paging parameters {sorted(names & LEGACY_PAGING)}")
            if schema is None:
                continue
            if schema.get("type") == "array" and method == "get":
                problems.append(f"GET {path}: answers a bare array")
            props = set(schema.get("properties", {}))
            if props & LEGACY_PAGING or ("items" in props and "next_cursor" in props):
                problems.append(f"{method.upper()} {path}: legacy list fields {sorted(props & (LEGACY_PAGING | {'items'}))}")
            if _is_page(schema) and not {"limit", "cursor"} <= names:
                problems.append(f"GET {path}: a list without ?limit= and ?cursor=")
    assert not problems, "\n".join(problems)
    assert len(_list_operations(doc)) >= 20


def _query_params(op: dict, kind: str) -> list[str]:
    out = []
    for p in op.get("parameters", []):
        if p.get("in") != "query":
            continue
        s = p.get("schema", {})
        variants = [s, *s.get("anyOf", [])]
        if kind == "boolean" and any(v.get("type") == "boolean" for v in variants):
            out.append(p["name"])
        if kind == "date" and any(v.get("format") in ("date", "date-time") for v in variants):
            out.append(p["name"])
    return out


def _path_url(path: str, samples: dict[str, str]) -> str | None:
    params = re.findall(r"{(\w+)}", path)
    if any(p not in samples for p in params):
        return None
    return path.format(**samples)


async def test_boolean_and_date_query_parameters_refuse_numbers(app, client, tenant_a):
    """``?flag=1`` and ``?date=0`` are 422 problems naming the parameter, on every GET."""
    doc = app.openapi()
    extra = await _seed_every_kind(app, client, tenant_a)
    tenant_a.extra = {**extra, "receipt_id": extra["settlement_receipt_id"]}
    samples = _id_samples(tenant_a)
    creds = await _credentials(client, tenant_a)
    roles = {(m, p): r for m, p, r in _routes()}
    checked, problems = 0, []
    for path, ops in doc["paths"].items():
        op = ops.get("get")
        if op is None or not path.startswith("/v1"):
            continue
        url = _path_url(path, samples)
        if url is None:
            continue
        allowed = roles.get(("GET", path), frozenset())
        role = next((r for r in ("system", "admin", "finance", "approver", "sme", "platform") if r in allowed), None)
        if role is None:
            continue
        base, _, query = url.partition("?")  # a sample may carry its own query (/v1/reports/{name})
        fixed = dict(pair.split("=", 1) for pair in query.split("&") if pair)
        required = _required_query(path, op, samples, extra)
        if required is None:
            continue
        fixed.update(required)
        for name, bad in [(n, "1") for n in _query_params(op, "boolean")] + [(n, "0") for n in _query_params(op, "date")]:
            r = await client.get(base, params={**fixed, name: bad}, headers=creds[role])
            checked += 1
            if r.status_code != 422 or name not in r.text:
                problems.append(f"GET {path}?{name}={bad}: {r.status_code} {r.text[:150]}")
    assert not problems, "\n".join(problems)
    assert checked >= 5


def _row_id(row: Any) -> str:
    if isinstance(row, dict) and "id" in row:
        return str(row["id"])
    return json.dumps(row, sort_keys=True, default=str)


async def _walk(client, url: str, headers: dict[str, str], limit: int | None, params: dict[str, str]) -> list[str]:
    rows: list[str] = []
    cursor = None
    for _ in range(10_000):
        q = dict(params)
        if limit is not None:
            q["limit"] = str(limit)
        if cursor is not None:
            q["cursor"] = cursor
        r = await client.get(url, params=q, headers=headers)
        assert r.status_code == 200, f"GET {url} {q}: {r.status_code} {r.text[:300]}"
        body = r.json()
        assert set(body) >= {"data", "has_more", "next_cursor"}, f"GET {url}: {sorted(body)}"
        if limit is not None:
            assert len(body["data"]) <= limit
        rows += [_row_id(x) for x in body["data"]]
        assert body["has_more"] == (body["next_cursor"] is not None), f"GET {url}: has_more and next_cursor disagree"
        if not body["has_more"]:
            return rows
        assert body["data"], f"GET {url}: an empty page that says more rows follow"
        cursor = body["next_cursor"]
    raise AssertionError(f"GET {url}: no end after 10,000 pages")


#: query parameters a list needs (the others are optional filters)
def _required_query(path: str, op: dict, samples: dict[str, str], extra: dict[str, str]) -> dict[str, str] | None:
    out = {}
    for p in op.get("parameters", []):
        if p.get("in") == "query" and p.get("required"):
            value = extra.get(p["name"]) or samples.get(p["name"])
            if value is None:
                return None
            out[p["name"]] = value
    return out


async def test_the_walker_pages_every_list_route_with_every_row_exactly_once(app, client, tenant_a):
    t = tenant_a
    extra = await _seed_every_kind(app, client, t)
    t.extra = {**extra, "receipt_id": extra["settlement_receipt_id"]}
    samples = _id_samples(t)
    creds = await _credentials(client, t)
    roles = {(m, p): r for m, p, r in _routes()}
    doc = app.openapi()
    walked, unreachable, with_rows = [], [], 0
    for path, op in _list_operations(doc):
        url = _path_url(path, samples)
        params = _required_query(path, op, samples, extra)
        allowed = roles.get(("GET", path), frozenset())
        role = next((r for r in ("system", "admin", "finance", "approver", "sme", "platform") if r in allowed), None)
        if url is None or params is None or role is None:
            unreachable.append(path)
            continue
        limit = next(p for p in op["parameters"] if p["name"] == "limit")["schema"]
        maximum = limit.get("maximum")
        assert maximum and maximum <= 1000, f"GET {path}: ?limit= without a documented maximum"
        h = creds[role]
        one = await _walk(client, url, h, 1, params)
        default = await _walk(client, url, h, None, params)
        most = await _walk(client, url, h, maximum, params)
        assert len(one) == len(set(one)), f"GET {path}: a row seen twice at limit=1"
        assert one == default == most, f"GET {path}: limit=1, default and {maximum} disagree: {len(one)} / {len(default)} / {len(most)} rows"
        with_rows += len(one) >= 2
        foreign = base64_cursor_of_another_list()
        r = await client.get(url, params={**params, "cursor": foreign}, headers=h)
        assert r.status_code == 422 and r.json()["code"] == "invalid_cursor", f"GET {path} with another list's cursor: {r.status_code} {r.text[:200]}"
        r = await client.get(url, params={**params, "cursor": "not-a-cursor!"}, headers=h)
        assert r.status_code == 422, f"GET {path} with a garbage cursor: {r.status_code}"
        walked.append(path)
    assert not unreachable, f"list routes the walker cannot reach (seed their ids or required parameters here): {unreachable}"
    assert len(walked) >= 20 and with_rows >= 10, (len(walked), with_rows)


def base64_cursor_of_another_list() -> str:
    from api.paging import encode_cursor

    return encode_cursor(f"no-such-list-{uuid.uuid4().hex[:6]}", ["x"])
