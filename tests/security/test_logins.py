"""Hardened logins (issue #18, part 3), on SQLite and PostgreSQL: lockout per
user name and throttling per source address (429 ``login_throttled`` with
Retry-After, the same for unknown users, counted atomically), the password
policy, server-side revocation (logout, password change, disable; API and
console), the signing rule for user tokens, and the audit of every refusal.
The lockout clock is injected (``AppContext.clock``): no test sleeps."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from sqlalchemy import select

from api.auth import set_require_signing, sign_request
from ledger.events import audit_log
from tests.api.conftest import approve
from tests.console.conftest import csrf_of
from tests.console.conftest import login as console_login

from .test_security import _problem

WRONG = "not the password at all"
STRONG = "settle-ledger-quota-47"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(app) -> Clock:
    c = Clock()
    app.state.ctx.clock = c
    return c


def client_from(app, address: str) -> httpx.AsyncClient:
    """A client whose requests come from ``address`` (as the server sees it)."""
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=(address, 40000)), base_url="http://xborder.test", follow_redirects=False)


async def _login(c: httpx.AsyncClient, username: str, password: str, institution: str = "bank-a") -> httpx.Response:
    return await c.post("/v1/auth/token", json={"institution": institution, "username": username, "password": password})


async def _audit(app, action: str) -> list[dict]:
    async with app.state.ctx.engine.connect() as conn:
        rows = (await conn.execute(select(audit_log).where(audit_log.c.action == action).order_by(audit_log.c.id))).all()
    return [dict(r._mapping) for r in rows]


def _without_instance(body: dict) -> dict:
    return {k: v for k, v in body.items() if k != "instance"}


# == lockout and throttling ================================================================


async def test_forty_wrong_passwords_lock_the_user_and_the_right_one_waits_for_the_lockout(app, client, tenant_a, clock):
    async with client_from(app, "10.1.0.1") as c:
        statuses = [(await _login(c, "finance", WRONG)).status_code for _ in range(40)]
        assert statuses == [401] * 5 + [429] * 35
        r = await _login(c, "finance", "correct horse battery")
        body = _problem(r, 429, "login_throttled")
        assert r.headers["Retry-After"] == "900" and body["retry_after"] == 900
        clock.advance(899)
        r = await _login(c, "finance", "correct horse battery")
        assert r.status_code == 429 and r.headers["Retry-After"] == "1"
        clock.advance(2)
        r = await _login(c, "finance", "correct horse battery")
        assert r.status_code == 200, r.text
        # the count starts again after a success
        assert [(await _login(c, "finance", WRONG)).status_code for _ in range(6)] == [401] * 5 + [429]
    failed = await _audit(app, "auth.login_failed")
    mine = [e for e in failed if e["after"]["address"] == "10.1.0.1"]
    assert len(mine) == 10 and {e["after"]["reason"] for e in mine} == {"wrong_password"}
    user_id = next(u["id"] for u in (await client.get("/v1/users", headers=tenant_a.h())).json()["data"] if u["username"] == "finance")
    assert {e["object_id"] for e in mine} == {user_id} and {e["institution_id"] for e in mine} == {tenant_a.institution_id}
    locked = [e for e in await _audit(app, "auth.login_locked") if e["after"]["address"] == "10.1.0.1"]
    # two locks started (at the 5th failure of each round); refused while locked: 35, the right password twice, 1 in the second round
    assert len(locked) == 2 + 35 + 2 + 1
    assert sum(1 for e in locked if "lock_seconds" in e["after"]) == 2
    everything = json.dumps([*failed, *locked], default=str)
    assert WRONG not in everything and "correct horse battery" not in everything


async def test_an_unknown_user_gets_exactly_the_same_answers(app, client, tenant_a, clock):
    async def run(address: str, username: str, institution: str = "bank-a") -> list[tuple[int, dict, str | None]]:
        async with client_from(app, address) as c:
            out = []
            for _ in range(7):
                r = await _login(c, username, WRONG, institution)
                out.append((r.status_code, _without_instance(r.json()), r.headers.get("Retry-After")))
            return out

    known = await run("10.2.0.1", "approver")
    unknown = await run("10.2.0.2", "nobody-here")
    no_institution = await run("10.2.0.3", "approver", "no-such-bank")
    assert known == unknown == no_institution
    assert [s for s, _, _ in known] == [401] * 5 + [429] * 2 and known[-1][2] == "900"
    reasons = [e["after"]["reason"] for e in await _audit(app, "auth.login_failed")]
    assert reasons.count("unknown_user") == 10 and reasons.count("wrong_password") == 5
    unknown_entries = [e for e in await _audit(app, "auth.login_failed") if e["after"]["reason"] == "unknown_user"]
    assert {e["object_id"] for e in unknown_entries} == {"unknown"} and "nobody-here" not in json.dumps(unknown_entries, default=str)


async def test_too_many_failures_from_one_address_are_throttled_whatever_the_user(app, client, tenant_a, clock):
    async with client_from(app, "10.3.0.1") as c:
        # 30 failures spread over 10 user names (3 each: no user is locked)
        for i in range(30):
            assert (await _login(c, f"user-{i % 10}", WRONG)).status_code == 401
        r = await _login(c, "admin", "correct horse battery")
        _problem(r, 429, "login_throttled")
        assert r.headers["Retry-After"] == "900"
    # another address is not affected, and neither is the user
    async with client_from(app, "10.3.0.2") as c:
        assert (await _login(c, "admin", "correct horse battery")).status_code == 200
    clock.advance(901)
    async with client_from(app, "10.3.0.1") as c:
        assert (await _login(c, "admin", "correct horse battery")).status_code == 200
    assert any(e["after"]["reason"] == "address_throttled" for e in await _audit(app, "auth.login_locked"))


async def test_parallel_wrong_passwords_never_get_more_checks_than_the_limit(app, client, tenant_a, clock):
    """Forty attempts at once (from forty addresses, on PostgreSQL through
    the connection pool in parallel): exactly five are checked."""

    async def attempt(i: int) -> int:
        async with client_from(app, f"10.4.0.{i + 1}") as c:
            return (await _login(c, "admin", WRONG)).status_code

    statuses = await asyncio.gather(*(attempt(i) for i in range(40)))
    assert sorted(statuses) == [401] * 5 + [429] * 35
    async with client_from(app, "10.4.1.1") as c:
        assert (await _login(c, "admin", "correct horse battery")).status_code == 429
    assert len([e for e in await _audit(app, "auth.login_failed") if e["after"]["address"].startswith("10.4.0.")]) == 5


async def test_the_console_login_is_throttled_too(app, tenant_a, clock):
    async with client_from(app, "10.5.0.1") as c:
        for _ in range(5):
            assert (await console_login(c, "bank-a", "finance", WRONG)).status_code == 401
        r = await console_login(c, "bank-a", "finance", "correct horse battery")
        # the console speaks Chinese unless the user chose English
        assert r.status_code == 429 and r.headers["Retry-After"] == "900" and "登录失败次数过多，请在 900 秒后重试" in r.text
        assert "xb_console=" not in r.headers.get("set-cookie", "")
        clock.advance(901)
        assert (await console_login(c, "bank-a", "finance", "correct horse battery")).status_code == 303
    assert {e["after"]["channel"] for e in await _audit(app, "auth.login_failed")} == {"console"}


# == password policy =========================================================================


@pytest.mark.parametrize("password", ["aaaaaaaaaa", "aaaaaaaaaaaaaaaa", "Password123!", "qwertyuiop123", "iloveyou2024", "short1!"])
async def test_weak_passwords_are_refused_for_every_role(client, tenant_a, password):
    for role, extra in (("admin", {}), ("finance", {}), ("approver", {}), ("sme", {"merchant_ref": "M001"})):
        r = await client.post("/v1/users", json={"username": f"new-{role}", "password": password, "role": role, **extra}, headers=tenant_a.h(**{"Idempotency-Key": f"u-{role}"}))
        body = _problem(r, 422, "weak_password")
        assert body["reasons"], body
    assert (await client.get("/v1/users", headers=tenant_a.h())).json()["data"].__len__() == 4


async def test_the_user_name_and_institution_code_are_refused_and_a_strong_password_accepted(client, tenant_a):
    r = await client.post("/v1/users", json={"username": "treasury-desk", "password": "treasury-desk-2026", "role": "finance"}, headers=tenant_a.h(**{"Idempotency-Key": "u1"}))
    assert "contains the user name" in _problem(r, 422, "weak_password")["reasons"]
    r = await client.post("/v1/users", json={"username": "bob", "password": "bank-a", "role": "finance"}, headers=tenant_a.h(**{"Idempotency-Key": "u2"}))
    assert "contains the institution code" in _problem(r, 422, "weak_password")["reasons"]
    r = await client.post("/v1/users", json={"username": "bob", "password": STRONG, "role": "finance"}, headers=tenant_a.h(**{"Idempotency-Key": "u3"}))
    assert r.status_code == 202, r.text  # four eyes: pending until a second admin approves
    assert (await client.post("/v1/auth/token", json={"institution": "bank-a", "username": "bob", "password": STRONG})).status_code == 401
    await approve(client, tenant_a, r)
    assert (await client.post("/v1/auth/token", json={"institution": "bank-a", "username": "bob", "password": STRONG})).status_code == 200


# == revocation ===============================================================================


async def test_logout_revokes_the_token_at_once_and_only_that_one(app, client, tenant_a):
    other = (await _login(client, "finance", "correct horse battery")).json()["access_token"]
    r = await client.post("/v1/auth/logout", headers=tenant_a.as_user("finance"))
    assert r.status_code == 204
    _problem(await client.get("/v1/me", headers=tenant_a.as_user("finance")), 401, "token_revoked")
    assert (await client.get("/v1/me", headers={"Authorization": f"Bearer {other}"})).status_code == 200
    # an API key has no session to log out
    _problem(await client.post("/v1/auth/logout", headers=tenant_a.h()), 403)
    assert len(await _audit(app, "auth.logout")) == 1


async def test_console_logout_revokes_the_cookie_token_and_api_tokens_are_not_console_sessions(app, tenant_a):
    async with client_from(app, "10.6.0.1") as c:
        assert (await console_login(c, "bank-a", "finance", "correct horse battery")).status_code == 303
        cookie = c.cookies.get("xb_console")
        page = await c.get("/console/dashboard")
        assert page.status_code == 200
        # the console's token is not an API credential
        _problem(await c.get("/v1/me", headers={"Authorization": f"Bearer {cookie}"}), 401, "token_invalid")
        r = await c.post("/console/logout", data={"csrf": csrf_of(page.text)})
        assert r.status_code == 303
        c.cookies.set("xb_console", cookie, domain="xborder.test", path="/console")  # a copy of the cookie kept by an attacker
        r = await c.get("/console/dashboard")
        assert r.status_code == 303 and r.headers["location"].startswith("/console/login")


async def test_a_password_change_revokes_every_token_and_the_old_password(app, client, tenant_a):
    second = (await _login(client, "approver", "correct horse battery")).json()["access_token"]
    h = tenant_a.as_user("approver")
    _problem(await client.post("/v1/auth/password", json={"current_password": WRONG, "new_password": STRONG}, headers=h), 403, "invalid_password")
    body = _problem(await client.post("/v1/auth/password", json={"current_password": "correct horse battery", "new_password": "aaaaaaaaaa"}, headers=h), 422, "weak_password")
    assert any("12 characters" in x for x in body["reasons"]) and any("guess" in x for x in body["reasons"])
    assert (await client.get("/v1/me", headers=h)).status_code == 200  # refusals changed nothing
    r = await client.post("/v1/auth/password", json={"current_password": "correct horse battery", "new_password": STRONG}, headers=h)
    assert r.status_code == 204, r.text
    for token in (tenant_a.tokens["approver"], second):
        _problem(await client.get("/v1/me", headers={"Authorization": f"Bearer {token}"}), 401, "token_revoked")
    assert (await _login(client, "approver", "correct horse battery")).status_code == 401
    assert (await _login(client, "approver", STRONG)).status_code == 200
    assert [e["after"]["sessions_revoked"] for e in await _audit(app, "user.password_change")] == [2]
    assert [e["after"]["reason"] for e in await _audit(app, "auth.password_change_failed")] == ["wrong_password"]


async def test_disable_revokes_at_once_and_enable_does_not_bring_old_tokens_back(client, tenant_a):
    me = (await client.get("/v1/me", headers=tenant_a.as_user("finance"))).json()
    assert (await client.post(f"/v1/users/{me['actor_id']}/disable", headers=tenant_a.h())).status_code == 200
    _problem(await client.get("/v1/me", headers=tenant_a.as_user("finance")), 401)
    await approve(client, tenant_a, await client.post(f"/v1/users/{me['actor_id']}/enable", headers=tenant_a.h(**{"Idempotency-Key": "enable"})))
    _problem(await client.get("/v1/me", headers=tenant_a.as_user("finance")), 401, "token_revoked")
    assert (await _login(client, "finance", "correct horse battery")).status_code == 200


# == signing =====================================================================================


async def test_when_signing_is_required_user_tokens_must_be_signed_and_refusals_are_audited(app, client, tenant_a):
    async with app.state.ctx.engine.begin() as conn:
        await set_require_signing(conn, tenant_a.institution_id, True)
    path = f"/v1/ledgers/{tenant_a.ledger_id}/accounts"
    token, secret = tenant_a.tokens["finance"], tenant_a.signing["finance"]
    _problem(await client.get(path, headers=tenant_a.as_user("finance")), 401, "signature_required")
    signed = sign_request(secret, "GET", path, b"")
    assert (await client.get(path, headers={"Authorization": f"Bearer {token}", **signed})).status_code == 200
    _problem(await client.get(path, headers={"Authorization": f"Bearer {token}", **signed}), 401, "signature_replayed")
    _problem(await client.get(path, headers={"Authorization": f"Bearer {token}", **sign_request("another secret", "GET", path, b"")}), 401, "signature_invalid")
    old = sign_request(secret, "GET", path, b"", timestamp=int(datetime.now(UTC).timestamp()) - 3600)
    _problem(await client.get(path, headers={"Authorization": f"Bearer {token}", **old}), 401, "signature_expired")
    # another user's signing secret does not sign this user's requests
    _problem(await client.get(path, headers={"Authorization": f"Bearer {token}", **sign_request(tenant_a.signing["admin"], "GET", path, b"")}), 401, "signature_invalid")
    # API keys as before, and audited the same way
    _problem(await client.get(path, headers=tenant_a.h()), 401, "signature_required")
    refused = await _audit(app, "auth.signature_refused")
    assert [e["after"]["reason"] for e in refused] == ["missing", "replayed", "wrong", "stale", "wrong", "missing"]
    assert [e["actor_type"] for e in refused] == ["user"] * 5 + ["api_key"]
    assert {e["institution_id"] for e in refused} == {tenant_a.institution_id}
    # a refused signature changes nothing else: the POST is not posted
    body = json.dumps({"code": "refused", "currency": "USD", "type": "asset"}).encode()
    r = await client.post(path, content=body, headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json", "Idempotency-Key": "sig-x"})
    _problem(r, 401, "signature_required")
    query = path + "?limit=1000"  # not the signature already used above
    listed = await client.get(query, headers={"Authorization": f"Bearer {token}", **sign_request(secret, "GET", query, b"")})
    assert listed.status_code == 200, listed.text
    assert "refused" not in [a["code"] for a in listed.json()["data"]]


def test_the_cli_applies_the_password_policy(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "XBORDER_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}", "XBORDER_DATA_DIR": str(tmp_path / "keys"), "COLUMNS": "200"}
    env["PYTHONPATH"] = os.getcwd() + os.pathsep + env.get("PYTHONPATH", "")

    def run(*args: str, password: str | None = None) -> subprocess.CompletedProcess[str]:
        extra = {"XBORDER_NEW_USER_PASSWORD": password} if password else {}
        return subprocess.run([sys.executable, "-m", "api.cli", *args], cwd=tmp_path, env={**env, **extra}, capture_output=True, text=True, timeout=180)

    assert run("demo", "--no-serve").returncode == 0
    weak = run("user", "create", "demo-bank", "weakling", "--role", "finance", password="aaaaaaaaaa")
    assert weak.returncode == 1 and "weak_password" in weak.stdout + weak.stderr
    strong = run("user", "create", "demo-bank", "strongling", "--role", "finance", password=STRONG)
    assert strong.returncode == 0, strong.stdout + strong.stderr
