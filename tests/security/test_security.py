"""Bad input and security (issue #7), through real HTTP semantics on SQLite
and PostgreSQL:

* credentials: missing, malformed, expired (a user token past its TTL, a key
  past its expiry), revoked, rotated beyond the grace period -> 401 problems;
* signatures when an institution requires them: missing, wrong, replayed,
  stale or future timestamps -> 401;
* roles: role escalation attempts (403 ``forbidden_role``), an SME user never
  reaches another merchant's loans (404), a platform key never reaches bank
  routes; the whole role x scope x route matrix is
  ``tests/security/test_access_matrix.py``;
* tenancy: the path-id walker of ``tests/api/test_api.py`` (reused, not
  copied) with *real* ids of the other institution for every kind of object
  and every staff role, plus ids of the other institution in bodies and
  query parameters;
* injection: SQL and NUL / huge unicode strings in every text field of every
  JSON body and every text query parameter of the OpenAPI document -> never
  a 5xx, and nothing written when the request was refused;
* oversized bodies (Content-Length and chunked) -> 413, oversized batches
  (every array with ``maxItems`` in a request body) -> 422/413;
* personal data never in clear: in no column of any table, in no log record
  and in no error message.
"""

from __future__ import annotations

import copy
import itertools
import json
import logging
import re
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import text

from api.auth import ALL_ROLES, create_user, set_require_signing, sign_request
from api.observability import JsonFormatter
from financing.loans import apply as apply_loan
from financing.products import create_product
from ledger.clock import business_today
from tests.api.conftest import PASSWORD, issue_key, submit_and_approve, transfer
from tests.api.test_api import _id_samples, _valid_body

PROBLEM = "application/problem+json"


def _problem(r, status: int | tuple[int, ...], code: str | None = None) -> dict:
    statuses = (status,) if isinstance(status, int) else status
    assert r.status_code in statuses, f"{r.request.method} {r.request.url.path}: {r.status_code} {r.text[:500]}"
    assert r.headers["content-type"].startswith(PROBLEM), r.headers["content-type"]
    body = r.json()
    assert body["status"] == r.status_code and body["type"].endswith("/" + body["code"])
    if code is not None:
        assert body["code"] == code, body
    return body


def _routes() -> list[tuple[str, str, frozenset[str]]]:
    """(method, path, roles) of every authenticated API route, from the route table."""
    from fastapi.routing import APIRoute

    from api.app import _routers

    def roles_of(dependant) -> set[str]:
        out: set[str] = set()
        for d in dependant.dependencies:
            out |= set(getattr(d.call, "roles", ()) or ())
            out |= roles_of(d)
        return out

    found = []
    for router in _routers():
        for route in router.routes:
            if isinstance(route, APIRoute):
                roles = roles_of(route.dependant)
                for method in sorted(route.methods):
                    if roles:
                        found.append((method, route.path, frozenset(roles)))
    return found


async def _platform_key(client, t, code: str = "shopx") -> dict[str, str]:
    issued = await issue_key(client, t, {"name": code, "role": "platform", "platform_code": code})  # four eyes: active once approved
    return {"Authorization": f"Bearer {issued['key']}"}


_PREFERENCE = ("system", "admin", "finance", "approver", "sme", "platform")


def _caller(creds: dict[str, dict[str, str]], roles: dict[tuple[str, str], frozenset[str]], method: str, path: str) -> dict[str, str]:
    """The credential of the first role (system first) a route admits."""
    allowed = roles.get((method, path), frozenset(ALL_ROLES))
    return creds[next(r for r in _PREFERENCE if r in allowed)]


async def _credentials(client, t) -> dict[str, dict[str, str]]:
    """Authorization headers of every role of institution ``t``."""
    creds = {"system": t.h(), "platform": await _platform_key(client, t)}
    for role in ("admin", "finance", "approver", "sme"):
        creds[role] = t.as_user(role)
    assert set(creds) == set(ALL_ROLES)
    return creds


# == credentials ==========================================================================


@pytest.mark.parametrize(
    "authorization,code",
    [
        (None, "credentials_missing"),
        ("", "credentials_missing"),
        ("Bearer", "credentials_missing"),
        ("Bearer    ", "credentials_missing"),
        ("Basic dXNlcjpwYXNz", "credentials_missing"),
        ("Token xb_abc_def", "credentials_missing"),
        ("Bearer xb_", "credentials_invalid"),
        ("Bearer xb__secret", "credentials_invalid"),
        ("Bearer xb_nothing", "credentials_invalid"),
        ("Bearer xb_' OR 1=1 --_x", "credentials_invalid"),
        ("Bearer xb_{}_{}".format("a" * 500, "b" * 5000), "credentials_invalid"),
        ("Bearer not-a-credential", "credentials_invalid"),
        ("Bearer xbt.", "token_invalid"),
        ("Bearer xbt.abc.def", "token_invalid"),
        ("Bearer xbt.' OR 1=1 --", "token_invalid"),
        ("Bearer xbt.%s" % ("A" * 10000), "token_invalid"),
    ],
    ids=lambda v: v if v is None or len(v) < 40 else f"{v[:20]}...({len(v)} chars)",
)
async def test_missing_and_malformed_credentials_are_401_problems(client, tenant_a, authorization, code):
    headers = {} if authorization is None else {"Authorization": authorization}
    for method, path in (("GET", "/v1/ledgers"), ("GET", "/v1/me"), ("POST", f"/v1/ledgers/{tenant_a.ledger_id}/transactions")):
        r = await client.request(method, path, headers={**headers, "Idempotency-Key": "k"}, json=transfer(tenant_a, "bank", "fees", "1.00") if method == "POST" else None)
        body = _problem(r, 401, code)
        assert r.headers["www-authenticate"].startswith("Bearer")
        assert tenant_a.key not in r.text and "xb_" not in body.get("detail", "")


async def test_a_user_token_past_its_ttl_is_refused(client, tenant_a, app, monkeypatch):
    """The real token from the login, once its TTL has passed (the clock moved
    past ``exp``), answers 401 ``token_invalid``; one second earlier it works."""
    import ledger.crypto

    ttl = app.state.ctx.settings.token_ttl_seconds
    headers = tenant_a.as_user("finance")
    real = time.time
    assert (await client.get("/v1/me", headers=headers)).status_code == 200
    monkeypatch.setattr(ledger.crypto, "time", SimpleNamespace(time=lambda: real() + ttl - 60))
    assert (await client.get("/v1/me", headers=headers)).status_code == 200
    monkeypatch.setattr(ledger.crypto, "time", SimpleNamespace(time=lambda: real() + ttl + 2))
    for role in ("finance", "admin", "approver", "sme"):
        _problem(await client.get("/v1/me", headers=tenant_a.as_user(role)), 401, "token_invalid")
    # a token from a login with another institution's signing secret is refused too
    forged = tenant_a.tokens["admin"].rsplit(".", 1)[0] + ".AAAA"
    monkeypatch.undo()
    _problem(await client.get("/v1/me", headers={"Authorization": f"Bearer {forged}"}), 401, "token_invalid")


async def test_revoked_and_rotated_beyond_grace_keys_are_refused(client, tenant_a, monkeypatch):
    issue = lambda name: issue_key(client, tenant_a, {"name": name})  # noqa: E731
    revoked = await issue("to-revoke")
    rh = {"Authorization": f"Bearer {revoked['key']}"}
    assert (await client.get("/v1/ledgers", headers=rh)).status_code == 200
    assert (await client.post(f"/v1/api-keys/{revoked['id']}/revoke", headers=tenant_a.h())).status_code == 200
    _problem(await client.get("/v1/ledgers", headers=rh), 401, "credentials_revoked")
    # a revoked key cannot revive itself by rotation
    _problem(await client.post(f"/v1/api-keys/{revoked['id']}/rotate", json={"grace_seconds": 0}, headers=rh), 401, "credentials_revoked")

    rotated = await issue("to-rotate")
    oh = {"Authorization": f"Bearer {rotated['key']}"}
    grace = 600
    r = await client.post(f"/v1/api-keys/{rotated['id']}/rotate", json={"grace_seconds": grace}, headers=tenant_a.h())
    assert r.status_code == 201, r.text
    nh = {"Authorization": f"Bearer {r.json()['key']}"}
    assert (await client.get("/v1/ledgers", headers=oh)).status_code == 200  # within the grace period
    import api.auth
    from ledger.clock import utc_now

    # the clock of the authentication, past the grace period
    monkeypatch.setattr(api.auth, "utc_now", lambda: utc_now() + timedelta(seconds=grace + 1))
    _problem(await client.get("/v1/ledgers", headers=oh), 401, "credentials_expired")
    _problem(await client.post("/v1/api-keys", json={"name": "revive"}, headers=oh), 401, "credentials_expired")
    assert (await client.get("/v1/ledgers", headers=nh)).status_code == 200


