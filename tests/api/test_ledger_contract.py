"""The #13 contract of the ledger and platform routes: strict input, range-safe
money, one list shape (walked at limit 1, 2 and the default), credentials that
cannot lock an institution out by mistake."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import update

from api.auth import issue_api_key
from api.paging import encode_cursor
from ledger.model import NewTransaction, Posting
from ledger.schema import accounts

from .conftest import create_user_approved, issue_key, transfer
from .test_api import _problem

N = 5  # rows per list: more than the pages walked below


async def _walk(client, url: str, headers: dict[str, str], limit: int | None, key: str = "id", **params: Any) -> list[Any]:
    """Every row of a list, page after page; checks the page shape."""
    seen: list[Any] = []
    cursor = None
    for _ in range(1000):
        q = {**params, **({"limit": limit} if limit else {}), **({"cursor": cursor} if cursor else {})}
        r = await client.get(url, params=q, headers=headers)
        assert r.status_code == 200, r.text
        page = r.json()
        assert set(page) == {"data", "has_more", "next_cursor"}
        if limit:
            assert len(page["data"]) <= limit
        seen += [x[key] for x in page["data"]]
        assert page["has_more"] == (page["next_cursor"] is not None)
        cursor = page["next_cursor"]
        if cursor is None:
            return seen
    raise AssertionError("the walk did not end")


async def _check_walks(client, url: str, headers: dict[str, str], expected: list[Any] | None = None, key: str = "id", **params: Any) -> list[Any]:
    """Walks at limit 1, 2 and the default give the same rows, each once, in
    one order; a cursor that is not one (or of another list) is refused."""
    full = await _walk(client, url, headers, None, key, **params)
    assert len(full) == len(set(full)) and len(full) > 3
    for limit in (1, 2):
        assert await _walk(client, url, headers, limit, key, **params) == full
    if expected is not None:
        assert sorted(map(str, full)) == sorted(map(str, expected))
    _problem(await client.get(url, params={**params, "cursor": "not-a-cursor!"}, headers=headers), 422, "invalid_cursor")
    _problem(await client.get(url, params={**params, "cursor": encode_cursor("elsewhere", [1])}, headers=headers), 422, "invalid_cursor")
    return full


async def _post_many(app, t, n: int, amount: int = 1) -> None:
    items = [
        NewTransaction(UUID(t.ledger_id), [Posting(UUID(t.accounts["bank"]), amount, "debit"), Posting(UUID(t.accounts["merchant"]), amount, "credit")], description=f"t{i}")
        for i in range(n)
    ]
    assert all(r.ok for r in await app.state.ctx.ledger.post_batch(t.institution_id, items))


# -- one list shape -------------------------------------------------------------------------------


async def test_ledgers_accounts_and_transactions_walk_in_pages(app, client, tenant_a):
    h = tenant_a.h()
    for i in range(N):
        assert (await client.post("/v1/ledgers", json={"code": f"l{i}"}, headers=tenant_a.h(**{"Idempotency-Key": f"l{i}"}))).status_code == 201
    codes = await _check_walks(client, "/v1/ledgers", h, key="code")
    assert codes == sorted(codes) and len(codes) == N + 1
    accts = await _check_walks(client, f"/v1/ledgers/{tenant_a.ledger_id}/accounts", h, expected=list(tenant_a.accounts.values()))
    assert len(accts) == 5
    await _post_many(app, tenant_a, N)
    seqs = await _check_walks(client, f"/v1/ledgers/{tenant_a.ledger_id}/transactions", h, key="seq")
    assert seqs == list(range(1, N + 1))  # recorded order
    # a cursor of one list is not accepted by another
    page = (await client.get(f"/v1/ledgers/{tenant_a.ledger_id}/transactions", params={"limit": 1}, headers=h)).json()
    _problem(await client.get(f"/v1/ledgers/{tenant_a.ledger_id}/accounts", params={"cursor": page["next_cursor"]}, headers=h), 422, "invalid_cursor")
    _problem(await client.get("/v1/ledgers", params={"cursor": encode_cursor("ledgers", [1, 2])}, headers=h), 422, "invalid_cursor")


async def test_statement_and_aggregate_balances_walk_in_pages(app, client, tenant_a):
    h = tenant_a.h()
    await _post_many(app, tenant_a, N, amount=100)
    versions = await _check_walks(client, f"/v1/accounts/{tenant_a.accounts['merchant']}/statement", h, key="account_version")
    assert versions == list(range(1, N + 1))
    lines = (await client.get(f"/v1/accounts/{tenant_a.accounts['merchant']}/statement", headers=h)).json()["data"]
    assert [(x["amount"], x["currency"], x["balance_after"]) for x in lines[:2]] == [("1.00", "USD", "1.00"), ("1.00", "USD", "2.00")]
    for cur in ("EUR", "GBP", "CNY"):
        r = await client.post(f"/v1/ledgers/{tenant_a.ledger_id}/accounts", json={"code": f"own-{cur}", "currency": cur, "type": "asset", "owner_ref": "m-1"}, headers=tenant_a.h(**{"Idempotency-Key": cur}))
        assert r.status_code == 201, r.text
    await client.post(f"/v1/ledgers/{tenant_a.ledger_id}/accounts", json={"code": "own-usd", "currency": "USD", "type": "asset", "owner_ref": "m-1"}, headers=tenant_a.h(**{"Idempotency-Key": "usd"}))
    await client.post(f"/v1/ledgers/{tenant_a.ledger_id}/accounts", json={"code": "own-jpy", "currency": "JPY", "type": "asset", "owner_ref": "m-1"}, headers=tenant_a.h(**{"Idempotency-Key": "jpy"}))
    currencies = await _check_walks(client, f"/v1/ledgers/{tenant_a.ledger_id}/balances", h, key="currency", owner_ref="m-1")
    assert currencies == ["CNY", "EUR", "GBP", "JPY", "USD"]


async def test_audit_log_users_and_api_keys_walk_in_pages(app, client, tenant_a):
    h = tenant_a.h()
    for i in range(N):
        await create_user_approved(client, tenant_a, {"username": f"user{i}", "password": "a long passphrase", "role": "finance"})
        await issue_key(client, tenant_a, {"name": f"key{i}"})
    names = await _check_walks(client, "/v1/users", h, key="username")
    assert names == sorted(names) and len(names) == 4 + N
    keys = await _check_walks(client, "/v1/api-keys", h)
    assert len(keys) == 1 + N and keys[0] == str(tenant_a.key_id)  # in the order issued
    entries = await _check_walks(client, "/v1/audit-log", h)
    assert entries == sorted(entries, reverse=True)  # newest first
    # rows written while walking: a newer entry is not seen by a walk already started (keyset)
    first = (await client.get("/v1/audit-log", params={"limit": 2}, headers=h)).json()
    await issue_key(client, tenant_a, {"name": "late"})
    nxt = (await client.get("/v1/audit-log", params={"limit": 1000, "cursor": first["next_cursor"]}, headers=h)).json()
    assert [x["id"] for x in first["data"]] + [x["id"] for x in nxt["data"]] == entries


# -- strict input ---------------------------------------------------------------------------------


async def _seq(client, t) -> int:
    return (await client.get(f"/v1/ledgers/{t.ledger_id}", headers=t.h())).json()["chain_seq"]


@pytest.mark.parametrize(
    "extra,code,field",
    [
        ({"effective_date": 0}, "validation_error", "effective_date"),
        ({"effective_date": "0"}, "validation_error", "effective_date"),
        ({"effective_date": 1}, "validation_error", "effective_date"),
        ({"effective_date": "2026-3-1"}, "validation_error", "effective_date"),
        ({"pending": 1}, "validation_error", "pending"),
        ({"pending": "true"}, "validation_error", "pending"),
        ({"pending": True, "expires_at": 0}, "validation_error", "expires_at"),
        ({"pending": True, "expires_at": "2099-01-01T00:00:00"}, "validation_error", "expires_at"),
    ],
)
async def test_coerced_input_is_refused_and_nothing_is_written(client, tenant_a, extra, code, field):
    body = {**transfer(tenant_a, "bank", "fees", "1.00"), **extra}
    r = await client.post(f"/v1/ledgers/{tenant_a.ledger_id}/transactions", json=body, headers=tenant_a.h(**{"Idempotency-Key": str(uuid.uuid4())}))
    p = _problem(r, 422, code)
    assert field in r.text
    assert p["status"] == 422 and await _seq(client, tenant_a) == 0


@pytest.mark.parametrize(
    "amount,currency,code",
    [
        ("10.000", "USD", "invalid_amount"),
        ("100.0", "JPY", "invalid_amount"),
        # zero is outside the documented pattern: refused by the schema itself
        ("0.00", "USD", "validation_error"),
        ("00", "JPY", "validation_error"),
        ("1e3", "USD", "validation_error"),
        ("+1.00", "USD", "validation_error"),
        (" 1.00", "USD", "validation_error"),
        ("10000000000000.00", "USD", "amount_out_of_range"),
        ("999999999999999999", "JPY", "amount_out_of_range"),
    ],
)
async def test_amounts_are_exact_decimal_strings_within_range(client, tenant_a, amount, currency, code):
    debit, credit = ("bank", "fees") if currency == "USD" else ("bank_jpy", "merchant_jpy")
    r = await client.post(
        f"/v1/ledgers/{tenant_a.ledger_id}/transactions", json=transfer(tenant_a, debit, credit, amount, currency), headers=tenant_a.h(**{"Idempotency-Key": str(uuid.uuid4())}),
    )
    p = _problem(r, 422, code)
    if code != "validation_error":
        assert "postings[0].amount" in p["detail"]
    if code == "amount_out_of_range":
        assert (p["field"], p["currency"]) == ("postings[0].amount", currency)
        assert p["maximum"] == ("9999999999999.99" if currency == "USD" else "999999999999999")
    assert await _seq(client, tenant_a) == 0


async def test_batch_items_name_their_field(client, tenant_a):
    items = [transfer(tenant_a, "bank", "fees", "1.00"), transfer(tenant_a, "bank", "fees", "1.001")]
    r = await client.post(f"/v1/ledgers/{tenant_a.ledger_id}/transactions/batch", json={"transactions": items}, headers=tenant_a.h(**{"Idempotency-Key": "b"}))
    out = r.json()["results"]
    assert [x["code"] for x in out] == ["ok", "invalid_amount"]
    assert "transactions[1].postings[0].amount" in out[1]["problem"]["detail"]


@pytest.mark.parametrize(
    "path,params",
    [
        ("/v1/accounts/{merchant}/balance", {"as_of_date": "0"}),
        ("/v1/accounts/{merchant}/balance", {"as_of_date": "20260301"}),
        ("/v1/accounts/{merchant}/balance", {"as_of": "1700000000"}),
        ("/v1/accounts/{merchant}/balance", {"as_of": "2026-03-01T00:00:00"}),
        ("/v1/accounts/{merchant}/statement", {"include_pending": "1"}),
        ("/v1/accounts/{merchant}/statement", {"limit": "1001"}),
        ("/v1/accounts/{merchant}/statement", {"limit": "0"}),
        ("/v1/ledgers/{ledger}/trial-balance", {"as_of_date": "1"}),
        ("/v1/ledgers/{ledger}/transactions", {"limit": "1.5"}),
    ],
)
async def test_strict_queries(client, tenant_a, path, params):
    url = path.format(merchant=tenant_a.accounts["merchant"], ledger=tenant_a.ledger_id)
    _problem(await client.get(url, params=params, headers=tenant_a.h()), 422, "validation_error")


@pytest.mark.parametrize(
    "path,body",
    [
        ("/v1/ledgers/{ledger}/accounts", {"code": "x", "currency": "USD", "type": "asset", "debits_must_not_exceed_credits": 1}),
        ("/v1/ledgers/{ledger}/accounts", {"code": "x", "currency": "USD", "type": "asset", "credits_must_not_exceed_debits": "false"}),
        ("/v1/api-keys/{key}/rotate", {"grace_seconds": "60"}),
        ("/v1/api-keys/{key}/rotate", {"grace_seconds": 60.5}),  # 60.0 is the integer 60 (JSON Schema)
        ("/v1/api-keys/{key}/revoke", {"confirm_self": 1}),
        ("/v1/transactions/{tx}/reverse", {"effective_date": 0}),
    ],
)
async def test_strict_bodies(client, tenant_a, path, body):
    url = path.format(ledger=tenant_a.ledger_id, key=tenant_a.key_id, tx=uuid.uuid4())
    _problem(await client.post(url, json=body, headers=tenant_a.h(**{"Idempotency-Key": str(uuid.uuid4())})), 422, "validation_error")


# -- range-safe money -----------------------------------------------------------------------------


async def test_reads_answer_after_the_largest_postings(app, client, tenant_a):
    """The issue: JPY 999999999999999999 then 200 made reads answer 500."""
    url = f"/v1/ledgers/{tenant_a.ledger_id}/transactions"
    h = lambda k: tenant_a.h(**{"Idempotency-Key": k})  # noqa: E731
    big = transfer(tenant_a, "bank_jpy", "merchant_jpy", "999999999999999999", "JPY")
    p = _problem(await client.post(url, json=big, headers=h("j1")), 422, "amount_out_of_range")
    assert p["field"] == "postings[0].amount"
    assert (await client.post(url, json=transfer(tenant_a, "bank_jpy", "merchant_jpy", "999999999999999", "JPY"), headers=h("j2"))).status_code == 201
    assert (await client.post(url, json=transfer(tenant_a, "bank_jpy", "merchant_jpy", "200", "JPY"), headers=h("j3"))).status_code == 201
    acct = await client.get(f"/v1/accounts/{tenant_a.accounts['bank_jpy']}", headers=tenant_a.h())
    assert acct.status_code == 200 and (acct.json()["posted"], acct.json()["debits_posted"], acct.json()["currency"]) == ("1000000000000199", "1000000000000199", "JPY")
    assert (await client.get(f"/v1/ledgers/{tenant_a.ledger_id}/accounts", headers=tenant_a.h())).status_code == 200
    tb = (await client.get(f"/v1/ledgers/{tenant_a.ledger_id}/trial-balance", headers=tenant_a.h())).json()
    assert {t["currency"]: (t["debits"], t["credits"]) for t in tb["totals"]}["JPY"] == ("1000000000000199", "1000000000000199")


async def test_a_balance_out_of_range_is_refused_over_http(app, client, engine, tenant_a):
    async with engine.begin() as conn:  # an account at the largest balance less 1 yen (as after 100 largest postings)
        await conn.execute(update(accounts).where(accounts.c.id == UUID(tenant_a.accounts["merchant_jpy"])).values(credits_posted=10**17 - 2))
        await conn.execute(update(accounts).where(accounts.c.id == UUID(tenant_a.accounts["bank_jpy"])).values(debits_posted=10**17 - 2))
    url = f"/v1/ledgers/{tenant_a.ledger_id}/transactions"
    p = _problem(await client.post(url, json=transfer(tenant_a, "bank_jpy", "merchant_jpy", "2", "JPY"), headers=tenant_a.h(**{"Idempotency-Key": "o1"})), 422, "amount_out_of_range")
    assert (p["currency"], p["maximum"], p["amount"]) == ("JPY", "99999999999999999", "100000000000000000")
    assert await _seq(client, tenant_a) == 0
    assert (await client.post(url, json=transfer(tenant_a, "bank_jpy", "merchant_jpy", "1", "JPY"), headers=tenant_a.h(**{"Idempotency-Key": "o2"}))).status_code == 201


async def test_aggregates_of_huge_totals_are_exact(client, engine, tenant_a):
    """The issue's SQLite case: three accounts of 8 x 10**16 USD summed by owner."""
    h = tenant_a.h()
    ids = []
    for i in range(3):
        r = await client.post(f"/v1/ledgers/{tenant_a.ledger_id}/accounts", json={"code": f"big{i}", "currency": "USD", "type": "liability", "owner_ref": "whale"}, headers=tenant_a.h(**{"Idempotency-Key": f"big{i}"}))
        ids.append(r.json()["id"])
    async with engine.begin() as conn:  # totals from before the limits
        await conn.execute(update(accounts).where(accounts.c.id.in_([UUID(x) for x in ids])).values(credits_posted=8 * 10**18))
    r = await client.get(f"/v1/ledgers/{tenant_a.ledger_id}/balances", params={"owner_ref": "whale"}, headers=h)
    assert r.status_code == 200, r.text
    assert r.json()["data"] == [
        {"currency": "USD", "accounts": 3, "debits_posted": "0.00", "credits_posted": "240000000000000000.00", "debits_pending": "0.00", "credits_pending": "0.00"}
    ]
    tb = await client.get(f"/v1/ledgers/{tenant_a.ledger_id}/trial-balance", params={"as_of_date": "2099-01-01"}, headers=h)
    assert tb.status_code == 200 and {t["currency"]: t["credits"] for t in tb.json()["totals"]}["USD"] == "240000000000000000.00"
    assert (await client.get(f"/v1/accounts/{ids[0]}", headers=h)).json()["posted"] == "80000000000000000.00"


