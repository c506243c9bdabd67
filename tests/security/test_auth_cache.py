"""The in-process cache of resolved credentials (api/authcache.py, #14):
a change made in this process (revoke, rotate, disable, logout, password or
role change, signing rule, institution disabled) is effective on the next
request; a change committed by another process (here: another engine on
the same database, which does not reach this process's cache) is effective
at most ``XBORDER_AUTH_CACHE_SECONDS`` later, measured on the cache's
injected clock (no sleeping); request signatures and login throttling are
checked on every request."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import UTC, datetime, timedelta
from uuid import UUID

import httpx
from sqlalchemy import event, update

from api.app import create_app
from api.auth import revoke_api_key, rotate_api_key, set_require_signing, set_user_disabled, set_user_role, sign_request
from api.authcache import QUIET_SECONDS, AuthCache, invalidate
from api.institution_status import set_institution_disabled
from api.schema import api_keys, users
from ledger.db import create_engine

from .conftest import PASSWORD, issue_key, transfer

TTL = 5.0


class Clock:
    """Monotonic seconds that move only when told."""

    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def _cached_clock(app) -> Clock:
    clock = Clock()
    cache = app.state.ctx.auth_cache
    assert isinstance(cache, AuthCache) and cache.ttl == TTL  # the default of XBORDER_AUTH_CACHE_SECONDS
    cache.clock = clock
    cache.clear()  # what the fixtures' requests kept was timed by the real clock
    return clock


def _problem(r, status: int, code: str) -> None:
    assert r.status_code == status, r.text
    assert r.json()["code"] == code


async def test_a_key_revoked_or_rotated_in_this_process_is_refused_on_the_next_request(app, client, tenant_a):
    _cached_clock(app)
    ctx = app.state.ctx
    temp = await issue_key(client, tenant_a, {"name": "temp"})
    h = {"Authorization": f"Bearer {temp['key']}"}
    assert (await client.get("/v1/ledgers", headers=h)).status_code == 200
    digest = ctx.auth_cache.digest(temp["key"])
    assert ctx.auth_cache.get(digest) is not None  # resolved once, then kept
    r = await client.post(f"/v1/api-keys/{temp['id']}/revoke", headers=tenant_a.h())
    assert r.status_code == 200
    assert ctx.auth_cache.get(digest) is None
    _problem(await client.get("/v1/ledgers", headers=h), 401, "credentials_revoked")

    # rotation without grace (through the domain function the CLI and the API call)
    other = await issue_key(client, tenant_a, {"name": "other"})
    oh = {"Authorization": f"Bearer {other['key']}"}
    assert (await client.get("/v1/ledgers", headers=oh)).status_code == 200
    async with ctx.engine.begin() as conn:
        new = await rotate_api_key(conn, ctx.keyring, tenant_a.institution_id, UUID(other["id"]))
    _problem(await client.get("/v1/ledgers", headers=oh), 401, "credentials_revoked")
    assert (await client.get("/v1/ledgers", headers={"Authorization": f"Bearer {new['key']}"})).status_code == 200


async def test_a_rotation_with_grace_keeps_the_old_key_only_until_its_expiry(app, client, tenant_a, engine):
    _cached_clock(app)
    ctx = app.state.ctx
    temp = await issue_key(client, tenant_a, {"name": "temp"})
    h = {"Authorization": f"Bearer {temp['key']}"}
    assert (await client.get("/v1/ledgers", headers=h)).status_code == 200
    async with ctx.engine.begin() as conn:
        await rotate_api_key(conn, ctx.keyring, tenant_a.institution_id, UUID(temp["id"]), grace_seconds=3600)
    ctx.auth_cache.clock.t += QUIET_SECONDS  # a changed key is not kept again at once (its change may not be committed yet)
    assert (await client.get("/v1/ledgers", headers=h)).status_code == 200  # re-resolved: with its expiry
    facts = ctx.auth_cache.get(ctx.auth_cache.digest(temp["key"])).detail
    assert facts.expires_at is not None and facts.expires_at > datetime.now(UTC)
    # the cached expiry is compared with the clock on every request: the
    # key's expiry moved into the past by another process is honoured within the bound
    async with engine.begin() as conn:
        await conn.execute(update(api_keys).where(api_keys.c.id == UUID(temp["id"])).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    ctx.auth_cache.clock.t += TTL
    _problem(await client.get("/v1/ledgers", headers=h), 401, "credentials_expired")


async def test_user_changes_in_this_process_are_effective_on_the_next_request(app, client, tenant_a):
    _cached_clock(app)
    ctx = app.state.ctx
    for role in ("finance", "approver", "sme"):
        assert (await client.get("/v1/me", headers=tenant_a.as_user(role))).status_code == 200
    # logout: that token only
    assert (await client.post("/v1/auth/logout", headers=tenant_a.as_user("finance"))).status_code == 204
    _problem(await client.get("/v1/me", headers=tenant_a.as_user("finance")), 401, "token_revoked")
    # a role change: the next request carries the new role
    async with ctx.engine.begin() as conn:
        uid = UUID((await client.get("/v1/me", headers=tenant_a.as_user("approver"))).json()["actor_id"])
        await set_user_role(conn, tenant_a.institution_id, uid, "finance", actor="user:test")
    assert (await client.get("/v1/me", headers=tenant_a.as_user("approver"))).json()["role"] == "finance"
    # disabled: refused at once
    async with ctx.engine.begin() as conn:
        await set_user_disabled(conn, tenant_a.institution_id, uid, True, actor="user:test")
    _problem(await client.get("/v1/me", headers=tenant_a.as_user("approver")), 401, "token_invalid")
    # a password change revokes every session of the user
    r = await client.post("/v1/auth/token", json={"institution": tenant_a.code, "username": "sme", "password": PASSWORD})
    second = {"Authorization": f"Bearer {r.json()['access_token']}"}
    assert (await client.get("/v1/me", headers=second)).status_code == 200
    r = await client.post("/v1/auth/password", json={"current_password": PASSWORD, "new_password": "an entirely new passphrase 42"}, headers=tenant_a.as_user("sme"))
    assert r.status_code == 204, r.text
    _problem(await client.get("/v1/me", headers=tenant_a.as_user("sme")), 401, "token_revoked")
    _problem(await client.get("/v1/me", headers=second), 401, "token_revoked")


async def test_an_institution_disabled_in_this_process_is_refused_at_once(app, client, tenant_a, tenant_b):
    _cached_clock(app)
    ctx = app.state.ctx
    assert (await client.get("/v1/ledgers", headers=tenant_a.h())).status_code == 200
    assert (await client.get("/v1/me", headers=tenant_a.as_user("finance"))).status_code == 200
    async with ctx.engine.begin() as conn:
        await set_institution_disabled(conn, tenant_a.institution_id, True, reason="test", actor="operator:test")
    _problem(await client.get("/v1/ledgers", headers=tenant_a.h()), 403, "institution_disabled")
    _problem(await client.get("/v1/me", headers=tenant_a.as_user("finance")), 403, "institution_disabled")
    assert (await client.get("/v1/ledgers", headers=tenant_b.h())).status_code == 200


async def test_a_change_committed_by_another_process_is_effective_within_the_bound_and_for_ever_after(app, client, tenant_a, db_url, settings):
    clock = _cached_clock(app)
    assert (await client.get("/v1/ledgers", headers=tenant_a.h())).status_code == 200
    assert (await client.get("/v1/me", headers=tenant_a.as_user("finance"))).status_code == 200
    finance_id = UUID((await client.get("/v1/me", headers=tenant_a.as_user("finance"))).json()["actor_id"])
    # another process: its own engine, its own commit; nothing reaches this process's cache
    other = create_engine(db_url, settings=settings)
    try:
        async with other.begin() as conn:
            await conn.execute(update(api_keys).where(api_keys.c.id == tenant_a.key_id).values(revoked_at=datetime.now(UTC)))
            await conn.execute(update(users).where(users.c.id == finance_id).values(disabled=True))
    finally:
        await other.dispose()
    # within the bound the resolution kept by this process may still answer ...
    clock.t += TTL - 0.25
    assert (await client.get("/v1/ledgers", headers=tenant_a.h())).status_code == 200
    # ... at the bound it is resolved again, and refused from then on
    clock.t += 0.25
    for step in range(4):
        _problem(await client.get("/v1/ledgers", headers=tenant_a.h()), 401, "credentials_revoked")
        _problem(await client.get("/v1/me", headers=tenant_a.as_user("finance")), 401, "token_invalid")
        clock.t += TTL * step


async def test_signatures_and_the_signing_rule_are_checked_on_every_request(app, client, tenant_a):
    _cached_clock(app)
    ctx = app.state.ctx
    path = f"/v1/ledgers/{tenant_a.ledger_id}/transactions"
    body = json.dumps(transfer(tenant_a, "bank", "fees", "1.00")).encode()
    base = {"Content-Type": "application/json"}
    r = await client.post(path, content=body, headers=tenant_a.h(**base, **{"Idempotency-Key": "unsigned"}))
    assert r.status_code == 201  # resolved and kept: no signing rule yet
    async with ctx.engine.begin() as conn:
        await set_require_signing(conn, tenant_a.institution_id, True)
    _problem(await client.post(path, content=body, headers=tenant_a.h(**base, **{"Idempotency-Key": "unsigned-2"})), 401, "signature_required")
    ts = int(time.time())
    signed = {**tenant_a.h(**base, **{"Idempotency-Key": "signed"}), **sign_request(tenant_a.signing_secret, "POST", path, body, ts)}
    assert (await client.post(path, content=body, headers=signed)).status_code == 201
    # the cached key does not skip the replay check: the same signature again is refused
    _problem(await client.post(path, content=body, headers=signed), 401, "signature_replayed")
    wrong = {**signed, "X-Xborder-Signature": "v1=" + "0" * 64}
    _problem(await client.post(path, content=body, headers=wrong), 401, "signature_invalid")


async def test_login_throttling_is_not_cached(app, client, tenant_a):
    _cached_clock(app)
    assert (await client.get("/v1/me", headers=tenant_a.as_user("finance"))).status_code == 200
    statuses = []
    for _ in range(app.state.ctx.settings.login_max_failures + 1):
        r = await client.post("/v1/auth/token", json={"institution": tenant_a.code, "username": "finance", "password": "wrong password 1234"})
        statuses.append(r.status_code)
    assert statuses == [401] * app.state.ctx.settings.login_max_failures + [429]
    # the right password is refused too while locked; the token already issued still works
    r = await client.post("/v1/auth/token", json={"institution": tenant_a.code, "username": "finance", "password": PASSWORD})
    assert r.status_code == 429
    assert (await client.get("/v1/me", headers=tenant_a.as_user("finance"))).status_code == 200


async def test_the_cache_keeps_no_credential_and_can_be_switched_off(engine, settings, tenant_a, app, client):
    ctx = app.state.ctx
    assert (await client.get("/v1/ledgers", headers=tenant_a.h())).status_code == 200
    kept = list(ctx.auth_cache._entries)
    assert kept and all(isinstance(k, bytes) and tenant_a.key.encode() not in k for k in kept)
    assert tenant_a.key not in repr(ctx.auth_cache._entries) and tenant_a.tokens["finance"] not in repr(ctx.auth_cache._entries)
    off = create_app(settings.model_copy(update={"auth_cache_seconds": 0}), engine, background_jobs=False)
    assert off.state.ctx.auth_cache is not None and not off.state.ctx.auth_cache.enabled
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=off), base_url="http://xborder.test") as c2:
        assert (await c2.get("/v1/ledgers", headers=tenant_a.h())).status_code == 200
        assert len(off.state.ctx.auth_cache) == 0
        async with engine.begin() as conn:
            await revoke_api_key(conn, tenant_a.institution_id, tenant_a.key_id, allow_last_system_key=True)
        _problem(await c2.get("/v1/ledgers", headers=tenant_a.h()), 401, "credentials_revoked")


def _count_key_lookups(engine) -> list[str]:
    seen: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if "FROM api_keys" in statement:
            seen.append(statement)

    event.listen(engine.sync_engine, "before_cursor_execute", before)
    return seen


async def _settled(cache: AuthCache) -> None:
    """Wait for the cache's background loads to end."""
    for _ in range(500):
        if not cache._loading:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("a credential load did not end")