async def test_a_platform_key_of_another_institution_or_a_wrong_secret_is_refused(client, tenant_a, tenant_b):
    # the right prefix with another secret
    prefix = tenant_a.key.split("_")[1]
    _problem(await client.get("/v1/ledgers", headers={"Authorization": f"Bearer xb_{prefix}_{'x' * 43}"}), 401, "credentials_invalid")
    # B's key only ever sees B
    mine = (await client.get("/v1/ledgers", headers=tenant_b.h())).json()["data"]
    assert [x["id"] for x in mine] == [tenant_b.ledger_id]


# == signatures ============================================================================


async def test_signatures_when_required_wrong_replayed_stale_and_future_are_401(client, tenant_a, app):
    async with app.state.ctx.engine.begin() as conn:
        await set_require_signing(conn, tenant_a.institution_id, True)
    path = f"/v1/ledgers/{tenant_a.ledger_id}/transactions"
    body = json.dumps(transfer(tenant_a, "bank", "fees", "1.00")).encode()
    base = {"Content-Type": "application/json"}

    def signed(key: str, ts: int | None = None, secret: str | None = None, p: str = path, b: bytes = body) -> dict[str, str]:
        return {**tenant_a.h(**base, **{"Idempotency-Key": key}), **sign_request(secret or tenant_a.signing_secret, "POST", p, b, ts)}

    counted = itertools.count(1)
    started = int(time.time())  # timestamps started - 1, started - 2, ...: never the same twice

    async def count() -> int:
        # a user token: signed with its session's signing secret (the rule applies to every credential kind);
        # each call signs another timestamp (the same signature twice is a replay)
        vpath = f"/v1/ledgers/{tenant_a.ledger_id}/verification"
        h = tenant_a.as_user("admin", **sign_request(tenant_a.signing["admin"], "GET", vpath, b"", started - next(counted)))
        return (await client.get(vpath, headers=h)).json()["transactions_checked"]

    _problem(await client.post(path, content=body, headers=tenant_a.h(**base, **{"Idempotency-Key": "s0"})), 401, "signature_required")
    h = signed("s1")
    h["X-Xborder-Signature"] = "v1=" + "f" * 64
    _problem(await client.post(path, content=body, headers=h), 401, "signature_invalid")
    _problem(await client.post(path, content=body, headers=signed("s2", secret="another secret")), 401, "signature_invalid")
    _problem(await client.post(path, content=body, headers=signed("s3", p="/v1/ledgers")), 401, "signature_invalid")
    _problem(await client.post(path, content=body + b" ", headers=signed("s4")), 401, "signature_invalid")
    h = signed("s5")
    h["X-Xborder-Signature"] = h["X-Xborder-Signature"][3:]  # without the version
    _problem(await client.post(path, content=body, headers=h), 401, "signature_invalid")
    h = signed("s6")
    del h["X-Xborder-Timestamp"]
    _problem(await client.post(path, content=body, headers=h), 401, "signature_invalid")
    h = signed("s7")
    h["X-Xborder-Timestamp"] = "-1"
    _problem(await client.post(path, content=body, headers=h), 401, "signature_invalid")
    # margins of a minute around the 5-minute window: a loaded machine takes seconds per request
    _problem(await client.post(path, content=body, headers=signed("s8", ts=int(time.time()) - 360)), 401, "signature_expired")
    _problem(await client.post(path, content=body, headers=signed("s9", ts=int(time.time()) + 360)), 401, "signature_expired")
    _problem(await client.post(path, content=body, headers=signed("s10", ts=int(time.time()) - 10**9)), 401, "signature_expired")
    assert await count() == 0  # nothing of the refused requests was posted
    ok = signed("s11", ts=int(time.time()) - 240)  # within the window
    assert (await client.post(path, content=body, headers=ok)).status_code == 201
    # the same signed request again (even with another Idempotency-Key header,
    # which is not signed) is a replay
    _problem(await client.post(path, content=body, headers=ok), 401, "signature_replayed")
    _problem(await client.post(path, content=body, headers={**ok, "Idempotency-Key": "s12"}), 401, "signature_replayed")
    assert await count() == 1
    # the rule applies to user tokens too (issue #18): unsigned is refused
    _problem(await client.get("/v1/me", headers=tenant_a.as_user("finance")), 401, "signature_required")


# == roles =================================================================================


@pytest.mark.parametrize(
    "role,method,path",
    [
        ("sme", "POST", "/v1/api-keys"),
        ("sme", "POST", "/v1/users"),
        ("sme", "GET", "/v1/audit-log"),
        ("sme", "GET", "/v1/customers"),
        ("sme", "POST", "/v1/receipts"),
        ("sme", "POST", "/v1/financing/products"),
        ("sme", "GET", "/v1/financing/portfolio"),
        ("finance", "POST", "/v1/api-keys"),
        ("finance", "POST", "/v1/users"),
        ("finance", "GET", "/v1/audit-log"),
        ("finance", "POST", "/v1/customers"),
        ("finance", "PUT", "/v1/settlement/config"),
        ("finance", "POST", "/v1/financing/lpr"),
        ("finance", "POST", "/v1/financing/loans/{x}/decision"),
        ("finance", "POST", "/v1/financing/loans/{x}/write-off"),
        ("finance", "POST", "/v1/receipts/{x}/release"),
        ("finance", "POST", "/v1/financing/loans/{x}/accept"),
        ("approver", "POST", "/v1/ledgers/{ledger}/transactions"),
        ("approver", "POST", "/v1/users"),
        ("admin", "POST", "/v1/ledgers/{ledger}/transactions"),
        ("admin", "POST", "/v1/receipts/{x}/release"),
        ("platform", "GET", "/v1/ledgers"),
        ("platform", "GET", "/v1/trade-data/orders"),
        ("platform", "GET", "/v1/customers"),
        ("platform", "POST", "/v1/receipts"),
        ("platform", "POST", "/v1/api-keys"),
        ("platform", "GET", "/v1/audit-log"),
        ("platform", "GET", "/v1/financing/loans"),
    ],
)
async def test_role_escalation_attempts_are_403(client, tenant_a, role, method, path):
    creds = await _credentials(client, tenant_a)
    url = path.format(ledger=tenant_a.ledger_id, x=uuid.uuid4())
    body = {"username": "mallory", "password": "p" * 12, "role": "admin"} if path == "/v1/users" else {"name": "escalate", "role": "system"} if path == "/v1/api-keys" else {}
    r = await client.request(method, url, json=body if method != "GET" else None, headers={**creds[role], "Idempotency-Key": str(uuid.uuid4())})
    _problem(r, 403, "forbidden_role")
    users = (await client.get("/v1/users", headers=tenant_a.h())).json()["data"]
    assert "mallory" not in {u["username"] for u in users}
    assert len((await client.get("/v1/api-keys", headers=tenant_a.h())).json()["data"]) == 2  # the fixture's and the platform key


@pytest.fixture
async def two_merchants(app, client, tenant_a):
    """Two merchants of A, an SME user for each, a product and one loan
    application of merchant 1."""
    from settlement.customers import open_customer

    ctx = app.state.ctx
    inst = tenant_a.institution_id
    stl = ctx.settlement
    m1 = await open_customer(ctx.ledger, stl.keyring, inst, ref="SME1", kind="enterprise", name="Small Exporter Ltd", fx_class="A", directory_registered=True)
    m2 = await open_customer(ctx.ledger, stl.keyring, inst, ref="SME2", kind="enterprise", name="Other Exporter Ltd", fx_class="A", directory_registered=True)
    async with ctx.engine.begin() as conn:
        await create_user(conn, inst, "sme1", PASSWORD, "sme", merchant_ref="SME1")
        await create_user(conn, inst, "sme2", PASSWORD, "sme", merchant_ref="SME2")
    tokens = {}
    for u in ("sme1", "sme2"):
        r = await client.post("/v1/auth/token", json={"institution": tenant_a.code, "username": u, "password": PASSWORD})
        tokens[u] = {"Authorization": f"Bearer {r.json()['access_token']}"}
    p = await client.post("/v1/financing/products", json={"code": "order-usd", "kind": "order", "currency": "USD", "config": {"fixed_rate": "0.073", "max_tenor_days": 180}}, headers=tenant_a.h(**{"Idempotency-Key": "sme-product"}))
    product = await submit_and_approve(client, tenant_a, p)  # four eyes
    loan = await client.post("/v1/financing/applications", json={"product_id": product["id"], "amount": "1000.00", "tenor_days": 30}, headers={**tokens["sme1"], "Idempotency-Key": "sme-apply"})
    assert loan.status_code == 201, loan.text
    return SimpleNamespace(m1=m1, m2=m2, tokens=tokens, product=product["id"], loan=loan.json())


