"""Collateral over HTTP: a warehouse receipt pledged at 60 % LTV, a margin
call when the price falls 25 %, liquidation when it falls 30 %, no second
pledge; a credit-insurance advance of 108,000; another institution's
collateral is not found."""

from __future__ import annotations

import pytest

from settlement.customers import open_customer

BASE = "/v1/financing"


@pytest.fixture
async def exporter(app, tenant_a):
    ctx = app.state.ctx
    return await open_customer(ctx.ledger, ctx.settlement.keyring, tenant_a.institution_id, ref="EXP1", kind="enterprise", name="Copper Exporter Ltd", fx_class="A", directory_registered=True)


async def _receipt(client, t, customer_id, number="WR-001") -> str:
    admin = t.as_user("admin")
    r = await client.post(f"{BASE}/goods-haircuts", json={"goods_type": "copper", "haircut": "0.10"}, headers=admin)
    assert r.status_code == 201, r.text
    r = await client.post(f"{BASE}/goods-prices", json={"goods_type": "copper", "currency": "CNY", "unit": "t", "price_date": "2026-11-20", "price": "1000.00"}, headers=admin)
    assert r.status_code == 201 and r.json()["price"] == "1000.00", r.text
    body = {"customer_id": str(customer_id), "issuer": "Qianhai Bonded Warehouse", "receipt_number": number, "goods_type": "copper", "quantity": "1000", "unit": "t", "location": "Shenzhen B3"}
    r = await client.post(f"{BASE}/warehouse-receipts", json=body, headers=t.as_user("finance"))
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "issued"
    rid = r.json()["id"]
    v = await client.post(f"{BASE}/warehouse-receipts/{rid}/verify", json={"verified_by": "warehouse-clerk-7"}, headers=t.h())
    assert v.status_code == 200 and v.json()["status"] == "verified" and v.json()["verified_at"], v.text
    return rid


async def test_warehouse_receipt_pledge_margin_call_liquidation_and_no_second_pledge(client, tenant_a, exporter):
    h = tenant_a.h()
    rid = await _receipt(client, tenant_a, exporter.id)
    # value 1,000,000 CNY, haircut 10 %: 900,000; at most 60 % = 540,000
    over = await client.post(f"{BASE}/warehouse-receipts/{rid}/pledge", json={"financing_ref": "wr-loan-1", "amount": "540000.01", "currency": "CNY", "as_of": "2026-11-20"}, headers=h)
    assert over.status_code == 422 and over.json()["code"] == "initial_ltv_exceeded", over.text
    r = await client.post(f"{BASE}/warehouse-receipts/{rid}/pledge", json={"financing_ref": "wr-loan-1", "amount": "540000.00", "currency": "CNY", "as_of": "2026-11-20"}, headers=h)
    assert r.status_code == 201, r.text
    st = r.json()
    assert st["valuation"]["gross"] == "1000000.00" and st["valuation"]["value"] == "900000.00"
    assert st["ltv"] == "0.6000" and st["action"] == "ok" and st["outstanding"] == "540000.00"
    pid = st["pledge_id"]

    # a second pledge of the same receipt is refused
    second = await client.post(f"{BASE}/warehouse-receipts/{rid}/pledge", json={"financing_ref": "wr-loan-2", "amount": "10000.00", "currency": "CNY", "as_of": "2026-11-20"}, headers=h)
    assert second.status_code == 409 and second.json()["code"] == "asset_already_financed", second.text

    # price -25 %: 675,000 after haircut, LTV 80 % -> margin call, shortfall 135,000
    admin = tenant_a.as_user("admin")
    assert (await client.post(f"{BASE}/goods-prices", json={"goods_type": "copper", "currency": "CNY", "unit": "t", "price_date": "2026-11-23", "price": "750.00"}, headers=admin)).status_code == 201
    r = await client.post(f"{BASE}/pledges/{pid}/revalue", json={"as_of": "2026-11-23"}, headers=h)
    assert r.status_code == 200, r.text
    st = r.json()
    assert st["valuation"]["value"] == "675000.00" and st["ltv"] == "0.8000"
    assert st["action"] == "margin_call" and st["liquidation_allowed"] is False
    assert st["margin_call"]["shortfall"] == "135000.00" and st["margin_call"]["collateral"] == "225000.00"
    assert st["margin_call"]["cure_by"] == "2026-11-30"
    early = await client.post(f"{BASE}/pledges/{pid}/liquidate", json={"as_of": "2026-11-23"}, headers=h)
    assert early.status_code == 409 and early.json()["code"] == "liquidation_not_allowed", early.text

    # price -30 %: 630,000, LTV 85.71 % -> liquidation allowed
    assert (await client.post(f"{BASE}/goods-prices", json={"goods_type": "copper", "currency": "CNY", "unit": "t", "price_date": "2026-11-24", "price": "700.00"}, headers=admin)).status_code == 201
    r = await client.post(f"{BASE}/pledges/{pid}/revalue", json={"as_of": "2026-11-24"}, headers=h)
    st = r.json()
    assert st["valuation"]["value"] == "630000.00" and st["ltv"] == "0.8571"
    assert st["action"] == "liquidation_allowed" and st["liquidation_allowed"] is True
    done = await client.post(f"{BASE}/pledges/{pid}/liquidate", json={"as_of": "2026-11-24"}, headers=h)
    assert done.status_code == 200 and done.json()["action"] == "liquidated", done.text

    got = await client.get(f"{BASE}/pledges/{pid}", headers=tenant_a.as_user("approver"))
    assert got.status_code == 200, got.text
    p = got.json()
    assert p["status"] == "liquidated" and p["loan"] == "540000.00" and [c["status"] for c in p["margin_calls"]] == ["liquidated"]
    # liquidated goods never back another financing
    again = await client.post(f"{BASE}/warehouse-receipts/{rid}/pledge", json={"financing_ref": "wr-loan-3", "amount": "1.00", "currency": "CNY", "as_of": "2026-11-24"}, headers=h)
    assert again.status_code == 409, again.text


