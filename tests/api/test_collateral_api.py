"""Collateral over HTTP: a warehouse receipt pledged for a loan at 60 %
LTV, a margin call when the price falls 25 %, liquidation when it falls
30 %, no second pledge; goods released as the loan is repaid; a
credit-insurance advance of 108,000; another institution's collateral is
not found.  Business "today" is pinned to 2026-11-25 (China time)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from financing import loans as L
from financing.products import create_product
from settlement.customers import open_customer

from .conftest import submit_and_approve

BASE = "/v1/financing"
#: a valid unified social credit code (check character verified)
WAREHOUSE = "91440300708461136T"


def k(headers: dict[str, str], key: str | None = None) -> dict[str, str]:
    """``headers`` with an Idempotency-Key (fresh unless given): the creating POSTs require one."""
    return {**headers, "Idempotency-Key": key or str(uuid.uuid4())}


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    """Business today: Wednesday 2026-11-25, China time."""
    monkeypatch.setattr("ledger.clock.utc_now", lambda: datetime(2026, 11, 25, 4, 0, tzinfo=UTC))


@pytest.fixture
async def exporter(app, tenant_a):
    ctx = app.state.ctx
    return await open_customer(ctx.ledger, ctx.settlement.keyring, tenant_a.institution_id, ref="EXP1", kind="enterprise", name="Copper Exporter Ltd", fx_class="A", directory_registered=True)


async def loan_of(app, t, customer_id, amount_minor, *, kind="warehouse_receipt", currency="CNY", accept=True, tenor_days=90):
    """An accepted loan of ``amount_minor`` (a product of ``kind``) of the customer at ``t``."""
    ctx = app.state.ctx
    inst = t.institution_id
    product = await create_product(ctx.engine, inst, code=f"{kind}-{currency}-{amount_minor}-{tenor_days}", kind=kind, currency=currency, fixed_rate=Decimal("0.06"), max_tenor_days=180)
    loan = await L.apply(ctx.ledger, inst, customer_id=customer_id, product_id=product.id, requested_minor=amount_minor, tenor_days=tenor_days, limit_minor=amount_minor)
    if accept:
        await L.decide(ctx.ledger, inst, loan["id"], approve=True, amount_minor=amount_minor)
        await L.make_offer(ctx.ledger, inst, loan["id"])
        await L.accept(ctx.ledger, inst, loan["id"])
    return str(loan["id"])


async def _receipt(client, t, customer_id, number="WR-001", *, warehouse=WAREHOUSE, issuer="Qianhai Bonded Warehouse Co., Ltd") -> str:
    admin = t.as_user("admin")
    r = await client.post(f"{BASE}/goods-haircuts", json={"goods_type": "copper", "haircut": "0.10"}, headers=k(admin))
    assert (await submit_and_approve(client, t, r)) == {"goods_type": "copper", "haircut": "0.10"}  # four eyes: set once approved
    r = await client.post(f"{BASE}/goods-prices", json={"goods_type": "copper", "currency": "CNY", "unit": "t", "price_date": "2026-11-20", "price": "1000.00"}, headers=k(admin))
    assert r.status_code == 201 and r.json()["price"] == "1000.00", r.text
    body = {"customer_id": str(customer_id), "warehouse_code": warehouse, "issuer": issuer, "receipt_number": number, "goods_type": "copper", "quantity": "1000", "unit": "t", "location": "Shenzhen B3"}
    r = await client.post(f"{BASE}/warehouse-receipts", json=body, headers=k(t.as_user("finance")))
    assert r.status_code == 201, r.text
    assert r.json()["status"] == "issued" and r.json()["warehouse_code"] == warehouse
    rid = r.json()["id"]
    v = await client.post(f"{BASE}/warehouse-receipts/{rid}/verify", json={"verified_by": "warehouse-clerk-7"}, headers=t.h())
    assert v.status_code == 200 and v.json()["status"] == "verified" and v.json()["verified_at"], v.text
    return rid


async def test_warehouse_receipt_pledge_margin_call_liquidation_and_no_second_pledge(app, client, tenant_a, exporter):
    h = tenant_a.h()
    rid = await _receipt(client, tenant_a, exporter.id)
    # value 1,000,000 CNY, haircut 10 %: 900,000; at most 60 % = 540,000
    big = await loan_of(app, tenant_a, exporter.id, 54_000_001)
    over = await client.post(f"{BASE}/warehouse-receipts/{rid}/pledge", json={"loan_id": big, "as_of": "2026-11-20"}, headers=k(h))
    assert over.status_code == 422 and over.json()["code"] == "initial_ltv_exceeded", over.text
    lid = await loan_of(app, tenant_a, exporter.id, 54_000_000)
    r = await client.post(f"{BASE}/warehouse-receipts/{rid}/pledge", json={"loan_id": lid, "as_of": "2026-11-20"}, headers=k(h))
    assert r.status_code == 201, r.text
    st = r.json()
    assert st["valuation"]["gross"] == "1000000.00" and st["valuation"]["value"] == "900000.00"
    assert st["ltv"] == "0.6000" and st["action"] == "ok" and st["outstanding"] == "540000.00"
    pid = st["pledge_id"]

    # a second pledge of the same receipt is refused
    other = await loan_of(app, tenant_a, exporter.id, 1_000_000)
    second = await client.post(f"{BASE}/warehouse-receipts/{rid}/pledge", json={"loan_id": other, "as_of": "2026-11-20"}, headers=k(h))
    assert second.status_code == 409 and second.json()["code"] == "asset_already_financed", second.text

    # price -25 %: 675,000 after haircut, LTV 80 % -> margin call, shortfall 135,000
    admin = tenant_a.as_user("admin")
    assert (await client.post(f"{BASE}/goods-prices", json={"goods_type": "copper", "currency": "CNY", "unit": "t", "price_date": "2026-11-23", "price": "750.00"}, headers=k(admin))).status_code == 201
    r = await client.post(f"{BASE}/pledges/{pid}/revalue", json={"as_of": "2026-11-23"}, headers={**h, "Idempotency-Key": "liq-23"})
    assert r.status_code == 200, r.text
    st = r.json()
    assert st["valuation"]["value"] == "675000.00" and st["ltv"] == "0.8000"
    assert st["action"] == "margin_call" and st["liquidation_allowed"] is False
    assert st["margin_call"]["shortfall"] == "135000.00" and st["margin_call"]["collateral"] == "225000.00"
    assert st["margin_call"]["cure_by"] == "2026-11-30"
    early = await client.post(f"{BASE}/pledges/{pid}/liquidate", json={"as_of": "2026-11-23"}, headers={**h, "Idempotency-Key": "liq-23"})
    assert early.status_code == 409 and early.json()["code"] == "liquidation_not_allowed", early.text

    # price -30 %: 630,000, LTV 85.71 % -> liquidation allowed
    assert (await client.post(f"{BASE}/goods-prices", json={"goods_type": "copper", "currency": "CNY", "unit": "t", "price_date": "2026-11-24", "price": "700.00"}, headers=k(admin))).status_code == 201
    r = await client.post(f"{BASE}/pledges/{pid}/revalue", json={"as_of": "2026-11-24"}, headers={**h, "Idempotency-Key": "liq-24"})
    st = r.json()
    assert st["valuation"]["value"] == "630000.00" and st["ltv"] == "0.8571"
    assert st["action"] == "liquidation_allowed" and st["liquidation_allowed"] is True
    done = await client.post(f"{BASE}/pledges/{pid}/liquidate", json={"as_of": "2026-11-24"}, headers={**h, "Idempotency-Key": "liq-24"})
    # four eyes: pending until a second person (an approver) approves
    assert done.status_code == 202 and done.json()["action"] == "pledge.liquidate", done.text
    assert (await client.get(f"{BASE}/pledges/{pid}", headers=h)).json()["status"] == "active"
    assert (await submit_and_approve(client, tenant_a, done))["action"] == "liquidated"

    got = await client.get(f"{BASE}/pledges/{pid}", headers=tenant_a.as_user("approver"))
    assert got.status_code == 200, got.text
    p = got.json()
    assert p["status"] == "liquidated" and p["loan"] == "540000.00" and p["financing_ref"] == lid and [c["status"] for c in p["margin_calls"]] == ["liquidated"]
    # liquidated goods never back another financing
    again = await client.post(f"{BASE}/warehouse-receipts/{rid}/pledge", json={"loan_id": other, "as_of": "2026-11-24"}, headers=k(h))
    assert again.status_code == 409, again.text


async def test_roles_and_validation(client, tenant_a, exporter):
    # haircuts and prices: admin (and system) only; floats and bad ratios are 422
    assert (await client.post(f"{BASE}/goods-haircuts", json={"goods_type": "copper", "haircut": "0.10"}, headers=k(tenant_a.as_user("finance")))).status_code == 403
    assert (await client.post(f"{BASE}/goods-haircuts", json={"goods_type": "copper", "haircut": 0.1}, headers=k(tenant_a.h()))).status_code == 422
    assert (await client.post(f"{BASE}/goods-haircuts", json={"goods_type": "copper", "haircut": "1.0"}, headers=k(tenant_a.h()))).status_code == 422
    assert (await client.get(f"{BASE}/pledges/00000000-0000-0000-0000-000000000000", headers=tenant_a.as_user("sme"))).status_code == 403


async def test_insured_advance_is_108000_and_the_claim_payment_names_the_financing(app, client, tenant_a, exporter):
    h = tenant_a.h()
    body = {"customer_id": str(exporter.id), "policy_number": "SINO-2026-001", "insurer_code": "SINOSURE", "insurer": "Sinosure", "coverage_ratio": "0.90", "currency": "USD", "buyer_limits": {"BUYER-DE-1": "150000.00"}}
    r = await client.post(f"{BASE}/insurance-policies", json=body, headers=k(h))
    assert r.status_code == 201, r.text
    assert r.json()["buyer_limits"] == {"BUYER-DE-1": "150000.00"}
    pid = r.json()["id"]
    dup = await client.post(f"{BASE}/insurance-policies", json=body, headers=k(h))
    assert dup.status_code == 409, dup.text
    # the same policy spelled differently (insurer name, dashes, full width) is the same policy
    spelled = {**body, "insurer": "SINOSURE China Export & Credit Insurance", "policy_number": "ＳＩＮＯ 2026/001"}
    assert (await client.post(f"{BASE}/insurance-policies", json=spelled, headers=k(h))).status_code == 409
    lim = await client.post(f"{BASE}/insurance-policies/{pid}/buyer-limits", json={"buyer_ref": "BUYER-US-2", "limit": "50000.00"}, headers=h)
    assert lim.status_code == 200 and lim.json()["limit"] == "50000.00", lim.text
    r = await client.post(f"{BASE}/insurance-policies/{pid}/receivables", json={"buyer_ref": "BUYER-DE-1", "invoice_number": "INV-9", "amount": "200000.00", "due_date": "2027-02-18"}, headers=k(h))
    assert r.status_code == 201 and r.json()["status"] == "declared", r.text
    rid = r.json()["id"]

    adv = await client.get(f"{BASE}/insured-receivables/{rid}/advance", headers=tenant_a.as_user("approver"))
    assert adv.status_code == 200, adv.text
    a = adv.json()
    assert a["declared"] == "200000.00" and a["covered"] == "150000.00" and a["max_advance"] == "108000.00"
    assert a["coverage_ratio"] == "0.90" and a["advance_rate"] == "0.80"

    lid = await loan_of(app, tenant_a, exporter.id, 10_800_000, kind="credit_insurance", currency="USD")
    fin = await client.post(f"{BASE}/insured-receivables/{rid}/finance", json={"loan_id": lid, "assignee": "Bank lending desk"}, headers=h)
    assert fin.status_code == 200 and fin.json()["max_advance"] == "108000.00", fin.text
    lid2 = await loan_of(app, tenant_a, exporter.id, 1_000_000, kind="credit_insurance", currency="USD")
    again = await client.post(f"{BASE}/insured-receivables/{rid}/finance", json={"loan_id": lid2, "assignee": "Bank"}, headers=h)
    assert again.status_code == 409, again.text

    claim = await client.post(f"{BASE}/insured-receivables/{rid}/claims", json={"amount": "150000.00", "filed_on": "2026-11-25"}, headers=k(h))
    assert claim.status_code == 201 and claim.json()["status"] == "filed", claim.text
    cid = claim.json()["id"]
    paid = await client.post(f"{BASE}/insurance-claims/{cid}/payments", json={"amount": "135000.00", "paid_on": "2026-11-25"}, headers=k(h))
    assert paid.status_code == 200, paid.text
    assert paid.json()["paid"] == "135000.00" and paid.json()["financing_ref"] == lid and paid.json()["assigned_to"] == "Bank lending desk"
    twice = await client.post(f"{BASE}/insurance-claims/{cid}/payments", json={"amount": "1.00"}, headers=k(h))
    assert twice.status_code == 409, twice.text

    rel = await client.post(f"{BASE}/insured-receivables/{rid}/release", headers=h)
    assert rel.status_code == 200 and rel.json()["status"] == "released", rel.text


async def test_another_institutions_collateral_answers_404(app, client, tenant_a, tenant_b, exporter):
    rid = await _receipt(client, tenant_a, exporter.id)
    lid = await loan_of(app, tenant_a, exporter.id, 100_000)
    pid = (await client.post(f"{BASE}/warehouse-receipts/{rid}/pledge", json={"loan_id": lid, "as_of": "2026-11-20"}, headers=k(tenant_a.h()))).json()["pledge_id"]
    pol = await client.post(f"{BASE}/insurance-policies", json={"customer_id": str(exporter.id), "policy_number": "P1", "insurer_code": "SINOSURE", "insurer": "Sinosure", "coverage_ratio": "0.9", "currency": "USD", "buyer_limits": {"B1": "1000.00"}}, headers=k(tenant_a.h()))
    pol_id = pol.json()["id"]
    rec_id = (await client.post(f"{BASE}/insurance-policies/{pol_id}/receivables", json={"buyer_ref": "B1", "invoice_number": "I1", "amount": "100.00", "due_date": "2027-01-01"}, headers=k(tenant_a.h()))).json()["id"]
    cid = (await client.post(f"{BASE}/insured-receivables/{rec_id}/claims", json={"amount": "100.00"}, headers=k(tenant_a.h()))).json()["id"]

    hb = tenant_b.h()
    # B cannot use A's customer, receipt, pledge, policy, receivable or claim
    assert (await client.post(f"{BASE}/warehouse-receipts", json={"customer_id": str(exporter.id), "warehouse_code": WAREHOUSE, "issuer": "W", "receipt_number": "R9", "goods_type": "copper", "quantity": "1", "unit": "t", "location": "X"}, headers=k(hb))).status_code == 404
    assert (await client.post(f"{BASE}/insurance-policies", json={"customer_id": str(exporter.id), "policy_number": "P9", "insurer_code": "S", "insurer": "S", "coverage_ratio": "0.9", "currency": "USD"}, headers=k(hb))).status_code == 404
    assert (await client.post(f"{BASE}/warehouse-receipts/{rid}/verify", json={"verified_by": "x"}, headers=hb)).status_code == 404
    assert (await client.post(f"{BASE}/warehouse-receipts/{rid}/pledge", json={"loan_id": lid}, headers=k(hb))).status_code == 404
    assert (await client.get(f"{BASE}/pledges/{pid}", headers=hb)).status_code == 404
    assert (await client.post(f"{BASE}/pledges/{pid}/revalue", json={}, headers=hb)).status_code == 404
    assert (await client.post(f"{BASE}/pledges/{pid}/liquidate", json={}, headers={**hb, "Idempotency-Key": "liq-b"})).status_code == 404
    assert (await client.post(f"{BASE}/insurance-policies/{pol_id}/buyer-limits", json={"buyer_ref": "B1", "limit": "1.00"}, headers=hb)).status_code == 404
    assert (await client.post(f"{BASE}/insurance-policies/{pol_id}/receivables", json={"buyer_ref": "B1", "invoice_number": "I2", "amount": "1.00", "due_date": "2027-01-01"}, headers=k(hb))).status_code == 404
    assert (await client.get(f"{BASE}/insured-receivables/{rec_id}/advance", headers=hb)).status_code == 404
    assert (await client.post(f"{BASE}/insured-receivables/{rec_id}/finance", json={"loan_id": lid, "assignee": "B"}, headers=hb)).status_code == 404
    assert (await client.post(f"{BASE}/insured-receivables/{rec_id}/release", headers=hb)).status_code == 404
    assert (await client.post(f"{BASE}/insured-receivables/{rec_id}/claims", json={"amount": "1.00"}, headers=k(hb))).status_code == 404
    assert (await client.post(f"{BASE}/insurance-claims/{cid}/payments", json={"amount": "1.00"}, headers=k(hb))).status_code == 404
    # and A's pledge is untouched
    assert (await client.get(f"{BASE}/pledges/{pid}", headers=tenant_a.h())).json()["outstanding"] == "1000.00"


# -- issue #12: identity, not spelling ------------------------------------------------------------


@pytest.fixture
async def importer_b(app, tenant_b):
    ctx = app.state.ctx
    return await open_customer(ctx.ledger, ctx.settlement.keyring, tenant_b.institution_id, ref="IMP1", kind="enterprise", name="Copper Buyer Ltd", fx_class="A", directory_registered=True)


async def test_a_receipt_pledged_at_bank_a_is_refused_at_bank_b_whatever_the_spelling(app, client, tenant_a, tenant_b, exporter, importer_b):
    """One registry code, one receipt: "... Co." vs "... Co", a double space,
    "Company", full-width characters and a re-spelled receipt number are the
    same receipt; bank B's pledge is refused without naming bank A."""
    rid = await _receipt(client, tenant_a, exporter.id, "WR-001", issuer="Qianhai Bonded Warehouse Co.")
    lid = await loan_of(app, tenant_a, exporter.id, 54_000_000)
    assert (await client.post(f"{BASE}/warehouse-receipts/{rid}/pledge", json={"loan_id": lid, "as_of": "2026-11-20"}, headers=k(tenant_a.h()))).status_code == 201
    variants = [
        ("Qianhai Bonded Warehouse Co", "WR-001", WAREHOUSE),
        ("Qianhai  Bonded Warehouse Co.", "WR 001", WAREHOUSE.lower()),
        ("Qianhai Bonded Warehouse Company", "wr001", "9144 0300 7084 6113 6T"),
        ("Ｑｉａｎｈａｉ Ｂｏｎｄｅｄ Ｗａｒｅｈｏｕｓｅ Ｃｏ．", "ＷＲ－００１", "９１４４０３００７０８４６１１３６Ｔ"),
    ]
    first = await _receipt(client, tenant_b, importer_b.id, variants[0][1], warehouse=variants[0][2], issuer=variants[0][0])
    b_loan = await loan_of(app, tenant_b, importer_b.id, 10_000_000)
    refused = await client.post(f"{BASE}/warehouse-receipts/{first}/pledge", json={"loan_id": b_loan, "as_of": "2026-11-20"}, headers=k(tenant_b.h()))
    assert refused.status_code == 409 and refused.json()["code"] == "asset_already_financed", refused.text
    assert lid not in refused.text and tenant_a.code not in refused.text and str(tenant_a.institution_id) not in refused.text
    for issuer, number, code in variants[1:]:
        body = {"customer_id": str(importer_b.id), "warehouse_code": code, "issuer": issuer, "receipt_number": number, "goods_type": "copper", "quantity": "1000", "unit": "t", "location": "X"}
        again = await client.post(f"{BASE}/warehouse-receipts", json=body, headers=k(tenant_b.h()))
        assert again.status_code == 409, (issuer, number, again.text)  # the same receipt, already recorded at B
    # bank B's loan was not disbursed against it: no pledge, nothing changed
    assert (await client.get(f"{BASE}/loans/{b_loan}", headers=tenant_b.h())).json()["status"] == "accepted"


