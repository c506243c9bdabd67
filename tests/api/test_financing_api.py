"""Financing over HTTP: an SME applies with platform orders as collateral,
gets a decision with reasons and an offer, accepts; the institution pays
out, the orders are encumbered for every institution; SME users see only
their own merchant's loans."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from api.auth import create_user
from settlement.customers import open_customer
from settlement.tradedata import OrderIn, PaymentIn, WaybillIn, ingest_orders, ingest_payments, ingest_waybills

from .conftest import PASSWORD


def k(headers: dict[str, str], key: str | None = None) -> dict[str, str]:
    """``headers`` with an Idempotency-Key (fresh unless given): the creating POSTs require one."""
    return {**headers, "Idempotency-Key": key or str(uuid.uuid4())}


async def _history(engine, inst, ref: str, *, months=12, per_month=10, amount=500_000, prefix="H"):
    """A merchant's trailing year of matched, shipped-on-time orders."""
    today = date.today()
    orders, payments, waybills = [], [], []
    for m in range(months):
        for k in range(per_month):
            day = today - timedelta(days=30 * m + k + 3)
            oid = f"{prefix}{m:02d}{k:02d}"
            orders.append(OrderIn(oid, ref, "USD", amount, day, destination_country=["US", "DE", "GB", "FR"][k % 4]))
            payments.append(PaymentIn(f"p-{oid}", oid, ref, "USD", amount, day + timedelta(days=1)))
            waybills.append(WaybillIn(f"w-{oid}", oid, ref, day + timedelta(days=1)))
    await ingest_orders(engine, inst, "shopx", orders)
    await ingest_payments(engine, inst, "shopx", payments)
    await ingest_waybills(engine, inst, "shopx", waybills)
    return [o.external_id for o in orders]


@pytest.fixture
async def lender(app, client, tenant_a):
    ctx = app.state.ctx
    inst = tenant_a.institution_id
    stl = ctx.settlement
    m = await open_customer(ctx.ledger, stl.keyring, inst, ref="SME1", kind="enterprise", name="Small Exporter Ltd", fx_class="A", directory_registered=True)
    other = await open_customer(ctx.ledger, stl.keyring, inst, ref="SME2", kind="enterprise", name="Other Exporter Ltd", fx_class="A", directory_registered=True)
    async with ctx.engine.begin() as conn:
        await create_user(conn, inst, "sme1", PASSWORD, "sme", merchant_ref="SME1")
        await create_user(conn, inst, "sme2", PASSWORD, "sme", merchant_ref="SME2")
    tokens = {}
    for u in ("sme1", "sme2"):
        r = await client.post("/v1/auth/token", json={"institution": tenant_a.code, "username": u, "password": PASSWORD})
        tokens[u] = {"Authorization": f"Bearer {r.json()['access_token']}"}
    orders = await _history(ctx.engine, inst, "SME1")
    p = await client.post("/v1/financing/products", json={"code": "order-usd", "kind": "order", "currency": "USD", "config": {"fixed_rate": "0.073", "max_tenor_days": 180}}, headers=k(tenant_a.h()))
    assert p.status_code == 201, p.text
    return {"merchant": m, "other": other, "tokens": tokens, "orders": orders, "product": p.json()["id"]}


