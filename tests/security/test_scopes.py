"""Scoped API keys (issue #18): a strict vocabulary, least privilege by
default, no key administering users or keys unless scoped for it, no key
granting more than it holds, platform keys limited to trade data, rotation
copying scopes, the last system key kept, and the 0022 migration giving the
keys that existed before scopes what they could do (less key and user
administration).  SQLite and PostgreSQL."""

from __future__ import annotations

import importlib.util
import uuid
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select, text

from api.auth import issue_api_key
from api.schema import api_keys
from api.scopes import ALL_SCOPES, MIGRATED_SYSTEM_SCOPES, PLATFORM_SCOPES, PRIVILEGED_SCOPES, READ_ONLY_SCOPES, SCOPES
from ledger.db import create_engine
from ledger.migrate import upgrade_async
from tests.api.conftest import approve, transfer

PROBLEM = "application/problem+json"


def _problem(r, status: int, code: str) -> dict:
    assert r.status_code == status, f"{r.request.method} {r.request.url.path}: {r.status_code} {r.text[:400]}"
    assert r.headers["content-type"].startswith(PROBLEM)
    body = r.json()
    assert body["code"] == code, body
    return body


async def _key(app, t, scopes, name: str = "k") -> dict[str, str]:
    ctx = app.state.ctx
    async with ctx.engine.begin() as conn:
        issued = await issue_api_key(conn, ctx.keyring, t.institution_id, name=name, scopes=scopes)
    return {"Authorization": f"Bearer {issued['key']}", "id": str(issued["id"])}


def _auth(h: dict[str, str], **extra) -> dict[str, str]:
    return {"Authorization": h["Authorization"], **extra}


async def _keys(client, t) -> list[dict]:
    return (await client.get("/v1/api-keys", params={"limit": 1000}, headers=t.h())).json()["data"]


def test_the_vocabulary():
    assert all(s.count(":") == 1 for s in SCOPES) and len(SCOPES) == len(set(SCOPES))
    assert set(READ_ONLY_SCOPES) == {s for s in SCOPES if s.endswith(":read")}
    assert {"keys:manage", "users:manage"} == PRIVILEGED_SCOPES and not PRIVILEGED_SCOPES & set(READ_ONLY_SCOPES)
    assert set(MIGRATED_SYSTEM_SCOPES) == set(ALL_SCOPES) - PRIVILEGED_SCOPES
    assert PLATFORM_SCOPES == ("tradedata:write",)


async def test_issuing_scopes_is_strict_least_privilege_and_listed(client, tenant_a):
    before = len(await _keys(client, tenant_a))
    r = await client.post("/v1/api-keys", json={"name": "x", "scopes": ["ledger:read", "ledger:everything"]}, headers=tenant_a.h(**{"Idempotency-Key": "k1"}))
    body = _problem(r, 422, "unknown_scope")
    assert body["scope"] == "ledger:everything" and "ledger:everything" in body["detail"]
    _problem(await client.post("/v1/api-keys", json={"name": "x", "scopes": "ledger:read"}, headers=tenant_a.h(**{"Idempotency-Key": "k2"})), 422, "validation_error")
    body = _problem(await client.post("/v1/api-keys", json={"name": "p", "role": "platform", "platform_code": "shopx", "scopes": ["ledger:write"]}, headers=tenant_a.h(**{"Idempotency-Key": "k3"})), 422, "scope_not_allowed")
    assert body["scope"] == "ledger:write"
    assert len(await _keys(client, tenant_a)) == before  # nothing issued
    default = await client.post("/v1/api-keys", json={"name": "default"}, headers=tenant_a.h(**{"Idempotency-Key": "k4"}))
    assert default.status_code == 202 and default.json()["api_key"]["scopes"] == list(READ_ONLY_SCOPES)
    platform = await client.post("/v1/api-keys", json={"name": "p", "role": "platform", "platform_code": "shopx"}, headers=tenant_a.h(**{"Idempotency-Key": "k5"}))
    assert platform.json()["api_key"]["scopes"] == ["tradedata:write"]
    asked = await client.post("/v1/api-keys", json={"name": "w", "scopes": ["settlement:write", "ledger:read", "ledger:read"]}, headers=tenant_a.h(**{"Idempotency-Key": "k6"}))
    assert asked.json()["api_key"]["scopes"] == ["ledger:read", "settlement:write"]  # vocabulary order, once each
    listed = {k["name"]: k["scopes"] for k in await _keys(client, tenant_a)}
    assert listed == {"integration": list(ALL_SCOPES), "default": list(READ_ONLY_SCOPES), "p": ["tradedata:write"], "w": ["ledger:read", "settlement:write"]}
    await approve(client, tenant_a, default)  # four eyes: the key works once a second person approves it
    me = await client.get("/v1/me", headers={"Authorization": f"Bearer {default.json()['api_key']['key']}"})
    assert me.status_code == 200  # /v1/me needs no scope