async def test_an_sme_user_never_reaches_another_merchants_loans(client, tenant_a, two_merchants):
    sme2 = two_merchants.tokens["sme2"]
    lid = two_merchants.loan["id"]
    before = (await client.get(f"/v1/financing/loans/{lid}", headers=tenant_a.h())).json()
    _problem(await client.get(f"/v1/financing/loans/{lid}", headers=sme2), 404)
    _problem(await client.get(f"/v1/financing/loans/{lid}/dpd-history", headers=sme2), 404)
    _problem(await client.post(f"/v1/financing/loans/{lid}/accept", headers=sme2), 404)
    assert (await client.get("/v1/financing/loans", headers=sme2)).json()["data"] == []
    # a filter naming the other merchant does not widen the SME user's view
    assert (await client.get("/v1/financing/loans", params={"customer_id": str(two_merchants.m1.id)}, headers=sme2)).json()["data"] == []
    # nor can the SME user apply in the other merchant's name
    r = await client.post("/v1/financing/applications", json={"customer_id": str(two_merchants.m1.id), "product_id": two_merchants.product, "amount": "10.00", "tenor_days": 30}, headers={**sme2, "Idempotency-Key": "sme2-apply"})
    _problem(r, 404)
    # staff-only steps of the loan are refused to SME users, even their own
    sme1 = two_merchants.tokens["sme1"]
    _problem(await client.post(f"/v1/financing/loans/{lid}/decision", json={"approve": True}, headers=sme1), 403, "forbidden_role")
    _problem(await client.post(f"/v1/financing/loans/{lid}/disburse", headers={**sme1, "Idempotency-Key": "d"}), 403, "forbidden_role")
    assert (await client.get(f"/v1/financing/loans/{lid}", headers=sme1)).status_code == 200
    after = (await client.get(f"/v1/financing/loans/{lid}", headers=tenant_a.h())).json()
    assert after == before
    assert [x["id"] for x in (await client.get("/v1/financing/loans", headers=tenant_a.h())).json()["data"]] == [lid]


# == injection: every text field of every body and query parameter ==========================

INJECTIONS = {
    "or-1-eq-1": "' OR 1=1 --",
    "drop-table": '"; DROP TABLE postings; --',
    "nul": "abc\x00def",
    "long-unicode": "中文ñ😀\u202e" * 4000,
}

#: tables a refused request may still write, by design: the idempotency store
#: keeps refusals so that a retry gets the same answer byte for byte
_WRITTEN_ON_REFUSAL = {"http_idempotency", "ledger_idempotency", "request_signatures"}
#: and a rejected trade record is held with its reason (and an event says so)
_HELD_ON_REFUSAL = {"/v1/trade-data/": {"trade_rejects", "outbox_events"},
                    # a refused login or password change is counted (throttling) and audited
                    "/v1/auth/": {"login_throttle", "audit_log"}}


class _Sampler:
    """Minimal valid values for the JSON schemas of the OpenAPI document,
    with real ids of one institution for id fields, and every text leaf of
    a body (the places an injection string goes)."""

    def __init__(self, doc: dict, ids: dict[str, str]) -> None:
        self.doc = doc
        self.ids = ids

    def resolve(self, s: dict) -> dict:
        while "$ref" in s:
            name = s["$ref"].split("/")[-1]
            s = self.doc["components"]["schemas"][name]
        if "allOf" in s and len(s["allOf"]) == 1:
            return self.resolve({**{k: v for k, v in s.items() if k != "allOf"}, **s["allOf"][0]})
        return s

    def non_null(self, s: dict) -> dict:
        s = self.resolve(s)
        for key in ("anyOf", "oneOf"):
            if key in s:
                options = [self.resolve(o) for o in s[key] if self.resolve(o).get("type") != "null"]
                if options:
                    return {**{k: v for k, v in s.items() if k != key}, **options[0]}
        return s

    def id_for(self, name: str) -> str:
        for key, value in self.ids.items():
            if name == key or name.endswith("_" + key) or name.endswith(key):
                return value
        return str(uuid.uuid4())

    def value(self, s: dict, name: str = "") -> Any:
        s = self.non_null(s)
        if "const" in s:
            return s["const"]
        if "enum" in s:
            return s["enum"][0]
        if s.get("examples"):
            return copy.deepcopy(s["examples"][0])
        if "default" in s and s["default"] is not None and s.get("type") != "object":
            return copy.deepcopy(s["default"])
        t = s.get("type")
        fmt = s.get("format")
        if t == "string":
            if name == "merchant_ref":
                return self.ids.get("merchant_ref", "M001")
            if fmt == "uuid":
                return self.id_for(name)
            if fmt == "date":
                return date.today().isoformat()
            if fmt == "date-time":
                return datetime.now(UTC).isoformat()
            pattern = s.get("pattern", "")
            if pattern == "^[A-Z]{3}$" or name.endswith("currency"):
                return "USD"
            if pattern == "^[A-Z]{2}$" or name.endswith("country"):
                return "US"
            if "0-9" in pattern and "." in pattern:
                return "1.00"
            if name in ("url",):
                return "https://hooks.invalid/x"
            return "sample-" + uuid.uuid4().hex[:8] if not pattern else "sample1"
        if t == "integer":
            return max(1, int(s.get("minimum", 1)))
        if t == "number":
            return max(1, s.get("minimum", 1))
        if t == "boolean":
            return False
        if t == "array":
            n = int(s.get("minItems", 0))
            return [self.value(s.get("items", {}), name) for _ in range(max(n, 1 if n else 0))]
        if t == "object" or "properties" in s:
            required = set(s.get("required", []))
            return {k: self.value(v, k) for k, v in s.get("properties", {}).items() if k in required}
        return "sample"

    def text_leaves(self, s: dict, path: tuple = (), depth: int = 0) -> list[tuple]:
        """Paths (tuples of keys / list indexes) of the text fields of a
        body: required and optional, in nested objects and list items; a
        free-form object (``dict[str, Any]``) gets a key of its own."""
        s = self.non_null(s)
        if depth > 4:
            return []
        t = s.get("type")
        if t == "string" and "enum" not in s and "const" not in s and s.get("format") not in ("uuid", "date", "date-time"):
            return [path]
        if t == "array":
            return self.text_leaves(s.get("items", {}), path + (0,), depth + 1)
        if t == "object" or "properties" in s:
            out = []
            for k, v in s.get("properties", {}).items():
                out += self.text_leaves(v, path + (k,), depth + 1)
            if not s.get("properties") and s.get("additionalProperties", True) is not False:
                out.append(path + ("injected-key",))
            return out
        return []

    def body_with(self, s: dict, leaf: tuple, payload: str) -> Any:
        body = self.value(s)
        return _set_path(body, leaf, payload, self, s)


def _set_path(body: Any, path: tuple, payload: str, sampler: _Sampler, schema: dict) -> Any:
    if not path:
        return payload
    head, rest = path[0], path[1:]
    s = sampler.non_null(schema)
    if isinstance(head, int):
        items = s.get("items", {})
        if not isinstance(body, list) or not body:
            body = [sampler.value(items)]
        body[0] = _set_path(body[0], rest, payload, sampler, items)
        return body
    if not isinstance(body, dict):
        body = {}
    sub = s.get("properties", {}).get(head, {})
    current = body.get(head)
    if current is None and rest:
        current = sampler.value(sub, head)
    body[head] = _set_path(current, rest, payload, sampler, sub) if rest else payload
    return body


async def _table_names(engine) -> list[str]:
    async with engine.connect() as conn:
        names = await conn.run_sync(lambda c: sa_inspect(c).get_table_names())
    return sorted(n for n in names if n != "alembic_version")


async def _counts(engine, tables: list[str]) -> dict[str, int]:
    sql = "SELECT " + ", ".join(f'(SELECT count(*) FROM "{t}") AS "c{i}"' for i, t in enumerate(tables))
    async with engine.connect() as conn:
        row = (await conn.execute(text(sql))).one()
    return dict(zip(tables, row, strict=False))


async def _a_world(app, client, t) -> dict[str, str]:
    """Real objects of institution ``t`` to address: a customer, a product."""
    r = await client.post("/v1/customers", json={"ref": "INJ-M1", "kind": "enterprise", "name": "Injection Target Ltd", "fx_class": "A", "currencies": ["USD"]}, headers=t.h(**{"Idempotency-Key": str(uuid.uuid4())}))
    assert r.status_code == 201, r.text
    customer = r.json()["id"]
    p = await client.post("/v1/financing/products", json={"code": "inj-usd", "kind": "order", "currency": "USD", "config": {"fixed_rate": "0.05", "max_tenor_days": 180}}, headers=t.h(**{"Idempotency-Key": "inj-product"}))
    product = await submit_and_approve(client, t, p)  # four eyes
    return {"merchant_ref": "INJ-M1", "ledger_id": t.ledger_id, "account_id": t.accounts["bank"], "customer_id": customer, "product_id": product["id"], "key_id": str(t.key_id)}


