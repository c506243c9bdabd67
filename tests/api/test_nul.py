"""U+0000 in text is refused at the boundary the same way on SQLite and
PostgreSQL (api.nul): 422 ``invalid_input`` naming where it was, nothing
written."""

from __future__ import annotations

import pytest

from .conftest import _tenant


@pytest.fixture
async def t(app, client):
    return await _tenant(app, client, "nul-bank")


async def _endpoints(client, t) -> int:
    r = await client.get("/v1/webhook-endpoints", headers=t.h())
    assert r.status_code == 200, r.text
    return len(r.json()["data"])


async def test_nul_in_a_query_parameter_is_refused_naming_it(client, t):
    r = await client.get("/v1/events?type=transaction%00posted", headers=t.h())
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["code"] == "invalid_input"
    assert body["location"] == "query.type"
    assert "X-Request-ID" in r.headers
    # without the NUL the same query is fine
    assert (await client.get("/v1/events?type=transaction.posted", headers=t.h())).status_code == 200


async def test_nul_in_a_json_string_is_refused_and_nothing_is_written(client, t):
    before = await _endpoints(client, t)
    body = '{"url": "https://hooks.example/x\\u0000y", "event_types": ["*"]}'
    r = await client.post("/v1/webhook-endpoints", content=body, headers=t.h(**{"Content-Type": "application/json", "Idempotency-Key": "nul-1"}))
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "invalid_input"
    assert r.json()["location"] == "body.url"
    nested = '{"url": "https://hooks.example/x", "event_types": ["receipt.*", "a\\u0000"]}'
    r = await client.post("/v1/webhook-endpoints", content=nested, headers=t.h(**{"Content-Type": "application/json", "Idempotency-Key": "nul-2"}))
    assert r.status_code == 422 and r.json()["location"] == "body.event_types[1]"
    key = '{"url": "https://hooks.example/x", "event_types\\u0000": ["*"]}'
    r = await client.post("/v1/webhook-endpoints", content=key, headers=t.h(**{"Content-Type": "application/json", "Idempotency-Key": "nul-3"}))
    assert r.status_code == 422 and r.json()["location"] == "body"
    assert await _endpoints(client, t) == before


async def test_an_escaped_backslash_before_u0000_is_not_a_nul(client, t):
    # the JSON text \\u0000 is a backslash followed by "u0000": ordinary text
    body = '{"url": "https://93.184.215.14/a\\\\u0000", "event_types": ["*"]}'
    r = await client.post("/v1/webhook-endpoints", content=body, headers=t.h(**{"Content-Type": "application/json", "Idempotency-Key": "nul-4"}))
    assert r.status_code == 201, r.text
    assert r.json()["url"] == "https://93.184.215.14/a\\u0000"
