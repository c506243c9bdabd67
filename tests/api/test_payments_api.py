"""Outward payments over HTTP (issue #12 defect 3, DOMAIN S6 payments side):
an enterprise pays abroad from its FX current account; the national S6
payments total per calendar year warns at USD 180,000 and holds the payment
that brings an unregistered enterprise to USD 200,000 until registration.
On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from ledger.model import NewTransaction, Posting
from settlement import accounts as A
from settlement.customers import open_customer

from .conftest import submit_and_approve

USCC = "91310000MA1FL8XQ30"  # the enterprise's registration number, at both banks


def _today():
    return datetime.now(UTC).astimezone(ZoneInfo("Asia/Shanghai")).date()


async def fund(stl, inst, customer_id, amount_minor, currency="USD"):
    """Cash on the customer's FX current account (Dr nostro, Cr current)."""
    led = await A.settlement_ledger_id(stl.ledger, inst)
    cur = await A.customer_account(stl.ledger, inst, customer_id, "current", currency)
    nostro = await A.institution_account(stl.ledger, inst, "nostro", currency)
    await stl.ledger.post(inst, NewTransaction(led, [Posting(nostro, amount_minor, "debit", currency), Posting(cur, amount_minor, "credit", currency)], description="funding"))


async def balance(stl, inst, customer_id, kind, currency="USD"):
    acct = await A.customer_account(stl.ledger, inst, customer_id, kind, currency)
    return (await stl.ledger.balance(inst, acct)).posted


@pytest.fixture
async def world(app, tenant_a, tenant_b):
    stl = app.state.ctx.settlement
    out = {}
    for t in (tenant_a, tenant_b):
        await stl.rates.set_manual_rate(t.institution_id, "USD", "CNY", Decimal("7.1000"), as_of=_today())
        await stl.rates.set_manual_rate(t.institution_id, "EUR", "USD", Decimal("1.0800"), as_of=_today())
        u = await open_customer(stl.ledger, stl.keyring, t.institution_id, ref="U1", kind="enterprise", name="Small Exporter Co", id_number=USCC, fx_class="A", directory_registered=False)
        await fund(stl, t.institution_id, u.id, 500_000_00)
        out[t.code] = {"u": str(u.id)}
    r = await open_customer(stl.ledger, stl.keyring, tenant_a.institution_id, ref="R1", kind="enterprise", name="Registered Co", fx_class="A", directory_registered=True)
    await fund(stl, tenant_a.institution_id, r.id, 500_000_00)
    out["bank-a"]["r"] = str(r.id)
    p = await open_customer(stl.ledger, stl.keyring, tenant_a.institution_id, ref="P1", kind="individual", name="Han Meimei", id_number="110101199202023456")
    out["bank-a"]["p"] = str(p.id)
    out["stl"] = stl
    return out


def pay(customer, amount, **extra):
    return {"customer_id": customer, "currency": "USD", "amount": amount, "purpose": "goods", "beneficiary_name": "Overseas Supplier GmbH",
            "beneficiary_country": "DE", "evidence_refs": ["INV-2026-001"], **extra}


async def post(client, t, body, key):
    return await client.post("/v1/payments", json=body, headers=t.h(**{"Idempotency-Key": key}))


