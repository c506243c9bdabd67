"""The role x route access matrix (issue #18), generated from the app's route
table, on SQLite and PostgreSQL.

* Every route declares its policy (``require(*roles, scope=...)``, or the
  ``PUBLIC`` / ``CONSOLE`` marker of :mod:`api.scopes`); a route registered
  without one is named by :func:`undeclared` and fails the test.
* Seven credentials: a system key with every scope, a system key with the
  read-only scopes, a platform key, and the admin, finance, approver and SME
  users.  Each one calls every API route (random ids, an empty body): it is
  refused with 403 ``forbidden_role`` / ``forbidden_scope`` exactly when the
  declared policy refuses it, and never answered 403 with those codes
  otherwise.  Random ids also show that the decision comes before any id is
  looked up (a refusal is a 403, never a 404).

This replaces the former route-table test of ``test_security.py``
(``test_every_route_refuses_every_role_it_does_not_list``).
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest
from fastapi import Depends, FastAPI
from fastapi.routing import iter_route_contexts

from api.auth import authenticate, issue_api_key, require
from api.scopes import ALL_SCOPES, CONSOLE, CONSOLE_ROLES, PLATFORM_SCOPES, PUBLIC, READ_ONLY_SCOPES, Policy, route_policy
from tests.api.conftest import add_read_only_key

FORBIDDEN = ("forbidden_role", "forbidden_scope")

#: credential -> (role, the scopes of a key or None for a user)
CREDENTIALS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "system_all": ("system", ALL_SCOPES),
    "system_read": ("system", READ_ONLY_SCOPES),
    "platform": ("platform", PLATFORM_SCOPES),
    "admin": ("admin", None),
    "finance": ("finance", None),
    "approver": ("approver", None),
    "sme": ("sme", None),
}


def route_table(routes: Any) -> list[tuple[str, str, Policy | None]]:
    """(method, path, declared policy) of every route (HEAD left out)."""
    out = []
    for rc in iter_route_contexts(routes):
        policy = route_policy(rc.original_route)
        for method in sorted((rc.methods or {"GET"}) - {"HEAD"}):
            out.append((method, rc.path, policy))
    return out


def undeclared(routes: Any) -> list[str]:
    return sorted({f"{m} {p}" for m, p, policy in route_table(routes) if policy is None})


def test_every_route_declares_its_policy(app):
    table = route_table(app.routes)
    assert len(table) >= 180
    assert undeclared(app.routes) == []
    kinds = {policy.kind for _, _, policy in table if policy is not None}
    assert kinds == {"authenticated", "public", "console", "portal"}
    public = {p for _, p, policy in table if policy is not None and policy.kind == "public"}
    assert {"/v1/auth/token", "/healthz", "/readyz", "/openapi.json", "/docs", "/redoc", "/console/login", "/portal/login"} <= public
    assert not any(p.startswith("/v1/") and p != "/v1/auth/token" for p in public)
    # the SME self-service routes admit SME users only, each naming its financing scope (#17)
    sme = [(m, p, policy) for m, p, policy in table if p.startswith("/v1/sme/")]
    assert len(sme) == 10 and all(policy is not None and policy.roles == {"sme"} and policy.scope in ("financing:read", "financing:write") for _, _, policy in sme), sme
    assert {(m, p) for m, p, policy in sme if policy is not None and policy.scope == "financing:write"} == {
        ("POST", "/v1/sme/applications"), ("POST", "/v1/sme/loans/{loan_id}/accept"), ("POST", "/v1/sme/loans/{loan_id}/decline"), ("POST", "/v1/sme/loans/{loan_id}/repayments"),
    }
    # every route open to a key names the scope it needs, except /v1/me
    for method, path, policy in table:
        if policy is not None and policy.kind == "authenticated" and policy.roles & {"system", "platform"} and path != "/v1/me":
            assert policy.scope is not None, f"{method} {path}"


def test_a_route_registered_without_a_policy_is_detected():
    """A route with no ``require`` and no marker (also one that only
    authenticates, without roles) is named by the check."""
    app = FastAPI()

    @app.get("/v1/naked")
    async def naked():
        return {}

    @app.post("/v1/only-authenticated", dependencies=[Depends(authenticate)])
    async def only_authenticated():
        return {}

    @app.get("/v1/declared", dependencies=[Depends(require("finance"))])
    async def declared():
        return {}

    @app.get("/v1/open", dependencies=[Depends(PUBLIC)])
    async def open_route():
        return {}

    @app.get("/console/page", dependencies=[Depends(CONSOLE)])
    async def page():
        return {}

    missing = undeclared(app.routes)
    assert "GET /v1/naked" in missing and "POST /v1/only-authenticated" in missing
    assert not {"GET /v1/declared", "GET /v1/open", "GET /console/page"} & set(missing)


def test_a_route_open_to_keys_must_name_its_scope():
    with pytest.raises(ValueError, match="scope"):
        require("system", "admin")
    with pytest.raises(ValueError, match="unknown scope"):
        require("system", scope="ledger:everything")
    with pytest.raises(ValueError, match="unknown roles"):
        require("root", scope=None)
    assert require("admin").scope is None  # users only: no scope to name


async def _credentials(app, client, t) -> dict[str, dict[str, str]]:
    await add_read_only_key(app, t)
    ctx = app.state.ctx
    async with ctx.engine.begin() as conn:  # the operator's path (through the API it is a four-eyes request)
        shop = await issue_api_key(conn, ctx.keyring, t.institution_id, name="shop", role="platform", platform_code="shopx")
    assert shop["scopes"] == list(PLATFORM_SCOPES)
    creds = {"system_all": t.h(), "system_read": t.h_read(), "platform": {"Authorization": f"Bearer {shop['key']}"}}
    for role in ("admin", "finance", "approver", "sme"):
        creds[role] = t.as_user(role)
    assert set(creds) == set(CREDENTIALS)
    return creds


def _url(path: str) -> str:
    return re.sub(r"{(\w+)(:\w+)?}", lambda m: str(uuid.uuid4()), path)


async def test_access_matrix(app, client, tenant_a):
    """Every API route x every credential: refused (403 ``forbidden_role`` or
    ``forbidden_scope``, naming the missing scope) exactly when the declared
    policy refuses; never refused with those codes otherwise."""
    creds = await _credentials(app, client, tenant_a)
    table = [(m, p, pol) for m, p, pol in route_table(app.routes) if pol is not None and pol.kind == "authenticated"]
    table.sort(key=lambda row: row[1] == "/v1/auth/logout")  # logging out ends each user's session: last
    assert len(table) >= 150
    counts = {"refused_role": 0, "refused_scope": 0, "admitted": 0}
    wrong = []
    for method, path, policy in table:
        url = _url(path)
        for name, (role, scopes) in CREDENTIALS.items():
            expected = policy.refuses(role, scopes)
            body = {} if method in ("POST", "PUT", "PATCH") else None
            r = await client.request(method, url, json=body, headers={**creds[name], "Idempotency-Key": str(uuid.uuid4())})
            code = r.json().get("code") if r.headers.get("content-type", "").startswith("application/problem+json") else None
            got = code if r.status_code == 403 and code in FORBIDDEN else None
            if got != expected:
                wrong.append(f"{method} {path} as {name}: expected {expected or 'admitted'}, got {r.status_code} {code}")
            elif expected == "forbidden_scope" and r.json().get("scope") != policy.scope:
                wrong.append(f"{method} {path} as {name}: the refusal names {r.json().get('scope')}, not {policy.scope}")
            counts["admitted" if expected is None else "refused_" + expected.removeprefix("forbidden_")] += 1
    assert not wrong, "\n".join(wrong[:40])
    assert counts["refused_role"] >= 400 and counts["refused_scope"] >= 50 and counts["admitted"] >= 300, counts
    # the system key with every scope still works: the walk broke no credential
    assert (await client.get("/v1/me", headers=tenant_a.h())).status_code == 200


async def test_console_pages_follow_their_declared_policy(app, tenant_a):
    """The console routes declared ``CONSOLE``: an API credential (key or
    bearer token) never opens a page (back to the login page); a session of
    a console role opens it; the SME user cannot log in (403 page) and so
    never opens one.
    Routes declared ``PUBLIC`` answer without a session."""
    from tests.console.conftest import client_for, login

    table = [(m, p, pol) for m, p, pol in route_table(app.routes) if p.startswith("/console") and pol is not None]
    pages = sorted({p for m, p, pol in table if pol.kind == "console" and m == "GET" and "{" not in p})
    assert {"/console/dashboard", "/console/exceptions", "/console/approvals"} <= set(pages)
    assert {pol.kind for _, _, pol in table} == {"console", "public"}
    async with client_for(app) as anonymous:
        for page in pages:
            r = await anonymous.get(page, headers=tenant_a.h())
            assert r.status_code == 303 and r.headers["location"].startswith("/console/login"), page
        assert (await anonymous.get("/console/login")).status_code == 200
    for role in ("admin", "finance", "approver", "sme"):
        async with client_for(app) as c:
            logged_in = await login(c, tenant_a.code, role)
            assert logged_in.status_code == (303 if role in CONSOLE_ROLES else 403), role
            for page in pages:
                r = await c.get(page)
                assert r.status_code == (200 if role in CONSOLE_ROLES else 303), f"{page} as {role}: {r.status_code}"


async def test_portal_pages_follow_their_declared_policy(app, tenant_a):
    """The SME portal's routes declared ``PORTAL``: an API credential never
    opens a page (back to the sign-in page); the SME user's portal session
    opens every page; staff cannot sign in (403 page) and so never open one."""
    from api.scopes import PORTAL_ROLES
    from settlement.customers import open_customer
    from tests.portal.conftest import client_for, login

    ctx = app.state.ctx
    await open_customer(ctx.ledger, ctx.keyring, tenant_a.institution_id, ref="M001", kind="enterprise", name="SME user's merchant", fx_class="A", directory_registered=True)

    table = [(m, p, pol) for m, p, pol in route_table(app.routes) if p.startswith("/portal") and pol is not None]
    pages = sorted({p for m, p, pol in table if pol.kind == "portal" and m == "GET" and "{" not in p})
    assert {"/portal/loans", "/portal/assets", "/portal/apply", "/portal/documents"} <= set(pages)
    assert {pol.kind for _, _, pol in table} == {"portal", "public"}
    assert all(pol.roles == {"sme"} for _, _, pol in table if pol.kind == "portal")
    async with client_for(app) as anonymous:
        for page in pages:
            r = await anonymous.get(page, headers=tenant_a.as_user("sme"))
            assert r.status_code == 303 and r.headers["location"].startswith("/portal/login"), page
    for role in ("admin", "finance", "approver", "sme"):
        async with client_for(app) as c:
            signed_in = await login(c, tenant_a.code, role)
            assert signed_in.status_code == (303 if role in PORTAL_ROLES else 403), role
            for page in pages:
                r = await c.get(page)
                assert r.status_code == (200 if role in PORTAL_ROLES else 303), f"{page} as {role}: {r.status_code}"
