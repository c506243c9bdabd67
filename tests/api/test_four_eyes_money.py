"""Four eyes on money-moving actions (issue #18 item 1, part B), on SQLite and
PostgreSQL: each bypass of the issue reproduced and refused with the code of
the rule (api/sod.py), nothing moved until a different person approves, the
action executed exactly once, every refusal audited."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

import httpx
from sqlalchemy import func, select

from api.auth import create_user
from financing import loans as L
from ledger.events import audit_log
from ledger.schema import transactions
from recon.samples import SampleEntry
from settlement.customers import open_customer

from .conftest import PASSWORD, approve, second_admin, submit_and_approve
from .test_collateral_api import BASE, _receipt, k, loan_of
from .test_recon_api import D, K, camt, recon_setup  # noqa: F401  (a fixture)
from .test_settlement_api import _person_at, receipt_body
from .test_settlement_api import _today as china_today

PROBLEM = "application/problem+json"


def _problem(r, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    body = r.json()
    assert body["code"] == code and body["status"] == status, body
    return body


def _bearer(token: str, **extra) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **extra}


async def _approve_as(client, headers: dict[str, str], request_id: str):
    return await client.post(f"/v1/approval-requests/{request_id}/approve", headers={**headers, "Idempotency-Key": str(uuid.uuid4())})


async def _request(client, t, request_id: str) -> dict:
    return (await client.get(f"/v1/approval-requests/{request_id}", headers=t.h())).json()


async def _second_approver(client, t) -> str:
    """Another approver, created by the operator (so linked to nobody)."""
    if "approver2" not in t.tokens:
        async with t.app.state.ctx.engine.begin() as conn:
            await create_user(conn, t.institution_id, "approver2", PASSWORD, "approver")
        r = await client.post("/v1/auth/token", json={"institution": t.code, "username": "approver2", "password": PASSWORD})
        assert r.status_code == 200, r.text
        t.tokens["approver2"] = r.json()["access_token"]
    return t.tokens["approver2"]


async def _actor_id(client, token: str) -> str:
    return (await client.get("/v1/me", headers=_bearer(token))).json()["actor_id"]


async def _refusals(t) -> list[tuple[str, str, str]]:
    """(code, object type, object id) of every audited four-eyes refusal."""
    async with t.app.state.ctx.engine.connect() as conn:
        rows = await conn.execute(
            select(audit_log.c.after, audit_log.c.object_type, audit_log.c.object_id)
            .where(audit_log.c.institution_id == t.institution_id, audit_log.c.action == "four_eyes.refused").order_by(audit_log.c.created_at)
        )
        return [(r.after["code"], r.object_type, r.object_id) for r in rows]


async def _count_tx(t, idempotency_key: str) -> int:
    async with t.app.state.ctx.engine.connect() as conn:
        stmt = select(func.count()).select_from(transactions).where(transactions.c.institution_id == t.institution_id, transactions.c.idempotency_key == idempotency_key)
        return int((await conn.execute(stmt)).scalar_one())


# -- conversions through the review path -------------------------------------------------------


async def test_an_approver_cannot_review_his_own_conversion_beyond_the_quota(app, client, tenant_a):
    """The bypass: an approver converts USD 60,000 for an individual with a
    review and reviews it himself (was 201)."""
    t = tenant_a
    p = await _person_at(app, t)
    assert (await client.post("/v1/receipts", json=receipt_body(p, "60000.00"), headers=t.h(**{"Idempotency-Key": "fund"}))).status_code == 201
    body = {"customer_id": p, "direction": "settle", "currency": "USD", "amount": "60000.00", "review": {"proof": "tuition invoice 2026-114, checked"}}
    r = await client.post("/v1/conversions", json=body, headers=t.as_user("approver", **{"Idempotency-Key": "c-60k"}))
    assert r.status_code == 202 and r.headers["location"] == f"/v1/approval-requests/{r.json()['id']}", r.text
    req = r.json()
    assert (req["action"], req["status"], req["maker"]["name"]) == ("conversion.review", "pending", "approver")
    assert req["params"]["amount_minor"] == 6_000_000 and req["params"]["proof"] == "tuition invoice 2026-114, checked"
    # a retry of the submission is the same request
    assert (await client.post("/v1/conversions", json=body, headers=t.as_user("approver", **{"Idempotency-Key": "c-60k"}))).content == r.content

    async def used() -> str:
        return (await client.get(f"/v1/customers/{p}/quota", headers=t.h())).json()["directions"]["settle"]["used_usd"]

    # he reviews it himself: refused, nothing converted, the quota unchanged
    _problem(await _approve_as(client, t.as_user("approver"), req["id"]), 403, "four_eyes_same_person")
    _problem(await _approve_as(client, t.h(), req["id"]), 403, "four_eyes_person_required")  # the system key
    _problem(await _approve_as(client, t.as_user("finance"), req["id"]), 403, "four_eyes_checker_role")
    assert await used() == "0.00"
    assert (await _request(client, t, req["id"]))["status"] == "pending"
    codes = [c for c, typ, oid in await _refusals(t) if oid == req["id"]]
    assert codes == ["four_eyes_same_person", "four_eyes_person_required", "four_eyes_checker_role"]

    # another approver reviews it: converted once, he is the reviewer
    second = await _second_approver(client, t)
    done = await _approve_as(client, _bearer(second), req["id"])
    assert done.status_code == 200, done.text
    out = done.json()
    assert out["status"] == "executed" and out["checker"]["id"] == await _actor_id(client, second)
    conv = out["result"]
    assert conv["reviewer"] == f"user:{out['checker']['id']}"
    assert (conv["amount"], conv["quota_usd"]["amount"], conv["reviewed_usd"]["amount"], conv["cny"]["amount"]) == ("60000.00", "50000.00", "10000.00", "423870.00")
    assert (await client.get(f"/v1/conversions/{conv['id']}", headers=t.h())).json()["reviewer"] == conv["reviewer"]
    assert await used() == "50000.00"
    # approving again changes nothing
    _problem(await _approve_as(client, t.as_user("admin"), req["id"]), 409, "approval_request_not_pending")
    assert await used() == "50000.00"
    # a conversion within the quota stays one step
    buy = await client.post("/v1/conversions", json={"customer_id": p, "direction": "purchase", "currency": "USD", "amount": "100.00"}, headers=t.as_user("finance", **{"Idempotency-Key": "buy"}))
    assert buy.status_code == 201 and buy.json()["reviewer"] is None, buy.text


async def test_a_review_request_is_checked_before_it_is_made(app, client, tenant_a):
    t = tenant_a
    p = await _person_at(app, t)
    review = {"proof": "contract SC-1"}
    # a finance user does not attach a review; an unknown customer is 404: no request is made
    body = {"customer_id": p, "direction": "settle", "currency": "USD", "amount": "10.00", "review": review}
    _problem(await client.post("/v1/conversions", json=body, headers=t.as_user("finance", **K())), 403, "forbidden_role")
    _problem(await client.post("/v1/conversions", json={**body, "customer_id": str(uuid.uuid4())}, headers=t.as_user("approver", **K())), 404, "not_found")
    assert (await client.get("/v1/approval-requests", params={"action": "conversion.review"}, headers=t.h())).json()["data"] == []


# -- write-off ---------------------------------------------------------------------------------


async def test_an_admin_alone_cannot_write_off_a_loan(app, client, tenant_a):
    t = tenant_a
    ctx = app.state.ctx
    cust = await open_customer(ctx.ledger, ctx.settlement.keyring, t.institution_id, ref="WO1", kind="enterprise", name="Insolvent Ltd", fx_class="A", directory_registered=True)
    lid = await loan_of(app, t, cust.id, 100_000, kind="order", currency="USD")
    await L.disburse(ctx.ledger, t.institution_id, UUID(lid))
    url = f"/v1/financing/loans/{lid}"
    writeoff_key = f"loan:{lid}:writeoff"

    r = await client.post(f"{url}/write-off", json={"reason": "merchant insolvent"}, headers=t.as_user("admin", **{"Idempotency-Key": "wo-1"}))
    assert r.status_code == 202 and r.json()["action"] == "loan.write_off" and r.json()["object_id"] == lid, r.text
    req = r.json()
    assert "1000.00 USD outstanding" in req["summary"]
    loan = (await client.get(url, headers=t.h())).json()
    assert (loan["status"], loan["written_off"], loan["outstanding"]) == ("active", "0.00", "1000.00")
    _problem(await _approve_as(client, t.as_user("admin"), req["id"]), 403, "four_eyes_same_person")
    assert (await client.get(url, headers=t.h())).json()["status"] == "active" and await _count_tx(t, writeoff_key) == 0

    done = await _approve_as(client, t.as_user("approver"), req["id"])
    assert done.status_code == 200 and done.json()["status"] == "executed", done.text
    result = done.json()["result"]
    assert (result["status"], result["written_off"], result["outstanding"]) == ("written_off", "1000.00", "0.00")
    assert await _count_tx(t, writeoff_key) == 1
    # the write-off is the checker's in the audit log
    async with ctx.engine.connect() as conn:
        actors = [r.actor_id for r in await conn.execute(select(audit_log.c.actor_id).where(audit_log.c.action == "loan.write_off", audit_log.c.object_id == lid))]
    assert actors == [f"user:{await _actor_id(client, t.tokens['approver'])}"]
    # a second approval of the executed request, and a new proposal, change nothing
    _problem(await _approve_as(client, _bearer(await second_admin(client, t)), req["id"]), 409, "approval_request_not_pending")
    _problem(await client.post(f"{url}/write-off", json={"reason": "again"}, headers=t.as_user("approver", **{"Idempotency-Key": "wo-2"})), 409, "loan_state")
    assert await _count_tx(t, writeoff_key) == 1
    assert [c for c, _typ, oid in await _refusals(t) if oid == req["id"]] == ["four_eyes_same_person"]


# -- liquidation ---------------------------------------------------------------------------------


async def test_finance_alone_cannot_liquidate_pledged_collateral(monkeypatch, app, client, tenant_a):
    monkeypatch.setattr("ledger.clock.utc_now", lambda: datetime(2026, 11, 25, 4, 0, tzinfo=UTC))
    t = tenant_a
    ctx = app.state.ctx
    exporter = await open_customer(ctx.ledger, ctx.settlement.keyring, t.institution_id, ref="EXP1", kind="enterprise", name="Copper Exporter Ltd", fx_class="A", directory_registered=True)
    rid = await _receipt(client, t, exporter.id)
    lid = await loan_of(app, t, exporter.id, 54_000_000)
    pledged = await client.post(f"{BASE}/warehouse-receipts/{rid}/pledge", json={"loan_id": lid, "as_of": "2026-11-20"}, headers=k(t.h()))
    assert pledged.status_code == 201, pledged.text
    pid = pledged.json()["pledge_id"]
    fin = t.as_user("finance")
    # not allowed yet (LTV 0.60): refused at once, no request
    _problem(await client.post(f"{BASE}/pledges/{pid}/liquidate", json={"as_of": "2026-11-20"}, headers={**fin, "Idempotency-Key": "liq-20"}), 409, "liquidation_not_allowed")
    price = {"goods_type": "copper", "currency": "CNY", "unit": "t", "price_date": "2026-11-24", "price": "700.00"}
    assert (await client.post(f"{BASE}/goods-prices", json=price, headers=k(t.as_user("admin")))).status_code == 201
    r = await client.post(f"{BASE}/pledges/{pid}/liquidate", json={"as_of": "2026-11-24"}, headers={**fin, "Idempotency-Key": "liq-24"})
    assert r.status_code == 202 and r.json()["action"] == "pledge.liquidate", r.text
    req = r.json()
    assert "LTV 0.8571" in req["summary"] and req["params"]["as_of"] == "2026-11-24"
    # the check ran in a transaction rolled back: nothing liquidated, no margin call opened
    pledge = (await client.get(f"{BASE}/pledges/{pid}", headers=fin)).json()
    assert pledge["status"] == "active" and pledge["margin_calls"] == []
    _problem(await _approve_as(client, fin, req["id"]), 403, "four_eyes_same_person")
    assert (await client.get(f"{BASE}/pledges/{pid}", headers=fin)).json()["status"] == "active"
    out = await submit_and_approve(client, t, r)
    assert (out["action"], out["ltv"], out["outstanding"]) == ("liquidated", "0.8571", "540000.00")
    assert (await client.get(f"{BASE}/pledges/{pid}", headers=fin)).json()["status"] == "liquidated"
    assert [c for c, _typ, oid in await _refusals(t) if oid == req["id"]] == ["four_eyes_same_person"]


# -- netting -------------------------------------------------------------------------------------


async def _funded(client, t, code: str, amount: str) -> str:
    r = await client.post(f"/v1/ledgers/{t.ledger_id}/accounts", json={"code": code, "currency": "USD", "type": "liability", "debits_must_not_exceed_credits": True}, headers=t.h(**K()))
    assert r.status_code == 201, r.text
    t.accounts[code] = r.json()["id"]
    body = {"postings": [{"account_id": t.accounts["bank"], "side": "debit", "amount": amount, "currency": "USD"}, {"account_id": t.accounts[code], "side": "credit", "amount": amount, "currency": "USD"}]}
    assert (await client.post(f"/v1/ledgers/{t.ledger_id}/transactions", json=body, headers=t.h(**K()))).status_code == 201
    return t.accounts[code]


async def test_finance_alone_cannot_close_a_netting_cycle_nor_settle_a_partner_bank_day(client, tenant_a):
    t = tenant_a
    fin = t.as_user("finance")
    m1, m2 = await _funded(client, t, "m1_usd", "100.00"), await _funded(client, t, "m2_usd", "100.00")
    cycle = (await client.post("/v1/netting/cycles", json={"reference": "day-1", "ledger_id": t.ledger_id}, headers={**fin, **K()})).json()
    url = f"/v1/netting/cycles/{cycle['id']}"
    ob = {"payer_account_id": m1, "payee_account_id": m2, "amount": "30.00", "currency": "USD"}
    assert (await client.post(url + "/obligations", json={"obligations": [ob]}, headers={**fin, **K()})).status_code == 200

    async def posted(acct: str) -> str:
        return (await client.get(f"/v1/accounts/{acct}/balance", headers=t.h())).json()["posted"]

    r = await client.post(url + "/close", headers={**fin, **K()})
    assert r.status_code == 202 and r.json()["action"] == "netting.close" and r.json()["object_id"] == cycle["id"], r.text
    req = r.json()
    assert (await client.get(url, headers=t.h())).json()["status"] == "open" and (await posted(m1), await posted(m2)) == ("100.00", "100.00")
    _problem(await _approve_as(client, fin, req["id"]), 403, "four_eyes_same_person")
    assert (await client.get(url, headers=t.h())).json()["status"] == "open"
    closed = await _approve_as(client, t.as_user("approver"), req["id"])
    assert closed.status_code == 200 and closed.json()["status"] == "executed", closed.text
    assert closed.json()["result"]["status"] == "closed" and (await posted(m1), await posted(m2)) == ("70.00", "130.00")
    _problem(await _approve_as(client, t.as_user("admin"), req["id"]), 409, "approval_request_not_pending")
    # closing a closed cycle moves nothing: the cycle (200), no request
    again = await client.post(url + "/close", headers={**fin, **K()})
    assert again.status_code == 200 and again.json()["transaction_id"] == closed.json()["result"]["transaction_id"]
    assert (await posted(m1), await posted(m2)) == ("70.00", "130.00")

    # the partner-bank day closes a cycle too: not alone either (no one-step bypass)
    day = {"partner_bank_ref": "BOC-SH", "business_date": "2026-03-02", "flows": [{"direction": "from_bank", "currency": "USD", "amount": "300.00"}]}
    pb = await client.post("/v1/netting/partner-bank-settlements", json=day, headers={**fin, **K()})
    assert pb.status_code == 202 and pb.json()["action"] == "netting.close" and pb.json()["object_id"] == "partner-bank:BOC-SH:2026-03-02", pb.text
    assert (await client.get("/v1/netting/cycles", params={"kind": "partner_bank"}, headers=t.h())).json()["data"] == []
    _problem(await _approve_as(client, fin, pb.json()["id"]), 403, "four_eyes_same_person")
    settled = await submit_and_approve(client, t, pb)
    assert settled["status"] == "closed" and settled["reference"] == "partner-bank:BOC-SH:2026-03-02"
    assert [c for c, _typ, _oid in await _refusals(t)] == ["four_eyes_same_person", "four_eyes_same_person"]


# -- releases -------------------------------------------------------------------------------------


async def test_a_held_receipt_is_released_by_a_second_person(app, client, tenant_a):
    t = tenant_a
    ctx = app.state.ctx
    stl = ctx.settlement
    await stl.rates.set_manual_rate(t.institution_id, "USD", "CNY", Decimal("7.1000"), as_of=china_today())
    b = await open_customer(stl.ledger, stl.keyring, t.institution_id, ref="MB", kind="enterprise", name="B Ltd", fx_class="B", directory_registered=True)
    rc = (await client.post("/v1/receipts", json=receipt_body(str(b.id), "500.00"), headers=t.h(**K()))).json()
    assert rc["status"] == "pending_verification"
    url = f"/v1/receipts/{rc['id']}/release"
    r = await client.post(url, json={"note": "invoice INV-9 checked"}, headers=t.as_user("approver", **K()))
    assert r.status_code == 202 and r.json()["action"] == "receipt.release", r.text
    req = r.json()
    _problem(await _approve_as(client, t.as_user("approver"), req["id"]), 403, "four_eyes_same_person")
    _problem(await _approve_as(client, t.h(), req["id"]), 403, "four_eyes_person_required")
    assert (await client.get(f"/v1/receipts/{rc['id']}", headers=t.h())).json()["status"] == "pending_verification"
    admin = t.as_user("admin")
    done = await _approve_as(client, admin, req["id"])
    assert done.status_code == 200 and done.json()["status"] == "executed", done.text
    assert done.json()["result"]["released_by"] == f"user:{await _actor_id(client, t.tokens['admin'])}"
    assert (await client.get(f"/v1/receipts/{rc['id']}", headers=t.h())).json()["status"] == "released"
    # released: a new release is refused at once, without a request
    _problem(await client.post(url, json={"note": "again"}, headers=t.as_user("approver", **K())), 409, "receipt_not_releasable")
    assert len((await client.get("/v1/approval-requests", params={"action": "receipt.release"}, headers=t.h())).json()["data"]) == 1
    assert [c for c, _typ, oid in await _refusals(t) if oid == req["id"]] == ["four_eyes_same_person", "four_eyes_person_required"]


# -- reconciliation --------------------------------------------------------------------------------


async def _console_approve(app, code: str, username: str, proposal_id: str) -> str:
    """Approve through the console as ``username``; returns the flash message."""
    import html
    import re

    csrf = re.compile(r'name="csrf" value="([^"]+)"')
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://xborder.test", follow_redirects=False) as c:
        page = await c.get("/console/login")
        r = await c.post("/console/login", data={"institution": code, "username": username, "password": PASSWORD, "csrf": csrf.search(page.text).group(1)})
        assert r.status_code == 303, r.text
        approvals = (await c.get("/console/approvals")).text
        r = await c.post(f"/console/approvals/{proposal_id}/approve", data={"csrf": csrf.search(approvals).group(1)})
        assert r.status_code == 303, r.text
        m = re.search(r'id="flash">([^<]*)<', (await c.get("/console/approvals")).text)
        return html.unescape(m.group(1)) if m else ""


async def test_an_admin_cannot_approve_his_recon_adjustment_with_an_approver_he_created(app, client, recon_setup):
    """The bypass: an admin proposes a reconciliation adjustment, creates a user
    with the approver role and approves his own proposal with it (was 200)."""
    t = recon_setup
    r = await client.post("/v1/recon/statements/file", content=camt([SampleEntry(8_800, D, description="interest")], "S-ADJ"), headers=t.h(**K(), **{"Content-Type": "application/xml"}))
    assert r.status_code == 200, r.text
    [line] = (await client.get("/v1/recon/exceptions", headers=t.h())).json()["data"]
    admin = t.as_user("admin")
    r = await client.post("/v1/recon/proposals", json={"kind": "adjustment", "line_ids": [line["id"]], "note": "bank interest"}, headers={**admin, **K()})
    assert r.status_code == 201, r.text
    prop = r.json()
    # the admin creates an approver (four eyes: a second admin lets him in; the admin stays his creator)
    created = await client.post("/v1/users", json={"username": "accomplice", "password": PASSWORD, "role": "approver"}, headers={**admin, **K()})
    assert (await approve(client, t, created))["status"] == "executed"
    token = (await client.post("/v1/auth/token", json={"institution": t.code, "username": "accomplice", "password": PASSWORD})).json()["access_token"]
    bal = lambda: client.get(f"/v1/accounts/{t.accounts['bank']}/balance", headers=t.h())  # noqa: E731
    before = (await bal()).json()

    # through the API and through the console: refused, nothing posted, the proposal pending
    r = await client.post(f"/v1/recon/proposals/{prop['id']}/approve", headers=_bearer(token, **K()))
    p = _problem(r, 403, "four_eyes_linked_checker")
    assert p["cooling_hours"] == 24 and "created by the maker" in p["detail"]
    flash = await _console_approve(app, t.code, "accomplice", prop["id"])
    # the console speaks Chinese by default: the refusal's headline from the catalog, the detail after it
    assert flash.startswith("审批人由提议人设立: ") and "created by the maker" in flash, flash
    assert (await bal()).json() == before
    assert (await client.get(f"/v1/recon/proposals/{prop['id']}", headers=t.h())).json()["status"] == "pending"
    assert [(c, typ) for c, typ, oid in await _refusals(t) if oid == prop["id"]] == [("four_eyes_linked_checker", "recon_proposal")] * 2

    # an approver the admin did not set up approves it: posted once
    ok = await client.post(f"/v1/recon/proposals/{prop['id']}/approve", headers=t.as_user("approver", **{"Idempotency-Key": "ap-1"}))
    assert ok.status_code == 200 and ok.json()["status"] == "approved" and ok.json()["transaction_id"], ok.text
    assert (await client.post(f"/v1/recon/proposals/{prop['id']}/approve", headers=t.as_user("approver", **{"Idempotency-Key": "ap-1"}))).content == ok.content
    _problem(await client.post(f"/v1/recon/proposals/{prop['id']}/approve", headers=t.as_user("approver", **K())), 409, "proposal_not_pending")
    assert (await bal()).json() != before