async def test_repayments_release_goods_in_proportion(client, tenant_a, exporter):
    h = tenant_a.h()
    rid = await _receipt(client, tenant_a, exporter.id)
    pid = (await client.post(f"{BASE}/warehouse-receipts/{rid}/pledge", json={"financing_ref": "wr-loan-1", "amount": "540000.00", "currency": "CNY", "as_of": "2026-11-20"}, headers=h)).json()["pledge_id"]
    r = await client.post(f"{BASE}/pledges/{pid}/repayments", json={"amount": "270000.00"}, headers=tenant_a.as_user("finance"))
    assert r.status_code == 200, r.text
    rel = r.json()
    assert rel["fraction"] == "0.5" and rel["quantity_released"] == "500" and rel["outstanding"] == "270000.00" and rel["pledge_closed"] is False
    r = await client.post(f"{BASE}/pledges/{pid}/repayments", json={"amount": "270000.00"}, headers=h)
    assert r.json()["pledge_closed"] is True and r.json()["outstanding"] == "0.00"


async def test_roles_and_validation(client, tenant_a, exporter):
    # haircuts and prices: admin (and system) only; floats and bad ratios are 422
    assert (await client.post(f"{BASE}/goods-haircuts", json={"goods_type": "copper", "haircut": "0.10"}, headers=tenant_a.as_user("finance"))).status_code == 403
    assert (await client.post(f"{BASE}/goods-haircuts", json={"goods_type": "copper", "haircut": 0.1}, headers=tenant_a.h())).status_code == 422
    assert (await client.post(f"{BASE}/goods-haircuts", json={"goods_type": "copper", "haircut": "1.0"}, headers=tenant_a.h())).status_code == 422
    assert (await client.get(f"{BASE}/pledges/00000000-0000-0000-0000-000000000000", headers=tenant_a.as_user("sme"))).status_code == 403


async def test_insured_advance_is_108000_and_the_claim_payment_names_the_financing(client, tenant_a, exporter):
    h = tenant_a.h()
    body = {"customer_id": str(exporter.id), "policy_number": "SINO-2026-001", "insurer": "Sinosure", "coverage_ratio": "0.90", "currency": "USD", "buyer_limits": {"BUYER-DE-1": "150000.00"}}
    r = await client.post(f"{BASE}/insurance-policies", json=body, headers=h)
    assert r.status_code == 201, r.text
    assert r.json()["buyer_limits"] == {"BUYER-DE-1": "150000.00"}
    pid = r.json()["id"]
    dup = await client.post(f"{BASE}/insurance-policies", json=body, headers=h)
    assert dup.status_code == 409, dup.text
    lim = await client.post(f"{BASE}/insurance-policies/{pid}/buyer-limits", json={"buyer_ref": "BUYER-US-2", "limit": "50000.00"}, headers=h)
    assert lim.status_code == 200 and lim.json()["limit"] == "50000.00", lim.text
    r = await client.post(f"{BASE}/insurance-policies/{pid}/receivables", json={"buyer_ref": "BUYER-DE-1", "invoice_number": "INV-9", "amount": "200000.00", "due_date": "2027-02-18"}, headers=h)
    assert r.status_code == 201 and r.json()["status"] == "declared", r.text
    rid = r.json()["id"]

    adv = await client.get(f"{BASE}/insured-receivables/{rid}/advance", headers=tenant_a.as_user("approver"))
    assert adv.status_code == 200, adv.text
    a = adv.json()
    assert a["declared"] == "200000.00" and a["covered"] == "150000.00" and a["max_advance"] == "108000.00"
    assert a["coverage_ratio"] == "0.90" and a["advance_rate"] == "0.80"

    fin = await client.post(f"{BASE}/insured-receivables/{rid}/finance", json={"financing_ref": "ins-loan-1", "assignee": "Bank lending desk"}, headers=h)
    assert fin.status_code == 200 and fin.json()["max_advance"] == "108000.00", fin.text
    again = await client.post(f"{BASE}/insured-receivables/{rid}/finance", json={"financing_ref": "ins-loan-2", "assignee": "Bank"}, headers=h)
    assert again.status_code == 409, again.text

    claim = await client.post(f"{BASE}/insured-receivables/{rid}/claims", json={"amount": "150000.00", "filed_on": "2027-03-20"}, headers=h)
    assert claim.status_code == 201 and claim.json()["status"] == "filed", claim.text
    cid = claim.json()["id"]
    paid = await client.post(f"{BASE}/insurance-claims/{cid}/payments", json={"amount": "135000.00", "paid_on": "2027-04-19"}, headers=h)
    assert paid.status_code == 200, paid.text
    assert paid.json()["paid"] == "135000.00" and paid.json()["financing_ref"] == "ins-loan-1" and paid.json()["assigned_to"] == "Bank lending desk"
    twice = await client.post(f"{BASE}/insurance-claims/{cid}/payments", json={"amount": "1.00"}, headers=h)
    assert twice.status_code == 409, twice.text

    rel = await client.post(f"{BASE}/insured-receivables/{rid}/release", headers=h)
    assert rel.status_code == 200 and rel.json()["status"] == "released", rel.text


