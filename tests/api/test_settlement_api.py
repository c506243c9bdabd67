"""Settlement over HTTP: receipts, release by an approver, conversions with
quota refusals as problem documents, alerts, monitoring, configuration."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from settlement.customers import open_customer


def _today():
    return datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date()


@pytest.fixture
async def setup(app, tenant_a):
    ctx = app.state.ctx
    stl = ctx.settlement
    inst = tenant_a.institution_id
    await stl.rates.set_manual_rate(inst, "USD", "CNY", Decimal("7.1000"), as_of=_today())
    a = await open_customer(stl.ledger, stl.keyring, inst, ref="MA", kind="enterprise", name="A Ltd", fx_class="A", directory_registered=True)
    b = await open_customer(stl.ledger, stl.keyring, inst, ref="MB", kind="enterprise", name="B Ltd", fx_class="B", directory_registered=True)
    p = await open_customer(stl.ledger, stl.keyring, inst, ref="P1", kind="individual", name="Han Meimei", id_number="110101199202023456")
    return {"a": str(a.id), "b": str(b.id), "p": str(p.id)}


def receipt_body(customer, gross, **extra):
    return {"customer_id": customer, "currency": "USD", "gross": gross, "net": gross, "customs_mode": "9610", "destination_country": "DE", **extra}


async def test_receipt_with_netted_fees_over_http(client, tenant_a, setup):
    body = receipt_body(setup["a"], "10000.00", fees={"warehousing": "600.00", "logistics": "250.00", "tax": "150.00"}, net="9000.00")
    r = await client.post("/v1/receipts", json=body, headers=tenant_a.h(**{"Idempotency-Key": "rcpt-1"}))
    assert r.status_code == 201, r.text
    out = r.json()
    assert (out["gross"], out["net"], out["fees"]) == ("10000.00", "9000.00", {"warehousing": "600.00", "logistics": "250.00", "tax": "150.00"})
    assert out["status"] == "credited" and out["external_ref"] == "rcpt-1"
    again = await client.post("/v1/receipts", json=body, headers=tenant_a.h(**{"Idempotency-Key": "rcpt-1"}))
    assert again.content == r.content
    bad = dict(body, net="9100.00")
    p = (await client.post("/v1/receipts", json=bad, headers=tenant_a.h(**{"Idempotency-Key": "rcpt-2"}))).json()
    assert p["code"] == "receipt_invalid" and p["expected_net"] == 900000


async def test_class_b_release_needs_an_approver(client, tenant_a, setup):
    r = (await client.post("/v1/receipts", json=receipt_body(setup["b"], "500.00"), headers=tenant_a.h(**{"Idempotency-Key": "b-1"}))).json()
    assert r["status"] == "pending_verification"
    url = f"/v1/receipts/{r['id']}/release"
    denied = await client.post(url, json={"note": "ok"}, headers=tenant_a.as_user("finance", **{"Idempotency-Key": "rel-1"}))
    assert denied.status_code == 403
    ok = await client.post(url, json={"note": "invoice INV-9 checked"}, headers=tenant_a.as_user("approver", **{"Idempotency-Key": "rel-2"}))
    assert ok.status_code == 200 and ok.json()["status"] == "released" and ok.json()["released_by"].startswith("user:")
    listed = (await client.get("/v1/receipts", params={"status": "released"}, headers=tenant_a.h())).json()
    assert [x["id"] for x in listed] == [r["id"]]


async def test_quota_refusal_is_a_problem_with_the_remaining_amount(client, tenant_a, setup):
    await client.post("/v1/receipts", json=receipt_body(setup["p"], "60000.00"), headers=tenant_a.h(**{"Idempotency-Key": "fund"}))
    first = await client.post("/v1/conversions", json={"customer_id": setup["p"], "direction": "settle", "currency": "USD", "amount": "30000.00"}, headers=tenant_a.h(**{"Idempotency-Key": "c-1"}))
    assert first.status_code == 201 and first.json()["quota_usd"] == "30000.00" and first.json()["cny"] == "211935.00"
    refused = await client.post("/v1/conversions", json={"customer_id": setup["p"], "direction": "settle", "currency": "USD", "amount": "25000.00"}, headers=tenant_a.h(**{"Idempotency-Key": "c-2"}))
    assert refused.status_code == 422 and refused.headers["content-type"].startswith("application/problem+json")
    body = refused.json()
    assert body["code"] == "quota_exceeded" and body["remaining_usd"] == 2_000_000
    quota = (await client.get(f"/v1/customers/{setup['p']}/quota", headers=tenant_a.h())).json()
    assert quota["directions"]["settle"] == {"used_usd": "30000.00", "remaining_usd": "20000.00", "limit_usd": "50000.00"}
    # only approvers attach a review
    review = {"customer_id": setup["p"], "direction": "settle", "currency": "USD", "amount": "25000.00", "review": {"proof": "contract SC-1"}}
    assert (await client.post("/v1/conversions", json=review, headers=tenant_a.as_user("finance", **{"Idempotency-Key": "c-3"}))).status_code == 403
    ok = await client.post("/v1/conversions", json=review, headers=tenant_a.as_user("approver", **{"Idempotency-Key": "c-4"}))
    assert ok.status_code == 201 and (ok.json()["quota_usd"], ok.json()["reviewed_usd"]) == ("20000.00", "5000.00")


async def test_alerts_monitoring_and_configuration(client, tenant_a, setup):
    await client.post("/v1/receipts", json=receipt_body(setup["a"], "100.00", customs_mode="9710", declared_value="50.00"), headers=tenant_a.h(**{"Idempotency-Key": "m-1"}))
    alerts = (await client.get("/v1/risk-alerts", headers=tenant_a.h())).json()
    kinds = {a["kind"] for a in alerts}
    assert {"receipt_without_evidence", "authenticity_variance"} <= kinds
    one = next(a for a in alerts if a["kind"] == "authenticity_variance")
    closed = await client.post(f"/v1/risk-alerts/{one['id']}/close", headers=tenant_a.as_user("approver"))
    assert closed.json()["status"] == "closed"
    today = _today().isoformat()
    stats = (await client.get("/v1/monitoring/receipts", params={"date_from": today, "date_to": today, "group_by": "customs_mode,merchant_kind"}, headers=tenant_a.h())).json()
    assert stats == [{"key": {"customs_mode": "9710", "merchant_kind": "enterprise"}, "currency": "USD", "count": 1, "gross": "100.00", "fees": "0.00", "net": "100.00", "usd_equivalent": "100.00"}]
    bad = await client.get("/v1/monitoring/receipts", params={"date_from": today, "date_to": today, "group_by": "password"}, headers=tenant_a.h())
    assert bad.status_code == 422
    cfg = await client.put("/v1/settlement/config", json={"overrides": {"variance_tolerance": "0.10"}}, headers=tenant_a.h())
    assert cfg.status_code == 200 and cfg.json()["variance_tolerance"] == "0.10"
    assert (await client.put("/v1/settlement/config", json={"overrides": {"variance_tolerance": "lots"}}, headers=tenant_a.h())).status_code == 422