async def test_a_warehouse_code_with_a_wrong_check_character_is_422_naming_the_field(client, tenant_a, exporter):
    body = {"customer_id": str(exporter.id), "warehouse_code": "91440300708461136X", "issuer": "W", "receipt_number": "R1", "goods_type": "copper", "quantity": "1", "unit": "t", "location": "X"}
    r = await client.post(f"{BASE}/warehouse-receipts", json=body, headers=k(tenant_a.h()))
    assert r.status_code == 422 and r.json()["code"] == "invalid_registry_code" and "warehouse_code" in r.text and "T" in r.json().get("expected_check_character", "T")


# -- issue #12: pledges bound to loans -------------------------------------------------------------


async def test_a_pledge_needs_an_undisbursed_warehouse_receipt_loan_of_the_institution(app, client, tenant_a, tenant_b, exporter, importer_b):
    h = tenant_a.h()
    rid = await _receipt(client, tenant_a, exporter.id)
    nobody = await client.post(f"{BASE}/warehouse-receipts/{rid}/pledge", json={"loan_id": "00000000-0000-0000-0000-000000000001"}, headers=k(h))
    assert nobody.status_code == 404, nobody.text
    b_loan = await loan_of(app, tenant_b, importer_b.id, 100_000)
    assert (await client.post(f"{BASE}/warehouse-receipts/{rid}/pledge", json={"loan_id": b_loan}, headers=k(h))).status_code == 404
    ins = await loan_of(app, tenant_a, exporter.id, 100_000, kind="credit_insurance")
    wrong_kind = await client.post(f"{BASE}/warehouse-receipts/{rid}/pledge", json={"loan_id": ins}, headers=k(h))
    assert wrong_kind.status_code == 409 and wrong_kind.json()["code"] == "loan_not_open_for_collateral", wrong_kind.text
    # the old free-text reference with any amount is no longer accepted
    assert (await client.post(f"{BASE}/warehouse-receipts/{rid}/pledge", json={"financing_ref": "x", "amount": "1.00", "currency": "CNY"}, headers=k(h))).status_code == 422
    got = (await client.get(f"{BASE}/loans/{ins}", headers=h)).json()
    assert got["status"] == "accepted"


