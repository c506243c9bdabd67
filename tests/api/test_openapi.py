"""The OpenAPI document is truthful: ids, security, Idempotency-Key, errors,
examples, tags and webhooks are checked against the route table, the event
emitters' source and the running app; the docs pages work offline."""

from __future__ import annotations

import ast
import base64
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute, iter_route_contexts
from sqlalchemy.ext.asyncio import create_async_engine

from api import events as E
from api.app import create_app
from api.openapi import TAGS, route_facts
from ledger.config import Settings

ROOT = Path(__file__).resolve().parents[2]
PROBLEM = "application/problem+json"
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("openapi")
    settings = Settings(data_dir=tmp / "data", ledger_signing_key=base64.b64encode(b"\x07" * 32).decode(), secret_key=base64.b64encode(b"\x09" * 32).decode())
    app = create_app(settings, create_async_engine(f"sqlite+aiosqlite:///{tmp}/unused.db"), background_jobs=False)
    return app, app.openapi()


@pytest.fixture(scope="module")
def doc(built) -> dict[str, Any]:
    return built[1]


def operations(doc) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, op) for path, ops in doc["paths"].items() for method, op in ops.items() if method in METHODS]


def facts(app) -> dict[tuple[str, str], Any]:
    return {
        (rc.path, m.lower()): route_facts(rc.original_route)
        for rc in iter_route_contexts(app.routes) if isinstance(rc.original_route, APIRoute) and rc.original_route.include_in_schema for m in rc.methods or ()
    }


