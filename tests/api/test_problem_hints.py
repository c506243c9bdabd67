"""A refused amount or currency code says what is wanted in words, not as a
regular expression; the field is named and nothing is written."""

from __future__ import annotations

from .conftest import transfer


async def _postings(client, t) -> int:
    r = await client.get(f"/v1/accounts/{t.accounts['bank']}/balance", headers=t.h())
    assert r.status_code == 200, r.text
    return r.json()["posted"]


async def test_a_negative_amount_is_refused_in_words(client, tenant_a):
    before = await _postings(client, tenant_a)
    r = await client.post(
        f"/v1/ledgers/{tenant_a.ledger_id}/transactions", json=transfer(tenant_a, "bank", "merchant", "-250.00"), headers=tenant_a.h(**{"Idempotency-Key": "neg-1"})
    )
    assert r.status_code == 422 and r.json()["code"] == "validation_error"
    errors = r.json()["errors"]
    assert [e["location"] for e in errors] == ["body.postings.0.amount", "body.postings.1.amount"]
    assert all(e["message"].startswith("must be a positive decimal amount such as") and "^" not in e["message"] for e in errors), errors
    assert "no sign" in r.json()["detail"]
    assert await _postings(client, tenant_a) == before


async def test_a_lower_case_currency_is_refused_in_words(client, tenant_a):
    r = await client.post(
        f"/v1/ledgers/{tenant_a.ledger_id}/transactions", json=transfer(tenant_a, "bank", "merchant", "1.00", currency="usd"), headers=tenant_a.h(**{"Idempotency-Key": "cur-1"})
    )
    assert r.status_code == 422
    assert {e["message"] for e in r.json()["errors"]} == {'must be a three-letter ISO 4217 currency code in capitals, such as "USD"'}


async def test_other_patterns_keep_the_validator_message(client, tenant_a):
    r = await client.post("/v1/ledgers", json={"code": "has space"}, headers=tenant_a.h(**{"Idempotency-Key": "code-1"}))
    assert r.status_code == 422
    assert r.json()["errors"][0]["message"].startswith("String should match pattern")