async def test_sme_applies_with_orders_and_the_loan_is_paid_out_once(client, tenant_a, lender):
    sme = lender["tokens"]["sme1"]
    offered = lender["orders"][:20]  # 20 orders x USD 5,000 = USD 100,000
    r = await client.post("/v1/financing/applications", json={"product_id": lender["product"], "amount": "80000.00", "tenor_days": 90, "orders": {"platform_code": "shopx", "order_ids": offered}}, headers=k(sme))
    assert r.status_code == 201, r.text
    loan = r.json()
    assert loan["status"] == "applied" and loan["customer_id"] == str(lender["merchant"].id)
    assert loan["limit"] == "70000.00"  # 70 % of the orders' value caps the underwriting limit
    lid = loan["id"]
    # the other merchant's SME user does not see it
    assert (await client.get(f"/v1/financing/loans/{lid}", headers=lender["tokens"]["sme2"])).status_code == 404
    assert (await client.get("/v1/financing/loans", headers=lender["tokens"]["sme2"])).json() == {"data": [], "has_more": False, "next_cursor": None}
    too_much = await client.post(f"/v1/financing/loans/{lid}/decision", json={"approve": True, "amount": "70000.01"}, headers=tenant_a.as_user("approver"))
    assert too_much.status_code == 422
    ok = await client.post(f"/v1/financing/loans/{lid}/decision", json={"approve": True, "amount": "70000.00"}, headers=tenant_a.as_user("approver"))
    assert ok.status_code == 200 and ok.json()["status"] == "approved"
    offer = (await client.post(f"/v1/financing/loans/{lid}/offer", headers=tenant_a.as_user("finance"))).json()
    assert offer["status"] == "offered" and offer["currency"] == "USD"
    o = offer["offer"]
    # 70,000.00 at 7.3 % ACT/360 for 90 days: 70,000 x 0.073 x 90 / 360 = 1,277.50 interest, no fee
    assert (o["currency"], o["principal"], o["interest"], o["fee"], o["total_cost"], o["total_repayable"]) == ("USD", "70000.00", "1277.50", "0.00", "1277.50", "71277.50")
    assert o["schedule"] == [{"due_date": o["due_date"], "principal": "70000.00", "interest": "1277.50", "fee": "0.00"}]
    assert offer["decision"]["limit"] == "70000.00" and "_minor" not in str(offer)
    assert (await client.post(f"/v1/financing/loans/{lid}/accept", headers=sme)).json()["status"] == "accepted"
    paid = await client.post(f"/v1/financing/loans/{lid}/disburse", headers=tenant_a.as_user("finance", **{"Idempotency-Key": "pay-1"}))
    assert paid.status_code == 200, paid.text
    assert paid.json()["status"] == "active" and paid.json()["balances"]["principal"] == "70000.00"
    again = await client.post(f"/v1/financing/loans/{lid}/disburse", headers=tenant_a.as_user("finance", **{"Idempotency-Key": "pay-1"}))
    assert again.content == paid.content
    portfolio = (await client.get("/v1/financing/portfolio", headers=tenant_a.h())).json()
    assert portfolio["loans"] == 1 and portfolio["currencies"][0]["currency"] == "USD" and portfolio["currencies"][0]["outstanding"]["principal"] == "70000.00"
    assert portfolio["exposure"] == [{"customer_id": str(lender["merchant"].id), "currency": "USD", "outstanding": "70000.00"}]
    # the same orders cannot back a second financing (a second application, any institution)
    second = (await client.post("/v1/financing/applications", json={"customer_id": str(lender["merchant"].id), "product_id": lender["product"], "amount": "10000.00", "tenor_days": 30, "orders": {"platform_code": "shopx", "order_ids": offered}}, headers=k(tenant_a.h()))).json()
    assert second["limit"] == "0.00"  # the encumbered orders are not eligible any more


async def test_a_negative_listed_merchant_is_declined_with_the_reason(client, app, tenant_a, lender):
    from settlement.customers import set_negative_list

    await set_negative_list(app.state.ctx.engine, tenant_a.institution_id, lender["merchant"].id, True, reason="court enforcement list")
    r = await client.post("/v1/financing/applications", json={"product_id": lender["product"], "amount": "1000.00", "tenor_days": 30}, headers=k(lender["tokens"]["sme1"]))
    assert r.status_code == 201
    loan = r.json()
    assert loan["status"] == "declined" and loan["decision"]["reasons"][0] == "NEGATIVE_LIST"


async def test_underwriting_decisions_replay_to_the_same_answer(client, tenant_a, lender):
    d = await client.post("/v1/financing/underwriting", json={"customer_id": str(lender["merchant"].id)}, headers=k(tenant_a.as_user("finance")))
    assert d.status_code == 201, d.text
    body = d.json()
    assert body["decision"] in ("approve", "refer") and body["limit"] is not None
    again = await client.post(f"/v1/financing/underwriting/{body['id']}/replay", headers=tenant_a.as_user("approver"))
    assert again.status_code == 200
    assert {k: again.json()[k] for k in ("decision", "score", "reasons", "limit")} == {k: body[k] for k in ("decision", "score", "reasons", "limit")}


async def test_the_accrual_job_refuses_days_that_have_not_passed(client, app, tenant_a):
    """POST /v1/financing/accruals with as_of 60 days ahead is a 422 naming
    the field and books nothing; today is accepted."""
    from sqlalchemy import func, select

    from ledger.clock import business_today
    from ledger.schema import transactions

    async def count() -> int:
        async with app.state.ctx.engine.connect() as conn:
            return int((await conn.execute(select(func.count()).select_from(transactions).where(transactions.c.institution_id == tenant_a.institution_id))).scalar_one())

    before = await count()
    ahead = business_today() + timedelta(days=60)
    r = await client.post("/v1/financing/accruals", json={"as_of": ahead.isoformat()}, headers=tenant_a.h())
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert "as_of" in r.text and "after today" in r.text
    assert await count() == before
    r = await client.post("/v1/financing/accruals", json={"as_of": business_today().isoformat()}, headers=tenant_a.h())
    assert r.status_code == 200, r.text