def resolve(doc, schema: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    return doc["components"]["schemas"][ref.rsplit("/", 1)[-1]] if ref else schema


# -- ids, tags, security ---------------------------------------------------------------------


def test_the_document_is_openapi_3_1(doc):
    assert doc["openapi"].startswith("3.1")
    assert len(operations(doc)) > 100


def test_operation_ids_are_resource_action_and_unique(doc):
    ids = [op["operationId"] for _p, _m, op in operations(doc)]
    bad = [i for i in ids if not re.fullmatch(r"[a-z_]+_[a-z_]+", i)]
    assert not bad, bad
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert not dupes, dupes
    by_label = {f"{m.upper()} {p}": op["operationId"] for p, m, op in operations(doc)}
    # the rule, on a few well-known operations
    assert by_label["POST /v1/ledgers/{ledger_id}/transactions"] == "transactions_create"
    assert by_label["GET /v1/ledgers/{ledger_id}/accounts"] == "accounts_list"
    assert by_label["GET /v1/accounts/{account_id}"] == "accounts_get"
    assert by_label["POST /v1/receipts/{receipt_id}/release"] == "receipts_release"
    assert by_label["GET /v1/recon/accounts"] == "recon_accounts_list"


def test_operation_ids_are_stable(built):
    app, doc = built
    again = create_app(app.state.ctx.settings, app.state.ctx.engine, background_jobs=False).openapi()
    assert [op["operationId"] for *_x, op in operations(again)] == [op["operationId"] for *_x, op in operations(doc)]


def test_every_tag_is_described(doc):
    described = {t["name"]: t.get("description") for t in doc.get("tags", [])}
    used = {t for _p, _m, op in operations(doc) for t in op.get("tags", [])}
    assert used, "no tags"
    missing = sorted(t for t in used if not described.get(t))
    assert not missing, missing
    assert set(TAGS) >= used


def test_authenticated_operations_declare_bearer_security(built):
    app, doc = built
    schemes = doc["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {**schemes["bearerAuth"], "type": "http", "scheme": "bearer"}
    assert "X-Xborder-Signature" in schemes["bearerAuth"]["description"]
    table = facts(app)
    for path, method, op in operations(doc):
        authenticated = table[(path, method)].authenticated
        assert bool(op.get("security")) == authenticated, f"{method.upper()} {path}"
        if authenticated:
            assert op["security"] == [{"bearerAuth": []}]
    unauthenticated = {f"{m.upper()} {p}" for p, m, op in operations(doc) if not op.get("security")}
    assert unauthenticated == {"GET /healthz", "GET /readyz", "GET /metrics", "POST /v1/auth/token"}


# -- Idempotency-Key ----------------------------------------------------------------------------


def _key_param(op) -> dict[str, Any] | None:
    return next((p for p in op.get("parameters", []) if p["in"] == "header" and p["name"] == "Idempotency-Key"), None)


def test_idempotency_key_is_documented_required_exactly_where_enforced(built):
    app, doc = built
    table = facts(app)
    enforced = set()
    for path, method, op in operations(doc):
        param = _key_param(op)
        if table[(path, method)].idempotent:
            enforced.add(f"{method.upper()} {path}")
            assert param is not None and param["required"] is True, f"{method.upper()} {path}"
            assert param["schema"]["maxLength"] == 255 and param["schema"]["minLength"] == 1
        else:
            assert param is None, f"{method.upper()} {path} documents an Idempotency-Key it does not use"
    assert {"POST /v1/ledgers/{ledger_id}/transactions", "POST /v1/receipts", "POST /v1/payments", "POST /v1/conversions"} <= enforced


async def test_a_route_that_enforces_the_key_refuses_a_request_without_it(client, tenant_a):
    from .conftest import transfer

    url = f"/v1/ledgers/{tenant_a.ledger_id}/transactions"
    doc = (await client.get("/openapi.json")).json()
    assert _key_param(doc["paths"]["/v1/ledgers/{ledger_id}/transactions"]["post"])["required"] is True
    body = transfer(tenant_a, "bank", "merchant", "10.00")
    r = await client.post(url, json=body, headers=tenant_a.h())
    assert r.status_code == 400 and r.headers["content-type"] == PROBLEM
    assert r.json()["code"] == "idempotency_key_missing"
    # missing key and an invalid body: the key is reported (as before any body check)
    r = await client.post(url, json={"postings": "nonsense"}, headers=tenant_a.h())
    assert (r.status_code, r.json()["code"]) == (400, "idempotency_key_missing")
    for bad in ("", "   ", '""', "x" * 256):
        r = await client.post(url, json=body, headers=tenant_a.h(**{"Idempotency-Key": bad}))
        assert (r.status_code, r.json()["code"]) == (400, "idempotency_key_invalid"), (bad, r.text)
    # nothing was written by the refusals
    r = await client.get(url, headers=tenant_a.h())
    assert r.status_code == 200
    listed = r.json()
    assert (listed.get("data") if isinstance(listed, dict) and "data" in listed else listed.get("items", listed)) == []
    r = await client.post(url, json=body, headers=tenant_a.h(**{"Idempotency-Key": '"quoted-key-1"'}))
    assert r.status_code == 201, r.text
    again = await client.post(url, json=body, headers=tenant_a.h(**{"Idempotency-Key": '"quoted-key-1"'}))
    assert again.status_code == 201 and again.content == r.content and again.headers["idempotent-replayed"] == "true"


async def test_a_key_on_an_unauthenticated_request_is_a_401_first(client, tenant_a):
    r = await client.post(f"/v1/ledgers/{tenant_a.ledger_id}/transactions", json={})
    assert r.status_code == 401


# -- errors -----------------------------------------------------------------------------------


def test_errors_are_problem_json_with_one_problem_schema(doc):
    schemas = doc["components"]["schemas"]
    assert "HTTPValidationError" not in schemas and "ValidationError" not in schemas
    assert {"type", "title", "status", "code"} <= set(schemas["Problem"]["required"])
    for path, method, op in operations(doc):
        for status, response in op["responses"].items():
            if status[0] in "45":
                assert set(response.get("content", {})) == {PROBLEM}, f"{method.upper()} {path} {status}"
                assert response["content"][PROBLEM]["schema"] == {"$ref": "#/components/schemas/Problem"}


def test_each_operation_lists_only_the_statuses_it_can_return(built):
    app, doc = built
    table = facts(app)
    for path, method, op in operations(doc):
        label = f"{method.upper()} {path}"
        errors = {int(s) for s in op["responses"] if s[0] in "45"}
        f = table[(path, method)]
        assert ({401, 403} <= errors) == f.authenticated or label == "POST /v1/auth/token", label
        assert (400 in errors) == f.idempotent, label
        if 413 in errors:
            assert "requestBody" in op, label
        if "requestBody" in op:
            assert {413, 422} <= errors, label
        if any(p["in"] == "path" for p in op.get("parameters", [])):
            assert {404, 422} <= errors, label
        if method == "get" and not f.idempotent:
            assert 409 not in errors, label
        if path not in ("/healthz", "/metrics"):
            assert 503 in errors, label
        assert errors < {400, 401, 403, 404, 409, 413, 422, 429, 502, 503}, label
        # 429 login_throttled: only where a password is checked
        assert (429 in errors) == (label in ("POST /v1/auth/token", "POST /v1/auth/password")), label
    ledgers = doc["paths"]["/v1/ledgers"]["get"]["responses"]
    # a paged list: 422 for a bad ?limit= or ?cursor=, nothing else it cannot return
    assert {s for s in ledgers if s[0] in "45"} == {"401", "403", "422", "503"}


def test_the_problem_example_names_money_as_decimal_strings(doc):
    for example in doc["components"]["schemas"]["Problem"]["examples"]:
        for key, value in example.items():
            assert not key.endswith("_minor"), key
            if key in ("available", "requested", "remaining", "amount"):
                assert isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value), (key, value)


def test_no_minor_units_in_the_contract(doc):
    """Convention 3: no ``*_minor`` member in any schema of the document."""
    found = []
    for name, schema in doc["components"]["schemas"].items():
        for prop in schema.get("properties", {}):
            if prop.endswith("_minor"):
                found.append(f"{name}.{prop}")
    for path, method, op in operations(doc):
        found += [f"{method.upper()} {path} ?{p['name']}" for p in op.get("parameters", []) if p["name"].endswith("_minor")]
    assert not found, found


# -- request bodies ---------------------------------------------------------------------------


def _has_example(doc, media: dict[str, Any]) -> bool:
    if media.get("example") is not None or media.get("examples"):
        return True
    schema = media.get("schema", {})
    if schema.get("format") == "binary" or schema.get("type") == "string":
        return True  # a file or raw text upload: the description names the format
    target = resolve(doc, schema)
    return bool(target.get("examples") or target.get("example") is not None)


def test_every_request_body_has_an_example(doc):
    missing = []
    for path, method, op in operations(doc):
        for media_type, media in op.get("requestBody", {}).get("content", {}).items():
            if media_type == "multipart/form-data":
                continue
            if not _has_example(doc, media):
                missing.append(f"{method.upper()} {path} ({media_type})")
    assert not missing, f"{len(missing)} request bodies without an example:\n" + "\n".join(missing)


# -- webhooks and the event catalogue ------------------------------------------------------------


def test_webhooks_describe_every_catalogued_event(doc):
    hooks = doc["webhooks"]
    assert set(hooks) == {e.type for e in E.CATALOGUE}
    for e in E.CATALOGUE:
        op = hooks[e.type]["post"]
        ref = op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        schema = doc["components"]["schemas"][ref.rsplit("/", 1)[-1]]
        assert schema["properties"]["type"] == {"const": e.type}
        data = resolve(doc, schema["properties"]["data"])
        assert data.get("properties"), e.type
        assert not [p for p in data["properties"] if p.endswith("_minor")], e.type
        assert re.fullmatch(r"webhook_[a-z_]+", op["operationId"])
    envelope = doc["components"]["schemas"]["EventEnvelope"]
    assert {"id", "type", "created_at", "institution_id", "data"} <= set(envelope["required"])


class _Emitted(ast.NodeVisitor):
    """The event types one module emits: the type argument of ``emit_event``
    and the first item of tuples appended to ``.events`` (batched through
    ``emit_events``), resolved through local assignments, dict lookups,
    conditional expressions, the arguments of the enclosing function's
    callers and f-strings over a ``values`` dict's ``status``."""

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.funcs = {n.name: n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
        self.parent: dict[ast.AST, ast.AST] = {}
        for node in ast.walk(tree):
            for child in ast.iter_child_nodes(node):
                self.parent[child] = node
        self.types: set[str] = set()
        self.unresolved: list[str] = []
        self.payload_keys: set[str] = set()

    def run(self) -> None:
        for node in ast.walk(self.tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr if isinstance(node.func, ast.Attribute) else ""
            if name == "emit_event" and len(node.args) >= 3:
                self._add(node.args[2], node)
                if len(node.args) >= 4:
                    self._payload(node.args[3], node)
            elif name == "append" and self._appends_event(node):
                self._add(node.args[0].elts[0], node)
                if len(node.args[0].elts) > 1:
                    self._payload(node.args[0].elts[1], node)

    def _payload(self, expr: ast.AST, at: ast.AST) -> None:
        """The keys of a payload written as a dict literal (directly, or
        assigned to the name passed), nested dicts included."""
        if isinstance(expr, ast.Name):
            func = self._func(at, expr.id)
            for node in ast.walk(func) if func else ():
                if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == expr.id for t in node.targets):
                    self._payload(node.value, node)
            return
        for node in ast.walk(expr):
            if isinstance(node, ast.Dict):
                self.payload_keys |= {k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)}

    @staticmethod
    def _appends_event(call: ast.Call) -> bool:
        """``<x>.events.append((type, payload))``"""
        target = call.func.value if isinstance(call.func, ast.Attribute) else None
        return isinstance(target, ast.Attribute) and target.attr == "events" and bool(call.args) and isinstance(call.args[0], ast.Tuple)

    def _add(self, expr: ast.AST, at: ast.AST) -> None:
        values = self._values(expr, at, depth=0)
        if not values:
            self.unresolved.append(ast.unparse(expr))
        self.types |= values

    def _func(self, node: ast.AST, name: str | None = None) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        """The enclosing function (that binds ``name``: closures look outwards)."""
        first = None
        while node in self.parent:
            node = self.parent[node]
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                first = first or node
                if name is None or name in [a.arg for a in node.args.args + node.args.kwonlyargs] or any(
                    isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in n.targets) for n in ast.walk(node)
                ):
                    return node
        return first

    def _caller_args(self, func, param: str) -> list[tuple[ast.AST, ast.AST]]:
        names = [a.arg for a in func.args.args + func.args.kwonlyargs]
        if param not in names:
            return []
        index = names.index(param)
        out = []
        for call in ast.walk(self.tree):
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == func.name:
                if index < len(call.args):
                    out.append((call.args[index], call))
                out += [(k.value, call) for k in call.keywords if k.arg == param]
        return out

    def _values(self, expr: ast.AST, at: ast.AST, depth: int) -> set[str]:
        if depth > 4:
            return set()
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return {expr.value}
        if isinstance(expr, ast.IfExp):
            return self._values(expr.body, at, depth + 1) | self._values(expr.orelse, at, depth + 1)
        if isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Dict):
            return set().union(*(self._values(v, at, depth + 1) for v in expr.value.values))
        if isinstance(expr, ast.Name):
            func = self._func(at, expr.id)
            out: set[str] = set()
            for node in ast.walk(func) if func else ():
                if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == expr.id for t in node.targets):
                    out |= self._values(node.value, node, depth + 1)
            for arg, call in self._caller_args(func, expr.id) if func else ():
                out |= self._values(arg, call, depth + 1)
            return out
        if isinstance(expr, ast.JoinedStr):
            prefix = "".join(v.value for v in expr.values if isinstance(v, ast.Constant))
            inner = next(v.value for v in expr.values if isinstance(v, ast.FormattedValue))
            if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Attribute) and isinstance(inner.func.value, ast.Name) and inner.args:
                func = self._func(at, inner.func.value.id)
                key = inner.args[0].value if isinstance(inner.args[0], ast.Constant) else None
                out = set()
                for arg, _call in self._caller_args(func, inner.func.value.id) if func else ():
                    if isinstance(arg, ast.Dict):
                        out |= {prefix + v.value for k, v in zip(arg.keys, arg.values, strict=True) if isinstance(k, ast.Constant) and k.value == key and isinstance(v, ast.Constant)}
                return out
        return set()