async def test_a_cny_1000000_warehouse_receipt_loan_without_a_pledge_is_not_disbursed(app, client, tenant_a, exporter):
    lid = await loan_of(app, tenant_a, exporter.id, 100_000_000)
    r = await client.post(f"{BASE}/loans/{lid}/disburse", headers=tenant_a.as_user("finance", **{"Idempotency-Key": "d-1"}))
    assert r.status_code == 422 and r.json()["code"] == "collateral_insufficient", r.text
    d = r.json()
    assert (d["amount"], d["collateral"], d["max_loan"], d["currency"], d["rate"]) == ("1000000.00", "0.00", "0.00", "CNY", "0.60")
    assert "_minor" not in r.text
    loan = (await client.get(f"{BASE}/loans/{lid}", headers=tenant_a.h())).json()
    assert loan["status"] == "accepted" and loan["outstanding"] == "0.00"
    # pledged (540,000 at 60 % of 900,000), then the price falls 10 % before the value date: 486,000 covers at most 291,600... refused
    rid = await _receipt(client, tenant_a, exporter.id)
    ok_loan = await loan_of(app, tenant_a, exporter.id, 54_000_000)
    assert (await client.post(f"{BASE}/warehouse-receipts/{rid}/pledge", json={"loan_id": ok_loan, "as_of": "2026-11-20"}, headers=k(tenant_a.h()))).status_code == 201
    admin = tenant_a.as_user("admin")
    assert (await client.post(f"{BASE}/goods-prices", json={"goods_type": "copper", "currency": "CNY", "unit": "t", "price_date": "2026-11-24", "price": "900.00"}, headers=k(admin))).status_code == 201
    low = await client.post(f"{BASE}/loans/{ok_loan}/disburse", json={"value_date": "2026-11-24"}, headers=tenant_a.as_user("finance", **{"Idempotency-Key": "d-2"}))
    assert low.status_code == 422 and low.json()["collateral"] == "810000.00" and low.json()["max_loan"] == "486000.00", low.text
    # value-dated on the 20th (price 1,000) it is covered: 540,000 <= 60 % x 900,000
    good = await client.post(f"{BASE}/loans/{ok_loan}/disburse", json={"value_date": "2026-11-20"}, headers=tenant_a.as_user("finance", **{"Idempotency-Key": "d-3"}))
    assert good.status_code == 200 and good.json()["status"] == "active" and good.json()["disbursed_on"] == "2026-11-20", good.text


