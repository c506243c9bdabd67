"""Lifecycle rules of SME financing over HTTP (#17 item 6), on SQLite and
PostgreSQL.  Business "today" is pinned to Wednesday 2026-11-25 (China
time) unless a test moves it.

* A margin call is cured by pledging more warehouse receipts: CNY 540,000.00
  against 1,000 t of copper at 750.00 less 10 % (675,000.00, LTV 0.8) is
  not cured by 100 t more (742,500.00, LTV 0.7273: 157,500.00 missing) and
  is cured by 100 t + 250 t (911,250.00, LTV 0.5926 <= 0.60).
* No new advance on an expired credit-insurance policy; open advances on it
  are listed and flagged once by the daily job.
* SME notifications: offer ready, payment due 3 days ahead (once per
  instalment), overdue, margin call; events to the institution and
  ``GET /v1/sme/notifications`` for the merchant's SME user only.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from api.auth import create_user
from api.jobs import JobEnv, loan_accrual
from financing import lifecycle
from financing import loans as L
from financing.products import create_product
from financing.tables_collateral import financing_margin_calls, financing_warehouse_receipts, financing_wr_pledges
from financing.tables_loans import financing_notices
from ledger.events import audit_log, outbox_events
from settlement.customers import open_customer

from .conftest import PASSWORD
from .test_collateral_api import BASE, _receipt, k, loan_of


def _pin(monkeypatch, day: date) -> None:
    """Business today ``day`` (noon in China)."""
    monkeypatch.setattr("ledger.clock.utc_now", lambda: datetime(day.year, day.month, day.day, 4, 0, tzinfo=UTC))


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    _pin(monkeypatch, date(2026, 11, 25))


@pytest.fixture
async def exporter(app, tenant_a):
    """Merchant M001 of bank A: tenant A's ``sme`` user acts for it."""
    ctx = app.state.ctx
    return await open_customer(ctx.ledger, ctx.settlement.keyring, tenant_a.institution_id, ref="M001", kind="enterprise", name="Copper Exporter Ltd", fx_class="A", directory_registered=True)


@pytest.fixture
async def other(app, client, tenant_a):
    """Merchant M002 of bank A and its SME user's headers."""
    ctx = app.state.ctx
    m = await open_customer(ctx.ledger, ctx.settlement.keyring, tenant_a.institution_id, ref="M002", kind="enterprise", name="Other Exporter Ltd", fx_class="A", directory_registered=True)
    async with ctx.engine.begin() as conn:
        await create_user(conn, tenant_a.institution_id, "sme-m002", PASSWORD, "sme", merchant_ref="M002")
    r = await client.post("/v1/auth/token", json={"institution": tenant_a.code, "username": "sme-m002", "password": PASSWORD})
    assert r.status_code == 200, r.text
    return m, {"Authorization": f"Bearer {r.json()['access_token']}"}


async def _wr(client, t, customer_id, number: str, tonnes: str, *, verify: bool = True) -> str:
    """Another copper receipt of ``tonnes`` (haircut and prices as set by ``_receipt``)."""
    body = {"customer_id": str(customer_id), "warehouse_code": "91440300708461136T", "issuer": "Qianhai Bonded Warehouse", "receipt_number": number, "goods_type": "copper",
            "quantity": tonnes, "unit": "t", "location": "Shenzhen B3"}
    r = await client.post(f"{BASE}/warehouse-receipts", json=body, headers=k(t.as_user("finance")))
    assert r.status_code == 201, r.text
    if verify:
        assert (await client.post(f"{BASE}/warehouse-receipts/{r.json()['id']}/verify", json={"verified_by": "clerk"}, headers=t.h())).status_code == 200
    return r.json()["id"]


async def _count(app, table, **where) -> int:
    async with app.state.ctx.engine.connect() as conn:
        stmt = select(func.count()).select_from(table)
        for col, v in where.items():
            stmt = stmt.where(table.c[col] == v)
        return int((await conn.execute(stmt)).scalar_one())