def emitted_event_types() -> tuple[set[str], list[str]]:
    types: set[str] = set()
    unresolved: list[str] = []
    for package in ("ledger", "settlement", "financing", "recon", "api"):
        for path in sorted((ROOT / package).rglob("*.py")):
            text = path.read_text()
            if "emit_event" not in text and ".events.append" not in text:
                continue
            visitor = _Emitted(ast.parse(text))
            visitor.run()
            types |= visitor.types
            unresolved += [f"{path.relative_to(ROOT)}: {u}" for u in visitor.unresolved]
    return types, unresolved


def test_event_payloads_carry_no_minor_units():
    """Convention 3 for webhooks: the emitters' payload literals name no
    ``*_minor`` member (amounts are decimal strings with their currency)."""
    found = []
    for package in ("ledger", "settlement", "financing", "recon", "api"):
        for path in sorted((ROOT / package).rglob("*.py")):
            text = path.read_text()
            if "emit_event" not in text and ".events.append" not in text:
                continue
            visitor = _Emitted(ast.parse(text))
            visitor.run()
            found += [f"{path.relative_to(ROOT)}: {k}" for k in sorted(visitor.payload_keys) if k.endswith("_minor")]
    assert not found, found


def test_the_catalogue_lists_exactly_the_emitted_event_types():
    emitted, unresolved = emitted_event_types()
    assert not unresolved, f"event types the test cannot resolve (name them with a literal): {unresolved}"
    assert len(emitted) >= 24
    catalogued = {e.type for e in E.CATALOGUE}
    assert not emitted - catalogued, f"emitted but not in api/events.py: {sorted(emitted - catalogued)}"
    assert not catalogued - emitted, f"catalogued but emitted nowhere: {sorted(catalogued - emitted)}"


