"""One durable commit per money-moving request (issue #14 item 1).

A posting request and a receipt request each make exactly one commit the
caller waits for: the ledger transaction(s), the audit row, the outbox event
and the final HTTP idempotency record (status, media type, body) commit
together.  The in-flight claim of the Idempotency-Key is committed without
waiting for the disk (PostgreSQL ``synchronous_commit = off``, SQLite
``synchronous = NORMAL`` in WAL mode): it is synced by that one durable
commit, and if a database crash loses it the ledger's own idempotency keys
still make a retry replay rather than post twice.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from api.schema import http_idempotency
from ledger.schema import audit_log
from ledger.schema import outbox_events as outbox
from tests.support.commits import CommitCounter

from .conftest import transfer
from .test_financing_api import k, lender  # noqa: F401 - the fixture
from .test_payments_api import pay, world  # noqa: F401 - the fixture
from .test_settlement_api import receipt_body, setup  # noqa: F401 - the fixture


@pytest.fixture
def commits(app):
    counter = CommitCounter(app.state.ctx.engine)
    yield counter
    counter.close()


async def _record(app, t, key):
    async with app.state.ctx.engine.connect() as conn:
        return (await conn.execute(select(http_idempotency).where(http_idempotency.c.institution_id == t.institution_id, http_idempotency.c.key == key))).one()


async def _count(app, table) -> int:
    async with app.state.ctx.engine.connect() as conn:
        return (await conn.execute(select(func.count()).select_from(table))).scalar_one()


async def test_a_posting_request_makes_one_durable_commit(app, client, tenant_a, commits):
    before = (await _count(app, audit_log), await _count(app, outbox))
    commits.reset()
    r = await client.post(f"/v1/ledgers/{tenant_a.ledger_id}/transactions", json=transfer(tenant_a, "bank", "merchant", "12.34"), headers=tenant_a.h(**{"Idempotency-Key": "one"}))
    assert r.status_code == 201, r.text
    assert (commits.durable, commits.nondurable) == (1, 1), commits.log
    # the one commit holds the posting, its audit row, its outbox event and the stored response
    assert (await _count(app, audit_log), await _count(app, outbox)) == (before[0] + 1, before[1] + 1)
    rec = await _record(app, tenant_a, "one")
    assert (rec.state, rec.status_code, rec.content_type, bytes(rec.body)) == ("done", 201, "application/json", r.content)
    # the response built from the posting is the transaction as read back
    assert r.json() == (await client.get(f"/v1/transactions/{r.json()['id']}", headers=tenant_a.h())).json()
    commits.reset()
    again = await client.post(f"/v1/ledgers/{tenant_a.ledger_id}/transactions", json=transfer(tenant_a, "bank", "merchant", "12.34"), headers=tenant_a.h(**{"Idempotency-Key": "one"}))
    assert again.content == r.content and again.headers["Idempotent-Replayed"] == "true"
    assert commits.durable == 0, commits.log


async def test_a_refused_posting_is_stored_in_its_one_durable_commit(app, client, tenant_a, commits):
    commits.reset()
    # the merchant account may not go into debit: a business refusal, decided by the ledger
    r = await client.post(f"/v1/ledgers/{tenant_a.ledger_id}/transactions", json=transfer(tenant_a, "merchant", "bank", "1.00"), headers=tenant_a.h(**{"Idempotency-Key": "no"}))
    assert r.status_code == 422, r.text
    assert (commits.durable, commits.nondurable) == (1, 1), commits.log
    rec = await _record(app, tenant_a, "no")
    assert (rec.state, rec.status_code, bytes(rec.body)) == ("done", 422, r.content)


async def test_a_receipt_request_makes_one_durable_commit(app, client, tenant_a, setup, commits):
    # a customer's first receipt in a currency opens its accounts first (a commit of their own, once)
    first = await client.post("/v1/receipts", json=receipt_body(setup["a"], "50.00"), headers=tenant_a.h(**{"Idempotency-Key": "rcpt-0"}))
    assert first.status_code == 201, first.text
    commits.reset()
    r = await client.post("/v1/receipts", json=receipt_body(setup["a"], "100.00"), headers=tenant_a.h(**{"Idempotency-Key": "rcpt"}))
    assert r.status_code == 201, r.text
    assert (commits.durable, commits.nondurable) == (1, 1), commits.log
    rec = await _record(app, tenant_a, "rcpt")
    assert (rec.state, rec.status_code, bytes(rec.body)) == ("done", 201, r.content)


async def test_a_batch_request_makes_one_durable_commit(app, client, tenant_a, commits):
    body = {"transactions": [transfer(tenant_a, "bank", "merchant", "1.00"), transfer(tenant_a, "merchant", "bank", "999.00"), transfer(tenant_a, "bank", "fees", "2.00")]}
    commits.reset()
    r = await client.post(f"/v1/ledgers/{tenant_a.ledger_id}/transactions/batch", json=body, headers=tenant_a.h(**{"Idempotency-Key": "batch"}))
    assert r.status_code == 200 and (r.json()["posted"], r.json()["failed"]) == (2, 1), r.text
    assert (commits.durable, commits.nondurable) == (1, 1), commits.log
    rec = await _record(app, tenant_a, "batch")
    assert (rec.state, rec.status_code, bytes(rec.body)) == ("done", 200, r.content)


async def test_a_conversion_request_makes_one_durable_commit(app, client, tenant_a, setup, commits):
    fund = await client.post("/v1/receipts", json=receipt_body(setup["p"], "60000.00"), headers=tenant_a.h(**{"Idempotency-Key": "fund"}))
    assert fund.status_code == 201, fund.text
    conv = {"customer_id": setup["p"], "direction": "settle", "currency": "USD"}
    # the first conversion opens the customer's CNY account (a commit of its own, once)
    first = await client.post("/v1/conversions", json={**conv, "amount": "100.00"}, headers=tenant_a.h(**{"Idempotency-Key": "c-0"}))
    assert first.status_code == 201, first.text
    commits.reset()
    r = await client.post("/v1/conversions", json={**conv, "amount": "200.00"}, headers=tenant_a.h(**{"Idempotency-Key": "c-1"}))
    assert r.status_code == 201, r.text
    assert (commits.durable, commits.nondurable) == (1, 1), commits.log
    rec = await _record(app, tenant_a, "c-1")
    assert (rec.state, rec.status_code, bytes(rec.body)) == ("done", 201, r.content)
    # a refusal (beyond the quota) moves nothing: its answer is stored in a commit of its own
    commits.reset()
    refused = await client.post("/v1/conversions", json={**conv, "amount": "55000.00"}, headers=tenant_a.h(**{"Idempotency-Key": "c-2"}))
    assert refused.status_code == 422 and refused.json()["code"] == "quota_exceeded", refused.text
    assert (commits.durable, commits.nondurable) == (1, 1), commits.log


async def test_a_payment_request_makes_one_durable_commit(app, client, tenant_a, world, commits):
    u = world["bank-a"]["r"]
    first = await client.post("/v1/payments", json=pay(u, "10.00"), headers=tenant_a.h(**{"Idempotency-Key": "p-0"}))
    assert first.status_code == 201, first.text
    commits.reset()
    r = await client.post("/v1/payments", json=pay(u, "20.00"), headers=tenant_a.h(**{"Idempotency-Key": "p-1"}))
    assert r.status_code == 201, r.text
    assert (commits.durable, commits.nondurable) == (1, 1), commits.log
    rec = await _record(app, tenant_a, "p-1")
    assert (rec.state, rec.status_code, bytes(rec.body)) == ("done", 201, r.content)


async def test_a_repayment_request_makes_one_durable_commit(app, client, tenant_a, lender, commits):
    h = tenant_a.h()
    r = await client.post("/v1/financing/applications", json={"customer_id": str(lender["merchant"].id), "product_id": lender["product"], "amount": "1000.00", "tenor_days": 30}, headers=k(h))
    assert r.status_code == 201, r.text
    lid = r.json()["id"]
    await client.post(f"/v1/financing/loans/{lid}/decision", json={"approve": True}, headers=tenant_a.as_user("approver"))
    await client.post(f"/v1/financing/loans/{lid}/offer", headers=tenant_a.as_user("finance"))
    await client.post(f"/v1/financing/loans/{lid}/accept", headers=h)
    commits.reset()
    paid = await client.post(f"/v1/financing/loans/{lid}/disburse", headers=tenant_a.as_user("finance", **{"Idempotency-Key": "d-1"}))
    assert paid.status_code == 200, paid.text
    # the money, the loan row, the audit row, the event and the answer: one durable commit (the
    # loan's own ledger accounts are opened before it, in commits of their own)
    rec = await _record(app, tenant_a, "d-1")
    assert (rec.state, rec.status_code, bytes(rec.body)) == ("done", 200, paid.content)
    assert paid.json() == (await client.get(f"/v1/financing/loans/{lid}", headers=h)).json()
    assert commits.log[-1] == "durable" and commits.nondurable == 1, commits.log
    commits.reset()
    repaid = await client.post(f"/v1/financing/loans/{lid}/repayments", json={"amount": "100.00"}, headers=tenant_a.as_user("finance", **{"Idempotency-Key": "r-1"}))
    assert repaid.status_code == 200, repaid.text
    assert (commits.durable, commits.nondurable) == (1, 1), commits.log
    rec = await _record(app, tenant_a, "r-1")
    assert (rec.state, rec.status_code, bytes(rec.body)) == ("done", 200, repaid.content)
    assert repaid.json() == (await client.get(f"/v1/financing/loans/{lid}", headers=h)).json()
