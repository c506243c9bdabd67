"""The HTTP API platform through real HTTP semantics (httpx against the ASGI
app): credentials, signatures, roles, tenancy, idempotency, problems."""

from __future__ import annotations

import json
import re
import time
import uuid
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest
from sqlalchemy import update

from api.auth import sign_request
from api.schema import api_keys, http_idempotency

from .conftest import issue_key, pass_auth_cache_bound, transfer

PROBLEM = "application/problem+json"


def _problem(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    body = r.json()
    assert body["code"] == code and body["type"].endswith("/" + code) and body["status"] == status
    return body


# -- credentials ------------------------------------------------------------------------


async def test_two_institutions_holding_the_same_key_prefix_each_authenticate_as_themselves(app, client, tenant_a, tenant_b):
    # a key prefix is unique per institution since the tenant keys (0026): the whole key's hash picks the row
    from ledger.crypto import sha256_hex

    prefix_a = tenant_a.key.split("_")[1]
    secret_b = tenant_b.key.split("_", 2)[2]
    twin = f"xb_{prefix_a}_{secret_b}"
    async with app.state.ctx.engine.begin() as conn:
        await conn.execute(update(api_keys).where(api_keys.c.id == tenant_b.key_id).values(prefix=prefix_a, secret_hash=sha256_hex(twin)))
    tenant_b.key = twin
    for t in (tenant_a, tenant_b):
        r = await client.get("/v1/ledgers", headers=t.h())
        assert r.status_code == 200, r.text
        assert [x["id"] for x in r.json()["data"]] == [t.ledger_id]
    _problem(await client.get("/v1/ledgers", headers={"Authorization": f"Bearer xb_{prefix_a}_{'0' * len(secret_b)}"}), 401, "credentials_invalid")


async def test_missing_and_unknown_credentials_are_refused(client, tenant_a):
    _problem(await client.get("/v1/ledgers"), 401, "credentials_missing")
    _problem(await client.get("/v1/ledgers", headers={"Authorization": "Bearer xb_nope_nope"}), 401, "credentials_invalid")
    bad = tenant_a.key[:-2] + ("aa" if not tenant_a.key.endswith("aa") else "bb")
    _problem(await client.get("/v1/ledgers", headers={"Authorization": f"Bearer {bad}"}), 401, "credentials_invalid")
    _problem(await client.get("/v1/ledgers", headers={"Authorization": "Basic abc"}), 401, "credentials_missing")


async def test_revoked_key_is_refused(client, tenant_a):
    issued = await issue_key(client, tenant_a, {"name": "temp"})
    new_h = {"Authorization": f"Bearer {issued['key']}"}
    assert (await client.get("/v1/ledgers", headers=new_h)).status_code == 200
    r = await client.post(f"/v1/api-keys/{issued['id']}/revoke", headers=tenant_a.h())
    assert r.status_code == 200 and r.json()["revoked_at"]
    _problem(await client.get("/v1/ledgers", headers=new_h), 401, "credentials_revoked")


async def test_expired_key_is_refused(client, tenant_a, engine, app):
    async with engine.begin() as conn:
        await conn.execute(update(api_keys).where(api_keys.c.id == tenant_a.key_id).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    pass_auth_cache_bound(app)  # changed behind the app's back: effective within the credential cache's bound
    _problem(await client.get("/v1/ledgers", headers=tenant_a.h()), 401, "credentials_expired")


async def test_keys_are_listed_by_prefix_only_and_rotation_replaces_them(client, tenant_a):
    keys = (await client.get("/v1/api-keys", headers=tenant_a.h())).json()["data"]
    assert len(keys) == 1 and "key" not in keys[0] and tenant_a.key.startswith(f"xb_{keys[0]['prefix']}_")
    # the calling key rotating itself out of existence must say so
    _problem(await client.post(f"/v1/api-keys/{tenant_a.key_id}/rotate", json={"grace_seconds": 0}, headers=tenant_a.h()), 409, "confirm_self_required")
    r = await client.post(f"/v1/api-keys/{tenant_a.key_id}/rotate", json={"grace_seconds": 0, "confirm_self": True}, headers=tenant_a.h())
    assert r.status_code == 201
    new_key = r.json()["key"]
    _problem(await client.get("/v1/ledgers", headers=tenant_a.h()), 401, "credentials_revoked")
    assert (await client.get("/v1/ledgers", headers={"Authorization": f"Bearer {new_key}"})).status_code == 200


async def test_api_keys_are_stored_only_as_hashes(client, tenant_a, engine):
    from sqlalchemy import select

    async with engine.connect() as conn:
        rows = (await conn.execute(select(api_keys))).all()
    dump = json.dumps([{k: str(v) for k, v in r._mapping.items()} for r in rows])
    assert tenant_a.key not in dump and tenant_a.key.split("_", 2)[2] not in dump
    assert tenant_a.signing_secret not in dump


# -- signatures ---------------------------------------------------------------------------


def _signed(t, method: str, path: str, body: bytes = b"", ts: int | None = None, **extra) -> dict[str, str]:
    return {**t.h(**extra), **sign_request(t.signing_secret, method, path, body, ts)}


async def test_signed_requests_verify_and_replays_are_refused(client, tenant_a):
    path = f"/v1/ledgers/{tenant_a.ledger_id}"
    headers = _signed(tenant_a, "GET", path)
    assert (await client.get(path, headers=headers)).status_code == 200
    _problem(await client.get(path, headers=headers), 401, "signature_replayed")


async def test_wrong_and_stale_signatures_are_refused(client, tenant_a):
    path = f"/v1/ledgers/{tenant_a.ledger_id}"
    h = _signed(tenant_a, "GET", path)
    h["X-Xborder-Signature"] = "v1=" + "0" * 64
    _problem(await client.get(path, headers=h), 401, "signature_invalid")
    _problem(await client.get(path, headers=_signed(tenant_a, "GET", path, ts=int(time.time()) - 301)), 401, "signature_expired")
    _problem(await client.get(path, headers=_signed(tenant_a, "GET", "/v1/other")), 401, "signature_invalid")
    body = json.dumps(transfer(tenant_a, "bank", "fees", "1.00")).encode()
    p = f"/v1/ledgers/{tenant_a.ledger_id}/transactions"
    h = _signed(tenant_a, "POST", p, body, **{"Idempotency-Key": "sig-1", "Content-Type": "application/json"})
    tampered = body.replace(b"1.00", b"9.00")
    _problem(await client.post(p, content=tampered, headers=h), 401, "signature_invalid")
    h = _signed(tenant_a, "POST", p, body, **{"Idempotency-Key": "sig-2", "Content-Type": "application/json"})
    assert (await client.post(p, content=body, headers=h)).status_code == 201


async def test_institution_can_require_signing(client, tenant_a, app):
    from api.auth import set_require_signing

    async with app.state.ctx.engine.begin() as conn:
        await set_require_signing(conn, tenant_a.institution_id, True)
    _problem(await client.get("/v1/ledgers", headers=tenant_a.h()), 401, "signature_required")
    assert (await client.get("/v1/ledgers", headers=_signed(tenant_a, "GET", "/v1/ledgers"))).status_code == 200


# -- users and roles -------------------------------------------------------------------------


async def test_login_gives_a_short_lived_token_and_wrong_passwords_fail(client, tenant_a):
    r = await client.post("/v1/auth/token", json={"institution": "bank-a", "username": "finance", "password": "wrong password!"})
    _problem(r, 401, "invalid_login")
    r = await client.post("/v1/auth/token", json={"institution": "no-such", "username": "finance", "password": "whatever123"})
    _problem(r, 401, "invalid_login")
    me = (await client.get("/v1/me", headers=tenant_a.as_user("finance"))).json()
    assert me["role"] == "finance" and me["actor_type"] == "user"
    _problem(await client.get("/v1/me", headers={"Authorization": "Bearer xbt.abc.def"}), 401, "token_invalid")


async def test_expired_token_is_refused(client, tenant_a, app):
    ctx = app.state.ctx
    claims = ctx.keyring.verify_token(tenant_a.tokens["finance"])
    stale = ctx.keyring.sign_token({k: v for k, v in claims.items() if k != "exp"}, -1)
    _problem(await client.get("/v1/me", headers={"Authorization": f"Bearer {stale}"}), 401, "token_invalid")


async def test_disabled_user_loses_access_at_once(client, tenant_a):
    users = (await client.get("/v1/users", headers=tenant_a.h())).json()["data"]
    fin = next(u for u in users if u["username"] == "finance")
    assert (await client.post(f"/v1/users/{fin['id']}/disable", headers=tenant_a.h())).status_code == 200
    _problem(await client.get("/v1/me", headers=tenant_a.as_user("finance")), 401, "token_invalid")


@pytest.mark.parametrize(
    "role,method,path_tpl,allowed",
    [
        ("finance", "POST", "/v1/ledgers/{ledger}/transactions", True),
        ("approver", "POST", "/v1/ledgers/{ledger}/transactions", False),
        ("sme", "GET", "/v1/ledgers", False),
        ("approver", "GET", "/v1/ledgers", True),
        ("finance", "POST", "/v1/api-keys", False),
        ("finance", "POST", "/v1/users", False),
        ("admin", "GET", "/v1/audit-log", True),
        ("finance", "GET", "/v1/audit-log", False),
    ],
)
async def test_each_route_admits_only_its_roles(client, tenant_a, role, method, path_tpl, allowed):
    path = path_tpl.format(ledger=tenant_a.ledger_id)
    body = transfer(tenant_a, "bank", "fees", "1.00") if "transactions" in path else ({"username": "x" * 5, "password": "p" * 12, "role": "finance"} if "users" in path else {})
    r = await client.request(method, path, json=body if method == "POST" else None, headers=tenant_a.as_user(role, **{"Idempotency-Key": str(uuid.uuid4())}))
    if allowed:
        assert r.status_code in (200, 201), r.text
    else:
        _problem(r, 403, "forbidden_role")


async def test_platform_keys_cannot_touch_the_ledger(client, tenant_a):
    issued = await issue_key(client, tenant_a, {"name": "shop", "role": "platform", "platform_code": "shopx"})
    h = {"Authorization": f"Bearer {issued['key']}"}
    _problem(await client.get("/v1/ledgers", headers=h), 403, "forbidden_role")
    _problem(await client.post(f"/v1/ledgers/{tenant_a.ledger_id}/transactions", json=transfer(tenant_a, "bank", "fees", "1.00"), headers={**h, "Idempotency-Key": "p1"}), 403, "forbidden_role")


# -- idempotency ------------------------------------------------------------------------------


async def test_money_moving_posts_require_an_idempotency_key(client, tenant_a):
    r = await client.post(f"/v1/ledgers/{tenant_a.ledger_id}/transactions", json=transfer(tenant_a, "bank", "fees", "1.00"), headers=tenant_a.h())
    _problem(r, 400, "idempotency_key_missing")
    r = await client.post(f"/v1/ledgers/{tenant_a.ledger_id}/transactions", json={"postings": []}, headers=tenant_a.h())
    _problem(r, 400, "idempotency_key_missing")  # the key is checked before the body


async def test_idempotent_replay_returns_the_stored_response_byte_for_byte(client, tenant_a):
    url = f"/v1/ledgers/{tenant_a.ledger_id}/transactions"
    body = transfer(tenant_a, "bank", "merchant", "100.00")
    first = await client.post(url, json=body, headers=tenant_a.h(**{"Idempotency-Key": "k-1"}))
    assert first.status_code == 201
    again = await client.post(url, json=body, headers=tenant_a.h(**{"Idempotency-Key": "k-1"}))
    assert again.status_code == 201 and again.content == first.content and again.headers["Idempotent-Replayed"] == "true"
    bal = (await client.get(f"/v1/accounts/{tenant_a.accounts['merchant']}/balance", headers=tenant_a.h())).json()
    assert bal["posted"] == "100.00"
    other = await client.post(url, json=transfer(tenant_a, "bank", "merchant", "100.01"), headers=tenant_a.h(**{"Idempotency-Key": "k-1"}))
    _problem(other, 422, "idempotency_key_reused")


async def test_refusals_are_replayed_too(client, tenant_a):
    url = f"/v1/ledgers/{tenant_a.ledger_id}/transactions"
    withdraw = transfer(tenant_a, "merchant", "bank", "50.00")
    first = await client.post(url, json=withdraw, headers=tenant_a.h(**{"Idempotency-Key": "w-1"}))
    body = _problem(first, 422, "insufficient_funds")
    assert (body["available"], body["requested"], body["currency"]) == ("0.00", "50.00", "USD")
    await client.post(url, json=transfer(tenant_a, "bank", "merchant", "500.00"), headers=tenant_a.h(**{"Idempotency-Key": "d-1"}))
    again = await client.post(url, json=withdraw, headers=tenant_a.h(**{"Idempotency-Key": "w-1"}))
    assert again.status_code == 422 and again.content == first.content


async def test_a_request_in_flight_with_the_same_key_is_409(client, tenant_a, engine):
    now = datetime.now(UTC)
    url = f"/v1/ledgers/{tenant_a.ledger_id}/transactions"
    body = transfer(tenant_a, "bank", "merchant", "1.00")
    import hashlib

    raw = json.dumps(body).encode()
    fp = hashlib.sha256(b"POST\n" + url.encode() + b"\n" + raw).hexdigest()
    async with engine.begin() as conn:
        await conn.execute(http_idempotency.insert().values(institution_id=tenant_a.institution_id, key="busy", fingerprint=fp, state="in_flight", created_at=now, expires_at=now + timedelta(hours=1)))
    r = await client.post(url, content=raw, headers=tenant_a.h(**{"Idempotency-Key": "busy", "Content-Type": "application/json"}))
    _problem(r, 409, "idempotency_request_in_flight")


async def test_idempotency_keys_are_scoped_to_the_institution(client, tenant_a, tenant_b):
    a = await client.post(f"/v1/ledgers/{tenant_a.ledger_id}/transactions", json=transfer(tenant_a, "bank", "fees", "1.00"), headers=tenant_a.h(**{"Idempotency-Key": "same"}))
    b = await client.post(f"/v1/ledgers/{tenant_b.ledger_id}/transactions", json=transfer(tenant_b, "bank", "fees", "1.00"), headers=tenant_b.h(**{"Idempotency-Key": "same"}))
    assert a.status_code == b.status_code == 201 and a.json()["id"] != b.json()["id"]


# -- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "mutate,code",
    [
        (lambda b: b["postings"][0].update(currency="ABC"), "unknown_currency"),
        (lambda b: [p.update(amount="1.234") for p in b["postings"]], "invalid_amount"),
        (lambda b: [p.update(amount="-1.00") for p in b["postings"]], "validation_error"),
        (lambda b: [p.update(amount=1.5) for p in b["postings"]], "validation_error"),
        (lambda b: b["postings"][0].update(amount="2.00"), "unbalanced_transaction"),
        (lambda b: b["postings"][0].update(currency="EUR") or b["postings"][1].update(currency="EUR"), "currency_mismatch"),
        (lambda b: b["postings"][0].update(account_id=str(uuid.uuid4())), "account_not_found"),
        (lambda b: b.update(extra_field=1), "validation_error"),
    ],
)
async def test_bad_transactions_are_clear_4xx_problems(client, tenant_a, mutate, code):
    body = transfer(tenant_a, "bank", "fees", "1.00")
    mutate(body)
    r = await client.post(f"/v1/ledgers/{tenant_a.ledger_id}/transactions", json=body, headers=tenant_a.h(**{"Idempotency-Key": str(uuid.uuid4())}))
    p = _problem(r, 404 if code == "account_not_found" else 422, code)
    assert p["detail"]


async def test_jpy_amounts_have_no_decimals(client, tenant_a):
    url = f"/v1/ledgers/{tenant_a.ledger_id}/transactions"
    bad = transfer(tenant_a, "bank_jpy", "merchant_jpy", "100.5", "JPY")
    _problem(await client.post(url, json=bad, headers=tenant_a.h(**{"Idempotency-Key": "jpy-1"})), 422, "invalid_amount")
    ok = await client.post(url, json=transfer(tenant_a, "bank_jpy", "merchant_jpy", "100", "JPY"), headers=tenant_a.h(**{"Idempotency-Key": "jpy-2"}))
    assert ok.status_code == 201 and ok.json()["postings"][0]["amount"] == "100"


async def test_malformed_json_and_oversized_bodies(client, tenant_a, settings):
    url = f"/v1/ledgers/{tenant_a.ledger_id}/transactions"
    r = await client.post(url, content=b"{not json", headers=tenant_a.h(**{"Idempotency-Key": "m1", "Content-Type": "application/json"}))
    _problem(r, 422, "validation_error")
    huge = b"x" * (settings.max_body_bytes + 1)
    r = await client.post(url, content=huge, headers=tenant_a.h(**{"Idempotency-Key": "m2", "Content-Type": "application/json"}))
    _problem(r, 413, "payload_too_large")


async def test_oversized_batch_is_refused(client, tenant_a):
    one = transfer(tenant_a, "bank", "fees", "0.01")
    r = await client.post(f"/v1/ledgers/{tenant_a.ledger_id}/transactions/batch", json={"transactions": [one] * 8001}, headers=tenant_a.h(**{"Idempotency-Key": "big"}))
    body = _problem(r, 422, "validation_error")
    assert "8000" in body["detail"]


async def test_unknown_ids_and_methods_are_problems(client, tenant_a):
    _problem(await client.get(f"/v1/accounts/{uuid.uuid4()}", headers=tenant_a.h()), 404, "account_not_found")
    _problem(await client.get("/v1/accounts/not-a-uuid", headers=tenant_a.h()), 422, "validation_error")
    _problem(await client.get("/v1/nowhere", headers=tenant_a.h()), 404, "not_found")
    _problem(await client.delete("/v1/ledgers", headers=tenant_a.h()), 405, "method_not_allowed")


# -- ledger routes --------------------------------------------------------------------------


async def test_batch_route_reports_each_item(client, tenant_a):
    items = [
        transfer(tenant_a, "bank", "merchant", "10.00"),
        transfer(tenant_a, "merchant", "bank", "20.00"),
        {**transfer(tenant_a, "merchant", "bank", "5.00"), "linked": True},
        transfer(tenant_a, "merchant", "fees", "6.00"),
    ]
    r = await client.post(f"/v1/ledgers/{tenant_a.ledger_id}/transactions/batch", json={"transactions": items}, headers=tenant_a.h(**{"Idempotency-Key": "b-1"}))
    assert r.status_code == 200, r.text
    out = r.json()
    assert [x["code"] for x in out["results"]] == ["ok", "insufficient_funds", "linked_transaction_failed", "insufficient_funds"]
    assert (out["results"][1]["problem"]["available"], out["results"][1]["problem"]["currency"]) == ("10.00", "USD")
    assert (out["posted"], out["failed"]) == (1, 3)


async def test_two_phase_and_reversal_routes(client, tenant_a):
    L = tenant_a.ledger_id
    h = lambda k: tenant_a.h(**{"Idempotency-Key": k})  # noqa: E731
    await client.post(f"/v1/ledgers/{L}/transactions", json=transfer(tenant_a, "bank", "merchant", "100.00"), headers=h("dep"))
    hold = (await client.post(f"/v1/ledgers/{L}/transactions", json=transfer(tenant_a, "merchant", "bank", "60.00", pending=True), headers=h("hold"))).json()
    assert hold["kind"] == "pending" and hold["pending_state"] == "open"
    acct = (await client.get(f"/v1/accounts/{tenant_a.accounts['merchant']}", headers=tenant_a.h())).json()
    assert (acct["posted"], acct["available"], acct["debits_pending"]) == ("100.00", "40.00", "60.00")
    partial = {"postings": [
        {"account_id": tenant_a.accounts["merchant"], "side": "debit", "amount": "25.00", "currency": "USD"},
        {"account_id": tenant_a.accounts["bank"], "side": "credit", "amount": "25.00", "currency": "USD"},
    ]}
    posted = await client.post(f"/v1/transactions/{hold['id']}/post", json=partial, headers=h("post"))
    assert posted.status_code == 201 and posted.json()["kind"] == "post_pending"
    _problem(await client.post(f"/v1/transactions/{hold['id']}/void", json={}, headers=h("void")), 409, "pending_not_open")
    acct = (await client.get(f"/v1/accounts/{tenant_a.accounts['merchant']}", headers=tenant_a.h())).json()
    assert (acct["posted"], acct["available"]) == ("75.00", "75.00")
    rev = await client.post(f"/v1/transactions/{posted.json()['id']}/reverse", json={"description": "duplicate"}, headers=h("rev"))
    assert rev.status_code == 201 and rev.json()["reverses_id"] == posted.json()["id"]
    _problem(await client.post(f"/v1/transactions/{posted.json()['id']}/reverse", json={}, headers=h("rev2")), 409, "already_reversed")
    st = (await client.get(f"/v1/accounts/{tenant_a.accounts['merchant']}/statement?limit=2", headers=tenant_a.h())).json()
    assert [x["balance_after"] for x in st["data"]] == ["100.00", "75.00"] and st["next_cursor"] and st["has_more"]
    assert {(x["currency"], x["account_id"]) for x in st["data"]} == {("USD", tenant_a.accounts["merchant"])}
    st2 = (await client.get(f"/v1/accounts/{tenant_a.accounts['merchant']}/statement", params={"cursor": st["next_cursor"]}, headers=tenant_a.h())).json()
    assert [x["balance_after"] for x in st2["data"]] == ["100.00"] and st2["next_cursor"] is None and not st2["has_more"]
    tb = (await client.get(f"/v1/ledgers/{L}/trial-balance", headers=tenant_a.h())).json()
    assert all(t["balanced"] for t in tb["totals"])
    ver = (await client.get(f"/v1/ledgers/{L}/verification", headers=tenant_a.h())).json()
    assert ver["ok"] and ver["transactions_checked"] == 4
    cp = await client.post(f"/v1/ledgers/{L}/checkpoints", headers=h("cp"))
    assert cp.status_code == 201 and cp.json()["seq"] == 4


async def test_balance_as_of_and_aggregates(client, tenant_a):
    L = tenant_a.ledger_id
    await client.post(f"/v1/ledgers/{L}/transactions", json=transfer(tenant_a, "bank", "merchant", "7.00", effective_date="2026-03-01"), headers=tenant_a.h(**{"Idempotency-Key": "e1"}))
    b = (await client.get(f"/v1/accounts/{tenant_a.accounts['merchant']}/balance", params={"as_of_date": "2026-02-28"}, headers=tenant_a.h())).json()
    assert b["posted"] == "0.00"
    b = (await client.get(f"/v1/accounts/{tenant_a.accounts['merchant']}/balance", params={"as_of": "2020-01-01T00:00:00Z"}, headers=tenant_a.h())).json()
    assert b["posted"] == "0.00"
    _problem(await client.get(f"/v1/accounts/{tenant_a.accounts['merchant']}/balance", params={"as_of": "2020-01-01T00:00:00"}, headers=tenant_a.h()), 422, "validation_error")
    agg = (await client.get(f"/v1/ledgers/{L}/balances", params={"owner_ref": "nobody"}, headers=tenant_a.h())).json()
    assert agg == {"data": [], "has_more": False, "next_cursor": None}


async def test_postings_write_outbox_events_and_audit_entries(client, tenant_a, engine):
    from sqlalchemy import select

    from ledger.events import outbox_events

    r = await client.post(f"/v1/ledgers/{tenant_a.ledger_id}/transactions", json=transfer(tenant_a, "bank", "fees", "3.00"), headers=tenant_a.h(**{"Idempotency-Key": "ev"}))
    tx_id = r.json()["id"]
    async with engine.connect() as conn:
        events = (await conn.execute(select(outbox_events).where(outbox_events.c.institution_id == tenant_a.institution_id))).all()
    assert [e.payload["transaction_id"] for e in events] == [tx_id] and events[0].type == "transaction.posted"
    log = (await client.get("/v1/audit-log", params={"object_id": tx_id}, headers=tenant_a.as_user("admin"))).json()
    assert log["data"][0]["action"] == "transaction.post" and log["data"][0]["actor_type"] == "api_key"
    acct_log = (await client.get("/v1/audit-log", params={"object_type": "account"}, headers=tenant_a.h())).json()
    assert {x["action"] for x in acct_log["data"]} == {"account.create"}
    r = await client.post(f"/v1/accounts/{tenant_a.accounts['fees']}/close", headers=tenant_a.h())
    closed = (await client.get("/v1/audit-log", params={"object_id": tenant_a.accounts["fees"]}, headers=tenant_a.h())).json()["data"][0]
    assert closed["action"] == "account.close" and closed["before"] == {"closed": False} and closed["after"] == {"closed": True}


# -- tenancy: every route, generated from the route table ------------------------------------------


def _id_samples(t) -> dict[str, str]:
    return {
        "ledger_id": t.ledger_id,
        "account_id": t.accounts["bank"],
        "transaction_id": t.extra["transaction_id"],
        "key_id": str(t.key_id),
        "user_id": t.extra["user_id"],
        "endpoint_id": t.extra.get("endpoint_id", str(uuid.uuid4())),
        "event_id": t.extra.get("event_id", str(uuid.uuid4())),
        "customer_id": t.extra.get("customer_id", str(uuid.uuid4())), "order_id": t.extra.get("order_id", str(uuid.uuid4())),
        "delivery_id": t.extra.get("delivery_id", str(uuid.uuid4())),
        "advance_id": t.extra.get("advance_id", str(uuid.uuid4())),
        "cycle_id": t.extra.get("cycle_id", str(uuid.uuid4())),
        "receipt_id": t.extra.get("receipt_id", str(uuid.uuid4())),
        "conversion_id": t.extra.get("conversion_id", str(uuid.uuid4())),
        "payment_id": t.extra.get("payment_id", str(uuid.uuid4())),
        "alert_id": t.extra.get("alert_id", str(uuid.uuid4())),
        "loan_id": t.extra.get("loan_id", str(uuid.uuid4())),
        "call_id": str(uuid.uuid4()),  # a margin call (none of B's: an unknown id answers as another's)
        "decision_id": t.extra.get("decision_id", str(uuid.uuid4())),
        "pledge_id": t.extra.get("pledge_id", str(uuid.uuid4())),
        "policy_id": t.extra.get("policy_id", str(uuid.uuid4())),
        "receivable_id": t.extra.get("receivable_id", str(uuid.uuid4())),
        "claim_id": t.extra.get("claim_id", str(uuid.uuid4())),
        "proposal_id": t.extra.get("proposal_id", str(uuid.uuid4())),
        "request_id": t.extra.get("request_id", str(uuid.uuid4())),
        # /v1/reports/{name}: report names are not ids; the report's own ids
        # (query parameters) are what must stay private: B's account here
        "name": f"account_statement?account_id={t.accounts['bank']}",
    }


async def test_another_institutions_ids_answer_404_on_every_route(app, client, tenant_a, tenant_b):
    """For each route with an id in its path: authenticated as A, with B's
    real ids, the answer is 404 exactly as for an id that does not exist.
    A new route with an unknown path parameter fails this test until it is
    covered here."""
    for t in (tenant_b,):
        t.extra = {}
        r = await client.post(f"/v1/ledgers/{t.ledger_id}/transactions", json=transfer(t, "bank", "fees", "1.00", pending=True), headers=t.h(**{"Idempotency-Key": "x"}))
        t.extra["transaction_id"] = r.json()["id"]
        users = (await client.get("/v1/users", headers=t.h())).json()["data"]
        t.extra["user_id"] = users[0]["id"]
        pending = await client.post("/v1/users", json={"username": "pending", "password": "a long passphrase", "role": "finance"}, headers=t.h(**{"Idempotency-Key": "u"}))
        t.extra["request_id"] = pending.json()["id"]
        ep = await client.post("/v1/webhook-endpoints", json={"url": "https://93.184.215.14/hook", "event_types": ["*"]}, headers=t.h(**{"Idempotency-Key": "ep"}))
        t.extra["endpoint_id"] = ep.json()["id"]
        await client.post(f"/v1/ledgers/{t.ledger_id}/transactions", json=transfer(t, "bank", "fees", "2.00"), headers=t.h(**{"Idempotency-Key": "y"}))
        from api.webhooks import WebhookDispatcher

        await WebhookDispatcher(app.state.ctx.engine, app.state.ctx.keyring).fan_out()
        deliveries = (await client.get("/v1/webhook-deliveries", headers=t.h())).json()["data"]
        t.extra["delivery_id"] = deliveries[0]["id"]
        t.extra["event_id"] = deliveries[0]["event_id"]
    samples = _id_samples(tenant_b)
    checked = 0
    # the OpenAPI document is generated from the route table
    for path, operations in app.openapi()["paths"].items():
        params = re.findall(r"{(\w+)}", path)
        if not params or not path.startswith("/v1"):
            continue
        for method in sorted(m.upper() for m in operations):
            missing = [p for p in params if p not in samples]
            assert not missing, f"{method} {path}: add a sample id for {missing} to _id_samples"
            url = path.format(**samples)
            body = {} if method == "POST" else None
            auth = tenant_a.h
            r = await client.request(method, url, json=body, headers=auth(**{"Idempotency-Key": str(uuid.uuid4())}))
            for role in ("approver", "finance", "admin", "sme"):
                # routes for people only (approving; the SME's own /v1/sme routes): A's user of a role the route admits
                if r.status_code != 403 or r.json().get("code") != "forbidden_role":
                    break
                auth = lambda role=role, **h: tenant_a.as_user(role, **h)  # noqa: E731
                r = await client.request(method, url, json=body, headers=auth(**{"Idempotency-Key": str(uuid.uuid4())}))
            assert r.status_code in (404, 422), f"{method} {path} answered {r.status_code}: {r.text}"
            if r.status_code == 422:
                # the body is checked before the ids: send a valid body
                r = await client.request(method, url, json=_valid_body(path, tenant_a), headers=auth(**{"Idempotency-Key": str(uuid.uuid4())}))
                assert r.status_code == 404, f"{method} {path} answered {r.status_code}: {r.text}"
            checked += 1
    assert checked >= 15
    # nothing of B changed
    ver = (await client.get(f"/v1/ledgers/{tenant_b.ledger_id}/verification", headers=tenant_b.h())).json()
    assert ver["transactions_checked"] == 2
    ep = (await client.get(f"/v1/webhook-endpoints/{tenant_b.extra['endpoint_id']}", headers=tenant_b.h())).json()
    assert ep["enabled"] is True


def _valid_body(path: str, t) -> dict:
    if path.endswith("/accounts"):
        return {"code": "intruder", "currency": "USD", "type": "asset"}
    if path.endswith("/transactions"):
        return transfer(t, "bank", "fees", "1.00")
    if path.endswith("/batch"):
        return {"transactions": [transfer(t, "bank", "fees", "1.00")]}
    if path.endswith("/rotate"):
        return {"grace_seconds": 0}
    if path.endswith("/release"):
        return {"note": "checked the contract"}
    for suffix, body in _EXTRA_VALID_BODIES.items():
        if path.endswith(suffix):
            return body
    return {}


#: minimal valid bodies for POST routes with required fields, by path suffix
_EXTRA_VALID_BODIES: dict[str, dict] = {
    "/decision": {"approve": False},
    "/role": {"role": "finance"},
    "/obligations": {"obligations": [{"payer_account_id": "00000000-0000-0000-0000-000000000001", "payee_account_id": "00000000-0000-0000-0000-000000000002", "amount": "1.00", "currency": "USD"}]},
    "/repayments": {"amount": "1.00"},
    "/write-off": {"reason": "uncollectable"},
    "/cure": {"receipt_ids": ["00000000-0000-0000-0000-000000000003"]},
    "/verify": {"verified_by": "clerk"},
    "/pledge": {"loan_id": "00000000-0000-0000-0000-000000000001"},
    "/buyer-limits": {"buyer_ref": "BUYER-1", "limit": "1.00"},
    "/receivables": {"buyer_ref": "BUYER-1", "invoice_number": "INV-1", "amount": "1.00", "due_date": "2026-12-31"},
    "/finance": {"loan_id": "00000000-0000-0000-0000-000000000001", "assignee": "Bank"},
    "/claims": {"amount": "1.00"},
    "/payments": {"amount": "1.00"},
}


# -- OpenAPI --------------------------------------------------------------------------------------


async def test_openapi_names_every_schema_and_documents_errors(client):
    doc = (await client.get("/openapi.json")).json()
    schemas = doc["components"]["schemas"]
    assert "Problem" in schemas and "TransactionIn" in schemas
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            if not path.startswith("/v1"):
                continue
            # only the statuses the operation can return (tests/api/test_openapi.py checks the rules)
            assert {"503"} <= set(op["responses"]) and ("403" in op["responses"]) == bool(op.get("security")), f"{method} {path} lacks documented errors"
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            assert not body or "$ref" in body, f"{method} {path} has an anonymous body schema"
    assert schemas["PostingIn"]["properties"]["amount"]["examples"] == ["1234.56"]
    post = doc["paths"]["/v1/ledgers/{ledger_id}/transactions"]["post"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in post["parameters"])


async def test_health_readiness_and_metrics(client, tenant_a, settings, monkeypatch):
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = (await client.get("/readyz")).json()
    assert ready["status"] == "ready" and ready["revision"] == ready["head"]
    await client.post(f"/v1/ledgers/{tenant_a.ledger_id}/transactions", json=transfer(tenant_a, "bank", "fees", "1.00"), headers=tenant_a.h(**{"Idempotency-Key": "m"}))
    assert (await client.get("/metrics")).status_code == 404  # no XBORDER_METRICS_TOKEN: not served
    monkeypatch.setattr(settings, "metrics_token", "scrape-me")
    assert (await client.get("/metrics")).status_code == 401
    text = (await client.get("/metrics", headers={"Authorization": "Bearer scrape-me"})).text
    assert "xborder_http_request_duration_seconds_bucket" in text
    assert re.search(r"^xborder_postings_total 1\.0$", text, re.M)
    assert re.search(r"^xborder_outbox_backlog 1\.0$", text, re.M)
    r = await client.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert r.headers["X-Request-ID"] == "abc-123"


async def test_a_chunked_body_over_the_limit_is_refused(client, tenant_a, settings):
    async def chunks():
        for _ in range(settings.max_body_bytes // 65536 + 2):
            yield b"x" * 65536

    r = await client.post(f"/v1/ledgers/{tenant_a.ledger_id}/transactions", content=chunks(), headers=tenant_a.h(**{"Idempotency-Key": "chunky", "Content-Type": "application/json"}))
    _problem(r, 413, "payload_too_large")


async def test_the_largest_page_of_transactions_and_accounts_loses_nothing(app, client, tenant_a):
    """With 1,001 transactions (and accounts), asking for the documented
    maximum page of 1,000 returns 1,000 rows *and* a cursor to the 1,001st;
    following it returns the last row and no cursor.  (The route reads one
    row ahead; the library used to cap that read at 1,000, so the next page
    came back null and row 1,001 was silently lost.)"""
    from ledger.model import NewTransaction, Posting

    ledger = app.state.ctx.ledger
    led = tenant_a.ledger_id
    bank, merchant = tenant_a.accounts["bank"], tenant_a.accounts["merchant"]
    before = len((await client.get(f"/v1/ledgers/{led}/transactions", params={"limit": 1000}, headers=tenant_a.h())).json()["data"])
    items = [NewTransaction(UUID(led), [Posting(UUID(bank), 1, "debit"), Posting(UUID(merchant), 1, "credit")], description=f"t{i}") for i in range(1001 - before)]
    assert all(r.ok for r in await ledger.post_batch(tenant_a.institution_id, items))

    page = (await client.get(f"/v1/ledgers/{led}/transactions", params={"limit": 1000}, headers=tenant_a.h())).json()
    assert len(page["data"]) == 1000 and page["has_more"] and page["next_cursor"]
    assert [t["seq"] for t in page["data"]] == list(range(1, 1001))  # recorded order
    rest = (await client.get(f"/v1/ledgers/{led}/transactions", params={"limit": 1000, "cursor": page["next_cursor"]}, headers=tenant_a.h())).json()
    assert [t["seq"] for t in rest["data"]] == [1001] and rest["next_cursor"] is None and not rest["has_more"]
    assert len({t["id"] for t in page["data"] + rest["data"]}) == 1001

    have = len((await client.get(f"/v1/ledgers/{led}/accounts", params={"limit": 1000}, headers=tenant_a.h())).json()["data"])
    for i in range(1001 - have):
        await ledger.create_account(tenant_a.institution_id, UUID(led), f"zz-{i:04d}", "USD", "asset")
    accts = (await client.get(f"/v1/ledgers/{led}/accounts", params={"limit": 1000}, headers=tenant_a.h())).json()
    assert len(accts["data"]) == 1000 and accts["has_more"] and accts["next_cursor"]
    last = (await client.get(f"/v1/ledgers/{led}/accounts", params={"limit": 1000, "cursor": accts["next_cursor"]}, headers=tenant_a.h())).json()
    assert len(last["data"]) == 1 and last["next_cursor"] is None
    assert len({a["id"] for a in accts["data"] + last["data"]}) == 1001


async def test_schema_valid_requests_broken_by_a_rule_have_their_own_codes(client, tenant_a, engine):
    """A well-formed request refused by a rule across fields answers the
    rule's code, never ``invalid_input`` (which means the request is
    malformed); nothing is written."""
    L = tenant_a.ledger_id
    h = lambda k: tenant_a.h(**{"Idempotency-Key": k})  # noqa: E731
    expiring = transfer(tenant_a, "bank", "merchant", "5.00", expires_at="2099-01-01T00:00:00Z")
    _problem(await client.post(f"/v1/ledgers/{L}/transactions", json=expiring, headers=h("exp")), 422, "expiry_without_pending")
    past = transfer(tenant_a, "bank", "merchant", "5.00", pending=True, expires_at="2001-01-01T00:00:00Z")
    _problem(await client.post(f"/v1/ledgers/{L}/transactions", json=past, headers=h("past")), 422, "expiry_in_past")
    both = {"code": "both-limits", "currency": "USD", "type": "asset", "debits_must_not_exceed_credits": True, "credits_must_not_exceed_debits": True}
    _problem(await client.post(f"/v1/ledgers/{L}/accounts", json=both, headers=h("both")), 422, "conflicting_balance_limits")
    await client.post(f"/v1/ledgers/{L}/transactions", json=transfer(tenant_a, "bank", "merchant", "100.00"), headers=h("dep"))
    hold = (await client.post(f"/v1/ledgers/{L}/transactions", json=transfer(tenant_a, "merchant", "bank", "60.00", pending=True), headers=h("hold"))).json()
    not_held = {"postings": [
        {"account_id": tenant_a.accounts["fees"], "side": "debit", "amount": "5.00", "currency": "USD"},
        {"account_id": tenant_a.accounts["bank"], "side": "credit", "amount": "5.00", "currency": "USD"},
    ]}
    body = _problem(await client.post(f"/v1/transactions/{hold['id']}/post", json=not_held, headers=h("post")), 422, "posting_not_held")
    assert (body["account"], body["side"], body["transaction"]) == (tenant_a.accounts["fees"], "debit", hold["id"])
    listed = (await client.get(f"/v1/ledgers/{L}/transactions", headers=tenant_a.h())).json()["data"]
    assert len(listed) == 2  # the deposit and the hold; the refusals wrote nothing
    users = lambda: client.get("/v1/users", headers=tenant_a.h())  # noqa: E731
    before = len((await users()).json()["data"])
    _problem(await client.post("/v1/users", json={"username": "shop", "password": "a long passphrase", "role": "sme"}, headers=h("u1")), 422, "merchant_ref_required")
    _problem(await client.post("/v1/users", json={"username": "fin", "password": "a long passphrase", "role": "finance", "merchant_ref": "M001"}, headers=h("u2")), 422, "merchant_ref_not_allowed")
    # a control character is refused by the schema (the pattern says so)
    _problem(await client.post("/v1/users", json={"username": "bad\u0007name", "password": "a long passphrase", "role": "finance"}, headers=h("u3")), 422, "validation_error")
    assert len((await users()).json()["data"]) == before
    keys = len((await client.get("/v1/api-keys", headers=tenant_a.h())).json()["data"])
    _problem(await client.post("/v1/api-keys", json={"name": "shop", "role": "platform"}, headers=h("key")), 422, "platform_code_required")
    assert len((await client.get("/v1/api-keys", headers=tenant_a.h())).json()["data"]) == keys
    # a JSON integer may be written 3600.0 (JSON Schema calls it an integer); 3600.5 and "3600" are refused
    for grace in (3600.5, "3600", True):
        _problem(await client.post(f"/v1/api-keys/{tenant_a.key_id}/rotate", json={"grace_seconds": grace}, headers=h(f"rot-{grace}")), 422, "validation_error")
    rotated = await client.post(f"/v1/api-keys/{tenant_a.key_id}/rotate", json={"grace_seconds": 3600.0}, headers=h("rot-float"))
    assert rotated.status_code == 201, rotated.text
    assert (await client.get("/v1/ledgers", headers=tenant_a.h())).status_code == 200  # the old key is valid for the grace period


def test_a_positive_amount_is_not_zero_in_the_schema_and_zero_is_its_own_type():
    from pydantic import TypeAdapter, ValidationError

    from api.models import Amount, AmountOrZero

    positive, or_zero = TypeAdapter(Amount), TypeAdapter(AmountOrZero)
    for ok in ("1", "0.01", "0.000001", "10.50", "999999999999999"):
        assert positive.validate_python(ok) == ok
    for bad in ("0", "0.00", "00.000000", "0.0000001", "-1", "1e3", ".5", "5.", "1.1234567"):
        with pytest.raises(ValidationError):
            positive.validate_python(bad)
    assert [or_zero.validate_python(v) for v in ("0", "0.00", "12.5")] == ["0", "0.00", "12.5"]


async def test_a_large_batch_refuses_bad_items_alone_and_replays_whole(client, tenant_a, tenant_b, monkeypatch):
    """A batch large enough to be copied in steps while it is decided (and to
    pause the garbage collector): a wrong currency, an unknown account,
    another institution's account, an overdraft and a failing linked chain
    are refused item by item and move nothing; the same request again
    replays the stored answer; the same key with another body is refused."""
    import ledger.posting as posting

    monkeypatch.setattr(posting, "LARGE_BATCH", 4)
    monkeypatch.setattr(posting, "STREAM_STEP", 2)
    a = tenant_a.accounts
    items = [
        transfer(tenant_a, "bank", "merchant", "100.00"),
        transfer(tenant_a, "bank", "merchant", "1.00", currency="EUR"),
        {"postings": [{"account_id": str(uuid.uuid4()), "side": "debit", "amount": "1.00", "currency": "USD"},
                      {"account_id": a["merchant"], "side": "credit", "amount": "1.00", "currency": "USD"}]},
        {"postings": [{"account_id": tenant_b.accounts["bank"], "side": "debit", "amount": "1.00", "currency": "USD"},
                      {"account_id": a["merchant"], "side": "credit", "amount": "1.00", "currency": "USD"}]},
        transfer(tenant_a, "merchant", "bank", "100.01"),
        {**transfer(tenant_a, "merchant", "fees", "30.00"), "linked": True},
        transfer(tenant_a, "merchant", "fees", "80.00"),
        transfer(tenant_a, "merchant", "fees", "0.01"),
    ]
    url = f"/v1/ledgers/{tenant_a.ledger_id}/transactions/batch"
    h = tenant_a.h(**{"Idempotency-Key": "large-1"})
    r = await client.post(url, json={"transactions": items}, headers=h)
    assert r.status_code == 200, r.text
    codes = [x["code"] for x in r.json()["results"]]
    assert codes == ["ok", "currency_mismatch", "account_not_found", "account_not_found", "insufficient_funds",
                     "linked_transaction_failed", "insufficient_funds", "ok"]
    merchant = (await client.get(f"/v1/accounts/{a['merchant']}", headers=tenant_a.h())).json()
    assert merchant["posted"] == "99.99"
    theirs = (await client.get(f"/v1/accounts/{tenant_b.accounts['bank']}", headers=tenant_b.h())).json()
    assert theirs["posted"] == "0.00"
    again = await client.post(url, json={"transactions": items}, headers=h)
    assert again.status_code == 200 and again.content == r.content
    assert again.headers.get("idempotent-replayed") == "true"
    other = await client.post(url, json={"transactions": items[:1]}, headers=h)
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused", other.text
    assert (await client.get(f"/v1/accounts/{a['merchant']}", headers=tenant_a.h())).json()["posted"] == "99.99"