# -- credentials ----------------------------------------------------------------------------------


async def test_a_key_cannot_revoke_itself_without_confirming(app, client, tenant_a):
    me = f"/v1/api-keys/{tenant_a.key_id}/revoke"
    p = _problem(await client.post(me, headers=tenant_a.h()), 409, "confirm_self_required")
    assert "confirm_self" in p["detail"]
    _problem(await client.post(me, json={}, headers=tenant_a.h()), 409, "confirm_self_required")
    # confirmed, but it is the institution's last system key
    _problem(await client.post(me, json={"confirm_self": True}, headers=tenant_a.h()), 409, "last_system_key")
    assert (await client.get("/v1/ledgers", headers=tenant_a.h())).status_code == 200
    spare = await issue_key(client, tenant_a, {"name": "spare"})
    r = await client.post(me, json={"confirm_self": True}, headers=tenant_a.h())
    assert r.status_code == 200 and r.json()["revoked_at"]
    _problem(await client.get("/v1/ledgers", headers=tenant_a.h()), 401, "credentials_revoked")
    assert (await client.get("/v1/ledgers", headers={"Authorization": f"Bearer {spare['key']}"})).status_code == 200


async def test_rotating_the_calling_key_needs_confirmation_only_without_grace(client, tenant_a):
    url = f"/v1/api-keys/{tenant_a.key_id}/rotate"
    _problem(await client.post(url, json={}, headers=tenant_a.h()), 409, "confirm_self_required")
    r = await client.post(url, json={"grace_seconds": 60}, headers=tenant_a.h())
    assert r.status_code == 201
    assert (await client.get("/v1/ledgers", headers=tenant_a.h())).status_code == 200  # within its grace period