# -- methods ----------------------------------------------------------------------------------


async def test_405_and_options_carry_allow(client):
    for method, url, allow in [
        ("DELETE", "/v1/ledgers", "GET, POST"),
        ("OPTIONS", "/v1/ledgers", "GET, POST"),
        ("PUT", "/v1/accounts/0196a3c2-7b1e-7c4a-9d0e-5f1a2b3c4d5e", "GET"),
        ("PATCH", "/healthz", "GET"),
    ]:
        r = await client.request(method, url)
        assert r.status_code == 405, (method, url)
        assert r.headers["allow"] == allow, (method, url, r.headers.get("allow"))
        assert r.headers["content-type"] == PROBLEM and r.json()["code"] == "method_not_allowed"


# -- offline docs -------------------------------------------------------------------------------


class _Refs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("src", "href", "spec-url") and value:
                self.refs.append(value)


async def test_docs_pages_and_their_assets_are_served_by_the_app(client):
    for page in ("/docs", "/redoc"):
        r = await client.get(page)
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
        assert not re.search(r"(https?:)?//[a-z0-9.-]+", r.text, re.IGNORECASE), f"{page} names an external host"
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "default-src 'none'" in csp and "connect-src 'self'" in csp
        parser = _Refs()
        parser.feed(r.text)
        assert parser.refs, page
        for ref in parser.refs:
            assert ref.startswith("/"), (page, ref)
            asset = await client.get(ref)
            assert asset.status_code == 200, (page, ref)
            assert len(asset.content) > 100, (page, ref)
        scripts = [ref for ref in parser.refs if ref.endswith(".js")]
        assert scripts, page
    init = (await client.get("/docs/assets/swagger-init.js")).text
    assert "/openapi.json" in init and "validatorUrl: null" in init
    assert (await client.get("/docs/assets/../app.py")).status_code == 404
    assert (await client.get("/docs/assets/unknown.js")).status_code == 404