async def test_s6_payments_warn_at_180000_and_hold_the_payment_reaching_200000_until_registration(client, tenant_a, world):
    stl, inst, u = world["stl"], tenant_a.institution_id, world["bank-a"]["u"]
    first = await post(client, tenant_a, pay(u, "90000.00"), "p-1")
    assert first.status_code == 201, first.text
    f = first.json()
    assert (f["status"], f["hold_reason"], f["s6_payments_usd"]["amount"], f["usd_equivalent"]["amount"]) == ("paid", None, "90000.00", "90000.00")
    assert "registration_warning" not in f["alerts"]
    second = (await post(client, tenant_a, pay(u, "95000.00", purpose="logistics"), "p-2")).json()
    assert (second["status"], second["s6_payments_usd"]["amount"]) == ("paid", "185000.00")
    assert "registration_warning" in second["alerts"]
    third = (await post(client, tenant_a, pay(u, "20000.00", purpose="service_fees"), "p-3")).json()
    assert (third["status"], third["hold_reason"], third["s6_payments_usd"]["amount"]) == ("held", "registration_required", "205000.00")
    assert "registration_warning" not in third["alerts"]
    # nothing lost: 205,000 left the current account, 20,000 of it waits in suspense
    assert await balance(stl, inst, u, "current") == 500_000_00 - 205_000_00
    assert await balance(stl, inst, u, "suspense") == 20_000_00
    warnings = (await client.get("/v1/risk-alerts", params={"kind": "registration_warning"}, headers=tenant_a.h())).json()["data"]
    assert len(warnings) == 1 and warnings[0]["subject_id"] == second["id"]
    assert (warnings[0]["details"]["cumulative_usd"], warnings[0]["details"]["currency"]) == ("185000.00", "USD") and warnings[0]["details"]["direction"] == "payments"
    url = f"/v1/payments/{third['id']}/release"
    early = await client.post(url, json={"note": "asked"}, headers=tenant_a.as_user("approver", **{"Idempotency-Key": "rel-0"}))
    assert early.status_code == 409 and early.json()["code"] == "payment_not_releasable"  # refused before any request is made
    assert await balance(stl, inst, u, "suspense") == 20_000_00
    reg = await client.post(f"/v1/customers/{u}/registration", json={}, headers=tenant_a.h())
    assert reg.status_code == 200, reg.text
    proposed = await client.post(url, json={"note": "directory registration recorded"}, headers=tenant_a.as_user("approver", **{"Idempotency-Key": "rel-1"}))
    # four eyes: held until a second person approves
    assert proposed.status_code == 202 and proposed.json()["action"] == "payment.release", proposed.text
    assert await balance(stl, inst, u, "suspense") == 20_000_00
    own = await client.post(f"/v1/approval-requests/{proposed.json()['id']}/approve", headers=tenant_a.as_user("approver", **{"Idempotency-Key": "own"}))
    assert own.status_code == 403 and own.json()["code"] == "four_eyes_same_person", own.text
    assert await balance(stl, inst, u, "suspense") == 20_000_00
    released = await submit_and_approve(client, tenant_a, proposed)
    assert released["status"] == "released" and released["released_by"].startswith("user:")
    assert await balance(stl, inst, u, "suspense") == 0
    held = (await client.get("/v1/payments", params={"status": "held"}, headers=tenant_a.h())).json()["data"]
    assert held == []
    listed = (await client.get("/v1/payments", params={"customer_id": u}, headers=tenant_a.h())).json()["data"]
    assert [x["id"] for x in listed] == [third["id"], second["id"], f["id"]]


async def test_a_registered_enterprise_is_never_held_nor_warned(client, tenant_a, world):
    r = world["bank-a"]["r"]
    outs = [(await post(client, tenant_a, pay(r, amt), f"r-{n}")).json() for n, amt in enumerate(("90000.00", "95000.00", "20000.00"))]
    assert [o["status"] for o in outs] == ["paid", "paid", "paid"]
    assert [o["s6_payments_usd"]["amount"] for o in outs] == ["90000.00", "185000.00", "205000.00"]
    assert all("registration_warning" not in o["alerts"] for o in outs)


async def test_a_payment_beyond_the_current_balance_is_refused_and_changes_nothing(client, tenant_a, world):
    stl, inst, u = world["stl"], tenant_a.institution_id, world["bank-a"]["u"]
    r = await post(client, tenant_a, pay(u, "500000.01"), "big")
    assert r.status_code == 422
    p = r.json()
    assert p["code"] == "insufficient_funds" and (p["available"], p["requested"], p["currency"]) == ("500000.00", "500000.01", "USD")
    assert await balance(stl, inst, u, "current") == 500_000_00
    assert (await client.get("/v1/payments", headers=tenant_a.h())).json()["data"] == []
    # the refused payment did not count into S6
    ok = (await post(client, tenant_a, pay(u, "1000.00"), "small")).json()
    assert ok["s6_payments_usd"]["amount"] == "1000.00"


