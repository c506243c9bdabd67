"""``POST /v1/receipts/batch``: many receipts in one database transaction and
one durable commit, each with its own result; idempotent by the request's key
and by each receipt's ``external_ref``.  On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from uuid import UUID

from sqlalchemy import func, select

from ledger.clock import business_date, utc_now
from ledger.money import MAX_AMOUNT_MINOR, format_minor
from settlement import accounts as A
from settlement.tables_receipts import receipts
from tests.support.commits import CommitCounter

from .conftest import issue_key
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


async def test_a_reference_spelled_another_way_is_refused_not_a_second_receipt(app, client, tenant_a, setup):
    a = setup["a"]
    first = await client.post(URL, json={"receipts": [item(a, "9.00", "R1")]}, headers=tenant_a.h(**{"Idempotency-Key": "sp-0"}))
    assert first.status_code == 200 and first.json()["posted"] == 1, first.text
    # blanks at either end, a full-width digit, a zero-width space, a control character: refused whole, nothing posted
    for n, ref in enumerate([" R1", "R1 ", "R\uff11", "R\u200b1", "R\t1", "   "]):
        r = await client.post(URL, json={"receipts": [item(a, "9.00", ref)]}, headers=tenant_a.h(**{"Idempotency-Key": f"sp-{n + 1}"}))
        assert r.status_code == 422 and r.json()["code"] == "validation_error", (ref, r.text)
        assert "body.receipts.0.external_ref" in r.json()["detail"]
    # case counts (references compare exactly, as Idempotency-Keys do): r1 is another receipt
    other = await client.post(URL, json={"receipts": [item(a, "9.00", "r1"), item(a, "9.00", "R1")]}, headers=tenant_a.h(**{"Idempotency-Key": "sp-case"}))
    res = other.json()["results"]
    assert (res[0]["replayed"], res[1]["replayed"]) == (False, True)
    assert res[1]["receipt"]["id"] == first.json()["results"][0]["receipt"]["id"]
    assert await _current(app, tenant_a, a) == 1_800


async def test_two_institutions_racing_with_one_reference_each_post_their_own(app, client, tenant_a, tenant_b, setup):
    from settlement.customers import open_customer

    stl = app.state.ctx.settlement
    b_cust = await open_customer(stl.ledger, stl.keyring, tenant_b.institution_id, ref="MA", kind="enterprise", name="A Ltd (bank B)", fx_class="A", directory_registered=True)
    await stl.rates.set_manual_rate(tenant_b.institution_id, "USD", "CNY", Decimal("7.1000"), as_of=business_date(utc_now(), "Asia/Shanghai"))
    bodies = [(tenant_a, setup["a"]), (tenant_b, str(b_cust.id))] * 3
    rs = await asyncio.gather(*(
        client.post(URL, json={"receipts": [item(c, "12.00", "shared-ref")]}, headers=t.h(**{"Idempotency-Key": f"race-{n}"})) for n, (t, c) in enumerate(bodies)
    ))
    assert all(r.status_code == 200 and r.json()["posted"] == 1 for r in rs), [r.text for r in rs]
    ids = {t.code: {r.json()["results"][0]["receipt"]["id"] for r, (t2, _c) in zip(rs, bodies, strict=True) if t2 is t} for t in (tenant_a, tenant_b)}
    assert all(len(v) == 1 for v in ids.values()) and ids[tenant_a.code] != ids[tenant_b.code]  # one receipt per institution
    assert await _current(app, tenant_a, setup["a"]) == 1_200
    assert await _current(app, tenant_b, str(b_cust.id)) == 1_200


async def test_edges_of_amounts_and_dates_are_refused_per_receipt(app, client, tenant_a, setup):
    a = setup["a"]
    top = format_minor(MAX_AMOUNT_MINOR, "USD")
    beyond = format_minor(MAX_AMOUNT_MINOR + 1, "USD")
    body = {"receipts": [
        item(a, beyond, "e-1"),  # one cent beyond the largest amount
        item(a, "1.00", "e-2", value_date="9999-12-31"),  # far outside the value-date window
        item(a, "1.00", "e-3", currency="EUR"),  # no EUR mid rate in this institution: held in suspense, not refused
        item(a, top, "e-4", net="0.00", fees={"warehousing": top}),  # the largest amount, all of it a fee
    ]}
    r = await client.post(URL, json=body, headers=tenant_a.h(**{"Idempotency-Key": "edges"}))
    assert r.status_code == 200, r.text
    res = r.json()["results"]
    assert res[0]["code"] == "amount_out_of_range" and res[0]["problem"]["field"] == "receipts[0].gross"
    assert res[1]["code"] == "value_date_out_of_window"
    assert res[2]["code"] == "ok" and res[2]["receipt"]["status"] == "suspense"
    assert res[3]["code"] == "ok" and res[3]["receipt"]["gross"] == top
    assert await _count(app, ["e-1", "e-2"]) == 0
    zero = await client.post(URL, json={"receipts": [item(a, "1.00", "e-5", value_date=0)]}, headers=tenant_a.h(**{"Idempotency-Key": "edges-0"}))
    assert zero.status_code == 422 and "body.receipts.0.value_date" in zero.json()["detail"]


async def test_roles_and_scopes_that_do_not_post_receipts_are_refused(app, client, tenant_a, setup):
    body = {"receipts": [item(setup["a"], "1.00", "role-1")]}
    for role in ("sme", "approver"):  # neither posts receipts (system keys with settlement:write and finance staff do)
        headers, code = tenant_a.as_user(role, **{"Idempotency-Key": f"role-{role}"}), "forbidden_role"
        r = await client.post(URL, json=body, headers=headers)
        assert r.status_code == 403 and r.json()["code"] == code, r.text
    reader = await issue_key(client, tenant_a, {"name": "reads only"})  # a new system key reads only
    r = await client.post(URL, json=body, headers={"Authorization": f"Bearer {reader['key']}", "Idempotency-Key": "role-key"})
    assert r.status_code == 403 and r.json()["code"] == "forbidden_scope", r.text
    assert (await client.post(URL, json=body)).status_code == 401
    assert await _count(app, ["role-1"]) == 0
