"""API fixtures: the FastAPI app on the test database, an httpx client, and
two institutions (A and B) with keys, users, a ledger and accounts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from api.app import create_app
from api.auth import create_user, issue_api_key
from api.scopes import ALL_SCOPES, READ_ONLY_SCOPES


@dataclass
class Tenant:
    code: str
    institution_id: Any
    key: str
    signing_secret: str
    key_id: Any
    ledger_id: Any = None
    accounts: dict[str, Any] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    #: a second system key with the read-only scopes (the default of a new
    #: key), issued by :func:`add_read_only_key` (the access matrix)
    read_key: str = ""
    read_key_id: Any = None
    #: the signing secret of each user token (``POST /v1/auth/token``)
    signing: dict[str, str] = field(default_factory=dict)
    app: Any = None

    def h(self, **extra) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}", **extra}

    def h_read(self, **extra) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.read_key}", **extra}

    def as_user(self, role: str, **extra) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}", **extra}


PASSWORD = "correct horse battery"


@pytest.fixture
async def app(engine, settings):
    application = create_app(settings, engine, background_jobs=False)
    yield application


@pytest.fixture
async def client(app):
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://xborder.test") as c:
        yield c


async def _tenant(app, client, code: str) -> Tenant:
    ctx = app.state.ctx
    inst = await ctx.ledger.create_institution(code, f"Bank {code}")
    async with ctx.engine.begin() as conn:
        issued = await issue_api_key(conn, ctx.keyring, inst.id, name="integration", scopes=ALL_SCOPES)
        for role in ("admin", "finance", "approver"):
            await create_user(conn, inst.id, role, PASSWORD, role)
        await create_user(conn, inst.id, "sme", PASSWORD, "sme", merchant_ref="M001")
    t = Tenant(code, inst.id, issued["key"], issued["signing_secret"], issued["id"], app=app)
    r = await client.post("/v1/ledgers", json={"code": "main", "name": "Main"}, headers=t.h(**{"Idempotency-Key": "ledger-main"}))
    assert r.status_code == 201, r.text
    t.ledger_id = r.json()["id"]
    for acode, cur, typ, flags in [
        ("bank", "USD", "asset", {}),
        ("merchant", "USD", "liability", {"debits_must_not_exceed_credits": True}),
        ("fees", "USD", "income", {}),
        ("bank_jpy", "JPY", "asset", {}),
        ("merchant_jpy", "JPY", "liability", {}),
    ]:
        r = await client.post(f"/v1/ledgers/{t.ledger_id}/accounts", json={"code": acode, "currency": cur, "type": typ, **flags}, headers=t.h(**{"Idempotency-Key": f"account-{acode}"}))
        assert r.status_code == 201, r.text
        t.accounts[acode] = r.json()["id"]
    for role in ("admin", "finance", "approver", "sme"):
        r = await client.post("/v1/auth/token", json={"institution": code, "username": role, "password": PASSWORD})
        assert r.status_code == 200, r.text
        t.tokens[role] = r.json()["access_token"]
        t.signing[role] = r.json()["signing_secret"]
    return t


async def add_read_only_key(app, t: Tenant) -> Tenant:
    """Give tenant ``t`` a second system key with the read-only scopes."""
    ctx = app.state.ctx
    async with ctx.engine.begin() as conn:
        read = await issue_api_key(conn, ctx.keyring, t.institution_id, name="read-only", scopes=READ_ONLY_SCOPES)
    t.read_key, t.read_key_id = read["key"], read["id"]
    return t


@pytest.fixture
async def tenant_a(app, client):
    return await _tenant(app, client, "bank-a")


@pytest.fixture
async def tenant_b(app, client):
    return await _tenant(app, client, "bank-b")


def pass_auth_cache_bound(app) -> None:
    """Move the app's credential cache (api/authcache.py) past its bound,
    ``XBORDER_AUTH_CACHE_SECONDS``, without sleeping: what it resolved before
    is resolved again.  A change committed outside this process (the CLI,
    another engine) is effective from then on."""
    cache = app.state.ctx.auth_cache
    base, ttl = cache.clock, cache.ttl
    cache.clock = lambda: base() + ttl


def transfer(t: Tenant, debit: str, credit: str, amount: str, currency: str = "USD", **extra) -> dict:
    return {
        "postings": [
            {"account_id": t.accounts[debit], "side": "debit", "amount": amount, "currency": currency},
            {"account_id": t.accounts[credit], "side": "credit", "amount": amount, "currency": currency},
        ],
        **extra,
    }


# -- four eyes (api/sod.py) -----------------------------------------------------------------


async def second_admin(client, t: Tenant) -> str:
    """A second admin user's token (created on first use by the operator
    path, so it is linked to nobody): the checker of an admin's own request."""
    if "admin2" not in t.tokens:
        ctx = t.app.state.ctx
        async with ctx.engine.begin() as conn:
            await create_user(conn, t.institution_id, "admin2", PASSWORD, "admin")
        r = await client.post("/v1/auth/token", json={"institution": t.code, "username": "admin2", "password": PASSWORD})
        assert r.status_code == 200, r.text
        t.tokens["admin2"] = r.json()["access_token"]
    return t.tokens["admin2"]


async def approve(client, t: Tenant, response, *, expect: int | None = 200, key: str | None = None) -> dict[str, Any]:
    """Approve the request of a 202 ``response`` as a second person: the
    approver user when the action's checkers include approvers, else the
    admin user (or a second admin when the admin is the maker).  Returns
    the approved request (``result`` holds the action's response body)."""
    from api.sod import POLICIES

    assert response.status_code == 202, response.text
    req = response.json()
    checkers = POLICIES[req["action"]].checker_roles
    role = "approver" if "approver" in checkers else "admin"
    me = await client.get("/v1/me", headers=t.as_user(role))
    token = t.tokens[role]
    if req["maker"]["type"] == "user" and me.json()["actor_id"] == req["maker"]["id"]:
        token = await second_admin(client, t)
    r = await client.post(
        f"/v1/approval-requests/{req['id']}/approve", headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key or f"approve-{req['id']}"},
    )
    if expect is not None:
        assert r.status_code == expect, r.text
    return r.json()


async def submit_and_approve(client, t: Tenant, response) -> dict[str, Any]:
    """``approve`` a 202 and return the executed action's response body
    (asserting it was executed)."""
    done = await approve(client, t, response)
    assert done["status"] == "executed", done
    return done["result"]


async def issue_key(client, t: Tenant, body: dict[str, Any], headers: dict[str, str] | None = None) -> dict[str, Any]:
    """Issue an API key through the API and have a second admin approve it:
    the issued key (``key``, ``signing_secret``, ``id`` ...), active."""
    import uuid

    r = await client.post("/v1/api-keys", json=body, headers={**(headers or t.h()), "Idempotency-Key": str(uuid.uuid4())})
    assert r.status_code == 202, r.text
    await submit_and_approve(client, t, r)
    return {**r.json()["api_key"], "pending": False}


async def create_user_approved(client, t: Tenant, body: dict[str, Any], headers: dict[str, str] | None = None) -> dict[str, Any]:
    """Create a user through the API and have a second admin approve it: the active user."""
    import uuid

    r = await client.post("/v1/users", json=body, headers={**(headers or t.h()), "Idempotency-Key": str(uuid.uuid4())})
    assert r.status_code == 202, r.text
    return await submit_and_approve(client, t, r)
