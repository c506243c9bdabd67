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
    t = Tenant(code, inst.id, issued["key"], issued["signing_secret"], issued["id"])
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


def transfer(t: Tenant, debit: str, credit: str, amount: str, currency: str = "USD", **extra) -> dict:
    return {
        "postings": [
            {"account_id": t.accounts[debit], "side": "debit", "amount": amount, "currency": currency},
            {"account_id": t.accounts[credit], "side": "credit", "amount": amount, "currency": currency},
        ],
        **extra,
    }