async def _margin_call(app, client, t, exporter) -> tuple[str, str, str]:
    """A disbursed CNY 540,000.00 loan on 1,000 t of copper; the price falls
    to 750.00: a margin call.  Returns (loan id, pledge id, call id)."""
    h = t.h()
    rid = await _receipt(client, t, exporter.id)
    lid = await loan_of(app, t, exporter.id, 54_000_000)
    pid = (await client.post(f"{BASE}/warehouse-receipts/{rid}/pledge", json={"loan_id": lid, "as_of": "2026-11-20"}, headers=k(h))).json()["pledge_id"]
    assert (await client.post(f"{BASE}/loans/{lid}/disburse", headers=t.as_user("finance", **{"Idempotency-Key": f"d-{lid}"}))).status_code == 200
    price = {"goods_type": "copper", "currency": "CNY", "unit": "t", "price_date": "2026-11-25", "price": "750.00"}
    assert (await client.post(f"{BASE}/goods-prices", json=price, headers=k(t.as_user("admin")))).status_code == 201
    st = (await client.post(f"{BASE}/pledges/{pid}/revalue", json={}, headers=h)).json()
    assert (st["action"], st["ltv"], st["valuation"]["value"], st["margin_call"]["shortfall"], st["margin_call"]["collateral"]) == ("margin_call", "0.8000", "675000.00", "135000.00", "225000.00")
    return lid, pid, st["margin_call"]["id"]


async def test_a_margin_call_is_cured_by_pledging_more_receipts_and_refused_with_the_figures_otherwise(app, client, tenant_a, tenant_b, exporter, other):
    lid, pid, call = await _margin_call(app, client, tenant_a, exporter)
    fin = tenant_a.as_user("finance")
    small = await _wr(client, tenant_a, exporter.id, "WR-002", "100")  # 100 t x 750 x 0.9 = 67,500.00
    more = await _wr(client, tenant_a, exporter.id, "WR-003", "250")  # 168,750.00
    url = f"{BASE}/margin-calls/{call}/cure"
    before = {t.name: await _count(app, t) for t in (financing_wr_pledges, financing_margin_calls, audit_log, outbox_events)}

    # not enough: 540,000 / (675,000 + 67,500) = 0.7273 > 0.60; 900,000 needed, 157,500.00 missing; nothing pledged
    r = await client.post(url, json={"receipt_ids": [small]}, headers=k(fin))
    assert r.status_code == 422 and r.json()["code"] == "margin_call_not_cured", r.text
    assert (r.json()["ltv"], r.json()["limit"], r.json()["collateral"], r.json()["missing_collateral"], r.json()["currency"]) == ("0.7273", "0.60", "742500.00", "157500.00", "CNY")
    # another merchant's receipt, an unverified one, one already pledged, another institution's: refused
    theirs = await _wr(client, tenant_a, other[0].id, "WR-009", "500")
    r = await client.post(url, json={"receipt_ids": [more, theirs]}, headers=k(fin))
    assert r.status_code == 422 and r.json()["code"] == "collateral_of_another_customer", r.text
    issued = await _wr(client, tenant_a, exporter.id, "WR-004", "500", verify=False)
    r = await client.post(url, json={"receipt_ids": [issued]}, headers=k(fin))
    assert r.status_code == 409 and r.json()["code"] == "collateral_state_conflict", r.text
    taken = await _wr(client, tenant_a, exporter.id, "WR-005", "500")
    second = await loan_of(app, tenant_a, exporter.id, 100_000)
    assert (await client.post(f"{BASE}/warehouse-receipts/{taken}/pledge", json={"loan_id": second}, headers=k(tenant_a.h()))).status_code == 201
    r = await client.post(url, json={"receipt_ids": [more, taken]}, headers=k(fin))
    assert r.status_code == 409 and r.json()["code"] == "asset_already_financed", r.text
    b_customer = await open_customer(app.state.ctx.ledger, app.state.ctx.settlement.keyring, tenant_b.institution_id, ref="B1", kind="enterprise", name="B Ltd", fx_class="A", directory_registered=True)
    b_receipt = await _receipt(client, tenant_b, b_customer.id, "WR-B1")
    assert (await client.post(url, json={"receipt_ids": [b_receipt]}, headers=k(fin))).status_code == 404
    assert (await client.post(url, json={"receipt_ids": [more]}, headers=k(tenant_b.as_user("finance")))).status_code == 404
    # staff-only: the SME user and the approver may not pledge
    assert (await client.post(url, json={"receipt_ids": [more]}, headers=k(tenant_a.as_user("sme")))).status_code == 403
    assert (await client.post(url, json={"receipt_ids": [more]}, headers=k(tenant_a.as_user("approver")))).status_code == 403
    after = {t.name: await _count(app, t) for t in (financing_wr_pledges, financing_margin_calls)}
    assert after == {"financing_wr_pledges": before["financing_wr_pledges"] + 1, "financing_margin_calls": before["financing_margin_calls"]}  # + the other loan's pledge
    assert (await client.get(f"{BASE}/pledges/{pid}", headers=fin)).json()["margin_calls"][0]["status"] == "open"

    # enough: 675,000 + 67,500 + 168,750 = 911,250.00; 540,000 / 911,250 = 0.5926 <= 0.60
    key = str(uuid.uuid4())
    r = await client.post(url, json={"receipt_ids": [small, more]}, headers=k(fin, key))
    assert r.status_code == 200, r.text
    c = r.json()
    assert (c["ltv"], c["limit"], c["collateral_value"], c["outstanding"], c["loan_id"], c["pledge_id"]) == ("0.5926", "0.60", "911250.00", "540000.00", lid, pid)
    assert [(a["receipt_id"], a["value"]) for a in c["added"]] == [(small, "67500.00"), (more, "168750.00")]
    assert c["margin_call"]["status"] == "cured" and c["margin_call"]["closed_by"].startswith("user:") and c["margin_call"]["closed_at"]
    replay = await client.post(url, json={"receipt_ids": [small, more]}, headers=k(fin, key))
    assert replay.status_code == 200 and replay.json() == c and replay.headers.get("idempotent-replayed") == "true"
    again = await client.post(url, json={"receipt_ids": [theirs]}, headers=k(fin))
    assert again.status_code == 409 and again.json()["code"] == "collateral_state_conflict", again.text  # cured: no longer open
    async with app.state.ctx.engine.connect() as conn:
        statuses = dict((await conn.execute(select(financing_warehouse_receipts.c.id, financing_warehouse_receipts.c.status).where(financing_warehouse_receipts.c.id.in_([uuid.UUID(small), uuid.UUID(more)])))).all())
        cured = (await conn.execute(select(audit_log.c.actor_id, audit_log.c.after).where(audit_log.c.action == "margin_call.cured"))).one()
        event = (await conn.execute(select(outbox_events.c.payload).where(outbox_events.c.type == "collateral.margin_call_cured"))).scalar_one()
    assert set(statuses.values()) == {"pledged"}
    assert cured.actor_id == c["margin_call"]["closed_by"] and (cured.after["ltv"], cured.after["collateral_value"], cured.after["currency"]) == ("0.5926", "911250.00", "CNY")
    assert (event["ltv"], event["valuation"], event["outstanding"], event["cured_by"], event["cured_on"]) == ("0.5926", "911250.00", "540000.00", cured.actor_id, "2026-11-25")
    # the loan's LTV is over its three receipts from now on: a revaluation opens no new call
    st = (await client.post(f"{BASE}/pledges/{pid}/revalue", json={}, headers=tenant_a.h())).json()
    assert (st["action"], st["ltv"], st["collateral_value"], st["margin_call"]) == ("ok", "0.5926", "911250.00", None)
    # the SME user was told of the margin call
    notes = (await client.get("/v1/sme/notifications", headers=tenant_a.as_user("sme"))).json()["data"]
    assert [(n["kind"], n["data"]["margin_call"]["shortfall"], n["data"]["margin_call"]["cure_by"]) for n in notes if n["kind"] == "sme.margin_call"] == [("sme.margin_call", "135000.00", "2026-12-02")]