async def test_every_path_answers_undocumented_methods_405_with_its_allow(client, built):
    """Schemathesis' ``unsupported_method`` and ``allow_header_conformance``
    on every path of the document: each method the path does not document
    (and ``OPTIONS``) is 405 with ``Allow`` naming exactly the documented ones,
    before authentication."""
    _app, doc = built
    templates = [(re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", p) + "$"), {m.upper() for m in ops}) for p, ops in doc["paths"].items()]
    wrong = []
    for path, ops in doc["paths"].items():
        documented = sorted(m.upper() for m in ops if m in METHODS)
        url = re.sub(r"\{[^}]+\}", "0196a3c2-7b1e-7c4a-9d0e-5f1a2b3c4d5e", path)
        for method in sorted({"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"} - set(documented)):
            r = await client.request(method, url)
            # /advances/overdue-sweep is also /advances/{advance_id}: GET goes there (and is authenticated)
            routed_elsewhere = any(t.match(url) and method in methods for t, methods in templates)
            if routed_elsewhere:
                assert r.status_code == 401, (method, url, r.status_code)
            elif r.status_code != 405 or r.headers.get("allow") != ", ".join(documented):
                wrong.append(f"{method} {path}: {r.status_code} Allow={r.headers.get('allow')!r} (documented {documented})")
    assert not wrong, "\n".join(wrong)
