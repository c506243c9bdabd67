"""The one-statement Idempotency-Key claim and the plain-ASGI request
middleware (#14), tried as an adversary: two institutions racing with the
same key, a key reused with another body, another institution's account."""

from __future__ import annotations

import asyncio
import json
import logging

from .conftest import transfer


async def _balance(client, t, name: str) -> str:
    return (await client.get(f"/v1/accounts/{t.accounts[name]}", headers=t.h())).json()["posted"]


async def test_two_institutions_racing_with_one_key_each_post_once(client, tenant_a, tenant_b):
    url = lambda t: f"/v1/ledgers/{t.ledger_id}/transactions"  # noqa: E731
    post = lambda t: client.post(url(t), json=transfer(t, "bank", "merchant", "5.00"), headers=t.h(**{"Idempotency-Key": "same-key"}))  # noqa: E731
    answers = await asyncio.gather(post(tenant_a), post(tenant_b), post(tenant_a), post(tenant_b))
    codes = sorted(r.status_code for r in answers)
    # per institution: one posting; its twin is a replay (201, same bytes) or told the first is still in flight (409)
    assert codes.count(201) >= 2 and set(codes) <= {201, 409}, codes
    a, b = ({r.json()["id"] for r in answers if r.status_code == 201 and r.request.url.path == url(t)} for t in (tenant_a, tenant_b))
    assert len(a) == 1 and len(b) == 1 and a != b
    assert await _balance(client, tenant_a, "merchant") == await _balance(client, tenant_b, "merchant") == "5.00"


async def test_a_key_reused_with_another_body_is_refused_and_changes_nothing(client, tenant_a):
    url = f"/v1/ledgers/{tenant_a.ledger_id}/transactions"
    first = await client.post(url, json=transfer(tenant_a, "bank", "merchant", "7.00"), headers=tenant_a.h(**{"Idempotency-Key": "k-7"}))
    assert first.status_code == 201, first.text
    other = await client.post(url, json=transfer(tenant_a, "bank", "merchant", "700.00"), headers=tenant_a.h(**{"Idempotency-Key": "k-7"}))
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert other.headers["content-type"].startswith("application/problem+json") and other.headers["x-request-id"]
    assert await _balance(client, tenant_a, "merchant") == "7.00"


async def test_another_institutions_account_is_refused_and_the_log_names_the_caller(client, tenant_a, tenant_b, caplog):
    body = transfer(tenant_a, "bank", "merchant", "1.00")
    body["postings"][1]["account_id"] = str(tenant_b.accounts["merchant"])
    with caplog.at_level(logging.INFO, logger="xborder.api"):
        r = await client.post(f"/v1/ledgers/{tenant_a.ledger_id}/transactions", json=body, headers=tenant_a.h(**{"Idempotency-Key": "cross", "X-Request-ID": "adversary-1"}))
    assert 400 <= r.status_code < 500 and r.headers["x-request-id"] == "adversary-1", r.text
    assert await _balance(client, tenant_b, "merchant") == "0.00" and await _balance(client, tenant_a, "bank") == "0.00"
    line = next(rec for rec in caplog.records if getattr(rec, "request_id", None) == "adversary-1")
    assert (line.status, line.institution_id) == (r.status_code, str(tenant_a.institution_id))
    assert json.loads(r.content)["status"] == r.status_code
