"""A loan's repayment schedule over HTTP (issue #17 item 1): stored at
disbursement, every instalment in decimal money with what was paid and its
status, the next instalment due on the loan, days past due from a missed
instalment; SME users see only their own loans' schedules."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from api.auth import create_user
from financing import loans as L
from financing.products import create_product
from settlement import accounts as SA
from settlement.customers import open_customer

from .conftest import PASSWORD


def k(headers: dict[str, str]) -> dict[str, str]:
    return {**headers, "Idempotency-Key": str(uuid.uuid4())}


async def _funded_cny_merchant(ctx, inst, ref: str):
    from ledger.model import NewTransaction, Posting

    m = await open_customer(ctx.ledger, ctx.settlement.keyring, inst, ref=ref, kind="enterprise", name=f"{ref} Ltd", fx_class="A", directory_registered=True)
    led = await SA.settlement_ledger_id(ctx.ledger, inst)
    cur = await SA.customer_account(ctx.ledger, inst, m.id, "current", "CNY")
    nostro = await SA.institution_account(ctx.ledger, inst, "nostro", "CNY")
    await ctx.ledger.post(inst, NewTransaction(led, [Posting(nostro, 5_000_000, "debit", "CNY"), Posting(cur, 5_000_000, "credit", "CNY")]))
    return m


async def test_schedule_of_a_cny_120000_equal_instalment_loan_paid_missed_and_visible_to_its_sme_only(client, app, tenant_a, tenant_b, monkeypatch):
    now = {"t": datetime(2027, 1, 15, 4, 0, tzinfo=UTC)}  # noon in China
    monkeypatch.setattr("ledger.clock.utc_now", lambda: now["t"])
    ctx = app.state.ctx
    inst = tenant_a.institution_id
    m = await _funded_cny_merchant(ctx, inst, "SMEC")
    await _funded_cny_merchant(ctx, inst, "SMED")
    async with ctx.engine.begin() as conn:
        await create_user(conn, inst, "smec", PASSWORD, "sme", merchant_ref="SMEC")
        await create_user(conn, inst, "smed", PASSWORD, "sme", merchant_ref="SMED")
    product = await create_product(ctx.engine, inst, code="sme-cny", kind="order", currency="CNY", fixed_rate=Decimal("0.0435"), day_count="ACT/360",
                                   schedule_method="equal_instalment", min_tenor_days=30, max_tenor_days=360)
    loan = await L.apply(ctx.ledger, inst, customer_id=m.id, product_id=product.id, requested_minor=12_000_000, tenor_days=360, limit_minor=12_000_000)
    lid = loan["id"]
    await L.decide(ctx.ledger, inst, lid, approve=True)
    await L.make_offer(ctx.ledger, inst, lid)
    await L.accept(ctx.ledger, inst, lid)
    h = tenant_a.h()
    assert (await client.get(f"/v1/financing/loans/{lid}/schedule", headers=h)).status_code == 404  # not disbursed: no schedule yet
    paid = await client.post(f"/v1/financing/loans/{lid}/disburse", json={"value_date": "2027-01-15"}, headers=k(tenant_a.as_user("finance")))
    assert paid.status_code == 200, paid.text
    out = paid.json()
    assert out["due_date"] == "2028-01-15"
    r = await client.get(f"/v1/financing/loans/{lid}/schedule", headers=h)
    assert r.status_code == 200, r.text
    s = r.json()
    assert (s["currency"], s["method"], s["prepayment_rule"], s["day_count"], s["principal"]) == ("CNY", "equal_instalment", "reduce_instalment", "ACT/360", "120000.00")
    insts = s["instalments"]
    assert len(insts) == 12 and insts[0]["due_date"] == "2027-02-15" and insts[-1]["due_date"] == "2028-01-15"
    assert sum(Decimal(i["principal"]) for i in insts) == Decimal("120000.00")
    assert insts[0]["interest"] == "449.50" and insts[0]["paid"] == "0.00" and {i["status"] for i in insts} == {"due"}
    assert all(Decimal(i["total"]) == Decimal(i["principal"]) + Decimal(i["interest"]) + Decimal(i["fee"]) for i in insts)
    assert out["next_due"] == s["next_due"] == {"number": 1, "due_date": "2027-02-15", "amount": insts[0]["total"]}
    assert "_minor" not in r.text

    # instalment 1 paid on its due date
    now["t"] = datetime(2027, 2, 15, 4, 0, tzinfo=UTC)
    rep = await client.post(f"/v1/financing/loans/{lid}/repayments", json={"amount": insts[0]["total"], "value_date": "2027-02-15"}, headers=k(tenant_a.as_user("finance")))
    assert rep.status_code == 200, rep.text
    assert rep.json()["next_due"] == {"number": 2, "due_date": "2027-03-15", "amount": insts[1]["total"]}
    # instalment 2 missed: 5 days past due on 20 March
    now["t"] = datetime(2027, 3, 20, 4, 0, tzinfo=UTC)
    acc = await client.post("/v1/financing/accruals", json={"as_of": "2027-03-20"}, headers=h)
    assert acc.status_code == 200, acc.text
    got = (await client.get(f"/v1/financing/loans/{lid}", headers=h)).json()
    assert (got["dpd"], got["bucket"]) == (5, "1-30")
    s = (await client.get(f"/v1/financing/loans/{lid}/schedule", headers=h)).json()
    assert [(i["status"], i["paid"]) for i in s["instalments"][:3]] == [("paid", insts[0]["total"]), ("overdue", "0.00"), ("due", "0.00")] and s["dpd"] == 5

    # the SME user sees its own loan's schedule; another merchant's user, another institution, an unknown id: 404
    tokens = {}
    for u in ("smec", "smed"):
        t = await client.post("/v1/auth/token", json={"institution": tenant_a.code, "username": u, "password": PASSWORD})
        tokens[u] = {"Authorization": f"Bearer {t.json()['access_token']}"}
    own = await client.get(f"/v1/financing/loans/{lid}/schedule", headers=tokens["smec"])
    assert own.status_code == 200 and own.json()["instalments"] == s["instalments"]
    for headers, url in ((tokens["smed"], f"/v1/financing/loans/{lid}/schedule"), (tenant_b.h(), f"/v1/financing/loans/{lid}/schedule"),
                         (h, f"/v1/financing/loans/{uuid.uuid4()}/schedule")):
        r = await client.get(url, headers=headers)
        assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json"), r.text