def _operations(doc: dict):
    for path, ops in doc["paths"].items():
        if not path.startswith("/v1"):
            continue
        for method, op in ops.items():
            yield path, method.upper(), op


async def test_injection_strings_in_every_text_field_never_cause_a_server_error(app, client, tenant_a, engine):
    """Every text leaf of every JSON body (one at a time, the rest of the
    body valid) and every text query parameter gets each injection string.
    The answer is never a 5xx, an error is a problem document, a refused
    request wrote nothing (row counts of every table), and the tables are
    all still there."""
    doc = app.openapi()
    ids = await _a_world(app, client, tenant_a)
    sampler = _Sampler(doc, ids)
    creds = await _credentials(client, tenant_a)
    roles = {(m, p): r for m, p, r in _routes()}
    tables = await _table_names(engine)
    assert {"postings", "transactions", "accounts", "customers", "audit_log"} <= set(tables)
    # the credentials the run uses must survive it: keys and users are not touched
    skip = {("POST", "/v1/api-keys/{key_id}/rotate"), ("POST", "/v1/api-keys/{key_id}/revoke"), ("POST", "/v1/auth/token")}
    stats: dict[str, int] = {}
    requests = 0

    async def send(method: str, path: str, op: dict, body: Any, query: dict[str, Any]) -> None:
        nonlocal requests
        url = re.sub(r"{(\w+)}", lambda m: sampler.id_for(m.group(1)), path)
        if isinstance(body, dict):  # balanced postings, so that the text fields reach the ledger
            for holder in [body] + [x for x in body.get("transactions") or [] if isinstance(x, dict)]:
                if isinstance(holder.get("postings"), list) and not any(isinstance(v, str) and v in INJECTIONS.values() for p in holder["postings"] for v in p.values()):
                    holder["postings"] = transfer(tenant_a, "bank", "fees", "1.00")["postings"]
        before = await _counts(engine, tables)
        r = await client.request(method, url, json=body, params=query, headers={**_caller(creds, roles, method, path), "Idempotency-Key": str(uuid.uuid4())})
        requests += 1
        stats[str(r.status_code)] = stats.get(str(r.status_code), 0) + 1
        where = f"{method} {path} body={json.dumps(body)[:300]} query={json.dumps(query)[:300]}"
        assert r.status_code < 500, f"{where} answered {r.status_code}: {r.text[:500]}"
        if r.status_code >= 400:
            assert r.headers["content-type"].startswith(PROBLEM), where
            after = await _counts(engine, tables)
            allowed = _WRITTEN_ON_REFUSAL.union(*[v for k, v in _HELD_ON_REFUSAL.items() if path.startswith(k)])
            changed = {t: (before[t], after[t]) for t in tables if before[t] != after[t] and t not in allowed}
            assert not changed, f"{where} was refused ({r.status_code} {r.text[:200]}) but wrote rows: {changed}"

    for path, method, op in _operations(doc):
        if (method, path) in skip:
            continue
        content = op.get("requestBody", {}).get("content", {})
        schema = content.get("application/json", {}).get("schema")
        params = [p for p in op.get("parameters", []) if p["in"] == "query"]
        base_query = {p["name"]: sampler.value(p["schema"], p["name"]) for p in params if p.get("required")}
        if schema is not None:
            for leaf in sampler.text_leaves(schema):
                for payload in INJECTIONS.values():
                    await send(method, path, op, sampler.body_with(schema, leaf, payload), base_query)
        elif content:
            continue  # files and forms: tests/fuzz
        body = sampler.value(schema) if schema is not None else None
        for p in params:
            if sampler.text_leaves(p["schema"]) == [()]:
                for payload in INJECTIONS.values():
                    # a URL is at most 64 KiB (percent-encoded): 2,000 characters of it
                    await send(method, path, op, body, {**base_query, p["name"]: payload[:2000]})
    print(f"\ninjection: {requests} requests, statuses {dict(sorted(stats.items()))}")
    assert requests >= 300
    counts = await _counts(engine, tables)
    assert counts["postings"] >= 0 and counts["customers"] >= 1


@pytest.mark.parametrize("payload", list(INJECTIONS.values())[:2] + ["x" * 300], ids=["or-1-eq-1", "drop-table", "long"])
async def test_injection_strings_in_headers_are_harmless(client, tenant_a, payload):
    url = f"/v1/ledgers/{tenant_a.ledger_id}/transactions"
    r = await client.post(url, json=transfer(tenant_a, "bank", "fees", "1.00"), headers=tenant_a.h(**{"Idempotency-Key": payload, "X-Request-ID": payload}))
    assert r.status_code in (201, 400, 422), r.text
    assert r.headers["X-Request-ID"] != payload or re.fullmatch(r"[A-Za-z0-9._:\-]{1,64}", payload)
    r = await client.post("/v1/auth/token", json={"institution": payload, "username": payload, "password": payload})
    _problem(r, (401, 422))
    ver = (await client.get(f"/v1/ledgers/{tenant_a.ledger_id}/verification", headers=tenant_a.h())).json()
    assert ver["ok"] and ver["transactions_checked"] in (0, 1)


# == oversized bodies and batches ===============================================================