async def test_repaying_40_percent_of_the_loan_releases_40_percent_of_the_goods(app, client, tenant_a, tenant_b, exporter, importer_b):
    h = tenant_a.h()
    rid = await _receipt(client, tenant_a, exporter.id)
    lid = await loan_of(app, tenant_a, exporter.id, 50_000_000)
    pid = (await client.post(f"{BASE}/warehouse-receipts/{rid}/pledge", json={"loan_id": lid}, headers=k(h))).json()["pledge_id"]
    assert (await client.post(f"{BASE}/loans/{lid}/disburse", headers=tenant_a.as_user("finance", **{"Idempotency-Key": "d-1"}))).status_code == 200
    r = await client.post(f"{BASE}/loans/{lid}/repayments", json={"amount": "200000.00"}, headers=tenant_a.as_user("finance", **{"Idempotency-Key": "r-1"}))
    assert r.status_code == 200 and r.json()["balances"]["principal"] == "300000.00", r.text
    # collateral is taken with or before the disbursement, never for an active loan
    late_rid = await _receipt(client, tenant_a, exporter.id, "WR-LATE")
    late = await client.post(f"{BASE}/warehouse-receipts/{late_rid}/pledge", json={"loan_id": lid}, headers=k(h))
    assert late.status_code == 409 and late.json()["code"] == "loan_not_open_for_collateral", late.text
    p = (await client.get(f"{BASE}/pledges/{pid}", headers=h)).json()
    assert Decimal(p["quantity_released"]) == 400 and Decimal(p["quantity_pledged"]) == 600 and p["outstanding"] == "300000.00" and p["loan"] == "500000.00"
    # the LTV and margin-call figures use the loan's real outstanding: 300,000 / (600 t x 1,000 x 0.9 = 540,000)
    st = (await client.post(f"{BASE}/pledges/{pid}/revalue", json={}, headers=h)).json()
    assert st["outstanding"] == "300000.00" and st["valuation"]["value"] == "540000.00" and st["ltv"] == "0.5556"
    r = await client.post(f"{BASE}/loans/{lid}/repayments", json={"amount": "300000.00"}, headers=tenant_a.as_user("finance", **{"Idempotency-Key": "r-2"}))
    assert r.status_code == 200 and r.json()["status"] == "repaid", r.text
    p = (await client.get(f"{BASE}/pledges/{pid}", headers=h)).json()
    assert p["status"] == "released" and Decimal(p["quantity_released"]) == 1000
    # released: the receipt may back a financing elsewhere now
    b_rid = await _receipt(client, tenant_b, importer_b.id, "WR-001", issuer="Qianhai Bonded Warehouse")
    b_loan = await loan_of(app, tenant_b, importer_b.id, 10_000_000)
    assert (await client.post(f"{BASE}/warehouse-receipts/{b_rid}/pledge", json={"loan_id": b_loan}, headers=k(tenant_b.h()))).status_code == 201


