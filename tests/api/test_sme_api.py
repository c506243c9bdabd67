"""SME self-service over HTTP (#17 item 4): an SME user sees its eligible
assets, applies idempotently, reads the decision and the offer, accepts or
declines, reads the statement with its running balance and the next amount
due, sees its own accounts and repays from its own current account (once
under a retried key); staff-only steps stay staff-only; an SME never sees
another merchant's (or institution's) loans, assets, accounts or statement."""

from __future__ import annotations

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from api.auth import create_user
from financing.tables_loans import financing_loan_repayments
from ledger.clock import business_today
from ledger.events import audit_log, outbox_events
from ledger.model import NewTransaction, Posting
from ledger.schema import postings, transactions
from settlement import accounts as SA
from settlement.customers import open_customer

from .conftest import PASSWORD, submit_and_approve
from .test_financing_api import _history, k


async def _token(client, code: str, username: str) -> dict[str, str]:
    r = await client.post("/v1/auth/token", json={"institution": code, "username": username, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


@pytest.fixture
async def shop(app, client, tenant_a, tenant_b):
    """Institution A: merchants SME1 (a year of matched orders) and SME2
    (none), an SME user each, an order product; institution B: merchant
    M001 (its ``sme`` user)."""
    ctx = app.state.ctx
    inst = tenant_a.institution_id
    m1 = await open_customer(ctx.ledger, ctx.settlement.keyring, inst, ref="SME1", kind="enterprise", name="Small Exporter Ltd", fx_class="A", directory_registered=True)
    m2 = await open_customer(ctx.ledger, ctx.settlement.keyring, inst, ref="SME2", kind="enterprise", name="Other Exporter Ltd", fx_class="A", directory_registered=True)
    await open_customer(ctx.ledger, ctx.settlement.keyring, tenant_b.institution_id, ref="M001", kind="enterprise", name="Bank B Exporter", fx_class="A", directory_registered=True)
    async with ctx.engine.begin() as conn:
        await create_user(conn, inst, "sme1", PASSWORD, "sme", merchant_ref="SME1")
        await create_user(conn, inst, "sme2", PASSWORD, "sme", merchant_ref="SME2")
    orders = await _history(ctx.engine, inst, "SME1")
    p = await client.post("/v1/financing/products", json={"code": "order-usd", "kind": "order", "currency": "USD", "config": {"fixed_rate": "0.073", "max_tenor_days": 180}}, headers=k(tenant_a.h()))
    product = await submit_and_approve(client, tenant_a, p)
    return {
        "m1": m1, "m2": m2, "orders": orders, "product": product["id"],
        "sme1": await _token(client, tenant_a.code, "sme1"), "sme2": await _token(client, tenant_a.code, "sme2"), "sme_b": tenant_b.as_user("sme"),
    }


async def _walk(client, url: str, headers, limit: int = 50, **query) -> list[dict]:
    rows, cursor = [], None
    for _ in range(100):
        r = await client.get(url, params={"limit": limit, **query, **({"cursor": cursor} if cursor else {})}, headers=headers)
        assert r.status_code == 200, r.text
        body = r.json()
        rows += body["data"]
        if not body["has_more"]:
            return rows
        cursor = body["next_cursor"]
    raise AssertionError("the walk does not end")


async def _offered(client, tenant_a, shop, sme, *, amount="80000.00", orders=None, key=None) -> str:
    """An application of ``sme`` approved and offered by staff: the loan id."""
    body = {"product_id": shop["product"], "amount": amount, "tenor_days": 90, **({"orders": {"platform_code": "shopx", "order_ids": orders}} if orders else {})}
    r = await client.post("/v1/sme/applications", json=body, headers=k(sme, key))
    assert r.status_code == 201, r.text
    lid = r.json()["id"]
    d = await client.post(f"/v1/financing/loans/{lid}/decision", json={"approve": True, "amount": r.json()["limit"] if orders else None}, headers=tenant_a.as_user("approver"))
    assert d.status_code == 200, d.text
    o = await client.post(f"/v1/financing/loans/{lid}/offer", headers=tenant_a.as_user("finance"))
    assert o.status_code == 200 and o.json()["status"] == "offered", o.text
    return lid


async def _count(app, table, **where) -> int:
    async with app.state.ctx.engine.connect() as conn:
        stmt = select(func.count()).select_from(table)
        for col, v in where.items():
            stmt = stmt.where(table.c[col] == v)
        return int((await conn.execute(stmt)).scalar_one())


async def test_the_whole_path_from_assets_to_a_repayment_made_once(app, client, tenant_a, shop):
    sme = shop["sme1"]
    # eligible assets: the 120 matched orders, 70 % advance each (USD 5,000.00 -> 3,500.00), paged
    assets = await _walk(client, "/v1/sme/assets", sme, limit=50, product_id=shop["product"])
    assert len(assets) == 120 and {a["kind"] for a in assets} == {"order"}
    assert len({a["ref"] for a in assets}) == 120
    assert {(a["currency"], a["value"], a["advance"]) for a in assets} == {("USD", "5000.00", "3500.00")}
    offered = [a["details"]["order_id"] for a in assets[:20]]
    # apply idempotently: the retry replays byte for byte, another body under the key is 422
    body = {"product_id": shop["product"], "amount": "80000.00", "tenor_days": 90, "orders": {"platform_code": "shopx", "order_ids": offered}}
    first = await client.post("/v1/sme/applications", json=body, headers=k(sme, "apply-1"))
    assert first.status_code == 201, first.text
    again = await client.post("/v1/sme/applications", json=body, headers=k(sme, "apply-1"))
    assert again.status_code == 201 and again.content == first.content and again.headers["idempotent-replayed"] == "true"
    other = await client.post("/v1/sme/applications", json={**body, "amount": "1000.00"}, headers=k(sme, "apply-1"))
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    loan = first.json()
    lid = loan["id"]
    assert (loan["status"], loan["customer_id"], loan["limit"]) == ("applied", str(shop["m1"].id), "70000.00")
    assert [x["id"] for x in (await client.get("/v1/sme/loans", headers=sme)).json()["data"]] == [lid]
    # staff decide (approver) and offer (finance); the SME reads the decision and the offer
    assert (await client.post(f"/v1/financing/loans/{lid}/decision", json={"approve": True, "amount": "70000.00"}, headers=tenant_a.as_user("approver"))).status_code == 200
    assert (await client.post(f"/v1/financing/loans/{lid}/offer", headers=tenant_a.as_user("finance"))).status_code == 200
    seen = (await client.get(f"/v1/sme/loans/{lid}", headers=sme)).json()
    assert (seen["status"], seen["decision"]["approved"], seen["decision"]["limit"], seen["decision"]["decided_by"] is not None) == ("offered", True, "70000.00", True)
    o = seen["offer"]
    assert (o["principal"], o["interest"], o["total_repayable"], o["annual_percentage_rate"]) == ("70000.00", "1277.50", "71277.50", "7.40")
    assert o["disclosure"]["en"].startswith("Principal USD 70,000.00") and len(o["schedule"]) == 1
    accepted = await client.post(f"/v1/sme/loans/{lid}/accept", headers=sme)
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted", accepted.text
    paid = await client.post(f"/v1/financing/loans/{lid}/disburse", headers=tenant_a.as_user("finance", **{"Idempotency-Key": "pay-1"}))
    assert paid.status_code == 200 and paid.json()["status"] == "active", paid.text
    # the financed orders are no longer eligible
    left = await _walk(client, "/v1/sme/assets", sme, limit=1000)
    assert len(left) == 100 and not {a["details"]["order_id"] for a in left} & set(offered)
    # its own accounts: the current account holds the payout
    accts = (await client.get("/v1/sme/accounts", headers=sme)).json()["data"]
    current = next(a for a in accts if a["kind"] == "current" and a["currency"] == "USD")
    assert (current["balance"], current["available"]) == ("70000.00", "70000.00")
    assert all(a["code"].startswith(f"cust:{shop['m1'].id}:") for a in accts)
    # the statement: the principal paid out, the running balance, the next due amount (bullet: everything at maturity)
    st = (await client.get(f"/v1/sme/loans/{lid}/statement", headers=sme)).json()
    assert [(x["component"], x["side"], x["amount"], x["balance"]) for x in st["data"]] == [("principal", "debit", "70000.00", "70000.00")]
    assert (st["outstanding"], st["status"], st["next_due"]["amount"], st["next_due"]["number"]) == ("70000.00", "active", "71277.50", 1)
    assert st["next_due"]["due_date"] == o["due_date"]
    # repay USD 1,000.00 from the current account; the retry posts nothing more
    tx_before = await _count(app, transactions, institution_id=tenant_a.institution_id)
    r1 = await client.post(f"/v1/sme/loans/{lid}/repayments", json={"amount": "1000.00"}, headers=k(sme, "repay-1"))
    assert r1.status_code == 200, r1.text
    assert (r1.json()["outstanding"], r1.json()["balances"]["principal"]) == ("69000.00", "69000.00")
    r2 = await client.post(f"/v1/sme/loans/{lid}/repayments", json={"amount": "1000.00"}, headers=k(sme, "repay-1"))
    assert r2.status_code == 200 and r2.content == r1.content and r2.headers["idempotent-replayed"] == "true"
    assert (await client.post(f"/v1/sme/loans/{lid}/repayments", json={"amount": "2000.00"}, headers=k(sme, "repay-1"))).status_code == 422
    assert await _count(app, financing_loan_repayments, loan_id=uuid.UUID(lid)) == 1
    assert await _count(app, transactions, institution_id=tenant_a.institution_id) == tx_before + 2  # the settlement and the financing side, once
    # the SME cannot name an account to pay from
    named = await client.post(f"/v1/sme/loans/{lid}/repayments", json={"amount": "1.00", "account_id": current["id"]}, headers=k(sme))
    assert named.status_code == 422
    st = (await client.get(f"/v1/sme/loans/{lid}/statement", headers=sme)).json()
    assert [(x["component"], x["side"], x["amount"], x["balance"]) for x in st["data"]] == [("principal", "debit", "70000.00", "70000.00"), ("principal", "credit", "1000.00", "69000.00")]
    # paid before the due date, the 1,000.00 is an early repayment: the loan's schedule is rebuilt on
    # USD 69,000.00 (financing.loan_schedule), 69,000 x 0.073 x 90 / 360 = 1,259.25 interest
    assert (st["outstanding"], st["next_due"]["amount"]) == ("69000.00", "70259.25")
    current = next(a for a in (await client.get("/v1/sme/accounts", headers=sme)).json()["data"] if a["kind"] == "current" and a["currency"] == "USD")
    assert current["balance"] == "69000.00"


async def test_a_repayment_beyond_the_current_account_is_refused_with_nothing_posted(app, client, tenant_a, shop):
    sme = shop["sme1"]
    lid = await _offered(client, tenant_a, shop, sme, amount="10000.00")
    assert (await client.post(f"/v1/sme/loans/{lid}/accept", headers=sme)).status_code == 200
    assert (await client.post(f"/v1/financing/loans/{lid}/disburse", headers=tenant_a.as_user("finance", **{"Idempotency-Key": "pay-2"}))).status_code == 200
    # the merchant spends 9,500.00 of the 10,000.00 paid out: 500.00 left in the current account
    ctx = app.state.ctx
    inst = tenant_a.institution_id
    cur_acc = await SA.customer_account(ctx.ledger, inst, shop["m1"].id, "current", "USD")
    nostro = await SA.institution_account(ctx.ledger, inst, "nostro", "USD")
    stl = await SA.settlement_ledger_id(ctx.ledger, inst)
    await ctx.ledger.post(inst, NewTransaction(stl, [Posting(cur_acc, 950000, "debit", "USD"), Posting(nostro, 950000, "credit", "USD")], idempotency_key="spend-1", effective_date=business_today(), description="outward payment"))
    before = {"tx": await _count(app, transactions, institution_id=inst), "postings": await _count(app, postings, institution_id=inst), "repayments": await _count(app, financing_loan_repayments, loan_id=uuid.UUID(lid))}
    r = await client.post(f"/v1/sme/loans/{lid}/repayments", json={"amount": "600.00"}, headers=k(sme, "too-much"))
    assert r.status_code == 422 and r.json()["code"] == "insufficient_funds", r.text
    assert Decimal(r.json()["available"]) == Decimal("500.00")
    after = {"tx": await _count(app, transactions, institution_id=inst), "postings": await _count(app, postings, institution_id=inst), "repayments": await _count(app, financing_loan_repayments, loan_id=uuid.UUID(lid))}
    assert after == before
    loan = (await client.get(f"/v1/sme/loans/{lid}", headers=sme)).json()
    assert loan["outstanding"] == "10000.00"
    # more than the loan owes: refused too
    assert (await client.post(f"/v1/sme/loans/{lid}/repayments", json={"amount": "10000.01"}, headers=k(sme))).json()["code"] == "loan_invalid"
    # what the account holds is accepted
    ok = await client.post(f"/v1/sme/loans/{lid}/repayments", json={"amount": "500.00"}, headers=k(sme))
    assert ok.status_code == 200 and ok.json()["outstanding"] == "9500.00"


async def test_an_sme_declines_an_offer_audited_and_evented(app, client, tenant_a, shop):
    sme = shop["sme1"]
    lid = await _offered(client, tenant_a, shop, sme, amount="5000.00")
    d = await client.post(f"/v1/sme/loans/{lid}/decline", headers=sme)
    assert d.status_code == 200 and d.json()["status"] == "offer_declined", d.text
    for step in ("accept", "decline"):
        again = await client.post(f"/v1/sme/loans/{lid}/{step}", headers=sme)
        assert again.status_code == 409 and again.json()["code"] == "loan_state" and "offer_declined" in again.json()["detail"]
    assert (await client.post(f"/v1/financing/loans/{lid}/disburse", headers=tenant_a.as_user("finance", **{"Idempotency-Key": "pay-3"}))).json()["code"] == "loan_state"
    assert [x["id"] for x in (await client.get("/v1/sme/loans", params={"status": "offer_declined"}, headers=sme)).json()["data"]] == [lid]
    async with app.state.ctx.engine.connect() as conn:
        audits = (await conn.execute(select(audit_log.c.action, audit_log.c.before, audit_log.c.after, audit_log.c.actor_id).where(audit_log.c.object_id == lid))).all()
        events = (await conn.execute(select(outbox_events.c.type, outbox_events.c.payload).where(outbox_events.c.institution_id == tenant_a.institution_id))).all()
    declined = [a for a in audits if a.action == "loan.decline_offer"]
    assert len(declined) == 1 and declined[0].before == {"status": "offered"} and declined[0].after == {"status": "offer_declined"}
    assert [e.payload for e in events if e.type == "loan.offer_declined"] == [{"loan_id": lid, "from": "offered", "to": "offer_declined"}]
    # an application not yet offered cannot be declined by the SME (it is the bank's decision)
    r = await client.post("/v1/sme/applications", json={"product_id": shop["product"], "amount": "100.00", "tenor_days": 30}, headers=k(sme))
    assert (await client.post(f"/v1/sme/loans/{r.json()['id']}/decline", headers=sme)).status_code == 409


async def test_staff_steps_stay_staff_only_and_sme_routes_are_for_sme_users(client, tenant_a, shop):
    sme = shop["sme1"]
    lid = await _offered(client, tenant_a, shop, sme, amount="5000.00")
    staff_only = [
        ("post", f"/v1/financing/loans/{lid}/decision", {"approve": True}), ("post", f"/v1/financing/loans/{lid}/offer", None),
        ("post", f"/v1/financing/loans/{lid}/disburse", {}), ("post", f"/v1/financing/loans/{lid}/write-off", {"reason": "x"}),
        ("post", f"/v1/financing/loans/{lid}/repayments", {"amount": "1.00"}), ("get", "/v1/financing/portfolio", None),
    ]
    for method, url, body in staff_only:
        r = await client.request(method.upper(), url, json=body, headers=k(sme))
        assert r.status_code == 403 and r.json()["code"] == "forbidden_role", f"{url}: {r.status_code}"
    for who in (tenant_a.h(), tenant_a.as_user("finance"), tenant_a.as_user("admin")):
        for url in ("/v1/sme/loans", "/v1/sme/assets", "/v1/sme/accounts", f"/v1/sme/loans/{lid}/statement"):
            r = await client.get(url, headers=who)
            assert r.status_code == 403 and r.json()["code"] == "forbidden_role", url
        assert (await client.post(f"/v1/sme/loans/{lid}/repayments", json={"amount": "1.00"}, headers=k(who))).status_code == 403


async def test_an_sme_never_sees_another_merchants_or_institutions_data(app, client, tenant_a, tenant_b, shop):
    sme1, sme2, sme_b = shop["sme1"], shop["sme2"], shop["sme_b"]
    lid = await _offered(client, tenant_a, shop, sme1, amount="5000.00")
    assert (await client.post(f"/v1/sme/loans/{lid}/accept", headers=sme1)).status_code == 200
    assert (await client.post(f"/v1/financing/loans/{lid}/disburse", headers=tenant_a.as_user("finance", **{"Idempotency-Key": "pay-4"}))).status_code == 200
    for other in (sme2, sme_b):
        # lists: nothing of SME1's
        assert (await client.get("/v1/sme/loans", headers=other)).json() == {"data": [], "has_more": False, "next_cursor": None}
        assert (await client.get("/v1/sme/assets", headers=other)).json()["data"] == []
        assert all(shop["m1"].id.hex not in a["code"].replace("-", "") for a in (await client.get("/v1/sme/accounts", headers=other)).json()["data"])
        # SME1's loan id: 404 everywhere, nothing changes
        for method, url, body in [
            ("GET", f"/v1/sme/loans/{lid}", None), ("GET", f"/v1/sme/loans/{lid}/statement", None), ("POST", f"/v1/sme/loans/{lid}/accept", None),
            ("POST", f"/v1/sme/loans/{lid}/decline", None), ("POST", f"/v1/sme/loans/{lid}/repayments", {"amount": "1.00"}),
        ]:
            r = await client.request(method, url, json=body, headers=k(other))
            assert r.status_code == 404, f"{method} {url}: {r.status_code} {r.text}"
    assert (await client.get(f"/v1/sme/loans/{lid}", headers=sme1)).json()["outstanding"] == "5000.00"
    # SME2's own application is its own; SME1 does not see it
    r2 = await client.post("/v1/sme/applications", json={"product_id": shop["product"], "amount": "100.00", "tenor_days": 30}, headers=k(sme2))
    assert r2.status_code == 201 and r2.json()["customer_id"] == str(shop["m2"].id)
    # SME2 has no sales: declined at once, and it reads why in words with the figures
    mine = (await client.get(f"/v1/sme/loans/{r2.json()['id']}", headers=sme2)).json()
    assert mine["status"] == "declined" and "LOW_SALES" in mine["decision"]["reasons"]
    low = next(e for e in mine["decision"]["explanations"] if e["code"] == "LOW_SALES")
    assert low["figures"]["net_sales_12m"] == "USD 0.00" and low["to_change"]["en"]
    assert (await client.get(f"/v1/sme/loans/{r2.json()['id']}", headers=sme1)).status_code == 404
    assert [x["id"] for x in (await client.get("/v1/sme/loans", headers=sme1)).json()["data"]] == [lid]
    # bank B's SME cannot use bank A's product either
    rb = await client.post("/v1/sme/applications", json={"product_id": shop["product"], "amount": "100.00", "tenor_days": 30}, headers=k(sme_b))
    assert rb.status_code == 404


async def test_assets_under_a_product_the_cursor_and_the_next_due_of_instalments(app, client, tenant_a, shop):
    sme = shop["sme1"]
    # a product of another kind gives the orders no advance
    p = await client.post("/v1/financing/products", json={"code": "wr-usd", "kind": "warehouse_receipt", "currency": "USD", "config": {"fixed_rate": "0.05"}}, headers=k(tenant_a.h()))
    wr = await submit_and_approve(client, tenant_a, p)
    page = (await client.get("/v1/sme/assets", params={"product_id": wr["id"], "limit": 2}, headers=sme)).json()
    assert [a["advance"] for a in page["data"]] == [None, None] and page["has_more"] is True
    bad = await client.get("/v1/sme/assets", params={"cursor": "bm90LWEtY3Vyc29y"}, headers=sme)
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_cursor"
    assert (await client.get("/v1/sme/assets", params={"product_id": str(uuid.uuid4())}, headers=sme)).status_code == 404
    # an equal-instalment loan: the next due amount is the first instalment, then the rest of it after a partial repayment
    cfg = {"fixed_rate": "0.0435", "max_tenor_days": 360, "min_tenor_days": 30, "schedule_method": "equal_instalment"}
    p = await client.post("/v1/financing/products", json={"code": "order-usd-12m", "kind": "order", "currency": "USD", "config": cfg}, headers=k(tenant_a.h()))
    inst_product = await submit_and_approve(client, tenant_a, p)
    r = await client.post("/v1/sme/applications", json={"product_id": inst_product["id"], "amount": "12000.00", "tenor_days": 360}, headers=k(sme))
    lid = r.json()["id"]
    assert (await client.post(f"/v1/financing/loans/{lid}/decision", json={"approve": True}, headers=tenant_a.as_user("approver"))).status_code == 200
    offer = (await client.post(f"/v1/financing/loans/{lid}/offer", headers=tenant_a.as_user("finance"))).json()["offer"]
    assert (await client.post(f"/v1/sme/loans/{lid}/accept", headers=sme)).status_code == 200
    assert (await client.post(f"/v1/financing/loans/{lid}/disburse", headers=tenant_a.as_user("finance", **{"Idempotency-Key": "pay-5"}))).status_code == 200
    first = offer["schedule"][0]
    st = (await client.get(f"/v1/sme/loans/{lid}/statement", params={"limit": 1}, headers=sme)).json()
    assert (st["next_due"]["number"], st["next_due"]["amount"], st["next_due"]["due_date"]) == (1, first["total"], first["due_date"])
    assert st["has_more"] is False and st["data"][0]["balance"] == "12000.00"
    assert (await client.post(f"/v1/sme/loans/{lid}/repayments", json={"amount": "100.00"}, headers=k(sme))).status_code == 200
    st = (await client.get(f"/v1/sme/loans/{lid}/statement", params={"limit": 1}, headers=sme)).json()
    # an early repayment: the rest of the schedule is rebuilt by the product's rule (lower instalments);
    # the SME's next due amount is the loan schedule's
    sched = (await client.get(f"/v1/financing/loans/{lid}/schedule", headers=sme)).json()
    assert st["next_due"]["amount"] == sched["next_due"]["amount"] and st["next_due"]["number"] == sched["next_due"]["number"] == 1
    assert Decimal(st["next_due"]["amount"]) < Decimal(first["total"])
    # the second page continues the running balance
    assert st["has_more"] is True
    nxt = (await client.get(f"/v1/sme/loans/{lid}/statement", params={"limit": 1, "cursor": st["next_cursor"]}, headers=sme)).json()
    assert [(x["side"], x["amount"], x["balance"]) for x in nxt["data"]] == [("credit", "100.00", "11900.00")]


async def test_receipts_and_insured_receivables_are_listed_with_their_advance_only_to_their_merchant(app, client, tenant_a, shop):
    from financing.collateral import service as C

    inst, engine = tenant_a.institution_id, app.state.ctx.engine
    today = business_today()
    await C.set_haircut(engine, inst, "copper", "0.10")
    await C.set_price(engine, inst, "copper", "USD", "t", today, 100000)  # USD 1,000.00 a tonne
    issued = await C.issue_receipt(engine, inst, shop["m2"].id, warehouse_code="91440300708461136T", issuer="Shenzhen Store", receipt_number="WR-1", goods_type="copper",
                                   quantity="100", unit="t", location="Shenzhen B3", actor="test")
    await C.issue_receipt(engine, inst, shop["m2"].id, warehouse_code="91440300708461136T", issuer="Shenzhen Store", receipt_number="WR-2", goods_type="copper",
                          quantity="5", unit="t", location="Shenzhen B3", actor="test")  # not verified: not eligible
    await C.verify_receipt(engine, inst, issued.id, "clerk-7")
    pol = await C.create_policy(engine, inst, shop["m2"].id, policy_number="P-1", insurer="Sinosure", insurer_code="SINOSURE", coverage_ratio="0.90", currency="USD",
                                buyer_limits={"BUYER-1": 3_000_000}, valid_until=None)
    rec = await C.declare_receivable(engine, inst, pol.policy.id, buyer_ref="BUYER-1", invoice_number="INV-1", amount="50000.00", due_date=today + timedelta(days=60))
    p = await client.post("/v1/financing/products", json={"code": "wr-usd", "kind": "warehouse_receipt", "currency": "USD", "config": {"fixed_rate": "0.05", "max_ltv": "0.50"}}, headers=k(tenant_a.h()))
    wr = await submit_and_approve(client, tenant_a, p)
    plain = (await client.get("/v1/sme/assets", headers=shop["sme2"])).json()["data"]
    # without a product: the receivable at 80 % x 90 % x min(50,000.00, limit 30,000.00); the receipt has no currency to be valued in
    assert [(a["kind"], a["currency"], a["value"], a["advance"]) for a in plain] == [("insured_receivable", "USD", "50000.00", "21600.00"), ("warehouse_receipt", "", None, None)]
    assert plain[0]["details"]["receivable_id"] == str(rec.id) and plain[1]["details"]["receipt_number"] == "WR-1"
    # under the warehouse-receipt product: the receipt at 100 t x 1,000.00 less 10 % = 90,000.00, advance 50 % (max_ltv); the receivable none
    priced = (await client.get("/v1/sme/assets", params={"product_id": wr["id"]}, headers=shop["sme2"])).json()["data"]
    assert [(a["kind"], a["currency"], a["value"], a["advance"]) for a in priced] == [("insured_receivable", "USD", "50000.00", None), ("warehouse_receipt", "USD", "90000.00", "45000.00")]
    # SME1 sees only its orders, never SME2's receipt or receivable
    mine = await _walk(client, "/v1/sme/assets", shop["sme1"], limit=1000)
    assert {a["kind"] for a in mine} == {"order"}
