"""Webhook routes over HTTP (issue #13 contract): endpoints, events and
deliveries as keyset pages, Idempotency-Key on creating an endpoint and
rotating its secret, strict bodies, another institution's endpoint 404."""

from __future__ import annotations

from uuid import uuid4

from api.webhooks import WebhookDispatcher
from tests.api.conftest import transfer
from tests.api.test_recon_api import K, assert_walks

#: a public address (never called: these tests only fan out)
HOOK = "https://93.184.215.14/hook"


async def _endpoint(client, t, event_types=("transaction.posted",)) -> dict:
    r = await client.post("/v1/webhook-endpoints", json={"url": HOOK, "event_types": list(event_types)}, headers=t.h(**K()))
    assert r.status_code == 201, r.text
    return r.json()


async def test_endpoints_events_and_deliveries_walk_page_by_page(app, client, tenant_a, tenant_b):
    t = tenant_a
    endpoints = [(await _endpoint(client, t))["id"] for _ in range(5)]
    assert await assert_walks(client, "/v1/webhook-endpoints", t.h(), 5) == endpoints  # oldest first
    for i in range(5):
        r = await client.post(f"/v1/ledgers/{t.ledger_id}/transactions", json=transfer(t, "bank", "merchant", f"1{i}.00"), headers=t.h(**K()))
        assert r.status_code == 201, r.text
    events = await assert_walks(client, "/v1/events", t.h(), 5, params={"type": "transaction.posted"})
    await WebhookDispatcher(app.state.ctx.engine, app.state.ctx.keyring).fan_out()
    deliveries = await assert_walks(client, "/v1/webhook-deliveries", t.h(), 25)
    assert deliveries == sorted(deliveries, reverse=True)  # newest first
    await assert_walks(client, "/v1/webhook-deliveries", t.h(), 5, params={"endpoint_id": endpoints[0]})
    await assert_walks(client, f"/v1/events/{events[0]}/deliveries", t.h(), 5)
    # another institution's endpoint as a filter: 404, not an empty page
    r = await client.get("/v1/webhook-deliveries", params={"endpoint_id": endpoints[0]}, headers=tenant_b.h())
    assert r.status_code == 404, r.text
    assert (await client.get("/v1/webhook-endpoints", headers=tenant_b.h())).json()["data"] == []


async def test_creating_an_endpoint_needs_a_key_and_replays_the_same_secret(client, tenant_a):
    t = tenant_a
    body = {"url": HOOK, "event_types": ["recon.*"]}
    r = await client.post("/v1/webhook-endpoints", json=body, headers=t.h())
    assert r.status_code == 400 and r.json()["code"] == "idempotency_key_missing", r.text
    first, again = [await client.post("/v1/webhook-endpoints", json=body, headers=t.h(**{"Idempotency-Key": "ep-1"})) for _ in range(2)]
    assert first.status_code == 201 and again.content == first.content and first.json()["secret"].startswith("whsec_")
    other = await client.post("/v1/webhook-endpoints", json={**body, "event_types": ["*"]}, headers=t.h(**{"Idempotency-Key": "ep-1"}))
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    assert len((await client.get("/v1/webhook-endpoints", headers=t.h())).json()["data"]) == 1
    eid = first.json()["id"]
    assert (await client.post(f"/v1/webhook-endpoints/{eid}/rotate-secret", headers=t.h())).status_code == 400
    key = str(uuid4())
    rot1, rot2 = [await client.post(f"/v1/webhook-endpoints/{eid}/rotate-secret", headers=t.h(**{"Idempotency-Key": key})) for _ in range(2)]
    assert rot1.status_code == 201 and rot2.content == rot1.content and rot1.json()["secret"] != first.json()["secret"]


async def test_endpoint_bodies_are_strict_and_a_refusal_changes_nothing(client, tenant_a):
    t = tenant_a
    for bad in ({"url": HOOK, "event_types": "recon.*"}, {"url": HOOK, "extra": 1}, {"url": 5}, {}):
        r = await client.post("/v1/webhook-endpoints", json=bad, headers=t.h(**K()))
        assert r.status_code == 422, (bad, r.text)
    assert (await client.get("/v1/webhook-endpoints", headers=t.h())).json()["data"] == []
    ep = await _endpoint(client, t)
    for bad in ({"enabled": 0}, {"enabled": 1}, {"enabled": "false"}, {"enabled": "true"}, {"secret": "x"}):
        r = await client.patch(f"/v1/webhook-endpoints/{ep['id']}", json=bad, headers=t.h())
        assert r.status_code == 422, (bad, r.text)
    assert (await client.get(f"/v1/webhook-endpoints/{ep['id']}", headers=t.h())).json()["enabled"] is True
    r = await client.patch(f"/v1/webhook-endpoints/{ep['id']}", json={"enabled": False}, headers=t.h())
    assert r.status_code == 200 and r.json()["enabled"] is False
    for params in ({"limit": 0}, {"limit": 1001}, {"limit": "true"}, {"cursor": ""}):
        r = await client.get("/v1/events", params=params, headers=t.h())
        assert r.status_code == 422, (params, r.text)