async def test_a_credit_insurance_loan_is_disbursed_only_up_to_its_insured_advance(app, client, tenant_a, tenant_b, exporter, importer_b):
    h = tenant_a.h()
    pol = (await client.post(f"{BASE}/insurance-policies", json={"customer_id": str(exporter.id), "policy_number": "P1", "insurer_code": "SINOSURE", "insurer": "Sinosure", "coverage_ratio": "0.90", "currency": "USD", "buyer_limits": {"B1": "150000.00"}}, headers=k(h))).json()
    rec = (await client.post(f"{BASE}/insurance-policies/{pol['id']}/receivables", json={"buyer_ref": "B1", "invoice_number": "I-1", "amount": "200000.00", "due_date": "2027-02-18"}, headers=k(h))).json()
    foreign = await loan_of(app, tenant_b, importer_b.id, 100, kind="credit_insurance", currency="USD")
    assert (await client.post(f"{BASE}/insured-receivables/{rec['id']}/finance", json={"loan_id": foreign, "assignee": "Bank"}, headers=h)).status_code == 404
    lid = await loan_of(app, tenant_a, exporter.id, 10_800_001, kind="credit_insurance", currency="USD")
    assert (await client.post(f"{BASE}/insured-receivables/{rec['id']}/finance", json={"loan_id": lid, "assignee": "Bank"}, headers=h)).status_code == 200
    r = await client.post(f"{BASE}/loans/{lid}/disburse", headers=tenant_a.as_user("finance", **{"Idempotency-Key": "d-1"}))
    assert r.status_code == 422 and r.json()["code"] == "collateral_insufficient" and r.json()["max_loan"] == "108000.00" and r.json()["currency"] == "USD", r.text
    cny = await loan_of(app, tenant_a, exporter.id, 100, kind="credit_insurance", currency="CNY")
    rec2 = (await client.post(f"{BASE}/insurance-policies/{pol['id']}/receivables", json={"buyer_ref": "B1", "invoice_number": "I-2", "amount": "1.00", "due_date": "2027-02-18"}, headers=k(h))).json()
    assert (await client.post(f"{BASE}/insured-receivables/{rec2['id']}/finance", json={"loan_id": cny, "assignee": "Bank"}, headers=h)).status_code == 422