async def test_payments_are_idempotent_and_another_institutions_ids_are_not_found(client, tenant_a, tenant_b, world):
    u = world["bank-a"]["u"]
    first = await post(client, tenant_a, pay(u, "100.00"), "k-1")
    again = await post(client, tenant_a, pay(u, "100.00"), "k-1")
    assert first.status_code == again.status_code == 201 and again.content == first.content
    other = await post(client, tenant_a, pay(u, "200.00"), "k-1")
    assert other.status_code in (409, 422) and other.json()["code"].startswith("idempotency")
    assert len((await client.get("/v1/payments", headers=tenant_a.h())).json()["data"]) == 1
    pid = first.json()["id"]
    assert (await client.get(f"/v1/payments/{pid}", headers=tenant_a.h())).json()["amount"] == "100.00"
    assert (await client.get(f"/v1/payments/{pid}", headers=tenant_b.h())).status_code == 404
    rel = await client.post(f"/v1/payments/{pid}/release", json={"note": "x"}, headers=tenant_b.h(**{"Idempotency-Key": "r"}))
    assert rel.status_code == 404
    # B cannot pay from A's customer
    assert (await post(client, tenant_b, pay(u, "1.00"), "b-1")).status_code == 404
    missing = await post(client, tenant_a, pay(u, "1.00"), "k-2")
    assert missing.status_code == 201
    no_key = await client.post("/v1/payments", json=pay(u, "1.00"), headers=tenant_a.h())
    assert no_key.status_code in (400, 422)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"purpose": "dividends"}, "purpose"),
        ({"beneficiary_country": "CN"}, "beneficiary_country"),
        ({"value_date": (_today() + timedelta(days=1)).isoformat()}, "value_date"),
        ({"value_date": (_today() - timedelta(days=31)).isoformat()}, "value_date"),
        ({"amount": "0.00"}, "amount"),
        ({"amount": "-5.00"}, "amount"),
        ({"amount": "10.001"}, "amount"),
        ({"amount": "99999999999999999999.99"}, "amount"),
        ({"currency": "XXX"}, "currency"),
        ({"value_date": 0}, "value_date"),
    ],
)
async def test_invalid_payments_are_refused_naming_the_field(client, tenant_a, world, change, field):
    r = await post(client, tenant_a, pay(world["bank-a"]["u"], "10.00") | change, "bad")
    assert r.status_code == 422, r.text
    assert field in r.text
    assert (await client.get("/v1/payments", headers=tenant_a.h())).json()["data"] == []


async def test_a_payment_for_an_unknown_customer_is_not_found_and_changes_nothing(client, tenant_a, world):
    r = await post(client, tenant_a, pay(world["bank-a"]["u"], "10.00") | {"customer_id": "00000000-0000-0000-0000-000000000000"}, "unknown")
    assert r.status_code == 404, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert (await client.get("/v1/payments", headers=tenant_a.h())).json()["data"] == []


async def test_individuals_do_not_make_outward_payments(client, tenant_a, world):
    r = await post(client, tenant_a, pay(world["bank-a"]["p"], "10.00"), "ind")
    assert r.status_code == 422 and r.json()["code"] == "payment_invalid" and r.json()["field"] == "customer_id"


async def test_the_s6_payments_total_is_national_across_institutions(client, tenant_a, tenant_b, world):
    a = (await post(client, tenant_a, pay(world["bank-a"]["u"], "90000.00"), "n-1")).json()
    b = (await post(client, tenant_b, pay(world["bank-b"]["u"], "95000.00"), "n-2")).json()
    assert (a["s6_payments_usd"]["amount"], b["s6_payments_usd"]["amount"]) == ("90000.00", "185000.00")
    assert "registration_warning" in b["alerts"]
    c = (await post(client, tenant_a, pay(world["bank-a"]["u"], "20000.00"), "n-3")).json()
    assert (c["status"], c["hold_reason"], c["s6_payments_usd"]["amount"]) == ("held", "registration_required", "205000.00")