async def _policy(client, t, customer_id, number: str, valid_until: str) -> str:
    body = {"customer_id": str(customer_id), "policy_number": number, "insurer_code": "SINOSURE", "insurer": "Sinosure", "coverage_ratio": "0.90", "currency": "USD",
            "buyer_limits": {"B1": "150000.00"}, "valid_until": valid_until}
    r = await client.post(f"{BASE}/insurance-policies", json=body, headers=k(t.h()))
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def _financed(client, app, t, customer_id, policy_id: str, invoice: str, amount_minor: int = 100_000) -> str:
    """A credit-insurance loan (USD 1,000.00) financed by a receivable of the policy (accepted, not disbursed)."""
    rec = (await client.post(f"{BASE}/insurance-policies/{policy_id}/receivables", json={"buyer_ref": "B1", "invoice_number": invoice, "amount": "2000.00", "due_date": "2027-02-18"}, headers=k(t.h()))).json()
    lid = await loan_of(app, t, customer_id, amount_minor, kind="credit_insurance", currency="USD")
    r = await client.post(f"{BASE}/insured-receivables/{rec['id']}/finance", json={"loan_id": lid, "assignee": "Bank"}, headers=t.h())
    assert r.status_code == 200, r.text
    return lid


async def test_no_new_advance_on_an_expired_policy_and_open_advances_on_it_are_flagged_once(app, client, tenant_a, tenant_b, exporter, monkeypatch):
    h, fin = tenant_a.h(), tenant_a.as_user("finance")
    # expired yesterday: the receivable cannot be financed
    old = await _policy(client, tenant_a, exporter.id, "SINO-OLD", "2026-11-24")
    rec = (await client.post(f"{BASE}/insurance-policies/{old}/receivables", json={"buyer_ref": "B1", "invoice_number": "I-OLD", "amount": "2000.00", "due_date": "2027-02-18"}, headers=k(h))).json()
    lid0 = await loan_of(app, tenant_a, exporter.id, 99_000, kind="credit_insurance", currency="USD")
    r = await client.post(f"{BASE}/insured-receivables/{rec['id']}/finance", json={"loan_id": lid0, "assignee": "Bank"}, headers=h)
    assert r.status_code == 422 and r.json()["code"] == "policy_expired", r.text
    assert (r.json()["policy_number"], r.json()["valid_until"], r.json()["value_date"]) == ("SINO-OLD", "2026-11-24", "2026-11-25")
    assert "SINO-OLD" in r.json()["detail"] and "2026-11-24" in r.json()["detail"]
    assert (await client.get(f"{BASE}/insured-receivables/{rec['id']}/advance", headers=h)).json()["max_advance"] == "1440.00"  # the cap itself is unchanged
    # the SME's eligible assets leave it out
    assets = (await client.get("/v1/sme/assets", headers=tenant_a.as_user("sme"))).json()["data"]
    assert rec["id"] not in [a["details"].get("receivable_id") for a in assets]

    # cover ends today: financed and disbursed today (the last day of cover)
    pol = await _policy(client, tenant_a, exporter.id, "SINO-1", "2026-11-25")
    lid = await _financed(client, app, tenant_a, exporter.id, pol, "I-1")
    assert (await client.post(f"{BASE}/loans/{lid}/disburse", headers=tenant_a.as_user("finance", **{"Idempotency-Key": "d-1"}))).status_code == 200
    late = await _financed(client, app, tenant_a, exporter.id, pol, "I-2", 50_000)
    no_flags = await client.get(f"{BASE}/insurance-policies/expired-advances", headers=h)
    assert no_flags.status_code == 200 and no_flags.json()["data"] == []

    # the next day: no disbursement on it, and the active loan is flagged
    _pin(monkeypatch, date(2026, 11, 26))
    r = await client.post(f"{BASE}/loans/{late}/disburse", headers=tenant_a.as_user("finance", **{"Idempotency-Key": "d-2"}))
    assert r.status_code == 422 and r.json()["code"] == "policy_expired" and (r.json()["valid_until"], r.json()["value_date"]) == ("2026-11-25", "2026-11-26"), r.text
    assert (await client.get(f"{BASE}/loans/{late}", headers=fin)).json()["status"] == "accepted"
    rows = (await client.get(f"{BASE}/insurance-policies/expired-advances", headers=h)).json()["data"]
    assert [(x["loan_id"], x["policy_number"], x["valid_until"], x["days_since_expiry"], x["principal_outstanding"], x["currency"]) for x in rows] == [
        (lid, "SINO-1", "2026-11-25", 1, "1000.00", "USD")]
    assert (await client.get(f"{BASE}/insurance-policies/expired-advances", params={"as_of": "2026-11-25"}, headers=h)).json()["data"] == []
    assert (await client.get(f"{BASE}/insurance-policies/expired-advances", headers=tenant_b.h())).json()["data"] == []  # another institution sees none
    assert (await client.get(f"{BASE}/insurance-policies/expired-advances", headers=tenant_a.as_user("sme"))).status_code == 403
    # the daily job flags it once, however often it runs
    env = JobEnv(app.state.ctx)
    first = await loan_accrual(env, date(2026, 11, 26))
    assert first["expired_policy_flags"] == 1
    assert (await loan_accrual(env, date(2026, 11, 26)))["expired_policy_flags"] == 0
    assert (await lifecycle.daily(app.state.ctx.engine, tenant_a.institution_id, date(2026, 11, 27)))["expired_policy_flags"] == 0
    async with app.state.ctx.engine.connect() as conn:
        events = (await conn.execute(select(outbox_events.c.payload).where(outbox_events.c.type == "policy.expired_advance"))).scalars().all()
    assert [(e["loan_id"], e["policy_number"], e["valid_until"], e["principal_outstanding"]) for e in events] == [(lid, "SINO-1", "2026-11-25", "1000.00")]