# -- issue #12: value dates --------------------------------------------------------------------------


async def test_value_dates_are_bounded_by_the_window_and_dpd_follows_them(app, client, tenant_a, exporter):
    h = tenant_a.h()
    admin = tenant_a.as_user("admin")
    future = await client.post(f"{BASE}/goods-prices", json={"goods_type": "copper", "currency": "CNY", "unit": "t", "price_date": "2026-11-26", "price": "1.00"}, headers=k(admin))
    assert future.status_code == 422 and future.json()["field"] == "price_date" and future.json()["latest"] == "2026-11-25", future.text
    old = await client.post(f"{BASE}/goods-prices", json={"goods_type": "copper", "currency": "CNY", "unit": "t", "price_date": "2026-10-25", "price": "1.00"}, headers=k(admin))
    assert old.status_code == 422 and old.json()["earliest"] == "2026-10-26", old.text
    rid = await _receipt(client, tenant_a, exporter.id)
    lid = await loan_of(app, tenant_a, exporter.id, 10_000_000, tenor_days=5)
    assert (await client.post(f"{BASE}/warehouse-receipts/{rid}/pledge", json={"loan_id": lid, "as_of": "2026-11-20"}, headers=k(h))).status_code == 201
    fin = tenant_a.as_user("finance", **{"Idempotency-Key": "d-x"})
    for bad in ("2026-10-25", "2026-11-26"):
        r = await client.post(f"{BASE}/loans/{lid}/disburse", json={"value_date": bad}, headers=tenant_a.as_user("finance", **{"Idempotency-Key": f"d-{bad}"}))
        assert r.status_code == 422 and r.json()["code"] == "value_date_out_of_window" and r.json()["field"] == "value_date", r.text
    r = await client.post(f"{BASE}/loans/{lid}/disburse", json={"value_date": "2026-11-15"}, headers=fin)
    assert r.status_code == 422 and r.json()["code"] == "no_collateral_price", r.text  # no price on or before the 15th
    admin_p = await client.post(f"{BASE}/goods-prices", json={"goods_type": "copper", "currency": "CNY", "unit": "t", "price_date": "2026-11-15", "price": "1000.00"}, headers=k(admin))
    assert admin_p.status_code == 201
    r = await client.post(f"{BASE}/loans/{lid}/disburse", json={"value_date": "2026-11-15"}, headers=tenant_a.as_user("finance", **{"Idempotency-Key": "d-y"}))
    assert r.status_code == 200 and r.json()["disbursed_on"] == "2026-11-15" and r.json()["due_date"] == "2026-11-20", r.text
    before = await client.post(f"{BASE}/loans/{lid}/repayments", json={"amount": "1.00", "value_date": "2026-11-14"}, headers=tenant_a.as_user("finance", **{"Idempotency-Key": "r-0"}))
    assert before.status_code == 422 and before.json()["field"] == "value_date" and before.json()["earliest"] == "2026-11-15", before.text
    acc = await client.post(f"{BASE}/accruals", json={"as_of": "2026-11-24"}, headers=admin)
    assert acc.status_code == 200, acc.text
    loan = (await client.get(f"{BASE}/loans/{lid}", headers=h)).json()
    assert loan["dpd"] == 4 and loan["bucket"] == "1-30"  # due on the 20th (5 days from the value date), 4 days past due on the 24th
    claim_rec = await client.post(f"{BASE}/insurance-policies", json={"customer_id": str(exporter.id), "policy_number": "P1", "insurer_code": "S", "insurer": "S", "coverage_ratio": "0.9", "currency": "USD", "buyer_limits": {"B1": "1000.00"}}, headers=k(h))
    rec = (await client.post(f"{BASE}/insurance-policies/{claim_rec.json()['id']}/receivables", json={"buyer_ref": "B1", "invoice_number": "I1", "amount": "100.00", "due_date": "2027-01-01"}, headers=k(h))).json()
    late = await client.post(f"{BASE}/insured-receivables/{rec['id']}/claims", json={"amount": "1.00", "filed_on": "2026-09-26"}, headers=k(h))
    assert late.status_code == 422 and late.json()["field"] == "filed_on", late.text


