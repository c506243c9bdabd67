"""``POST /v1/receipts/batch``: many receipts in one database transaction and
one durable commit, each with its own result; idempotent by the request's key
and by each receipt's ``external_ref``.  On SQLite and PostgreSQL."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import func, select

from settlement import accounts as A
from settlement.tables_receipts import receipts
from tests.support.commits import CommitCounter

from .test_settlement_api import receipt_body, setup  # noqa: F401 - the fixture

URL = "/v1/receipts/batch"


def item(customer, gross, ref, **extra):
    return {**receipt_body(customer, gross), "external_ref": ref, **extra}


async def _count(app, refs) -> int:
    async with app.state.ctx.engine.connect() as conn:
        return (await conn.execute(select(func.count()).select_from(receipts).where(receipts.c.external_ref.in_(refs)))).scalar_one()


async def _current(app, tenant, customer) -> int:
    """The customer's current-account USD balance (minor units)."""
    ledger = app.state.ctx.settlement.ledger
    acct = await A.customer_account(ledger, tenant.institution_id, UUID(customer), "current", "USD")
    return (await ledger.balance(tenant.institution_id, acct)).posted


async def test_a_batch_posts_each_receipt_with_its_own_result_in_one_durable_commit(app, client, tenant_a, setup):
    a, b = setup["a"], setup["b"]
    for n, c in enumerate((a, b)):  # a customer's first receipt opens its accounts (a commit of their own, once)
        assert (await client.post("/v1/receipts", json=receipt_body(c, "1.00"), headers=tenant_a.h(**{"Idempotency-Key": f"warm-{n}"}))).status_code == 201
    body = {"receipts": [
        item(a, "100.00", "b-1"),
        item(b, "200.00", "b-2"),
        item(a, "300.00", "b-3", net="290.00"),  # net must be gross less fees: refused
        item(a, "400.00", "b-4"),
        item(a, "1.001", "b-5"),  # more decimals than USD has: refused, naming its place
        item(a, "100.00", "b-1"),  # a repeat of the first: answered as it
    ]}
    counter = CommitCounter(app.state.ctx.engine)
    try:
        r = await client.post(URL, json=body, headers=tenant_a.h(**{"Idempotency-Key": "batch-1"}))
    finally:
        counter.close()
    assert r.status_code == 200, r.text
    out = r.json()
    assert (out["posted"], out["failed"]) == (4, 2)
    res = out["results"]
    assert [x["index"] for x in res] == list(range(6))
    assert [x["code"] for x in res] == ["ok", "ok", "receipt_invalid", "ok", "invalid_amount", "ok"]
    assert res[2]["problem"]["status"] == 422 and res[2]["receipt"] is None
    assert res[4]["problem"]["reason"].startswith("receipts[4].gross:")
    assert [res[n]["receipt"]["gross"] for n in (0, 1, 3)] == ["100.00", "200.00", "400.00"]
    assert res[5]["replayed"] and res[5]["receipt"]["id"] == res[0]["receipt"]["id"] and not res[0]["replayed"]
    assert (counter.durable, counter.nondurable) == (1, 1), counter.log  # the receipts, their answer: one commit
    assert await _count(app, ["b-1", "b-2", "b-3", "b-4", "b-5"]) == 3
    assert await _current(app, tenant_a, a) == 50_100
    again = await client.post(URL, json=body, headers=tenant_a.h(**{"Idempotency-Key": "batch-1"}))
    assert again.content == r.content and again.headers["Idempotent-Replayed"] == "true"


async def test_known_references_are_answered_not_posted_again(app, client, tenant_a, setup):
    a = setup["a"]
    first = await client.post(URL, json={"receipts": [item(a, "10.00", "k-1"), item(a, "20.00", "k-2")]}, headers=tenant_a.h(**{"Idempotency-Key": "k-a"}))
    assert first.status_code == 200 and first.json()["posted"] == 2, first.text
    # another key, the same receipts and one changed: replayed, and refused as a duplicate reference
    second = await client.post(URL, json={"receipts": [item(a, "10.00", "k-1"), item(a, "25.00", "k-2"), item(a, "5.00", "k-3")]}, headers=tenant_a.h(**{"Idempotency-Key": "k-b"}))
    assert second.status_code == 200, second.text
    res = second.json()["results"]
    assert res[0]["replayed"] and res[0]["receipt"]["id"] == first.json()["results"][0]["receipt"]["id"]
    assert res[1]["code"] == "duplicate_reference"
    assert res[2]["code"] == "ok" and not res[2]["replayed"]
    assert await _current(app, tenant_a, a) == 3_500


async def test_a_batch_is_checked_whole_before_anything_is_posted(app, client, tenant_a, setup):
    a = setup["a"]
    no_ref = receipt_body(a, "1.00")  # a batch item must name its reference
    for body in ({"receipts": [no_ref]}, {"receipts": []}, {"receipts": [item(a, "1.00", f"n-{i}") for i in range(1001)]}, {"receipts": [item(a, "1.00", "")]}):
        r = await client.post(URL, json=body, headers=tenant_a.h(**{"Idempotency-Key": f"bad-{len(body['receipts'])}"}))
        assert r.status_code == 422 and r.headers["content-type"] == "application/problem+json", r.text
        assert r.json()["code"] == "validation_error"
    assert (await client.post(URL, json={"receipts": [item(a, "1.00", "x")]}, headers=tenant_a.h())).json()["code"] == "idempotency_key_missing"
    assert await _count(app, ["n-0", "x", ""]) == 0


async def test_another_institutions_customer_is_not_found_per_item(app, client, tenant_a, tenant_b, setup):
    a = setup["a"]
    r = await client.post(URL, json={"receipts": [item(a, "7.00", "o-1"), item(a, "8.00", "o-2")]}, headers=tenant_b.h(**{"Idempotency-Key": "other"}))
    assert r.status_code == 200, r.text
    assert [x["problem"]["status"] for x in r.json()["results"]] == [404, 404]
    assert r.json()["posted"] == 0 and await _count(app, ["o-1", "o-2"]) == 0