def _big_json(n: int) -> bytes:
    return b'{"postings": [' + b",".join([b'{"account_id": "x", "side": "debit", "amount": "1.00", "currency": "USD"}'] * (n // 70 + 1)) + b"]}"


@pytest.mark.parametrize("how", ["content-length", "chunked"])
async def test_bodies_over_the_limit_are_413_problems_and_write_nothing(client, tenant_a, settings, engine, how):
    limit = settings.max_body_bytes
    body = _big_json(limit + 1)
    assert len(body) > limit
    tables = await _table_names(engine)
    before = await _counts(engine, tables)
    routes = [
        f"/v1/ledgers/{tenant_a.ledger_id}/transactions",
        f"/v1/ledgers/{tenant_a.ledger_id}/transactions/batch",
        "/v1/customers",
        "/v1/trade-data/orders/bulk?platform=shopx",
        "/v1/auth/token",
        "/v1/api-keys",
    ]
    for url in routes:
        if how == "chunked":
            async def chunks():
                for i in range(0, len(body), 65536):
                    yield body[i : i + 65536]

            content: Any = chunks()
        else:
            content = body
        r = await client.post(url, content=content, headers=tenant_a.h(**{"Idempotency-Key": str(uuid.uuid4()), "Content-Type": "application/json"}))
        p = _problem(r, 413, "payload_too_large")
        assert p["limit"] == limit
    # a Content-Length that lies or is not a number is refused before anything is read
    for length in (str(limit + 1), "12abc", "-1"):
        r = await client.post(routes[0], content=b"{}", headers=tenant_a.h(**{"Idempotency-Key": str(uuid.uuid4()), "Content-Type": "application/json", "Content-Length": length}))
        _problem(r, 413, "payload_too_large")
    assert await _counts(engine, tables) == before


async def test_streamed_files_over_their_cap_are_413_raw_and_multipart(client, tenant_a, engine, monkeypatch):
    """The file routes bypass the general body limit and enforce their own
    cap (2 GiB; lowered here to 256 KiB): raw (chunked) and multipart
    uploads beyond it are 413 and nothing is held."""
    import api.routers.tradedata as routes

    cap = 256 * 1024
    monkeypatch.setattr(routes, "MAX_UPLOAD_BYTES", cap)
    line = b'{"external_id": "X", "merchant_ref": "NOPE", "currency": "USD", "amount": "1.00", "order_date": "2026-01-01"}\n'
    data = line * (2 * cap // len(line))
    tables = await _table_names(engine)
    before = await _counts(engine, tables)

    async def chunks():
        for i in range(0, len(data), 32768):
            yield data[i : i + 32768]

    r = await client.post("/v1/trade-data/orders/file?platform=shopx", content=chunks(), headers=tenant_a.h(**{"Content-Type": "application/x-ndjson"}))
    _problem(r, 413, "payload_too_large")
    r = await client.post("/v1/trade-data/orders/file?platform=shopx", files={"file": ("orders.ndjson", data, "application/x-ndjson")}, headers=tenant_a.h())
    _problem(r, 413, "payload_too_large")
    assert await _counts(engine, tables) == before
    # under the cap the same route works
    r = await client.post("/v1/trade-data/orders/file?platform=shopx", files={"file": ("orders.ndjson", line, "application/x-ndjson")}, headers=tenant_a.h())
    assert r.status_code == 200 and r.json()["rejected_total"] == 1, r.text


async def test_every_array_in_a_request_body_refuses_one_item_over_its_maximum(app, client, tenant_a, engine):
    """Batches and lists (ledger batches of 8,000, trade-data bulk of 10,000,
    postings, obligations...): ``maxItems + 1`` items is a 413/422 problem
    naming the limit, and nothing is written."""
    doc = app.openapi()
    ids = {"ledger_id": tenant_a.ledger_id, "account_id": tenant_a.accounts["bank"]}
    sampler = _Sampler(doc, ids)
    creds = await _credentials(client, tenant_a)
    roles = {(m, p): r for m, p, r in _routes()}
    tables = await _table_names(engine)
    before = await _counts(engine, tables)
    checked = []
    for path, method, op in _operations(doc):
        schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
        if schema is None:
            continue
        props = sampler.non_null(schema).get("properties", {})
        for name, prop in props.items():
            prop = sampler.non_null(prop)
            if prop.get("type") != "array" or "maxItems" not in prop:
                continue
            limit = prop["maxItems"]
            item = sampler.value(prop.get("items", {}), name)
            if name == "postings":
                item = transfer(tenant_a, "bank", "fees", "1.00")["postings"][0]
            if name == "transactions":
                item = transfer(tenant_a, "bank", "fees", "1.00")
            body = sampler.value(schema)
            body[name] = [item] * (limit + 1)
            url = re.sub(r"{(\w+)}", lambda m: sampler.id_for(m.group(1)), path)
            query = {"platform": "shopx"} if "/trade-data/" in path else {}
            r = await client.request(method, url, json=body, params=query, headers={**_caller(creds, roles, method, path), "Idempotency-Key": str(uuid.uuid4())})
            p = _problem(r, (413, 422))
            assert str(limit) in json.dumps(p), f"{method} {path} {name}: the problem does not name the limit {limit}: {p}"
            checked.append(f"{method} {path} {name}[{limit}]")
    print("\noversized arrays:", checked)
    assert any("/transactions/batch" in c for c in checked) and any("/orders/bulk" in c for c in checked)
    after = await _counts(engine, tables)
    assert {t: after[t] for t in tables if t not in _WRITTEN_ON_REFUSAL} == {t: before[t] for t in tables if t not in _WRITTEN_ON_REFUSAL}


# == personal data never in clear ===================================================================

PII = {
    "name": "Zhuge Quillonbeak",
    "id_number": "11010119770707123X",
    "phone": "13987650421",
    "name2": "Xanthippe Moorcroft-Liang",
    "id_number2": "91440300QWERTY7788",
    "phone2": "+85291234567",
    # a counterparty named on an imported bank statement, with its account
    "counterparty": "Ottoline Brackenridge-Wu",
    "counterparty_account": "GB33BUKB20201555555555",
}


def _needles() -> list[str]:
    """The values and the forms they could take in clear (lower case,
    JSON-escaped, without the phone's plus)."""
    out = set()
    for v in PII.values():
        out |= {v, v.lower(), json.dumps(v)[1:-1], v.lstrip("+")}
    return sorted(out)


def _leaks(haystack: str) -> list[str]:
    low = haystack.lower()
    return [n for n in _needles() if n.lower() in low]


async def _dump_database(engine) -> dict[str, str]:
    """Every table, every row, every column, as text (JSON and blobs included)."""
    out = {}
    tables = await _table_names(engine)
    async with engine.connect() as conn:
        for t in tables:
            rows = (await conn.execute(text(f'SELECT * FROM "{t}"'))).all()
            parts = []
            for row in rows:
                for v in row:
                    if isinstance(v, (bytes, bytearray, memoryview)):
                        b = bytes(v)
                        parts += [b.decode("utf-8", "replace"), b.decode("latin-1")]
                    elif isinstance(v, (dict, list)):
                        parts.append(json.dumps(v, ensure_ascii=False, default=str))
                    elif v is not None:
                        parts.append(str(v))
            out[t] = "\n".join(parts)
    return out


async def _import_statement_naming_a_counterparty(call, t) -> None:
    """A camt.053 and an MT940 statement whose lines name a counterparty
    (name, account, and in the MT940 free text); the lines are read back."""
    import io
    from datetime import date

    from recon.samples import SampleEntry, write_camt053, write_mt940

    iban = "CN0010400000000009876543"
    fee = (await call("POST", f"/v1/ledgers/{t.ledger_id}/accounts", 201, json={"code": "pii_charges", "currency": "USD", "type": "expense"}, headers=t.h(**{"Idempotency-Key": str(uuid.uuid4())}))).json()
    await call("POST", "/v1/recon/accounts", 201, json={"bank_account": iban, "ledger_account_id": t.accounts["bank"], "fee_account_id": fee["id"],
                                                        "adjustment_account_id": fee["id"], "name": "PII probe account"}, headers=t.h(**{"Idempotency-Key": str(uuid.uuid4())}))
    day = date(2026, 11, 2)
    who = dict(counterparty_name=PII["counterparty"], counterparty_account=PII["counterparty_account"])
    for fmt, writer, ctype in (("camt", write_camt053, "application/xml"), ("mt940", write_mt940, "text/plain")):
        buf = io.BytesIO()
        writer(buf, account=iban, currency="USD", entries=[SampleEntry(4_200, day, end_to_end_ref=f"PII-{fmt}", description=f"from {PII['counterparty']}", **who)], statement_id=f"PII-{fmt}")
        r = await call("POST", "/v1/recon/statements/file", 200, content=buf.getvalue(), headers=t.h(**{"Idempotency-Key": str(uuid.uuid4()), "Content-Type": ctype}))
        assert r.json()["lines_imported"] == 1, r.text
    lines = (await call("GET", "/v1/recon/lines", 200, headers=t.as_user("finance"))).json()["data"]
    assert PII["counterparty"] in [x["counterparty_name"] for x in lines]  # the staff see it, on purpose
    await call("GET", "/v1/recon/exceptions", 200, headers=t.h())


async def test_personal_data_is_never_stored_logged_or_echoed_in_clear(app, client, tenant_a, engine, caplog):
    """Customers with distinctive names, ID numbers and phones go through the
    API (opened, read, searched, refused in several ways, a receipt, a
    conversion against the national quota); then no table (audit log and
    outbox events included), no log record (as captured and as the JSON
    formatter writes it) and no error answer contains any of them."""
    ctx = app.state.ctx
    stream = []

    class Capture(logging.Handler):
        def emit(self, record):
            stream.append(JsonFormatter().format(record))

    handler = Capture(level=logging.DEBUG)
    logging.getLogger().addHandler(handler)
    logging.getLogger("xborder").addHandler(handler)
    caplog.set_level(logging.DEBUG)
    errors: list[str] = []
    try:
        h = tenant_a.h()

        async def call(method, url, expect=None, **kw):
            r = await client.request(method, url, **kw)
            if expect is not None:
                assert r.status_code == expect, r.text
            if r.status_code >= 400:
                errors.append(r.text)
            return r

        ind = (await call("POST", "/v1/customers", 201, json={"ref": "PII-P1", "kind": "individual", "name": PII["name"], "id_number": PII["id_number"], "phone": PII["phone"]}, headers={**h, "Idempotency-Key": str(uuid.uuid4())})).json()
        ent = (await call("POST", "/v1/customers", 201, json={"ref": "PII-M1", "kind": "enterprise", "name": PII["name2"], "id_number": PII["id_number2"], "phone": PII["phone2"], "fx_class": "B", "directory_registered": True}, headers={**h, "Idempotency-Key": str(uuid.uuid4())})).json()
        assert ind["personal_data"]["masked"] is True  # the creation response is kept for replays: masked
        clear = (await call("GET", f"/v1/customers/{ind['id']}", 200, headers=h)).json()
        assert clear["personal_data"]["id_number"] == PII["id_number"]  # the system sees it in clear, on purpose
        for role in ("admin", "finance", "approver"):
            await call("GET", f"/v1/customers/{ind['id']}", 200, headers=tenant_a.as_user(role))
        await call("GET", "/v1/customers", 200, headers=tenant_a.as_user("finance"))
        found = (await call("POST", "/v1/customers/search", 200, json={"id_number": PII["id_number"]}, headers=tenant_a.as_user("finance"))).json()
        assert [x["id"] for x in found["data"]] == [ind["id"]]
        await call("POST", "/v1/customers/search", 200, json={"id_number": PII["id_number2"][::-1]}, headers=h)
        # refusals carrying the personal data
        await call("POST", "/v1/customers", 409, json={"ref": "PII-P1", "kind": "individual", "name": PII["name"], "id_number": PII["id_number"], "phone": PII["phone"]}, headers={**h, "Idempotency-Key": str(uuid.uuid4())})
        await call("POST", "/v1/customers", 422, json={"ref": "PII-P2", "kind": "individual", "name": PII["name"], "id_number": PII["id_number"], "fx_class": "A"}, headers={**h, "Idempotency-Key": str(uuid.uuid4())})
        await call("POST", "/v1/customers", 422, json={"ref": "PII-P3", "kind": "individual", "name": PII["name"] + "\x01", "id_number": PII["id_number"]}, headers={**h, "Idempotency-Key": str(uuid.uuid4())})
        await call("POST", "/v1/customers", 422, json={"ref": "PII-P4", "kind": "individual", "name": PII["name"], "id_number": PII["id_number"] * 5, "phone": PII["phone"] * 4}, headers={**h, "Idempotency-Key": str(uuid.uuid4())})
        await call("POST", "/v1/customers", 422, json={"ref": "bad ref!", "kind": "individual", "name": PII["name"], "id_number": PII["id_number"]}, headers={**h, "Idempotency-Key": str(uuid.uuid4())})
        await call("POST", "/v1/customers", 422, json={"ref": "PII-P5", "kind": "martian", "name": PII["name"], "id_number": PII["id_number"]}, headers={**h, "Idempotency-Key": str(uuid.uuid4())})
        await call("POST", "/v1/customers", 403, json={"ref": "PII-P6", "kind": "individual", "name": PII["name"], "id_number": PII["id_number"]}, headers=tenant_a.as_user("finance", **{"Idempotency-Key": str(uuid.uuid4())}))
        await call("POST", "/v1/customers/search", 403, json={"id_number": PII["id_number"]}, headers=tenant_a.as_user("sme"))
        await call("POST", "/v1/customers/search", 401, json={"id_number": PII["id_number"]})
        await call("POST", "/v1/customers", 422, content=json.dumps({"ref": "PII-P7", "name": PII["name"], "id_number": PII["id_number"]})[:-3].encode(), headers={**h, "Idempotency-Key": str(uuid.uuid4()), "Content-Type": "application/json"})
        # money: a receipt and a conversion against the individual's national quota
        stl = ctx.settlement
        await stl.rates.set_manual_rate(tenant_a.institution_id, "USD", "CNY", "7.1000", as_of=stl.rates.today())
        rc = {"customer_id": ind["id"], "currency": "USD", "gross": "60000.00", "net": "60000.00", "customs_mode": "9610", "destination_country": "DE"}
        await call("POST", "/v1/receipts", 201, json=rc, headers=tenant_a.h(**{"Idempotency-Key": "pii-r1"}))
        await call("POST", "/v1/receipts", 201, json={**rc, "customer_id": ent["id"], "gross": "100.00", "net": "100.00"}, headers=tenant_a.h(**{"Idempotency-Key": "pii-r2"}))
        conv = {"customer_id": ind["id"], "direction": "settle", "currency": "USD", "amount": "30000.00"}
        await call("POST", "/v1/conversions", 201, json=conv, headers=tenant_a.h(**{"Idempotency-Key": "pii-c1"}))
        await call("POST", "/v1/conversions", 422, json={**conv, "amount": "25000.00"}, headers=tenant_a.h(**{"Idempotency-Key": "pii-c2"}))
        await call("GET", f"/v1/customers/{ind['id']}/quota", 200, headers=h)
        await call("GET", "/v1/risk-alerts", 200, headers=h)
        await call("GET", "/v1/audit-log", 200, headers=tenant_a.as_user("admin"))
        await call("POST", f"/v1/customers/{ent['id']}/negative-list", 200, json={"listed": True, "reason": "court list"}, headers=h)
        await _import_statement_naming_a_counterparty(call, tenant_a)
    finally:
        logging.getLogger().removeHandler(handler)
        logging.getLogger("xborder").removeHandler(handler)

    dump = await _dump_database(engine)
    leaked = {t: _leaks(v) for t, v in dump.items() if _leaks(v)}
    assert not leaked, f"personal data in clear in tables: {leaked}"
    assert {"customers", "audit_log", "outbox_events"} <= set(dump)
    assert "x1." in dump["customers"]  # the ciphertext is there
    logs = "\n".join(stream + [r.getMessage() + " " + json.dumps({k: str(v) for k, v in vars(r).items()}) for r in caplog.records] + [caplog.text])
    assert len(stream) >= 20  # the request log lines were seen
    assert not _leaks(logs), f"personal data in the logs: {_leaks(logs)}"
    assert len(errors) >= 10
    echoed = [e for e in errors if _leaks(e)]
    assert not echoed, f"personal data echoed in error answers: {echoed}"


async def test_a_held_trade_record_keeps_no_personal_data_in_clear(app, client, tenant_a, engine):
    """A platform pushes a record that carries a customer's personal data in
    fields of its own (buyer name, ID, phone) and is rejected (unknown
    merchant): the held copy keeps the fields of its kind only, so the
    data is not stored in clear."""
    r = await client.post("/v1/customers", json={"ref": "PII-M2", "kind": "enterprise", "name": PII["name2"], "id_number": PII["id_number2"], "phone": PII["phone2"], "fx_class": "A"}, headers=tenant_a.h(**{"Idempotency-Key": str(uuid.uuid4())}))
    assert r.status_code == 201
    pk = await _platform_key(client, tenant_a)
    record = {"external_id": "PII-O1", "merchant_ref": "NOT-A-MERCHANT", "currency": "USD", "amount": "1.00", "order_date": "2026-01-01",
              "buyer_name": PII["name2"], "buyer_id_number": PII["id_number2"], "buyer_phone": PII["phone2"]}
    r = await client.post("/v1/trade-data/orders/bulk", json={"records": [record, {**record, "external_id": "PII-O2", "currency": "???"}]}, headers=pk)
    assert r.status_code == 200 and r.json()["rejected_total"] == 2, r.text
    r = await client.post("/v1/trade-data/orders/file", content=ndjson_line(record, "PII-O3"), headers={**pk, "Content-Type": "application/x-ndjson"})
    assert r.status_code == 200 and r.json()["rejected_total"] == 1, r.text
    held = (await client.get("/v1/trade-data/rejects", headers=tenant_a.h())).json()
    items = held["data"] if isinstance(held, dict) else held
    assert len(items) == 3
    assert {json.loads(x["raw"])["merchant_ref"] for x in items} == {"NOT-A-MERCHANT"}  # what is wrong is still visible
    assert all("buyer_name" not in x["raw"] for x in items)
    dump = await _dump_database(engine)
    leaked = {t: _leaks(v) for t, v in dump.items() if _leaks(v)}
    assert not leaked, f"personal data in clear in tables: {leaked}"


def ndjson_line(record: dict, external_id: str) -> bytes:
    return (json.dumps({**record, "external_id": external_id}) + "\n").encode()


async def test_a_held_malformed_line_keeps_no_personal_data_in_clear(app, client, tenant_a, engine):
    """A malformed line is held as it came, encrypted with the personal-data
    key: nothing of it in clear in any table, and the institution's staff
    read it back verbatim through the API."""
    pk = await _platform_key(client, tenant_a)
    record = {"external_id": "PII-O9", "merchant_ref": "NOT-A-MERCHANT", "buyer_name": PII["name2"], "buyer_phone": PII["phone2"]}
    line = (json.dumps(record)[:-1] + ", broken\n").encode()  # not JSON: held as it came
    r = await client.post("/v1/trade-data/orders/file", content=line, headers={**pk, "Content-Type": "application/x-ndjson"})
    assert r.status_code == 200 and r.json()["rejected_total"] == 1, r.text
    dump = await _dump_database(engine)
    leaked = {t: _leaks(v) for t, v in dump.items() if _leaks(v)}
    assert not leaked, f"personal data in clear in tables: {leaked}"
    assert "NOT-A-MERCHANT" not in dump["trade_rejects"] and "x1." in dump["trade_rejects"]  # the whole line is sealed
    for who in (tenant_a.h(), tenant_a.as_user("finance")):
        held = (await client.get("/v1/trade-data/rejects", headers=who)).json()["data"]
        assert [x["raw"] for x in held] == [line.decode().rstrip("\n")], held
    # a role without read access is refused
    assert (await client.get("/v1/trade-data/rejects", headers=tenant_a.as_user("sme"))).status_code == 403


# == tenancy: the other institution's real ids, everywhere ============================================


async def _seed_every_kind(app, client, t) -> dict[str, str]:
    """Real objects of every kind a path names, made by institution ``t``
    through the API: what ``_id_samples`` of the walker in
    tests/api/test_api.py reads from ``t.extra``."""
    from api.webhooks import WebhookDispatcher

    h = t.h()
    key = lambda k: t.h(**{"Idempotency-Key": f"seed-{k}"})  # noqa: E731

    async def ok(r, *status):
        assert r.status_code in (status or (200, 201)), f"{r.request.method} {r.request.url.path}: {r.status_code} {r.text[:400]}"
        return r.json()

    x: dict[str, str] = {}
    x["transaction_id"] = (await ok(await client.post(f"/v1/ledgers/{t.ledger_id}/transactions", json=transfer(t, "bank", "fees", "1.00", pending=True), headers=key("tx"))))["id"]
    await ok(await client.post(f"/v1/ledgers/{t.ledger_id}/transactions", json=transfer(t, "bank", "fees", "2.00"), headers=key("tx2")))
    x["user_id"] = next(u["id"] for u in (await ok(await client.get("/v1/users", headers=h)))["data"] if u["username"] == "finance")
    x["endpoint_id"] = (await ok(await client.post("/v1/webhook-endpoints", json={"url": "https://93.184.215.14/hook", "event_types": ["*"]}, headers=key("ep"))))["id"]
    await WebhookDispatcher(app.state.ctx.engine, app.state.ctx.keyring).fan_out()
    delivery = (await ok(await client.get("/v1/webhook-deliveries", headers=h)))["data"][0]
    x["delivery_id"], x["event_id"] = delivery["id"], delivery["event_id"]
    # settlement
    stl = app.state.ctx.settlement
    await stl.rates.set_manual_rate(t.institution_id, "USD", "CNY", "7.1000", as_of=stl.rates.today())
    m = await ok(await client.post("/v1/customers", json={"ref": "M001", "kind": "enterprise", "name": "Tenant Exporter Ltd", "fx_class": "A", "directory_registered": True, "currencies": ["USD"]}, headers={**h, "Idempotency-Key": str(uuid.uuid4())}))
    p = await ok(await client.post("/v1/customers", json={"ref": "P001", "kind": "individual", "name": "Tenant Person", "id_number": f"ID-{t.code}-1", "currencies": ["USD"]}, headers={**h, "Idempotency-Key": str(uuid.uuid4())}))
    x["customer_id"] = m["id"]
    await ok(await client.post("/v1/trade-data/orders", params={"platform": "shopx"}, json={"external_id": "T-O-1", "merchant_ref": "M001", "currency": "USD", "amount": "100.00", "order_date": "2026-03-01"}, headers=h))
    x["order_id"] = (await ok(await client.get("/v1/trade-data/orders", headers=h)))["data"][0]["id"]
    receipt = {"customer_id": m["id"], "currency": "USD", "gross": "100.00", "net": "100.00", "customs_mode": "9610", "destination_country": "DE"}
    x["settlement_receipt_id"] = (await ok(await client.post("/v1/receipts", json=receipt, headers=key("rc"))))["id"]
    await ok(await client.post("/v1/receipts", json={**receipt, "customer_id": p["id"], "gross": "5000.00", "net": "5000.00"}, headers=key("rc2")))
    x["conversion_id"] = (await ok(await client.post("/v1/conversions", json={"customer_id": p["id"], "direction": "settle", "currency": "USD", "amount": "10.00"}, headers=key("cv"))))["id"]
    alerts = await ok(await client.get("/v1/risk-alerts", headers=h))
    items = alerts["data"] if isinstance(alerts, dict) else alerts
    assert items, "no risk alert to address"
    x["alert_id"] = items[0]["id"]
    x["advance_id"] = (await ok(await client.post("/v1/advances", json={"merchant_ref": "M001", "provider_ref": "sf-express", "kind": "logistics", "currency": "USD", "amount": "10.00", "advance_date": "2026-01-05"}, headers=key("adv"))))["id"]
    x["cycle_id"] = (await ok(await client.post("/v1/netting/cycles", json={"reference": "day-1", "ledger_id": t.ledger_id, "business_date": "2026-03-02"}, headers={**h, "Idempotency-Key": str(uuid.uuid4())})))["id"]
    # financing
    prod = await submit_and_approve(client, t, await client.post(
        "/v1/financing/products", json={"code": "order-usd", "kind": "order", "currency": "USD", "config": {"fixed_rate": "0.073", "max_tenor_days": 180}}, headers=key("fin-0"),
    ))
    x["product_id"] = prod["id"]
    x["loan_id"] = (await ok(await client.post("/v1/financing/applications", json={"customer_id": m["id"], "product_id": prod["id"], "amount": "100.00", "tenor_days": 30}, headers=key("fin-1"))))["id"]
    x["decision_id"] = (await ok(await client.post("/v1/financing/underwriting", json={"customer_id": m["id"]}, headers=key("fin-2"))))["id"]
    fin = "/v1/financing"
    await submit_and_approve(client, t, await client.post(f"{fin}/goods-haircuts", json={"goods_type": "copper", "haircut": "0.10"}, headers=key("fin-3")))
    await ok(await client.post(f"{fin}/goods-prices", json={"goods_type": "copper", "currency": "CNY", "unit": "t", "price_date": business_today().isoformat(), "price": "1000.00"}, headers=key("fin-4")))
    wr = await ok(await client.post(f"{fin}/warehouse-receipts", json={"customer_id": m["id"], "warehouse_code": "91440300708461136T", "issuer": "Bonded Warehouse", "receipt_number": "WR-1", "goods_type": "copper", "quantity": "1000", "unit": "t", "location": "B3"}, headers=key("fin-5")))
    x["warehouse_receipt_id"] = wr["id"]
    await ok(await client.post(f"{fin}/warehouse-receipts/{wr['id']}/verify", json={"verified_by": "clerk"}, headers=h))
    wr2 = await ok(await client.post(f"{fin}/warehouse-receipts", json={"customer_id": m["id"], "warehouse_code": "91440300708461136T", "issuer": "Bonded Warehouse", "receipt_number": "WR-2", "goods_type": "copper", "quantity": "1000", "unit": "t", "location": "B3"}, headers=key("fin-6")))
    await ok(await client.post(f"{fin}/warehouse-receipts/{wr2['id']}/verify", json={"verified_by": "clerk"}, headers=h))
    wr_prod = await create_product(app.state.ctx.engine, t.institution_id, code="wr-cny", kind="warehouse_receipt", currency="CNY", fixed_rate=Decimal("0.06"))
    wr_loan = await apply_loan(app.state.ctx.ledger, t.institution_id, customer_id=UUID(m["id"]), product_id=wr_prod.id, requested_minor=100_000, tenor_days=30, limit_minor=100_000)
    x["pledge_id"] = (await ok(await client.post(f"{fin}/warehouse-receipts/{wr2['id']}/pledge", json={"loan_id": str(wr_loan["id"])}, headers=key("fin-7"))))["pledge_id"]
    pol = await ok(await client.post(f"{fin}/insurance-policies", json={"customer_id": m["id"], "policy_number": "P1", "insurer_code": "SINOSURE", "insurer": "Sinosure", "coverage_ratio": "0.9", "currency": "USD", "buyer_limits": {"B1": "1000.00"}}, headers=key("fin-8")))
    x["policy_id"] = pol["id"]
    x["receivable_id"] = (await ok(await client.post(f"{fin}/insurance-policies/{pol['id']}/receivables", json={"buyer_ref": "B1", "invoice_number": "I1", "amount": "100.00", "due_date": "2027-01-01"}, headers=key("fin-9"))))["id"]
    x["claim_id"] = (await ok(await client.post(f"{fin}/insured-receivables/{x['receivable_id']}/claims", json={"amount": "100.00"}, headers=key("fin-10"))))["id"]
    # four eyes: a pending approval request
    x["request_id"] = (await ok(await client.put("/v1/rates/spreads", json={"base": "USD", "quote": "CNY", "spread_bp": 40}, headers=key("sod-1")), 202))["id"]
    return x


#: path parameters whose ids _seed_every_kind makes real
_SEEDED = {"ledger_id", "account_id", "transaction_id", "user_id", "endpoint_id", "event_id", "delivery_id", "customer_id", "order_id", "receipt_id",
           "conversion_id", "alert_id", "advance_id", "cycle_id", "loan_id", "decision_id", "pledge_id", "policy_id", "receivable_id", "claim_id", "request_id"}


async def _rows_of(engine, institution_id) -> dict[str, int]:
    """Rows per table that belong to one institution."""
    async with engine.connect() as conn:
        tables = await conn.run_sync(lambda c: {t: [col["name"] for col in sa_inspect(c).get_columns(t)] for t in sa_inspect(c).get_table_names()})
        out = {}
        for t, cols in sorted(tables.items()):
            if "institution_id" in cols:
                out[t] = (await conn.execute(text(f'SELECT count(*) FROM "{t}" WHERE institution_id = :i'), {"i": institution_id if engine.dialect.name == "postgresql" else institution_id.hex})).scalar_one()
    return out


async def test_another_institutions_real_ids_answer_404_on_every_route_for_every_role(app, client, engine, tenant_a, tenant_b):
    """The walker of tests/api/test_api.py covers every path id with the
    system key, but only ledger, account, transaction, user, key, webhook
    ids are real there (the rest are random uuids).  Here every kind of
    object of B is real (customers, orders, receipts, conversions, alerts,
    advances, netting cycles, loans, decisions, warehouse receipts, pledges,
    policies, receivables, claims), the walk is made with every role of A
    that a route admits, and nothing of B changes."""
    extra = await _seed_every_kind(app, client, tenant_b)
    before = await _rows_of(engine, tenant_b.institution_id)
    assert before["customers"] == 2 and before["trade_orders"] == 1
    creds = await _credentials(client, tenant_a)
    roles_of = {(m, p): r for m, p, r in _routes()}
    checked = 0
    # the path parameter receipt_id names settlement receipts and warehouse receipts: both, one pass each
    for receipt_kind in ("settlement_receipt_id", "warehouse_receipt_id"):
        tenant_b.extra = {**extra, "receipt_id": extra[receipt_kind]}
        samples = _id_samples(tenant_b)
        randoms = {k: v for k, v in samples.items() if k in _SEEDED and v not in extra.values() and v != tenant_b.ledger_id and v not in tenant_b.accounts.values()}
        assert not randoms, f"no real id of B for {sorted(randoms)}: seed it in _seed_every_kind"
        for path, operations in app.openapi()["paths"].items():
            params = re.findall(r"{(\w+)}", path)
            if not params or not path.startswith("/v1"):
                continue
            if any(p not in samples for p in params):
                continue  # a parameter the walker of tests/api/test_api.py does not know yet: it fails there
            for method in sorted(m.upper() for m in operations):
                allowed = roles_of.get((method, path), frozenset())
                url = path.format(**samples)
                for role in [r for r in ("system", "admin", "finance", "approver", "sme") if r in allowed]:
                    h = {**creds[role], "Idempotency-Key": str(uuid.uuid4())}
                    r = await client.request(method, url, json={} if method in ("POST", "PUT", "PATCH") else None, headers=h)
                    if r.status_code == 422:  # the body is checked before the ids: send a valid body
                        r = await client.request(method, url, json=_valid_body(path, tenant_a), headers={**h, "Idempotency-Key": str(uuid.uuid4())})
                    assert r.status_code == 404, f"{role} {method} {path} with B's ids answered {r.status_code}: {r.text[:300]}"
                    assert r.headers["content-type"].startswith(PROBLEM)
                    checked += 1
    assert checked >= 150
    assert await _rows_of(engine, tenant_b.institution_id) == before


def _items(body):
    """The rows of a list response (a bare array or ``{"data": [...]}``)."""
    return body["data"] if isinstance(body, dict) else body


async def test_another_institutions_ids_in_bodies_and_query_parameters_are_not_found(app, client, engine, tenant_a, tenant_b):
    """Ids of B named in A's bodies (postings, receipts, conversions,
    applications, underwriting, netting, collateral) are 404; in A's list
    filters they find nothing."""
    extra = await _seed_every_kind(app, client, tenant_b)
    before = await _rows_of(engine, tenant_b.institution_id)
    ha = tenant_a.h()
    key = lambda: tenant_a.h(**{"Idempotency-Key": str(uuid.uuid4())})  # noqa: E731
    b_cust = extra["customer_id"]
    stl = app.state.ctx.settlement
    await stl.rates.set_manual_rate(tenant_a.institution_id, "USD", "CNY", "7.1000", as_of=stl.rates.today())  # so that only the customer is wrong
    a_prod = (await submit_and_approve(client, tenant_a, await client.post(
        "/v1/financing/products", json={"code": "a-usd", "kind": "order", "currency": "USD", "config": {"fixed_rate": "0.05", "max_tenor_days": 90}}, headers=key(),
    )))["id"]
    refused = [
        ("POST", f"/v1/ledgers/{tenant_a.ledger_id}/transactions", {"postings": [
            {"account_id": tenant_a.accounts["bank"], "side": "debit", "amount": "1.00", "currency": "USD"},
            {"account_id": tenant_b.accounts["merchant"], "side": "credit", "amount": "1.00", "currency": "USD"}]}),
        ("POST", f"/v1/ledgers/{tenant_a.ledger_id}/transactions/batch", {"transactions": [{"postings": [
            {"account_id": tenant_b.accounts["bank"], "side": "debit", "amount": "1.00", "currency": "USD"},
            {"account_id": tenant_a.accounts["fees"], "side": "credit", "amount": "1.00", "currency": "USD"}]}]}),
        ("POST", "/v1/receipts", {"customer_id": b_cust, "currency": "USD", "gross": "1.00", "net": "1.00", "customs_mode": "9610", "destination_country": "DE"}),
        ("POST", "/v1/conversions", {"customer_id": b_cust, "direction": "settle", "currency": "USD", "amount": "1.00"}),
        ("POST", "/v1/financing/applications", {"customer_id": b_cust, "product_id": a_prod, "amount": "1.00", "tenor_days": 30}),
        ("POST", "/v1/financing/underwriting", {"customer_id": b_cust}),
        ("POST", "/v1/netting/cycles", {"reference": "steal", "ledger_id": tenant_b.ledger_id, "business_date": "2026-03-02"}),
        ("POST", "/v1/financing/warehouse-receipts", {"customer_id": b_cust, "warehouse_code": "91440300708461136T", "issuer": "W", "receipt_number": "R9", "goods_type": "copper", "quantity": "1", "unit": "t", "location": "X"}),
        ("POST", "/v1/financing/insurance-policies", {"customer_id": b_cust, "policy_number": "P9", "insurer_code": "S", "insurer": "S", "coverage_ratio": "0.9", "currency": "USD"}),
    ]
    for method, url, body in refused:
        r = await client.request(method, url, json=body, headers=key())
        if "batch" in url:
            assert r.status_code == 200 and r.json()["results"][0]["code"] == "account_not_found", r.text
        else:
            _problem(r, 404)
    a_cust = (await client.post("/v1/customers", json={"ref": "A-M1", "kind": "enterprise", "name": "A Ltd", "fx_class": "A"}, headers={**ha, "Idempotency-Key": str(uuid.uuid4())})).json()["id"]
    # A's own customer with B's product: the product is not found, and no application is made
    r = await client.post("/v1/financing/applications", json={"customer_id": a_cust, "product_id": extra["product_id"], "amount": "1.00", "tenor_days": 30}, headers=key())
    _problem(r, 404)
    loans = await client.get("/v1/financing/loans", params={"customer_id": a_cust}, headers=ha)
    assert loans.status_code == 200 and _items(loans.json()) == [], loans.text
    # B's order named in A's re-match: nothing of B's is matched (no order of A's has that id)
    r = await client.post("/v1/trade-data/match", json={"order_ids": [extra["order_id"]]}, headers=ha)
    assert r.status_code == 200, r.text
    assert sum(r.json()["match"].values()) == 0, r.text
    empty_lists = [
        ("/v1/trade-data/orders", {"customer_id": b_cust}),
        ("/v1/receipts", {"customer_id": b_cust}),
        ("/v1/risk-alerts", {"customer_id": b_cust}),
        ("/v1/financing/loans", {"customer_id": b_cust}),
        ("/v1/audit-log", {"object_id": b_cust}),
        ("/v1/audit-log", {"object_id": extra["loan_id"]}),
        ("/v1/events", {}),
        ("/v1/trade-data/rejects", {}),
        ("/v1/customers", {"ref": "M001"}),
        ("/v1/advances", {"merchant_ref": "M001"}),
        ("/v1/netting/cycles", {}),
    ]
    for url, params in empty_lists:
        r = await client.get(url, params=params, headers=ha)
        assert r.status_code == 200, f"{url} {params}: {r.status_code} {r.text[:300]}"
        body = r.json()
        items = body if isinstance(body, list) else body.get("items", body.get("data", []))
        leaked = [i for i in items if b_cust in json.dumps(i) or str(tenant_b.institution_id) in json.dumps(i) or any(v in json.dumps(i) for v in extra.values())]
        assert not leaked, f"{url} {params} shows B's objects to A: {leaked[:2]}"
    # a filter naming B's webhook endpoint: 404, as for an id that does not exist
    r = await client.get("/v1/webhook-deliveries", params={"endpoint_id": extra["endpoint_id"]}, headers=ha)
    assert r.status_code == 404, r.text
    found = (await client.post("/v1/customers/search", json={"id_number": f"ID-{tenant_b.code}-1"}, headers=ha)).json()
    assert found["data"] == []
    assert await _rows_of(engine, tenant_b.institution_id) == before