# -- issue #13: one contract ------------------------------------------------------------------------


async def _collateral_rows(app, inst) -> dict[str, int]:
    """Collateral rows of the institution, per table."""
    from sqlalchemy import func, select

    from financing import tables_collateral as TC

    out = {}
    async with app.state.ctx.engine.connect() as conn:
        for name in sorted(dir(TC)):
            t = getattr(TC, name)
            if name.startswith("financing_") and hasattr(t, "c") and "institution_id" in t.c:
                out[name] = int((await conn.execute(select(func.count()).select_from(t).where(t.c.institution_id == inst))).scalar_one())
    return out


async def test_collateral_input_is_strict_and_nothing_is_written_on_a_refusal(app, client, tenant_a, exporter):
    h = tenant_a.h()
    admin = tenant_a.as_user("admin")
    rid = await _receipt(client, tenant_a, exporter.id)
    lid = await loan_of(app, tenant_a, exporter.id, 100_000)
    pol = await client.post(f"{BASE}/insurance-policies", json={"customer_id": str(exporter.id), "policy_number": "P1", "insurer_code": "SINOSURE", "insurer": "Sinosure", "coverage_ratio": "0.9", "currency": "USD", "buyer_limits": {"B1": "1000.00"}}, headers=k(h))
    pol_id = pol.json()["id"]
    rec = await client.post(f"{BASE}/insurance-policies/{pol_id}/receivables", json={"buyer_ref": "B1", "invoice_number": "I1", "amount": "100.00", "due_date": "2027-01-01"}, headers=k(h))
    rec_id = rec.json()["id"]
    claim = await client.post(f"{BASE}/insured-receivables/{rec_id}/claims", json={"amount": "50.00"}, headers=k(h))
    cid = claim.json()["id"]
    before = await _collateral_rows(app, tenant_a.institution_id)
    price = {"goods_type": "copper", "currency": "CNY", "unit": "t", "price_date": "2026-11-20", "price": "1000.00"}
    policy = {"customer_id": str(exporter.id), "policy_number": "P2", "insurer_code": "SINOSURE", "insurer": "Sinosure", "coverage_ratio": "0.9", "currency": "USD"}
    receivable = {"buyer_ref": "B1", "invoice_number": "I2", "amount": "10.00", "due_date": "2027-01-01"}
    refused = []
    for bad in (0, "0", 1, "2026-11-2", "20261120", "2026-11-20T00:00:00Z"):
        refused += [
            (f"{BASE}/goods-prices", {**price, "price_date": bad}, admin, "price_date"),
            (f"{BASE}/warehouse-receipts/{rid}/pledge", {"loan_id": lid, "as_of": bad}, h, "as_of"),
            (f"{BASE}/insurance-policies", {**policy, "valid_until": bad}, h, "valid_until"),
            (f"{BASE}/insurance-policies/{pol_id}/receivables", {**receivable, "due_date": bad}, h, "due_date"),
            (f"{BASE}/insured-receivables/{rec_id}/claims", {"amount": "1.00", "filed_on": bad}, h, "filed_on"),
            (f"{BASE}/insurance-claims/{cid}/payments", {"amount": "1.00", "paid_on": bad}, h, "paid_on"),
        ]
    for amount, code in (("10.000", "invalid_amount"), ("1e2", "validation_error"), (10, "validation_error"), ("-1.00", "validation_error"), ("99999999999999999.00", "amount_out_of_range")):
        refused += [
            (f"{BASE}/goods-prices", {**price, "price": amount}, admin, "price", code),
            (f"{BASE}/insurance-policies", {**policy, "buyer_limits": {"B9": amount}}, h, "buyer_limits", code),
            (f"{BASE}/insurance-policies/{pol_id}/receivables", {**receivable, "amount": amount}, h, "amount", code),
            (f"{BASE}/insured-receivables/{rec_id}/claims", {"amount": amount}, h, "amount", code),
            (f"{BASE}/insurance-claims/{cid}/payments", {"amount": amount}, h, "amount", code),
        ]
    refused += [
        (f"{BASE}/goods-prices", {**price, "currency": "JPY", "price": "1000.0"}, admin, "price"),  # JPY has no decimals
        (f"{BASE}/goods-prices", {**price, "currency": "KWD", "price": "1.2340"}, admin, "price"),
        (f"{BASE}/insurance-policies/{pol_id}/receivables", {**receivable, "amount": "0.00"}, h, "amount"),
        (f"{BASE}/insurance-policies/{pol_id}/receivables", {**receivable, "amount_minor": 1000}, h, "amount_minor"),
    ]
    for url, body, headers, field, *code in refused:
        r = await client.post(url, json=body, headers=k(headers))
        assert r.status_code == 422 and field in r.text and r.headers["content-type"].startswith("application/problem+json"), (url, body, r.text)
        assert not code or r.json()["code"] == code[0], (url, body, r.text)
    for bad in (0, "0", 1):
        assert (await client.post(f"{BASE}/pledges/00000000-0000-0000-0000-000000000001/revalue", json={"as_of": bad}, headers=h)).status_code == 422
    assert await _collateral_rows(app, tenant_a.institution_id) == before