async def test_another_institutions_collateral_answers_404(app, client, tenant_a, tenant_b, exporter):
    rid = await _receipt(client, tenant_a, exporter.id)
    pid = (await client.post(f"{BASE}/warehouse-receipts/{rid}/pledge", json={"financing_ref": "l1", "amount": "1000.00", "currency": "CNY", "as_of": "2026-11-20"}, headers=tenant_a.h())).json()["pledge_id"]
    pol = await client.post(f"{BASE}/insurance-policies", json={"customer_id": str(exporter.id), "policy_number": "P1", "insurer": "Sinosure", "coverage_ratio": "0.9", "currency": "USD", "buyer_limits": {"B1": "1000.00"}}, headers=tenant_a.h())
    pol_id = pol.json()["id"]
    rec_id = (await client.post(f"{BASE}/insurance-policies/{pol_id}/receivables", json={"buyer_ref": "B1", "invoice_number": "I1", "amount": "100.00", "due_date": "2027-01-01"}, headers=tenant_a.h())).json()["id"]
    cid = (await client.post(f"{BASE}/insured-receivables/{rec_id}/claims", json={"amount": "100.00"}, headers=tenant_a.h())).json()["id"]

    hb = tenant_b.h()
    # B cannot use A's customer, receipt, pledge, policy, receivable or claim
    assert (await client.post(f"{BASE}/warehouse-receipts", json={"customer_id": str(exporter.id), "issuer": "W", "receipt_number": "R9", "goods_type": "copper", "quantity": "1", "unit": "t", "location": "X"}, headers=hb)).status_code == 404
    assert (await client.post(f"{BASE}/insurance-policies", json={"customer_id": str(exporter.id), "policy_number": "P9", "insurer": "S", "coverage_ratio": "0.9", "currency": "USD"}, headers=hb)).status_code == 404
    assert (await client.post(f"{BASE}/warehouse-receipts/{rid}/verify", json={"verified_by": "x"}, headers=hb)).status_code == 404
    assert (await client.post(f"{BASE}/warehouse-receipts/{rid}/pledge", json={"financing_ref": "x", "amount": "1.00", "currency": "CNY"}, headers=hb)).status_code == 404
    assert (await client.get(f"{BASE}/pledges/{pid}", headers=hb)).status_code == 404
    assert (await client.post(f"{BASE}/pledges/{pid}/revalue", json={}, headers=hb)).status_code == 404
    assert (await client.post(f"{BASE}/pledges/{pid}/repayments", json={"amount": "1.00"}, headers=hb)).status_code == 404
    assert (await client.post(f"{BASE}/pledges/{pid}/liquidate", json={}, headers=hb)).status_code == 404
    assert (await client.post(f"{BASE}/insurance-policies/{pol_id}/buyer-limits", json={"buyer_ref": "B1", "limit": "1.00"}, headers=hb)).status_code == 404
    assert (await client.post(f"{BASE}/insurance-policies/{pol_id}/receivables", json={"buyer_ref": "B1", "invoice_number": "I2", "amount": "1.00", "due_date": "2027-01-01"}, headers=hb)).status_code == 404
    assert (await client.get(f"{BASE}/insured-receivables/{rec_id}/advance", headers=hb)).status_code == 404
    assert (await client.post(f"{BASE}/insured-receivables/{rec_id}/finance", json={"financing_ref": "x", "assignee": "B"}, headers=hb)).status_code == 404
    assert (await client.post(f"{BASE}/insured-receivables/{rec_id}/release", headers=hb)).status_code == 404
    assert (await client.post(f"{BASE}/insured-receivables/{rec_id}/claims", json={"amount": "1.00"}, headers=hb)).status_code == 404
    assert (await client.post(f"{BASE}/insurance-claims/{cid}/payments", json={"amount": "1.00"}, headers=hb)).status_code == 404
    # and A's pledge is untouched
    assert (await client.get(f"{BASE}/pledges/{pid}", headers=tenant_a.h())).json()["outstanding"] == "1000.00"