async def test_no_key_creates_users_or_keys_unless_scoped_for_it(app, client, tenant_a):
    """The issue's bypass: a system key (here with every scope a deployment's
    keys get from the migration) creating an admin user or issuing a key."""
    k = await _key(app, tenant_a, MIGRATED_SYSTEM_SCOPES)
    admin = {"username": "mallory", "password": "a long passphrase", "role": "admin"}
    body = _problem(await client.post("/v1/users", json=admin, headers=_auth(k, **{"Idempotency-Key": "k7"})), 403, "forbidden_scope")
    assert body["scope"] == "users:manage" and "users:manage" in body["detail"]
    assert _problem(await client.post("/v1/api-keys", json={"name": "more"}, headers=_auth(k, **{"Idempotency-Key": "k8"})), 403, "forbidden_scope")["scope"] == "keys:manage"
    assert _problem(await client.get("/v1/api-keys", headers=_auth(k)), 403, "forbidden_scope")["scope"] == "keys:manage"
    assert _problem(await client.post(f"/v1/api-keys/{tenant_a.key_id}/revoke", json={}, headers=_auth(k)), 403, "forbidden_scope")["scope"] == "keys:manage"
    users = (await client.get("/v1/users", headers=tenant_a.h())).json()["data"]
    assert "mallory" not in {u["username"] for u in users}
    # asked for explicitly, the scope admits; a user is governed by the role alone
    scoped = await _key(app, tenant_a, ["users:manage"])
    assert (await client.post("/v1/users", json=admin, headers=_auth(scoped, **{"Idempotency-Key": "k9"}))).status_code == 202
    assert (await client.post("/v1/users", json={**admin, "username": "trent"}, headers=tenant_a.as_user("admin", **{"Idempotency-Key": "k10"}))).status_code == 202


async def test_a_key_grants_only_scopes_it_holds(app, client, tenant_a):
    k = await _key(app, tenant_a, ["keys:manage", "ledger:read"])
    before = len(await _keys(client, tenant_a))
    body = _problem(await client.post("/v1/api-keys", json={"name": "up", "scopes": ["ledger:write"]}, headers=_auth(k, **{"Idempotency-Key": "k11"})), 403, "forbidden_scope")
    assert body["scope"] == "ledger:write"
    _problem(await client.post("/v1/api-keys", json={"name": "up", "scopes": ["users:manage"]}, headers=_auth(k, **{"Idempotency-Key": "k12"})), 403, "forbidden_scope")
    _problem(await client.post("/v1/api-keys", json={"name": "default"}, headers=_auth(k, **{"Idempotency-Key": "k13"})), 403, "forbidden_scope")  # the default includes scopes it lacks
    # rotating a stronger key would hand its scopes out: refused too
    _problem(await client.post(f"/v1/api-keys/{tenant_a.key_id}/rotate", json={"grace_seconds": 60}, headers=_auth(k)), 403, "forbidden_scope")
    assert len(await _keys(client, tenant_a)) == before
    ok = await client.post("/v1/api-keys", json={"name": "same", "scopes": ["ledger:read"]}, headers=_auth(k, **{"Idempotency-Key": "k14"}))
    assert ok.status_code == 202 and ok.json()["api_key"]["scopes"] == ["ledger:read"]


async def test_a_read_only_key_moves_no_money_and_decides_nothing(app, client, tenant_a):
    """The issue's bypass: a system key deciding loans and releasing held
    receipts.  Refused before the ids are looked up (random ids: 403, not 404)."""
    k = await _key(app, tenant_a, READ_ONLY_SCOPES)
    x = uuid.uuid4()
    cases = [
        ("POST", f"/v1/ledgers/{tenant_a.ledger_id}/transactions", transfer(tenant_a, "bank", "fees", "1.00"), "ledger:write"),
        ("POST", f"/v1/receipts/{x}/release", {"reason": "x"}, "settlement:write"),
        ("POST", f"/v1/financing/loans/{x}/decision", {"approve": True}, "financing:write"),
        ("POST", f"/v1/financing/loans/{x}/write-off", {}, "financing:write"),
        ("POST", "/v1/customers", {}, "customers:write"),
        ("POST", "/v1/webhook-endpoints", {}, "webhooks:manage"),
    ]
    for method, url, body, scope in cases:
        r = await client.request(method, url, json=body, headers=_auth(k, **{"Idempotency-Key": str(uuid.uuid4())}))
        assert _problem(r, 403, "forbidden_scope")["scope"] == scope
    assert (await client.get("/v1/ledgers", headers=_auth(k))).status_code == 200
    assert (await client.get(f"/v1/ledgers/{tenant_a.ledger_id}/trial-balance", headers=_auth(k))).status_code == 200
    ver = (await client.get(f"/v1/ledgers/{tenant_a.ledger_id}/verification", headers=tenant_a.h())).json()
    assert ver["transactions_checked"] == 0