async def test_creating_collateral_posts_need_a_key_and_replay(app, client, tenant_a, exporter):
    h = tenant_a.h()
    body = {"customer_id": str(exporter.id), "warehouse_code": WAREHOUSE, "issuer": "W", "receipt_number": "R-1", "goods_type": "copper", "quantity": "5", "unit": "t", "location": "X"}
    before = await _collateral_rows(app, tenant_a.institution_id)
    missing = await client.post(f"{BASE}/warehouse-receipts", json=body, headers=h)
    assert missing.status_code == 400 and missing.json()["code"] == "idempotency_key_missing"
    assert await _collateral_rows(app, tenant_a.institution_id) == before
    first = await client.post(f"{BASE}/warehouse-receipts", json=body, headers=k(h, "wr-1"))
    assert first.status_code == 201, first.text
    again = await client.post(f"{BASE}/warehouse-receipts", json=body, headers=k(h, "wr-1"))
    assert again.status_code == 201 and again.content == first.content and again.headers["idempotent-replayed"] == "true"
    other = await client.post(f"{BASE}/warehouse-receipts", json={**body, "receipt_number": "R-2"}, headers=k(h, "wr-1"))
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    after = await _collateral_rows(app, tenant_a.institution_id)
    assert after["financing_warehouse_receipts"] == before["financing_warehouse_receipts"] + 1
    for url, b in ((f"{BASE}/goods-haircuts", {"goods_type": "tin", "haircut": "0.10"}), (f"{BASE}/insurance-policies", {"customer_id": str(exporter.id), "policy_number": "P1", "insurer_code": "S", "insurer": "S", "coverage_ratio": "0.9", "currency": "USD"})):
        assert (await client.post(url, json=b, headers=h)).status_code == 400, url


async def test_margin_call_and_claim_events_carry_decimal_amounts(app, client, tenant_a, exporter):
    from sqlalchemy import select

    from ledger.events import outbox_events

    h = tenant_a.h()
    rid = await _receipt(client, tenant_a, exporter.id)
    lid = await loan_of(app, tenant_a, exporter.id, 54_000_000)
    pid = (await client.post(f"{BASE}/warehouse-receipts/{rid}/pledge", json={"loan_id": lid, "as_of": "2026-11-20"}, headers=k(h))).json()["pledge_id"]
    await client.post(f"{BASE}/goods-prices", json={"goods_type": "copper", "currency": "CNY", "unit": "t", "price_date": "2026-11-23", "price": "750.00"}, headers=k(tenant_a.as_user("admin")))
    assert (await client.post(f"{BASE}/pledges/{pid}/revalue", json={"as_of": "2026-11-23"}, headers={**h, "Idempotency-Key": "liq-23"})).json()["action"] == "margin_call"
    pol = (await client.post(f"{BASE}/insurance-policies", json={"customer_id": str(exporter.id), "policy_number": "P1", "insurer_code": "S", "insurer": "S", "coverage_ratio": "0.9", "currency": "USD", "buyer_limits": {"B1": "1000.00"}}, headers=k(h))).json()
    rec = (await client.post(f"{BASE}/insurance-policies/{pol['id']}/receivables", json={"buyer_ref": "B1", "invoice_number": "I1", "amount": "100.00", "due_date": "2027-01-01"}, headers=k(h))).json()
    cid = (await client.post(f"{BASE}/insured-receivables/{rec['id']}/claims", json={"amount": "100.00"}, headers=k(h))).json()["id"]
    over = await client.post(f"{BASE}/insurance-claims/{cid}/payments", json={"amount": "100.01"}, headers=k(h))
    assert over.status_code == 422 and (over.json()["paid"], over.json()["claimed"], over.json()["currency"]) == ("100.01", "100.00", "USD"), over.text
    assert (await client.post(f"{BASE}/insurance-claims/{cid}/payments", json={"amount": "90.00"}, headers=k(h))).status_code == 200
    async with app.state.ctx.engine.connect() as conn:
        rows = {r.type: r.payload for r in (await conn.execute(select(outbox_events.c.type, outbox_events.c.payload).where(outbox_events.c.institution_id == tenant_a.institution_id))).all()}
    call = rows["collateral.margin_call_opened"]
    assert (call["currency"], call["shortfall"], call["collateral"], call["outstanding"], call["valuation"]) == ("CNY", "135000.00", "225000.00", "540000.00", "675000.00")
    assert (rows["collateral.claim_paid"]["paid"], rows["collateral.claim_paid"]["currency"]) == ("90.00", "USD")
    assert not [key for p in rows.values() for key in p if key.endswith("_minor")], rows
    from ledger.events import audit_log

    async with app.state.ctx.engine.connect() as conn:
        audits = (await conn.execute(select(audit_log.c.action, audit_log.c.before, audit_log.c.after).where(audit_log.c.institution_id == tenant_a.institution_id))).all()
    by_action = {a.action: a for a in audits}
    assert {"margin_call.opened", "pledge.revalued", "receivable.declared", "claim.filed", "claim.paid", "policy.buyer_limit_set"} <= set(by_action), sorted(by_action)
    assert not [a.action for a in audits for d in (a.before, a.after) if d and any(str(key).endswith("_minor") for key in d)]
    assert (by_action["margin_call.opened"].after["shortfall"], by_action["margin_call.opened"].after["currency"]) == ("135000.00", "CNY")
    assert by_action["claim.paid"].after["paid"] == "90.00"
