"""Disabling an institution (offboarding, a compromised participant): while
disabled, every credential of it -- API keys, platform keys, users' access
tokens, console sessions, logins -- is refused with 403
``institution_disabled``; its data is kept; both changes are audited; the
other institutions are unaffected.  The operator's ``xborder institution
disable/enable`` (a real process) against the app on both databases."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from api.auth import LoginAttempt, issue_api_key, login
from ledger.schema import audit_log

from .conftest import PASSWORD, pass_auth_cache_bound

ROOT = Path(__file__).resolve().parents[2]


def _cli(db_url: str, settings, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("XBORDER_")}, "XBORDER_DATABASE_URL": db_url,
           "XBORDER_SECRET_KEY": settings.secret_key, "XBORDER_REGISTRY_KEY": settings.registry_key, "XBORDER_LEDGER_SIGNING_KEY": settings.ledger_signing_key,
           "XBORDER_DATA_DIR": str(tmp_path / "data"), "PYTHONPATH": str(ROOT), "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "api.cli", *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


async def _statuses(client, tenant, platform_key: str, console_token: str) -> dict[str, int]:
    """The status each credential of ``tenant`` gets, on a read route."""
    client.cookies.set("xb_console", console_token, path="/console")
    try:
        console = (await client.get("/console/dashboard", follow_redirects=False)).status_code
    finally:
        client.cookies.clear()
    return {
        "console": console,
        "api_key": (await client.get("/v1/ledgers", headers=tenant.h())).status_code,
        "platform_key": (await client.get("/v1/me", headers={"Authorization": f"Bearer {platform_key}"})).status_code,
        "user_token": (await client.get("/v1/me", headers=tenant.as_user("finance"))).status_code,
        "sme_token": (await client.get("/v1/me", headers=tenant.as_user("sme"))).status_code,
        "login": (await client.post("/v1/auth/token", json={"institution": tenant.code, "username": "admin", "password": PASSWORD})).status_code,
    }


async def test_a_disabled_institution_has_every_credential_refused_its_data_kept_and_the_change_audited(app, client, tenant_a, tenant_b, db_url, settings, tmp_path):
    ctx = app.state.ctx
    async with ctx.engine.begin() as conn:
        platform = await issue_api_key(conn, ctx.keyring, tenant_a.institution_id, name="platform", role="platform", platform_code="P1")
    r = await client.post(f"/v1/ledgers/{tenant_a.ledger_id}/transactions", headers=tenant_a.h(**{"Idempotency-Key": "before-disable"}), json={
        "postings": [{"account_id": tenant_a.accounts["bank"], "side": "debit", "amount": "12.34", "currency": "USD"},
                     {"account_id": tenant_a.accounts["merchant"], "side": "credit", "amount": "12.34", "currency": "USD"}]})
    assert r.status_code == 201, r.text
    # a console session (an API token is not one)
    console = (await login(ctx.engine, ctx.keyring, LoginAttempt(tenant_a.code, "finance", PASSWORD, "10.9.9.9", "console")))["access_token"]
    ok = {"api_key": 200, "platform_key": 200, "user_token": 200, "sme_token": 200, "login": 200, "console": 200}
    assert await _statuses(client, tenant_a, platform["key"], console) == ok

    no_reason = _cli(db_url, settings, tmp_path, "institution", "disable", tenant_a.code)
    assert no_reason.returncode != 0 and "--reason" in no_reason.stderr
    out = _cli(db_url, settings, tmp_path, "institution", "disable", tenant_a.code, "--reason", "offboarding: contract ended")
    assert out.returncode == 0, out.stderr
    assert "disabled" in out.stdout
    pass_auth_cache_bound(app)  # another process: effective within XBORDER_AUTH_CACHE_SECONDS

    got = await _statuses(client, tenant_a, platform["key"], console)
    # the console sends a refused session back to its login page
    assert got == {"api_key": 403, "platform_key": 403, "user_token": 403, "sme_token": 403, "login": 403, "console": 303}
    refused = await client.post(f"/v1/ledgers/{tenant_a.ledger_id}/transactions", headers=tenant_a.h(**{"Idempotency-Key": "while-disabled"}), json={
        "postings": [{"account_id": tenant_a.accounts["bank"], "side": "debit", "amount": "1.00", "currency": "USD"},
                     {"account_id": tenant_a.accounts["merchant"], "side": "credit", "amount": "1.00", "currency": "USD"}]})
    assert refused.status_code == 403
    body = refused.json()
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert body["type"].endswith("/institution_disabled") and body["status"] == 403
    # another institution is unaffected
    assert (await client.get("/v1/ledgers", headers=tenant_b.h())).status_code == 200
    assert (await client.get("/v1/me", headers=tenant_b.as_user("finance"))).status_code == 200

    assert _cli(db_url, settings, tmp_path, "institution", "enable", tenant_a.code, "--reason", "re-onboarded").returncode == 0
    pass_auth_cache_bound(app)
    assert await _statuses(client, tenant_a, platform["key"], console) == ok
    # data kept: the posting made before, nothing from the refused request
    bal = await client.get(f"/v1/accounts/{tenant_a.accounts['merchant']}/balance", headers=tenant_a.h())
    assert bal.status_code == 200 and "12.34" in bal.text
    async with ctx.engine.connect() as conn:
        rows = (await conn.execute(select(audit_log).where(audit_log.c.institution_id == tenant_a.institution_id, audit_log.c.object_type == "institution")
                                   .order_by(audit_log.c.created_at, audit_log.c.id))).all()
    assert [(r.action, r.actor_id, r.before["disabled"], r.after["disabled"], r.after["reason"]) for r in rows if r.action.startswith("institution.")] == [
        ("institution.disable", "operator:cli", False, True, "offboarding: contract ended"),
        ("institution.enable", "operator:cli", True, False, "re-onboarded"),
    ]


async def test_disabling_an_unknown_institution_fails_with_a_message(db_url, settings, tmp_path):
    out = _cli(db_url, settings, tmp_path, "institution", "disable", "no-such-bank", "--reason", "x")
    assert out.returncode == 1
    assert "no institution with code 'no-such-bank'" in out.stderr
