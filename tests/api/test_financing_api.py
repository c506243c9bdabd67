"""Financing over HTTP: an SME applies with platform orders as collateral,
gets a decision with reasons and an offer, accepts; the institution pays
out, the orders are encumbered for every institution; SME users see only
their own merchant's loans."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest

from api.auth import create_user
from settlement.customers import open_customer
from settlement.tradedata import OrderIn, PaymentIn, WaybillIn, ingest_orders, ingest_payments, ingest_waybills

from .conftest import PASSWORD, submit_and_approve


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
    product = await submit_and_approve(client, tenant_a, p)  # four eyes: configured once an approver approves
    return {"merchant": m, "other": other, "tokens": tokens, "orders": orders, "product": product["id"]}


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
    assert o["schedule"] == [{"number": 1, "start": o["start"], "due_date": o["due_date"], "days": 90, "principal": "70000.00", "interest": "1277.50", "fee": "0.00", "total": "71277.50"}]
    # annualized cost: 1,277.50 / 70,000.00 over 90 days x 365 / 90 = 7.40 %
    assert (o["schedule_method"], o["annual_percentage_rate"]) == ("bullet", "7.40")
    assert o["disclosure"]["en"].startswith("Principal USD 70,000.00, bullet (all at maturity), 1 instalment, last due ")
    assert "年化综合成本（内部收益率法）7.40%" in o["disclosure"]["zh"] and "应还总额 USD 71,277.50" in o["disclosure"]["zh"]
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
    ex = loan["decision"]["explanations"]
    assert [e["code"] for e in ex] == ["SUMMARY", *loan["decision"]["reasons"]]
    assert ex[0]["text"] == {"zh": "因负面清单拒绝。", "en": "Declined: negative list."}
    assert ex[1]["to_change"]["en"] == "This cannot be changed by the application; contact the bank."


async def test_a_merchant_without_sales_reads_why_and_what_would_change_it(client, tenant_a, lender):
    """SME2 has no trade data: declined, and told the figures (USD 0.00 against USD 1,000.00 a month)."""
    r = await client.post("/v1/financing/applications", json={"product_id": lender["product"], "amount": "1000.00", "tenor_days": 30}, headers=k(lender["tokens"]["sme2"]))
    assert r.status_code == 201, r.text
    d = r.json()["decision"]
    assert r.json()["status"] == "declined" and "LOW_SALES" in d["reasons"]
    low = next(e for e in d["explanations"] if e["code"] == "LOW_SALES")
    assert low["figures"] == {"avg_monthly_net_sales": "USD 0.00", "net_sales_12m": "USD 0.00", "minimum_avg_monthly_sales": "USD 1,000.00"}
    assert low["to_change"]["zh"] == "12个月净销售额达到 USD 12,000.00（月均 USD 1,000.00）即不再构成不利因素。"
    assert d["explanations"][0]["code"] == "SUMMARY" and "below the referral cut-off of 450" in d["explanations"][0]["text"]["en"]
    # a staff decline shows the officer's words
    uw = await client.post("/v1/financing/underwriting", json={"customer_id": str(lender["other"].id)}, headers=k(tenant_a.as_user("finance")))
    assert uw.status_code == 201 and uw.json()["explanations"][0]["code"] == "SUMMARY"


async def test_an_instalment_product_offers_twelve_monthly_instalments_with_their_cost(client, tenant_a, lender):
    cfg = {"fixed_rate": "0.0435", "max_tenor_days": 360, "min_tenor_days": 30, "schedule_method": "equal_instalment", "arrangement_fee_bp": 100}
    p = await client.post("/v1/financing/products", json={"code": "order-usd-12m", "kind": "order", "currency": "USD", "config": cfg}, headers=k(tenant_a.h()))
    product = await submit_and_approve(client, tenant_a, p)
    assert product["config"]["schedule_method"] == "equal_instalment" and product["config"]["prepayment_rule"] == "reduce_instalment"
    r = await client.post("/v1/financing/applications", json={"product_id": product["id"], "amount": "12000.00", "tenor_days": 360}, headers=k(lender["tokens"]["sme1"]))
    lid = r.json()["id"]
    assert (await client.post(f"/v1/financing/loans/{lid}/decision", json={"approve": True}, headers=tenant_a.as_user("approver"))).status_code == 200
    o = (await client.post(f"/v1/financing/loans/{lid}/offer", headers=tenant_a.as_user("finance"))).json()["offer"]
    sched = o["schedule"]
    assert [i["number"] for i in sched] == list(range(1, 13))
    assert sum(Decimal(i["principal"]) for i in sched) == Decimal("12000.00")
    assert sum(Decimal(i["interest"]) for i in sched) == Decimal(o["interest"])
    assert sched[0]["fee"] == "120.00" and all(i["fee"] == "0.00" for i in sched[1:])
    assert len({Decimal(i["principal"]) + Decimal(i["interest"]) for i in sched[:-1]}) == 1  # equal instalments
    assert Decimal(o["total_repayable"]) == Decimal("12000.00") + Decimal(o["interest"]) + Decimal("120.00")
    assert Decimal("6.0") < Decimal(o["annual_percentage_rate"]) < Decimal("6.5")  # 4.35 % nominal + a 1 % fee on a one-year amortizing loan
    assert "等额本息，共 12 期" in o["disclosure"]["zh"]
    bad = await client.post("/v1/financing/products", json={"code": "x", "kind": "order", "currency": "USD", "config": {"fixed_rate": "0.05", "schedule_method": "weekly"}}, headers=k(tenant_a.h()))
    assert bad.status_code == 422


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
    assert r.json()["code"] == "value_date_out_of_window" and r.json()["field"] == "as_of" and r.json()["latest"] == business_today().isoformat()
    assert await count() == before
    r = await client.post("/v1/financing/accruals", json={"as_of": business_today().isoformat()}, headers=tenant_a.h())
    assert r.status_code == 200, r.text


# -- issue #13: one contract ------------------------------------------------------------------------

APPS = "/v1/financing/applications"


def _no_minor(obj) -> bool:
    """True when no key anywhere in ``obj`` ends in ``_minor``."""
    if isinstance(obj, dict):
        return all(not str(key).endswith("_minor") and _no_minor(v) for key, v in obj.items())
    if isinstance(obj, list):
        return all(_no_minor(v) for v in obj)
    return True


async def _rows(app, inst) -> dict[str, int]:
    """Loans, underwriting decisions, LPR rates, products and ledger transactions of the institution."""
    from sqlalchemy import func, select

    from financing.tables_loans import financing_loans, financing_lpr_rates, financing_products
    from financing.tables_underwriting import financing_underwriting_decisions
    from ledger.schema import transactions

    out = {}
    async with app.state.ctx.engine.connect() as conn:
        for name, t in (("loans", financing_loans), ("decisions", financing_underwriting_decisions), ("lpr", financing_lpr_rates), ("products", financing_products), ("tx", transactions)):
            out[name] = int((await conn.execute(select(func.count()).select_from(t).where(t.c.institution_id == inst))).scalar_one())
    return out


async def _walk(client, url: str, headers, limit: int | None = None, **query) -> list[dict]:
    """Every row of a list, page by page."""
    seen: list[dict] = []
    cursor = None
    for _ in range(100):
        params: dict = dict(query) if limit is None else {**query, "limit": limit}
        if cursor:
            params["cursor"] = cursor
        r = await client.get(url, params=params, headers=headers)
        assert r.status_code == 200, r.text
        body = r.json()
        assert set(body) == {"data", "has_more", "next_cursor"}
        assert limit is None or len(body["data"]) <= limit
        seen += body["data"]
        if not body["has_more"]:
            assert body["next_cursor"] is None
            return seen
        cursor = body["next_cursor"]
    raise AssertionError("the walk does not end")


async def test_a_retried_application_is_made_once(client, app, tenant_a, lender):
    """The issue: a retry made a duplicate application.  Now the key is
    required, a retry replays the first answer byte for byte, another body
    under the same key is 422 and nothing is made twice."""
    sme = lender["tokens"]["sme1"]
    body = {"product_id": lender["product"], "amount": "1000.00", "tenor_days": 30}
    before = await _rows(app, tenant_a.institution_id)
    missing = await client.post(APPS, json=body, headers=sme)
    assert missing.status_code == 400 and missing.json()["code"] == "idempotency_key_missing", missing.text
    assert await _rows(app, tenant_a.institution_id) == before
    first = await client.post(APPS, json=body, headers=k(sme, "apply-1"))
    assert first.status_code == 201, first.text
    again = await client.post(APPS, json=body, headers=k(sme, "apply-1"))
    assert again.status_code == 201 and again.content == first.content and again.headers["idempotent-replayed"] == "true"
    other = await client.post(APPS, json={**body, "amount": "2000.00"}, headers=k(sme, "apply-1"))
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused", other.text
    loans = (await client.get("/v1/financing/loans", headers=sme)).json()["data"]
    assert [x["id"] for x in loans] == [first.json()["id"]]
    after = await _rows(app, tenant_a.institution_id)
    assert after["loans"] == before["loans"] + 1 and after["decisions"] == before["decisions"] + 1


async def test_creating_posts_replay_and_refuse_a_reused_key(client, app, tenant_a, lender):
    h = tenant_a.h()
    cases = [
        ("/v1/financing/products", {"code": "order-eur", "kind": "order", "currency": "EUR", "config": {"fixed_rate": "0.05"}}, {"code": "order-gbp", "kind": "order", "currency": "GBP", "config": {"fixed_rate": "0.05"}}),
        ("/v1/financing/lpr", {"tenor": "1y", "effective_date": "2026-01-20", "rate": "0.0310"}, {"tenor": "5y", "effective_date": "2026-01-20", "rate": "0.0360"}),
        ("/v1/financing/underwriting", {"customer_id": str(lender["merchant"].id)}, {"customer_id": str(lender["other"].id)}),
    ]
    for url, body, other in cases:
        assert (await client.post(url, json=body, headers=h)).status_code == 400
        key = f"key-{url}"
        created = 201 if url.endswith("underwriting") else 202  # products and LPR: a four-eyes request
        first = await client.post(url, json=body, headers=k(h, key))
        assert first.status_code == created, (url, first.text)
        before = await _rows(app, tenant_a.institution_id)
        again = await client.post(url, json=body, headers=k(h, key))
        assert again.status_code == created and again.content == first.content, url
        assert (await client.post(url, json=other, headers=k(h, key))).status_code == 422
        assert await _rows(app, tenant_a.institution_id) == before, url


async def test_loose_input_is_refused_naming_the_field_and_nothing_is_written(client, app, tenant_a, lender):
    h = tenant_a.h()
    inst = tenant_a.institution_id
    jpy = await client.post("/v1/financing/products", json={"code": "order-jpy", "kind": "order", "currency": "JPY", "config": {"fixed_rate": "0.02"}}, headers=k(h))
    jpy_product = await submit_and_approve(client, tenant_a, jpy)
    good = {"customer_id": str(lender["merchant"].id), "product_id": lender["product"], "amount": "100.00", "tenor_days": 30}
    before = await _rows(app, inst)
    cases = [
        ({"tenor_days": "30"}, "tenor_days", "validation_error"),
        ({"tenor_days": 30.5}, "tenor_days", "validation_error"),  # 30.0 is the integer 30 (JSON Schema), 30.5 is not
        ({"tenor_days": True}, "tenor_days", "validation_error"),
        ({"amount": 100}, "amount", "validation_error"),
        ({"amount": "-1.00"}, "amount", "validation_error"),
        ({"amount": "1e3"}, "amount", "validation_error"),
        ({"amount": "10.000"}, "amount", "invalid_amount"),  # USD has two decimals, trailing zeros included
        ({"amount": "0.00"}, "amount", "validation_error"),  # documented: not zero
        ({"amount": "99999999999999999.00"}, "amount", "amount_out_of_range"),
        ({"product_id": jpy_product["id"], "amount": "100.0"}, "amount", "invalid_amount"),  # JPY has no decimals
        ({"product_id": jpy_product["id"], "amount": "1000000000000000"}, "amount", "amount_out_of_range"),
        ({"principal_minor": 10000}, "principal_minor", "validation_error"),
    ]
    for change, field, code in cases:
        r = await client.post(APPS, json={**good, **change}, headers=k(h))
        assert r.status_code == 422 and r.json()["code"] == code and field in r.text, (change, r.text)
        assert r.headers["content-type"].startswith("application/problem+json")
    for bad in (0, "0", 1, "2026-1-5", "20260105", "2026-01-05T00:00:00Z"):
        for url, body in (("/v1/financing/underwriting", {"customer_id": str(lender["merchant"].id), "as_of": bad}), ("/v1/financing/lpr", {"tenor": "1y", "effective_date": bad, "rate": "0.03"}),
                          ("/v1/financing/accruals", {"as_of": bad})):
            r = await client.post(url, json=body, headers=k(h))
            assert r.status_code == 422 and r.json()["code"] == "validation_error", (url, bad, r.text)
    # a product's integers are integers, its rates decimal strings
    for config in ({"fixed_rate": "0.05", "max_tenor_days": "90"}, {"fixed_rate": "0.05", "max_tenor_days": True}, {"fixed_rate": 0.05}, {"fixed_rate": "0.05", "unknown": 1}):
        r = await client.post("/v1/financing/products", json={"code": "x-usd", "kind": "order", "currency": "USD", "config": config}, headers=k(h))
        assert r.status_code == 422, (config, r.text)
    assert await _rows(app, inst) == before


async def test_dates_and_booleans_of_the_loan_path_are_strict_and_foreign_ids_are_404(client, app, tenant_a, tenant_b, lender):
    h = tenant_a.h()
    inst = tenant_a.institution_id
    r = await client.post(APPS, json={"customer_id": str(lender["merchant"].id), "product_id": lender["product"], "amount": "100.00", "tenor_days": 30}, headers=k(h))
    assert r.status_code == 201, r.text
    lid = r.json()["id"]
    before = await _rows(app, inst)
    approver = tenant_a.as_user("approver")
    for approve in (1, 0, "true", "yes", None):
        d = await client.post(f"/v1/financing/loans/{lid}/decision", json={"approve": approve}, headers=approver)
        assert d.status_code == 422 and "approve" in d.text, (approve, d.text)
    over = await client.post(f"/v1/financing/loans/{lid}/decision", json={"approve": True, "amount": "50.005"}, headers=approver)
    assert over.status_code == 422 and over.json()["code"] == "invalid_amount" and "amount" in over.text
    fin = tenant_a.as_user("finance")
    for bad in (0, "0", 1, "2026-1-5", "2026-01-05T00:00:00Z"):
        r = await client.post(f"/v1/financing/loans/{lid}/disburse", json={"value_date": bad}, headers=k(fin))
        assert r.status_code == 422 and "value_date" in r.text, (bad, r.text)
        r = await client.post(f"/v1/financing/loans/{lid}/repayments", json={"amount": "1.00", "value_date": bad}, headers=k(fin))
        assert r.status_code == 422 and "value_date" in r.text, (bad, r.text)
    assert (await client.get(f"/v1/financing/loans/{lid}", headers=h)).json()["status"] == "applied"
    # another institution's ids, and ids that do not exist, are 404
    b_prod = await client.post("/v1/financing/products", json={"code": "b-usd", "kind": "order", "currency": "USD", "config": {"fixed_rate": "0.05"}}, headers=k(tenant_b.h()))
    b_product = await submit_and_approve(client, tenant_b, b_prod)
    after_b = await _rows(app, inst)
    foreign = [
        ("POST", APPS, {"customer_id": str(lender["merchant"].id), "product_id": b_product["id"], "amount": "1.00", "tenor_days": 30}, h),
        ("POST", APPS, {"customer_id": str(lender["merchant"].id), "product_id": lender["product"], "amount": "1.00", "tenor_days": 30}, tenant_b.h()),
        ("POST", "/v1/financing/underwriting", {"customer_id": str(lender["merchant"].id)}, tenant_b.h()),
        ("POST", f"/v1/financing/loans/{lid}/decision", {"approve": True}, tenant_b.h()),
        ("POST", f"/v1/financing/loans/{lid}/disburse", None, tenant_b.h()),
        ("POST", f"/v1/financing/loans/{lid}/repayments", {"amount": "1.00"}, tenant_b.h()),
        ("POST", f"/v1/financing/loans/{lid}/write-off", {"reason": "x"}, tenant_b.h()),
        ("GET", f"/v1/financing/loans/{lid}", None, tenant_b.h()),
        ("GET", f"/v1/financing/loans/{lid}/dpd-history", None, tenant_b.h()),
        ("POST", f"/v1/financing/loans/{uuid.uuid4()}/decision", {"approve": True}, h),
        ("GET", f"/v1/financing/underwriting/{uuid.uuid4()}", None, h),
    ]
    for method, url, body, headers in foreign:
        r = await client.request(method, url, json=body, headers=k(headers))
        assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json"), (url, r.text)
    assert await _rows(app, inst) == after_b == {**before, "products": before["products"]}


async def test_money_is_decimal_strings_in_responses_problems_and_events(client, app, tenant_a, lender):
    from sqlalchemy import select

    from ledger.events import outbox_events

    h = tenant_a.h()
    r = await client.post(APPS, json={"customer_id": str(lender["merchant"].id), "product_id": lender["product"], "amount": "1000.00", "tenor_days": 30}, headers=k(h))
    lid = r.json()["id"]
    assert (r.json()["requested"], r.json()["currency"]) == ("1000.00", "USD") and _no_minor(r.json())
    too_much = await client.post(f"/v1/financing/loans/{lid}/decision", json={"approve": True, "amount": "999999.00"}, headers=tenant_a.as_user("approver"))
    assert too_much.status_code == 422 and too_much.json()["currency"] == "USD" and too_much.json()["requested"] == "1000.00" and _no_minor(too_much.json()), too_much.text
    await client.post(f"/v1/financing/loans/{lid}/decision", json={"approve": True}, headers=tenant_a.as_user("approver"))
    await client.post(f"/v1/financing/loans/{lid}/offer", headers=tenant_a.as_user("finance"))
    await client.post(f"/v1/financing/loans/{lid}/accept", headers=h)
    paid = await client.post(f"/v1/financing/loans/{lid}/disburse", headers=k(tenant_a.as_user("finance")))
    assert paid.status_code == 200 and paid.json()["outstanding"] == "1000.00" and _no_minor(paid.json()), paid.text
    over = await client.post(f"/v1/financing/loans/{lid}/repayments", json={"amount": "5000.00"}, headers=k(tenant_a.as_user("finance")))
    assert over.status_code == 422 and (over.json()["owed"], over.json()["amount"], over.json()["currency"]) == ("1000.00", "5000.00", "USD"), over.text
    d = await client.post("/v1/financing/underwriting", json={"customer_id": str(lender["merchant"].id)}, headers=k(h))
    assert d.status_code == 201 and _no_minor(d.json()) and isinstance(d.json()["inputs"]["features"]["derived"]["net_sales"], str), d.text
    off = await client.post(f"/v1/financing/loans/{lid}/write-off", json={"reason": "test"}, headers=tenant_a.as_user("approver", **{"Idempotency-Key": "wo-1"}))
    # four eyes: a second person approves the write-off
    written = await submit_and_approve(client, tenant_a, off)
    assert written["written_off"] == "1000.00", written
    async with app.state.ctx.engine.connect() as conn:
        rows = (await conn.execute(select(outbox_events.c.type, outbox_events.c.payload).where(outbox_events.c.institution_id == tenant_a.institution_id))).all()
    fin = {r.type: r.payload for r in rows if r.type.startswith(("loan.", "underwriting."))}
    assert {"loan.applied", "loan.disbursed", "loan.written_off", "underwriting.decided"} <= set(fin)
    assert all(_no_minor(p) for p in fin.values()), fin
    assert (fin["loan.applied"]["requested"], fin["loan.applied"]["currency"]) == ("1000.00", "USD")
    assert (fin["loan.disbursed"]["amount"], fin["loan.disbursed"]["fee"]) == ("1000.00", "0.00")
    assert fin["loan.written_off"]["amount"] == "1000.00" and fin["loan.written_off"]["components"]["principal"] == "1000.00"
    # audit entries and the ledger transactions' metadata too
    from ledger.events import audit_log
    from ledger.schema import transactions

    async with app.state.ctx.engine.connect() as conn:
        audits = (await conn.execute(select(audit_log.c.action, audit_log.c.before, audit_log.c.after).where(audit_log.c.institution_id == tenant_a.institution_id))).all()
        metas = (await conn.execute(select(transactions.c.metadata).where(transactions.c.institution_id == tenant_a.institution_id))).all()
    loan_audits = [a for a in audits if a.action.startswith(("loan.", "underwriting."))]
    assert {"loan.apply", "loan.decide", "loan.offer", "loan.disburse", "loan.write_off", "underwriting.decide"} <= {a.action for a in loan_audits}
    assert all(_no_minor(a.before) and _no_minor(a.after) for a in loan_audits), loan_audits
    offered = next(a.after for a in loan_audits if a.action == "loan.offer")
    assert offered["offer"]["total_repayable"] == "1006.08" and offered["offer"]["currency"] == "USD", offered
    assert metas and all(_no_minor(m.metadata) for m in metas)


async def test_the_loan_product_and_dpd_lists_walk_every_row_once(client, app, tenant_a, lender):
    from datetime import UTC, datetime

    from financing import loans as L
    from financing.products import create_product
    from financing.tables_loans import financing_loan_dpd_history
    from ledger.ids import uuid7

    ctx = app.state.ctx
    inst = tenant_a.institution_id
    h = tenant_a.h()
    for n in range(4):
        await create_product(ctx.engine, inst, code=f"p-{n}", kind="order", currency="USD", fixed_rate=Decimal("0.05"))
    loans = [await L.apply(ctx.ledger, inst, customer_id=lender["merchant"].id, product_id=uuid.UUID(lender["product"]), requested_minor=100 * (n + 1), tenor_days=30, limit_minor=10_000) for n in range(5)]
    lid = str(loans[0]["id"])
    day = date(2026, 1, 1)
    async with ctx.engine.begin() as conn:  # five DPD rows, two on one day
        for n, as_of in enumerate([day, day + timedelta(days=1), day + timedelta(days=1), day + timedelta(days=2), day + timedelta(days=5)]):
            await conn.execute(financing_loan_dpd_history.insert().values(id=uuid7(), institution_id=inst, loan_id=loans[0]["id"], as_of=as_of, dpd=n, bucket="1-30", created_at=datetime.now(UTC)))
    products = sorted(["order-usd", "p-0", "p-1", "p-2", "p-3"])
    for limit in (1, 2, None):
        assert [p["code"] for p in await _walk(client, "/v1/financing/products", h, limit)] == products
        assert [x["id"] for x in await _walk(client, "/v1/financing/loans", h, limit)] == [str(x["id"]) for x in loans]
        assert [x["dpd"] for x in await _walk(client, f"/v1/financing/loans/{lid}/dpd-history", h, limit)] == [0, 1, 2, 3, 4]
    # a loan made during a walk is seen once, at the end
    first = (await client.get("/v1/financing/loans", params={"limit": 2}, headers=h)).json()
    late = await L.apply(ctx.ledger, inst, customer_id=lender["merchant"].id, product_id=uuid.UUID(lender["product"]), requested_minor=100, tenor_days=30, limit_minor=100)
    rest, cursor = [], first["next_cursor"]
    while cursor:
        page = (await client.get("/v1/financing/loans", params={"limit": 2, "cursor": cursor}, headers=h)).json()
        rest += page["data"]
        cursor = page["next_cursor"]
    assert [x["id"] for x in first["data"] + rest] == [str(x["id"]) for x in loans] + [str(late["id"])]
    # filters page too
    assert [x["id"] for x in await _walk(client, "/v1/financing/loans", h, 1, customer_id=str(lender["other"].id))] == []
    assert [x["id"] for x in await _walk(client, "/v1/financing/loans", h, 2, customer_id=str(lender["merchant"].id))] == [str(x["id"]) for x in loans] + [str(late["id"])]
    # a cursor of another list, or not a cursor, is 422 invalid_cursor
    product_cursor = (await client.get("/v1/financing/products", params={"limit": 1}, headers=h)).json()["next_cursor"]
    for url in ("/v1/financing/loans", "/v1/financing/products", f"/v1/financing/loans/{lid}/dpd-history"):
        for cursor in ("not-a-cursor", product_cursor if "products" not in url else first["next_cursor"]):
            r = await client.get(url, params={"cursor": cursor}, headers=h)
            assert r.status_code == 422 and r.json()["code"] == "invalid_cursor", (url, r.text)
    for bad in (0, 1001, "x"):
        assert (await client.get("/v1/financing/loans", params={"limit": bad}, headers=h)).status_code == 422
    assert (await client.get("/v1/financing/loans", params={"status": "nonsense"}, headers=h)).status_code == 422
    assert len(await _walk(client, "/v1/financing/loans", h, 2, status="applied")) == 6