async def test_the_last_active_system_key_is_protected(app, client, tenant_a):
    admin = tenant_a.as_user("admin")
    url = f"/v1/api-keys/{tenant_a.key_id}/revoke"
    p = _problem(await client.post(url, headers=admin), 409, "last_system_key")
    assert p["key_id"] == str(tenant_a.key_id)
    # a platform key is no system key; a revoked or expired system key does not count
    await issue_key(client, tenant_a, {"name": "shop", "role": "platform", "platform_code": "shopx"}, admin)
    other = await issue_key(client, tenant_a, {"name": "other"}, admin)
    assert (await client.post(f"/v1/api-keys/{other['id']}/revoke", headers=admin)).status_code == 200
    _problem(await client.post(url, headers=admin), 409, "last_system_key")
    async with app.state.ctx.engine.begin() as conn:
        fresh = await issue_api_key(conn, app.state.ctx.keyring, tenant_a.institution_id, name="fresh")
    assert (await client.post(url, headers=admin)).status_code == 200
    _problem(await client.post(f"/v1/api-keys/{fresh['id']}/revoke", headers=admin), 409, "last_system_key")
    keys = (await client.get("/v1/api-keys", headers=admin)).json()["data"]
    assert [k["name"] for k in keys if k["role"] == "system" and k["revoked_at"] is None] == ["fresh"]