async def test_two_institutions_racing_payments_for_one_enterprise_hold_exactly_one(client, tenant_a, tenant_b, world):
    """150,000 at bank A and 100,000 at bank B at the same time: together
    250,000, so exactly one of them (the later) is held; neither bank can
    bend the national total."""
    ra, rb = await asyncio.gather(
        post(client, tenant_a, pay(world["bank-a"]["u"], "150000.00"), "race-a"),
        post(client, tenant_b, pay(world["bank-b"]["u"], "100000.00"), "race-b"),
    )
    assert ra.status_code == rb.status_code == 201, (ra.text, rb.text)
    outs = sorted([ra.json(), rb.json()], key=lambda o: Decimal(o["s6_payments_usd"]["amount"]))
    assert [o["status"] for o in outs] == ["paid", "held"]
    assert outs[1]["hold_reason"] == "registration_required" and outs[1]["s6_payments_usd"]["amount"] == "250000.00"
    assert outs[0]["s6_payments_usd"]["amount"] in ("150000.00", "100000.00")


async def test_payment_statistics_by_purpose_include_held_amounts(client, tenant_a, world):
    u = world["bank-a"]["u"]
    for n, (amt, purpose) in enumerate((("150000.00", "goods"), ("40000.00", "overseas_warehousing"), ("15000.00", "goods"))):
        assert (await post(client, tenant_a, pay(u, amt, purpose=purpose), f"s-{n}")).status_code == 201
    rows = (await client.get("/v1/monitoring/payments", params={"date_from": _today().isoformat(), "date_to": _today().isoformat()}, headers=tenant_a.h())).json()["rows"]
    got = {r["key"]["purpose"]: (r["count"], r["amount"], r["held"]) for r in rows}
    assert got == {"goods": (2, "165000.00", "15000.00"), "overseas_warehousing": (1, "40000.00", "0.00")}


async def test_the_monitoring_report_includes_outward_payments_by_country_and_kind(client, tenant_a, world):
    u = world["bank-a"]["u"]
    for n, (amt, country) in enumerate((("1000.00", "DE"), ("250.50", "US"), ("49.50", "DE"))):
        assert (await post(client, tenant_a, pay(u, amt, beneficiary_country=country), f"m-{n}")).status_code == 201
    day = _today().isoformat()
    r = await client.get("/v1/reports/monitoring", params={"date_from": day, "date_to": day}, headers=tenant_a.h())
    assert r.status_code == 200, r.text
    rep = r.json()
    rows = {(x["dimension"], x["value"], x["currency"]): x for x in rep["rows"]}
    de, us = rows[("destination_country", "DE", "USD")], rows[("destination_country", "US", "USD")]
    assert (de["payments"], de["paid"], us["payments"], us["paid"]) == ("2", "1049.50", "1", "250.50")
    assert (de["receipts"], de["gross"]) == ("0", "0.00")
    assert rows[("merchant_kind", "enterprise", "USD")]["paid"] == "1300.00"
    assert not any(k[0] == "customs_mode" for k in rows)
    (t,) = rep["totals"]
    assert (t["payments"], t["paid"], t["paid_usd_equivalent"], t["receipts"]) == ("3", "1300.00", "1300.00", "0")


@pytest.mark.parametrize("role", ["sme", "admin", "approver"])
async def test_roles_without_payment_rights_cannot_pay_and_nothing_moves(client, tenant_a, world, role):
    """Only the institution's system key and finance users make payments;
    an SME, an admin or an approver alone gets 403 and nothing is written."""
    r = await client.post("/v1/payments", json=pay(world["bank-a"]["u"], "10.00"), headers=tenant_a.as_user(role, **{"Idempotency-Key": f"role-{role}"}))
    assert r.status_code == 403, r.text
    assert (await client.get("/v1/payments", headers=tenant_a.h())).json()["data"] == []