async def test_concurrent_requests_with_a_cold_credential_share_one_resolution(app, client, tenant_a):
    _cached_clock(app)
    lookups = _count_key_lookups(app.state.ctx.engine)
    rs = await asyncio.gather(*(client.get("/v1/ledgers", headers=tenant_a.h()) for _ in range(20)))
    assert [r.status_code for r in rs] == [200] * 20
    assert len(lookups) == 1  # not one per request: the bench's 32 connections all missed together every 5 s


async def test_a_credential_in_use_is_refreshed_before_its_bound_and_a_refused_refresh_drops_it(app, client, tenant_a, db_url, settings):
    clock = _cached_clock(app)
    cache = app.state.ctx.auth_cache
    lookups = _count_key_lookups(app.state.ctx.engine)
    assert (await client.get("/v1/ledgers", headers=tenant_a.h())).status_code == 200
    digest = next(iter(cache._entries))
    first = cache.get(digest).stored_at
    clock.t += TTL / 2 + 0.1  # past half its life: answered from the cache, refreshed behind it
    assert (await client.get("/v1/ledgers", headers=tenant_a.h())).status_code == 200
    await _settled(cache)
    assert len(lookups) == 2 and cache.get(digest).stored_at == first + TTL / 2 + 0.1
    clock.t = first + TTL + 0.2  # beyond the first resolution's bound, within the refreshed one's
    assert (await client.get("/v1/ledgers", headers=tenant_a.h())).status_code == 200
    await _settled(cache)
    # revoked by another process: the entry still answers within its bound, its refresh is refused and drops it
    other = create_engine(db_url, settings=settings)
    try:
        async with other.begin() as conn:
            await conn.execute(update(api_keys).where(api_keys.c.id == tenant_a.key_id).values(revoked_at=datetime.now(UTC)))
    finally:
        await other.dispose()
    clock.t += TTL / 2 + 0.1
    assert (await client.get("/v1/ledgers", headers=tenant_a.h())).status_code == 200
    await _settled(cache)
    assert cache.get(digest) is None
    _problem(await client.get("/v1/ledgers", headers=tenant_a.h()), 401, "credentials_revoked")


async def test_a_load_under_way_when_its_credential_changes_is_neither_joined_nor_kept():
    cache = AuthCache(TTL, clock=Clock())
    gate, calls = asyncio.Event(), []

    async def old():
        calls.append("old")
        await gate.wait()
        return "old principal", frozenset({("key", 7)}), None

    async def new():
        calls.append("new")
        return "new principal", frozenset({("key", 7)}), None

    first = asyncio.create_task(cache.resolve(b"d", old))
    await asyncio.sleep(0)
    joined = asyncio.create_task(cache.resolve(b"d", new))  # a concurrent miss waits for the same load
    await asyncio.sleep(0)
    invalidate(("key", 7))  # the key changed (revoked, rotated) while it was being resolved
    after = await cache.resolve(b"d", new)  # a request after the change does not join the old load
    assert after.principal == "new principal"
    gate.set()
    assert (await first).principal == "old principal" and (await joined).principal == "old principal"
    assert calls == ["old", "new"]
    assert cache.get(b"d") is None  # neither is kept: the quiet period after a change