# -- idempotent creation --------------------------------------------------------------------------


async def test_creating_ledgers_accounts_and_checkpoints_is_idempotent(client, tenant_a):
    h = tenant_a.h
    _problem(await client.post("/v1/ledgers", json={"code": "side"}, headers=h()), 400, "idempotency_key_missing")
    first = await client.post("/v1/ledgers", json={"code": "side"}, headers=h(**{"Idempotency-Key": "new-ledger"}))
    again = await client.post("/v1/ledgers", json={"code": "side"}, headers=h(**{"Idempotency-Key": "new-ledger"}))
    assert first.status_code == again.status_code == 201 and again.content == first.content and again.headers["Idempotent-Replayed"] == "true"
    _problem(await client.post("/v1/ledgers", json={"code": "other"}, headers=h(**{"Idempotency-Key": "new-ledger"})), 422, "idempotency_key_reused")
    assert len((await client.get("/v1/ledgers", headers=h())).json()["data"]) == 2
    url = f"/v1/ledgers/{first.json()['id']}/accounts"
    body = {"code": "cash", "currency": "KWD", "type": "asset"}
    _problem(await client.post(url, json=body, headers=h()), 400, "idempotency_key_missing")
    a1 = await client.post(url, json=body, headers=h(**{"Idempotency-Key": "cash"}))
    a2 = await client.post(url, json=body, headers=h(**{"Idempotency-Key": "cash"}))
    assert a1.status_code == 201 and a2.content == a1.content and a1.json()["posted"] == "0.000"
    _problem(await client.post(url, json=body, headers=h(**{"Idempotency-Key": "cash-2"})), 409, "duplicate_code")
    cp = f"/v1/ledgers/{first.json()['id']}/checkpoints"
    _problem(await client.post(cp, headers=h()), 400, "idempotency_key_missing")
    c1 = await client.post(cp, headers=h(**{"Idempotency-Key": "cp"}))
    assert c1.status_code == 201 and (await client.post(cp, headers=h(**{"Idempotency-Key": "cp"}))).content == c1.content