async def test_sme_notifications_offer_payment_due_once_overdue_listed_for_the_merchant_only(app, client, tenant_a, tenant_b, exporter, other):
    ctx = app.state.ctx
    inst = tenant_a.institution_id
    product = await create_product(ctx.engine, inst, code="annuity-cny", kind="order", currency="CNY", fixed_rate=Decimal("0.0435"), min_tenor_days=30,
                                   max_tenor_days=180, schedule_method="equal_instalment")
    loan = await L.apply(ctx.ledger, inst, customer_id=exporter.id, product_id=product.id, requested_minor=12_000_000, tenor_days=90, limit_minor=12_000_000)
    lid = loan["id"]
    await L.decide(ctx.ledger, inst, lid, approve=True)
    await L.make_offer(ctx.ledger, inst, lid, start=date(2026, 11, 25))
    sme = tenant_a.as_user("sme")
    r = await client.get("/v1/sme/notifications", headers=sme)
    assert r.status_code == 200, r.text
    offer = r.json()["data"]
    assert [(n["kind"], n["loan_id"], n["data"]["principal"], n["data"]["currency"]) for n in offer] == [("sme.offer_ready", str(lid), "120000.00", "CNY")]
    assert offer[0]["data"]["total_repayable"] == (await client.get(f"/v1/sme/loans/{lid}", headers=sme)).json()["offer"]["total_repayable"]
    await L.accept(ctx.ledger, inst, lid)
    active = await L.disburse(ctx.ledger, inst, lid, on=date(2026, 11, 25))
    first = active["schedule"]["instalments"][0]
    due1, total1 = date.fromisoformat(first["due_date"]), first["principal_minor"] + first["interest_minor"] + first["fee_minor"]
    assert due1 == date(2026, 12, 25)

    env = JobEnv(ctx)
    assert (await loan_accrual(env, due1 - timedelta(days=4)))["payment_due_notices"] == 0  # 4 days ahead: not yet
    assert (await loan_accrual(env, due1 - timedelta(days=3)))["payment_due_notices"] == 1
    assert (await loan_accrual(env, due1 - timedelta(days=3)))["payment_due_notices"] == 0  # the same day again: once
    assert (await loan_accrual(env, due1 - timedelta(days=1)))["payment_due_notices"] == 0  # and not again for this instalment
    # unpaid on its due date: overdue the day after (the job accrues through the day before its run)
    assert (await loan_accrual(env, due1 + timedelta(days=2)))["loans"] >= 1
    notes = [n for n in (await client.get("/v1/sme/notifications", headers=sme)).json()["data"]]
    assert [n["kind"] for n in notes] == ["sme.overdue", "sme.payment_due", "sme.offer_ready"]  # newest first
    due = notes[1]["data"]
    assert (due["instalment"], due["due_date"], due["currency"]) == (1, "2026-12-25", "CNY")
    assert due["amount"] == "40295.19" and total1 == 4_029_519  # 39,860.19 principal + 435.00 interest (31 days at 4.35 % ACT/360)
    assert (notes[0]["data"]["days_past_due"], notes[0]["data"]["as_of"], notes[0]["data"]["bucket"]) == (1, "2026-12-26", "1-30")
    async with ctx.engine.connect() as conn:
        types = (await conn.execute(select(outbox_events.c.type).where(outbox_events.c.institution_id == inst, outbox_events.c.type.like("sme.%")).order_by(outbox_events.c.id))).scalars().all()
    assert types == ["sme.offer_ready", "sme.payment_due", "sme.overdue"]  # webhooks to the institution, one per fact
    assert await _count(app, financing_notices, institution_id=inst) == 3

    # paged like every list
    page1 = (await client.get("/v1/sme/notifications", params={"limit": 2}, headers=sme)).json()
    assert len(page1["data"]) == 2 and page1["has_more"] is True
    page2 = (await client.get("/v1/sme/notifications", params={"limit": 2, "cursor": page1["next_cursor"]}, headers=sme)).json()
    assert [n["kind"] for n in page2["data"]] == ["sme.offer_ready"] and page2["has_more"] is False
    bad = await client.get("/v1/sme/notifications", params={"cursor": "nope"}, headers=sme)
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_cursor"
    # another merchant's SME user sees none of them; bank B's SME user is not a customer there; staff are not SME users
    assert (await client.get("/v1/sme/notifications", headers=other[1])).json()["data"] == []
    assert (await client.get("/v1/sme/notifications", headers=tenant_b.as_user("sme"))).status_code == 404
    assert (await client.get("/v1/sme/notifications", headers=tenant_a.as_user("finance"))).status_code == 403