async def test_rotation_copies_scopes(app, client, tenant_a):
    k = await _key(app, tenant_a, ["ledger:read", "recon:write"], name="narrow")
    for grace in (3600, 0):
        r = await client.post(f"/v1/api-keys/{k['id']}/rotate", json={"grace_seconds": grace}, headers=tenant_a.h())
        assert r.status_code == 201 and r.json()["scopes"] == ["ledger:read", "recon:write"], r.text
        new = {"Authorization": f"Bearer {r.json()['key']}"}
        assert _problem(await client.post("/v1/ledgers", json={"code": f"g{grace}", "name": "x"}, headers={**new, "Idempotency-Key": f"g{grace}"}), 403, "forbidden_scope")["scope"] == "ledger:write"
        k = {**new, "id": r.json()["id"]}


async def test_the_last_system_key_survives_rotation_and_its_grace_period(client, tenant_a):
    """The fixture's key is the institution's only system key.  Rotated
    without grace (confirm_self): the new key replaces it with the same
    scopes, still one active system key.  Rotated with grace: the old key is
    on its way out and does not count, so the new one cannot be revoked."""
    r = await client.post(f"/v1/api-keys/{tenant_a.key_id}/rotate", json={"grace_seconds": 0, "confirm_self": True}, headers=tenant_a.h())
    assert r.status_code == 201 and r.json()["scopes"] == list(ALL_SCOPES)
    new = {"Authorization": f"Bearer {r.json()['key']}"}
    assert (await client.get("/v1/me", headers=tenant_a.h())).status_code == 401
    active = [k for k in (await client.get("/v1/api-keys", headers=new)).json()["data"] if k["role"] == "system" and k["revoked_at"] is None]
    assert [k["id"] for k in active] == [r.json()["id"]]
    _problem(await client.post(f"/v1/api-keys/{r.json()['id']}/revoke", json={"confirm_self": True}, headers=new), 409, "last_system_key")
    graced = await client.post(f"/v1/api-keys/{r.json()['id']}/rotate", json={"grace_seconds": 3600}, headers=new)
    assert graced.status_code == 201
    newest = {"Authorization": f"Bearer {graced.json()['key']}"}
    # the old key still works during its grace period, but it is not a spare
    _problem(await client.post(f"/v1/api-keys/{graced.json()['id']}/revoke", json={}, headers=new), 409, "last_system_key")
    assert (await client.get("/v1/me", headers=newest)).status_code == 200
    # a spare system key makes revocation possible again
    spare = await client.post("/v1/api-keys", json={"name": "spare"}, headers={**newest, "Idempotency-Key": "spare"})
    await approve(client, tenant_a, spare)
    assert (await client.post(f"/v1/api-keys/{graced.json()['id']}/revoke", json={}, headers={"Authorization": f"Bearer {spare.json()['api_key']['key']}"})).status_code == 403  # read-only spare
    assert (await client.post(f"/v1/api-keys/{graced.json()['id']}/revoke", json={}, headers=tenant_a.as_user("admin"))).status_code == 200


def _migration():
    path = Path(__file__).resolve().parents[2] / "migrations" / "versions" / "0022_key_scopes.py"
    spec = importlib.util.spec_from_file_location("m0022", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


async def test_the_migration_gives_existing_keys_every_scope_but_key_and_user_administration(db_kind, request, tmp_path):
    mod = _migration()
    assert tuple(mod.MIGRATED_SYSTEM_SCOPES) == MIGRATED_SYSTEM_SCOPES and tuple(mod.PLATFORM_SCOPES) == PLATFORM_SCOPES
    if db_kind == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'scopes.db'}"
    else:
        pg = request.getfixturevalue("pg")
        name = f"xb_scopes_{tmp_path.name[-20:].replace('-', '_')}"
        pg.server.create_database(name)
        url = pg.server.url(name)
    engine = create_engine(url)
    try:
        await upgrade_async(engine, "0020")
        inst, sys_key, plat_key = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        now = datetime.now(UTC)
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO institutions (id, code, name, kind, created_at) VALUES (:id, 'b', 'B', 'bank', :now)"), {"id": inst if db_kind == "postgresql" else inst.hex, "now": now})
            for kid, role, pc in ((sys_key, "system", None), (plat_key, "platform", "shopx")):
                await conn.execute(
                    text("INSERT INTO api_keys (id, institution_id, prefix, secret_hash, signing_secret_enc, name, role, platform_code, created_at) "
                         "VALUES (:id, :inst, :prefix, 'h', 'e', 'n', :role, :pc, :now)"),
                    {"id": kid if db_kind == "postgresql" else kid.hex, "inst": inst if db_kind == "postgresql" else inst.hex, "prefix": role, "role": role, "pc": pc, "now": now},
                )
        await upgrade_async(engine, "0022")
        async with engine.connect() as conn:
            rows = {r.role: list(r.scopes) for r in await conn.execute(select(api_keys.c.role, api_keys.c.scopes))}
        assert rows == {"system": list(MIGRATED_SYSTEM_SCOPES), "platform": ["tradedata:write"]}
    finally:
        await engine.dispose()
